"""What a built page shows under its python blocks, to compare with what the blocks print now.

The build (hooks/exec_fences.py and markdown-exec) writes each python fence as a
``div.language-python`` code block; when the block printed something, the output follows
right after it in a ``div.result`` holding a text code block. A figure fence
(``html="on" source=""``) shows no code: its printed HTML is part of the page, with its math
typeset by the build (hooks/math_render.py keeps each formula's TeX in ``data-tex``).

The root conftest.py imports this module, which registers PageOutputRunner with
pytest-markdown-docs. A block that prints ``SKIPPED: reason`` (an optional dependency missing,
say) shows the reader why it did not run, and its test is reported as skipped with that reason.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import DefaultRunner, register_runner

from backprop_site.build import build as mkdocs_build
from backprop_site.fences import PYTHON, scan
from backprop_site.repo import ROOT

DOCS = ROOT / "docs"
SKIPPED = re.compile(r"^SKIPPED: (?P<reason>.+)")
CODE_DIV = re.compile(
    r'<div class="language-(?P<lang>[\w-]+) highlight"><pre>.*?<code>(?P<code>.*?)</code></pre></div>'
    r'(?:\s*<div class="result">\s*<div class="language-text highlight"><pre>.*?<code>'
    r"(?P<output>.*?)</code></pre></div>\s*</div>)?",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")
# A formula as a block prints it (pymdownx.arithmatex's generic form) and as the build shows it.
MATH_SOURCE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>',
    re.DOTALL)
MATH_BUILT = re.compile(
    r'<(?P<tag>span|div) class="arithmatex"><mjx-container [^>]*?data-tex="(?P<tex>[^"]*)".*?'
    r"</mjx-container></(?P=tag)>", re.DOTALL)
# The build keeps punctuation after an inline formula on the formula's line, in a span of its own
# (hooks/math_render.py, NOWRAP): what the span holds is what the block printed.
MATH_NOWRAP = re.compile(
    r'<span class="math-nowrap">(?P<inner><span class="arithmatex"><mjx-container .*?</mjx-container>'
    r"</span>[^<]*)</span>", re.DOTALL)


@dataclass(frozen=True)
class Fence:
    """A python fence of a Markdown page."""

    line: int  # 0-based line of the first code line (pytest-markdown-docs' start_line), which is
    # the 1-based line of the opening fence (backprop_site.fences.Fence.line)
    options: dict[str, str]  # key="value" options of the info string
    words: frozenset[str]  # bare words (notest, continuation)

    @property
    def shows_code(self) -> bool:
        return self.options.get("source", "block") != ""

    @property
    def session(self) -> str:
        return self.options.get("session", "")


def python_fences(text: str) -> list[Fence]:
    """The page's python fences in order (backprop_site.fences.scan)."""
    return [Fence(fence.line, fence.parsed.options, frozenset(fence.parsed.words))
            for fence in scan(text) if fence.parsed.lang in PYTHON]


def math_as_tex(fragment: str) -> str:
    """fragment with each formula, printed or typeset, written as its TeX in one same form."""
    fragment = MATH_SOURCE.sub(
        lambda m: f"<math-tex>{html.unescape(m['inline'] or m['display'] or '')}</math-tex>", fragment)
    fragment = MATH_NOWRAP.sub(lambda m: m["inner"], fragment)
    return MATH_BUILT.sub(lambda m: f"<math-tex>{html.unescape(m['tex'])}</math-tex>", fragment)


def html_text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


@dataclass(frozen=True)
class Shown:
    """One python code block of a built page and the output shown under it (None: no output)."""

    code: str
    output: str | None


def shown_blocks(page_html: str) -> list[Shown]:
    """The python code blocks of a built page in order, each with the output under it."""
    return [
        Shown(html_text(m["code"]), None if m["output"] is None else html_text(m["output"]))
        for m in CODE_DIV.finditer(page_html)
        if m["lang"] in PYTHON
    ]


def built_page(site: Path, page: Path) -> Path:
    """The HTML file the build makes of docs/<page>.md (directory URLs)."""
    rel = page.resolve().relative_to(DOCS).with_suffix("")
    return site / ("index.html" if rel.name == "index" and rel.parent == Path(".") else
                   rel.parent / ("" if rel.name == "index" else rel.name) / "index.html")


@functools.cache
def site_dir() -> Path:
    """The built site: BACKPROP_SITE_DIR (set by `make test`), else one fresh build."""
    named = os.environ.get("BACKPROP_SITE_DIR")
    if named:
        return (ROOT / named).resolve()
    site = Path(tempfile.mkdtemp(prefix="backprop-site-"))
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site


