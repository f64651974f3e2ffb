"""What a reader sees: load built pages in Chromium, offline, and report what is broken.

The built site is served at its real ``site_url`` origin through Playwright's request routing
(Material's instant navigation only fires on the same origin), fulfilled from the files on disk.
Any request to another origin is recorded and aborted: the site must work offline and send
readers to no third party.

Every ``*_problems`` function returns a list of human-readable strings, empty when the page is
fine. The page tests and the broken fixture page call the same functions, so the fixture proves
each check can fail.
"""

from __future__ import annotations

import contextlib
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

# Launching Chromium and serving it the built site, shared with the benchmarks.
from backprop_site.browser import (  # noqa: F401
    CHROMIUM, DESKTOP, INSTALL_HINT, LAUNCH_ARGS, PHONE, TABLET, SiteServer, build_site, in_ci,
    launch, missing_browser_reason, page_id, page_paths_from_site, read_site_url, wait_until,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"


# ---------------------------------------------------------------------------------------------
# The site: where it is, which pages it has, how it is served
# ---------------------------------------------------------------------------------------------


def _notebook_patterns(config: Path) -> list[str]:
    """The ``include`` globs of the mkdocs-jupyter plugin in mkdocs.yml (relative to docs/)."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    with open(config, encoding="utf-8") as f:
        plugins = yaml.load(f, Loader=get_yaml_loader()).get("plugins", [])
    for plugin in plugins:
        if isinstance(plugin, dict) and "mkdocs-jupyter" in plugin:
            return list((plugin["mkdocs-jupyter"] or {}).get("include", []))
    return []


def page_paths_from_docs(docs_dir: Path = ROOT / "docs", config: Path = ROOT / "mkdocs.yml"):
    """URL paths (relative to site_url, '' for the home page) of every page the build makes.

    Read from the sources (directory URLs: ``a/b.md`` -> ``a/b/``, ``a/index.md`` -> ``a/``, plus
    the notebooks matching mkdocs-jupyter's include globs), so tests can be collected without a
    build. ``test_every_built_page_is_tested`` checks this list against the built site.
    """
    sources = set(docs_dir.rglob("*.md"))
    for pattern in _notebook_patterns(config):
        sources.update(docs_dir.glob(pattern))
    paths = []
    for src in sources:
        rel = src.relative_to(docs_dir).with_suffix("")
        parts = rel.parts[:-1] if rel.name in {"index", "README"} else rel.parts
        paths.append("".join(part + "/" for part in parts))
    return sorted(set(paths), key=lambda p: (p != "", p))


def pages_to_test() -> list[str]:
    """The pages of the build `make test` made (BACKPROP_SITE_DIR), else the pages of docs/."""
    named = os.environ.get("BACKPROP_SITE_DIR")
    if named and ((ROOT / named) / "index.html").is_file():
        return page_paths_from_site((ROOT / named).resolve())
    return page_paths_from_docs()


def build_fixture_site(fixture_docs: Path, tmp_dir: Path) -> Path:
    """Build a small docs folder with the real mkdocs.yml settings (theme, extensions, hooks).

    The config INHERITs mkdocs.yml and replaces only what points into the repository: the docs
    folder (the site's non-page files, e.g. javascripts/ and stylesheets/, plus the fixture pages),
    the nav, the paths of the hooks and theme overrides, and the plugins (search only: no notebooks).
    """
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        parent = yaml.load(f, Loader=get_yaml_loader())
    docs = tmp_dir / "docs"
    shutil.copytree(
        ROOT / "docs", docs, ignore=shutil.ignore_patterns("*.md", "*.ipynb", "notebooks")
    )
    shutil.copytree(fixture_docs, docs, dirs_exist_ok=True)
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "watch": [],
        "hooks": [str(ROOT / hook) for hook in parent.get("hooks", [])],
        "plugins": ["search"],
        "nav": sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")),
    }
    if parent.get("theme", {}).get("custom_dir"):
        config["theme"] = {"custom_dir": str(ROOT / parent["theme"]["custom_dir"])}
    config_file = tmp_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    # The broken page's bad TeX is typeset as MathJax shows it (an error, raw TeX), not a
    # failed build: it is there for the browser checks to catch (hooks/math_render.py).
    return build_site(config_file, tmp_dir / "site", env={"BACKPROP_MATH_ERRORS": "show"})


# ---------------------------------------------------------------------------------------------
# What to expect from the static HTML (independent of the browser)
# ---------------------------------------------------------------------------------------------


@dataclass
class CodeBlock:
    """One highlighted code block of a built page, as written in the HTML."""

    index: int  # among the page's div.highlight > pre, in page order
    language: str  # from a language-X class ('' when the build does not write one)
    notest: bool  # the fence is preceded by <!-- notest: reason -->
    text: str = ""

    def is_python(self) -> bool:
        """A python block: by its language class, else (no class written) if it compiles."""
        if self.language:
            return self.language in {"python", "py", "python3"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. an invalid escape: still python
            try:
                compile(self.text, f"<block {self.index}>", "exec")
            except (SyntaxError, ValueError):
                return False
        return True


class _CodeBlockParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[CodeBlock] = []
        self._last_comment: str | None = None
        self._language: str | None = None  # set by a div.highlight until its <pre>
        self._notest = False
        self._pre: CodeBlock | None = None
        self._in_code = 0

    def handle_comment(self, data):
        self._last_comment = data.strip()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "highlight" in classes:
            langs = [c[len("language-") :] for c in classes if c.startswith("language-")]
            self._language = langs[0] if langs else ""
            self._notest = bool(self._last_comment and self._last_comment.startswith("notest"))
        elif tag == "pre" and self._language is not None:
            self._pre = CodeBlock(len(self.blocks), self._language, self._notest)
            self._language = None
        elif tag == "code" and self._pre is not None:
            self._in_code += 1
        self._last_comment = None

    def handle_endtag(self, tag):
        if tag == "code" and self._in_code:
            self._in_code -= 1
        elif tag == "pre" and self._pre is not None:
            self.blocks.append(self._pre)
            self._pre = None

    def handle_data(self, data):
        if self._in_code:
            self._pre.text += data
        elif data.strip():
            self._last_comment = None


def code_blocks(html_file: Path) -> list[CodeBlock]:
    """Code blocks of a built page, in page order, with their text as a copy button should give it.

    Material's copy button copies the block's text with trailing whitespace removed (trimEnd).
    """
    parser = _CodeBlockParser()
    parser.feed(html_file.read_text(encoding="utf-8"))
    for block in parser.blocks:
        block.text = block.text.rstrip()
    return parser.blocks


# ---------------------------------------------------------------------------------------------
# Checks on a live page
# ---------------------------------------------------------------------------------------------

# Resolve once the page has loaded and its fonts are in. The build typesets the math
# (hooks/math_render.py): a page that loads MathJax would typeset it a second time.
SETTLE_JS = """async () => {
  const settled = (async () => {
    if (document.readyState !== "complete") {
      await new Promise(r => window.addEventListener("load", r, {once: true}));
    }
    await document.fonts.ready;
    return window.MathJax ? "MathJax is loaded in the browser, though the build typesets the math" : "";
  })();
  const late = new Promise(r => setTimeout(() => r("the page or its fonts not loaded within 20 s"), 20000));
  return Promise.race([settled, late]);
}"""

# The TeX of a typeset formula: the build keeps it in data-tex (docs/javascripts/math.js copies it).
TEX_OF_JS = """const texOf = (container) => container.getAttribute("data-tex") ?? container.textContent;"""

MATH_STATE_JS = r"""() => {
  """ + TEX_OF_JS + r"""
  const short = (s) => s.replace(/\s+/g, " ").trim().slice(0, 100);
  const state = {count: 0, untypeset: [], repeated: [], noTex: [], noGlyphs: [], errors: [], rawTex: []};
  const nodes = document.querySelectorAll(".arithmatex");
  state.count = nodes.length;
  for (const el of nodes) {
    const containers = el.querySelectorAll("mjx-container");
    if (containers.length === 0) state.untypeset.push(short(el.textContent));
    if (containers.length > 1) state.repeated.push(`${containers.length} times: ` + short(texOf(containers[0])));
  }
  // Math outside .arithmatex (notebook Markdown cells): typeset twice shows as nested containers.
  for (const inner of document.querySelectorAll("mjx-container mjx-container")) {
    state.repeated.push("nested: " + short(texOf(inner)));
  }
  for (const container of document.querySelectorAll("mjx-container:not([data-tex])")) {
    state.noTex.push(short(container.textContent));
  }
  // The glyphs are outlines defined once per page (hooks/math_render.py): a formula whose
  // <use> points at none shows blank.
  for (const container of document.querySelectorAll("mjx-container")) {
    const missing = [...container.querySelectorAll("use")]
      .filter((use) => !document.getElementById(use.href.baseVal.slice(1))).length;
    if (missing) state.noGlyphs.push(`${missing} glyph(s) in ` + short(texOf(container)));
  }
  // A TeX error is typeset as an merror (the build fails on one; the fixture page shows one).
  for (const err of document.querySelectorAll('mjx-container [data-mml-node="merror"]')) {
    state.errors.push(short((err.getAttribute("data-mjx-error") || err.textContent) +
                            " in " + texOf(err.closest("mjx-container"))));
  }
  // TeX left as text anywhere a reader can see it (code, scripts and typeset math excluded).
  const tex = /\\[A-Za-z]{2,}|\\[()\[\]]|\$\$|\$[^\s$][^$]*\$/;
  const skip = "pre, code, kbd, script, style, textarea, mjx-container, svg";
  // Never shown: display:none, except an inactive content tab (a click shows it). A closed
  // <details> is not display:none, so its content is checked.
  const neverShown = new Map();
  const isNeverShown = (el) => {
    if (!el || el === document.body) return false;
    if (!neverShown.has(el)) {
      const none = getComputedStyle(el).display === "none" && !el.classList.contains("tabbed-block");
      neverShown.set(el, none || isNeverShown(el.parentElement));
    }
    return neverShown.get(el);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || isNeverShown(parent)) continue;
    if (tex.test(node.textContent)) {
      const where = parent.closest("nav") ? "navigation or table of contents" : "page";
      const found = short(node.textContent) + ` (in the ${where})`;
      if (!state.rawTex.includes(found)) state.rawTex.push(found);
    }
  }
  return state;
}"""


def settle(page) -> list[str]:
    """Wait until the page has loaded and its fonts are in; a page running MathJax is a problem."""
    problem = page.evaluate(SETTLE_JS)
    return [problem] if problem else []


@contextlib.contextmanager
def settled_page(browser, server: SiteServer, path: str, **context_options):
    """path, served by server in a fresh 1280x800 context without motion (context_options go to
    new_context), loaded and settled; the context is closed afterwards."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce", **context_options)
    try:
        server.attach(context)
        page = context.new_page()
        page.goto(server.url(path), wait_until="load")
        assert settle(page) == []
        yield page
    finally:
        context.close()


def math_problems(page) -> list[str]:
    """Every .arithmatex typeset exactly once with its TeX kept and its glyphs on the page, no
    TeX error, no raw TeX.

    (An undefined macro is a TeX error: the build loads no package that would draw it as red
    text, and fails on it.)"""
    state = page.evaluate(MATH_STATE_JS)
    problems = []
    problems += [f"math not typeset (raw TeX left): {t}" for t in state["untypeset"]]
    problems += [f"math typeset more than once, {t}" for t in state["repeated"]]
    problems += [f"typeset math without its TeX (data-tex): {t}" for t in state["noTex"]]
    problems += [f"math drawn blank, its glyphs not on the page: {t}" for t in state["noGlyphs"]]
    problems += [f"TeX error: {t}" for t in state["errors"]]
    problems += [f"raw TeX visible: {t}" for t in state["rawTex"]]
    return problems


# Colours in the browser: parse a computed rgb()/rgba() colour, lay a colour over a background,
# and WCAG's relative luminance and contrast ratio. Shared by the math and figure checks.
COLOUR_JS = r"""
  const rgba = (css) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (c, bg) => ({r: c.r * c.a + bg.r * (1 - c.a), g: c.g * c.a + bg.g * (1 - c.a),
                            b: c.b * c.a + bg.b * (1 - c.a), a: 1});
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
"""


# The background behind an element: the first opaque one up the tree, with the translucent ones
# between blended over it (after COLOUR_JS).
BACKGROUND_JS = r"""
  const background = (el) => {  // the first opaque background behind el, blended upwards
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
"""


# Each typeset formula a reader could see: its box and the contrast of its colour (the glyphs
# are drawn in currentColor) with the background behind it.
MATH_VISIBILITY_JS = r"""() => {
  """ + TEX_OF_JS + r"""
  """ + COLOUR_JS + r"""
  const backgrounds = new Map();
  const background = (el) => {  // the opaque background behind el, blended upwards
    if (!el) return {r: 255, g: 255, b: 255, a: 1};
    if (!backgrounds.has(el)) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      backgrounds.set(el, c && c.a >= 1 ? c : c && c.a > 0 ? over(c, background(el.parentElement))
                                                            : background(el.parentElement));
    }
    return backgrounds.get(el);
  };
  const found = [];
  for (const container of document.querySelectorAll("mjx-container")) {
    const svg = container.querySelector(":scope > svg");
    if (!svg || svg.getClientRects().length === 0) continue;  // in a closed tab or hidden
    const box = svg.getBoundingClientRect();
    const color = rgba(getComputedStyle(svg).color);
    const bg = background(container);
    found.push({tex: texOf(container).replace(/\s+/g, " ").trim().slice(0, 80),
                width: box.width, height: box.height,
                ratio: color ? contrast(over(color, bg), bg) : 0});
  }
  return found;
}"""


def math_visibility_problems(page, where: str) -> list[str]:
    """Every formula shown has a size and contrasts with its background (WCAG AA for text).

    where: the scheme and width, e.g. "dark, desktop", to name in the problems."""
    problems = []
    for math in page.evaluate(MATH_VISIBILITY_JS):
        if math["width"] <= 0 or math["height"] <= 0:
            problems.append(f"math with no size ({where}): {math['tex']}")
        elif math["ratio"] < MIN_TEXT_CONTRAST:
            problems.append(f"math contrast {math['ratio']:.2f} with its background, less than "
                            f"{MIN_TEXT_CONTRAST} ({where}): {math['tex']}")
    return problems


# Every typeset formula of the page content, in page order: its drawn box, the px of one math em
# against the font size of the text around it, and whether some box clips it. Closed <details>
# holding math are opened for the measurement and closed again; a formula in a hidden tab is
# not shown.
MATH_BOXES_JS = r"""() => {
  """ + TEX_OF_JS + r"""
  const closed = [...document.querySelectorAll("article details:not([open])")]
    .filter(d => d.querySelector("mjx-container"));
  closed.forEach(d => { d.open = true; });
  const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
    [...el.classList].slice(0, 2).map(c => "." + c).join("") + ">";
  const styles = new Map();  // many formulas share their ancestors
  const style = (el) => {
    if (!styles.has(el)) {
      const st = getComputedStyle(el);
      styles.set(el, {overflowX: st.overflowX, overflowY: st.overflowY});
    }
    return styles.get(el);
  };
  // The first box around the formula that clips it sideways (overflow-x other than visible)
  // must hold all of it, or scroll to all of it; likewise the first that clips it vertically.
  const clipped = (svg, r) => {
    const found = [];
    let x = false, y = false;
    for (let a = svg.parentElement; a && !(x && y); a = a.parentElement) {
      if (a === document.documentElement) {  // the page itself must not scroll sideways
        if (!x && (r.left + scrollX < -0.5 || r.right + scrollX > a.clientWidth + 0.5))
          found.push(`past the page's edge (${Math.round(r.left)} to ${Math.round(r.right)} px ` +
                     `of ${a.clientWidth})`);
        break;
      }
      const st = style(a);
      if (st.overflowX === "visible" && st.overflowY === "visible") continue;
      const box = a.getBoundingClientRect();
      if (!x && st.overflowX !== "visible") {
        x = true;
        const scrolls = st.overflowX === "auto" || st.overflowX === "scroll";
        const start = r.left - box.left - a.clientLeft + a.scrollLeft;
        const end = r.right - box.left - a.clientLeft + a.scrollLeft;
        const reach = scrolls ? a.scrollWidth : a.clientWidth;
        if (start < -0.5 || end > reach + 0.5)
          found.push(`cut sideways by ${name(a)} (overflow-x ${st.overflowX}): drawn from ` +
                     `${start.toFixed(0)} to ${end.toFixed(0)} px, ${reach} px reachable`);
      }
      if (!y && st.overflowY !== "visible") {
        y = true;
        const scrolls = st.overflowY === "auto" || st.overflowY === "scroll";
        const start = r.top - box.top - a.clientTop + a.scrollTop;
        const end = r.bottom - box.top - a.clientTop + a.scrollTop;
        const reach = scrolls ? a.scrollHeight : a.clientHeight;
        if (start < -0.5 || end > reach + 0.5)
          found.push(`cut vertically by ${name(a)} (overflow-y ${st.overflowY}): drawn from ` +
                     `${start.toFixed(0)} to ${end.toFixed(0)} px, ${reach} px reachable`);
      }
    }
    return found;
  };
  const boxes = [...document.querySelectorAll("article mjx-container")].map((container) => {
    const svg = container.querySelector(":scope > svg");
    const tex = texOf(container).replace(/\s+/g, " ").trim().slice(0, 80);
    if (!svg || svg.getClientRects().length === 0) return {tex, shown: false};
    const r = svg.getBoundingClientRect();
    // MathJax draws 1000 viewBox units to the em; a numbered display formula's outer svg is
    // 100% wide with no viewBox (its height is compared, not its width).
    const view = svg.getAttribute("viewBox");
    const viewHeight = view ? Number(view.trim().split(/[\s,]+/)[3]) : 0;
    return {tex, shown: true, width: r.width, height: r.height,
            fixedWidth: !(svg.getAttribute("width") || "").endsWith("%"),
            emPx: viewHeight > 0 ? r.height / viewHeight * 1000 : null,
            fontPx: parseFloat(getComputedStyle(container).fontSize),
            clipped: clipped(svg, r)};
  });
  closed.forEach(d => { d.open = false; });
  return boxes;
}"""

# How much smaller than at 1280 px a formula may be drawn: half a pixel or 1 %, whichever is
# more (sub-pixel rounding; the build sizes every formula in ex, so a formula drawn at its size
# measures the same at every width).
SHRINK_PX = 0.5
SHRINK_FRACTION = 0.01
# One em of math at least this many times the font size of the text around it (MathJax's em
# is about 1.25 times the text's with the system fonts: math in a table cell or caption is as
# large as the cell's or caption's text).
MIN_MATH_EM = 0.9


def math_boxes(page) -> list[dict]:
    """Every formula of the page content as drawn now (see MATH_BOXES_JS)."""
    return page.evaluate(MATH_BOXES_JS)


def _smaller(size: float, reference: float) -> bool:
    return size < reference - max(SHRINK_PX, SHRINK_FRACTION * reference)


def math_size_problems(reference: list[dict], boxes: list[dict], where: str) -> list[str]:
    """Every formula drawn at its size: not smaller than in reference (the same page at 1280 px,
    light), not gone where it was shown, one math em at least MIN_MATH_EM times the font size
    around it, and no part cut off by a box that does not scroll to it.

    where: the scheme and width, e.g. "dark, 390 px", to name in the problems."""
    if len(boxes) != len(reference):
        return [f"{len(boxes)} formulas ({where}), {len(reference)} at 1280 px"]
    problems = []
    for ref, now in zip(reference, boxes):
        tex = now["tex"]
        if not now["shown"]:
            if ref["shown"]:
                problems.append(f"formula not shown ({where}), shown at 1280 px: {tex}")
            continue
        if ref["shown"] and (_smaller(now["height"], ref["height"]) or (
                now["fixedWidth"] and _smaller(now["width"], ref["width"]))):
            problems.append(
                f"formula shrunk to {now['width']:.0f}x{now['height']:.1f} px ({where}) from "
                f"{ref['width']:.0f}x{ref['height']:.1f} px at 1280 px: {tex}")
        if now["emPx"] is not None and now["emPx"] < MIN_MATH_EM * now["fontPx"]:
            problems.append(
                f"formula drawn with a {now['emPx']:.1f} px em in {now['fontPx']:.1f} px text, "
                f"less than {MIN_MATH_EM} of it ({where}): {tex}")
        problems += [f"formula {cut} ({where}): {tex}" for cut in now["clipped"]]
    return problems


class Recorder:
    """Console errors and warnings, page errors, failed and external requests of one page."""

    def __init__(self, page, server: SiteServer):
        self.server = server
        self.external_before = len(server.external)
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type in {"error", "warning"}:
            loc = message.location or {}
            where = f" at {loc.get('url', '')}:{loc.get('lineNumber', '')}" if loc.get("url") else ""
            self.console.append(f"{message.type}: {message.text}{where}")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def problems(self) -> list[str]:
        external = self.server.external[self.external_before :]
        return (
            [f"request leaving the site: {url}" for url in external]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"console {c}" for c in self.console]
            + [f"failed request: {f}" for f in self.failed]
        )


