"""scripts/wheel_check.py's checks on the built files, on files made here (building and installing
the real ones takes a minute and the package index: CI's `wheel` job runs the script itself)."""

import re
import sys
import zipfile

import pytest

import backprop
from backprop_site.repo import ROOT, load_file

wheel_check = load_file(ROOT / "scripts" / "wheel_check.py", "wheel_check")
# Modules of the repository that only the site's tests use; a package test imports none of them
# but the site modules that wheel_check puts beside the wheel.
SITE_ONLY = ["sitebuild", "page_outputs", "equations_latex", "backprop_figures", "backprop_site",
             "math_render", "pyodide_runtime", "exec_fences"]
BESIDE_THE_WHEEL = {name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                    for name in wheel_check.SITE_MODULES}


def make_wheel(folder, version, top_level):
    path = folder / f"backprop_derived-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name in top_level:
            archive.writestr(f"{name}/__init__.py", "")
    return path


def test_a_wheel_of_the_package_and_its_metadata_passes(tmp_path):
    wheel = make_wheel(tmp_path, "0.1.0", ["backprop", "backprop_derived-0.1.0.dist-info"])
    assert wheel_check.check_wheel_contents(wheel, "0.1.0") == ["backprop", "backprop_derived-0.1.0.dist-info"]


@pytest.mark.parametrize("top_level, named", [
    (["backprop", "backprop_derived-0.1.0.dist-info", "backprop_figures"], "extra: ['backprop_figures']"),
    (["backprop", "backprop_derived-0.1.0.dist-info", "tests"], "extra: ['tests']"),
    (["backprop_derived-0.1.0.dist-info"], "missing: ['backprop']"),
    (["backprop", "backprop_derived-0.2.0.dist-info"], "missing: ['backprop_derived-0.1.0.dist-info']"),
])
def test_a_wheel_with_anything_else_or_less_fails(tmp_path, top_level, named):
    wheel = make_wheel(tmp_path, "0.1.0", top_level)
    with pytest.raises(wheel_check.CheckFailed, match=re.escape(named)):
        wheel_check.check_wheel_contents(wheel, "0.1.0")


def test_the_folder_must_hold_one_sdist_and_one_wheel_of_one_version(tmp_path):
    make_wheel(tmp_path, "0.1.0", ["backprop"])
    with pytest.raises(wheel_check.CheckFailed, match="one sdist and one wheel"):
        wheel_check.find_dists(tmp_path)
    (tmp_path / "backprop_derived-0.1.1.tar.gz").write_bytes(b"")
    with pytest.raises(wheel_check.CheckFailed, match="sdist is version 0.1.1 but the wheel 0.1.0"):
        wheel_check.find_dists(tmp_path)
    (tmp_path / "backprop_derived-0.1.1.tar.gz").rename(tmp_path / "backprop_derived-0.1.0.tar.gz")
    sdist, wheel, version = wheel_check.find_dists(tmp_path)
    assert (sdist.name, wheel.name, version) == (
        "backprop_derived-0.1.0.tar.gz", "backprop_derived-0.1.0-py3-none-any.whl", "0.1.0")


def test_built_files_of_another_version_than_the_source_fail():
    assert wheel_check.source_version() == backprop.__version__
    wheel_check.check_version(backprop.__version__)
    with pytest.raises(wheel_check.CheckFailed, match="__version__"):
        wheel_check.check_version(backprop.__version__ + ".post1")


def test_the_package_tests_exist_and_import_nothing_of_the_site():
    tests = wheel_check.package_tests()
    assert len(tests) >= 10, tests
    for path in tests:
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", path.read_text(encoding="utf-8"), re.M)
        site = [name for name in imports if name.split(".")[0] in SITE_ONLY and name not in BESIDE_THE_WHEEL]
        assert not site, f"{path.name} imports {site}: it needs the site, not only the package"


def test_the_site_modules_beside_the_wheel_need_only_the_package():
    """What wheel_check copies beside the wheel imports the package, NumPy and the standard library."""
    for name in wheel_check.SITE_MODULES:
        text = (ROOT / "src" / name).read_text(encoding="utf-8")
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", text, re.M)
        other = [i for i in imports if i.split(".")[0] not in {"backprop", "numpy", *sys.stdlib_module_names}]
        assert not other, f"{name} imports {other}: the package tests could not run beside the wheel alone"
