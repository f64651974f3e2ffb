"""Two line plots drawn by hand on logarithmic axes: the learner's cost curve, sum versus mean.

Both train copies of the network they are given with the package's ``Network.train``; the
caller's network is left as it was. The axes are plain SVG: a tick's label is a <text> at the
tick's height, so a test can read a drawn point back into a number.
"""

import math as pymath

import numpy as np

from backprop import Network

from .svg import figure, fmt, math, rich, svg, tag, text

WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 62, 16, 14, 44  # margins around the plotting box
FONT = 12


def trained_copy(net):
    """A network with copies of net's parameters, activations and cost: training it leaves net alone."""
    return Network({name: value.copy() for name, value in net.params.items()},
                   activations=list(net.activations), cost=net.cost)


class LogAxis:
    """A logarithmic axis from the decade below lo to the decade above hi, onto [start, end].

    room: pixels kept free between the point ``hi`` and the end of the axis (for a label above
    it); the axis then ends a little past its last decade.
    """

    def __init__(self, lo, hi, start, end, room=0):
        self.lo, self.hi = pymath.floor(np.log10(lo)), pymath.ceil(np.log10(hi))
        if self.hi == self.lo:
            self.hi += 1
        self.start, self.end = start, end
        share = room / abs(end - start)  # of the axis's length
        if share:
            top = np.log10(hi)
            self.hi = max(self.hi, (top - share * self.lo) / (1 - share))

    def __call__(self, value):
        frac = (np.log10(value) - self.lo) / (self.hi - self.lo)
        return self.start + frac * (self.end - self.start)

    def decades(self):
        return [10.0 ** k for k in range(pymath.ceil(self.lo - 1e-9), pymath.floor(self.hi + 1e-9) + 1)]


class LinearAxis:
    """A linear axis from lo to hi onto [start, end]."""

    def __init__(self, lo, hi, start, end):
        self.lo, self.hi, self.start, self.end = lo, hi, start, end

    def __call__(self, value):
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def tick_labels(values):
    """The labels of an axis's ticks at powers of ten, all in one notation: written out when every
    one lies from 0.001 to 1000, else each as 10 with a raised exponent."""
    exponents = [round(np.log10(v)) for v in values]
    if all(-3 <= k <= 3 for k in exponents):
        return [f"{v:.{max(0, -k)}f}" for v, k in zip(values, exponents)]
    return [rich([("10", str(k).replace("-", "\u2212"), None)], FONT) for k in exponents]


def _axes(xs, ys, x_ticks, x_labels, x_title, y_title):
    """Box, grid lines at y's decades, tick labels and axis titles."""
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, TOP
    out = [tag("rect", x=x0, y=y1, width=x1 - x0, height=y0 - y1, class_="line", stroke_width=1)]
    decades = ys.decades()
    for value, label_text in zip(decades, tick_labels(decades)):
        y = ys(value)
        out.append(tag("line", x1=x0, y1=y, x2=x1, y2=y, class_="soft", stroke_width=0.5,
                       stroke_dasharray="2 3"))
        out.append(text(x0 - 6, y + 4, label_text, size=FONT, anchor="end", data_tick_y=repr(value)))
    for value, label_text in zip(x_ticks, x_labels):
        x = xs(value)
        out.append(tag("line", x1=x, y1=y0, x2=x, y2=y0 + 4, class_="line", stroke_width=1))
        out.append(text(x, y0 + 17, label_text, size=FONT, data_tick_x=repr(value)))
    out.append(text((x0 + x1) / 2, HEIGHT - 8, x_title, size=FONT))
    out.append(text(12, (y0 + y1) / 2, y_title, size=FONT, transform=f"rotate(-90 12 {(y0 + y1) / 2:g})"))
    return "".join(out)


def _points(xs, ys, px, py):
    return " ".join(f"{xs(a):.1f},{ys(b):.1f}" for a, b in zip(px, py))


def cost_curve(net, x, y, lr=1.0, iterations=1000):
    """The cost before each of ``iterations`` steps and after the last, training a copy of net.

    x : array_like of shape (N, n0); y : array_like of shape (N, nL).

    Returns
    -------
    ndarray of shape (iterations + 1,): ``Network.train``'s history, then the final cost.
    """
    copy = trained_copy(net)
    history = copy.train(x, y, lr=lr, iterations=iterations)
    return np.append(history, copy.cost_value(x, y))


