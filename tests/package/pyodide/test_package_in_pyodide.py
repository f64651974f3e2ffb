"""The package's own tests, run again in Pyodide: the runtime the site's Run buttons use.

A reader's browser runs the package on Pyodide 0.27.7 (CPython 3.12 compiled to WebAssembly)
with NumPy 2.0.2, where NumPy's floating-point error state does nothing (``np.errstate(over=
"raise")`` raises nothing, no RuntimeWarning is ever issued) and the default integer is 32 bits.
The package must give the same results and the same refusals there, so its tests run there too:
Node starts the very runtime files the site serves (hooks/pyodide_runtime.py keeps them in
.cache/, with the package's wheel built from src/), run.js (beside this file) mounts this
repository into it, and run_pytest.py runs pytest on the package tests (the test files of
tests/package/, as scripts/numpy_floor.py lists them) and reports every outcome.

pytest, Hypothesis and SymPy come as pure-Python wheels, pinned by hash below and cached in .cache/.
Hypothesis is 6.155.7, the newest release with a pure-Python wheel (later ones need a compiled
extension that Pyodide does not have); the rest are the versions constraints.txt pins.
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from backprop_site.node import NODE
from backprop_site.repo import ROOT, load_file

WHEELS = {  # file -> sha256; fetched from PyPI when missing from .cache/pyodide-test-wheels
    "pytest-9.2.0-py3-none-any.whl": "07acdcf88ec174f907dc01af70bf52d49b014bbab03faeeade31c96b18c2e588",
    "pluggy-1.7.0-py3-none-any.whl": "7dd7b0d8832ba3cb632c306926ded123429211b83641b35dc5c41ad2d34f9bec",
    "iniconfig-2.3.1-py3-none-any.whl": "9121e2c1fdb355232495be3194c8dfe87ccc2d5dee45947b78e68f499790d7a7",
    "packaging-26.4-py3-none-any.whl": "81383611a09c1bc0b08b76e0fd5829d7c6824c65b27a6aee339da133f4233ea2",
    "pygments-2.21.0-py3-none-any.whl": "2363c69b61c4a97c838da3b130dcd6468f4848992b21a82f2a63ec34377137d9",
    "hypothesis-6.155.7-py3-none-any.whl": "9f634bdb1f9e9b8ab6ba09431cf2deedb750c96978125a6fb3c5a0f6c6db4131",
    "sortedcontainers-2.4.0-py2.py3-none-any.whl": "a163dcaede0f1c021485e957a39245190e74249897e2ae4b2aa38595db237ee0",
    "sympy-1.14.0-py3-none-any.whl": "e091cc3e99d2141a0ba2847328f5479b05d94a6635cb96148ccb3f34671bd8f5",
    "mpmath-1.3.0-py3-none-any.whl": "a0b2b9fe80bbcd81a6647ff13108738cfb482d481d826cc0e02f5b35e5c88d2c",
}
HERE = Path(__file__).resolve().parent
WHEEL_CACHE = ROOT / ".cache" / "pyodide-test-wheels"


def test_wheels():
    """The folder of WHEELS, each checked against its hash (downloaded first when missing)."""
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    missing = [name for name in WHEELS if not (WHEEL_CACHE / name).is_file()]
    if missing:
        pins = ["{}=={}".format(*name.split("-")[:2]) for name in missing]
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", "--platform", "any", "--implementation", "py",
                        "--python-version", "3.12", "--dest", str(WHEEL_CACHE), *pins],
                       check=True, capture_output=True, text=True, timeout=600)
    for name, expected in WHEELS.items():
        got = hashlib.sha256((WHEEL_CACHE / name).read_bytes()).hexdigest()
        assert got == expected, f"{name}: sha256 {got}, pinned {expected}"
    return WHEEL_CACHE


test_wheels.__test__ = False  # a helper, not a test

# Each wheel of WHEELS unpacked into a folder of its own: Python imports from a zip without
# writing bytecode, from a folder it writes it (under PYCACHE).
UNPACKED = WHEEL_CACHE / "unpacked"
# Python's bytecode caches from Pyodide's runs (CPython 3.12, sys.pycache_prefix): the wheels'
# modules and pytest's rewritten test files are compiled once, not in every run (a run spent
# 9 of its 19 s collecting, most of it compiling).
PYCACHE = ROOT / ".cache" / "pyodide-pycache"


def unpacked_wheels() -> Path:
    """UNPACKED, with a folder for each of WHEELS (unpacked first when missing)."""
    import zipfile

    wheels = test_wheels()
    for name in WHEELS:
        folder = UNPACKED / name
        if not folder.is_dir():
            partial = UNPACKED / (name + ".partial")
            with zipfile.ZipFile(wheels / name) as wheel:
                wheel.extractall(partial)
            partial.rename(folder)
    return UNPACKED


def run_in_pyodide(tests, report, extra_args=()):
    """Run pytest on ``tests`` (paths relative to the repository) in Pyodide; the JSON report."""
    runtime = load_file(ROOT / "hooks" / "pyodide_runtime.py", "pyodide_runtime")
    index = runtime.fetch_runtime()["pyodide.js"].parent
    package = runtime.build_wheel()  # what the site serves, built from src/ (cached)
    config = report.with_suffix(".config.json")
    PYCACHE.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({
        "indexURL": str(index),
        # /site-modules: the bad-input catalogue the package tests import (not in the wheel)
        "mounts": {"/repo": str(ROOT), "/wheels": str(unpacked_wheels()), "/package": str(package.parent),
                   "/site-modules/backprop_site": str(ROOT / "src" / "backprop_site"), "/out": str(report.parent),
                   "/pycache": str(PYCACHE)},
        "pycache": "/pycache",
        # Hypothesis keeps its example database under the working folder: one that vanishes
        "cwd": "/tmp/run",
        "script": "/repo/" + (HERE / "run_pytest.py").relative_to(ROOT).as_posix(),
        "argv": [f"/out/{report.name}", f"/package/{package.name}", *(f"/wheels/{w}" for w in WHEELS),
                 "/site-modules", "--",
                 # addopts cleared: the pages' pytest plugins are not installed there; the
                 # conftest files configure those plugins and the site build. Warnings stay
                 # errors (pyproject.toml). Capturing by file descriptor needs fds that
                 # Pyodide's file system lacks.
                 "-o", "addopts=", "--noconftest", "-p", "no:cacheprovider", "--capture=sys",
                 "-q", "--rootdir=/repo", *extra_args, *(f"/repo/{t}" for t in tests)],
    }))
    done = subprocess.run([str(NODE), str(HERE / "run.js"), str(config)],
                          capture_output=True, text=True, timeout=900)
    assert report.is_file(), f"Pyodide wrote no report (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(report.read_text()), done


def test_the_package_tests_pass_in_pyodide(tmp_path):
    floor = load_file(ROOT / "scripts" / "numpy_floor.py", "numpy_floor")
    result, done = run_in_pyodide(floor.PACKAGE_TESTS, tmp_path / "report.json")
    assert (result["platform"], result["numpy"]) == ("emscripten", "2.0.2"), result
    failed = [t for t in result["tests"] if t["outcome"] == "failed"]
    assert not failed, "failed in Pyodide:\n" + "\n\n".join(
        f"{t['test']}\n{t['message'][-1500:]}" for t in failed)
    unexplained = [t["test"] for t in result["tests"] if t["outcome"] == "skipped" and not t["message"].strip()]
    assert not unexplained, f"skipped in Pyodide without a reason: {unexplained}"
    assert result["exit_status"] == 0, done.stdout[-3000:]
    ran = {t["test"].split("::")[0].removeprefix("/repo/") for t in result["tests"]}
    assert ran == {f"{t}" for t in floor.PACKAGE_TESTS}, f"test files that ran: {sorted(ran)}"