def image_alt_problems(page) -> list[str]:
    """Every <img> has a non-empty alt text."""
    missing = page.evaluate(
        """() => [...document.querySelectorAll("img")]
             .filter(img => !(img.getAttribute("alt") || "").trim())
             .map(img => img.getAttribute("src") || img.outerHTML.slice(0, 80))"""
    )
    return [f"image without alt text: {src}" for src in missing]


def heading_problems(page) -> list[str]:
    """Headings of the page content start at h1 and never skip a level going down."""
    headings = page.evaluate(
        """() => [...document.querySelectorAll(
               "article h1, article h2, article h3, article h4, article h5, article h6")]
             .map(h => [Number(h.tagName[1]), h.textContent.replace("¶", "").trim().slice(0, 60)])"""
    )
    problems = []
    if not headings:
        return ["page content has no heading"]
    if headings[0][0] != 1:
        problems.append(f"first heading is h{headings[0][0]} {headings[0][1]!r}, not h1")
    for (level_a, text_a), (level_b, text_b) in zip(headings, headings[1:]):
        if level_b > level_a + 1:
            problems.append(f"heading skips a level: h{level_a} {text_a!r} -> h{level_b} {text_b!r}")
    return problems


# The site's figures (src/backprop_site/figures): <figure class="bpf-figure"> holding inline SVGs.
FIGURE_SELECTOR = "figure.bpf-figure"
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for text
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG AA for lines and shapes a reader must see
MIN_FONT_PX = 8.0  # the smallest text (sub- and superscripts) at phone width, in CSS pixels

