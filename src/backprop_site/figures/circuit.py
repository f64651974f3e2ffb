"""One sample's pass through the network as a circuit: forward values left, gradients right.

The circuit runs top to bottom, x -> (x W^{[1]}) -> z^{[1]} -> (sigma) -> a^{[1]} -> ... -> C.
Every wire is one row: its forward value on the left of the wire, dC/d(wire) on the right
(CS231n writes them above and below a wire; a phone screen has room for a column, not a row).
The weights enter their product gates from the side, with their gradients for this one sample.
All numbers come from the package's forward and backward pass on a batch of one row.
"""

from html import escape

import numpy as np

from .svg import figure, fmt, math, rich, svg, tag, text

WIDTH_PER_NUMBER = 42
LINE = 16  # one line of numbers
FONT = 12
GATE_NAMES = {"sigmoid": "\u03c3", "tanh": "tanh", "relu": "ReLU", "identity": "id", "softmax": "softmax"}
# The cost as label parts; None stands for the output a^{[L]}.
COST_FORMULAS = {
    "half_squared_error": ["C = \u00bd \u03a3 (", None, " \u2212 y)\u00b2"],
    "binary_cross_entropy": ["C = \u2212\u03a3 y log ", None, " + (1 \u2212 y) log(1 \u2212 ", None, ")"],
    "categorical_cross_entropy": ["C = \u2212\u03a3 y log ", None],
}
# dC/da^{[L]} as label parts, where the cost has a short form
COST_GRADIENTS = {"half_squared_error": [None, " \u2212 y"]}


def one_sample(net, x, y, sample):
    """The rows of the circuit: forward values and gradients of sample ``sample`` (0-based) alone.

    x : array_like of shape (N, n0); y : array_like of shape (N, nL).

    Returns
    -------
    list of dicts with keys ``name`` (e.g. "z1", "W2", "C"), ``value`` (2-D array: a row of the
    sample's values, or the weight matrix) and ``grad`` (2-D array of the same shape, dC/d of it,
    or None for the data x and y), in the circuit's order from x down to C.
    """
    x, y = np.asarray(x), np.asarray(y)
    if not 0 <= sample < len(x):
        raise ValueError(f"sample must be a row index of x, 0 <= sample < {len(x)}; got {sample}")
    xn, yn = x[sample:sample + 1], y[sample:sample + 1]  # (1, n0), (1, nL): a batch of one
    cache = net.forward(xn)
    grads = net.backward(cache, yn)
    L = net.L
    aL = cache[f"a{L}"]
    yn = np.asarray(yn, dtype=aL.dtype)
    rows = [{"name": "x", "value": cache["a0"], "grad": None}]
    for l in range(1, L + 1):
        rows.append({"name": f"W{l}", "value": net.params[f"W{l}"], "grad": grads[f"dW{l}"]})
        if f"b{l}" in net.params:
            rows.append({"name": f"b{l}", "value": net.params[f"b{l}"], "grad": grads[f"db{l}"]})
        rows.append({"name": f"z{l}", "value": cache[f"z{l}"], "grad": grads[f"delta{l}"]})
        if l < L:  # dC/da^l = delta^{l+1} (W^{l+1})^T: what layer l+1 hands back
            dC_da = grads[f"delta{l + 1}"] @ net.params[f"W{l + 1}"].T
        else:
            dC_da = net.cost.gradient(aL, yn)
        rows.append({"name": f"a{l}", "value": cache[f"a{l}"], "grad": dC_da})
    rows.append({"name": "y", "value": yn, "grad": None})
    rows.append({"name": "C", "value": np.array([[net.cost(aL, yn)]]), "grad": np.ones((1, 1))})
    return rows


def _symbol(name):
    """("W", "[2]", None) for "W2"; plain names (x, y, C) as they are."""
    return (name[0], f"[{name[1:]}]", None) if name[1:].isdigit() else (name, None, None)


