"""The site's figures (src/backprop_site/figures) show what the package computes.

Every test reads what a reader sees, the text and geometry of the SVG, and compares it with the
package's own objects computed here, independently of the figure code: the shapes drawn are
the arrays' shapes, the circuit's numbers are one sample's forward and backward values, the
outer products add up to ``grads["dW1"]``, the plotted points are ``Network.train``'s costs,
and the count of multiply-adds is the shapes of the arrays a forward and backward pass make.
Changing the network changes each figure accordingly; the same input gives the same string.
"""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from backprop import Network, learner_data, learner_network
from backprop_site.figures import (circuit_figure, cost_curve_figure, multiply_adds, network_figure,
                                   outer_products_figure, paths_figure, sum_vs_mean_figure)
from backprop_site.figures.svg import fmt, parse_number
from backprop_site.repo import ROOT

SVG = "{http://www.w3.org/2000/svg}"
PHONE_WIDTH = 358  # CSS pixels of content at a 390 px wide screen (Material's margins)
MIN_FONT_PX = 8.0


def biased_net(sizes, seed):
    """A random network with non-zero biases, so that every bias has a gradient to draw."""
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(sizes, rng)
    for name in net.params:
        if name.startswith("b"):
            net.params[name][:] = rng.normal(size=net.params[name].shape)
    return net


def learner_figures():
    """Each figure of the site, as its page makes it, by slot name."""
    x, y = learner_data()
    return {
        "network": lambda: network_figure(learner_network(), x),
        "circuit": lambda: circuit_figure(learner_network(), x, y, sample=0),
        "outer-products": lambda: outer_products_figure(learner_network(), x, y, layer=1),
        "paths": lambda: paths_figure(Network.from_sizes([3, 4, 3], np.random.default_rng(0))),
        "cost-curve": lambda: cost_curve_figure(learner_network(), x, y, lr=1.0, iterations=1000),
        # fewer copies than the page draws: the same code, a third of the time
        "sum-vs-mean": lambda: sum_vs_mean_figure(learner_network(), x, y, copies=(1, 4, 16)),
    }


FIGURES = learner_figures()


@pytest.fixture(scope="module")
def drawn():
    """Each figure's HTML, made once for the module."""
    return {name: make() for name, make in FIGURES.items()}


def parse(figure_html):
    root = ET.fromstring(figure_html)  # well-formed XML, or this raises
    assert root.tag == "figure", root.tag
    return root


def text_of(element):
    return "".join(element.itertext())


def groups(root, attribute):
    """{attribute value: element} of the elements carrying data-<attribute>."""
    return {g.get(f"data-{attribute}"): g for g in root.iter() if g.get(f"data-{attribute}") is not None}


def numbers(group):
    """The numbers written in a group, in document order, as the figure shows them."""
    return [text_of(t) for t in group.iter(f"{SVG}text")]


def formatted(array, decimals):
    return [fmt(v, decimals) for v in np.asarray(array).ravel()]


