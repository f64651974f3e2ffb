"""Every page of the built site, in Chromium: math, console, network, schemes, widths, a11y, code.

One load per page (see browser_checks.inspect_page); each test below asserts one aspect of it.
"""

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser


def _fail_if(problems, what):
    assert not problems, f"{what}:\n  " + "\n  ".join(problems)


def test_math_is_typeset_once(report):
    _fail_if(report.math, "math problems after the first load")
    _fail_if(report.math_after, "math problems after switching scheme and width")


def test_no_console_message_error_or_request_out(report):
    _fail_if(report.events, "console, page errors or requests")


def test_dark_and_light_scheme(report):
    _fail_if(report.scheme, "palette toggle")
    assert len(report.screenshots) in {0, 4}, report.screenshots


def test_no_sideways_scroll_at_any_width(report):
    _fail_if(report.overflow, "the page scrolls sideways")


def test_every_formula_drawn_at_its_size_on_every_screen(report):
    """Every formula of the page, at 390, 768 and 1280 px in light and dark, is drawn at least
    as large as at 1280 px light (within bc.SHRINK_PX or bc.SHRINK_FRACTION), with its em at
    least bc.MIN_MATH_EM of the text around it, and whole: a box that cuts it off must scroll
    to all of it."""
    _fail_if(report.math_size, "formulas not drawn at their size")


def test_no_code_block_scrolls_sideways_on_a_desktop(report):
    _fail_if(report.code_scroll, f"code blocks wider than the column at {bc.DESKTOP['width']}px")


def test_cells_and_code_span_the_column_on_a_phone(report):
    """At 390 px, a notebook's cells and the code blocks of the page's own column are as wide as
    the column: the few characters a phone fits on a line are not lost to a margin."""
    _fail_if(report.narrow_code, f"cells or code narrower than the column at {bc.PHONE['width']}px")


def test_images_have_alt_text(report):
    _fail_if(report.images, "images")


def test_figures_are_shown_in_light_and_dark(report, page_path):
    """Each figure fence of the page's source gives a figure in the browser, and every figure is
    shown in both schemes, at desktop and phone width: a box of non-zero size, alt text, a
    caption, text and lines that stand out from the background, text large enough on a phone.
    (Requests to another origin are test_no_console_message_error_or_request_out's.)"""
    source = bc.page_source(page_path)
    expected = bc.figure_fences(source.read_text(encoding="utf-8")) if source else 0
    assert report.figure_count == expected, (
        f"{report.figure_count} figures on the page, {expected} figure fences in {source}")
    _fail_if(report.figures, "figures")
    if report.screenshots:
        assert len(report.figure_screenshots) == 4 * expected, report.figure_screenshots


def test_headings_do_not_skip_levels(report):
    _fail_if(report.headings, "headings")


def test_copy_button_gives_the_block(report):
    _fail_if(report.copy, "copy buttons")


def test_copied_python_runs(copied_python_result):
    """The page's copied python blocks, joined in page order, run in a fresh interpreter
    (started as soon as the page was inspected: see conftest.report)."""
    if copied_python_result is None:
        pytest.skip("no python block to run on this page")
    problems, skipped = copied_python_result
    _fail_if(problems, "copied code")
    if skipped:
        pytest.skip(f"the copied code skips itself: {skipped}")


def test_every_built_page_is_tested(site_dir):
    """The pages read from docs/ (used when no build is named) are exactly the pages of the build."""
    assert bc.page_paths_from_site(site_dir) == bc.page_paths_from_docs()
    assert bc.pages_to_test() == bc.page_paths_from_docs()
