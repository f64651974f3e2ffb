"""Fixtures shared by the tests that look at the built site."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_site.build import build as mkdocs_build
from backprop_site.repo import ROOT

# The longest units of work, started first under `make test` (pytest-xdist takes the units in
# the order of the collection); the short ones fill the end.
LONGEST_FIRST = ["tests/browser/test_run_every_block.py", "tests/browser/test_run_controls.py", "tests/browser/"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The units of work of pytest-xdist's ``--dist loadgroup`` (`make test`): a test's file, as
    ``--dist loadfile`` makes them (a page's blocks run in order in one process), unless the test
    is marked ``xdist_group`` with a unit of its own. The browser's tests go first."""
    for item in items:
        if not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))

    def rank(item):
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=rank)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site as `mkdocs build --strict` makes it from the working tree.

    `make test` builds the site just before running pytest and names it in BACKPROP_SITE_DIR,
    so the build is not repeated; anywhere else the site is built into a temporary folder,
    so a stale site/ is never inspected.
    """
    named = os.environ.get("BACKPROP_SITE_DIR")
    if named:
        site = (ROOT / named).resolve()
        assert (site / "index.html").is_file(), f"BACKPROP_SITE_DIR={named} holds no built site"
        return site
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture(scope="session")
def own_collection() -> list[str]:
    """The test ids ``pytest --collect-only`` reports with the project's own configuration
    (testpaths, addopts, conftest hooks), run once from the repository in a fresh process. Its
    tests are one unit of work for pytest-xdist (``xdist_group("the project's own collection")``),
    so that one collection serves them all."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"collection failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return [line for line in result.stdout.splitlines() if "::" in line]
