"""backprop_site.fences: the info-string reading and the fence scanner agree with
pymdownx.superfences, which renders the pages."""

import html
import re

import markdown
import pytest

from backprop_site.fences import Fence, Info, parse_info, scan


def render(page: str) -> str:
    """page as the site's Markdown set-up renders it (mkdocs.yml's fence extensions)."""
    return markdown.markdown(page, extensions=[
        "admonition", "attr_list", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}})


BLOCK = re.compile(r'<div (?:id="(?P<id>[^"]*)" )?class="language-(?P<lang>\S+) (?P<classes>[^"]*)">'
                   r'(?:<span class="filename">(?P<title>.*?)</span>)?<pre>.*?<code>(?P<code>.*?)</code>',
                   re.DOTALL)


def rendered_blocks(page_html: str) -> list[dict]:
    """Each code block of page_html: its language, title, id, other classes and code."""
    return [{"lang": m["lang"], "title": m["title"] and html.unescape(m["title"]), "id": m["id"],
             "classes": m["classes"].split()[:-1],  # the last is "highlight"
             "code": html.unescape(re.sub(r"<[^>]+>", "", m["code"]))}
            for m in BLOCK.finditer(page_html)]


# ------------------------------------------------------------------------------ info strings

@pytest.mark.parametrize("info, expected", [
    ('python title="a b"', Info("python", {"title": "a b"}, ())),
    ('{.python title="a b"}', Info("python", {"title": "a b"}, ())),
    ("python title='a b'", Info("python", {"title": "a b"}, ())),
    ('{.python session="one-weight"}', Info("python", {"session": "one-weight"}, ())),
    ('{.python session="a b"}', Info("python", {"session": "a b"}, ())),
    ('{.python html="on" source=""}', Info("python", {"html": "on", "source": ""}, ())),
    ("{.python notest}", Info("python", {}, ("notest",))),
    ("{.python .notest}", Info("python", {}, (".notest",))),
    ('{.python continuation session="s"}', Info("python", {"session": "s"}, ("continuation",))),
    ("{#first .py .wide}", Info("py", {}, ("#first", ".wide"))),
    ('python {.wide title="t"}', Info("python", {"title": "t"}, (".wide",))),
    (".python3", Info("python3", {}, ())),
    ("  python  ", Info("python", {}, ())),
    ("python notest", Info("python", {}, ("notest",))),
    ("Python", Info("Python", {}, ())),
    ("text", Info("text", {}, ())),
    ("", Info("", {}, ())),
    # Not a header superfences recognises (an unquoted value): the words stay words.
    ("python key=value", Info("python", {}, ("key=value",))),
])
def test_parse_info(info, expected):
    assert parse_info(info) == expected


def test_info_unpacks_as_three_names():
    lang, options, words = parse_info('{.python notest title="t"}')
    assert (lang, options, words) == ("python", {"title": "t"}, ("notest",))


@pytest.mark.parametrize("info", [
    'python title="a b"', '{.python title="a b"}', "python title='x y'", '{.python .wide #first}',
    'python {.wide title="t"}', "{#first .py}", ".python3", "text", "python",
])
def test_parse_info_reads_what_superfences_renders(info):
    """Language, title, id and classes as the rendered block has them."""
    (block,) = rendered_blocks(render(f"```{info}\nx = 1\n```\n"))
    lang, options, words = parse_info(info)
    assert block["lang"] == lang
    assert block["title"] == options.get("title")
    assert block["id"] == next((w[1:] for w in words if w.startswith("#")), None)
    assert block["classes"] == [w[1:] for w in words if w.startswith(".")]


# ------------------------------------------------------------------------------ the scanner

def test_scan_reads_a_fence():
    page = "# Title\n\n```python\nx = 1\n\ny = 2\n```\n\nText.\n"
    assert scan(page) == [Fence(line=3, indent=0, marker="```", info="python",
                                code=("x = 1", "", "y = 2"), end=7)]
    (fence,) = scan(page)
    assert fence.parsed == Info("python", {}, ())
    assert fence.last_line == 7


def test_a_fence_shown_inside_a_longer_fence_is_code():
    page = "````markdown\n```python\nshown = 1\n```\n````\n\n```py\nreal = 1\n```\n"
    fences = scan(page)
    assert [(f.line, f.parsed.lang, f.end) for f in fences] == [(1, "markdown", 5), (7, "py", 9)]
    assert fences[0].code == ("```python", "shown = 1", "```")


def test_tildes_hold_backticks_and_close_on_tildes():
    page = "~~~~text\n```python\nx = 1\n```\n~~~~\n"
    (fence,) = scan(page)
    assert (fence.marker, fence.code, fence.end) == ("~~~~", ("```python", "x = 1", "```"), 5)


def test_fences_at_any_indentation_inside_admonitions_and_tabs():
    page = (
        '!!! note "In an admonition"\n'
        "    ```python\n"
        "    a = 1\n"
        "\n"
        "      indented = 2\n"
        "    ```\n"
        "\n"
        '=== "A tab"\n'
        "\n"
        "    ```{.py session=\"s\"}\n"
        "    b = 2\n"
        "    ```\n"
        "\n"
        '???+ note "Nested"\n'
        "    !!! tip\n"
        "        ```python3\n"
        "        c = 3\n"
        "        ```\n"
    )
    fences = scan(page)
    assert [(f.line, f.indent, f.parsed.lang, f.end) for f in fences] == [
        (2, 4, "python", 6), (10, 4, "py", 12), (16, 8, "python3", 18)]
    assert fences[0].code == ("a = 1", "", "  indented = 2")
    assert fences[1].parsed.options == {"session": "s"}
    # What superfences shows inside the containers is the same code.
    assert [b["code"] for b in rendered_blocks(render(page))] == [
        "\n".join(f.code) + "\n" for f in fences]


@pytest.mark.parametrize("closing", ["````", "  ```", "``` python", "~~~"])
def test_only_the_same_marker_at_the_same_indent_closes(closing):
    page = f"```python\nx = 1\n{closing}\ny = 2\n```\n"
    (fence,) = scan(page)
    assert (fence.code, fence.end) == (("x = 1", closing, "y = 2"), 5)
    (block,) = rendered_blocks(render(page))
    assert block["code"] == "\n".join(fence.code) + "\n"


def test_a_closing_fence_may_have_trailing_spaces():
    (fence,) = scan("```python\nx = 1\n```   \n")
    assert fence.end == 3


def test_an_unclosed_fence_runs_to_the_end_of_the_page():
    page = "```python\nx = 1\n\n```py\nnot_a_fence = 1\n"
    (fence,) = scan(page)
    assert (fence.end, fence.code, fence.last_line) == (None, ("x = 1", "", "```py", "not_a_fence = 1", ""), 6)


def test_a_line_left_of_the_fence_ends_it_and_is_read_again():
    page = "!!! note\n    ```python\n    x = 1\nOutside.\n```py\ny = 2\n```\n"
    fences = scan(page)
    assert [(f.line, f.end, f.code) for f in fences] == [(2, None, ("x = 1",)), (5, 7, ("y = 2",))]


def test_a_backtick_in_the_info_string_makes_inline_code_not_a_fence():
    page = "```python``` is inline code.\n\n``` a`b is too.\n"
    assert scan(page) == []
    assert rendered_blocks(render(page)) == []


def test_line_numbers_count_every_newline():
    page = "\r\n".join(["a", "```python", "x = 1", "```", ""])
    (fence,) = scan(page)
    assert (fence.line, fence.end) == (2, 4)
