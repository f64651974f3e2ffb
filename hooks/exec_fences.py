"""MkDocs hook: every python fence on a page runs in the build and shows what it prints.

markdown-exec (the plugin in mkdocs.yml) executes a fence that says ``exec="on"``. Pages
write plain ```` ```python ```` fences; before a page is converted, this hook adds the site's
default options to each python fence's info string, so no page repeats them:

* ``exec="on"``: the block runs while the page is built; an exception fails ``--strict``;
* ``source="block"``: the code is shown, and its output sits right under it in Material's
  result box (``<div class="result">``);
* ``result="text"``: the output is shown as plain text, never re-read as Markdown.

A block that prints nothing gets no result box (markdown-exec would draw an empty one).

A fence may set any markdown-exec option itself, e.g. ``{.python session="one-weight"}`` (it
shares its namespace with the earlier fences of that session) or ``{.python html="on"
source=""}`` (a figure: the code is hidden and what it prints is inserted as HTML). A
``notest`` fence is left alone and shown as plain code.

The rewrite changes fence lines only, one line for one line, and only on Markdown pages
(notebooks are run by mkdocs-jupyter). pytest-markdown-docs runs the same fences as tests;
conftest.py gives ``session`` the same meaning there and fails a block whose printed output
differs from the built page.
"""

import re

from backprop_site.fences import PYTHON, parse_info, scan

DEFAULTS = {"exec": "on", "source": "block", "result": "text"}
EMPTY_RESULT = re.compile(
    r'\s*<div class="result">\s*<div class="language-text highlight"><pre><span></span><code>\s*'
    r"</code></pre></div>\s*</div>"
)


def with_defaults(info: str) -> str:
    """The info string with the site's defaults added; unchanged for notest and non-python."""
    lang, options, words = parse_info(info)
    if lang not in PYTHON or "notest" in words:
        return info
    options = {**DEFAULTS, **options}
    return "{" + " ".join([f".{lang}", *words, *(f'{key}="{value}"' for key, value in options.items())]) + "}"


def add_defaults(markdown: str) -> str:
    """Every python fence of a page, with the defaults in its info string.

    Fences shown inside a longer fence (a Markdown example) are code, not fences, and stay.
    """
    lines = markdown.split("\n")
    for fence in scan(markdown):
        info = with_defaults(fence.info)
        if info != fence.info:
            lines[fence.line - 1] = " " * fence.indent + fence.marker + info
    return "\n".join(lines)


def on_page_markdown(markdown, page, **kwargs):
    if not page.file.src_uri.endswith(".md"):
        return markdown
    return add_defaults(markdown)


def on_page_content(html, page, **kwargs):
    return EMPTY_RESULT.sub("", html)
