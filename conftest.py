"""Repository-wide pytest configuration.

pytest-markdown-docs parses Markdown with plain CommonMark, in which a fence inside a
Material admonition (``!!!``, ``???``, ``???+``) or content tab (``=== "Tab"``) is not a
fence at all: the four-space indent makes it a paragraph continuation or an indented code
block, so the test is silently never collected. The hook below hands the plugin a parser that
knows both containers. ``tests/test_docs_harness.py`` checks, page by page, that every python
fence under docs/ is collected.
"""

import functools
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin

# Notebooks (jupytext .py files) are run by `mkdocs build --strict`, which fails on any error
# in them (tests/test_notebook_build.py). pytest-markdown-docs would otherwise import every .py
# under docs/ to look for docstring fences, running each notebook a second time, from the
# wrong working directory.
collect_ignore_glob = ["docs/notebooks/*.py"]

# A pymdownx.tabbed tab title: `=== "Title"`, `===+ "Title"` (selected), `===! "Title"` (new set).
TAB_LINE = re.compile(r'^(?P<indent>[ \t]*)===[+!]{0,2}[ \t]+(?P<title>".*)$')
FENCE_LINE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})")


def tabs_as_admonitions(state):
    """Rewrite each content-tab title line as an admonition title line, and keep the indent
    of empty lines inside indented fences.

    A tab and an admonition hold the same thing, a block indented four spaces under a
    title line, so the admonition rule can parse both. The rewrite is one line for one
    line, so every token's line map (and so every test id's line number) is unchanged.
    Lines inside fenced code are left alone: a code block's text is never changed.
    """
    lines = state.src.split("\n")
    fence = None  # (indent, marker) of the fence we are inside
    for i, line in enumerate(lines):
        match = FENCE_LINE.match(line)
        if fence is not None and fence[0] and not line.strip():
            # An empty line inside an indented fence keeps the fence's indent: the admonition
            # rule ends its block at two empty lines, which would cut the code short silently.
            lines[i] = " " * fence[0]
            continue
        if fence is None:
            # An info string with a backtick is inline code, not a fence (CommonMark).
            if match and not (match["fence"][0] == "`" and "`" in line[match.end():]):
                fence = (len(match["indent"]), match["fence"])
            elif tab := TAB_LINE.match(line):
                lines[i] = f"{tab['indent']}!!! tab {tab['title']}"
        elif (
            match
            and match["fence"][0] == fence[1][0]
            and len(match["fence"]) >= len(fence[1])
            and len(match["indent"]) < fence[0] + 4
            and not line[match.end():].strip()
        ):
            fence = None
    state.src = "\n".join(lines)


@functools.cache  # the plugin asks once per page and once per docstring
def docs_markdown_parser() -> MarkdownIt:
    """CommonMark plus Material admonitions and content tabs, as the docs use them."""
    md = MarkdownIt("commonmark").use(admon_plugin)
    md.core.ruler.after("normalize", "content_tabs", tabs_as_admonitions)
    return md


def pytest_markdown_docs_markdown_it() -> MarkdownIt:
    return docs_markdown_parser()
