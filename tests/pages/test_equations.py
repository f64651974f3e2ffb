"""Every numbered equation on the site, evaluated against finite differences.

Each ``$$ ... \\tag{P.K} $$`` block under docs/ is parsed by backprop_site.equations and checked
by backprop_site.equation_check on six networks (see there: the truth is central differences of
a forward pass written there, and the package's value where it computes the left side). The
notation of the notebooks, and the checker itself (correct equations pass, mistakes fail), are
tested here too.
"""

import jupytext
import pytest

from backprop_site.equation_check import check, collect
from backprop_site.equations import EquationError, find_equations, notation_problems, parse, prose
from backprop_site.repo import ROOT

DOCS = ROOT / "docs"


EQUATIONS = collect(ROOT)


@pytest.mark.parametrize("equation", [e for _, e in EQUATIONS], ids=[i for i, _ in EQUATIONS])
def test_numbered_equation(equation):
    if isinstance(equation, str):
        pytest.fail(equation)
    check(equation.lhs, equation.rhs, equation.where)


def test_equations_are_found_and_tags_unique():
    """The checker sees the site's equations, and no tag is used twice."""
    tags = [e.tag for _, e in EQUATIONS if not isinstance(e, str)]
    assert len(tags) >= 1, f"no tagged equation found under {DOCS}"
    duplicates = sorted({t for t in tags if tags.count(t) > 1})
    assert not duplicates, f"tags used more than once: {duplicates}"


