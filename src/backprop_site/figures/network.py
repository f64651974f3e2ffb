"""A network drawn unit by unit, and the arrays of its forward pass drawn as grids of their shapes.

:func:`network_figure` names each layer (input, hidden, output, with its a^{[l]}), each weight
matrix once, under the edges it holds, and the highlighted weight ``W^{[l]}_{ij}`` on its own
edge, with the unit whose activation ``a^{[l-1]}_i`` its gradient multiplies. An input that is
1 in every sample is marked as a bias input. :func:`paths_figure` draws the same network with
the cost at the end and highlights every path from one hidden unit to it. Both read the layer
widths from ``net.params``; the grids read their shapes from a forward pass.
"""

from html import escape

import numpy as np

from .svg import figure, label, math, rich, svg, tag, text

UNIT_R = 17  # radius of a unit's circle, in viewBox units
ROW = 70  # vertical distance between units of one layer
WIDE_ROW = 90  # the same in the widest layers
FONT = 14


def _unit_label(layer, i, size=FONT):
    """x_i for an input, a^{[l]}_i for a unit of layer l (i 1-based)."""
    return label("x", sub=str(i), size=size) if layer == 0 else label("a", f"[{layer}]", str(i), size)


def layer_name(l, L):
    """"input", "hidden" (or "hidden 1", "hidden 2", ... when there are several) or "output"."""
    if l == 0:
        return "input"
    if l == L:
        return "output"
    return "hidden" if L == 2 else f"hidden {l}"


def bias_inputs(x):
    """The inputs (1-based) that are 1 in every sample of x (N, n0): each acts as a bias input."""
    x = np.asarray(x)
    return [i + 1 for i in range(x.shape[1]) if np.all(x[:, i] == 1)]


def _pair(i, j):
    """The index pair of W_{ij}: "12", or "1,12" once an index has two digits."""
    return f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"


def _positions(sizes, width, top, extra_columns=0):
    """Centre (x, y) of every unit, positions[l][i] for layer l, unit i (0-based), and the height.

    The widest layers are spaced further apart than the others: the names of the edges that
    fan into a wide layer then sit in separate groups, one group per unit (see _edge_label_t).
    """
    columns = len(sizes) + extra_columns
    left, right = 36, width - 36
    step = (right - left) / (columns - 1)
    tallest = max(sizes)
    middle = top + (tallest - 1) * WIDE_ROW / 2
    positions = []
    for l, n in enumerate(sizes):
        row = WIDE_ROW if n == tallest else ROW
        positions.append([(left + l * step, middle + (i - (n - 1) / 2) * row) for i in range(n)])
    return positions, middle, top + (tallest - 1) * WIDE_ROW + top


def _draw_units(positions, highlighted=(), bias=()):
    """The units' circles with their names; (l, i) 0-based in highlighted or bias (dashed)."""
    out = []
    for l, layer in enumerate(positions):
        for i, (x, y) in enumerate(layer):
            hi = (l, i) in highlighted
            circle = tag("circle", cx=x, cy=y, r=UNIT_R, class_="unit hi" if hi else "unit",
                         stroke_width=3 if hi else 1.5,
                         stroke_dasharray="4 3" if (l, i) in bias else None)
            out.append(tag("g", circle + text(x, y + 5, _unit_label(l, i + 1), class_="hi" if hi else None),
                           data_unit=f"{l},{i + 1}"))
    return out


def _edge(p, q, hi):
    (x1, y1), (x2, y2) = p, q
    # from the rim of one circle to the rim of the next
    d = np.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    return tag("line", x1=x1 + UNIT_R * ux, y1=y1 + UNIT_R * uy, x2=x2 - UNIT_R * ux,
               y2=y2 - UNIT_R * uy, class_="line hi" if hi else "soft",
               stroke_width=3 if hi else 1)


def _weight_label(l, i, j, p, q, t, hi):
    (x1, y1), (x2, y2) = p, q
    x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
    content = label("W", f"[{l}]", _pair(i, j), size=13)
    # a highlighted (thick) edge would show through its own name: the name sits above it
    return text(x, y - 6 if hi else y + 4, content, size=13, class_="halo hi" if hi else "halo")


