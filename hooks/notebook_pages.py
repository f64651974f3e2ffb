"""MkDocs hook: notebook pages in the site's look, loading nothing from a CDN.

* nbconvert's HTML template, which mkdocs-jupyter extends, puts two loaders into every notebook
  page: MathJax 2 (`<script src="...">` set by mkdocs-jupyter's `custom_mathjax_url`, empty by
  default, plus a MathJax 2 configuration block) and mermaid from cdnjs. The build typesets the
  math of notebook Markdown cells like every page's (hooks/math_render.py), so both are removed.
  tests/pages/test_site_offline.py fails if any external script is left.
* The `In [1]:` and `Out[1]:` prompts are removed: they take 86 px of a 626 px column at
  1280 px, and no other code block on the site has them.
* Plots are matplotlib SVG (each notebook sets `InlineBackend.figure_formats = ["svg"]`), which
  nbconvert writes as an <img> of a data URL; each is put in the page as an inline <svg>, where
  the page's CSS reaches it. There matplotlib's default black (text, axes, ticks) becomes the
  page's text colour, its white (the figure's and the legend's background) the page's
  background, and its grey (grid, legend frame) a lighter text colour, so a plot follows the
  light and dark themes as the page's text does. Other colours are kept. Each plot gets
  role="img" and its titles (its largest text) as its accessible name; matplotlib's metadata
  (a timestamp) and comments are dropped.
"""

import base64
import html
import re

NOTEBOOK_SUFFIXES = (".py", ".ipynb")
MATHJAX2_LOADER = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
MERMAID_LOADER = re.compile(r'<script type="module">(?:(?!</script>).)*?jp-Mermaid.*?</script>', re.DOTALL)
PROMPT = re.compile(r'<div class="jp-(?:Input|Output)Prompt jp-(?:Input|Output)Area-prompt">[^<]*</div>')
# nbconvert writes an SVG output as an <img> of a data URL, which the page's CSS cannot reach
SVG_OUTPUT = re.compile(
    r'(<div class="jp-RenderedSVG[^"]*"[^>]*>\s*)<img [^>]*src="data:image/svg\+xml;base64,([^"]*)"[^>]*>')
# matplotlib's default colours -> Material's CSS variables
THEME_COLOURS = {
    "#000000": "var(--md-default-fg-color)",
    "#ffffff": "var(--md-default-bg-color)",
    "#b0b0b0": "var(--md-default-fg-color--lighter)",   # grid lines
    "#cccccc": "var(--md-default-fg-color--lighter)",   # legend frame
}
WIDTH_PT = re.compile(r'<svg [^>]*?\bwidth="([0-9.]+)pt"')
READABLE = 0.8   # matplotlib's 10 pt labels stay at least 10.7 px on the page
TEXT = re.compile(r'<text style="font-size: ([0-9.]+)px[^"]*"[^>]*>([^<]*)</text>')


def plot_name(svg: str) -> str:
    """The text of a plot's largest labels: its titles (matplotlib writes them larger than the
    axis labels and ticks), joined with "; ". Empty when the plot has no text."""
    texts = [(float(size), html.unescape(content).strip()) for size, content in TEXT.findall(svg)]
    texts = [(size, content) for size, content in texts if content]
    if not texts:
        return ""
    largest = max(size for size, _ in texts)
    return "; ".join(content for size, content in texts if size == largest)


def themed_svg(svg: str) -> str:
    """A matplotlib SVG document as an inline <svg> element drawn in the page's colours, labelled
    for screen readers."""
    svg = svg[svg.index("<svg "):]   # no XML declaration or DOCTYPE inside HTML
    svg = re.sub(r"\s*(?:<metadata>.*?</metadata>|<!--.*?-->)", "", svg, flags=re.DOTALL)
    for colour, variable in THEME_COLOURS.items():
        svg = svg.replace(colour, variable)
    name = html.escape(plot_name(svg) or "Plot", quote=True)
    # A plot narrower than the column is shrunk to fit, but not below READABLE of its size: on a
    # phone it then scrolls sideways in its box (docs/stylesheets/extra.css) with its text
    # readable, instead of shrinking 10 pt labels to 7 px.
    width = WIDTH_PT.search(svg)
    min_width = f" min-width: {READABLE * float(width.group(1)) * 4 / 3:.0f}px;" if width else ""
    # Text matplotlib leaves black has no fill of its own: it inherits the page's text colour.
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="Plot: {name}" '
        f'style="fill: var(--md-default-fg-color); max-width: 100%;{min_width} height: auto" ', 1)


def on_page_content(html_text, page, **kwargs):
    if not page.file.src_uri.endswith(NOTEBOOK_SUFFIXES):
        return html_text
    html_text = MATHJAX2_LOADER.sub("", html_text)
    html_text = MERMAID_LOADER.sub("", html_text)
    html_text = PROMPT.sub("", html_text)
    return SVG_OUTPUT.sub(
        lambda m: m.group(1) + themed_svg(base64.b64decode(m.group(2)).decode("utf-8")), html_text)
