"""Run every python block of every page in the reader's browser (Pyodide) and compare its output
with the build's.

One Chromium for the session; the pages in sequence in one tab, by instant navigation. Printed
text must match exactly; printed numbers to their last printed digit (run_in_browser.py states
the tolerance): the browser has Python 3.12 and NumPy 2.0.2 for WebAssembly, whatever the build
pins, and its floats can differ in the last digits. The Run, Edit, Reset and Stop controls are
checked in test_run_controls.py.
"""

from __future__ import annotations

import time

import pytest

import browser_checks as bc
import run_in_browser as rb

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
            results = rb.run_every_page(context, local, rb.runnable_pages(site_dir))
        finally:
            context.close()
    seconds = time.perf_counter() - start
    count = sum(len(r.clicks) for r in results.values() if not isinstance(r, Exception))
    print(f"\nbrowser runs: {count} blocks on {len(results)} pages in {seconds:.0f} s")
    return results, local.url


def test_every_page_with_python_has_run_buttons(site_dir):
    """Each page whose build shows a python block outside a notebook describes its blocks."""
    pages = rb.runnable_pages(site_dir)
    for path in bc.page_paths_from_site(site_dir):
        if path.startswith("notebooks/"):
            continue
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
            difference = rb.output_difference(click.output, want[click.index])
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
