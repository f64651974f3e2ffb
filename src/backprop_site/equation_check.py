"""An equation checked on networks: both sides evaluated against finite differences and the package.

:func:`check` evaluates the two sides of an equation (LaTeX, read by backprop_site.equations) on
CASES, six networks (random ones of depth 2 to 4, with and without biases, hidden widths unlike
the batch size, and the learner's), for every layer ``l`` the equation can be read at. The truth
does not come from ``backprop``'s backward pass:

* ``a^l``, ``z^l`` come from :func:`forward`, written here;
* ``C = 1/2 * sum((a^L - y)**2)`` (a sum over the batch) is :func:`cost`, written here;
* ``delta^l = dC/dz^l``, ``dC/da^l``, ``dC/dW^l``, ``dC/db^l`` are central differences
  of that cost (``delta^l`` by nudging ``z^l`` and running the network on from there).

Where the left-hand side is something ``backprop`` computes (``a``, ``z``, ``delta``,
``dW``, ``db``, ``C``, ``dC/da^L``), the package's value is compared as well, so a
change to src/ that disagrees with an equation fails too.

Used by tests/pages/test_equations.py, scripts/mutation_check.py and the blocks of docs/testing.md
(in the build and in the reader's browser): it needs NumPy and the package only.
"""

from functools import lru_cache

import numpy as np

import backprop
from backprop_site.equations import EquationError, evaluate, find_equations, layer, parse, references

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
def collect(root):
    """(id, Equation or error message) for every tagged equation of the pages under root/docs."""
    found = []
    for path in sorted((root / "docs").rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            found += [(f"{rel}::{eq.tag}", eq) for eq in find_equations(path.read_text("utf-8"), rel)]
        except EquationError as error:
            found.append((f"{rel}::unreadable", str(error)))
    return found
