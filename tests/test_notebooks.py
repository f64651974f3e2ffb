"""Every notebook under docs/notebooks/ runs, top to bottom, in a real kernel, as the site build
runs it, and what its prose says is true.

The notebooks are jupytext percent-format .py files (readable diffs, no stored outputs). Each
must draw its plots as SVG (hooks/notebook_pages.py puts them in the page in the theme's
colours; a PNG could not follow the theme) and write nothing to stderr (warnings included).

Under `make test` the build that `make test` has just run executed every notebook in a kernel
(allow_errors: false, no cache: tests/test_notebook_build.py proves both), and names its output
in BACKPROP_SITE_DIR. The outputs are then read from the built page instead of running the
notebook a second time, provided the page was built from the notebook as it is now (the build
copies the source beside the page; any difference and the notebook is executed here). Anywhere
else each notebook is read with jupytext and executed with nbclient in docs/ (the build's working
directory), so a cell that raises fails here with the cell's traceback.

The checks of what a notebook computes are here, not in its cells (a reader sees computations
and plots): the cells that compute are run here, without matplotlib, and the tests read their
variables and what they printed; the plots are read from the build, or drawn here.
"""

import colorsys
import contextlib
import functools
import html
import io
import os
import re
import runpy
import sys
import time
from pathlib import Path

import jupytext
import matplotlib
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from sitebuild import ROOT, load_file

DOCS = ROOT / "docs"
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.py")) + sorted((DOCS / "notebooks").glob("*.ipynb"))
SCRIPTS = {path.stem: path for path in NOTEBOOKS if path.suffix == ".py"}
notebook_pages = load_file(ROOT / "hooks" / "notebook_pages.py", "notebook_pages")
CODE_WIDTH = 74   # characters of code or printed text that fit a cell at 1280 px


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3, f"expected the three notebooks, found {[p.name for p in NOTEBOOKS]}"


def test_notebooks_are_stored_without_outputs():
    for path in NOTEBOOKS:
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            stored = [i for i, cell in enumerate(nb.cells) if cell.get("outputs")]
            assert not stored, f"{path.name}: cells {stored} have stored outputs; clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_point_at_pages(path):
    """mkdocs does not rewrite or validate links inside notebooks, so they are written as the
    built site's URLs (a notebook page lives at notebooks/NAME/); each must name a docs page."""
    nb = jupytext.read(path)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        url = target.split("#")[0]
        assert url.startswith("../../") and url.endswith("/") and ".md" not in url, (
            f"{path.name}: link {target!r} should look like ../../beyond/page/")
        page = DOCS / (url[len("../../"):].rstrip("/") + ".md")
        assert page.is_file(), f"{path.name}: link {target!r} names no page ({page} is missing)"


# nbconvert's lab template: one div per output. After hooks/notebook_pages.py an SVG output's
# div holds an inline <svg>; a PNG output's div an <img>; a text output's div names its MIME
# type (stdout text/plain, stderr application/vnd.jupyter.stderr).
# tests/test_notebook_build.py checks this reading on a page the real build made.
OUTPUT_DIV = re.compile(r'<div class="([^"]*\bjp-OutputArea-output\b[^"]*)"([^>]*)>(?=(.{0,300}))', re.DOTALL)
PLOT = re.compile(r'<div class="jp-RenderedSVG[^"]*"[^>]*>\s*(<svg\b.*?</svg>)', re.DOTALL)


