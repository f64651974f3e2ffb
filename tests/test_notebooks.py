"""Every notebook under docs/notebooks/ runs, top to bottom, in a real kernel, as the site build runs it.

The notebooks are jupytext percent-format .py files (readable diffs, no stored outputs). Each
must draw its plots: at least one PNG output, and no stderr output (warnings included).

Under `make test` the build that `make test` has just run executed every notebook in a kernel
(allow_errors: false, no cache: tests/test_notebook_build.py proves both), and names its output
in BACKPROP_SITE_DIR. The outputs are then read from the built page instead of running the
notebook a second time, provided the page was built from the notebook as it is now (the build
copies the source beside the page; any difference and the notebook is executed here). Anywhere
else each notebook is read with jupytext and executed with nbclient in docs/ (the build's working
directory), so a cell that raises fails here with the cell's traceback.
"""

import html
import os
import re
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from sitebuild import ROOT

DOCS = ROOT / "docs"
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


# nbconvert's lab template: one div per output; an image output's div holds an <img>, a text
# output's div names its MIME type (stdout text/plain, stderr application/vnd.jupyter.stderr).
# tests/test_notebook_build.py checks this reading on a page the real build made.
OUTPUT_DIV = re.compile(r'<div class="([^"]*\bjp-OutputArea-output\b[^"]*)"([^>]*)>(?=(.{0,300}))', re.DOTALL)


def outputs_on_page(page_html: str) -> dict[str, list[str]]:
    """The PNG images and the stderr texts among the cell outputs of a built notebook page."""
    found = {"images": [], "stderr": []}
    for classes, attrs, start in OUTPUT_DIV.findall(page_html):
        if "jp-RenderedImage" in classes and re.search(r'<img[^>]*src="data:image/png;base64,', start):
            found["images"].append(start)
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
        assert found["images"], f"{path.name} drew no figure (read from {page})"
        assert not found["stderr"], f"{path.name} wrote to stderr (read from {page}):\n" + "\n".join(
            found["stderr"])
        print(f"{path.name}: executed by the build, {len(found['images'])} figures in {page}")
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
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    stderr = [out.get("text", "") for out in outputs if out.get("name") == "stderr"]
    assert images, f"{path.name} drew no figure"
    assert not stderr, f"{path.name} wrote to stderr:\n{''.join(stderr)}"
    print(f"{path.name}: {seconds:.1f} s, {len(images)} figures")