# ---------------------------------------------------------------------------------------------
# Every figure
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_has_alt_text_caption_and_scales(drawn, name):
    root = parse(drawn[name])
    assert "bpf-figure" in root.get("class")
    svgs = list(root.iter(f"{SVG}svg"))
    assert svgs, f"{name}: no svg"
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        title = svg.find(f"{SVG}title")
        desc = svg.find(f"{SVG}desc")
        assert title is not None and title.get("id") == title_id and len(title.text) > 20, title
        assert desc is not None and desc.get("id") == desc_id and len(desc.text) > 60, desc
        # scales with the page: a viewBox, the full width up to a maximum, no fixed height
        assert svg.get("width") == "100%" and svg.get("height") is None
        view_width = float(svg.get("viewBox").split()[2])
        max_width = float(re.search(r"max-width:(\d+)px", svg.get("style"))[1])
        assert max_width >= view_width
        # the smallest text at phone width, where the drawing is scaled to fit
        scale = min(PHONE_WIDTH, max_width) / view_width
        sizes = [float(e.get("font-size")) for e in svg.iter() if e.get("font-size")]
        assert min(sizes) * scale >= MIN_FONT_PX, f"{name}: text of {min(sizes) * scale:.1f} px"
    caption = root.find("figcaption")
    assert caption is not None and len(text_of(caption)) > 60
    assert "\n\n" not in drawn[name], "a blank line would end the raw HTML block in Markdown"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_colours_follow_the_scheme(drawn, name):
    """Colours only through Material's CSS variables (or currentColor): no fixed colour that
    would vanish in one of the schemes, except as a fallback inside var()."""
    html = drawn[name]
    style = "".join(html.split("<style>")[1].split("</style>")[0])
    for value in re.findall(r"(?:fill|stroke):([^;}]+)", style):
        assert value.startswith("var(--md-") or value in {"none", "currentColor"}, value
    outside_style = re.sub(r"<style>.*?</style>", "", html)
    assert not re.search(r'(?:fill|stroke|color)="(?!none)', outside_style), "colour attribute"
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", outside_style), "a fixed colour outside the style"


