"""The built site loads nothing from another origin: its math, fonts, styles and scripts are its own.

Only what a browser fetches by itself when it loads a page counts: `src` of scripts, images and
frames, `href` of stylesheets, icons and preloads, `url(...)` and `@import` in CSS, and URLs in
inline scripts. Links a reader clicks (repository, edit page, canonical URL) are not fetches.

Two fetches hide in Material's JavaScript rather than in the HTML, and are covered separately:
the GitHub API request for repository counts (switched off by overrides/partials/source.html)
and mermaid from a CDN for a diagram (the site has none: its figures are inline SVG). Its
only other one, a ResizeObserver polyfill, is for browsers that lack ResizeObserver (none
current). tests/browser/ loads the pages in Chromium and records any request to another origin.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from backprop_site.repo import ROOT

FETCHING_LINK_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
    "icon", "shortcut", "apple-touch-icon", "manifest",
}
SOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                "audio": "src", "embed": "src", "object": "data", "track": "src"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?P<url>[^'")\s]+)""")
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'"`<>)]*""", re.IGNORECASE)
# XML namespace names are identifiers that are never fetched.
NAMESPACES = ("http://www.w3.org/",)


def is_external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https")


class ResourceParser(HTMLParser):
    """Collects every URL a browser fetches on page load, and the text of inline scripts/styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched: list[str] = []
        self.inline: list[str] = []
        self._inline_tag = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SOURCE_ATTRS and attrs.get(SOURCE_ATTRS[tag]):
            self.fetched.append(attrs[SOURCE_ATTRS[tag]])
        if tag in ("img", "source") and attrs.get("srcset"):
            self.fetched += [item.split()[0] for item in attrs["srcset"].split(",") if item.strip()]
        if tag == "link" and attrs.get("href"):
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & FETCHING_LINK_RELS:
                self.fetched.append(attrs["href"])
        if attrs.get("style"):
            self.fetched += [m["url"] for m in CSS_URL.finditer(attrs["style"])]
        if tag in ("script", "style") and not attrs.get("src"):
            kind = attrs.get("type", "")
            # JSON data blocks (Material's __config) are data, not code that fetches.
            if tag == "style" or kind in ("", "module", "text/javascript"):
                self._inline_tag = tag
                self.inline.append("")

    def handle_endtag(self, tag):
        if tag == self._inline_tag:
            self._inline_tag = None

    def handle_data(self, data):
        if self._inline_tag:
            self.inline[-1] += data


def page_violations(html: str) -> list[str]:
    parser = ResourceParser()
    parser.feed(html)
    found = [f"fetches {url}" for url in parser.fetched if is_external(url)]
    for text in parser.inline:
        found += [f"inline code names {url}" for url in ABSOLUTE_URL.findall(text)
                  if not url.startswith(NAMESPACES)]
    return found


def test_parser_sees_each_kind_of_external_fetch():
    html = """
    <link rel="canonical" href="https://example.org/page/">
    <a href="https://example.org/">a link is not a fetch</a>
    <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
    <link rel="preconnect" href="https://fonts.gstatic.com">
    <script src="//cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>
    <script src="assets/mathjax/tex-chtml.js"></script>
    <script type="application/json">{"url": "https://example.org/data-not-code"}</script>
    <script type="module">const m = await import("https://cdnjs.cloudflare.com/mermaid.mjs")</script>
    <div style="background: url('https://example.org/bg.png')"></div>
    <svg xmlns="http://www.w3.org/2000/svg"></svg>
    """
    found = page_violations(html)
    expected = ["fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "bg.png"]
    for name in expected:
        assert any(name in item for item in found), f"{name} not reported; found {found}"
    assert len(found) == len(expected), f"unexpected reports: {found}"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_fetches_from_another_origin(built_site):
    pages = html_pages(built_site)
    assert len(pages) > 1, f"only {len(pages)} HTML page(s) in {built_site}"
    problems = {}
    for page in pages:
        found = page_violations(page.read_text(encoding="utf-8"))
        if found:
            problems[str(page.relative_to(built_site))] = found
    assert not problems, "pages load resources from other origins:\n" + "\n".join(
        f"  {page}: {items}" for page, items in problems.items()
    )


def test_no_stylesheet_fetches_from_another_origin(built_site):
    problems = []
    for css in sorted(built_site.rglob("*.css")):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            if is_external(match["url"]):
                problems.append(f"{css.relative_to(built_site)}: {match['url']}")
    assert not problems, "stylesheets load resources from other origins:\n  " + "\n  ".join(problems)


def site_path_prefix() -> str:
    """The path part of site_url: pages such as 404.html link assets from there (/name/assets/...)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url:\s*(\S+)", config, re.MULTILINE)[1]
    return urlsplit(site_url).path.rstrip("/") + "/"


def test_every_local_script_and_stylesheet_exists(built_site):
    """A relative asset path that points nowhere would make the page fall back or break silently."""
    prefix = site_path_prefix()
    missing = []
    for page in html_pages(built_site):
        parser = ResourceParser()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.fetched:
            if is_external(url) or url.startswith("data:"):
                continue
            path = urlsplit(url).path
            if path.startswith("/"):
                assert path.startswith(prefix), f"{page.relative_to(built_site)}: {url} is outside {prefix}"
                target = built_site / path.removeprefix(prefix)
            else:
                target = (page.parent / path).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(built_site)}: {url}")
    assert not missing, "assets referenced but not built:\n  " + "\n  ".join(missing)


def test_math_needs_no_script_and_no_font(built_site):
    """The build typesets the math (hooks/math_render.py): SVG in the pages, MathJax's stylesheet
    for it served by the site, and no MathJax script or font file left to fetch."""
    css = built_site / "assets" / "mathjax-svg.css"
    assert css.is_file() and 'mjx-container[jax="SVG"]' in css.read_text(encoding="utf-8"), css
    leftovers = [str(p.relative_to(built_site)) for p in built_site.rglob("*")
                 if p.suffix in {".js", ".woff", ".woff2"} and "mathjax" in p.name.lower()]
    assert not leftovers, f"MathJax files the pages no longer use: {leftovers}"
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "assets/mathjax-svg.css" in home and "<mjx-container" in home


def test_repository_link_does_not_query_the_github_api(built_site):
    """Material's JavaScript fetches star and fork counts for an element marked as the source."""
    marked = [str(p.relative_to(built_site)) for p in html_pages(built_site)
              if 'data-md-component="source"' in p.read_text(encoding="utf-8")]
    assert not marked, f"pages whose repository link asks api.github.com for counts: {marked}"


def test_no_mermaid_diagram(built_site):
    """Material fetches the mermaid library from a CDN to draw a diagram, and the site serves no
    copy of it: figures are inline SVG (src/backprop_site/figures), drawn in the build."""
    drawn = [str(p.relative_to(built_site)) for p in html_pages(built_site)
             if re.search(r'class="[^"]*\bmermaid\b', p.read_text(encoding="utf-8"))]
    assert not drawn, f"pages with a mermaid diagram, which would load mermaid from a CDN: {drawn}"
