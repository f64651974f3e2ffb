"""One reading path through the built site: Home, the answer (the question first), beyond the
question, the notebooks, then what users and contributors of the code need. Read from the
navigation and the footer's Previous/Next links of the built HTML, as a reader meets them.
"""

import html.parser
from urllib.parse import urljoin, urlsplit

BASE = "https://site.invalid/"  # to resolve the pages' relative links into site paths

# The sections of the navigation in order, each with the folder its pages live in ("" for the
# pages at the top of docs/) and the pages that must open it.
SECTIONS = [
    (None, "", [""]),
    ("The answer", "answer/", ["answer/question/"]),
    ("Beyond the question", "beyond/", []),
    ("Notebooks", "notebooks/", []),
    ("For users and contributors", "", ["use-the-code/", "testing/", "performance/"]),
]


class _Nav(html.parser.HTMLParser):
    """The primary navigation's pages, in order, each with the section it is under, and the
    footer's Next link."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.entries: list[tuple[str | None, str]] = []  # (section title, site path)
        self.next: str | None = None
        self._depth = 0  # open <nav> elements inside the primary navigation
        self._toc = 0  # open <nav> elements of the page's table of contents
        self._section: str | None = None
        self._label: list[str] | None = None

    def _path(self, href: str) -> str:
        return urlsplit(urljoin(BASE + self.page, href)).path.lstrip("/")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "nav" and (self._depth or "md-nav--primary" in classes):
            self._depth += 1
            if self._toc or "md-nav--secondary" in classes:
                self._toc += 1
        elif tag == "label" and self._depth and (attrs.get("id") or "").endswith("_label"):
            self._label = []
        elif tag == "a" and self._depth and not self._toc and "md-nav__link" in classes:
            path = self._path(attrs.get("href", ""))
            if not self.entries or self.entries[-1][1] != path:
                self.entries.append((self._section, path))
        elif tag == "a" and "md-footer__link--next" in classes:
            self.next = self._path(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self._depth:
            self._depth -= 1
            self._toc = max(0, self._toc - 1)
        elif tag == "label" and self._label is not None:
            self._section = " ".join("".join(self._label).split())
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self._label.append(data)


def _read(site_dir, page: str) -> _Nav:
    parser = _Nav(page)
    parser.feed((site_dir / page / "index.html").read_text(encoding="utf-8"))
    return parser


def _built_pages(site_dir) -> set[str]:
    """Every page of the build, as a site path; not the assets, the search page or the
    redirect stubs of moved pages."""
    pages = set()
    for index in site_dir.rglob("index.html"):
        rel = index.parent.relative_to(site_dir)
        if rel.parts and rel.parts[0] in {"assets", "search"}:
            continue
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8")[:2000]:
            continue
        pages.add("".join(part + "/" for part in rel.parts))
    return pages


def test_navigation_follows_the_reading_path(built_site):
    entries = _read(built_site, "").entries
    assert entries[0] == (None, ""), f"the navigation does not open with Home: {entries[:2]}"
    sections = []
    for section, _ in entries:
        if not sections or sections[-1] != section:
            sections.append(section)
    assert sections == [title for title, _, _ in SECTIONS], sections
    for title, folder, first in SECTIONS:
        pages = [path for section, path in entries if section == title]
        assert pages[: len(first)] == first, f"{title}: opens with {pages[:len(first)]}, not {first}"
        if folder:
            everywhere = sorted(p for p in _built_pages(built_site) if p.startswith(folder))
            assert sorted(pages) == everywhere, f"{title}: {pages}, but {folder} holds {everywhere}"
    assert sorted(path for _, path in entries) == sorted(_built_pages(built_site)), (
        "pages of the build missing from the navigation, or listed twice")


def test_next_goes_through_every_page_in_navigation_order(built_site):
    """Home's Next is the question; following Next from there reads every page once, in the
    order of the navigation."""
    order = [path for _, path in _read(built_site, "").entries]
    assert _read(built_site, "").next == "answer/question/"
    walked = [""]
    while (step := _read(built_site, walked[-1]).next) is not None:
        assert step not in walked, f"Next from {walked[-1]} goes back to {step}"
        walked.append(step)
    assert walked == order, f"Next reads {walked}, the navigation lists {order}"
