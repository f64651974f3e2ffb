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
import shlex

DEFAULTS = {"exec": "on", "source": "block", "result": "text"}
PYTHON = {"python", "py", "python3"}
EMPTY_RESULT = re.compile(
    r'\s*<div class="result">\s*<div class="language-text highlight"><pre><span></span><code>\s*'
    r"</code></pre></div>\s*</div>"
)
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


def fence_options(info: str) -> tuple[str, dict[str, str], list[str]] | None:
    """(language, key=value options, other words) of a python fence's info string, else None."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = shlex.split(info[1:-1])
        classes = [w[1:] for w in words if w.startswith(".")]
        lang = classes[0] if classes else ""
        words = [w for w in words if w != f".{lang}"]
    else:
        words = shlex.split(info)
        lang, words = (words[0], words[1:]) if words else ("", [])
    if lang.lower() not in PYTHON:
        return None
    options = dict(w.split("=", 1) for w in words if "=" in w)
    return lang, options, [w for w in words if "=" not in w]


def with_defaults(info: str) -> str:
    """The info string with the site's defaults added; unchanged for notest and non-python."""
    parsed = fence_options(info)
    if parsed is None:
        return info
    lang, options, others = parsed
    if "notest" in others:
        return info
    options = {**DEFAULTS, **options}
    words = [f".{lang}", *others, *(f'{key}="{value}"' for key, value in options.items())]
    return "{" + " ".join(words) + "}"


def add_defaults(markdown: str) -> str:
    """Every top-level python fence of a page, with the defaults in its info string.

    Fences shown inside a longer fence (a Markdown example) are code, not fences, and stay.
    """
    lines = markdown.split("\n")
    open_fence = None  # (indent, marker) of the fence we are inside
    for i, line in enumerate(lines):
        match = FENCE.match(line)
        if open_fence is None:
            if match:
                open_fence = (len(match["indent"]), match["fence"])
                lines[i] = match["indent"] + match["fence"] + with_defaults(match["info"])
        elif (
            match
            and match["fence"][0] == open_fence[1][0]
            and len(match["fence"]) >= len(open_fence[1])
            and not match["info"].strip()
        ):
            open_fence = None
    return "\n".join(lines)


def on_page_markdown(markdown, page, **kwargs):
    if not page.file.src_uri.endswith(".md"):
        return markdown
    return add_defaults(markdown)


def on_page_content(html, page, **kwargs):
    return EMPTY_RESULT.sub("", html)