def _gate_symbol(activation):
    return GATE_NAMES.get(getattr(activation, "name", ""), "f")


def _labels(name, net):
    """(left label parts, right label parts) for a row: what the value is, what its gradient is."""
    L, cost_name = net.L, getattr(net.cost, "name", "cost")
    d = "\u2202"
    transposed = ("", "T", None)
    if name == "x":
        return [("x = a", "[0]", None)], ["data: no gradient needed"]
    if name == "y":
        return ["y (target)"], []
    output = ("a", f"[{L}]", None)
    if name == "C":
        formula = COST_FORMULAS.get(cost_name, [f"C = {cost_name}(", None, ", y)"])
        return [output if p is None else p for p in formula], [f"{d}C/{d}C = 1"]
    kind, l = name[0], int(name[1:])
    sym = _symbol(name)
    prev = ("x", None, None) if l == 1 else ("a", f"[{l - 1}]", None)
    delta = ("\u03b4", f"[{l}]", None)
    if kind == "W":
        return [sym], [f"{d}C/{d}", sym, " = ", prev, transposed, " ", delta]
    if kind == "b":
        return [sym], [f"{d}C/{d}", sym, " = ", delta]
    if kind == "z":
        bias = [" + ", ("b", f"[{l}]", None)] if f"b{l}" in net.params else []
        return [sym, " = ", prev, " ", ("W", f"[{l}]", None), *bias], [delta, f" = {d}C/{d}", sym]
    left = [sym, f" = {_gate_symbol(net.activations[l - 1])}(", ("z", f"[{l}]", None), ")"]
    if l < L:
        return left, [f"{d}C/{d}", sym, " = ", ("\u03b4", f"[{l + 1}]", None), " ",
                      ("W", f"[{l + 1}]", None), transposed]
    gradient = COST_GRADIENTS.get(cost_name)
    return left, [f"{d}C/{d}", sym] + ([] if gradient is None else
                                       [" = "] + [output if p is None else p for p in gradient])


def _numbers(matrix, x_edge, y, side, row_name, cls=None, bold=False):
    """A matrix as lines of numbers, ending at x_edge (left side) or starting after it (right)."""
    out = []
    rows, cols = matrix.shape
    for r in range(rows):
        for c in range(cols):
            if side == "left":
                xr = x_edge - (cols - 1 - c) * WIDTH_PER_NUMBER
            else:
                xr = x_edge + (c + 1) * WIDTH_PER_NUMBER - 4
            out.append(text(xr, y + r * LINE, fmt(matrix[r, c]), size=FONT, anchor="end"))
    return tag("g", "".join(out), data_row=row_name, data_side=side, class_=cls,
               font_weight="bold" if bold else None)


def _gate(cx, cy, symbol):
    if len(symbol) == 1:
        shape = tag("circle", cx=cx, cy=cy, r=13, class_="unit", stroke_width=1.5)
    else:
        half = 6 + 4 * len(symbol)
        shape = tag("rect", x=cx - half, y=cy - 11, width=2 * half, height=22, rx=8, class_="unit",
                    stroke_width=1.5)
    return tag("g", shape + text(cx, cy + 5, escape(symbol), size=14), data_gate=symbol)