def test_no_tag_escapes_the_checker():
    """Every \\tag in the docs' prose is in a $$ block the checker read; notebooks have none."""
    read, unreadable = {}, {i.split("::")[0] for i, e in EQUATIONS if isinstance(e, str)}
    for _, e in EQUATIONS:
        if not isinstance(e, str):
            read[e.path] = read.get(e.path, 0) + 1
    for path in sorted(DOCS.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".md" and rel not in unreadable:   # unreadable pages fail above
            text = prose(path.read_text("utf-8"))
            assert text.count("\\tag{") == read.get(rel, 0), (
                f"{rel}: {text.count(chr(92) + 'tag{')} \\tag in the prose but {read.get(rel, 0)} "
                f"checked equations: write each numbered equation as its own $$ ... $$ block")
        elif path.suffix in (".ipynb", ".py") and "notebooks" in path.parts:
            assert "\\tag{" not in path.read_text("utf-8"), (
                f"{rel}: numbered equations belong on Markdown pages, where the checker reads them")


# ---------------------------------------------------------------- notation in the notebooks
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.py")) + sorted((DOCS / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_notation(path):
    """Every cell of a notebook, its Markdown and its code (plot labels, printed text), writes
    the learning rate γ and a layer index in brackets, a^{[l]}, as the pages do."""
    rel = path.relative_to(ROOT).as_posix()
    problems = []
    for number, cell in enumerate(jupytext.read(path).cells, start=1):
        problems += notation_problems(cell.source, f"{rel} cell {number}")
    assert not problems, "\n".join(problems)


def test_notation_rule_reads_maths_and_skips_code():
    text = "\n".join([
        "The rate $\\eta$, or η in words.",                                    # 2 problems
        "$a^{[l]}$, $(a^{[l-1]})^\\top$, $W^{\\top}$, $x_1^2$, $[-1, 1]^2$.",  # fine
        "$$",
        "W^{l} \\leftarrow W^2 - \\gamma\\, \\delta_j^{l-1}",                  # 3 problems
        "$$",
        "In code, `a^{l}` and `η` are not read.",
    ])
    problems = notation_problems(text, "page.md")
    assert [p.split(": ", 1)[0] for p in problems] == ["page.md:1"] * 2 + ["page.md:4"] * 3, problems
    assert ["W^{l}" in problems[2], "W^2" in problems[3], "\\delta_j^{l-1}" in problems[4]] == [True] * 3


# ---------------------------------------------------------------- the checker itself
CORRECT = {
    "weight gradient": (r"\frac{\partial C}{\partial W^{[l]}}", r"(a^{[l-1]})^\top \delta^{[l]}"),
    "output delta": (r"\delta^{[L]}", r"(a^{[L]} - y) \odot \sigma'(z^{[L]})"),
    "hidden delta": (r"\delta^{[l]}", r"\left( \delta^{[l+1]} (W^{[l+1]})^\top \right) \odot \sigma'(z^{[l]})"),
    "bias gradient": (r"\frac{\partial C}{\partial b^{[l]}}", r"\mathbf{1}^\top \delta^{[l]}"),
    "cost": (r"C", r"\tfrac{1}{2} \lVert a^{[L]} - y \rVert^2"),
    "forward": (r"a^{[l]}", r"\sigma(a^{[l-1]} W^{[l]} + b^{[l]})"),
    "output derivative": (r"\frac{\partial C}{\partial a^{[L]}}", r"a^{[L]} - y"),
    "sigmoid from a": (r"\sigma'(z^{[l]})", r"a^{[l]} \odot (1 - a^{[l]})"),
    "learner layer 1": (r"\frac{\partial C}{\partial W^{[1]}}", r"x^\top \delta^{[1]}"),
}
MISTAKES = {
    "transpose dropped from the weight gradient": (r"\frac{\partial C}{\partial W^{[l]}}", r"a^{[l-1]} \delta^{[l]}"),
    "z fed to sigma' where a is expected": (r"\delta^{[L]}", r"(a^{[L]} - y) \odot \sigma'(a^{[L]})"),
    "sign of delta^L flipped": (r"\delta^{[L]}", r"(y - a^{[L]}) \odot \sigma'(z^{[L]})"),
    "mean instead of sum": (r"\frac{\partial C}{\partial W^{[l]}}", r"\frac{1}{N} (a^{[l-1]})^\top \delta^{[l]}"),
    "mean cost": (r"C", r"\frac{1}{2N} \lVert a^{[L]} - y \rVert^2"),
    "transpose of W dropped in the hidden delta": (r"\delta^{[l]}", r"(\delta^{[l+1]} W^{[l+1]}) \odot \sigma'(z^{[l]})"),
    "previous activation replaced by this layer's": (r"\frac{\partial C}{\partial W^{[l]}}", r"(a^{[l]})^\top \delta^{[l]}"),
    "activation left out (the learner's textbook)": (r"\frac{\partial C}{\partial W^{[l]}}", r"\delta^{[l]}"),
    "outer product order swapped": (r"\frac{\partial C}{\partial W^{[l]}}", r"(\delta^{[l]})^\top a^{[l-1]}"),
}


@pytest.mark.parametrize("name", CORRECT)
def test_checker_accepts_correct_equation(name):
    assert check(*CORRECT[name], where=name) > 0


@pytest.mark.parametrize("name", MISTAKES)
def test_checker_rejects_mistake(name):
    with pytest.raises(AssertionError):
        check(*MISTAKES[name], where=name)


def test_parser_precedence():
    """+ binds loosest, then odot, then juxtaposition (matrix product), then ^T."""
    a, W, d, z = ("sym", "a", "l-1"), ("sym", "W", "l+1"), ("sym", "delta", "l+1"), ("sym", "z", "l")
    assert parse(r"(a^{[l-1]})^\top \delta^{[l+1]}") == ("matmul", ("T", a), d)
    assert parse(r"\delta^{[l+1]} (W^{[l+1]})^\top \odot \sigma'(z^{[l]})") == (
        "odot", ("matmul", d, ("T", W)), ("dsigma", z))
    assert parse(r"a^{[l-1]} \, W^{[l+1]} + 1 - z^{[l]}") == (
        "sub", ("add", ("matmul", a, W), ("num", 1.0)), z)
    assert parse(r"\frac{\partial C}{\partial W^{[L]}}") == ("grad", "W", "L")
    assert parse(r"\tfrac{1}{2N}") == ("div", ("num", 1.0), ("matmul", ("num", 2.0), ("sym", "N", None)))


@pytest.mark.parametrize("latex", [
    r"a^{[l-2]}", r"a^{l}", r"a \cdot b", r"W^{[l]} \times a^{[l]}", r"\delta^{[l]}^{[2]}", r"(a^{[l]}",
    r"\frac{\partial L}{\partial W^{[l]}}", r"\sum_i a_i", r"\lVert a^{[L]} \rVert",
])
def test_parser_rejects_outside_grammar(latex):
    with pytest.raises(EquationError):
        parse(latex)


def test_find_equations_reads_display_blocks_only():
    text = "\n".join([
        "Text $a = b \\tag{9.9}$ inline is ignored, and so is `$$` in code.",
        "",
        "$$",
        "C = \\tfrac{1}{2} \\lVert a^{[L]} - y \\rVert^2 \\tag{1.1}",
        "$$",
        "",
        "```python",
        's = r"$$ a^{[l]} = z^{[l]} \\tag{1.2} $$"',
        "```",
        "    $$",
        "    \\delta^{[L]} = (a^{[L]} - y) \\odot \\sigma'(z^{[L]}) \\tag{1.3}",
        "    $$",
        "$$ x = y $$",
    ])
    found = find_equations(text, "page.md")
    assert [(e.tag, e.line, e.lhs) for e in found] == [("1.1", 3, "C"), ("1.3", 10, r"\delta^{[L]}")]
    with pytest.raises(EquationError, match="exactly one '='"):
        find_equations("$$\na = b = c \\tag{2.1}\n$$", "page.md")
