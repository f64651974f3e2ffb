"""Fixtures shared by the tests that look at the built site."""

import os
from pathlib import Path

import pytest

from backprop_site.build import build as mkdocs_build
from backprop_site.repo import ROOT


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


# `make test` hands whole test files to its pytest-xdist workers in collection order
# (--dist loadfile --no-loadscope-reorder). The files that take longest go first, the other
# browser files next, so that no worker is left alone with a long file at the end; xdist's own
# order, the files with the most tests first, started the Run controls (18 tests, over a minute)
# among the last.
LONGEST_FIRST = ["tests/browser/test_run_controls.py", "tests/browser/test_pages.py",
                 "tests/browser/test_run_every_block.py"]


def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        if path in LONGEST_FIRST:
            return LONGEST_FIRST.index(path)
        return len(LONGEST_FIRST) + (0 if item.get_closest_marker("browser") else 1)

    items.sort(key=rank)  # stable: each file keeps its own order