FIGURE_STATE_JS = r"""(selector) => {
  """ + COLOUR_JS + BACKGROUND_JS + r"""
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === "none" || st.visibility === "hidden" || Number(st.opacity) === 0) return false;
    }
    return true;
  };
  const short = (s) => (s || "").replace(/\s+/g, " ").trim().slice(0, 40);
  return [...document.querySelectorAll(selector)].map((fig, index) => {
    const bg = background(fig);
    const state = {id: fig.id || `figure ${index + 1}`, caption: short(fig.querySelector("figcaption")?.textContent),
                   svgs: [], shown: shown(fig)};
    // The figure's own drawings, not the typeset math of its caption (also SVG).
    for (const svg of [...fig.querySelectorAll("svg")].filter((s) => !s.closest("mjx-container"))) {
      const box = svg.getBoundingClientRect();
      const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const named = ids.map((id) => document.getElementById(id)).filter((e) => e && svg.contains(e));
      const view = svg.viewBox && svg.viewBox.baseVal;
      const scale = view && view.width ? box.width / view.width : 1;
      const texts = [], strokes = [];
      let smallest = Infinity, smallestText = "";
      for (const el of svg.querySelectorAll("text, tspan")) {
        const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
        if (!own) continue;
        const st = getComputedStyle(el);
        const fill = rgba(st.fill);
        if (fill) texts.push({text: short(own), ratio: contrast(over(fill, bg), bg)});
        const px = parseFloat(st.fontSize) * scale;
        if (px < smallest) { smallest = px; smallestText = short(own); }
      }
      for (const el of svg.querySelectorAll("line, circle, rect, path, polyline")) {
        const stroke = rgba(getComputedStyle(el).stroke);
        if (stroke && stroke.a > 0) strokes.push({what: el.tagName + (el.getAttribute("class") ? "." + el.getAttribute("class").replace(/ /g, ".") : ""),
                                                  ratio: contrast(over(stroke, bg), bg)});
      }
      state.svgs.push({width: box.width, height: box.height, right: box.right, role: svg.getAttribute("role"),
                       title: short(named.find((e) => e.tagName.toLowerCase() === "title")?.textContent),
                       desc: short(named.find((e) => e.tagName.toLowerCase() === "desc")?.textContent),
                       texts, strokes, smallest, smallestText});
    }
    return state;
  });
}"""


