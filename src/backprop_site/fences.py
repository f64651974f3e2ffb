"""The site's one reading of fenced code blocks: where they are on a page, and what their info
string says.

pymdownx.superfences renders the pages, so both readings follow it:

* an info string is either ``lang key="value" word`` (the bare form) or ``{.lang key="value"
  word .class #id}`` (the brace form); the language may also stand before the braces. It is split
  with superfences' own header and option patterns, and the braces read by Python-Markdown's
  attr_list scanner, as superfences itself does;
* a fence opens on a line of three or more backticks or tildes at any indentation (inside an
  admonition or a content tab it is indented), and closes on a line holding exactly the same
  marker at exactly the same indentation, nothing after it but spaces; a fence shown inside a
  longer one (a Markdown example) is code.

Two things end a fence without a closing line, and its ``end`` is then None: the end of the page,
and a non-blank line indented less than its opening line (the admonition or tab holding it
ended; superfences then shows the fence as text). Fences inside block quotes are not read.

The scan needs nothing but ``re``: the equation reader calls it in the reader's browser too, where
Python-Markdown and pymdownx are not installed; they are imported when an info string is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

PYTHON = frozenset({"python", "py", "python3"})

# An opening fence: its marker, then an info string without a backtick (CommonMark).
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


class Info(NamedTuple):
    """A fence's info string, read: ``lang, options, words = parse_info(info)``."""

    lang: str  # as written ("python"); superfences and pytest-markdown-docs compare it as is
    options: dict[str, str]  # key="value" options, quotes removed
    words: tuple[str, ...]  # the other words in order: bare words (notest), .class, #id


def parse_info(info: str) -> Info:
    """What a fence's info string says, read as pymdownx.superfences reads it.

    ``python title="a b"`` and ``{.python title="a b"}`` both give title ``a b``. An info string
    superfences does not recognise (``python key=value``: an unquoted value) keeps its words
    as written in ``words``, with no options.
    """
    from markdown.extensions.attr_list import get_attrs_and_remainder
    from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

    match = RE_NESTED_FENCE_START.match("```" + info.strip())
    lang = match["lang"] or ""
    options: dict[str, str] = {}
    words: list[str] = []
    if match["attrs"] is not None:
        for key, value in get_attrs_and_remainder(match["attrs"].replace("\t", " "))[0]:
            if key == "." and not lang:
                lang = value  # no language before the braces: the first class is the language
            elif key == ".":
                words.append("." + value)
            elif key == "id":
                words.append("#" + value)
            elif value is None:
                words.append(key)
            else:
                options[key] = value
    elif match["options"] is not None:
        for option in RE_OPTIONS.finditer(match["options"]):
            if option["value"] is None:
                words.append(option["key"])
            else:
                options[option["key"]] = option["value"]
    elif match["unrecognized"] is not None:
        words = match["unrecognized"].split()
    return Info(lang, options, tuple(words))


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a page."""

    line: int  # 1-based line of the opening fence
    indent: int  # spaces before the marker
    marker: str  # the backticks or tildes that open it
    info: str  # the info string as written, stripped
    code: tuple[str, ...]  # the lines between opening and closing, the fence's indent removed
    end: int | None  # 1-based line of the closing fence; None: see the module docstring

    @property
    def parsed(self) -> Info:
        """What the info string says: parse_info(info)."""
        return parse_info(self.info)

    @property
    def last_line(self) -> int:
        """1-based line of the fence's last line: its closing line, else its last code line."""
        return self.end if self.end is not None else self.line + len(self.code)


def scan(markdown: str) -> list[Fence]:
    """Every fenced code block of a Markdown page, in order (see the module docstring)."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fences = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, marker = len(match["indent"]), match["fence"]
        close = re.compile(rf"^ {{{indent}}}{re.escape(marker)}[ \t]*$")
        start, code, end = i, [], None
        i += 1
        while i < len(lines):
            line = lines[i]
            if close.match(line):
                end = i + 1
                i += 1
                break
            if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
                break  # the container ended: this line is read again outside the fence
            code.append(line[indent:])
            i += 1
        info = match["info"].strip()
        fences.append(Fence(start + 1, indent, marker, info, tuple(code), end))
    return fences
