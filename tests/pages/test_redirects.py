"""Old page URLs lead to where their content went (mkdocs-redirects, configured in mkdocs.yml)."""

import re
from pathlib import Path

import pytest

from backprop_site.repo import ROOT
REDIRECT = re.compile(r'<meta http-equiv="refresh" content="0; url=(?P<url>[^"]+)">')


def redirect_maps() -> dict[str, str]:
    """The redirect_maps of mkdocs.yml, old page -> new page (read as text: the file has tags)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"redirect_maps:\n((?:        .*\n)+)", config)
    assert block, "mkdocs.yml has no redirect_maps"
    return dict(re.findall(r"^\s+(\S+\.md):\s*(\S+\.md)\s*$", block[1], re.M))


def html_of(site: Path, page: str) -> Path:
    return site / page.removesuffix(".md") / "index.html"


def test_the_moved_pages_are_redirected():
    assert redirect_maps() == {
        "answer/notation.md": "answer/one-weight.md",
        "answer/textbook-vs-works.md": "answer/question.md",
        "answer/row-vs-column.md": "beyond/row-vs-column.md",
    }


@pytest.mark.parametrize("old, new", sorted(redirect_maps().items()))
def test_old_url_leads_to_the_new_page(built_site, old, new):
    assert not (ROOT / "docs" / old).exists(), f"{old} still exists: no redirect needed"
    assert (ROOT / "docs" / new).is_file(), f"{new} is not a page"
    stub = html_of(built_site, old)
    match = REDIRECT.search(stub.read_text(encoding="utf-8"))
    assert match, f"{stub} is not a redirect"
    target = (stub.parent / match["url"]).resolve() / "index.html"
    assert target == html_of(built_site, new).resolve(), f"{old} leads to {match['url']}"
    assert target.is_file()