def figure_states(page) -> list[dict]:
    """What the browser shows of each figure on the page (see FIGURE_STATE_JS)."""
    return page.evaluate(FIGURE_STATE_JS, FIGURE_SELECTOR)


def figure_problems(page, where: str, check_font: bool = False) -> list[str]:
    """Every figure shown, with a non-zero box, alt text (title and desc), a caption, text and
    lines that contrast with the background; at phone width (check_font) text large enough.

    where: the scheme and width, e.g. "dark, phone", to name in the problems.
    """
    problems = []
    for fig in figure_states(page):
        name = f"{fig['id']} ({where})"
        if not fig["shown"]:
            problems.append(f"{name}: not shown (display none, hidden or transparent)")
        if not fig["caption"]:
            problems.append(f"{name}: no figcaption text")
        if not fig["svgs"]:
            problems.append(f"{name}: holds no svg")
        for k, svg in enumerate(fig["svgs"], start=1):
            label = f"{name} svg {k}"
            if svg["width"] <= 0 or svg["height"] <= 0:
                problems.append(f"{label}: no size on the page ({svg['width']} x {svg['height']} px)")
            if svg["role"] != "img" or not svg["title"] or not svg["desc"]:
                problems.append(f"{label}: no alt text: role={svg['role']!r}, title {svg['title']!r}, "
                                f"desc {svg['desc']!r} (aria-labelledby must name its <title> and <desc>)")
            if not svg["texts"]:
                problems.append(f"{label}: no text")
            low = [t for t in svg["texts"] if t["ratio"] < MIN_TEXT_CONTRAST]
            if low:
                worst = min(low, key=lambda t: t["ratio"])
                problems.append(f"{label}: {len(low)} text(s) contrast less than {MIN_TEXT_CONTRAST} "
                                f"with the background, e.g. {worst['text']!r} at {worst['ratio']:.2f}")
            faint = [t for t in svg["strokes"] if t["ratio"] < MIN_GRAPHIC_CONTRAST]
            if faint:
                worst = min(faint, key=lambda t: t["ratio"])
                problems.append(f"{label}: {len(faint)} line(s) contrast less than "
                                f"{MIN_GRAPHIC_CONTRAST}, e.g. {worst['what']} at {worst['ratio']:.2f}")
            if check_font and svg["texts"] and svg["smallest"] < MIN_FONT_PX:
                problems.append(f"{label}: text {svg['smallestText']!r} is {svg['smallest']:.1f} px, "
                                f"less than {MIN_FONT_PX} px")
    return problems


