"""Build the sdist and wheel, install the wheel into a clean venv, and run the package tests there.

What is published must work on its own: this script builds both files with ``python -m build``
(the wheel from the sdist), checks that the wheel holds the ``backprop`` package and its
metadata and nothing else, installs it with NumPy, pytest, Hypothesis and SymPy (versions from
constraints.txt) into a new venv, and runs the package tests from a temporary folder, so that
``import backprop`` can only find the installed copy, never ``src/``; a small pytest plugin
stops the run if it finds another. The tests that need the site or the docs toolchain are not
run.

CI runs it (the ``wheel`` job of ci.yml) and the release workflow runs it on the very files it
publishes (``--dist dist --tag v0.1.0``). Needs ``build`` in the Python that runs it (it is in
requirements.in) and the package index, for the venv's packages.

Usage::

    .venv/bin/python scripts/wheel_check.py                     # build, install, test
    .venv/bin/python scripts/wheel_check.py --dist dist         # files built already
    .venv/bin/python scripts/wheel_check.py --dist dist --tag v0.1.0   # and the tag names them
    .venv/bin/python scripts/wheel_check.py -- -k diagnose      # extra pytest arguments
"""

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "backprop_derived"   # the distribution's name as it appears in the file names
PACKAGE = "backprop"

# The package's own tests: the test files of tests/package/ (not its subfolders), which import
# nothing of the repository but the package and SITE_MODULES below.
PACKAGE_TESTS_DIR = ROOT / "tests" / "package"
TEST_REQUIREMENTS = ["pytest", "hypothesis", "sympy"]
# The site's modules the package tests import (under src/; they need the package and NumPy only):
# copies go on the path, since the wheel holds `backprop` alone.
SITE_MODULES = ["backprop_site/__init__.py", "backprop_site/bad_inputs.py"]

# Loaded into the test run with -p: once the tests are collected (and so have imported the
# package), the run stops unless the package came from the venv's site-packages.
GUARD = '''
import sys
from pathlib import Path

import pytest

SITE_PACKAGES = Path({site!r})


def pytest_collection_finish(session):
    module = sys.modules.get({package!r})
    if module is None:
        pytest.exit("no test imported {package}", returncode=3)
    where = Path(module.__file__).resolve()
    if not where.is_relative_to(SITE_PACKAGES):
        pytest.exit(f"{package} was imported from {{where}}, not from the wheel installed in "
                    f"{{SITE_PACKAGES}}", returncode=3)
    print(f"{package} imported from {{where}}")
'''


class CheckFailed(Exception):
    """A check on the built files failed; the message says which and why."""


def package_tests():
    """The test files to run against the installed wheel, as absolute paths."""
    return sorted(PACKAGE_TESTS_DIR.glob("test_*.py"))


