"""Copy an equation as TeX: right-click it > Copy TeX (docs/javascripts/math.js), the same from
the keyboard, and a copied selection holding math.

The build typesets the math and keeps each formula's TeX in a data-tex attribute
(hooks/math_render.py). The TeX copied is checked against the page's Markdown source, not only
against that attribute, on the home page and on a page reached by instant navigation.
"""

import re

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser

TEX_OF_JS = """(index) => document.querySelectorAll("mjx-container")[index].getAttribute("data-tex")"""


def _squeeze(text):
    return re.sub(r"\s+", "", text)


def _copy_as_tex(page, index):
    """(clipboard after right-click > Copy TeX on the index-th formula, that formula's data-tex)."""
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.locator("mjx-container").nth(index).click(button="right")
    page.locator(".math-menu .math-menu__item", has_text="Copy TeX").click()
    assert page.locator(".math-menu").count() == 0, "the menu stays open after its item was clicked"
    return page.evaluate("() => navigator.clipboard.readText()"), page.evaluate(TEX_OF_JS, index)


def _check_copy(page, index, source, where):
    copied, tex = _copy_as_tex(page, index)
    assert tex and copied == tex, f"{where}: copied {copied!r}, the formula's data-tex {tex!r}"
    assert _squeeze(copied) in _squeeze(source), f"{where}: copied {copied!r}, not in the page's source"


@pytest.fixture
def server(site_dir, site_url):
    return bc.SiteServer(site_dir, site_url)


@pytest.fixture
def context(browser, server):
    """A context served by server that may read and write the clipboard."""
    context = browser.new_context(viewport=bc.DESKTOP)
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    server.attach(context)
    yield context
    context.close()


def test_copy_equation_as_tex_here_and_after_instant_navigation(context, server):
    page = context.new_page()
    recorder = bc.Recorder(page, server)
    page.goto(server.url(""), wait_until="load")
    assert not bc.settle(page)
    _check_copy(page, 0, (bc.ROOT / "docs" / "index.md").read_text(encoding="utf-8"), "home page")

    # Escape closes the menu.
    page.locator("mjx-container").first.click(button="right")
    page.keyboard.press("Escape")
    assert page.locator(".math-menu").count() == 0, "Escape left the menu open"

    # From the keyboard: a formula is a tab stop; Shift+F10 opens the menu, with its item
    # focused, and Enter copies.
    first = page.locator("mjx-container").first
    assert first.evaluate("m => m.tabIndex") == 0, "a formula is not a tab stop"
    page.evaluate("() => navigator.clipboard.writeText('')")
    first.focus()
    page.keyboard.press("Shift+F10")
    item = page.locator(".math-menu .math-menu__item")
    assert item.evaluate("i => i === document.activeElement"), "the menu's item has no focus"
    page.keyboard.press("Enter")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.evaluate(TEX_OF_JS, 0), f"the keyboard copied {copied!r}"

    # Instant navigation to a page with more math: its equations copy too.
    target = server.url("answer/one-weight/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator('nav.md-nav--primary a.md-nav__link[href$="answer/one-weight/"]').first.click()
    page.wait_for_url(target)
    bc.wait_until(page, "() => document.title.startsWith('One weight')")
    assert page.evaluate("() => window.__sameDocument === true"), "the click reloaded the page"
    assert not bc.settle(page)
    # The page's last formula a reader can see (later ones may sit in a folded block).
    last = page.evaluate(
        "() => [...document.querySelectorAll('mjx-container')].findLastIndex(m => m.checkVisibility())")
    source = (bc.ROOT / "docs" / "answer" / "one-weight.md").read_text(encoding="utf-8")
    _check_copy(page, last, source, "after instant navigation")
    assert not recorder.problems(), recorder.problems()


# Select the first paragraph of the article that holds inline math, and say what it holds:
# its text with each formula as $TeX$ (what the copy should give) and its formulas.
SELECT_PARAGRAPH_JS = r"""() => {
  const p = [...document.querySelectorAll("article p")].find(
    (el) => el.querySelector("mjx-container:not([display=true])") && !el.querySelector("code, a"));
  const range = document.createRange();
  range.selectNodeContents(p);
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  let expected = "";
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { expected += node.data; return; }
    if (node.matches("mjx-container")) { expected += "$" + node.getAttribute("data-tex") + "$"; return; }
    node.childNodes.forEach(walk);
  };
  walk(p);
  return expected.replace(/\s+/g, " ").trim();
}"""


def test_copying_a_selection_gives_its_math_as_tex(context, server):
    page = context.new_page()
    page.goto(server.url("answer/one-weight/"), wait_until="load")
    assert not bc.settle(page)
    expected = page.evaluate(SELECT_PARAGRAPH_JS)
    assert "$" in expected, expected
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.keyboard.press("Control+C")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == expected, f"copied {copied!r}\nexpected {expected!r}"
