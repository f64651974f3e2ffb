"""MkDocs hook: serve MathJax from the site itself, copied from the installed package.

The PyPI wheel ``django-static-mathjax`` carries MathJax 3.2.2's static files
(importable as ``mathjax``). Only what the pages need is copied.

``tex-chtml-nomenu.js`` is MathJax's own ``tex-chtml.js`` without the context menu:
MathJax's separately built components (startup with its loader, core, TeX input,
CHTML output with its font data, the hidden MathML for screen readers) joined in
one file, about two thirds of the size. The menu (``ui/menu.js``, a third of
``tex-chtml.js``) is what a first visit does not need before the math is shown:
docs/javascripts/mathjax.js loads it once the math is typeset and the fonts are in,
and attaches it to every equation, so right-click > Copy to Clipboard > TeX Commands
still gives the TeX. The TeX extensions are loaded on demand (e.g. for
``\\boldsymbol``); the woff-v2 fonts are MathJax's.
"""

import shutil
from pathlib import Path

import mathjax

SOURCE = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
COMBINED = "tex-chtml-nomenu.js"
# In the order of MathJax's own tex-chtml.js (components/src/tex-chtml/tex-chtml.js), menu left out.
# startup.js starts MathJax only after the whole file has run (its ready() is a promise callback),
# so every component below is registered by then.
COMPONENTS = [
    "startup.js",
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "a11y/assistive-mml.js",
]
# Tell MathJax's loader these are here, as tex-chtml.js does: it must not fetch them again.
PRELOADED = ["core", "input/tex", "output/chtml", "output/chtml/fonts/tex", "a11y/assistive-mml"]
PARTS = ["ui/menu.js", "input/tex/extensions", "output/chtml/fonts/woff-v2"]


def combined_script() -> str:
    parts = [(SOURCE / name).read_text(encoding="utf-8") for name in COMPONENTS]
    names = ", ".join(f'"{name}"' for name in PRELOADED)
    return ";\n".join(parts) + f";\nMathJax.loader.preLoad({names});\n"


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / "assets" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    (target / COMBINED).write_text(combined_script(), encoding="utf-8")
    for part in PARTS:
        src, dst = SOURCE / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
