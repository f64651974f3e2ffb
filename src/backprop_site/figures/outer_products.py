"""The batch weight gradient as a sum of per-sample outer products, one table per sample.

``dC/dW^{[l]} = (a^{[l-1]})^T delta^{[l]} = sum_n (a^{[l-1]}_n)^T delta^{[l]}_n``: the matrix
product adds, over the samples n, the outer product of sample n's row of a^{[l-1]} (stood up as
a column) with its row of delta^{[l]}. The figure draws each outer product as a multiplication
table: the sample's a^{[l-1]} down the side, its delta^{[l]} across the top, every entry the
product of its row's and its column's number; then the tables' sum, the batch gradient.
"""

from html import escape

import numpy as np

from .svg import figure, fmt, math, rich, svg, tag, text

DECIMALS = 4
COL = 60  # width of one number column (a minus sign is wide)
HEAD = 60  # width of the column of row headers
LINE = 18
FONT = 12
TOP = 52  # baseline of the first body row


def outer_products(net, x, y, layer):
    """The factors and terms of dC/dW^{[layer]} for every sample, and the batch gradient.

    x : array_like of shape (N, n0); y : array_like of shape (N, nL).

    Returns
    -------
    a_prev : ndarray (N, n_{l-1}); delta : ndarray (N, n_l);
    terms : ndarray (N, n_{l-1}, n_l), terms[n] = outer(a_prev[n], delta[n]);
    dW : ndarray (n_{l-1}, n_l), the package's batch gradient ``grads[f"dW{layer}"]``.
    """
    if not 1 <= layer <= net.L:
        raise ValueError(f"layer must be 1 to {net.L} for this network, got {layer}")
    cache = net.forward(x)
    grads = net.backward(cache, y)
    a_prev, delta = cache[f"a{layer - 1}"], grads[f"delta{layer}"]
    terms = np.einsum("ni,nj->nij", a_prev, delta)
    return a_prev, delta, terms, grads[f"dW{layer}"]


def _cells(values, x_right, top, group, hi=None, cls=None):
    """Numbers of the 2-D array values, right-aligned in columns ending at x_right, rows from
    baseline top; the entry hi (0-based) highlighted."""
    rows, cols = values.shape
    out = []
    for r in range(rows):
        for c in range(cols):
            mark = (r, c) == hi
            out.append(text(x_right - (cols - 1 - c) * COL, top + r * LINE, fmt(values[r, c], DECIMALS),
                            size=FONT, anchor="end", class_="hi" if mark or cls == "hi" else None,
                            font_weight="bold" if mark else None))
    return tag("g", "".join(out), data_matrix=group)


def _table_svg(title, body_values, body_group, ident, name, desc, heads=None, hi=(0, 0)):
    """One table: a title line (rich label parts), optionally a header row (delta) and a header
    column (a), then the body; name and desc are its accessible title and description.
    heads: (a column (n_in,), delta row (n_out,), a's name parts, delta's name parts, n) or
    None for the sum."""
    n_in, n_out = body_values.shape
    x_body = HEAD + 14 + n_out * COL  # right edge of the last body column
    width = x_body + 8
    parts = [text(4, 14, rich(title, FONT), size=FONT, anchor="start", font_weight="bold")]
    if heads is not None:
        a_col, d_row, a_name, d_name, n = heads
        parts.append(text(x_body - n_out * COL / 2, 14, rich(d_name, FONT), size=FONT))
        parts.append(text(HEAD, 34, rich(a_name, FONT), size=FONT, anchor="end"))
        parts.append(_cells(d_row[None, :], x_body, 34, f"delta{n}", hi=(0, hi[1]), cls="hi"))
        parts.append(_cells(a_col[:, None], HEAD, TOP + 4, f"a{n}", hi=(hi[0], 0)))
        rule_x = HEAD + 7
        parts.append(tag("path", d=f"M{rule_x},22 V{TOP + 4 + (n_in - 1) * LINE + 6} "
                                   f"M{rule_x - HEAD + 4},{TOP - 10} H{width - 4}",
                         class_="soft", stroke_width=1))
    body_top = TOP + 4 if heads is not None else 36  # the sum has no header row
    parts.append(_cells(body_values, x_body, body_top, body_group, hi=hi))
    height = body_top + (n_in - 1) * LINE + 10
    return svg("".join(parts), width, height, title=name, desc=desc, ident=ident,
               basis=width, max_width=width)