# Every control a reader can press: buttons (Run, Edit, Reset, Stop; Material's copy, header
# and back-to-top buttons; the math menu's item), the header's icon labels (palette, search,
# menu) and the page's edit link. Each one shown is measured: its box, and the contrast of its
# colour (its text, or its icon drawn in currentColor) with the background behind it.
CONTROL_SELECTOR = ("button, [role=button], a.md-button, a.md-content__button, "
                    "label.md-header__button")
MIN_TARGET_PX = 24  # WCAG 2.2 target size (minimum), in CSS pixels
MIN_ICON_CONTRAST = 3.0  # WCAG non-text contrast, for a control that is only an icon

CONTROL_STATE_JS = r"""(selector) => {
  """ + COLOUR_JS + BACKGROUND_JS + r"""
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.disabled) continue;
    // not drawn: e.g. inside a closed <details>, whose styles Chromium leaves stale
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    let opacity = 1, hidden = false;
    for (let e = el; e; e = e.parentElement) {
      const st = getComputedStyle(e);
      opacity *= Number(st.opacity);
      hidden = hidden || st.visibility === "hidden" || st.display === "none";
    }
    if (hidden || opacity === 0) continue;
    const color = rgba(getComputedStyle(el).color);
    const bg = background(el);
    const text = el.textContent.replace(/\s+/g, " ").trim();
    found.push({name: (text || el.title || el.getAttribute("aria-label") || el.className).slice(0, 40),
                what: el.tagName.toLowerCase() + [...el.classList].slice(0, 2).map(c => "." + c).join(""),
                text: Boolean(text), width: box.width, height: box.height,
                ratio: color ? contrast(over({...color, a: color.a * opacity}, bg), bg) : 0});
  }
  return found;
}"""


def control_problems(page, where: str) -> list[str]:
    """Every control shown is at least MIN_TARGET_PX square, and its text contrasts with the
    background by MIN_TEXT_CONTRAST (an icon-only control by MIN_ICON_CONTRAST). Disabled
    controls are left out, as WCAG leaves them out.

    where: the scheme and width, e.g. "dark, 390 px", to name in the problems."""
    problems = []
    for c in page.evaluate(CONTROL_STATE_JS, CONTROL_SELECTOR):
        name = f"{c['what']} {c['name']!r} ({where})"
        if c["width"] < MIN_TARGET_PX - 0.01 or c["height"] < MIN_TARGET_PX - 0.01:
            problems.append(f"{name}: {c['width']:.1f}x{c['height']:.1f} px, less than "
                            f"{MIN_TARGET_PX}x{MIN_TARGET_PX}")
        least = MIN_TEXT_CONTRAST if c["text"] else MIN_ICON_CONTRAST
        if c["ratio"] < least:
            kind = "text" if c["text"] else "icon"
            problems.append(f"{name}: {kind} contrast {c['ratio']:.2f}, less than {least}")
    counts = {p: problems.count(p) for p in problems}  # e.g. one copy button per code block
    return [p if n == 1 else f"{p} ({n} of them)" for p, n in counts.items()]


HIDE_HEADER = ".md-header, .md-tabs, .md-top { visibility: hidden !important; }"


def figure_screenshots(page, directory: Path, path: str, name: str) -> list[Path]:
    """One screenshot of each figure on the page, named page--figure-id--name.png."""
    files = []
    for k, fig in enumerate(figure_states(page), start=1):
        ident = fig["id"] if fig["id"] != f"figure {k}" else f"figure-{k}"
        file = directory / f"{page_id(path).replace('/', '__')}--{ident}--{name}.png"
        # without Material's fixed header and back-to-top button, which can cover a figure
        page.locator(FIGURE_SELECTOR).nth(k - 1).screenshot(path=str(file), style=HIDE_HEADER)
        files.append(file)
    return files


FIGURE_FENCE = re.compile(
    r'^\s*(?P<fence>`{3,}|~{3,})\{[^}]*\bhtml="on"[^}]*\}\s*\n(?P<body>.*?)^\s*(?P=fence)\s*$',
    re.MULTILINE | re.DOTALL,
)


def figure_fences(markdown: str) -> int:
    """How many figure fences a page's source has: ```` ```{.python html="on" ...} ```` fences
    that print a figure of backprop_site.figures (other HTML fences print sentences or tables)."""
    return sum("backprop_site.figures" in m["body"] for m in FIGURE_FENCE.finditer(markdown))


def page_source(path: str, docs_dir: Path = ROOT / "docs") -> Path | None:
    """The Markdown file a page path comes from ('' is docs/index.md), or None (a notebook)."""
    stem = path.rstrip("/")
    candidates = [docs_dir / "index.md"] if not stem else [docs_dir / stem / "index.md",
                                                           docs_dir / f"{stem}.md"]
    return next((c for c in candidates if c.is_file()), None)


