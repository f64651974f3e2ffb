"""MkDocs hook: `make serve` rebuilds in about a second what a writer just saved.

(`make test-page` sets BACKPROP_NOTEBOOK_CACHE=1 for the notebook cache below without serving.)

Every build executes every notebook and every page's python blocks (mkdocs.yml: notebook cache
off), so `make site` and `make test` never publish stale output. Under `mkdocs serve` a writer
instead waits on each save for all of it to run again. There this hook:

* turns mkdocs-jupyter's cache on, in a folder named after a hash of src/: mkdocs-jupyter keys
  each entry on the notebook's bytes and the folder adds the package, so a notebook runs again
  only when it or the package changed;
* with `mkdocs serve --dirty` (what `make serve` runs), where MkDocs rebuilds only the pages
  whose Markdown changed, makes a change to the package rebuild every page, by removing the
  built pages, since every page's blocks import the package.
"""

import hashlib
import logging
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src"
CACHE = ROOT / ".cache" / "notebooks"

serving = False
built_with = None  # package hash of the previous build under serve


def dirty_notice_as_info(record: logging.LogRecord) -> bool:
    """MkDocs warns on every --dirty build, which strict mode turns into an abort; under
    `make serve` that notice is expected, so it is logged as information instead."""
    if record.levelno == logging.WARNING and "'dirty' build" in record.getMessage():
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


def on_startup(command, dirty=False, **kwargs):
    global serving
    serving = command == "serve"
    if serving and dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(dirty_notice_as_info)


def package_hash() -> str:
    """sha256 over the path and bytes of every .py file under src/."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def on_config(config, **kwargs):
    if serving or os.environ.get("BACKPROP_NOTEBOOK_CACHE") == "1":
        jupyter = config.plugins["mkdocs-jupyter"].config
        jupyter["cache"] = True
        jupyter["cache_dir"] = str(CACHE / package_hash())
    return config


def on_pre_build(config, **kwargs):
    global built_with
    if not serving:
        return
    current = package_hash()
    if built_with is not None and current != built_with:
        for page in Path(config["site_dir"]).rglob("*.html"):
            page.unlink()
    built_with = current
