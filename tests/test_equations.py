"""Every numbered equation on the site, evaluated against finite differences.

Each ``$$ ... \\tag{P.K} $$`` block under docs/ is parsed by ``equations_latex`` and both
sides are evaluated on several networks (random ones of depth 2 to 4, with and without
biases, hidden widths unlike the batch size, and the learner's) for every layer ``l``
the equation can be read at. The truth does not come from ``backprop``'s backward pass:

* ``a^l``, ``z^l`` come from :func:`forward`, written here;
* ``C = 1/2 * sum((a^L - y)**2)`` (a sum over the batch) is :func:`cost`, written here;
* ``delta^l = dC/dz^l``, ``dC/da^l``, ``dC/dW^l``, ``dC/db^l`` are central differences
  of that cost (``delta^l`` by nudging ``z^l`` and running the network on from there).

Where the left-hand side is something ``backprop`` computes (``a``, ``z``, ``delta``,
``dW``, ``db``, ``C``, ``dC/da^L``), the package's value is compared as well, so a
change to src/ that disagrees with an equation fails here too.
"""

import sys
from functools import lru_cache
from pathlib import Path

import jupytext
import numpy as np
import pytest

import backprop

# tests/ is not a package; pytest-markdown-docs imports this file as tests.test_equations,
# so make the sibling module importable by its plain name (docs/testing.md does the same).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from equations_latex import (  # noqa: E402
    EquationError, evaluate, find_equations, layer, notation_problems, parse, prose, references,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EPS = 1e-6
RTOL, ATOL = 1e-5, 1e-8   # central differences in float64 are good to about 1e-9 here
FIRST_LAYER = {"a": 0, "da": 0}   # a^0 = x exists; z, W, b, delta start at layer 1


# ---------------------------------------------------------------- networks
def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(params, x, L, start=0, a_start=None):
    """Run layers start+1..L from activation ``a_start`` (default ``x``), own code.

    params: {"W{l}": (n_{l-1}, n_l), "b{l}": (1, n_l)}; returns {("a", k), ("z", k)} arrays (N, n_k).
    """
    values = {("a", start): x if a_start is None else a_start}
    for k in range(start + 1, L + 1):
        z = values[("a", k - 1)] @ params[f"W{k}"] + params[f"b{k}"]
        values[("z", k)], values[("a", k)] = z, _sigmoid(z)
    return values


def cost(aL, y):
    """C = 1/2 * sum over samples and outputs of (a^L - y)**2: a sum, not a mean."""
    return 0.5 * np.sum((aL - y) ** 2)


def finite_difference(f, X):
    """Central-difference gradient of the scalar ``f(X)`` with respect to every entry of X."""
    grad = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        plus, minus = X.copy(), X.copy()
        plus[index] += EPS
        minus[index] -= EPS
        grad[index] = (f(plus) - f(minus)) / (2 * EPS)
    return grad


def make_cases():
    """(name, Network, x (N, n0), y (N, nL)): random networks and the learner's."""
    rng = np.random.default_rng(20261129)
    cases = []
    for sizes, N, bias in [([3, 5, 2], 4, True), ([2, 3, 1], 5, False),
                           ([4, 6, 3, 2], 5, True), ([3, 2, 5, 4, 3], 6, False),
                           ([2, 7, 3, 5, 2], 4, True)]:
        assert N not in sizes, "a batch size equal to a width would hide shape mistakes"
        net = backprop.Network.from_sizes(sizes, rng, bias=bias)
        for name, p in net.params.items():
            if name.startswith("b"):
                p[...] = rng.standard_normal(p.shape)   # from_sizes starts biases at zero
        x = rng.standard_normal((N, sizes[0]))
        y = rng.uniform(size=(N, sizes[-1]))
        cases.append((f"sizes={sizes},N={N},bias={bias}", net, x, y))
    x, y = backprop.learner_data()
    cases.append(("learner 3-4-1,N=4", backprop.learner_network(), x.astype(float), y.astype(float)))
    return cases


CASES = make_cases()