OVERFLOW_JS = r"""() => {
  """ + TEX_OF_JS + r"""
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth <= width) return {scrollWidth, width, culprits: []};
  const describe = (el) => {
    const math = el.closest("mjx-container");
    if (math) {
      const what = el === math ? "math" : `math (its <${el.tagName.toLowerCase()}>)`;
      return `${what} ${texOf(math)} reaching ${Math.round(el.getBoundingClientRect().right)}px`;
    }
    const cls = [...el.classList].slice(0, 3).map(c => "." + c).join("");
    const text = el.textContent.replace(/\s+/g, " ").trim().slice(0, 60);
    const where = el.closest("[id]");
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> ` +
           `reaching ${Math.round(el.getBoundingClientRect().right)}px` +
           (where && where !== el ? ` in #${where.id}` : "") + (text ? `: "${text}"` : "");
  };
  const culprits = [];
  const flagged = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= width + 0.5) continue;
    let contained = false;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === "fixed" || (a !== el && style.overflowX !== "visible")) { contained = true; break; }
    }
    if (contained) continue;
    flagged.add(el);
    if (!flagged.has(el.parentElement)) culprits.push(describe(el));
  }
  return {scrollWidth, width, culprits};
}"""


def overflow_problems(page) -> list[str]:
    """The page does not scroll sideways; if it does, name the outermost elements sticking out."""
    state = page.evaluate(OVERFLOW_JS)
    if state["scrollWidth"] <= state["width"]:
        return []
    return [
        f"page scrolls sideways at {state['width']}px: scrollWidth {state['scrollWidth']}px; "
        "sticking out: " + "; ".join(state["culprits"][:5] or ["(no element found)"])
    ]


# Where, from the top of the document, the page's content shows a typeset equation and texts:
# for the equation, the lowest edge of the first visible typeset formula whose TeX holds
# `tex` (white space ignored); for each text, of its first visible occurrence inside one text
# node. null when not found (or found only hidden, e.g. in a closed <details>).
FIRST_SCREEN_JS = r"""([tex, texts]) => {
  const squeeze = (s) => s.replace(/\s+/g, "");
  const content = document.querySelector("article") || document.body;
  const visibleBottom = (rect) =>
    rect.width > 0 && rect.height > 0 ? rect.bottom + window.scrollY : null;
  let math = null;
  for (const root of content.querySelectorAll("mjx-container[data-tex]")) {
    if (!squeeze(root.getAttribute("data-tex")).includes(squeeze(tex))) continue;
    if (root.querySelector('[data-mml-node="merror"]')) continue;
    const bottom = visibleBottom(root.getBoundingClientRect());
    if (bottom !== null && (math === null || bottom < math)) math = bottom;
  }
  const found = {};
  for (const text of texts) {
    found[text] = null;
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.nodeValue.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const bottom = visibleBottom(range.getBoundingClientRect());
      if (bottom !== null) { found[text] = bottom; break; }
    }
  }
  return {math, texts: found, height: window.innerHeight, width: window.innerWidth};
}"""


def first_screen_problems(page, tex: str, texts: list[str], screens: float = 1) -> list[str]:
    """The typeset equation holding `tex` and each of `texts` end within the first `screens`
    screen heights of the page (scrolled to the top), at the page's current viewport size."""
    page.evaluate("() => window.scrollTo(0, 0)")
    next_frame(page)
    state = page.evaluate(FIRST_SCREEN_JS, [tex, texts])
    limit = screens * state["height"]
    where = f"{screens:g} screen(s) of {state['width']}x{state['height']} ({limit:.0f}px)"
    found = [(f"equation {tex}", state["math"])]
    found += [(f"text {text!r}", state["texts"][text]) for text in texts]
    problems = []
    for what, bottom in found:
        if bottom is None:
            problems.append(f"{what} not found (typeset and visible) on the page")
        elif bottom > limit + 0.5:
            problems.append(f"{what} ends at {bottom:.0f}px, below the first {where}")
    return problems


def switch_scheme(page, scheme: str, wait_ms: int = 3000) -> list[str]:
    """Click the header's palette toggle until the body has `scheme` ('default' or 'slate').

    wait_ms: how long the scheme may take to change after the click (Material changes it at
    once; the fixture test, whose toggle does nothing, waits less).
    """
    current = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    if current != scheme:
        toggle = page.locator("form[data-md-component=palette] label.md-header__button:visible")
        try:
            toggle.first.click(timeout=5000)
        except Exception as error:  # noqa: BLE001 - reported as a problem of the page
            return [f"no visible palette toggle to switch to {scheme!r}: {str(error).splitlines()[0]}"]
        try:
            wait_until(page, "s => document.body.getAttribute('data-md-color-scheme') === s", scheme,
                       timeout_ms=wait_ms)
        except Exception:  # reported below with the scheme the page has
            pass
    now = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    return [] if now == scheme else [f"palette toggle gave scheme {now!r}, not {scheme!r}"]


