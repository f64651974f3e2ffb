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
