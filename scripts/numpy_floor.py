"""Run the package's tests against an older NumPy, in a venv of its own.

The site's "Run" buttons execute the package in the reader's browser, where Pyodide provides
NumPy 2.0.2 whatever this project pins; this script proves that the package works there.
It creates a venv (reused on later runs) with only NumPy at the given version, and pytest,
Hypothesis and SymPy at the versions of constraints.txt, then runs the package tests (the test
files of tests/package/) with ``PYTHONPATH=src``. The tests of the pages and the build are not
run.

Not part of ``make test``: it downloads NumPy (about 20 MB) on its first run.

Usage::

    .venv/bin/python scripts/numpy_floor.py                 # NumPy 2.0.2, the browser's
    .venv/bin/python scripts/numpy_floor.py --numpy 1.26.4  # any other version with a wheel
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The package's tests: the test files of tests/package/, not its subfolders (paths from ROOT).
PACKAGE_TESTS = sorted(path.relative_to(ROOT).as_posix()
                       for path in (ROOT / "tests" / "package").glob("test_*.py"))


def pinned(name):
    """The version of ``name`` in constraints.txt."""
    text = (ROOT / "constraints.txt").read_text()
    return re.search(rf"^{re.escape(name)}==(\S+)$", text, flags=re.M | re.I).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numpy", default="2.0.2", help="the NumPy version to test (default 2.0.2)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    options = parser.parse_args()
    venv = ROOT / f".venv-numpy-{options.numpy}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # --only-binary: a NumPy without a wheel for this Python would be compiled for minutes
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--only-binary=:all:",
                    f"numpy=={options.numpy}", f"pytest=={pinned('pytest')}",
                    f"hypothesis=={pinned('hypothesis')}", f"sympy=={pinned('sympy')}"], check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    found = subprocess.run([str(python), "-c", "import numpy, backprop; print(numpy.__version__, backprop.__file__)"],
                           env=env, capture_output=True, text=True, check=True).stdout.split()
    assert found[0] == options.numpy, f"the venv imports NumPy {found[0]}, not {options.numpy}"
    assert found[1].startswith(str(ROOT / "src")), f"backprop imported from {found[1]}"
    print(f"NumPy {found[0]}, Python {sys.version.split()[0]}, backprop from {found[1]}", flush=True)
    # addopts cleared: the pages' pytest plugins are not installed; --noconftest: the
    # conftest files configure those plugins and the site build. Warnings stay errors.
    result = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "-o", "addopts=", "--noconftest", *PACKAGE_TESTS, *options.pytest_args],
                            cwd=ROOT, env=env)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
