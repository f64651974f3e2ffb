"""Every notebook under docs/notebooks/ runs, top to bottom, in a real kernel, as the site build runs it.

The notebooks are jupytext percent-format .py files (readable diffs, no stored outputs). Each is
read with jupytext and executed with nbclient in docs/ (the build's working directory), so a cell
that raises fails here with the cell's traceback. Each notebook must also draw its plots: at
least one PNG output, and no stderr output (warnings included).
"""

import re
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

DOCS = Path(__file__).resolve().parents[1] / "docs"
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.py")) + sorted((DOCS / "notebooks").glob("*.ipynb"))


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_and_plots(path):
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
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    stderr = [out.get("text", "") for out in outputs if out.get("name") == "stderr"]
    assert images, f"{path.name} drew no figure"
    assert not stderr, f"{path.name} wrote to stderr:\n{''.join(stderr)}"
    print(f"{path.name}: {seconds:.1f} s, {len(images)} figures")