@lru_cache(maxsize=None)
def truth(case):
    """Every symbol's value on CASES[case], with derivatives by finite differences."""
    _, net, x, y = CASES[case]
    L = net.L
    params = {k: v.copy() for k, v in net.params.items()}
    for k in range(1, L + 1):
        params.setdefault(f"b{k}", np.zeros((1, params[f"W{k}"].shape[1])))
    values = forward(params, x, L)
    values.update({"x": x, "y": y, "N": x.shape[0], "C": cost(values[("a", L)], y)})
    for k in range(L + 1):
        values[("da", k)] = finite_difference(
            lambda a: cost(forward(params, x, L, k, a)[("a", L)], y), values[("a", k)])
    for k in range(1, L + 1):
        values[("W", k)], values[("b", k)] = params[f"W{k}"], params[f"b{k}"]
        values[("delta", k)] = values[("dz", k)] = finite_difference(
            lambda z: cost(forward(params, x, L, k, _sigmoid(z))[("a", L)], y), values[("z", k)])
        for p in ("W", "b"):
            def cost_with(new, name=f"{p}{k}"):
                return cost(forward({**params, name: new}, x, L)[("a", L)], y)
            values[("d" + p, k)] = finite_difference(cost_with, params[f"{p}{k}"])
    return values


def backprop_value(tree, case, k):
    """What ``backprop`` computes for the left-hand side ``tree`` at layer k, or None."""
    _, net, x, y = CASES[case]
    cache = net.forward(x)
    grads = net.backward(cache, y)
    kind, name = tree[0], tree[1] if len(tree) > 1 else None
    if kind == "sym" and name in ("a", "z"):
        return cache[f"{name}{k}"]
    if (kind, name) in (("sym", "delta"), ("grad", "z")):
        return grads[f"delta{k}"]
    if kind == "grad" and name in ("W", "b"):
        return grads.get(f"d{name}{k}")
    if kind == "grad" and name == "a" and k == net.L:
        return net.cost.gradient(cache[f"a{k}"], y)
    if kind == "sym" and name == "C":
        return net.cost_value(x, y)
    return None


def readings(lhs, rhs, case):
    """Every layer l at which the equation can be read on CASES[case] (l = 0 if it has no l).

    Indices written as digits refer to the learner's two-layer network, so such
    equations are read on two-layer networks only.
    """
    refs = references(lhs) | references(rhs)
    L = CASES[case][1].L
    if any(index.isdigit() for _, index in refs) and L != 2:
        return []
    free = range(L + 1) if any("l" in index for _, index in refs) else [0]
    return [l for l in free
            if all(FIRST_LAYER.get(name, 1) <= layer(index, l, L) <= L for name, index in refs)]


def check(lhs_latex, rhs_latex, where="equation"):
    """Evaluate both sides on every case and layer; raise AssertionError on a difference.

    Returns the number of (network, l) readings checked.
    """
    try:
        lhs, rhs = parse(lhs_latex), parse(rhs_latex)
    except EquationError as error:
        raise AssertionError(f"{where}: outside the equation grammar: {error}") from None
    checked = 0
    for case in range(len(CASES)):
        for l in readings(lhs, rhs, case):
            values, L = truth(case), CASES[case][1].L
            uses_l = any("l" in index for _, index in references(lhs) | references(rhs))
            context = f"{where}, network {CASES[case][0]}" + (f", l={l}" if uses_l else "")
            try:
                left, right = evaluate(lhs, values, l, L), evaluate(rhs, values, l, L)
            except EquationError as error:
                raise AssertionError(f"{context}: {error}") from None
            assert np.shape(left) == np.shape(right), (
                f"{context}: left side has shape {np.shape(left)}, right side {np.shape(right)}")
            if not np.allclose(right, left, rtol=RTOL, atol=ATOL):
                raise AssertionError(f"{context}: right side differs from finite differences by up "
                                     f"to {np.max(np.abs(right - left)):.3g}\nright side:\n{right}\n"
                                     f"finite differences:\n{left}")
            k = layer(lhs[2], l, L) if lhs[0] in ("sym", "grad") and lhs[2] else L
            ours = backprop_value(lhs, case, k)
            if ours is not None and not (np.shape(ours) == np.shape(right)
                                         and np.allclose(ours, right, rtol=RTOL, atol=ATOL)):
                raise AssertionError(f"{context}: backprop computes {np.shape(ours)}\n{ours}\n"
                                     f"but the right side is {np.shape(right)}\n{right}")
            checked += 1
    assert checked, f"{where}: no network and layer l where this equation can be read"
    return checked


# ---------------------------------------------------------------- collection
def collect():
    """(id, Equation or error message) for every tagged equation under docs/."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(ROOT).as_posix()
        try:
            found += [(f"{rel}::{eq.tag}", eq) for eq in find_equations(path.read_text("utf-8"), rel)]
        except EquationError as error:
            found.append((f"{rel}::unreadable", str(error)))
    return found


EQUATIONS = collect()


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
