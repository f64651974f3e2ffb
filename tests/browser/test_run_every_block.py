"""Run every python block of every page in the reader's browser (Pyodide) and compare its output
with the build's.

One Chromium for the session; the pages in sequence in one tab, by instant navigation. Printed
text must match exactly; printed numbers to their last printed digit (backprop_site/run_in_browser.py states
the tolerance): the browser has Python 3.12 and NumPy 2.0.2 for WebAssembly, whatever the build
pins, and its floats can differ in the last digits. The Run, Edit, Reset and Stop controls are
checked in test_run_controls.py.
"""

from __future__ import annotations

import time

import pytest

import browser_checks as bc
from backprop_site import run_in_browser as rb

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def runs(browser, site_dir):
    """Every runnable page, its blocks clicked in order: {page path: PageRun}.

    One tab, as a reader going from page to page by the site's links: the first page is
    loaded, the others are reached by instant navigation, so the runtime is downloaded and
    started once (a fresh start on each page load is checked in test_run_controls.py).
    """
    start = time.perf_counter()
    with rb.LocalServer(site_dir) as local:
        context = browser.new_context(viewport=bc.DESKTOP)
        try:
            results = rb.run_every_page(context, local, site_dir, rb.runnable_pages(site_dir))
        finally:
            context.close()
    seconds = time.perf_counter() - start
    count = sum(len(r.clicks) for r in results.values() if not isinstance(r, Exception))
    print(f"\nbrowser runs: {count} blocks on {len(results)} pages in {seconds:.0f} s")
    return results, local.url


def test_printed_numbers_agree_to_their_last_digit_only():
    """Round-off in the last printed digit passes; fewer digits (another print setting) do not."""
    assert rb.output_difference("dW2 [0.125979 0.13595]", "dW2 [0.125978 0.13596]") is None
    assert rb.output_difference("C = 9.690927661037962e-11", "C = 8.077893215441279e-11") is None
    assert rb.output_difference("dW2 [0.126 0.136]", "dW2 [0.125979 0.135952]") is not None
    assert rb.output_difference("dW2 [0.125 0.136]", "dW2 [0.126 0.136]") is None
    assert rb.output_difference("dW2 [0.124 0.136]", "dW2 [0.126 0.136]") is not None


def test_only_the_stated_lines_of_training_outcomes_may_differ_in_their_numbers():
    """hidden-width's table of steps and its accuracies may differ (TRAINING_OUTCOMES says why);
    its other lines, and the same lines on another page, may not."""
    page = "notebooks/hidden-width/"
    steps = "    2       0/6         5/6   {} 3500 3700 6700 9100"
    assert rb.page_output_difference(page, steps.format(1100), steps.format(1200)) is None
    assert rb.page_output_difference(page, "3 hidden: 88% of the points on their side",
                                     "3 hidden: 94% of the points on their side") is None
    assert rb.page_output_difference(page, "3 hidden: 88% of the points", "3 units: 94% of the points") is not None
    assert rb.page_output_difference(page, "seed 0: outputs 0.04 0.90", "seed 0: outputs 0.04 0.97") is not None
    assert rb.page_output_difference("notebooks/learning-rate-and-batch-sum/", steps.format(1100),
                                     steps.format(1200)) is not None


def test_every_page_with_python_has_run_buttons(site_dir):
    """Each page whose build shows a python block or a notebook code cell describes them."""
    pages = rb.runnable_pages(site_dir)
    for path in bc.page_paths_from_site(site_dir):
        shown = rb.build_outputs(site_dir, path)
        assert (path in pages) == bool(shown), f"{path or 'home'}: {len(shown)} python blocks"


def test_every_block_runs_in_the_browser_as_in_the_build(runs, site_dir):
    runs, origin = runs
    problems = []
    for path, run in runs.items():
        if isinstance(run, Exception):
            problems.append(f"{path}: {run}")
            continue
        want = rb.build_outputs(site_dir, path)
        if not run.clicks:
            problems.append(f"{path}: no Run button")
        for click in run.clicks:
            where = f"{path or 'home'} block {click.index + 1}"
            if click.error or not click.status.startswith("Ran in your browser"):
                problems.append(f"{where}: {click.status}\n{click.output}")
                continue
            difference = rb.page_output_difference(path, click.output, want[click.index])
            if difference:
                problems.append(f"{where}: {difference}")
        leaving = [u for u in run.requests if not u.startswith(origin)]
        if leaving:
            problems.append(f"{path}: requests to another origin: {leaving}")
    assert not problems, "\n".join(problems)


def test_python_is_started_once_for_pages_reached_by_instant_navigation(runs):
    """Only the pages' own code ran, so Python went on from page to page: the first page
    started the one worker."""
    runs, _ = runs
    started = {path: run.workers for path, run in runs.items() if not isinstance(run, Exception)}
    first = next(iter(started))
    assert started[first] == 1 and sum(started.values()) == 1, started


def test_a_later_block_first_runs_the_earlier_blocks_of_its_session(runs, site_dir):
    """On each page with a session of several blocks, Run clicked first on the session's last
    block: the earlier blocks ran before it (their outputs appear under them), no other block
    ran, and every output is the build's."""
    runs, _ = runs
    checked, problems = 0, []
    for path, run in runs.items():
        if isinstance(run, Exception) or run.session_first is None:
            continue
        checked += 1
        members, click, bars = run.session_first
        want = rb.build_outputs(site_dir, path)
        difference = rb.page_output_difference(path, click.output, want[click.index])
        if difference:
            problems.append(f"{path} block {click.index + 1}: {difference}")
        for bar in bars:
            where = f"{path} block {bar['index'] + 1}"
            if bar["index"] in members and want[bar["index"]] is not None:
                if not bar["ranHere"]:
                    problems.append(f"{where} of the session did not run first")
                elif rb.page_output_difference(path, bar["output"], want[bar["index"]]):
                    problems.append(f"{where}: {rb.page_output_difference(path, bar['output'], want[bar['index']])}")
            elif bar["index"] not in members and bar["ranHere"]:
                problems.append(f"{where} is not in the session but ran")
    assert checked >= 3, f"only {checked} pages have a session of several blocks"
    assert not problems, "\n".join(problems)
