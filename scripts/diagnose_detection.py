"""How often backprop.diagnose names a planted mistake: a measurement, not a test.

Over random networks (1-4 layers, widths 1-6, batch sizes 1-7 with about half of them equal to
a layer width, every activation and cost of the package), a backward pass written here in
plain NumPy, independently of the package, is run once right and once with each catalogued
mistake planted in one array (a delta, or one dW or db). All its arrays are given to diagnose.
Every array the mistake changes is one case: named correctly (the planted id, unambiguous,
with the planted array among the finding's sources), reported ambiguous with the planted id
among the candidates, or wrong. The right pass counts false alarms (goal 0).

    .venv/bin/python scripts/diagnose_detection.py [--networks 1000] [--seed 0]
"""

import argparse
import time
from collections import Counter, defaultdict

import numpy as np

from backprop import Network, diagnose
from backprop.diagnose import MISTAKES

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity", "softmax"]
COSTS = ["half_squared_error", "binary_cross_entropy", "categorical_cross_entropy"]
PLANTED = [m for m in MISTAKES if m not in ("correct", "unknown", "wrong_shape", "not_finite")]
EPS = 1e-12  # the package's cross-entropies take log(a + 1e-12)


def forward(f, z):
    if f == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if f == "tanh":
        return np.tanh(z)
    if f == "relu":
        return np.where(z > 0, z, 0.0)
    if f == "identity":
        return z
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def slope_from_output(f, a, g):
    """g times f'(z), the slope written from the output a (softmax: its Jacobian product)."""
    if f == "sigmoid":
        return g * a * (1 - a)
    if f == "tanh":
        return g * (1 - a ** 2)
    if f == "relu":
        return g * (a > 0)
    if f == "identity":
        return g
    return a * (g - (g * a).sum(axis=1, keepdims=True))


def slope_at_input(f, u, g):
    """g times f'(u), the slope written from the input, evaluated at u."""
    return slope_from_output(f, forward(f, u), g)


def cost_gradient(cost, a, y):
    if cost == "half_squared_error":
        return a - y
    if cost == "binary_cross_entropy":
        return -y / (a + EPS) + (1 - y) / (1 - a + EPS)
    return -y / (a + EPS)


def reader(params, acts, cost, x, y, plant=None):
    """A hand-written backward pass: {"delta{l}", "dW{l}", "db{l}"}, with ``plant`` =
    (mistake, array name, variant) planted, or None for the right pass."""
    mistake, where, variant = plant or (None, None, None)
    L = len(acts)
    a, z = {0: x}, {}
    for l in range(1, L + 1):
        z[l] = a[l - 1] @ params[f"W{l}"] + params.get(f"b{l}", 0)
        a[l] = forward(acts[l - 1], z[l])
    N = x.shape[0]
    factor = {"sign": -1.0, "mean_not_sum": 1.0 / N, "scale": variant}.get(mistake)
    out, delta = {}, None
    for k in range(L, 0, -1):
        here = where == f"delta{k}"
        if k == L:
            g = cost_gradient(cost, a[k], y)
        elif here and mistake == "weights_not_transposed":
            g = delta @ params[f"W{k + 1}"]
        else:
            g = delta @ params[f"W{k + 1}"].T
        f = acts[k - 1]
        if here and mistake == "sigma_prime_of_a":
            delta = slope_at_input(f, a[k], g)
        elif here and mistake == "sigma_prime_of_z":
            delta = slope_from_output(f, z[k], g)
        elif here and mistake == "missing_sigma_prime":
            delta = g
        elif k == L and (cost, f) == ("binary_cross_entropy", "sigmoid"):
            delta = a[k] - y
        elif k == L and (cost, f) == ("categorical_cross_entropy", "softmax"):
            delta = a[k] * y.sum(axis=1, keepdims=True) - y
        else:
            delta = slope_from_output(f, a[k], g)
        if here and factor is not None:
            delta = factor * delta
        out[f"delta{k}"] = delta
        dW = a[k - 1].T @ delta
        if where == f"dW{k}" and factor is not None:
            dW = factor * dW
        elif where == f"dW{k}" and mistake == "transpose":
            dW = delta.T @ a[k - 1] if variant == "flip" else a[k - 1] @ delta
        elif where == f"dW{k}" and mistake == "this_layer_activation":
            dW = a[k].T @ delta
        elif where == f"dW{k}" and mistake == "no_previous_activation":
            dW = delta
        out[f"dW{k}"] = dW
        if f"b{k}" in params:
            db = delta.sum(axis=0, keepdims=True)
            if where == f"db{k}" and factor is not None:
                db = factor * db
            elif where == f"db{k}" and mistake == "bias_wrong_axis":
                across = delta.sum(axis=1, keepdims=True)  # (N, 1)
                db = across if variant == "column" else across.T
            out[f"db{k}"] = db
    return out


def random_problem(rng):
    """A random network, its batch, and the reader's view of it."""
    L = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 7, size=L + 1)]
    N = int(rng.choice(sizes)) if rng.random() < 0.5 else int(rng.integers(1, 8))
    cost = str(rng.choice(COSTS))
    acts = [str(rng.choice(ACTIVATIONS)) for _ in range(L)]
    if cost != "half_squared_error":  # the cross-entropies need outputs in [0, 1]
        acts[-1] = str(rng.choice(["sigmoid", "softmax"]))
    net = Network.from_sizes(sizes, rng, bias=bool(rng.random() < 0.7), activations=acts, cost=cost)
    for name, b in net.params.items():
        if name.startswith("b"):
            b[...] = 0.3 * rng.standard_normal(b.shape)
    x = rng.standard_normal((N, sizes[0]))
    if cost == "half_squared_error":
        y = rng.standard_normal((N, sizes[-1]))
    elif cost == "binary_cross_entropy":
        y = rng.integers(0, 2, (N, sizes[-1])).astype(float)
    else:
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], N)]
    return net, acts, cost, x, y


