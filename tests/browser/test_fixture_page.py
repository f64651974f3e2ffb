"""The checks fail on a deliberately broken page (tests/browser/fixtures/broken/index.md).

The page is built with the site's own mkdocs.yml settings and inspected by the same function as
every site page, so a check that could never fail would be caught here.
"""

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser

FIXTURE_DOCS = bc.ROOT / "tests" / "browser" / "fixtures" / "broken"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    return bc.build_fixture_site(FIXTURE_DOCS, tmp_path_factory.mktemp("broken"))


@pytest.fixture(scope="module")
def server(fixture_site, site_url):
    return bc.SiteServer(fixture_site, site_url)


@pytest.fixture(scope="module")
def broken(browser, server):
    return bc.inspect_page(browser, server, "", screenshot_dir=None)


def _mentions(problems, *words):
    return [p for p in problems if all(w in p for w in words)]


def test_good_math_on_the_broken_page_is_typeset(broken):
    assert broken.math_count == 8, broken.math_count
    assert not _mentions(broken.math, "partial C"), broken.math
    assert not _mentions(broken.math_after, "partial C"), broken.math_after


def test_broken_brace_is_caught(broken):
    assert _mentions(broken.math, "not typeset", r"\frac{1}{2"), broken.math
    assert _mentions(broken.math, "raw TeX visible", r"\frac{1}{2"), broken.math


def test_tex_error_is_caught(broken):
    assert _mentions(broken.math, "TeX error", "Missing argument for", r"in \frac{1}"), broken.math


def test_undefined_macro_is_caught_as_a_tex_error(broken):
    """The build loads no TeX package that draws an undefined macro as red text: it is an error
    (which fails the build of a real page, tests/build/test_math_render.py)."""
    for problems in (broken.math, broken.math_after):
        assert _mentions(problems, "TeX error", r"Undefined control sequence \notamacro"), problems


def test_math_that_cannot_be_seen_is_caught(broken):
    assert _mentions(broken.math, "math contrast", "(light, desktop)", r"\gamma_"), broken.math
    assert _mentions(broken.math_after, "math contrast", "(dark, desktop)", r"\gamma_"), broken.math_after
    assert len(_mentions(broken.math + broken.math_after, "math contrast")) == 2


def test_math_not_drawn_at_its_size_is_caught(broken):
    """Shrunk on a phone (in both schemes), cut off by a box that does not scroll, drawn
    smaller than the text around it, sticking out of a phone's screen; nothing else."""
    for scheme in ("light", "dark"):
        assert _mentions(broken.math_size, "shrunk", f"({scheme}, 390 px)", r"\text{shrinks}"), (
            broken.math_size)
        assert not _mentions(broken.math_size, "shrunk", f"({scheme}, 768 px)"), broken.math_size
    for where in ("light, 1280 px", "dark, 768 px", "light, 390 px"):
        assert _mentions(broken.math_size, "cut sideways", "overflow-x hidden", f"({where})",
                         r"\text{cut}"), broken.math_size
        assert _mentions(broken.math_size, "px em in", f"({where})", r"\text{small}"), (
            broken.math_size)
    # MathJax's error text for the undefined macro is one line wider than a phone
    assert _mentions(broken.math_size, "past the page's edge", "(dark, 390 px)", r"\notamacro")
    named = (r"\text{shrinks}", r"\text{cut}", r"\text{small}", r"\notamacro")
    assert not [p for p in broken.math_size if not any(w in p for w in named)], broken.math_size


def test_script_error_and_console_warning_are_caught(broken):
    assert _mentions(broken.events, "page error", "fixture: a script error"), broken.events
    assert _mentions(broken.events, "console warning", "fixture: a console warning"), broken.events


def test_external_request_is_caught_and_never_sent(broken, server):
    assert _mentions(broken.events, "request leaving the site", "https://example.org/"), broken.events
    assert any(url.startswith("https://example.org/") for url in server.external), server.external


def test_failed_request_is_caught(broken):
    assert _mentions(broken.events, "failed request", "not-in-the-build.png", "404"), broken.events


