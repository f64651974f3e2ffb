"""The Run, Edit, Reset and Stop controls in the reader's browser: nothing downloaded before the
first click, edit and reset, stop, the Content-Security-Policy, a failed load, instant
navigation, the keyboard. Every block of every page is run in test_run_every_block.py, with
the blocks of a session.
"""

from __future__ import annotations

import pytest

import browser_checks as bc
import run_in_browser as rb

pytestmark = pytest.mark.browser

# How long a failed load may take to say so (it is reported as soon as a request fails).
FAILED_LOAD_S = 5.0


@pytest.fixture(scope="module")
def server(site_dir, site_url):
    """The site at its own origin through request routing, which can block a request."""
    return bc.SiteServer(site_dir, site_url)


@pytest.fixture(scope="module")
def local(site_dir):
    """The site over HTTP on 127.0.0.1, with Cache-Control, as a static host serves it."""
    with rb.LocalServer(site_dir) as served:
        yield served


@pytest.fixture(scope="module")
def cached(browser):
    """One context for the tests below that need no routing: after the first of them the
    runtime comes from the browser's cache, as for a reader's second page load."""
    context = browser.new_context(viewport=bc.DESKTOP)
    yield context
    context.close()


def test_nothing_is_downloaded_before_the_first_click(browser, local):
    context = browser.new_context()
    try:
        requests = []
        context.on("request", lambda r: requests.append(r.url))
        page = rb.open_local(context, local, "answer/one-weight/")
        page.wait_for_timeout(500)
        assert not [u for u in requests if "/assets/pyodide/" in u or "run-worker" in u], requests
        with context.expect_event("request", lambda r: r.url.endswith("pyodide.asm.wasm"),
                                  timeout=rb.RUN_TIMEOUT_MS):
            page.locator("div.run-bar .run-button", has_text="Run").first.click()
    finally:
        context.close()


def test_edit_drop_a_transpose_then_reset(cached, local, site_dir):
    """The reader drops the transpose of the weight gradient: a shape error; Reset + Run gives
    the build's output again."""
    path = "answer/l-layers/"
    want = rb.build_outputs(site_dir, path)
    page = rb.open_local(cached, local, path)
    try:
        bars = page.locator("div.run-bar")
        target = next(i for i in range(bars.count())
                      if ".T @" in page.evaluate(
                          "(i) => document.querySelectorAll('div.run-bar')[i].previousElementSibling.textContent", i))
        bar = bars.nth(target)
        original = rb.click_run(page, target)
        assert rb.output_difference(original.output, want[original.index]) is None, original
        # Reset and Stop are hidden until there is something to reset or stop.
        assert not bar.locator("button", has_text="Reset").is_visible()
        assert not bar.locator("button", has_text="Stop").is_visible()
        bar.get_by_role("button", name="Edit").click()
        editor = page.locator("textarea.run-editor")
        code = editor.input_value()
        assert ".T @" in code
        editor.fill(code.replace(".T @", " @", 1))
        editor.press("Shift+Enter")
        page.wait_for_function(rb.DONE_JS, arg=target, timeout=rb.RUN_TIMEOUT_MS)
        broken = page.evaluate(rb.STATE_JS)[target]
        assert broken["error"] and "Traceback" in broken["output"], broken
        assert "ValueError" in broken["output"] and "matmul" in broken["output"], broken["output"]
        # The traceback starts at the reader's code, not in the worker's or Pyodide's frames.
        first_frame = broken["output"].split("\n")[1]
        assert first_frame.startswith(f'  File "<code block {target + 1}>"'), broken["output"]
        assert "_pyodide" not in broken["output"] and "pyodide.asm" not in broken["output"]
        bar.get_by_role("button", name="Reset").click()
        assert page.locator("textarea.run-editor").count() == 0
        again = rb.click_run(page, target)
        assert rb.output_difference(again.output, want[again.index]) is None, again
    finally:
        page.close()


def test_stop_ends_a_long_run_and_run_starts_again(cached, local):
    page = rb.open_local(cached, local, "answer/one-weight/")
    try:
        rb.click_run(page, 0)
        bar = page.locator("div.run-bar").nth(0)
        bar.get_by_role("button", name="Edit").click()
        page.locator("textarea.run-editor").fill("while True:\n    pass")
        bar.get_by_role("button", name="Run").click()
        stop = bar.get_by_role("button", name="Stop")
        stop.wait_for(state="visible")
        page.wait_for_timeout(300)
        stop.click()
        page.wait_for_function(rb.DONE_JS, arg=0, timeout=10_000)
        assert "Stopped" in page.evaluate(rb.STATE_JS)[0]["status"]
        bar.get_by_role("button", name="Reset").click()
        again = rb.click_run(page, 0)
        assert again.status.startswith("Ran in your browser"), again
    finally:
        page.close()


