"""Instant navigation (Material's navigation.instant): a click swaps the page without a reload,
and the new page's math (typeset by the build) must be shown once, with its TeX; going back must
show the home page's math again."""

import html
import re

import pytest

import browser_checks as bc

pytestmark = pytest.mark.browser

ARRIVED_JS = """([title, count]) => document.title === title
  && document.querySelectorAll(".arithmatex").length === count
  && [...document.querySelectorAll(".arithmatex")].every(e => e.querySelector("mjx-container"))"""


def _expected(server, url):
    """(title, number of math elements) of the page at url, read from the built file."""
    text = server.file_for(url).read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1).strip())
    return title, text.count('class="arithmatex"')


def _nav_target(page, server):
    """The first page linked from the visible primary navigation that has math (else the first)."""
    links = page.evaluate(
        """() => [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link[href]")]
             .filter(a => a.offsetParent !== null && a.pathname !== location.pathname)
             .map(a => [a.getAttribute("href"), a.href.split("#")[0]])"""
    )
    assert links, "no visible link to another page in the primary navigation"
    for raw, url in links:
        if server.file_for(url) is not None and _expected(server, url)[1] > 0:
            return raw, url
    return links[0]


def _arrive(page, server, url, what):
    """Wait until the page at url is shown with all its math; return the math problems."""
    title, count = _expected(server, url)
    page.wait_for_url(url)
    try:
        bc.wait_until(page, ARRIVED_JS, [title, count], timeout_ms=15_000)
    except Exception:
        return [f"{what}: {title!r} not shown with its {count} math elements typeset within 15 s"] + (
            bc.math_problems(page)
        )
    return [f"{what}: {p}" for p in bc.settle(page) + bc.math_problems(page)]


def test_instant_navigation_shows_math_there_and_back(browser, site_dir, site_url):
    server = bc.SiteServer(site_dir, site_url)
    context = browser.new_context(viewport=bc.DESKTOP)
    try:
        server.attach(context)
        page = context.new_page()
        recorder = bc.Recorder(page, server)
        home = server.url("")
        page.goto(home, wait_until="load")
        problems = _arrive(page, server, home, "home page")
        assert _expected(server, home)[1] > 0, "the home page has no math to re-typeset"
        page.evaluate("() => { window.__sameDocument = true; }")

        raw, url = _nav_target(page, server)
        page.locator(f'nav.md-nav--primary a.md-nav__link[href="{raw}"]:visible').first.click()
        problems += _arrive(page, server, url, f"after clicking {raw}")
        assert page.evaluate("() => window.__sameDocument === true"), (
            f"clicking {raw} reloaded the page: instant navigation did not happen"
        )
        page.go_back()
        problems += _arrive(page, server, home, "after going back")
        assert page.evaluate("() => window.__sameDocument === true"), "going back reloaded the page"
        problems += recorder.problems()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
