"""Building the site from tests (one place for the command line), and loading the site's hooks
and scripts, which are files, not an installed package."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `config` into `site_dir`; the result keeps stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=900,
        env=build_env(),
    )


def build_env() -> dict[str, str]:
    """The environment of a build started by a test: as `make site` has it, so without pytest's
    PYTEST_CURRENT_TEST (page blocks read it to tell the tests from the build)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def load_file(path: Path, name: str):
    """The module in the Python file at path, imported under name (and kept in sys.modules,
    where dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
