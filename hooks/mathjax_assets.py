"""MkDocs hook: serve MathJax from the site itself, copied from the installed package.

The PyPI wheel ``django-static-mathjax`` carries MathJax 3.2.2's static files
(importable as ``mathjax``). Only what the pages need is copied: the TeX-to-CHTML
bundle, its TeX extensions (loaded on demand, e.g. for ``\\boldsymbol``) and its
woff-v2 fonts.
"""

import shutil
from pathlib import Path

import mathjax

SOURCE = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2"]


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / "assets" / "mathjax"
    for part in PARTS:
        src, dst = SOURCE / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