def network_figure(net, x, weight=(2, 1, 1)):
    """The network unit by unit, its layers and weight matrices named, and its forward pass's arrays.

    Parameters
    ----------
    net : backprop.Network
    x : array_like of shape (N, n0), the inputs of the forward pass whose arrays are drawn; an
        input that is 1 in every row is marked as a bias input
    weight : (l, i, j), 1-based: the weight W^{[l]}_{ij} to highlight and name on its edge, with
        unit i of layer l-1

    Returns
    -------
    str, a <figure> holding two SVGs (network, arrays) and a caption.
    """
    sizes, L = net.sizes, net.L
    l_hi, i_hi, j_hi = weight
    if not (1 <= l_hi <= L and 1 <= i_hi <= sizes[l_hi - 1] and 1 <= j_hi <= sizes[l_hi]):
        raise ValueError(
            f"weight must be (l, i, j) with 1 <= l <= {L}, 1 <= i <= n_(l-1), 1 <= j <= n_l "
            f"for the sizes {sizes}; got {weight}"
        )
    biases = bias_inputs(x)
    width, top = 400, 68  # the layers' names sit above the units
    positions, _, height = _positions(sizes, width, top=top)
    lowest = max(y for layer in positions for _, y in layer)
    height = lowest + UNIT_R + 36
    edges, body = [], []
    for l in range(1, L + 1):
        for i, p in enumerate(positions[l - 1], start=1):
            for j, q in enumerate(positions[l], start=1):
                edges.append((_edge(p, q, (l, i, j) == weight), f"{l},{i},{j}"))
    # the highlighted edge last, on top of the others
    edges.sort(key=lambda e: "hi" in e[0])
    body += [tag("g", line, data_edge=key) for line, key in edges]
    # each layer's name and symbol above it
    for l, layer in enumerate(positions):
        x_l = layer[0][0]
        symbol = rich([("a", f"[{l}]", None)] + ([" = x"] if l == 0 else []), FONT)
        body.append(tag("g", text(x_l, 18, escape(layer_name(l, L)), size=12)
                        + text(x_l, 38, symbol), data_layer=str(l)))
    # each weight matrix named once, under the edges it holds
    for l in range(1, L + 1):
        x_mid = (positions[l - 1][0][0] + positions[l][0][0]) / 2
        shape = net.params[f"W{l}"].shape
        content = rich([("W", f"[{l}]", None), f" {shape}"], 13)
        body.append(tag("g", text(x_mid, lowest + UNIT_R + 26, content, size=13),
                        data_matrix=f"W{l}"))
    # the highlighted weight named on its own edge, above it (a thick edge would show through)
    (x1, y1), (x2, y2) = positions[l_hi - 1][i_hi - 1], positions[l_hi][j_hi - 1]
    body.append(tag("g", text((x1 + x2) / 2, (y1 + y2) / 2 - 7, label("W", f"[{l_hi}]", _pair(i_hi, j_hi), 13),
                              size=13, class_="halo hi"), data_weight=f"{l_hi},{i_hi},{j_hi}"))
    body += _draw_units(positions, highlighted={(l_hi - 1, i_hi - 1)},
                        bias={(0, i - 1) for i in biases})
    for i in biases:  # under the unit: what it holds
        x_i, y_i = positions[0][i - 1]
        body.append(tag("g", text(x_i, y_i + UNIT_R + 15, rich([("x", None, str(i)), " = 1"], 12), size=12)
                        + text(x_i, y_i + UNIT_R + 29, "bias input", size=12),
                        data_bias=str(i)))
    shape_text = "-".join(map(str, sizes))
    source = "x" if l_hi == 1 else f"a[{l_hi - 1}]"
    network_svg = svg(
        "".join(body), width, height,
        title=f"The {shape_text} network, unit by unit, its layers and weights named",
        desc=(
            "Layers from left to right: "
            + ", ".join(f"the {layer_name(l, L)} layer a[{l}]" + (" = x" if l == 0 else "")
                        + f", {n} unit{'s' if n > 1 else ''}" for l, n in enumerate(sizes))
            + ". The edges between layers l-1 and l are the entries of the weight matrix W[l], "
            "named once under them; edge (i, j) is W[l]ij, from unit i to unit j. "
            + "".join(f"Input x{i} is 1 in every sample: a bias input. " for i in biases)
            + f"Highlighted and named on its edge: the weight W[{l_hi}]{_pair(i_hi, j_hi)}, and the "
            f"unit {source}{i_hi} whose value multiplies delta[{l_hi}]{j_hi} in that weight's gradient."
        ),
        ident=f"bpf-network-{shape_text}", basis=400,
    )
    arrays_svg = _arrays_svg(net, x, weight)
    a_prev = "x" if l_hi == 1 else f"a^{{[{l_hi - 1}]}}"
    a_prev_entry = f"x_{{n{i_hi}}}" if l_hi == 1 else f"a^{{[{l_hi - 1}]}}_{{n{i_hi}}}"
    gradient = (r"\partial C / \partial W^{[%d]}_{%s} = \sum_n %s \, \delta^{[%d]}_{n%d}"
                % (l_hi, _pair(i_hi, j_hi), a_prev_entry, l_hi, j_hi))
    bias_text = "".join(
        f" {math('x_{%d}' % i)} is 1 in every sample, so the weights {math('W^{[1]}_{%dj}' % i)} "
        f"leaving it act as the biases of layer 1." for i in biases)
    caption = (
        f"The {escape(shape_text)} network. The edges from layer {math('l-1')} to layer "
        f"{math('l')} are the weights {math('W^{[l]}')}: the edge from unit {math('i')} to unit "
        f"{math('j')} is {math('W^{[l]}_{ij}')}.{bias_text} The highlighted weight's gradient is "
        f"{math(gradient)}: it learns from the highlighted unit's value, column {i_hi} of "
        f"{math(a_prev)}. The grids: the arrays of one forward pass, one row per sample, drawn at "
        f"their shapes."
    )
    return figure(f"network-{shape_text}", [network_svg, arrays_svg], caption)


