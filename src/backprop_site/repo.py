"""The repository's root folder, and its Python files that are not in a package (the MkDocs hooks,
the scripts, the root conftest.py) imported by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_file(path: Path, name: str):
    """The module in the Python file at path, imported under name (and kept in sys.modules,
    where dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