def circuit_figure(net, x, y, sample=0):
    """The circuit of one sample with its forward values and gradients, from forward and backward.

    Parameters
    ----------
    net : backprop.Network
    x : array_like of shape (N, n0); y : array_like of shape (N, nL)
    sample : int, the row of x and y to follow (0-based; the figure counts from 1)

    Returns
    -------
    str, a <figure> with one SVG and a caption. The gradient of the last weight matrix and the
    two rows it is made of, a^{[L-1]} and delta^{[L]}, are in bold.
    """
    rows = one_sample(net, x, y, sample)
    L = net.L
    widest = max(r["value"].shape[1] for r in rows)
    column = widest * WIDTH_PER_NUMBER
    center = 12 + column + 22
    width = center + 22 + column + 12
    left_edge, right_edge = center - 18, center + 16
    bold = {("a%d" % (L - 1)) if L > 1 else "x": "value", f"z{L}": "grad", f"W{L}": "grad"}
    body, gates = [], []
    body.append(text(left_edge, 14, "forward value", size=11, anchor="end"))
    body.append(text(right_edge, 14, "gradient of C", size=11, anchor="start",
                     class_="hi"))
    y_pos = 30
    for k, row in enumerate(rows):
        name, value, grad = row["name"], row["value"], row["grad"]
        left, right = _labels(name, net)
        lines = max(value.shape[0], 0 if grad is None else grad.shape[0])
        top, block = y_pos, LINE + lines * LINE
        weight = {"font_weight": "bold"}
        body.append(text(left_edge, top + 12, rich(left, FONT), size=FONT, anchor="end",
                         **(weight if bold.get(name) == "value" else {})))
        body.append(_numbers(value, left_edge, top + 12 + LINE, "left", name,
                             bold=bold.get(name) == "value"))
        if right:
            body.append(text(right_edge, top + 12, rich(right, FONT), size=FONT,
                             anchor="start", class_="hi",
                             **(weight if bold.get(name) == "grad" else {})))
        if grad is not None:
            body.append(_numbers(grad, right_edge, top + 12 + LINE, "right", name, cls="hi",
                                 bold=bold.get(name) == "grad"))
        y_pos = top + block + 6
        following = rows[k + 1]["name"] if k + 1 < len(rows) else ""
        if name[0] in "Wb" and not following.startswith("b"):
            symbol = "\u00d7" if name[0] == "W" else "\u00d7+"
        elif name == "y":
            symbol = "C"
        elif name[0] == "z":
            symbol = _gate_symbol(net.activations[int(name[1:]) - 1])
        else:
            continue
        gate_y = y_pos + 10
        if name[0] in "Wby":  # the side input's wire into its gate
            gates.append(tag("line", x1=left_edge + 4, y1=top + block / 2 + 4, x2=center - 12,
                             y2=gate_y - 4, class_="line", stroke_width=1.2))
        gates.append(_gate(center, gate_y, symbol))
        y_pos = gate_y + 20
    height = y_pos
    wire = tag("line", x1=center, y1=30, x2=center, y2=height - 8, class_="line", stroke_width=1.5)
    shape_text = "-".join(map(str, net.sizes))
    listing = "; ".join(
        f"{r['name']} = [{', '.join(fmt(v) for v in r['value'].ravel())}]"
        + ("" if r["grad"] is None else f", gradient [{', '.join(fmt(v) for v in r['grad'].ravel())}]")
        for r in rows)
    svg_text = svg(
        wire + "".join(gates) + "".join(body), width, height,
        title=f"Sample {sample + 1} through the {shape_text} network as a circuit, with its gradients",
        desc=(f"From top to bottom, every wire of the forward pass with its value on the left and the "
              f"gradient of the cost with respect to it on the right, to three decimals: {listing}."),
        ident=f"bpf-circuit-{shape_text}-{sample + 1}", basis=340, max_width=round(1.25 * width),
    )
    a_prev = "x" if L == 1 else "a^{[%d]}" % (L - 1)
    delta = "\\delta^{[%d]}" % L
    dW = "\\partial C / \\partial W^{[%d]} = (%s)^\\top %s" % (L, a_prev, delta)
    caption = (
        f"Sample {sample + 1} alone (a batch of one row) through the {escape(shape_text)} network, "
        f"top to bottom: each wire's forward value on the left, the gradient of the cost with "
        f"respect to it on the right. Follow {math(delta)} back to the last weights: "
        f"{math(dW)}, the bold row of {math(a_prev)} stood up as a column times {math(delta)}."
    )
    return figure(f"circuit-{shape_text}-{sample + 1}", [svg_text], caption)