def outer_products_figure(net, x, y, layer=1, entry=(1, 1)):
    """dC/dW^{[layer]} drawn as the sum over the samples of a_n^T delta_n: one table per sample.

    Parameters
    ----------
    net : backprop.Network
    x : array_like of shape (N, n0); y : array_like of shape (N, nL)
    layer : int, the weight matrix W^{[layer]} (default 1, the learner's first layer)
    entry : (i, j), 1-based: the entry of W whose products and sum are highlighted

    Returns
    -------
    str, a <figure> with N + 1 SVGs (one table per sample, then their sum) and a caption;
    numbers to four decimals.
    """
    a_prev, delta, terms, dW = outer_products(net, x, y, layer)
    N, n_in, n_out = terms.shape
    i_hi, j_hi = entry
    if not (1 <= i_hi <= n_in and 1 <= j_hi <= n_out):
        raise ValueError(f"entry must be (i, j) with 1 <= i <= {n_in} and 1 <= j <= {n_out}, got {entry}")
    hi = (i_hi - 1, j_hi - 1)
    a_sym, d_sym = ("a", f"[{layer - 1}]", None), ("\u03b4", f"[{layer}]", None)
    shape_text = "-".join(map(str, net.sizes))
    a_txt, d_txt = f"a[{layer - 1}]", f"delta[{layer}]"

    def listing(m):
        return "; ".join(", ".join(fmt(v, DECIMALS) for v in row) for row in m)

    svgs = []
    for n in range(N):
        title = [("+ " if n else "") + f"sample {n + 1}"]
        desc = (f"Sample {n + 1}: its row of {a_txt} down the side ({listing(a_prev[n][:, None])}) and "
                f"its row of {d_txt} across the top ({listing(delta[n][None, :])}); each entry of the "
                f"{n_in} by {n_out} table is the product of its row's and its column's number: "
                f"[{listing(terms[n])}].")
        svgs.append(_table_svg(title, terms[n], f"term{n + 1}", f"bpf-outer-{shape_text}-{layer}-{n + 1}",
                               f"Sample {n + 1}: the outer product of its {a_txt} and {d_txt}", desc, heads=(a_prev[n], delta[n], [a_sym, ("", "T", None)], [d_sym], n + 1),
                               hi=hi))
    d = "\u2202"
    sum_title = ["= ", (f"{d}C/{d}W", f"[{layer}]", None), f", the sum of the {N}"]
    svgs.append(_table_svg(
        sum_title, dW, "sum", f"bpf-outer-{shape_text}-{layer}-sum",
        f"The sum of the {N} tables, dC/dW[{layer}]", desc=(f"The sum of the {N} tables, entry by entry: dC/dW[{layer}] = {a_txt} transposed times "
              f"{d_txt} = [{listing(dW)}]."), hi=hi))
    a_tex, d_tex = "a^{[%d]}" % (layer - 1), "\\delta^{[%d]}" % layer
    a_entry = "a^{[%d]}_{n%d}" % (layer - 1, i_hi)
    total = (r"\partial C / \partial W^{[%d]} = (%s)^\top \delta^{[%d]} = \sum_{n=1}^{%d} "
             r"(%s_n)^\top \delta^{[%d]}_n" % (layer, a_tex, layer, N, a_tex, layer))
    one = (r"\sum_n %s \, \delta^{[%d]}_{n%d} = \partial C / \partial W^{[%d]}_{%d%d}"
           % (a_entry, layer, j_hi, layer, i_hi, j_hi))
    caption = (
        f"{math(total)}. One table per sample: its row of {math(a_tex)} down the side, its row of "
        f"{math(d_tex)} across the top, and in the table every product of the two: their "
        f"{n_in}\u00a0\u00d7\u00a0{n_out} outer product. The matrix product adds the {N} tables. Highlighted, "
        f"the {N} products that add up to one weight's gradient, {math(one)}. Numbers from the "
        f"{escape(shape_text)} network's forward and backward pass on the {N} samples, each rounded "
        f"to {DECIMALS} decimals on its own (a sum of rounded terms can be off in the last digit)."
    )
    return figure(f"outer-products-{shape_text}-{layer}", svgs, caption)