def test_figures_are_the_same_string_in_another_process(drawn):
    """Deterministic: a fresh interpreter with another hash seed writes the same figures."""
    code = (
        "import hashlib\n"
        "from backprop_site.repo import load_file\n"
        f"learner_figures = load_file({__file__!r}, 'figures_test').learner_figures\n"
        "for name, make in sorted(learner_figures().items()):\n"
        "    print(name, hashlib.sha256(make().encode()).hexdigest())\n"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert result.returncode == 0, result.stderr
    import hashlib

    here = "".join(f"{name} {hashlib.sha256(drawn[name].encode()).hexdigest()}\n"
                   for name in sorted(drawn))
    assert result.stdout == here


# ---------------------------------------------------------------------------------------------
# network: every weight named, the arrays drawn at their shapes
# ---------------------------------------------------------------------------------------------

WEIGHT_LABEL = re.compile(r"^W\[(\d+)\](\d)(\d)$")
LAYER_NAMES = {0: "input", 1: "hidden", 2: "output"}  # of a two-layer network


def distance_to_segment(point, a, b):
    """Distance from point to the segment from a to b, all (x, y) pairs."""
    p, a, b = (np.asarray(v, dtype=float) for v in (point, a, b))
    t = np.clip(np.dot(p - a, b - a) / np.dot(b - a, b - a), 0, 1)
    return float(np.linalg.norm(p - (a + t * (b - a))))


def check_network_figure(html, net, x, weight):
    root = parse(html)
    network_svg, arrays_svg = root.iter(f"{SVG}svg")
    sizes = [net.params["W1"].shape[0]] + [net.params[f"W{l}"].shape[1] for l in range(1, net.L + 1)]
    # units: one circle per unit of every layer
    units = groups(network_svg, "unit")
    assert sorted(units) == sorted(f"{l},{i}" for l, n in enumerate(sizes) for i in range(1, n + 1))
    centre = {key: (float(g.find(f"{SVG}circle").get("cx")), float(g.find(f"{SVG}circle").get("cy")))
              for key, g in units.items()}
    # every layer named above its units: input, hidden, output, and its symbol a[l]
    layers = groups(network_svg, "layer")
    assert sorted(layers) == [str(l) for l in range(len(sizes))]
    for l, group in layers.items():
        name, symbol = (text_of(t) for t in group.iter(f"{SVG}text"))
        if len(sizes) == 3:
            assert name == LAYER_NAMES[int(l)], (l, name)
        assert symbol == f"a[{l}]" + (" = x" if l == "0" else ""), symbol
        top_unit = min(centre[f"{l},{i}"][1] for i in range(1, sizes[int(l)] + 1))
        for t in group.iter(f"{SVG}text"):
            assert float(t.get("x")) == centre[f"{l},1"][0] and float(t.get("y")) < top_unit
    # edges: one line per weight, only the highlighted one drawn as highlighted
    edges = groups(network_svg, "edge")
    expected = {f"{l},{i},{j}" for l in range(1, net.L + 1)
                for i in range(1, net.params[f"W{l}"].shape[0] + 1)
                for j in range(1, net.params[f"W{l}"].shape[1] + 1)}
    assert set(edges) == expected
    assert len(list(network_svg.iter(f"{SVG}line"))) == len(expected)
    l, i, j = weight
    assert [k for k, g in edges.items() if "hi" in g.find(f"{SVG}line").get("class")] == [f"{l},{i},{j}"]
    # each weight matrix named once, with its shape, between the layers it joins
    matrices = groups(network_svg, "matrix")
    assert sorted(matrices) == [f"W{k}" for k in range(1, net.L + 1)]
    for k in range(1, net.L + 1):
        label = matrices[f"W{k}"].find(f"{SVG}text")
        assert text_of(label) == f"W[{k}] {net.params[f'W{k}'].shape}"
        assert centre[f"{k - 1},1"][0] < float(label.get("x")) < centre[f"{k},1"][0]
    # only the highlighted weight is named, on its own edge: its label can be matched to it
    names = groups(network_svg, "weight")
    assert list(names) == [f"{l},{i},{j}"], list(names)
    label = names[f"{l},{i},{j}"].find(f"{SVG}text")
    match = WEIGHT_LABEL.match(text_of(label))
    assert match and match.groups() == (str(l), str(i), str(j)), text_of(label)
    line = edges[f"{l},{i},{j}"].find(f"{SVG}line")
    ends = [(float(line.get("x1")), float(line.get("y1"))), (float(line.get("x2")), float(line.get("y2")))]
    middle = (float(label.get("x")), float(label.get("y")) - 4)  # the middle of its 13 px text
    assert distance_to_segment(middle, *ends) < 13, "the weight's name is not on its edge"  # a line of text
    assert "hi" in label.get("class")
    hi_units = [k for k, g in units.items() if "hi" in g.find(f"{SVG}circle").get("class")]
    assert hi_units == [f"{l - 1},{i}"]
    # an input that is 1 in every sample is marked as the bias input, and only such an input
    ones = [str(k + 1) for k in range(x.shape[1]) if np.all(np.asarray(x)[:, k] == 1)]
    marks = groups(network_svg, "bias")
    assert sorted(marks) == ones
    for k, group in marks.items():
        assert " ".join(text_of(t) for t in group.iter(f"{SVG}text")) == f"x{k} = 1 bias input"
    dashed = sorted(key.split(",")[1] for key, g in units.items()
                    if g.find(f"{SVG}circle").get("stroke-dasharray"))
    assert dashed == ones
    # the arrays: name, shape written under the grid, one cell per entry, read from a forward pass
    cache = net.forward(x)
    arrays = {"x": cache["a0"]}
    for k in range(1, net.L + 1):
        arrays[f"W{k}"], arrays[f"a{k}"] = net.params[f"W{k}"], cache[f"a{k}"]
    drawn_arrays = groups(arrays_svg, "array")
    assert list(drawn_arrays) == list(arrays)  # in the order of the forward pass
    for name, group in drawn_arrays.items():
        shape = arrays[name].shape
        texts = [text_of(t) for t in group.iter(f"{SVG}text")]
        assert texts[-1] == str(shape), (name, texts)
        cells = list(group.iter(f"{SVG}rect"))
        assert len(cells) == arrays[name].size
        assert len({c.get("x") for c in cells}) == shape[1] and len({c.get("y") for c in cells}) == shape[0]
        hi_cells = [c for c in cells if "hi" in c.get("class")]
        if name == ("x" if l == 1 else f"a{l - 1}"):  # column i, every sample
            assert len(hi_cells) == shape[0] and len({c.get("x") for c in hi_cells}) == 1
        elif name == f"W{l}":
            assert len(hi_cells) == 1
        else:
            assert not hi_cells
    return {name: a.shape for name, a in arrays.items()}


def test_network_figure_draws_the_learners_network(drawn):
    x, _ = learner_data()
    shapes = check_network_figure(drawn["network"], learner_network(), x, (2, 1, 1))
    assert shapes == {"x": (4, 3), "W1": (3, 4), "a1": (4, 4), "W2": (4, 1), "a2": (4, 1)}
    assert "data-bias" in drawn["network"]  # the learner's third input is 1 in every sample


def test_network_figure_follows_a_changed_network():
    rng = np.random.default_rng(7)
    net = Network.from_sizes([3, 5, 2], rng)
    x = rng.random((6, 3))
    html = network_figure(net, x, weight=(1, 3, 5))
    shapes = check_network_figure(html, net, x, (1, 3, 5))
    assert shapes == {"x": (6, 3), "W1": (3, 5), "a1": (6, 5), "W2": (5, 2), "a2": (6, 2)}
    assert "The 3-5-2 network" in html and "3-4-1" not in html
    x[:, 0] = 1  # now input 1 is a bias input
    check_network_figure(network_figure(net, x, weight=(1, 3, 5)), net, x, (1, 3, 5))


def test_network_figure_names_the_layers_of_a_deeper_network():
    rng = np.random.default_rng(8)
    net = Network.from_sizes([2, 3, 3, 1], rng)
    x = rng.random((5, 2))
    root = parse(network_figure(net, x, weight=(3, 2, 1)))
    names = [text_of(next(g.iter(f"{SVG}text"))) for g in groups(root, "layer").values()]
    assert names == ["input", "hidden 1", "hidden 2", "output"]
    check_network_figure(network_figure(net, x, weight=(3, 2, 1)), net, x, (3, 2, 1))


@pytest.mark.parametrize("weight", [(0, 1, 1), (3, 1, 1), (2, 5, 1), (2, 1, 2)])
def test_network_figure_rejects_a_weight_it_does_not_have(weight):
    x, _ = learner_data()
    with pytest.raises(ValueError, match=r"weight must be \(l, i, j\)"):
        network_figure(learner_network(), x, weight=weight)


# ---------------------------------------------------------------------------------------------
# circuit: one sample's forward values and gradients
# ---------------------------------------------------------------------------------------------


def expected_circuit(net, x, y, n):
    """Each wire's value and gradient for sample n alone, from the package, by row name."""
    xn, yn = x[n:n + 1], y[n:n + 1]
    cache = net.forward(xn)
    grads = net.backward(cache, yn)
    rows = {"x": (cache["a0"], None), "y": (yn, None)}
    for l in range(1, net.L + 1):
        rows[f"W{l}"] = (net.params[f"W{l}"], grads[f"dW{l}"])
        if f"b{l}" in net.params:
            rows[f"b{l}"] = (net.params[f"b{l}"], grads[f"db{l}"])
        rows[f"z{l}"] = (cache[f"z{l}"], grads[f"delta{l}"])
        after = (grads[f"delta{l + 1}"] @ net.params[f"W{l + 1}"].T if l < net.L
                 else cache[f"a{l}"] - yn)  # dC/da for the half squared error
        rows[f"a{l}"] = (cache[f"a{l}"], after)
    aL = cache[f"a{net.L}"]
    rows["C"] = (np.array([[0.5 * np.sum((aL - yn) ** 2)]]), np.ones((1, 1)))
    return rows


def check_circuit(html, net, x, y, n):
    root = parse(html)
    svg = next(root.iter(f"{SVG}svg"))
    shown = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("data-row"):
            shown[group.get("data-row"), group.get("data-side")] = group
    rows = expected_circuit(net, x, y, n)
    assert {name for name, _ in shown} == set(rows)
    for name, (value, grad) in rows.items():
        assert numbers(shown[name, "left"]) == formatted(value, 3), name
        if grad is None:
            assert (name, "right") not in shown
        else:
            assert numbers(shown[name, "right"]) == formatted(grad, 3), name
    # the bold path: delta^L and a^{L-1} give dC/dW^L of this sample, their outer product
    L = net.L
    a_prev = rows["x" if L == 1 else f"a{L - 1}"][0]
    np.testing.assert_allclose(rows[f"W{L}"][1], a_prev.T @ rows[f"z{L}"][1], rtol=1e-12)
    bold = {key for key, g in shown.items() if g.get("font-weight") == "bold"}
    assert bold == {("x" if L == 1 else f"a{L - 1}", "left"), (f"z{L}", "right"), (f"W{L}", "right")}
    return rows


def test_circuit_shows_one_sample_of_the_learners_network(drawn):
    x, y = learner_data()
    rows = check_circuit(drawn["circuit"], learner_network(), x, y, 0)
    assert formatted(rows["x"][0], 3) == ["0.000", "0.000", "1.000"]  # the learner's first sample


def test_circuit_follows_a_changed_network_and_sample():
    rng = np.random.default_rng(3)
    net = biased_net([3, 5, 2], 3)
    x, y = rng.random((4, 3)), rng.random((4, 2))
    html = circuit_figure(net, x, y, sample=2)
    rows = check_circuit(html, net, x, y, 2)
    assert {"b1", "b2"} <= set(rows) and "Sample 3 alone" in html


def test_circuit_rejects_a_sample_it_does_not_have():
    x, y = learner_data()
    with pytest.raises(ValueError, match="sample must be a row index of x"):
        circuit_figure(learner_network(), x, y, sample=4)


# ---------------------------------------------------------------------------------------------
# outer products: dW = a^T delta as a sum over the samples
# ---------------------------------------------------------------------------------------------


def check_outer_products(html, net, x, y, layer, entry):
    root = parse(html)
    matrices = groups(root, "matrix")
    cache = net.forward(x)
    grads = net.gradients(x, y)
    a_prev, delta = cache[f"a{layer - 1}"], grads[f"delta{layer}"]
    N, n_in, n_out = len(a_prev), a_prev.shape[1], delta.shape[1]
    assert set(matrices) == ({f"{kind}{n}" for kind in ("a", "delta", "term") for n in range(1, N + 1)}
                             | {"sum"})
    # one table per sample, then the sum: each in its own drawing, the sample's numbers in it
    svgs = list(root.iter(f"{SVG}svg"))
    assert len(svgs) == N + 1
    for n, svg in enumerate(svgs, start=1):
        inside = set(groups(svg, "matrix"))
        assert inside == ({f"a{n}", f"delta{n}", f"term{n}"} if n <= N else {"sum"}), inside
    terms = []
    for n in range(N):
        assert numbers(matrices[f"a{n + 1}"]) == formatted(a_prev[n], 4)
        assert numbers(matrices[f"delta{n + 1}"]) == formatted(delta[n], 4)
        term = np.outer(a_prev[n], delta[n])
        assert numbers(matrices[f"term{n + 1}"]) == formatted(term, 4)
        terms.append([parse_number(t) for t in numbers(matrices[f"term{n + 1}"])])
        # a table: a's numbers down the side, delta's across the top, entry (i, j) in a's row i
        # and delta's column j
        cells = list(matrices[f"term{n + 1}"].iter(f"{SVG}text"))
        side = list(matrices[f"a{n + 1}"].iter(f"{SVG}text"))
        top = list(matrices[f"delta{n + 1}"].iter(f"{SVG}text"))
        assert len({c.get("x") for c in side}) == 1 and len({c.get("y") for c in top}) == 1
        for k, cell in enumerate(cells):
            row, col = divmod(k, n_out)
            assert cell.get("y") == side[row].get("y") and cell.get("x") == top[col].get("x")
            assert float(cell.get("x")) > float(side[row].get("x"))
            assert float(cell.get("y")) > float(top[col].get("y"))
    # the sum drawn is the package's batch gradient ...
    assert numbers(matrices["sum"]) == formatted(grads[f"dW{layer}"], 4)
    assert len(numbers(matrices["sum"])) == n_in * n_out
    # ... and the drawn terms add up to it, up to their rounding
    shown_sum = np.array([parse_number(t) for t in numbers(matrices["sum"])])
    np.testing.assert_allclose(np.sum(terms, axis=0), shown_sum, atol=N * 0.5e-4 + 0.5e-4)
    # entry (i, j) highlighted in every term and in the sum
    i, j = entry
    for key, group in matrices.items():
        hi = [text_of(t) for t in group.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        if key.startswith("term") or key == "sum":
            source = grads[f"dW{layer}"] if key == "sum" else np.outer(a_prev[int(key[4:]) - 1],
                                                                      delta[int(key[4:]) - 1])
            assert hi == [fmt(source[i - 1, j - 1], 4)], key


def test_outer_products_add_up_to_the_learners_dW1(drawn):
    """The learner's first layer: four real 3 x 4 tables, np.outer(a0[n], delta1[n])."""
    x, y = learner_data()
    check_outer_products(drawn["outer-products"], learner_network(), x, y, 1, (1, 1))


def test_outer_products_follow_a_changed_network_and_layer():
    rng = np.random.default_rng(5)
    net = biased_net([3, 5, 2], 5)
    x, y = rng.random((3, 3)), rng.random((3, 2))
    check_outer_products(outer_products_figure(net, x, y, layer=2, entry=(4, 2)), net, x, y, 2, (4, 2))
    check_outer_products(outer_products_figure(net, x, y, layer=1, entry=(2, 3)), net, x, y, 1, (2, 3))


# ---------------------------------------------------------------------------------------------
# paths: every path from one hidden unit to the cost
# ---------------------------------------------------------------------------------------------


def check_paths(html, net, layer, unit):
    root = parse(html)
    sizes = [net.params["W1"].shape[0]] + [net.params[f"W{l}"].shape[1] for l in range(1, net.L + 1)]
    nxt = layer + 1
    named = groups(root, "weight")
    assert set(named) == {f"{nxt},{unit},{j}" for j in range(1, sizes[nxt] + 1)}
    for key, group in named.items():
        assert text_of(group) == f"W[{nxt}]{unit}{key.split(',')[2]}"
    deltas = groups(root, "delta")
    assert {k: text_of(g) for k, g in deltas.items()} == {
        f"{nxt},{j}": f"\u03b4[{nxt}]{j}" for j in range(1, sizes[nxt] + 1)}
    # highlighted: the edges leaving the unit, every edge after its next layer, the edges into C
    lines = list(root.iter(f"{SVG}line"))
    hi = sum("hi" in line.get("class") for line in lines)
    after = sum(sizes[l - 1] * sizes[l] for l in range(nxt + 1, net.L + 1))
    assert hi == sizes[nxt] + after + sizes[-1]
    assert len(lines) == sum(sizes[l - 1] * sizes[l] for l in range(1, net.L + 1)) + sizes[-1]
    units = groups(root, "unit")
    assert "hi" in units[f"{layer},{unit}"].find(f"{SVG}circle").get("class")


def test_paths_figure_highlights_every_path(drawn):
    check_paths(drawn["paths"], Network.from_sizes([3, 4, 3], np.random.default_rng(0)), 1, 1)


@pytest.mark.parametrize("sizes, layer, unit", [([3, 4, 1], 1, 2), ([3, 5, 4, 2], 1, 5),
                                                ([3, 5, 4, 2], 2, 3)])
def test_paths_figure_follows_a_changed_network(sizes, layer, unit):
    net = Network.from_sizes(sizes, np.random.default_rng(1))
    check_paths(paths_figure(net, layer=layer, unit=unit), net, layer, unit)


def test_paths_figure_needs_a_hidden_unit():
    with pytest.raises(ValueError, match="layer must be a hidden layer"):
        paths_figure(learner_network(), layer=2, unit=1)


# ---------------------------------------------------------------------------------------------
# plots: the points drawn, read back through the axes' tick labels
# ---------------------------------------------------------------------------------------------


def tick_value(label):
    """The number a tick label shows: "0.01", or "10" with a raised exponent (a tspan)."""
    exponent = label.find(f"{SVG}tspan")
    if exponent is None:
        return float(label.text)
    return float(label.text) ** float(exponent.text.replace("\u2212", "-"))


def axis_readers(svg):
    """Functions from a drawn x coordinate (linear axis) and y coordinate (log axis) to the
    values the axes' tick labels give them."""
    labels = [t for t in svg.iter(f"{SVG}text")]
    y_ticks = sorted((float(t.get("y")) - 4, tick_value(t)) for t in labels if t.get("data-tick-y"))
    x_ticks = sorted((float(t.get("x")), float(t.text)) for t in labels if t.get("data-tick-x"))
    for t in labels:  # the label shows the value the tick stands for
        if t.get("data-tick-y"):
            assert tick_value(t) == pytest.approx(float(t.get("data-tick-y")))
    (y0, v0), (y1, v1) = y_ticks[0], y_ticks[-1]
    (x0, u0), (x1, u1) = x_ticks[0], x_ticks[-1]

    def read_y(y):
        return 10 ** (np.log10(v0) + (y - y0) / (y1 - y0) * (np.log10(v1) - np.log10(v0)))

    def read_x(x):
        return u0 + (x - x0) / (x1 - x0) * (u1 - u0)

    return read_x, read_y


def test_cost_curve_is_the_learners_training_history(drawn):
    x, y = learner_data()
    net = learner_network()
    history = net.train(x, y, lr=1.0, iterations=1000)
    costs = np.append(history, net.cost_value(x, y))  # before each step, then after the last
    root = parse(drawn["cost-curve"])
    svg = next(root.iter(f"{SVG}svg"))
    read_x, read_y = axis_readers(svg)
    line = next(p for p in svg.iter(f"{SVG}polyline") if p.get("data-series") == "cost")
    points = np.array([[float(v) for v in p.split(",")] for p in line.get("points").split()])
    assert len(points) == 1001
    np.testing.assert_allclose(read_x(points[:, 0]), np.arange(1001), atol=0.3)  # 0.1 unit rounding
    np.testing.assert_allclose(read_y(points[:, 1]), costs, rtol=0.005)
    labels = groups(svg, "value")
    assert text_of(labels["start"]) == f"C = {fmt(costs[0], 3)} at the start"
    assert text_of(labels["end"]) == f"C = {fmt(costs[-1], 4)} after 1000 steps"
    for name, label in labels.items():  # the curve does not cross its own labels
        assert not curve_inside(points, text_box(label)), f"the curve crosses the {name} label"


def text_box(label, em=0.62):
    """(left, top, right, bottom) around a <text>'s glyphs, from its position, anchor and
    length, with em the width of a character in font sizes (0.62: wider than the average of
    sans-serif text, so the box errs on the large side)."""
    size = float(label.get("font-size"))
    width = len(text_of(label)) * em * size
    x, y = float(label.get("x")), float(label.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[label.get("text-anchor")]
    return left, y - 0.8 * size, left + width, y + 0.25 * size


def curve_inside(points, box, step=0.5):
    """True if the polyline through points (n, 2) passes through box, tested every step px."""
    left, top, right, bottom = box
    for p, q in zip(points[:-1], points[1:]):
        k = max(2, int(np.hypot(*(q - p)) / step) + 1)
        xs, ys = np.linspace(p[0], q[0], k), np.linspace(p[1], q[1], k)
        if np.any((xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)):
            return True
    return False


def test_a_curve_through_a_label_is_found():
    """The check above fails on a label that the curve crosses."""
    label = ET.fromstring(f'<text xmlns="{SVG[1:-1]}" x="10" y="50" font-size="12" '
                          'text-anchor="start">a label</text>')
    across = np.array([[0.0, 46.0], [100.0, 46.0]])
    assert curve_inside(across, text_box(label))
    assert not curve_inside(across + [0, 20], text_box(label))


@pytest.mark.parametrize("name", ["cost-curve", "sum-vs-mean"])
def test_tick_labels_of_an_axis_use_one_notation(drawn, name):
    """All written out (0.01) or all powers of ten (10 with a raised exponent), never mixed."""
    svg = next(parse(drawn[name]).iter(f"{SVG}svg"))
    ticks = [t for t in svg.iter(f"{SVG}text") if t.get("data-tick-y")]
    assert len(ticks) >= 3
    powers = [t.find(f"{SVG}tspan") is not None for t in ticks]
    assert all(powers) or not any(powers), [text_of(t) for t in ticks]


def test_cost_curve_leaves_the_network_alone():
    x, y = learner_data()
    net = learner_network()
    before = {k: v.copy() for k, v in net.params.items()}
    cost_curve_figure(net, x, y, iterations=20)
    for name, value in net.params.items():
        np.testing.assert_array_equal(value, before[name])


def test_sum_vs_mean_points_are_the_packages_training_runs(drawn):
    x, y = learner_data()
    root = parse(drawn["sum-vs-mean"])
    svg = next(root.iter(f"{SVG}svg"))
    _, read_y = axis_readers(svg)
    series = groups(svg, "series")
    for kind, rate in (("sum", lambda N: 1.0), ("mean", lambda N: 4.0 / N)):
        marks = [m for m in series[kind] if m.get("data-n")]
        assert [int(m.get("data-n")) for m in marks] == [4, 16, 64]
        for mark in marks:
            N = int(mark.get("data-n"))
            xk, yk = np.tile(x, (N // 4, 1)), np.tile(y, (N // 4, 1))
            net = learner_network()
            net.train(xk, yk, lr=rate(N), iterations=1000)
            expected = net.cost_value(xk, yk) / N
            cy = float(mark.get("cy")) if mark.get("cy") else float(mark.get("y")) + 3
            np.testing.assert_allclose(read_y(cy), expected, rtol=0.01, err_msg=f"{kind}, N = {N}")
    # the mean: the same run for every N, so its marks sit at one height
    assert len({m.get("y") for m in series["mean"] if m.get("data-n")}) == 1
    start = groups(svg, "value")["start"]
    assert text_of(start) == f"before training: {fmt(learner_network().cost_value(x, y) / 4, 3)}"


# ---------------------------------------------------------------------------------------------
# multiply-adds: the count two pages quote, against the shapes of a real forward and backward pass
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes, N", [([4, 7, 5, 6, 3], 9), ([3, 4, 1], 4), ([5, 2], 3)])
def test_multiply_adds_are_the_products_a_pass_makes(sizes, N):
    rng = np.random.default_rng(11)
    net = Network.from_sizes(sizes, rng)
    x, y = rng.random((N, sizes[0])), rng.random((N, sizes[-1]))
    cache = net.forward(x)
    grads = net.backward(cache, y)

    def madds(A, B):  # A (m, k) @ B (k, n)
        assert A.shape[1] == B.shape[0]
        return A.shape[0] * A.shape[1] * B.shape[1]

    W = {l: net.params[f"W{l}"] for l in range(1, net.L + 1)}
    forward = [madds(cache[f"a{l - 1}"], W[l]) for l in W]
    backward = [madds(cache[f"a{l - 1}"].T, grads[f"delta{l}"])
                + (madds(grads[f"delta{l}"], W[l].T) if l > 1 else 0) for l in W]
    assert multiply_adds(sizes, N) == {"forward": forward, "backward": backward}


@pytest.mark.parametrize("sizes, N", [([3], 4), ([3, 0, 2], 4), ([3, 2], 0)])
def test_multiply_adds_rejects_what_is_not_a_network(sizes, N):
    with pytest.raises(ValueError, match="sizes must hold at least two widths"):
        multiply_adds(sizes, N)
