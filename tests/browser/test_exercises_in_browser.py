"""An exercise in the reader's browser: Edit the exercise block, type a wrong line in place of
the placeholder, Run, and diagnose's finding is shown under the block. Every exercise's wrong
lines are checked without a browser in tests/pages/test_exercises.py; one start of Pyodide is enough
here.
"""

from __future__ import annotations

import re

import pytest

import browser_checks as bc
import run_in_browser as rb

pytestmark = pytest.mark.browser

PAGE = "answer/output-layer/"
PLACEHOLDER = re.compile(r"^delta2 = \.\.\.  # your line.*$", re.M)
WRONG_LINE = "delta2 = a2 - y"  # the slope of the sigmoid left out


def test_a_wrong_line_typed_into_an_exercise_is_named(browser, site_dir):
    built = rb.build_outputs(site_dir, PAGE)
    with rb.LocalServer(site_dir) as local:
        context = browser.new_context(viewport=bc.DESKTOP)
        try:
            page = rb.open_local(context, local, PAGE)
            codes = page.evaluate("""() => [...document.querySelectorAll("div.run-bar")]
                .map((bar) => bar.previousElementSibling.textContent)""")
            target = next(i for i, code in enumerate(codes) if PLACEHOLDER.search(code))
            bar = page.locator("div.run-bar").nth(target)
            bar.get_by_role("button", name="Edit").click()
            editor = page.locator("textarea.run-editor")
            code = editor.input_value()
            editor.fill(PLACEHOLDER.sub(WRONG_LINE, code, count=1))
            bar.get_by_role("button", name="Run").click()
            page.wait_for_function(rb.DONE_JS, arg=target, timeout=rb.RUN_TIMEOUT_MS)
            state = page.evaluate(rb.STATE_JS)[target]
            assert "Not written yet" in built[state["index"]], built[state["index"]]
            assert state["ranHere"] and not state["error"], state
            assert state["status"].startswith("Ran in your browser"), state
            assert "delta2 (layer 2): missing_sigma_prime" in state["output"], state["output"]
            assert "leaves out the slope of the sigmoid" in state["output"], state["output"]
        finally:
            context.close()
