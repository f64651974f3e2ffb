"""The published wheel holds the package alone; the development install imports the site's own
packages from src/ (pyproject.toml)."""

import json
import zipfile

import backprop_site

from backprop_site.repo import ROOT


def test_the_wheel_holds_the_package_alone(built_site):
    """The build's wheel (hooks/pyodide_runtime.py runs `pip wheel` on the sources)."""
    served = built_site / "assets" / "pyodide"
    wheel = json.loads((served / "runner.json").read_text())["wheel"]
    with zipfile.ZipFile(served / wheel) as z:
        top = {name.split("/")[0] for name in z.namelist()}
    dist_info = {name for name in top if name.endswith(".dist-info")}
    assert len(dist_info) == 1 and top - dist_info == {"backprop"}, sorted(top)


def test_the_development_install_imports_the_site_package_from_src():
    assert backprop_site.__file__ == str(ROOT / "src" / "backprop_site" / "__init__.py")
