"""Every test file under tests/ is collected by pytest with the project's own configuration.

A folder can drop out of the suite without a word: pytest's default norecursedirs holds "build",
which hid tests/build/ until pyproject.toml dropped it; a testpaths entry or an ignore could do the
same. ``pytest --collect-only`` over the configured test paths must find tests in each file (with
"build" put back in norecursedirs, the 11 files of tests/build/ are reported).
"""

import subprocess
import sys

from backprop_site.repo import ROOT


def collected_files(*pytest_args: str) -> set[str]:
    """The files, relative to the repository, in which ``pytest --collect-only`` finds tests."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *pytest_args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"collection failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


def test_every_test_file_under_tests_is_collected():
    files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("test_*.py")}
    missing = sorted(files - collected_files())
    assert not missing, f"test files pytest does not collect: {missing}"