def normalise(output: str) -> str:
    """Printed text as the page shows it: trailing spaces and final newlines do not count."""
    return "\n".join(line.rstrip() for line in output.rstrip("\n").split("\n"))


def output_problem(page: Path, start_line: int, printed: str) -> str | None:
    """Why the built page does not show `printed` under the fence whose code starts at
    `start_line` (None when it does)."""
    built = built_page(site_dir(), page)
    return shown_problem(page.read_text(encoding="utf-8"), built.read_text(encoding="utf-8"),
                         start_line, printed)


def shown_problem(markdown: str, page_html: str, start_line: int, printed: str) -> str | None:
    """Why `page_html` (the page built from `markdown`) does not show `printed` under the fence
    whose code starts at `start_line`; None when it does."""
    fences = python_fences(markdown)
    fence = next((f for f in fences if f.line == start_line), None)
    if fence is None:
        return f"no python fence starts at line {start_line}"
    if not fence.shows_code:
        if printed.strip() and math_as_tex(printed.strip()) not in math_as_tex(page_html):
            return f"line {start_line}: the HTML this block prints is not in the built page"
        return None
    shown = shown_blocks(page_html)
    if len(shown) != sum(f.shows_code for f in fences):
        return f"{len(shown)} python blocks built, the page has {len(fences)} fences: rebuild the site"
    shown_output = shown[[f for f in fences if f.shows_code].index(fence)].output
    if "notest" in fence.words:
        return None
    if not printed.strip():
        if shown_output is not None:
            return f"line {start_line}: the block prints nothing, but the page shows\n{shown_output}"
        return None
    if shown_output is None:
        return f"line {start_line}: the block prints, but the built page shows no output under it"
    if normalise(shown_output) != normalise(printed):
        return (f"line {start_line}: the page shows\n{shown_output}\nbut the block now prints\n"
                f"{printed}")
    return None


# nbconvert's lab template: one div per output. After hooks/notebook_pages.py an SVG output's
# div holds an inline <svg>; a PNG output's div an <img>; a text output's div names its MIME
# type (stdout text/plain, stderr application/vnd.jupyter.stderr).
# tests/build/test_notebook_build.py checks this reading on a page the real build made.
OUTPUT_DIV = re.compile(r'<div class="([^"]*\bjp-OutputArea-output\b[^"]*)"([^>]*)>(?=(.{0,300}))', re.DOTALL)
PLOT = re.compile(r'<div class="jp-RenderedSVG[^"]*"[^>]*>\s*(<svg\b.*?</svg>)', re.DOTALL)


def notebook_outputs(page_html: str) -> dict[str, list[str]]:
    """The plots (inline SVG), the PNG images and the stderr texts among the cell outputs of a
    built notebook page."""
    found = {"plots": PLOT.findall(page_html), "png": [], "stderr": []}
    for classes, attrs, start in OUTPUT_DIV.findall(page_html):
        if "jp-RenderedImage" in classes and re.search(r'<img[^>]*src="data:image/png;base64,', start):
            found["png"].append(start)
        if "application/vnd.jupyter.stderr" in attrs:
            text = start.split("</pre>")[0]  # the start of the output's text
            found["stderr"].append(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return found


@register_runner(default=True)
class PageOutputRunner(DefaultRunner):
    """Runs a fence like the plugin does, and fails when its page shows other output.

    The fences a block continues run first, their output discarded; then the block runs with
    its printed output captured, and a fence of a page under docs/ must print exactly what the
    built page shows under it. A block whose output starts with ``SKIPPED: reason`` is then
    reported as skipped.
    """

    # The namespace the last fence that passed left, and the code that made it. The next fence
    # of its session (the next test of the page, in the same process) goes on from it, as the
    # build runs a session, instead of running every earlier fence of the session again.
    _left: tuple[tuple[str, str], dict] | None = None

    def runtest(self, test, args, *, asyncio_runner=None):
        lines = test.source.split("\n")
        earlier = "\n".join(lines[: test.start_line])
        block = "\n" * test.start_line + "\n".join(lines[test.start_line :])
        path = str(test.source_path)
        left, PageOutputRunner._left = PageOutputRunner._left, None
        if earlier.strip() and left is not None and left[0] == (path, earlier.rstrip("\n")):
            args.update(left[1])
        else:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(earlier, path, "exec", dont_inherit=True), args)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, path, "exec", dont_inherit=True), args)
        page = Path(test.source_path).resolve()
        if page.suffix == ".md" and page.is_relative_to(DOCS):
            problem = output_problem(page, test.start_line, printed.getvalue())
            assert problem is None, problem
        if skipped := SKIPPED.match(printed.getvalue()):
            pytest.skip(skipped["reason"])
        PageOutputRunner._left = ((path, test.source.rstrip("\n")), args)