def plants(rng, net, N, mistake):
    """Where ``mistake`` can be planted in this network (code that runs): [(where, variant)]."""
    L, sizes = net.L, net.sizes
    biased = [l for l in range(1, L + 1) if f"b{l}" in net.params]
    if mistake in ("sign", "mean_not_sum", "scale"):
        factor = float(rng.choice([2.0, 0.5])) if mistake == "scale" else None
        return ([(f"delta{k}", factor) for k in range(1, L + 1)]
                + [(f"dW{l}", factor) for l in range(1, L + 1)]
                + [(f"db{l}", factor) for l in biased])
    if mistake in ("sigma_prime_of_a", "sigma_prime_of_z", "missing_sigma_prime"):
        return [(f"delta{k}", None) for k in range(1, L + 1)]
    if mistake == "weights_not_transposed":
        return [(f"delta{k}", None) for k in range(1, L) if sizes[k] == sizes[k + 1]]
    if mistake == "transpose":
        return [(f"dW{l}", "flip") for l in range(1, L + 1)] + [
            (f"dW{l}", "no .T") for l in range(1, L + 1) if sizes[l - 1] == N]
    if mistake in ("this_layer_activation", "no_previous_activation"):
        return [(f"dW{l}", None) for l in range(1, L + 1)]
    if mistake == "bias_wrong_axis":
        return [(f"db{l}", v) for l in biased for v in ("column", "row")]
    raise ValueError(mistake)


def changed(mine, true, name, cache, N, rtol=1e-5):
    """Whether the array differs from the true one, with diagnose's documented tolerance."""
    if mine.shape != true.shape:
        return True
    l = int(name.lstrip("dWbelta"))
    size = np.abs(cache[f"delta{l}"]).max() * (1 if name.startswith("delta") else N)
    if name.startswith("dW"):
        size *= np.abs(cache[f"a{l - 1}"]).max()
    return not np.all(np.abs(mine - true) <= 1e-8 * size + rtol * np.abs(true))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    plants_made = Counter()  # networks where the planted mistake changed at least one array
    cases = {m: Counter() for m in PLANTED}
    called = defaultdict(Counter)  # planted id -> what a wrong finding said
    ambiguous_pairs = Counter()
    false_alarms, correct_arrays = [], 0
    with np.errstate(all="ignore"):  # the reader's overflows give inf, which diagnose reports
        for _ in range(args.networks):
            net, acts, cost, x, y = random_problem(rng)
            N = x.shape[0]
            true = net.gradients(x, y)
            cache = {**net.forward(x), **true}
            right = reader(net.params, acts, cost, x, y)
            report = diagnose(net, x, y, right)
            correct_arrays += len(report.findings)
            false_alarms += [(net, acts, cost, f.name, f.mistake) for f in report.findings if not f.ok]
            for mistake in PLANTED:
                options = plants(rng, net, N, mistake)
                if not options:
                    continue
                where, variant = options[int(rng.integers(len(options)))]
                mine = reader(net.params, acts, cost, x, y, (mistake, where, variant))
                hit = [n for n in mine if changed(mine[n], true[n], n, cache, N)]
                if not hit:
                    continue
                plants_made[mistake] += 1
                report = diagnose(net, x, y, mine)
                for name in hit:
                    finding = report[name]
                    if finding.mistake == mistake and not finding.ambiguous and where in finding.sources:
                        cases[mistake]["named"] += 1
                    elif finding.ambiguous and mistake in finding.candidates:
                        cases[mistake]["ambiguous"] += 1
                        ambiguous_pairs[" / ".join(finding.candidates)] += 1
                    else:
                        cases[mistake]["wrong"] += 1
                        said = finding.mistake
                        if finding.mistake == mistake:  # named, but not where it was planted
                            said += f" (sources {', '.join(finding.sources)}, planted in {where})"
                        called[mistake][said] += 1
    seconds = time.perf_counter() - start

    print(f"{args.networks} random networks (seed {args.seed}), {seconds:.1f} s\n")
    header = ("mistake", "planted", "arrays changed", "named", "ambiguous, right pair", "wrong")
    rows = [header]
    totals = Counter()
    for mistake in PLANTED:
        c = cases[mistake]
        n = sum(c.values())
        totals.update(c)
        rows.append((mistake, str(plants_made[mistake]), str(n)) + tuple(
            f"{100 * c[k] / n:.1f}%" if n else "-" for k in ("named", "ambiguous", "wrong")))
    n = sum(totals.values())
    rows.append(("all", str(sum(plants_made.values())), str(n)) + tuple(
        f"{100 * totals[k] / n:.1f}%" for k in ("named", "ambiguous", "wrong")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for i, r in enumerate(rows):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(f"\nfalse alarms on right gradients: {len(false_alarms)} of {correct_arrays} arrays")
    for net, acts, cost, name, mistake in false_alarms[:5]:
        print(f"  {net.sizes} {acts} {cost}: {name} called {mistake}")
    if ambiguous_pairs:
        print("\nambiguous findings (candidates: arrays):")
        for pair, count in ambiguous_pairs.most_common():
            print(f"  {pair}: {count}")
    if any(called.values()):
        print("\nwrong findings (planted: what diagnose said, arrays):")
        for mistake, said in called.items():
            print(f"  {mistake}: " + ", ".join(f"{s} {c}" for s, c in said.most_common(4)))


if __name__ == "__main__":
    main()
