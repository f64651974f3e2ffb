"""A notebook page's code cells in the reader's browser: a cell that computes has Run, prints
what the build printed in place of the cell's output, and Reset brings the build's output back;
a cell that draws has no Run but says why (hooks/pyodide_runtime.py, docs/javascripts/run.js).
Every computing cell of every notebook is run in test_run_every_block.py.
"""

from __future__ import annotations

import pytest

import browser_checks as bc
from backprop_site import run_in_browser as rb

pytestmark = pytest.mark.browser

PAGE = "notebooks/train-the-learners-network/"  # computes in a few seconds in the browser

# For each code cell: whether it has a Run bar or a note under its input, the note's text,
# whether its own output is shown, and the text of a run's output box if there is one.
CELLS_JS = """() => [...document.querySelectorAll(".md-content .jp-CodeCell .highlight-ipynb")].map((code) => {
  const input = code.closest(".jp-Cell-inputWrapper");
  const under = input.nextElementSibling;
  const bar = under && under.matches("div.run-bar") ? under : null;
  const note = under && under.matches("p.run-bar") ? under.textContent : null;
  const result = bar && bar.nextElementSibling && bar.nextElementSibling.matches(".result")
                 ? bar.nextElementSibling : null;
  const built = code.closest(".jp-CodeCell").querySelector(".jp-Cell-outputWrapper");
  return {
    run: Boolean(bar && bar.querySelector(".run-button")),
    note,
    builtShown: Boolean(built && built.checkVisibility()),
    output: result ? result.querySelector("code").textContent : null,
  };
})"""


def test_a_computing_cell_runs_and_a_drawing_cell_says_why_not(browser, site_dir):
    described = rb.described_blocks(site_dir, PAGE)
    want = rb.build_outputs(site_dir, PAGE)
    computing = [i for i, cell in enumerate(described) if cell["run"]]
    drawing = [i for i, cell in enumerate(described) if not cell["run"]]
    assert computing and drawing, described
    # the second computing cell that prints continues the first: Run runs both
    clicked = [i for i in computing if want[i]][1]
    context = browser.new_context(viewport=bc.DESKTOP)
    try:
        with rb.LocalServer(site_dir) as local:
            page = rb.open_local(context, local, PAGE)
            cells = page.evaluate(CELLS_JS)
            assert len(cells) == len(described)
            for i in drawing:
                assert not cells[i]["run"], f"drawing cell {i + 1} has Run"
                assert cells[i]["note"] and "matplotlib" in cells[i]["note"], cells[i]
            assert all(cells[i]["run"] for i in computing), cells

            click = rb.click_run(page, computing.index(clicked))
            assert click.status.startswith("Ran in your browser"), click.status
            cells = page.evaluate(CELLS_JS)
            assert rb.page_output_difference(PAGE, cells[clicked]["output"], want[clicked]) is None, (
                cells[clicked]["output"], want[clicked])
            assert not cells[clicked]["builtShown"], "the build's output is shown beside the run's"

            page.locator("div.run-bar").nth(computing.index(clicked)).get_by_role("button", name="Edit").click()
            page.locator("div.run-bar").nth(computing.index(clicked)).get_by_role("button", name="Reset").click()
            cells = page.evaluate(CELLS_JS)
            assert cells[clicked]["builtShown"] and cells[clicked]["output"] is None, cells[clicked]
            page.close()
    finally:
        context.close()
