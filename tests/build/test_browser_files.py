"""What the reader's browser runs comes from the pages and src/, never from tests/ or scripts/.

A Run button runs a page's block, or a notebook's computing cell, in Pyodide with the standard
library, NumPy, the package's wheel and files.zip (hooks/pyodide_runtime.py). Every module a
runnable block imports must be one of those; an import inside ``try: ... except ImportError`` is
optional (PyTorch on the Jacobian page).
"""

import ast
import sys
import zipfile

import pytest

from backprop_site.fences import PYTHON, scan
from backprop_site.notebooks import code_cells
from backprop_site.repo import ROOT, load_file

runtime = load_file(ROOT / "hooks" / "pyodide_runtime.py", "pyodide_runtime")
IN_THE_WHEEL = {"backprop"}


@pytest.fixture(scope="module")
def zipped(built_site) -> set[str]:
    with zipfile.ZipFile(built_site / runtime.TARGET / "files.zip") as z:
        return set(z.namelist())


def required_imports(code: str) -> list[str]:
    """The modules ``code`` imports, but those imported under ``try`` with ``except ImportError``."""
    optional = set()
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            optional |= {id(n) for part in node.body for n in ast.walk(part)}
    names = []
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
    return names


def missing_in_browser(name: str, zipped: set[str]) -> bool:
    top = name.split(".")[0]
    if top in sys.stdlib_module_names or top in runtime.PACKAGES or top in IN_THE_WHEEL:
        return False
    path = name.replace(".", "/")
    return not ({f"{path}.py", f"{path}/__init__.py"} & zipped)


def test_nothing_from_tests_or_scripts_is_served(zipped):
    served = sorted(n for n in zipped if n.split("/")[0] in ("tests", "scripts"))
    assert not served, f"files.zip holds {served}"


def test_every_module_a_runnable_block_imports_is_in_the_browser(zipped):
    problems = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        runs = iter(runtime.shown_blocks(text))
        for fence in scan(text):
            lang, options, words = fence.parsed
            if lang not in PYTHON or options.get("source", "block") == "":
                continue  # a block that shows no code has no Run button
            if not next(runs)["run"]:
                continue
            for name in required_imports("\n".join(fence.code)):
                if missing_in_browser(name, zipped):
                    problems.append(f"{page.relative_to(ROOT)}:{fence.line}: imports {name}")
    assert not problems, "not in the reader's browser:\n" + "\n".join(problems)


def test_every_module_a_notebook_cell_that_runs_imports_is_in_the_browser(zipped):
    problems = []
    for notebook in sorted((ROOT / "docs" / "notebooks").iterdir()):
        if notebook.suffix not in runtime.NOTEBOOK_SUFFIXES:
            continue
        for number, (cell, source) in enumerate(zip(runtime.notebook_cells(notebook), code_cells(notebook)), 1):
            if cell["run"]:
                problems += [f"{notebook.relative_to(ROOT)} cell {number}: imports {name}"
                             for name in required_imports(source) if missing_in_browser(name, zipped)]
    assert not problems, "not in the reader's browser:\n" + "\n".join(problems)


def test_the_rule_sees_a_missing_module_and_skips_an_optional_one():
    code = "import numpy\nimport backprop_site.page_outputs\ntry:\n    import torch\nexcept ImportError:\n    torch = None\n"
    assert required_imports(code) == ["numpy", "backprop_site.page_outputs"]
    assert missing_in_browser("backprop_site.page_outputs", {"backprop_site/__init__.py"})
    assert not missing_in_browser("backprop_site", {"backprop_site/__init__.py"})
    assert not missing_in_browser("numpy.testing", set())
