"""Copy an equation as TeX: right-click > Copy to Clipboard > TeX Commands, MathJax's own menu.

The site's MathJax file leaves the menu out and docs/javascripts/mathjax.js loads it after the
first typeset (hooks/mathjax_assets.py says why), so this checks that it still arrives, gives
the equation's TeX, and is attached again to the math of a page reached by instant navigation.
"""

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser

MENU_READY_JS = "() => Boolean(window.MathJax && MathJax.startup.document && MathJax.startup.document.menu)"
# The TeX of the index-th mjx-container of the page, from MathJax's own list of its math.
TEX_OF_JS = """(index) => {
  const root = document.querySelectorAll("mjx-container")[index];
  const item = [...MathJax.startup.document.math].find(m => m.typesetRoot === root);
  return item ? item.math : null;
}"""


def _copy_as_tex(page, index):
    """(clipboard after the menu's Copy to Clipboard > TeX Commands, the equation's TeX)."""
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.locator("mjx-container").nth(index).click(button="right")
    page.locator(".CtxtMenu_MenuItem", has_text="Copy to Clipboard").first.hover()
    page.locator(".CtxtMenu_MenuItem:visible", has_text="TeX Commands").first.click()
    return page.evaluate("() => navigator.clipboard.readText()"), page.evaluate(TEX_OF_JS, index)


def test_copy_equation_as_tex_here_and_after_instant_navigation(browser, site_dir, site_url):
    server = bc.SiteServer(site_dir, site_url)
    context = browser.new_context(viewport=bc.DESKTOP)
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        server.attach(context)
        page = context.new_page()
        recorder = bc.Recorder(page, server)
        page.goto(server.url(""), wait_until="load")
        assert not bc.settle(page)
        page.wait_for_function(MENU_READY_JS)
        copied, tex = _copy_as_tex(page, 0)
        assert tex and copied == tex.strip(), f"home page: copied {copied!r}, equation {tex!r}"

        # Instant navigation to a page with more math: its equations get the menu too.
        target = server.url("answer/one-weight/")
        page.locator(f'nav.md-nav--primary a.md-nav__link[href$="answer/one-weight/"]').first.click()
        page.wait_for_url(target)
        page.wait_for_function("() => document.title.startsWith('One weight')")
        assert not bc.settle(page)
        page.keyboard.press("Escape")
        last = page.evaluate("() => document.querySelectorAll('mjx-container').length") - 1
        copied, tex = _copy_as_tex(page, last)
        assert tex and copied == tex.strip(), f"after navigation: copied {copied!r}, equation {tex!r}"
        assert not recorder.problems(), recorder.problems()
    finally:
        context.close()