def source_version():
    """``__version__`` as written in src/backprop/__init__.py (read, not imported)."""
    tree = ast.parse((ROOT / "src" / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise CheckFailed(f"src/{PACKAGE}/__init__.py sets no __version__")


def find_dists(folder):
    """(sdist, wheel, version): the one sdist and the one wheel in ``folder``, of one version."""
    sdists = sorted(folder.glob(f"{DISTRIBUTION}-*.tar.gz"))
    wheels = sorted(folder.glob(f"{DISTRIBUTION}-*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise CheckFailed(f"{folder} should hold one sdist and one wheel of {DISTRIBUTION}, "
                          f"found {[p.name for p in sdists + wheels]}")
    sdist_version = sdists[0].name[len(DISTRIBUTION) + 1:-len(".tar.gz")]
    wheel_version = wheels[0].name.split("-")[1]
    if sdist_version != wheel_version:
        raise CheckFailed(f"the sdist is version {sdist_version} but the wheel {wheel_version}")
    return sdists[0], wheels[0], wheel_version


def check_version(version):
    """The built files are of the version written in the source (no stale files in --dist)."""
    written = source_version()
    if version != written:
        raise CheckFailed(f"the built files are version {version}, but src/{PACKAGE}/__init__.py "
                          f"says __version__ = {written!r}")


def check_tag(tag, version, changelog):
    """A release tag must be ``v<version>``, and the changelog must have a section for it."""
    if tag != f"v{version}":
        raise CheckFailed(f"the tag {tag!r} does not name the package's version: a release of "
                          f"version {version} is tagged v{version}")
    if not re.search(rf"^## \[{re.escape(version)}\]", changelog, flags=re.M):
        raise CheckFailed(f"CHANGELOG.md has no section '## [{version}] - <date>' for the release")


def check_wheel_contents(wheel, version):
    """The wheel holds the package and its dist-info, nothing else; returns its top-level names."""
    with zipfile.ZipFile(wheel) as archive:
        top = {name.split("/", 1)[0] for name in archive.namelist()}
    wanted = {PACKAGE, f"{DISTRIBUTION}-{version}.dist-info"}
    if top != wanted:
        raise CheckFailed(f"{wheel.name} should hold {sorted(wanted)} only; it holds "
                          f"{sorted(top)} (extra: {sorted(top - wanted)}, missing: {sorted(wanted - top)})")
    return sorted(top)


def run(command, **kwargs):
    print("$", " ".join(map(str, command)), flush=True)
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def test_installed_wheel(wheel, tmp, pytest_args):
    """Install ``wheel`` into a new venv under ``tmp`` and run the package tests; pytest's code."""
    venv = tmp / "venv"
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "venv", venv])
    run([python, "-m", "pip", "install", "--quiet", "--only-binary=:all:", "-c", ROOT / "constraints.txt",
         wheel, *TEST_REQUIREMENTS])
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
               capture_output=True, text=True).stdout.strip()
    plugins = tmp / "plugins"
    plugins.mkdir()
    (plugins / "installed_package_guard.py").write_text(GUARD.format(site=site, package=PACKAGE))
    shared = tmp / "site-modules"
    for name in SITE_MODULES:
        (shared / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "src" / name, shared / name)
    # Nothing of the caller's environment may put src/ on the path.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHONPATH=os.pathsep.join([str(plugins), str(shared)]), PYTHONNOUSERSITE="1",
               PYTHONDONTWRITEBYTECODE="1")
    versions = run([python, "-c", "import sys, numpy; print(sys.version.split()[0], numpy.__version__)"],
                   capture_output=True, text=True, env=env).stdout.split()
    print(f"venv: Python {versions[0]}, NumPy {versions[1]}, {wheel.name}", flush=True)
    # From a folder outside the repository (cwd is on sys.path under `python -m`). The settings of
    # pyproject.toml still apply (warnings are errors); its addopts name the pages' plugins, which
    # are not installed here, and --noconftest skips the conftests that set them up.
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "installed_package_guard",
               "-o", "addopts=", "-ra", "--strict-markers", "--noconftest",
               *package_tests(), *pytest_args]
    print("$", " ".join(map(str, command)), flush=True)
    return subprocess.run([str(part) for part in command], cwd=tmp, env=env).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path,
                        help="test the sdist and wheel already in this folder instead of building them")
    parser.add_argument("--tag", help="the release tag, which must be v<the package's version>")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    options = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        tmp = Path(tmp)
        try:
            if options.dist is None:
                options.dist = tmp / "dist"
                run([sys.executable, "-m", "build", "--quiet", "--outdir", options.dist, ROOT])
            sdist, wheel, version = find_dists(options.dist.resolve())
            if options.tag is not None:
                check_tag(options.tag, version, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
                print(f"tag {options.tag} names version {version}, which CHANGELOG.md describes")
            check_version(version)
            top = check_wheel_contents(wheel, version)
            print(f"{sdist.name}, {wheel.name}: the wheel holds {', '.join(top)}", flush=True)
        except CheckFailed as failure:
            print(f"wheel check failed: {failure}", file=sys.stderr)
            return 1
        code = test_installed_wheel(wheel, tmp, options.pytest_args)
    print(f"wheel check: pytest exited {code}; {time.perf_counter() - start:.0f} s in all", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
