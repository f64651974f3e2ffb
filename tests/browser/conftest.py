"""Fixtures of the browser tests: one Chromium per session, the built site, one report per page.

Outside CI a missing Chromium skips these tests with a reason saying how to install it; under CI
(CI=true) it is a failure. Deselect them with ``-m "not browser"``.
"""

import os

import pytest

import browser_checks as bc

# The broken fixture page is built by test_fixture_page.py, never collected as docs.
collect_ignore = ["fixtures"]


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        pages = bc.pages_to_test()
        metafunc.parametrize("page_path", pages, ids=[bc.page_id(p) for p in pages])


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless, shared by every browser test of the session."""
    reason = bc.missing_browser_reason()
    if reason:
        if bc.in_ci():
            pytest.fail("CI=true but " + reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = bc.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_dir(built_site):
    """The built site (tests/conftest.py: site/ under `make test`, else a fresh build)."""
    return built_site


@pytest.fixture(scope="session")
def site_url():
    return bc.read_site_url()


@pytest.fixture(scope="session")
def screenshot_dir():
    """With BROWSER_SCREENSHOTS=1, four full-page screenshots per page (desktop and phone, light
    and dark) go to test-artifacts/screenshots/ (gitignored), for a person to look at.

    Off by default: no test reads them, and they took a third of the browser tests' time.
    """
    return bc.SCREENSHOT_DIR if os.environ.get("BROWSER_SCREENSHOTS", "0") == "1" else None


@pytest.fixture(scope="session")
def _reports():
    return {}


@pytest.fixture(scope="session")
def _started(browser):
    """Pages whose load has started ahead of their tests; closed at the end if never used."""
    started = {}
    yield started
    for opened in started.values():
        opened.context.close()


@pytest.fixture(scope="session")
def _python_runs():
    """The copied code of each inspected page, started in a fresh interpreter (page path: run)."""
    runs = {}
    yield runs
    for run in runs.values():
        run.stop()


@pytest.fixture
def report(page_path, browser, site_dir, site_url, screenshot_dir, _reports, _started, _python_runs):
    """Every check of one page, from a single load shared by the tests of that page.

    Before inspecting a page, the next page's load is started, so the browser loads and
    typesets it while this one is inspected. Once inspected, the page's copied python starts
    running in a fresh interpreter; test_copied_python_runs waits for its result.
    """
    if page_path not in _reports:
        opened = _started.pop(page_path, None) or _open(browser, site_dir, site_url, page_path)
        if opened is None:
            pytest.fail(f"{page_path or 'home page'} is not in the build {site_dir}", pytrace=False)
        try:
            for upcoming in _next_pages(page_path, _reports, _started):
                started = _open(browser, site_dir, site_url, upcoming)
                if started is not None:
                    _started[upcoming] = started
            _reports[page_path] = bc.inspect_open_page(opened, screenshot_dir)
            if _reports[page_path].python_blocks:
                _python_runs[page_path] = bc.start_python(
                    copied_code(_reports[page_path]), bc.page_id(page_path).replace("/", "_")
                )
        except Exception as error:  # one broken load fails every test of the page, once each
            _reports[page_path] = error
    result = _reports[page_path]
    if isinstance(result, Exception):
        raise result
    return result


def copied_code(report) -> str:
    """The page's testable python blocks as copied, joined into one script in page order."""
    return "\n\n".join(report.python_blocks) + "\n"


@pytest.fixture
def copied_python_result(report, page_path, _python_runs):
    """(problems, skip reason) of running the page's copied python (None: no python block)."""
    if not report.python_blocks:
        return None
    run = _python_runs.get(page_path) or bc.start_python(
        copied_code(report), bc.page_id(page_path).replace("/", "_")
    )
    _python_runs[page_path] = run
    return run.result()


def _next_pages(page_path, reports, started):
    """The pages after page_path to start loading now: BROWSER_PREFETCH of them (default 1)."""
    pages = bc.pages_to_test()
    ahead = int(os.environ.get("BROWSER_PREFETCH", "1"))
    if page_path not in pages:
        return []
    following = pages[pages.index(page_path) + 1 : pages.index(page_path) + 1 + ahead]
    return [p for p in following if p not in reports and p not in started]


def _open(browser, site_dir, site_url, path):
    """Start loading path in a fresh context; None if the build has no such page."""
    server = bc.SiteServer(site_dir, site_url)
    if server.file_for(server.url(path)) is None:
        return None
    return bc.open_page(browser, server, path)
