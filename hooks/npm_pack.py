"""A package's tarball from the npm registry, checked against its pinned integrity, for the hooks
that take files from npm (the Pyodide runtime, MathJax for Node). Not a hook itself. npm is the
venv's (backprop_site.node)."""

import base64
import hashlib
from pathlib import Path

from backprop_site.node import npm


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