def test_code_block_that_scrolls_sideways_is_caught(broken):
    assert _mentions(broken.code_scroll, "code block 3 scrolls sideways", "too_wide"), broken.code_scroll
    assert _mentions(broken.code_scroll, "output block 4 scrolls sideways", "0123456789"), broken.code_scroll
    assert len(broken.code_scroll) == 2, broken.code_scroll


def test_missing_alt_text_is_caught(broken):
    assert _mentions(broken.images, "not-in-the-build.png"), broken.images
    assert not _mentions(broken.images, "example.org"), broken.images


def test_skipped_heading_level_is_caught(broken):
    assert broken.headings == [
        "heading skips a level: h2 'An undefined macro' -> h4 'A skipped heading level'"
    ], broken.headings


def test_sideways_scroll_is_caught_and_named(broken):
    assert _mentions(broken.overflow, "scrolls sideways", "A block 1500 px wide"), broken.overflow


def test_unreadable_figure_is_caught(broken):
    for where in ("light, desktop", "dark, desktop", "dark, phone", "light, phone"):
        assert _mentions(broken.figures, f"figure-invisible ({where})", "contrast less than",
                         "'invisible'"), broken.figures
    assert not _mentions(broken.figures, "figure-invisible", "alt text"), broken.figures


def test_figure_without_alt_text_or_size_is_caught(broken):
    assert broken.figure_count == 2, broken.figure_count
    assert _mentions(broken.figures, "figure-no-alt (light, desktop)", "no alt text"), broken.figures
    assert _mentions(broken.figures, "figure-no-alt (dark, phone)", "no size"), broken.figures
    assert _mentions(broken.figures, "figure-no-alt (light, phone)", "'tiny'", "px, less than"), (
        broken.figures)


def test_figure_fences_and_page_sources():
    """The count the page tests expect: figure fences in a page's source, found from its path."""
    page = (
        "```python\nprint(1)\n```\n"
        '```{.python html="on" source=""}\nimport backprop_site.figures\nprint("<figure>")\n```\n'
        '    ```{.python session="s" html="on" source=""}\n    import backprop_site.figures\n    ```\n'
        '```{.python html="on" source=""}\nprint("<p>a sentence</p>")\n```\n'
        '```{.python source=""}\nprint(2)\n```\n'
    )
    assert bc.figure_fences(page) == 2
    assert bc.page_source("") == bc.ROOT / "docs" / "index.md"
    assert bc.page_source("answer/question/") == bc.ROOT / "docs" / "answer" / "question.md"
    assert bc.page_source("notebooks/hidden-width/") is None


def test_copied_code_that_fails_is_caught(broken):
    assert broken.copy == [], broken.copy
    first, second = broken.python_blocks
    assert first == 'print("this block runs")', first
    assert bc.run_python(first, "fixture_ok") == ([], None)
    failure, skipped = bc.run_python(first + "\n" + second, "fixture_fails")
    assert _mentions(failure, "this copied block fails") and skipped is None, (failure, skipped)


@pytest.fixture(scope="module")
def fixture_page(browser, server):
    """The broken page loaded once more, for the checks below that change it first. Each
    changes a different part (a formula, a copied block, the palette toggle), so they share
    one load: none of them looks at what another changed."""
    with bc.settled_page(browser, server, "", permissions=["clipboard-read", "clipboard-write"]) as page:
        yield page


def test_double_typesetting_is_caught(fixture_page):
    fixture_page.evaluate(
        """() => {
             const container = document.querySelector(".arithmatex mjx-container");
             container.parentElement.appendChild(container.cloneNode(true));
           }"""
    )
    problems = bc.math_problems(fixture_page)
    assert _mentions(problems, "more than once", "2 times", "partial C"), problems


def test_math_without_its_tex_is_caught(fixture_page):
    restore = fixture_page.evaluate(
        """() => {
             const container = document.querySelector(".arithmatex mjx-container");
             const tex = container.getAttribute("data-tex");
             container.removeAttribute("data-tex");
             return tex;
           }"""
    )
    try:
        problems = bc.math_problems(fixture_page)
    finally:
        fixture_page.evaluate(
            """(tex) => document.querySelector(".arithmatex mjx-container").setAttribute("data-tex", tex)""",
            restore,
        )
    assert _mentions(problems, "without its TeX"), problems


