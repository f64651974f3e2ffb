"""The batch weight gradient as a column sum of per-sample outer products.

``dC/dW^{[l]} = (a^{[l-1]})^T delta^{[l]} = sum_n (a^{[l-1]}_n)^T delta^{[l]}_n``: the matrix
product adds, over the samples n, the outer product of sample n's row of a^{[l-1]} (stood up
as a column) with its row of delta^{[l]}. The figure writes one line per sample, column times
row equals matrix, and adds the matrices up like a written sum.
"""

from html import escape

import numpy as np

from .svg import figure, fmt, math, rich, svg, tag, text

DECIMALS = 4
COL = 62  # width of one number (a minus sign is wide)
LINE = 17
FONT = 12


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


def _matrix(m, x_right, top, group, hi_entry=None, **extra):
    """Numbers of m right-aligned in columns ending at x_right, in thin brackets."""
    rows, cols = m.shape
    out = []
    for r in range(rows):
        for c in range(cols):
            hi = (r, c) == hi_entry
            out.append(text(x_right - (cols - 1 - c) * COL, top + (r + 1) * LINE - 4,
                            fmt(m[r, c], DECIMALS), size=FONT, anchor="end",
                            class_="hi" if hi else None, font_weight="bold" if hi else None))
    left, bottom = x_right - cols * COL + 4, top + rows * LINE + 2
    right = x_right + 6
    bracket = (f"M{left + 5},{top - 1} h-5 V{bottom} h5 M{right - 5},{top - 1} h5 V{bottom} h-5")
    out.append(tag("path", d=bracket, class_="soft", stroke_width=1))
    return tag("g", "".join(out), data_matrix=group, **extra)


def outer_products_figure(net, x, y, layer=2, entry=(1, 1)):
    """dC/dW^{[layer]} drawn as the sum over the samples of a_n^T delta_n, with the numbers.

    Parameters
    ----------
    net : backprop.Network
    x : array_like of shape (N, n0); y : array_like of shape (N, nL)
    layer : int, the weight matrix W^{[layer]} (default 2, the learner's output layer)
    entry : (i, j), 1-based: the entry of W whose four products and sum are highlighted

    Returns
    -------
    str, a <figure> with one SVG and a caption; numbers to four decimals.
    """
    a_prev, delta, terms, dW = outer_products(net, x, y, layer)
    N, n_in, n_out = terms.shape
    i_hi, j_hi = entry
    if not (1 <= i_hi <= n_in and 1 <= j_hi <= n_out):
        raise ValueError(f"entry must be (i, j) with 1 <= i <= {n_in} and 1 <= j <= {n_out}, got {entry}")
    hi = (i_hi - 1, j_hi - 1)
    a_name = ("x", None, None) if layer == 1 else ("a", f"[{layer - 1}]", None)
    d_name = ("\u03b4", f"[{layer}]", None)
    # columns: "n = 1" | a_n^T (n_in rows) | x | delta_n (one row) | = | + | term (n_in x n_out)
    x_label = 40
    x_col = x_label + 14 + COL  # right edge of the a_n column
    x_times = x_col + 18
    x_row = x_times + 14 + n_out * COL  # right edge of the delta_n row
    x_eq = x_row + 20
    x_plus = x_eq + 22
    x_term = x_plus + 12 + n_out * COL
    width = x_term + 16
    top = 34
    block = n_in * LINE + 14
    body = [
        text(x_col - COL / 2, 16, rich([a_name, ("", "T", None), ""], FONT), size=FONT),
        text(x_row - n_out * COL / 2, 16, rich([d_name, ""], FONT), size=FONT),
        text(x_term - n_out * COL / 2, 16, rich([a_name, ("", "T", None), " ", d_name], FONT),
             size=FONT),
    ]
    for n in range(N):
        y0 = top + n * block
        body.append(text(x_label, y0 + LINE - 4, f"n = {n + 1}", size=FONT, anchor="end"))
        body.append(_matrix(a_prev[n][:, None], x_col, y0, f"a{n + 1}", hi_entry=(hi[0], 0)))
        body.append(text(x_times, y0 + LINE - 4, "\u00d7", size=14))
        body.append(_matrix(delta[n][None, :], x_row, y0, f"delta{n + 1}", hi_entry=(0, hi[1])))
        body.append(text(x_eq, y0 + LINE - 4, "=", size=14))
        if n > 0:
            body.append(text(x_plus, y0 + LINE - 4, "+", size=14))
        body.append(_matrix(terms[n], x_term, y0, f"term{n + 1}", hi_entry=hi))
    y_rule = top + N * block - 4
    body.append(tag("line", x1=x_plus - 10, y1=y_rule, x2=x_term + 8, y2=y_rule, class_="line",
                    stroke_width=1.2))
    y_sum = y_rule + 10
    sum_label = rich([("\u2202C/\u2202W", f"[{layer}]", None), " ="], FONT)
    body.append(text(x_plus - 14, y_sum + LINE - 4, sum_label, size=FONT, anchor="end"))
    body.append(_matrix(dW, x_term, y_sum, "sum", hi_entry=hi))
    height = y_sum + n_in * LINE + 16
    shape_text = "-".join(map(str, net.sizes))
    a_txt = "x" if layer == 1 else f"a[{layer - 1}]"
    pair = f"{i_hi}{j_hi}"
    svg_text = svg(
        "".join(body), width, height,
        title=f"dC/dW[{layer}] as the sum of {N} per-sample outer products",
        desc=(f"One line per sample n = 1 to {N}: the column {a_txt}n transposed, times the row "
              f"delta[{layer}]n, gives a {n_in} by {n_out} matrix. The {N} matrices add up to "
              f"dC/dW[{layer}] = [" + "; ".join(", ".join(fmt(v, DECIMALS) for v in row) for row in dW)
              + f"]. Highlighted: entry ({i_hi}, {j_hi}) of each matrix, the product of "
              f"{a_txt}n{i_hi} and delta[{layer}]n{j_hi}, and of the sum."),
        ident=f"bpf-outer-{shape_text}-{layer}", basis=260, max_width=round(1.3 * width),
    )
    a_tex = "x" if layer == 1 else "a^{[%d]}" % (layer - 1)
    a_entry = "x_{n%d}" % i_hi if layer == 1 else "a^{[%d]}_{n%d}" % (layer - 1, i_hi)
    a_top = "x^\\top" if layer == 1 else "(a^{[%d]})^\\top" % (layer - 1)
    total = (r"\frac{\partial C}{\partial W^{[%d]}} = %s \delta^{[%d]} = \sum_{n=1}^{%d} "
             r"(%s_n)^\top \delta^{[%d]}_n" % (layer, a_top, layer, N, a_tex, layer))
    one = (r"\sum_n %s \, \delta^{[%d]}_{n%d} = \partial C / \partial W^{[%d]}_{%s}"
           % (a_entry, layer, j_hi, layer, pair))
    caption = (
        f"{math(total)}: the matrix product adds one outer product per sample, column times row. "
        f"Highlighted, the {N} products {math(one)}. Numbers from the {escape(shape_text)} "
        f"network's forward and backward pass on the {N} samples, each rounded to {DECIMALS} "
        f"decimals on its own (a sum of the rounded terms can be off in the last digit)."
    )
    return figure(f"outer-products-{shape_text}-{layer}", [svg_text], caption)
