"""MkDocs hook: notebook pages load nothing from a CDN.

nbconvert's HTML template, which mkdocs-jupyter extends, puts two loaders into every notebook
page: MathJax 2 (`<script src="...">` set by mkdocs-jupyter's `custom_mathjax_url`, empty by
default, plus a MathJax 2 configuration block) and mermaid from cdnjs. The build typesets the
math of notebook Markdown cells like every page's (hooks/math_render.py), so both are removed. tests/test_site_offline.py fails if any external script is left.
"""

import re

NOTEBOOK_SUFFIXES = (".py", ".ipynb")
MATHJAX2_LOADER = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
MERMAID_LOADER = re.compile(r'<script type="module">(?:(?!</script>).)*?jp-Mermaid.*?</script>', re.DOTALL)


def on_page_content(html, page, **kwargs):
    if not page.file.src_uri.endswith(NOTEBOOK_SUFFIXES):
        return html
    html = MATHJAX2_LOADER.sub("", html)
    return MERMAID_LOADER.sub("", html)