def cost_curve_figure(net, x, y, lr=1.0, iterations=1000):
    """The cost C at every step of full-batch gradient descent on (x, y), on a log scale.

    Parameters
    ----------
    net : backprop.Network, not changed (a copy is trained)
    x : array_like of shape (N, n0); y : array_like of shape (N, nL)
    lr : float, the learning rate; iterations : int, the number of steps

    Returns
    -------
    str, a <figure> with one SVG and a caption.
    """
    costs = cost_curve(net, x, y, lr, iterations)
    steps = np.arange(len(costs))
    xs = LinearAxis(0, iterations, LEFT, WIDTH - RIGHT)
    # room under the lowest cost and over the highest, for the labels of the two ends: the
    # curve falls from its start and ends at its lowest, so a label above the start and one
    # below the end stay clear of it
    ys = LogAxis(costs.min() / 3, costs.max(), HEIGHT - BOTTOM, TOP, room=26)
    ticks = np.linspace(0, iterations, 6)
    body = _axes(xs, ys, ticks, [f"{t:g}" for t in ticks], "gradient-descent step",
                 "cost C (log scale)")
    body += tag("polyline", points=_points(xs, ys, steps, costs), class_="line hi", stroke_width=2,
                fill="none", data_series="cost")
    start, end = costs[0], costs[-1]
    body += tag("circle", cx=xs(0), cy=ys(start), r=3.5, class_="dot hi")
    body += tag("circle", cx=xs(iterations), cy=ys(end), r=3.5, class_="dot hi")
    body += text(xs(0) + 8, ys(start) - 9, f"C = {fmt(start, 3)} at the start", size=FONT,
                 anchor="start", class_="halo", data_value="start")
    body += text(xs(iterations) - 4, ys(end) + 20, f"C = {fmt(end, 4)} after {iterations} steps",
                 size=FONT, anchor="end", class_="halo", data_value="end")
    N = len(np.asarray(x))
    shape_text = "-".join(map(str, net.sizes))
    svg_text = svg(
        body, WIDTH, HEIGHT,
        title=f"The cost over {iterations} steps of gradient descent",
        desc=(f"A falling curve on a logarithmic scale: the cost C of the {shape_text} network on its "
              f"{N} samples, summed over the batch, from {fmt(start, 3)} before the first step to "
              f"{fmt(end, 4)} after step {iterations}, with learning rate {lr:g}."),
        ident=f"bpf-cost-{shape_text}", basis=320,
    )
    update = math(r"W \leftarrow W - \gamma \, \partial C / \partial W")
    rate = math(r"\gamma = %g" % lr)
    caption = (
        f"The cost {math('C')} (a sum over the {N} samples) before each of {iterations} steps "
        f"{update} with {rate}, and after the last: the package's "
        f"<code>Network.train</code> history, on a logarithmic scale."
    )
    return figure(f"cost-curve-{shape_text}", [svg_text], caption)


def sum_vs_mean(net, x, y, copies, lr_sum, lr_mean, iterations):
    """C/N after training on the data repeated k times, with the summed and the mean cost.

    x : array_like of shape (n, n0); y : array_like of shape (n, nL). For each k in copies the
    batch is the n samples repeated k times, N = k n. "sum" trains with rate lr_sum on the summed
    cost; "mean" with rate lr_mean / N (the mean cost C / N at rate lr_mean).

    Returns
    -------
    dict with ``"N"`` (len(copies),), ``"start"`` (C/N before training, the same for every k),
    ``"sum"`` and ``"mean"`` (C/N after ``iterations`` steps), each an ndarray.
    """
    x, y = np.asarray(x), np.asarray(y)
    out = {"N": [], "start": [], "sum": [], "mean": []}
    for k in copies:
        xk, yk = np.tile(x, (k, 1)), np.tile(y, (k, 1))
        N = len(xk)
        out["N"].append(N)
        out["start"].append(net.cost_value(xk, yk) / N)
        for kind, lr in (("sum", lr_sum), ("mean", lr_mean / N)):
            copy = trained_copy(net)
            copy.train(xk, yk, lr=lr, iterations=iterations)
            out[kind].append(copy.cost_value(xk, yk) / N)
    return {key: np.array(value) for key, value in out.items()}