def next_frame(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


# Every code block's scroll box, inputs and printed outputs alike, at the current width.
# Closed <details> are opened for the measurement (their blocks have no width while closed)
# and closed again; a block is named by its first line and the heading above it.
CODE_SCROLL_JS = r"""() => {
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach(d => { d.open = true; });
  const wide = [];
  const headings = [...document.querySelectorAll(".md-typeset h2, .md-typeset h3")];
  document.querySelectorAll(".md-typeset pre > code").forEach((code, index) => {
    if (code.scrollWidth > code.clientWidth) {
      const result = code.closest(".result") ? "output" : "code";
      const first = code.textContent.split("\n").find(line => line.trim()) || "";
      const above = (h) => h.compareDocumentPosition(code) & Node.DOCUMENT_POSITION_FOLLOWING;
      const where = headings.filter(above).pop();
      wide.push({index, result, scrollWidth: code.scrollWidth, clientWidth: code.clientWidth,
                 first: first.trim().slice(0, 60), where: where && where.id ? where.id : ""});
    }
  });
  closed.forEach(d => { d.open = false; });
  return wide;
}"""


# Boxes in the page's own column (a notebook's cells, code blocks not inside an admonition, tab,
# list or table): their left and right edges and the column's.
COLUMN_CODE_JS = r"""() => {
  const column = document.querySelector(".md-content__inner");
  const edges = (el) => { const r = el.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]; };
  const boxes = [...column.querySelectorAll(".jp-CodeCell .jp-InputArea-editor, .jp-MarkdownCell .jp-InputArea"),
                 ...[...column.querySelectorAll(".highlight")].filter(
                   (el) => !el.closest(".admonition, details, .tabbed-block, li, table, .jupyter-wrapper"))];
  return {column: edges(column), boxes: boxes.map((el, n) => ({n, edges: edges(el),
          first: (el.innerText || "").trim().split("\n")[0].slice(0, 40)}))};
}"""


def narrow_code_problems(page, where: str) -> list[str]:
    """A notebook's cells and the code blocks in the page's own column span it (or more: Material
    widens a code block to the screen's edges on a phone): a box narrower than the column wastes
    a phone's few characters per line."""
    state = page.evaluate(COLUMN_CODE_JS)
    left, right = state["column"]
    return [
        f"box {box['n'] + 1} spans {box['edges'][0]}-{box['edges'][1]} px of the column's "
        f"{left}-{right} px at {where}: {box['first']!r}"
        for box in state["boxes"]
        if box["edges"][0] > left + 1 or box["edges"][1] < right - 1
    ]


def code_scroll_problems(page) -> list[str]:
    """No code block, input or printed output, scrolls sideways at the page's current width."""
    return [
        f"{w['result']} block {w['index'] + 1} scrolls sideways: {w['scrollWidth']}px of text in "
        f"{w['clientWidth']}px{' (under #' + w['where'] + ')' if w['where'] else ''}: {w['first']!r}"
        for w in page.evaluate(CODE_SCROLL_JS)
    ]


# Open the collapsed <details> and select the content tabs around a copy button.
REVEAL_JS = """([selector, number]) => {
  const button = document.querySelectorAll(selector)[number];
  for (let el = button; el; el = el.parentElement) {
    if (el.tagName === "DETAILS") el.open = true;
    if (el.classList.contains("tabbed-block")) {
      const set = el.closest(".tabbed-set");
      const blocks = [...el.parentElement.children];
      const input = set.querySelectorAll(":scope > input")[blocks.indexOf(el)];
      if (input && !input.checked) input.click();
    }
  }
}"""

# The text each copy button from the first-th on puts on the clipboard, clicked in order, each
# block revealed first (REVEAL_JS).
COPY_EACH_JS = """async ([selector, first]) => {
  const reveal = REVEAL_JS;
  const texts = [];
  for (let number = first; number < document.querySelectorAll(selector).length; number++) {
    reveal([selector, number]);
    await navigator.clipboard.writeText("");
    document.querySelectorAll(selector)[number].click();
    texts.push(await navigator.clipboard.readText());
  }
  return texts;
}""".replace("REVEAL_JS", REVEAL_JS)


def copy_problems(page, expected: list[CodeBlock]) -> tuple[list[str], dict[int, str]]:
    """Click every copy button; the clipboard must hold exactly its block's code.

    expected: the page's code blocks from the static HTML. Returns (problems, {block index: copied}).
    Needs clipboard permissions on the context.
    """
    problems, copied = [], {}
    # For each copy button, the index of its <pre> among the page's div.highlight > pre.
    targets = page.evaluate(
        """() => {
             const pres = [...document.querySelectorAll("div.highlight > pre")];
             return [...document.querySelectorAll("button.md-code__button[data-md-type=copy]")]
               .map(b => pres.indexOf(b.closest("pre")));
           }"""
    )
    if sorted(targets) != [block.index for block in expected]:
        problems.append(
            f"{len(targets)} copy buttons (on blocks {sorted(targets)}) for {len(expected)} code blocks"
        )
    selector = "button.md-code__button[data-md-type=copy]"
    texts = []
    if targets:
        # A reader opens a collapsed block or picks its tab first: the button of a hidden block
        # cannot be clicked, and Material copies innerText, which is empty while hidden.
        page.evaluate(REVEAL_JS, [selector, 0])
        # A real mouse click on the first button of the page ...
        page.evaluate("() => navigator.clipboard.writeText('')")
        page.locator(selector).first.click(timeout=5000)
        texts.append(page.evaluate("() => navigator.clipboard.readText()"))
        # ... and the same handler through the DOM for the others, all in one call to the page
        # (a page's copy check: 1.0 -> 0.63 s against two calls a button).
        texts += page.evaluate(COPY_EACH_JS, [selector, 1])
    for index, text in zip(targets, texts):
        copied[index] = text
        if 0 <= index < len(expected) and text != expected[index].text:
            problems.append(
                f"copy button of code block {index + 1} gave {len(text)} characters, not the "
                f"block's {len(expected[index].text)}: {_first_difference(text, expected[index].text)}"
            )
    return problems, copied


def _first_difference(got: str, want: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return f"first difference at {i}: copied {got[i:i + 30]!r}, block {want[i:i + 30]!r}"


def run_python(code: str, name: str, timeout: float = 120) -> tuple[list[str], str | None]:
    """Run code in a fresh interpreter of this venv (warnings are errors, as in the tests).

    Returns (problems, skip reason): a block may call pytest.skip (e.g. when an optional
    dependency is missing); that is reported as a skip, not a failure.
    """
    return start_python(code, name).result(timeout)


class PythonRun:
    """Code running in a fresh interpreter of this venv, started by start_python; result() waits.

    The page tests start each page's copied code as soon as the page is inspected, so it runs
    while the browser works on the next pages.
    """

    def __init__(self, code: str, name: str):
        self._outcome = None
        self._tmp = tempfile.TemporaryDirectory()
        script = Path(self._tmp.name) / f"{name}.py"
        script.write_text(code, encoding="utf-8")
        # Output goes to files, not pipes: nobody reads it until result(), and a full pipe blocks.
        self._stderr = open(Path(self._tmp.name) / "stderr.txt", "w+", encoding="utf-8")
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
        self._process = subprocess.Popen(
            [sys.executable, "-W", "error", str(script)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            text=True,
        )

    def result(self, timeout: float = 120) -> tuple[list[str], str | None]:
        """(problems, skip reason) once the run has ended (see run_python)."""
        if self._outcome is None:
            try:
                self._process.wait(timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
                timed_out = True
            self._stderr.seek(0)
            stderr = self._stderr.read()
            self._stderr.close()
            self._tmp.cleanup()
            self._outcome = _outcome(self._process.returncode, stderr, timed_out, timeout)
        return self._outcome

    def stop(self) -> None:
        """Kill the run if it is still going and remove its files (a run whose test never came)."""
        if self._outcome is None and self._process.poll() is None:
            self._process.kill()
        self.result()


def _outcome(returncode: int, stderr: str, timed_out: bool, timeout: float):
    if timed_out:
        return [f"copied code still running after {timeout} s:\n{stderr[-2000:]}"], None
    if returncode == 0:
        return [], None
    last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    if last.startswith("Skipped: "):
        return [], last[len("Skipped: ") :]
    return [f"copied code exits {returncode}:\n{stderr[-2000:]}"], None


def start_python(code: str, name: str) -> PythonRun:
    """Start code in a fresh interpreter of this venv and return at once (see run_python)."""
    return PythonRun(code, name)


# ---------------------------------------------------------------------------------------------
# One page, every check
# ---------------------------------------------------------------------------------------------


@dataclass
class PageReport:
    path: str
    math_count: int = 0
    math: list[str] = field(default_factory=list)  # desktop, light, after the first load
    math_after: list[str] = field(default_factory=list)  # seen in dark; again after phone width
    events: list[str] = field(default_factory=list)  # console, page errors, requests
    images: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    scheme: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)  # at 1280, 768 and 390 px
    math_size: list[str] = field(default_factory=list)  # at 1280, 768 and 390 px, light and dark
    code_scroll: list[str] = field(default_factory=list)  # at 1280 px, light
    narrow_code: list[str] = field(default_factory=list)  # at 390 px, dark
    copy: list[str] = field(default_factory=list)
    python_blocks: list[str] = field(default_factory=list)  # copied text of the testable ones
    figure_count: int = 0  # figure.bpf-figure elements on the page
    figures: list[str] = field(default_factory=list)  # in light and dark, desktop and phone
    screenshots: list[Path] = field(default_factory=list)
    figure_screenshots: list[Path] = field(default_factory=list)  # each figure, in each of the four
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class OpenPage:
    """A page whose load has started in its own context (see open_page)."""

    path: str
    server: SiteServer
    context: object
    page: object
    recorder: Recorder
    start: float


def open_page(browser, server: SiteServer, path: str) -> OpenPage:
    """Start loading a page in a fresh context and return at once, while it loads and typesets.

    The page tests start the next page this way before inspecting the current one, so the
    browser loads one while Python drives the other (both cores busy on a 2-core machine).
    """
    # Reduced motion: Material then drops its CSS transitions, so a screenshot taken right after
    # a scheme switch shows the new colours, not a frame of a 250 ms fade (and no frames are
    # drawn for the fade).
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    try:
        context.set_default_timeout(15_000)  # fail in seconds, not Playwright's 30 s
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        server.attach(context)
        page = context.new_page()
        recorder = Recorder(page, server)
        start = time.perf_counter()
        page.goto(server.url(path), wait_until="commit")
    except Exception:
        context.close()
        raise
    return OpenPage(path, server, context, page, recorder, start)


def inspect_page(browser, server: SiteServer, path: str, screenshot_dir: Path | None) -> PageReport:
    """Load one page in a fresh context and run every check on it (see inspect_open_page)."""
    return inspect_open_page(open_page(browser, server, path), screenshot_dir)


def inspect_open_page(opened: OpenPage, screenshot_dir: Path | None) -> PageReport:
    """Run every check on one page, loading it only once; closes its context.

    Desktop light: math (and that it is seen), every formula's box, sideways scroll, images,
    headings, figures, screenshot. Toggle dark: math seen, formula boxes, figures, screenshot.
    Tablet then phone width, dark: formula boxes against desktop light's, sideways scroll;
    figures (and their text size) and screenshots on the phone. Light: phone, then tablet,
    formula boxes (and the phone's figures and screenshot). Math again, copy buttons, and the console, page errors and requests seen during all of
    it.
    """
    path, server, page, recorder, start = (
        opened.path, opened.server, opened.page, opened.recorder, opened.start
    )
    report = PageReport(path)
    try:
        page.wait_for_load_state("load")
        report.math += settle(page)
        report.seconds["typeset"] = time.perf_counter() - start
        report.math_count = page.evaluate("() => document.querySelectorAll('.arithmatex').length")
        report.math += math_problems(page)
        report.math += math_visibility_problems(page, "light, desktop")
        report.images = image_alt_problems(page)
        report.headings = heading_problems(page)
        report.code_scroll = code_scroll_problems(page)

        report.figure_count = len(figure_states(page))

        def shot(name):
            mark = time.perf_counter()
            if screenshot_dir is not None:
                screenshot_dir.mkdir(parents=True, exist_ok=True)
                file = screenshot_dir / f"{page_id(path).replace('/', '__')}--{name}.jpeg"
                # JPEG: a third of the time of PNG for a long full page, still plenty to review.
                page.screenshot(path=str(file), full_page=True, type="jpeg", quality=70)
                report.screenshots.append(file)
                if report.figure_count:  # and each figure on its own, for a closer look
                    report.figure_screenshots += figure_screenshots(page, screenshot_dir, path, name)
            spent = time.perf_counter() - mark
            report.seconds["screenshots"] = report.seconds.get("screenshots", 0.0) + spent

        def figures(where, check_font=False):
            if report.figure_count:
                report.figures += figure_problems(page, where, check_font)

        # Every formula measured at 1280 px, light, is the reference for the other widths.
        reference = math_boxes(page)

        def sizes(where, check_overflow=False):
            mark = time.perf_counter()
            report.math_size += math_size_problems(reference, math_boxes(page), where)
            if check_overflow:
                report.overflow += overflow_problems(page)
            spent = time.perf_counter() - mark
            report.seconds["sizes"] = report.seconds.get("sizes", 0.0) + spent

        def resize(viewport):
            mark = time.perf_counter()
            page.set_viewport_size(viewport)
            next_frame(page)
            spent = time.perf_counter() - mark
            report.seconds["resize"] = report.seconds.get("resize", 0.0) + spent

        sizes("light, 1280 px", check_overflow=True)
        figures("light, desktop")
        shot("desktop-light")
        report.scheme += switch_scheme(page, "slate")
        next_frame(page)
        report.math_after += math_visibility_problems(page, "dark, desktop")
        sizes("dark, 1280 px")
        figures("dark, desktop")
        shot("desktop-dark")
        resize(TABLET)
        sizes("dark, 768 px", check_overflow=True)
        resize(PHONE)
        sizes("dark, 390 px", check_overflow=True)
        report.narrow_code += narrow_code_problems(page, "390 px")
        figures("dark, phone", check_font=True)
        shot("phone-dark")
        report.scheme += switch_scheme(page, "default")
        next_frame(page)
        sizes("light, 390 px")
        figures("light, phone", check_font=True)
        shot("phone-light")
        resize(TABLET)
        sizes("light, 768 px")
        page.set_viewport_size(DESKTOP)
        report.math_after += math_problems(page)
        blocks = code_blocks(server.file_for(server.url(path)))
        mark = time.perf_counter()
        report.copy, copied = copy_problems(page, blocks)
        report.seconds["copy"] = time.perf_counter() - mark
        report.python_blocks = [
            copied[b.index] for b in blocks if b.is_python() and not b.notest and b.index in copied
        ]
        report.events = recorder.problems()
        report.seconds["total"] = time.perf_counter() - start
    finally:
        opened.context.close()
    return report