def forward_arrays(net, x):
    """The arrays of a forward pass in the order they are used: [("x", a0), ("W1", W1), ("a1", a1), ...].

    x : array_like of shape (N, n0). Each array has its true shape: a{l} (N, n_l), W{l} (n_{l-1}, n_l).
    """
    cache = net.forward(x)
    arrays = [("x", cache["a0"])]
    for l in range(1, net.L + 1):
        arrays += [(f"W{l}", net.params[f"W{l}"]), (f"a{l}", cache[f"a{l}"])]
    return arrays


def _array_name(name, size=FONT):
    if name == "x":
        return "x"
    return label(name[0], f"[{name[1:]}]", size=size)


def _arrays_svg(net, x, weight):
    l_hi, i_hi, j_hi = weight
    arrays = forward_arrays(net, x)
    cell, gap, top = 11, 26, 34
    tallest = max(a.shape[0] for _, a in arrays)
    width = sum(a.shape[1] * cell for _, a in arrays) + gap * (len(arrays) - 1) + 2 * 16
    width = max(width, 160)
    parts, left = [], 16 + (width - 32 - sum(a.shape[1] * cell for _, a in arrays)
                            - gap * (len(arrays) - 1)) / 2
    for name, array in arrays:
        rows, cols = array.shape
        cx = left + cols * cell / 2
        y0 = top + (tallest - rows) * cell / 2
        cells = []
        for r in range(rows):
            for c in range(cols):
                hi = (name == ("x" if l_hi == 1 else f"a{l_hi - 1}") and c == i_hi - 1) or (
                    name == f"W{l_hi}" and (r, c) == (i_hi - 1, j_hi - 1))
                cells.append(tag("rect", x=left + c * cell, y=y0 + r * cell, width=cell, height=cell,
                                 class_="cell hi" if hi else "cell"))
        group = (text(cx, y0 - 8, _array_name(name), class_="name")
                 + "".join(cells)
                 + text(cx, top + tallest * cell + 18, escape(str(array.shape)), size=12, class_="shape"))
        parts.append(tag("g", group, data_array=name))
        left += cols * cell + gap
    height = top + tallest * cell + 28
    listing = ", ".join(f"{name} {array.shape}" for name, array in arrays)
    source = "x" if l_hi == 1 else f"a[{l_hi - 1}]"
    return svg(
        "".join(parts), width, height,
        title="The arrays of the forward pass, drawn at their shapes",
        desc=(f"Grids of rows by columns, one row per sample: {listing}. Highlighted: column "
              f"{i_hi} of {source} and entry ({i_hi}, {j_hi}) of W[{l_hi}]."),
        ident=f"bpf-arrays-{'-'.join(map(str, net.sizes))}", basis=300, max_width=round(1.2 * width),
    )