def sum_vs_mean_figure(net, x, y, copies=(1, 2, 4, 8, 16, 32, 64, 128, 256), lr_sum=1.0,
                       lr_mean=None, iterations=1000):
    """The cost per sample after training, against the batch size, for a summed and a mean cost.

    Parameters
    ----------
    net : backprop.Network, not changed (copies are trained)
    x : array_like of shape (n, n0); y : array_like of shape (n, nL): the data, repeated k times
    copies : the values of k; lr_sum : the rate for the summed cost
    lr_mean : the rate for the mean cost (the sum at rate lr_mean / N); default lr_sum * n, so
        that both runs are the same at k = 1
    iterations : int, the number of full-batch steps of each run

    Returns
    -------
    str, a <figure> with one SVG and a caption.
    """
    n = len(np.asarray(x))
    lr_mean = lr_sum * n if lr_mean is None else lr_mean
    runs = sum_vs_mean(net, x, y, copies, lr_sum, lr_mean, iterations)
    Ns = runs["N"]
    xs = LogAxis(Ns.min(), Ns.max(), LEFT, WIDTH - RIGHT)
    xs.lo, xs.hi = np.log10(Ns.min()), np.log10(Ns.max())  # the box spans exactly the data
    values = np.concatenate([runs["sum"], runs["mean"], runs["start"]])
    ys = LogAxis(values.min(), values.max(), HEIGHT - BOTTOM, TOP)
    shown = [N for N in Ns if np.isclose(np.log2(N / Ns[0]) % 2, 0)]  # every other doubling
    body = _axes(xs, ys, shown, [f"{N:d}" for N in shown], "batch size N (the data repeated)",
                 "C / N after training")
    start = runs["start"][0]
    body += tag("line", x1=xs(Ns[0]), y1=ys(start), x2=xs(Ns[-1]), y2=ys(start), class_="soft",
                stroke_width=1.2, stroke_dasharray="1 3")
    body += text(xs(Ns[0]) + 6, ys(start) - 6, f"before training: {fmt(start, 3)}", size=FONT - 1,
                 anchor="start", class_="halo", data_value="start")
    marks = {"sum": "circle", "mean": "rect"}
    for kind in ("mean", "sum"):
        hi = kind == "sum"
        points = _points(xs, ys, Ns, runs[kind])
        dots = []
        for N, value in zip(Ns, runs[kind]):
            cx, cy = xs(N), ys(value)
            if marks[kind] == "circle":
                dots.append(tag("circle", cx=cx, cy=cy, r=3.5, class_="dot hi", data_n=int(N)))
            else:
                dots.append(tag("rect", x=cx - 3, y=cy - 3, width=6, height=6, class_="dot",
                                data_n=int(N)))
        body += tag("g", tag("polyline", points=points, class_="line hi" if hi else "line",
                             stroke_width=2 if hi else 1.5, stroke_dasharray=None if hi else "5 3",
                             fill="none") + "".join(dots), data_series=kind)
    # a small legend on the left, under the line of the starting cost
    lx, ly = LEFT + 10, ys(start) + 24
    body += tag("line", x1=lx, y1=ly, x2=lx + 22, y2=ly, class_="line hi", stroke_width=2)
    body += tag("circle", cx=lx + 11, cy=ly, r=3.5, class_="dot hi")
    body += text(lx + 28, ly + 4, f"sum, rate {lr_sum:g}", size=FONT, anchor="start", class_="halo hi")
    body += tag("line", x1=lx, y1=ly + 18, x2=lx + 22, y2=ly + 18, class_="line", stroke_width=1.5,
                stroke_dasharray="5 3")
    body += tag("rect", x=lx + 8, y=ly + 15, width=6, height=6, class_="dot")
    body += text(lx + 28, ly + 22, f"mean, rate {lr_mean:g} (sum at {lr_mean:g}/N)", size=FONT,
                 anchor="start", class_="halo")
    shape_text = "-".join(map(str, net.sizes))

    def listing(kind):
        return ", ".join(f"N = {N}: {v:.3g}" for N, v in zip(Ns, runs[kind]))

    svg_text = svg(
        body, WIDTH, HEIGHT,
        title="Cost per sample after training, summed versus mean cost, as the batch grows",
        desc=(f"Logarithmic axes. C/N after {iterations} steps of the {shape_text} network on its {n} "
              f"samples repeated k times. Summed cost at rate {lr_sum:g}: {listing('sum')}. Mean "
              f"cost at rate {lr_mean:g}: {listing('mean')}. Before training C/N = {start:.3g}."),
        ident=f"bpf-sum-vs-mean-{shape_text}", basis=320,
    )
    per_sample_rate = math(r"%g / N" % lr_mean)
    rate_sum = math(r"\gamma = %g" % lr_sum)
    caption = (
        f"The {n} samples repeated {math('k')} times, {math('N = %dk' % n)}, and {iterations} steps "
        f"of gradient descent from the same weights; the cost per sample {math('C / N')} after "
        f"them. Solid: the summed cost at the fixed rate {rate_sum}, "
        f"whose step grows with {math('N')}. Dashed: the mean cost at rate {lr_mean:g} (the sum "
        f"at rate {per_sample_rate}), the same run for every {math('N')}."
    )
    return figure(f"sum-vs-mean-{shape_text}", [svg_text], caption)
