"""Building the site from tests, and loading the site's hooks and scripts, which are files, not
an installed package."""

import importlib.util
import sys
from pathlib import Path

# The one build command (`mkdocs build --strict` in the build's environment), as tests name it.
from backprop_site.build import build as mkdocs_build, environment as build_env  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def load_file(path: Path, name: str):
    """The module in the Python file at path, imported under name (and kept in sys.modules,
    where dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
