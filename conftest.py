"""Repository-wide pytest configuration.

pytest-markdown-docs parses Markdown with plain CommonMark, in which a fence inside a
Material admonition (``!!!``, ``???``, ``???+``) or content tab (``=== "Tab"``) is not a
fence at all: the four-space indent makes it a paragraph continuation or an indented code
block, so the test is silently never collected. The hook below hands the plugin a parser that
knows both containers. ``tests/pages/test_docs_harness.py`` checks, page by page, that every python
fence under docs/ is collected.
"""

import functools
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin

# This site's output check: importing it registers the runner that compares each block's printed
# output with the built page.
import backprop_site.page_outputs  # noqa: F401
from backprop_site.fences import PYTHON, parse_info, scan

# Notebooks (jupytext .py files) are run by `mkdocs build --strict`, which fails on any error
# in them (tests/build/test_notebook_build.py). pytest-markdown-docs would otherwise import every .py
# under docs/ to look for docstring fences, running each notebook a second time, from the
# wrong working directory.
collect_ignore_glob = ["docs/notebooks/*.py"]

# A pymdownx.tabbed tab title: `=== "Title"`, `===+ "Title"` (selected), `===! "Title"` (new set).
TAB_LINE = re.compile(r'^(?P<indent>[ \t]*)===[+!]{0,2}[ \t]+(?P<title>".*)$')


def tabs_as_admonitions(state):
    """Rewrite each content-tab title line as an admonition title line, and keep the indent
    of empty lines inside indented fences.

    A tab and an admonition hold the same thing, a block indented four spaces under a
    title line, so the admonition rule can parse both. The rewrite is one line for one
    line, so every token's line map (and so every test id's line number) is unchanged.
    Lines inside fenced code are left alone: a code block's text is never changed.
    """
    lines = state.src.split("\n")
    fence_indent = {}  # index of each line of a fence -> the fence's indent
    for fence in scan(state.src):
        fence_indent.update(dict.fromkeys(range(fence.line - 1, fence.last_line), fence.indent))
    for i, line in enumerate(lines):
        if i in fence_indent:
            if fence_indent[i] and not line.strip():
                # An empty line inside an indented fence keeps the fence's indent: the admonition
                # rule ends its block at two empty lines, which would cut the code short silently.
                lines[i] = " " * fence_indent[i]
        elif tab := TAB_LINE.match(line):
            lines[i] = f"{tab['indent']}!!! tab {tab['title']}"
    state.src = "\n".join(lines)


def fence_session(info: str) -> str | None:
    """The session of a python fence that runs ("" for none); None for any other fence."""
    lang, options, words = parse_info(info)
    if lang not in PYTHON or "notest" in words:
        return None
    return options.get("session", "")


def sessions_as_continuations(state):
    """A fence of a markdown-exec session continues the fence before it in that session.

    In the build, ``session="name"`` runs a fence in the namespace of the earlier fences of that
    session; pytest-markdown-docs gets the same meaning from ``continuation``, which runs the
    previous collected fence first. A session's fences are therefore consecutive python fences
    (tests/pages/test_docs_harness.py checks it).
    """
    previous = None  # session of the previous collected python fence
    for token in state.tokens:
        if token.type != "fence":
            continue
        session = fence_session(token.info)
        if session is None:
            continue
        if session and session == previous and "continuation" not in token.info:
            token.info = "{.python continuation " + token.info.strip().strip("{}") + "}"
        previous = session


@functools.cache  # the plugin asks once per page and once per docstring
def docs_markdown_parser() -> MarkdownIt:
    """CommonMark plus Material admonitions and content tabs, as the docs use them."""
    md = MarkdownIt("commonmark").use(admon_plugin)
    md.core.ruler.after("normalize", "content_tabs", tabs_as_admonitions)
    md.core.ruler.push("sessions", sessions_as_continuations)
    return md


def pytest_markdown_docs_markdown_it() -> MarkdownIt:
    return docs_markdown_parser()
