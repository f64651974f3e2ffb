"""How the pages read: prose, visible code, and what share of that code shows a computation.

Usage::

    .venv/bin/python scripts/page_stats.py [REPO_ROOT] [--site SITE_DIR]

REPO_ROOT (default: the repository holding this script) is any checkout of the site, old or
new: the script reads its ``mkdocs.yml`` and ``docs/`` only. With ``--site`` (a directory
built from that checkout) the outputs shown and the widest printed line are read from the
built HTML. It prints one table, for the answer section and for the whole site.

What is counted (one rule set, applied to every page the same way):

* **answer pages**: the ``.md`` entries of the ``The answer`` section of the ``nav`` in
  mkdocs.yml. **site pages**: every ``.md`` file under docs/ (notebooks are not counted).
* **prose words**: whitespace-separated words on the lines outside fenced code, display maths
  (``$$`` ... ``$$``), HTML comments and ``<style>``/``<script>`` elements; table rows count,
  table separator rows (``|---|``) do not.
* **visible code lines**: the lines of python fences (``python``, ``py``, ``python3``, with
  any options) that a reader sees without clicking: not inside a collapsed ``???`` admonition
  (``???+`` is open, so it counts), and not a figure fence (``source=""``), whose code the
  page never shows. A snippet line (``--8<-- "file:section"``) counts as the lines it includes.
* **computation lines**: visible code lines that are not blank, not comment-only, and not part
  of a statement that is an ``import``, an ``assert``, a ``raise AssertionError``, a call of
  ``np.testing.*``, or page parsing (its source mentions ``Path(``, ``read_text``,
  ``sys.path`` or ``find_equations``). A statement's lines share its class (a three-line
  assert is three check lines); the header of a ``for``/``def``/``with``/``try`` counts as
  computation, its body statement by statement. Code that does not parse is classified
  line by line with the same rules.
* **outputs shown**: with ``--site``, the ``div.result`` boxes on the built pages; without,
  the executed python fences (not ``notest``, code shown) that call ``print(`` -- what the
  build would show.
* **widest code line**: the longest visible code line, in characters. **widest printed line**:
  the longest line inside a ``div.result`` of the built pages (needs ``--site``).
"""

from __future__ import annotations

import argparse
import ast
import html
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from backprop_site.fences import PYTHON, scan