def paths_figure(net, layer=1, unit=1):
    """Every path from one hidden unit to the cost, highlighted on the drawn network.

    Parameters
    ----------
    net : backprop.Network with at least one hidden layer
    layer, unit : int, 1-based: the hidden unit a^{[layer]}_{unit} whose paths are highlighted

    Returns
    -------
    str, a <figure> with one SVG and a caption. The weights W^{[layer+1]}_{unit j} leaving the
    unit are named, and each unit j of the next layer carries its delta^{[layer+1]}_j.
    """
    sizes = net.sizes
    if not (1 <= layer < net.L and 1 <= unit <= sizes[layer]):
        raise ValueError(
            f"layer must be a hidden layer, 1 <= layer < {net.L}, and 1 <= unit <= n_layer for the "
            f"sizes {sizes}; got layer={layer}, unit={unit}"
        )
    width = 400
    top = 40
    positions, middle, height = _positions(sizes, width, top=top, extra_columns=1)
    step = positions[1][0][0] - positions[0][0][0]
    cost = (positions[-1][0][0] + step, middle)
    nxt = layer + 1
    edges, names = [], []
    for l in range(1, net.L + 1):
        for i, p in enumerate(positions[l - 1], start=1):
            for j, q in enumerate(positions[l], start=1):
                # on a path from the unit: the edges leaving it, and every edge after its next layer
                hi = (l == nxt and i == unit) or l > nxt
                edges.append(_edge(p, q, hi))
                if l == nxt and i == unit:
                    names.append(tag("g", _weight_label(l, i, j, p, q, 0.55, True),
                                     data_weight=f"{l},{i},{j}"))
    for q in positions[-1]:
        edges.append(_edge(q, cost, True))
    order = sorted(range(len(edges)), key=lambda k: "hi" in edges[k])
    body = "".join(edges[k] for k in order) + "".join(names)
    downstream = {(l, i) for l in range(nxt, net.L + 1) for i in range(sizes[l])}
    body += "".join(_draw_units(positions, highlighted={(layer, unit - 1)} | downstream))
    body += tag("g", tag("circle", cx=cost[0], cy=cost[1], r=UNIT_R, class_="unit hi", stroke_width=3)
                + text(cost[0], cost[1] + 5, "C", class_="hi"), data_unit="cost")
    for j, (x, y) in enumerate(positions[nxt], start=1):
        # beside the unit, on the side away from its edges towards the cost
        below = y > middle
        body += tag("g", text(x + UNIT_R + 2, y + 22 if below else y - 10,
                              label("\u03b4", f"[{nxt}]", str(j), size=13), size=13, anchor="start",
                              class_="halo hi"), data_delta=f"{nxt},{j}")
    shape_text = "-".join(map(str, sizes))
    n_next = sizes[nxt]
    paths = "path" if n_next == 1 else "paths"
    svg_text = svg(
        body, width, height,
        title=f"Every path from the hidden unit a[{layer}]{unit} to the cost C",
        desc=(
            f"The {shape_text} network with the cost C after its last layer. Highlighted: the unit "
            f"a[{layer}]{unit}, its {n_next} weight{'s' if n_next > 1 else ''} "
            + ", ".join(f"W[{nxt}]{_pair(unit, j)}" for j in range(1, n_next + 1))
            + f" to the units of layer {nxt}, each marked with its delta[{nxt}]j, and everything "
            f"after them up to C: the {paths} along which a change in a[{layer}]{unit} reaches the cost."
        ),
        ident=f"bpf-paths-{shape_text}-{layer}-{unit}", basis=300,
    )
    total = (r"\frac{\partial C}{\partial a^{[%d]}_{%d}} = \sum_{j=1}^{%d} W^{[%d]}_{%dj} \, "
             r"\delta^{[%d]}_j" % (layer, unit, n_next, nxt, unit, nxt))
    unit_tex = "a^{[%d]}_{%d}" % (layer, unit)
    weight_tex = "W^{[%d]}_{%dj}" % (nxt, unit)
    delta_tex = r"\delta^{[%d]}_j = \partial C / \partial z^{[%d]}_j" % (nxt, nxt)
    caption = (
        f"A change in the hidden unit {math(unit_tex)} reaches the cost along {n_next} highlighted "
        f"{paths}, one through each weight {math(weight_tex)}; from unit {math('j')} of layer "
        f"{nxt} on, {math(delta_tex)} carries the rest of the way. The chain rule adds one term "
        f"per path: {math(total)}."
    )
    return figure(f"paths-{shape_text}-{layer}-{unit}", [svg_text], caption)
