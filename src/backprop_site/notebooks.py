"""The code cells of the site's notebooks (docs/notebooks/, jupytext percent-format .py files or
.ipynb): which compute and print, and which draw.

A reader's browser runs a cell with Pyodide, NumPy and the package (hooks/pyodide_runtime.py), so
a cell that computes can run there; a cell that draws needs matplotlib (and IPython's ``%config``
magic), which that Python does not have. tests/pages/test_notebooks.py runs the computing cells of each
notebook alone, with matplotlib made unimportable, so they are known not to need the drawing ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext

DRAWING = re.compile(r"\bplt\.|^%config|matplotlib", re.MULTILINE)
WHY_NOT_IN_BROWSER = "it draws with matplotlib, which the Python in your browser does not have"


def draws(source: str) -> bool:
    """Whether a code cell draws (matplotlib, IPython magics), rather than computes and prints."""
    return bool(DRAWING.search(source))


def code_cells(path: Path) -> list[str]:
    """The source of each code cell of the notebook at path, in order."""
    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]