def test_runs_under_the_content_security_policy(browser, site_dir):
    """Every response carries the header (as a host that sets it site-wide would), the worker's
    too; no script of the runner or of Pyodide is refused."""
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    context = browser.new_context()
    try:
        refused = []
        context.on("console", lambda m: refused.append(m.text)
                   if "Content Security Policy" in m.text else None)
        with rb.LocalServer(site_dir, csp=rb.CSP) as strict:
            page = rb.open_local(context, strict, path)
            for bar in range(3):
                click = rb.click_run(page, bar)
                assert rb.output_difference(click.output, want[click.index]) is None, click
        # The policy also refuses some of Material's own things, none of them the runner's: the
        # inline scripts of its template (palette and scope set-up) and its data: SVG icons and
        # inline styles (default-src covers img-src and style-src). Scripts, workers and
        # WebAssembly must all pass.
        ours = [m for m in refused if ("script-src" in m or "worker-src" in m)
                and not m.startswith("Executing inline script")]
        assert not ours, ours
    finally:
        context.close()


@pytest.mark.parametrize("blocked", ["pyodide.asm.wasm", "pyodide.js", "run-worker.js"])
def test_a_failed_load_says_so_within_seconds(browser, server, blocked):
    context = browser.new_context()
    try:
        page = rb.open_page(context, server, "answer/one-weight/", block=[blocked])
        click = rb.click_run(page, 0, timeout_ms=int(FAILED_LOAD_S * 1000))
        assert click.status.startswith("Python could not be loaded"), click
        assert click.seconds < FAILED_LOAD_S, click
    finally:
        context.close()


def test_instant_navigation_starts_each_page_afresh(cached, local, site_dir):
    """Material's instant navigation swaps the page without reloading it: the new page gets
    Run buttons; the reader ran edited code, so its code runs in a new worker, which sees
    nothing of the previous page."""
    page = rb.open_local(cached, local, "answer/one-weight/")
    try:
        workers = []
        page.on("worker", lambda worker: rb.is_python(worker) and workers.append(worker))
        bar = page.locator("div.run-bar").nth(0)
        bar.get_by_role("button", name="Edit").click()
        page.locator("textarea.run-editor").fill("import sys\nsys.left_by_the_last_page = 1\nprint('set')")
        assert rb.click_run(page, 0).output == "set"
        page.evaluate("() => { window.sameDocument = true; }")
        target = "answer/output-layer/"
        page.locator(f"nav.md-nav a[href$='{target.split('/')[1]}/']").first.click()
        page.wait_for_url(f"**/{target}")
        page.wait_for_function("() => document.querySelector('div.run-bar') !== null"
                               " && document.querySelector('textarea.run-editor') === null")
        assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"
        want = rb.build_outputs(site_dir, target)
        first = rb.click_run(page, 0)
        assert rb.output_difference(first.output, want[first.index]) is None, first
        assert len(workers) == 2, f"{len(workers)} workers: the edited Python went on"
        bar = page.locator("div.run-bar").nth(0)
        bar.get_by_role("button", name="Edit").click()
        page.locator("textarea.run-editor").fill("import sys\nprint(hasattr(sys, 'left_by_the_last_page'))")
        assert rb.click_run(page, 0).output == "False"
    finally:
        page.close()


def test_the_buttons_work_from_the_keyboard(cached, local, site_dir):
    """Run with Enter on the focused button, Edit with Space, Shift+Enter in the editor."""
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    page = rb.open_local(cached, local, path)
    try:
        bar = page.locator("div.run-bar").nth(0)
        bar.get_by_role("button", name="Run").focus()
        page.keyboard.press("Enter")
        page.wait_for_function(rb.DONE_JS, arg=0, timeout=rb.RUN_TIMEOUT_MS)
        state = page.evaluate(rb.STATE_JS)[0]
        assert rb.output_difference(state["output"], want[state["index"]]) is None, state
        bar.get_by_role("button", name="Edit").focus()
        page.keyboard.press("Space")
        editor = page.locator("textarea.run-editor")
        assert editor.evaluate("e => e === document.activeElement"), "the editor has no focus"
        editor.fill("print(6 * 7)")
        editor.press("Shift+Enter")
        page.wait_for_function(rb.DONE_JS, arg=0, timeout=rb.RUN_TIMEOUT_MS)
        assert page.evaluate(rb.STATE_JS)[0]["output"] == "42"
    finally:
        page.close()