ADMONITION = re.compile(r"^(?P<indent> *)(?P<marker>!!!|\?\?\?\+?)\s")
SNIPPET = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
SNIPPET_MARK = re.compile(r"--8<--\s*\[(?:start|end):")
PAGE_PARSING = ("Path(", "read_text", "sys.path", "find_equations")
RESULT = re.compile(r'<div class="result">(?P<body>.*?)</div>\s*</div>', re.DOTALL)
RESULT_CODE = re.compile(r"<code>(?P<code>.*?)</code>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Fence:
    """One python fence of a page: its code (snippets expanded) and how the page shows it."""

    code: str
    collapsed: bool  # inside a closed ??? admonition
    shows_code: bool  # False for a figure fence (source="")
    notest: bool

    @property
    def visible(self) -> bool:
        return self.shows_code and not self.collapsed


@dataclass
class PageStats:
    words: int = 0
    visible_lines: int = 0
    computation_lines: int = 0
    outputs: int = 0
    widest_code: int = 0
    widest_output: int | None = None
    fences: list[Fence] = field(default_factory=list)


# ------------------------------------------------------------------------------- parsing


def expand_snippet(line: str, root: Path) -> list[str]:
    """The lines a ``--8<-- "file"`` or ``--8<-- "file:section"`` line includes (dedented)."""
    target = SNIPPET.match(line)["target"]
    path, _, section = target.partition(":")
    lines = (root / path).read_text(encoding="utf-8").split("\n")
    if section:
        start = next(i for i, s in enumerate(lines) if f"[start:{section}]" in s)
        end = next(i for i, s in enumerate(lines) if f"[end:{section}]" in s)
        lines = lines[start + 1 : end]
    lines = [s for s in lines if not SNIPPET_MARK.search(s)]
    return textwrap.dedent("\n".join(lines)).split("\n")


def split_page(text: str, root: Path) -> tuple[list[str], list[Fence]]:
    """(the page's lines outside fences, its python fences)."""
    lines = text.split("\n")
    fences_at = {fence.line - 1: fence for fence in scan(text)}
    outside, fences = [], []
    containers: list[tuple[int, bool]] = []  # open admonitions: (indent, collapsed)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            containers = [c for c in containers if indent > c[0]]
        fence = fences_at.get(i)
        if fence is None:
            admonition = ADMONITION.match(line)
            if admonition:
                containers.append((len(admonition["indent"]), admonition["marker"] == "???"))
            outside.append(line)
            i += 1
            continue
        i = fence.last_line
        lang, options, words = fence.parsed
        if lang not in PYTHON:
            continue
        code = []
        for code_line in fence.code:
            code += expand_snippet(code_line, root) if SNIPPET.match(code_line) else [code_line]
        fences.append(Fence("\n".join(code), any(c[1] for c in containers),
                            options.get("source", "block") != "", "notest" in words))
    return outside, fences


def prose_words(lines: list[str]) -> int:
    """Words on the non-code lines, without display maths, HTML comments, style and script."""
    text = "\n".join(lines)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    kept = [s for s in text.split("\n") if not re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*\|?\s*", s)]
    return sum(len(s.split()) for s in kept)


# ------------------------------------------------------------------------ classification
def is_check(source: str) -> bool:
    """A statement (its source text) that imports, checks or parses pages: no computation."""
    first = source.lstrip()
    return (
        first.startswith(("import ", "from ", "assert ", "assert(", "np.testing.",
                          "raise AssertionError"))
        or any(word in source for word in PAGE_PARSING)
    )


def computation_lines(code: str) -> int:
    """How many lines of ``code`` show a computation (see the module docstring)."""
    lines = code.split("\n")
    kind = ["code"] * len(lines)  # "code" or "check", per line
    try:
        tree = ast.parse(code)
    except SyntaxError:
        tree = None
    if tree is None:
        for n, line in enumerate(lines):
            if is_check(line):
                kind[n] = "check"
    else:
        # Outer statements first (ast.walk is breadth first): an inner statement overrides
        # the lines of the compound statement that holds it.
        for node in ast.walk(tree):
            if not isinstance(node, ast.stmt):
                continue
            compound = any(isinstance(getattr(node, f, None), list) and getattr(node, f)
                           and isinstance(getattr(node, f)[0], ast.stmt)
                           for f in ("body", "orelse", "finalbody", "handlers"))
            source = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            check = not compound and is_check(source)
            for n in range(node.lineno - 1, node.end_lineno):
                kind[n] = "check" if check else "code"
    return sum(
        1 for line, k in zip(lines, kind)
        if line.strip() and not line.strip().startswith("#") and k == "code"
    )


# ----------------------------------------------------------------------------- the site
def nav_answer_pages(root: Path) -> list[str]:
    """docs/-relative paths of the pages under ``The answer`` in mkdocs.yml's nav."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        nav = yaml.load(f, Loader=get_yaml_loader())["nav"]
    section = next(entry["The answer"] for entry in nav
                   if isinstance(entry, dict) and "The answer" in entry)
    pages = []
    for entry in section:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, str) and value.endswith(".md"):
            pages.append(value)
    return pages


def built_page(site: Path, page: str) -> Path:
    """The HTML file the build makes of docs/<page> (directory URLs)."""
    rel = Path(page).with_suffix("")
    if rel.name in {"index", "README"}:
        return site / rel.parent / "index.html"
    return site / rel / "index.html"


def printed_lines(page_html: str) -> list[list[str]]:
    """The lines of each ``div.result`` box of a built page."""
    boxes = []
    for result in RESULT.finditer(page_html):
        code = RESULT_CODE.search(result["body"])
        text = html.unescape(TAG.sub("", code["code"] if code else result["body"]))
        boxes.append(text.rstrip("\n").split("\n"))
    return boxes


def page_stats(root: Path, page: str, site: Path | None) -> PageStats:
    outside, fences = split_page((root / "docs" / page).read_text(encoding="utf-8"), root)
    stats = PageStats(words=prose_words(outside), fences=fences)
    for fence in fences:
        if not fence.visible:
            continue
        lines = fence.code.split("\n")
        stats.visible_lines += len(lines)
        stats.computation_lines += computation_lines(fence.code)
        stats.widest_code = max([stats.widest_code, *map(len, lines)])
    if site is None:
        stats.outputs = sum(1 for f in fences
                            if f.shows_code and not f.notest and "print(" in f.code)
    else:
        boxes = printed_lines(built_page(site, page).read_text(encoding="utf-8"))
        stats.outputs = len(boxes)
        stats.widest_output = max((len(s) for box in boxes for s in box), default=None)
    return stats


def totals(root: Path, pages: list[str], site: Path | None) -> dict[str, object]:
    per_page = [page_stats(root, page, site) for page in pages]
    visible = sum(p.visible_lines for p in per_page)
    computation = sum(p.computation_lines for p in per_page)
    widest_outputs = [p.widest_output for p in per_page if p.widest_output is not None]
    return {
        "pages": len(pages),
        "prose words": sum(p.words for p in per_page),
        "visible code lines": visible,
        "computation lines": computation,
        "computation share": f"{computation / visible:.0%}" if visible else "-",
        "outputs shown": sum(p.outputs for p in per_page),
        "widest code line": max((p.widest_code for p in per_page), default=0),
        "widest printed line": max(widest_outputs) if widest_outputs else "-",
    }


def table(columns: dict[str, dict[str, object]]) -> str:
    names = list(next(iter(columns.values())))
    width = max(map(len, names))
    head = " " * width + "".join(f"  {c:>12}" for c in columns)
    rows = [f"{n:<{width}}" + "".join(f"  {str(col[n]):>12}" for col in columns.values())
            for n in names]
    return "\n".join([head, *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parents[1],
                        help="a checkout of the site (default: this repository)")
    parser.add_argument("--site", type=Path, help="a site built from that checkout")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    site = args.site.resolve() if args.site else None
    answer = nav_answer_pages(root)
    every = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md"))
    print(f"{root}" + (f" (built site: {site})" if site else " (no built site: outputs from fences)"))
    print(table({"answer": totals(root, answer, site), "site": totals(root, every, site)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