def outputs_on_page(page_html: str) -> dict[str, list[str]]:
    """The plots (inline SVG), the PNG images and the stderr texts among the cell outputs of a
    built notebook page."""
    found = {"plots": PLOT.findall(page_html), "png": [], "stderr": []}
    for classes, attrs, start in OUTPUT_DIV.findall(page_html):
        if "jp-RenderedImage" in classes and re.search(r'<img[^>]*src="data:image/png;base64,', start):
            found["png"].append(start)
        if "application/vnd.jupyter.stderr" in attrs:
            text = start.split("</pre>")[0]  # the start of the output's text
            found["stderr"].append(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return found


def built_page(path: Path) -> Path | None:
    """path's page in the build named by BACKPROP_SITE_DIR; None when there is no such build or
    it was made from other source than path's (the build copies the source beside the page)."""
    named = os.environ.get("BACKPROP_SITE_DIR")
    if not named:
        return None
    folder = (ROOT / named).resolve() / "notebooks" / path.stem
    page, source = folder / "index.html", folder / path.name
    if not (page.is_file() and source.is_file()) or source.read_bytes() != path.read_bytes():
        return None
    return page


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_and_plots(path):
    page = built_page(path)
    if page is not None:
        found = outputs_on_page(page.read_text(encoding="utf-8"))
        assert found["plots"], f"{path.name} drew no SVG plot (read from {page})"
        assert not found["png"], (f"{path.name} shows {len(found['png'])} PNG plot(s), which cannot "
                                  f"follow the dark theme: set InlineBackend.figure_formats = [\"svg\"]")
        assert not found["stderr"], f"{path.name} wrote to stderr (read from {page}):\n" + "\n".join(
            found["stderr"])
        print(f"{path.name}: executed by the build, {len(found['plots'])} plots in {page}")
        return
    nb = jupytext.read(path)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(DOCS)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)
    seconds = time.perf_counter() - start
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    plots = [out for out in outputs if "image/svg+xml" in out.get("data", {})]
    png = [out for out in outputs if "image/png" in out.get("data", {})]
    stderr = [out.get("text", "") for out in outputs if out.get("name") == "stderr"]
    assert plots, f"{path.name} drew no SVG plot"
    assert not png, f"{path.name} draws {len(png)} PNG plot(s): set InlineBackend.figure_formats = [\"svg\"]"
    assert not stderr, f"{path.name} wrote to stderr:\n{''.join(stderr)}"
    print(f"{path.name}: {seconds:.1f} s, {len(plots)} plots")


# ---------------------------------------------------------------- what a reader sees
def code_cells(path):
    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_show_no_checks(path):
    """A reader sees computations and plots; the checks are in this file."""
    shown = [(number, line.strip()) for number, source in enumerate(code_cells(path), start=1)
             for line in source.splitlines()
             if re.match(r"\s*(assert\b|np\.testing\.|raise AssertionError)", line)]
    assert not shown, f"{path.name}: code cells show checks (move them to tests/test_notebooks.py): {shown}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_fits_the_cell(path):
    """No code line is cut off at the right of its cell on a desktop screen."""
    long = [(number, len(line), line) for number, source in enumerate(code_cells(path), start=1)
            for line in source.splitlines() if len(line) > CODE_WIDTH]
    assert not long, f"{path.name}: code lines longer than {CODE_WIDTH} characters: {long}"


# ---------------------------------------------------------------- each notebook's cells
def draws(source):
    """Whether a code cell draws (matplotlib), rather than computes and prints."""
    return bool(re.search(r"\bplt\.|^%config|matplotlib", source, re.MULTILINE))


@functools.cache
def computed(name):
    """The variables and the printed text of docs/notebooks/NAME.py's cells that compute, run in
    order in one namespace from docs/ (the build's working directory) with matplotlib made
    unimportable: they need nothing but NumPy and the package, as in the reader's browser."""
    cells = [source for source in code_cells(SCRIPTS[name]) if not draws(source)]
    variables, printed = {"__name__": "__main__"}, io.StringIO()
    # None in sys.modules makes `import matplotlib...` fail (only these entries are restored
    # afterwards: what the cells import, the package among them, stays imported)
    blocked = {module: sys.modules.get(module) for module in ("matplotlib", "matplotlib.pyplot")}
    sys.modules.update(dict.fromkeys(blocked))
    try:
        # np.printoptions(): the print settings a cell makes stay in the cells
        with np.printoptions(), contextlib.chdir(DOCS), contextlib.redirect_stdout(printed):
            for number, source in enumerate(cells, start=1):
                exec(compile(source, f"{name}, computing cell {number}", "exec"), variables)
    finally:
        for module, loaded in blocked.items():
            if loaded is None:
                del sys.modules[module]
            else:
                sys.modules[module] = loaded
    return variables, printed.getvalue()