def test_math_without_its_glyphs_is_caught(fixture_page):
    """The page's glyph outlines gone (as if instant navigation had dropped them): blank math."""
    fixture_page.evaluate(
        """() => {
             const glyphs = document.getElementById("MJX-SVG-global-cache");
             window.__glyphs = [glyphs, glyphs.parentNode, glyphs.nextSibling];
             glyphs.remove();
           }"""
    )
    try:
        problems = bc.math_problems(fixture_page)
    finally:
        fixture_page.evaluate("() => { const [g, parent, next] = __glyphs; parent.insertBefore(g, next); }")
    assert _mentions(problems, "drawn blank", "partial C"), problems
    assert not _mentions(bc.math_problems(fixture_page), "drawn blank"), "not restored"


def test_mathjax_in_the_browser_is_caught(fixture_page):
    """The build typesets the math; MathJax loaded by a page would typeset it again."""
    fixture_page.evaluate("() => { window.MathJax = {startup: {}}; }")
    try:
        problems = bc.settle(fixture_page)
    finally:
        fixture_page.evaluate("() => { delete window.MathJax; }")
    assert _mentions(problems, "MathJax is loaded in the browser"), problems


def test_copy_mismatch_is_caught(fixture_page, fixture_site):
    blocks = bc.code_blocks(fixture_site / "index.html")
    blocks[1].text += "  # not what the button copies"
    problems, _ = bc.copy_problems(fixture_page, blocks)
    assert _mentions(problems, "code block 2", "not what the button copies"), problems


def test_palette_toggle_that_does_nothing_is_caught(fixture_page):
    fixture_page.evaluate(
        """() => document.querySelectorAll("form[data-md-component=palette] label")
             .forEach(label => label.removeAttribute("for"))"""
    )
    problems = bc.switch_scheme(fixture_page, "slate", wait_ms=500)
    assert _mentions(problems, "gave scheme 'default', not 'slate'"), problems


# The first-screen check (test_first_screen.py), on fixture pages whose answer comes too late
# (late-answer.md) or not at all (the broken page's equation has no bracketed layer indices).
LATE_TEX = r"\frac{\partial C}{\partial W^{[l]}} = (a^{[l-1]})^\top \delta^{[l]}"
LATE_NUMBERS = "0.028 0.925 0.925 0.090"  # what late-answer.md writes, not a computed result


@pytest.fixture(scope="module")
def late_page(browser, server):
    with bc.settled_page(browser, server, "late-answer/") as page:
        yield page


def test_first_screen_check_catches_a_late_answer(late_page):
    late_page.set_viewport_size(bc.DESKTOP)
    problems = bc.first_screen_problems(late_page, LATE_TEX, [LATE_NUMBERS], screens=1)
    assert _mentions(problems, "equation", "below the first 1 screen(s) of 1280x800"), problems
    assert _mentions(problems, LATE_NUMBERS, "below the first"), problems
    # the same page passes when three screens are allowed: the check measures, it does not
    # just fail
    assert bc.first_screen_problems(late_page, LATE_TEX, [LATE_NUMBERS], screens=3) == []
    late_page.set_viewport_size(bc.PHONE)
    problems = bc.first_screen_problems(late_page, LATE_TEX, [LATE_NUMBERS], screens=2)
    assert _mentions(problems, "equation", "below the first 2 screen(s) of 390x844"), problems
    assert _mentions(problems, LATE_NUMBERS, "below the first 2"), problems


def test_first_screen_check_catches_a_missing_answer(fixture_page):
    problems = bc.first_screen_problems(fixture_page, LATE_TEX, [LATE_NUMBERS], screens=1)
    assert _mentions(problems, "equation", "not found"), problems
    assert _mentions(problems, LATE_NUMBERS, "not found"), problems
