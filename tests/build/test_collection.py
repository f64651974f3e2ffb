"""Every test file under tests/ is collected by pytest with the project's own configuration.

A folder can drop out of the suite without a word: pytest's default norecursedirs holds "build",
which hid tests/build/ until pyproject.toml dropped it; a testpaths entry or an ignore could do the
same. ``pytest --collect-only`` over the configured test paths (the ``own_collection`` fixture, which
tests/pages/test_docs_harness.py reads too) must find tests in each file (with "build" put back
in norecursedirs, the 11 files of tests/build/ are reported).
"""

import pytest

from backprop_site.repo import ROOT


def test_every_test_file_under_tests_is_collected(own_collection):
    files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("test_*.py")}
    missing = sorted(files - {test_id.split("::")[0] for test_id in own_collection})
    assert not missing, f"test files pytest does not collect: {missing}"