def plots(name):
    """Each plot of docs/notebooks/NAME.py as the page shows it: read from the build named by
    BACKPROP_SITE_DIR when it was made from this notebook, else drawn here (the notebook run
    as a script with matplotlib's Agg backend, each figure through hooks/notebook_pages.py)."""
    page = built_page(SCRIPTS[name])
    if page is not None:
        return outputs_on_page(page.read_text(encoding="utf-8"))["plots"]
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawn = []
    with matplotlib.rc_context(), contextlib.chdir(DOCS), contextlib.redirect_stdout(io.StringIO()):
        plt.close("all")
        runpy.run_path(str(SCRIPTS[name]), run_name="__main__")
        for number in plt.get_fignums():
            svg = io.StringIO()
            plt.figure(number).savefig(svg, format="svg", bbox_inches="tight")
            drawn.append(notebook_pages.themed_svg(svg.getvalue()))
        plt.close("all")
    return drawn


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_compute_or_draw(path):
    """The cells that compute can run where matplotlib cannot (the reader's browser has NumPy
    and the package only): a notebook computes in some cells and draws in others."""
    sources = code_cells(path)
    assert any(draws(s) for s in sources) and not all(draws(s) for s in sources), path.name


def luminance(rgb):
    """WCAG relative luminance of an (r, g, b) colour with channels in 0..1."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(rgb_a, rgb_b):
    high, low = sorted([luminance(rgb_a), luminance(rgb_b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# Material's page backgrounds: white, and for the dark (slate) scheme
# hsla(var(--md-hue), 15%, 14%, 1) with --md-hue 225deg.
BACKGROUNDS = {"light": (1.0, 1.0, 1.0), "dark": colorsys.hls_to_rgb(225 / 360, 0.14, 0.15)}


@pytest.mark.parametrize("name", SCRIPTS)
def test_plots_follow_the_theme(name):
    """Every plot is drawn in the page's own text and background colours, its lines in colours
    that stand out (3:1, WCAG's minimum for graphics) on both themes' backgrounds, and it has a
    name a screen reader reads."""
    drawn = plots(name)
    assert drawn, f"{name} drew no plot"
    for number, svg in enumerate(drawn, start=1):
        where = f"{name}, plot {number}"
        fixed = sorted(set(re.findall(r"#000000|#ffffff", svg)))
        assert not fixed, f"{where}: fixed black or white left: {fixed}"
        label = re.search(r'<svg role="img" aria-label="Plot: ([^"]+)"', svg)
        assert label and label.group(1) != "Plot", f"{where}: no accessible name: {svg[:200]}"
        for colour in sorted(set(re.findall(r"stroke: (#[0-9a-f]{6})", svg))):
            rgb = tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
            for theme, background in BACKGROUNDS.items():
                assert contrast(rgb, background) >= 3, (
                    f"{where}: a line in {colour} has contrast {contrast(rgb, background):.2f} "
                    f"with the {theme} theme's background")


@pytest.mark.parametrize("name", SCRIPTS)
def test_printed_text_fits_and_uses_the_site_notation(name):
    _, printed = computed(name)
    long = [line for line in printed.splitlines() if len(line) > CODE_WIDTH]
    assert not long, f"{name}: printed lines longer than {CODE_WIDTH} characters: {long}"
    assert "η" not in printed, f"{name} prints η; the learning rate is γ"


LEARNER_PRINTS = [0.028, 0.925, 0.925, 0.090]   # the learner's script, after 1000 steps


def test_training_the_learners_network():
    v, _ = computed("train-the-learners-network")
    history = v["history"]
    # "exactly as in the question": the learner's own four outputs
    np.testing.assert_allclose(v["outputs"], LEARNER_PRINTS, atol=5e-4)
    assert np.all(np.diff(history) < 0), "with γ = 1 the cost falls at every step"
    # "the four outputs start close together", "a quick drop in the first few steps" to the
    # plateau at C_half, "all four outputs sit near 0.5" on it
    assert np.ptp(v["before"]) < 0.1, v["before"]
    plateau = v["on_plateau"]
    assert plateau[0] < 10 and np.all(np.diff(plateau) == 1), plateau
    np.testing.assert_allclose(v["plateau_net"].predict(v["x"])[:, 0], 0.5, atol=0.05)
    # the steep fall after the plateau, then a slow tail
    assert plateau[-1] < v["steepest"] < len(history) - 100, (plateau[-1], v["steepest"])
    # "the four training points sit in regions of their own colour"
    grid, surface = v["grid"], v["surface"]
    for (x1, x2), label in {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}.items():
        value = surface[np.argmin(abs(grid - x2)), np.argmin(abs(grid - x1))]
        assert (value > 0.5) == bool(label), f"corner {(x1, x2)}: output {value:.3f}"
    # the gradient sizes: the first update, to W2, is the biggest; small on the plateau; a
    # second bump around the steepest fall; and the recorded run is the run above
    sizes, later = v["sizes"], v["later"]
    assert np.argmax(sizes["W2"]) == 0 and sizes["W2"][0] > sizes["W1"].max()
    assert max(sizes["W1"][100], sizes["W2"][100]) < 0.1 * sizes["W2"][0]
    assert all(abs(step - v["steepest"]) < 50 for step in later.values()), (later, v["steepest"])
    np.testing.assert_allclose(v["net"].predict(v["x"])[:, 0], v["outputs"], rtol=1e-12)


def test_learning_rate_and_batch_sum():
    v, _ = computed("learning-rate-and-batch-sum")
    curves, nets, x, y = v["curves"], v["nets"], v["x"], v["y"]
    final = {rate: curve[-1] for rate, curve in curves.items()}
    np.testing.assert_allclose(nets[1].predict(x)[:, 0], LEARNER_PRINTS, atol=5e-4)
    # "barely left the plateau at 0.5", "larger is faster, up to 16", "the two largest end far above"
    assert final[0.25] > 0.45
    assert final[16] < final[4] < final[1] < final[0.25]
    assert min(final[64], final[256]) > 10 * final[1]
    # γ = 64: three outputs at 0.5 where σ' is largest and δ2 is not small; the hidden units
    # of those samples saturated (activations and slopes near 0)
    cache = nets[64].forward(x)
    a1, a2 = cache["a1"][1:], cache["a2"][1:, 0]
    delta2 = nets[64].backward(cache, y)["delta2"][1:, 0]
    np.testing.assert_allclose(a2, 0.5, atol=1e-3)
    np.testing.assert_allclose(a2 * (1 - a2), 0.25, atol=1e-6)
    assert np.all(np.abs(delta2) > 0.1), delta2
    assert a1.max() < 1e-3 and (a1 * (1 - a1)).max() < 1e-3, a1
    # γ = 256: every output saturated near 0, hidden units near their steepest point
    cache = nets[256].forward(x)
    a1, a2 = cache["a1"], cache["a2"]
    assert a2.max() < 1e-3 and (a2 * (1 - a2)).max() < 1e-3, a2
    assert (a1 * (1 - a1)).max(axis=1).min() > 0.2, a1
    # the sum over k copies at γ = 1 is the run at γ = k, to rounding (which the saturated runs
    # amplify); the mean runs are one run
    per_sample, copies = v["per_sample"], v["copies"]
    for k in copies:
        np.testing.assert_allclose(per_sample["sum", k], curves[k] / 4, rtol=1e-6, err_msg=f"k={k}")
        np.testing.assert_allclose(per_sample["mean", k], per_sample["mean", 1], rtol=1e-9,
                                   err_msg=f"k={k}")
    # "N = 16 and N = 64 are faster than the learner's N = 4"
    assert per_sample["sum", 16][-1] < per_sample["sum", 1][-1]
    assert per_sample["sum", 4][-1] < per_sample["sum", 1][-1]


def test_hidden_width():
    v, _ = computed("hidden-width")
    solved_at, seeds, x, y = v["solved_at"], v["seeds"], v["x"], v["y"]
    within = {n: [s for s in steps if s is not None] for n, steps in solved_at.items()}
    assert within[1] == [], "one hidden unit cannot represent XOR"
    # two units: none within 600 steps, most later, each after a thousand steps or more
    assert 2 * len(within[2]) > len(seeds) and min(within[2]) >= 1000, within[2]
    # three units: most within a few hundred steps; four and eight: every run
    assert 2 * sum(s <= 600 for s in within[3]) > len(seeds), within[3]
    for n in (4, 8):
        assert len(within[n]) == len(seeds) and max(within[n]) <= 600, within[n]
    # after 600 steps each two-unit run has one output or two near 0.5, the others right
    for seed, outputs in v["two_units"].items():
        stuck = np.abs(outputs - 0.5) < 0.05
        right = np.abs(outputs - y[:, 0]) < 0.1
        assert 1 <= stuck.sum() <= 2 and np.all(stuck | right), (seed, outputs)
    # the round region: one line does worse than "outside" everywhere, eight units get all
    accuracy, labels = v["accuracy"], v["labels"]
    assert accuracy[1] < 1 - labels.mean() and accuracy[8] == 1.0, accuracy
    assert accuracy[1] < accuracy[2] < accuracy[3] < accuracy[8], accuracy
