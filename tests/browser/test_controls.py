"""Every control a reader can press is large enough to hit and readable, in both schemes, on a
desktop and on a phone: Run, Edit, Reset and Stop (javascripts/run.js), Material's copy, edit,
header and back-to-top buttons, and the math menu (javascripts/math.js).
"""

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser

# A page with python blocks (Run, Edit, copy buttons), math (the math menu) and an edit link.
PAGE = "answer/one-weight/"


def _show_every_control(page):
    """Show the controls a reader only sees later: those in folded blocks, Reset and Stop
    (shown after an edit or while a block runs), the back-to-top button (shown when scrolling
    up), the math menu (right-click a formula). Then move the pointer away, so no control is
    measured hovered."""
    page.evaluate("""() => {
      document.querySelectorAll("article details").forEach(d => { d.open = true; });
      document.querySelectorAll(".run-bar .run-button[hidden]").forEach(b => { b.hidden = false; });
    }""")
    page.mouse.move(page.viewport_size["width"] // 2, 300)  # over the content, not a sidebar
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    page.mouse.wheel(0, -400)
    bc.wait_until(page, "() => !document.querySelector('.md-top').hidden", timeout_ms=5000)
    math = page.locator("article mjx-container").first
    math.scroll_into_view_if_needed()
    math.click(button="right")
    page.locator(".math-menu__item").wait_for()
    page.mouse.move(1, page.viewport_size["height"] - 1)


@pytest.fixture(scope="module")
def server(site_dir, site_url):
    return bc.SiteServer(site_dir, site_url)


def test_every_control_is_large_enough_and_readable(browser, server):
    problems = []
    with bc.settled_page(browser, server, PAGE) as page:
        for viewport in (bc.DESKTOP, bc.PHONE):
            page.set_viewport_size(viewport)
            for scheme in ("default", "slate"):
                problems += bc.switch_scheme(page, scheme)
                _show_every_control(page)
                where = f"{'light' if scheme == 'default' else 'dark'}, {viewport['width']} px"
                found = page.evaluate("(s) => document.querySelectorAll(s).length", bc.CONTROL_SELECTOR)
                assert found, f"no control on {PAGE} ({where})"
                problems += bc.control_problems(page, where)
        # the controls this test is about are all there
        for label in ("Run", "Edit", "Reset", "Stop", "Copy TeX"):
            assert page.locator("button", has_text=label).count(), f"no {label} button on {PAGE}"
    assert not problems, "controls too small or too faint:\n  " + "\n  ".join(problems)
