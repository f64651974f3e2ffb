"""diagnose: each catalogued mistake, written by hand in plain NumPy, is named with its layer."""

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop import Network, diagnose, learner_data, learner_network
from backprop.diagnose import MISTAKES

DOCS = Path(__file__).resolve().parents[2] / "docs"

F = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
SLOPE = {"sigmoid": lambda a: a * (1 - a), "tanh": lambda a: 1 - a ** 2}  # f'(z) from a = f(z)


def backward(params, acts, x, y, mistake=None, at=None):
    """A hand-written backward pass for C = 1/2 sum((a - y)**2), with ``mistake`` written in
    the array ``at`` ("delta2", "dW1", "db1"): {"delta{l}", "dW{l}", "db{l}"}."""
    L, N = len(acts), x.shape[0]
    a, z = [x], [None]
    for l in range(1, L + 1):
        z.append(a[-1] @ params[f"W{l}"] + params.get(f"b{l}", 0))
        a.append(F[acts[l - 1]](z[-1]))
    grads, dC_da = {}, a[L] - y
    for l in range(L, 0, -1):
        f, here = acts[l - 1], at == f"delta{l}"
        if here and mistake == "sigma_prime_of_a":
            delta = dC_da * SLOPE[f](F[f](a[l]))
        elif here and mistake == "sigma_prime_of_z":
            delta = dC_da * SLOPE[f](z[l])
        elif here and mistake == "missing_sigma_prime":
            delta = dC_da
        else:
            delta = dC_da * SLOPE[f](a[l])
        if here and mistake in ("sign", "mean_not_sum", "scale"):
            delta = {"sign": -1, "mean_not_sum": 1 / N, "scale": 2}[mistake] * delta
        dW = a[l - 1].T @ delta
        if at == f"dW{l}":
            dW = {"sign": lambda: -dW, "mean_not_sum": lambda: dW / N, "scale": lambda: dW / 2,
                  "transpose": lambda: a[l - 1] @ delta,
                  "this_layer_activation": lambda: a[l].T @ delta,
                  "no_previous_activation": lambda: delta}[mistake]()
        grads[f"delta{l}"], grads[f"dW{l}"] = delta, dW
        if f"b{l}" in params:
            db = delta.sum(axis=0, keepdims=True)
            if at == f"db{l}" and mistake == "bias_wrong_axis":
                db = delta.sum(axis=1, keepdims=True).T  # (1, N): b's shape when N == n_l
            grads[f"db{l}"] = db
        W = params[f"W{l}"]
        dC_da = delta @ (W if mistake == "weights_not_transposed" and at == f"delta{l - 1}" else W.T)
    return grads


def problem(sizes, acts, N, seed=0):
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(sizes, rng, activations=acts)
    for name, p in net.params.items():
        if name.startswith("b"):
            p[...] = 0.5 * rng.standard_normal(p.shape)
    return net, rng.standard_normal((N, sizes[0])), rng.random((N, sizes[-1]))


# (mistake, where it is written) on a 3-4-1 network with N = 4 (hidden width = batch size,
# as the learner's), and on a 3-4-4-4-2 network with N = 4, where W2 and W3 are square
SHALLOW = ([3, 4, 1], ["sigmoid", "sigmoid"], 4)
DEEP = ([3, 4, 4, 4, 2], ["tanh", "sigmoid", "tanh", "sigmoid"], 4)
CASES = [
    (SHALLOW, "sign", "delta2"), (SHALLOW, "sign", "dW1"),
    (SHALLOW, "mean_not_sum", "dW2"), (SHALLOW, "scale", "delta2"), (SHALLOW, "scale", "dW1"),
    (SHALLOW, "transpose", "dW2"), (SHALLOW, "this_layer_activation", "dW2"),
    (SHALLOW, "this_layer_activation", "dW1"), (SHALLOW, "no_previous_activation", "dW2"),
    (SHALLOW, "sigma_prime_of_a", "delta2"), (SHALLOW, "sigma_prime_of_a", "delta1"),
    (SHALLOW, "sigma_prime_of_z", "delta2"), (SHALLOW, "missing_sigma_prime", "delta2"),
    (SHALLOW, "missing_sigma_prime", "delta1"), (SHALLOW, "bias_wrong_axis", "db1"),
    (DEEP, "sign", "delta3"), (DEEP, "mean_not_sum", "delta4"), (DEEP, "scale", "dW2"),
    (DEEP, "transpose", "dW2"), (DEEP, "this_layer_activation", "dW3"),
    (DEEP, "no_previous_activation", "dW3"), (DEEP, "sigma_prime_of_a", "delta3"),
    (DEEP, "sigma_prime_of_z", "delta4"), (DEEP, "missing_sigma_prime", "delta2"),
    (DEEP, "weights_not_transposed", "delta1"), (DEEP, "weights_not_transposed", "delta2"),
    (DEEP, "bias_wrong_axis", "db2"),
]


@pytest.mark.parametrize("net_sizes, mistake, at", CASES,
                         ids=[f"{len(c[0][0]) - 1}layers-{c[1]}-{c[2]}" for c in CASES])
def test_each_mistake_is_named_where_it_sits_and_where_it_is_carried(net_sizes, mistake, at):
    sizes, acts, N = net_sizes
    net, x, y = problem(sizes, acts, N)
    true = net.gradients(x, y)
    mine = backward(net.params, acts, x, y, mistake, at)
    changed = [n for n in mine if mine[n].shape != true[n].shape
               or not np.allclose(mine[n], true[n], rtol=1e-5, atol=1e-10)]
    assert at in changed, f"the planted {mistake} does not change {at}"
    report = diagnose(net, x, y, mine)
    assert not report.ok
    for finding in report.findings:
        if finding.name not in changed:
            assert finding.ok, str(report)
            continue
        assert finding.mistake == mistake and not finding.ambiguous, str(finding)
        assert at in finding.sources, str(finding)
        assert MISTAKES[mistake].page in str(finding)


def learner_arrays():
    """The learner's script, one iteration: their dC_dw2 (-delta2) and dC_dw1 (-delta1)."""
    net = learner_network()
    x, y = learner_data()
    weight1, weight2 = net.params["W1"], net.params["W2"]
    derv_sigmoid = lambda a: a * (1 - a)  # noqa: E731, the learner's
    a0 = x
    a1 = 1 / (1 + np.exp(-(x @ weight1)))
    a2 = 1 / (1 + np.exp(-(a1 @ weight2)))
    dC_dw2 = (y - a2) * derv_sigmoid(a2)
    dC_dw1 = np.multiply(dC_dw2, weight2.T) * derv_sigmoid(a1)
    return net, x, y, {"delta2": dC_dw2, "dW2": a1.T @ dC_dw2,
                       "delta1": dC_dw1, "dW1": a0.T @ dC_dw1}


def test_the_learners_gradients_are_minus_the_gradient_and_adding_them_is_descent():
    net, x, y, arrays = learner_arrays()
    before = {k: v.copy() for k, v in net.params.items()}
    report = diagnose(net, x, y, arrays)
    assert [(f.name, f.mistake) for f in report.findings] == [
        ("delta2", "sign"), ("dW2", "sign"), ("delta1", "sign"), ("dW1", "sign")], str(report)
    assert "adds it" in report["delta2"].message and "gradient descent" in report["delta2"].message
    for name in ("dW2", "delta1", "dW1"):
        assert report[name].sources == ("delta2",), str(report[name])
    # alone, the hidden gradient is named too, with every place the flip can sit
    alone = diagnose(net, x, y, {"dW1": arrays["dW1"]})["dW1"]
    assert alone.mistake == "sign" and alone.sources == ("dW1", "delta1", "delta2"), str(alone)
    for name, W in net.params.items():
        np.testing.assert_array_equal(W, before[name])


def test_the_learners_textbook_update_is_delta_itself_with_the_sign_flipped():
    net, x, y, arrays = learner_arrays()
    # weight2 - lr * dC_dw2 uses dC_dw2 (4, 1) as dW2; dC_dw1 (4, 4) as dW1 has the wrong shape
    report = diagnose(net, x, y, {"dW2": arrays["delta2"], "dW1": arrays["delta1"]})
    assert report["dW2"].mistake == "sign+no_previous_activation", str(report)
    assert report["dW1"].mistake == "sign+no_previous_activation", str(report)
    assert "(4, 4)" in report["dW1"].message and "(3, 4)" in report["dW1"].message


def test_equal_numbers_from_two_mistakes_are_reported_with_a_batch_that_tells_them_apart():
    sizes, acts = [3, 4, 1], ["sigmoid", "sigmoid"]
    net, x, y = problem(sizes, acts, N=2)
    half = net.gradients(x, y)["dW2"] / 2  # dW2 / N or a factor 1/2: the same when N = 2
    finding = diagnose(net, x, y, {"dW2": half})["dW2"]
    assert finding.ambiguous and set(finding.candidates) == {"mean_not_sum", "scale"}, str(finding)
    n = int(re.search(r"On a batch of (\d+) they differ", finding.message)[1])
    assert n != 2 and n not in sizes
    rng = np.random.default_rng(1)
    x_n, y_n = rng.standard_normal((n, 3)), rng.random((n, 1))
    true_n = net.gradients(x_n, y_n)["dW2"]
    for mine, mistake in [(true_n / 2, "scale"), (true_n / n, "mean_not_sum")]:
        there = diagnose(net, x_n, y_n, {"dW2": mine})["dW2"]
        assert there.mistake == mistake and not there.ambiguous, str(there)


def test_wrong_shapes_and_non_finite_numbers_are_findings_not_errors():
    net, x, y = problem([3, 4, 2], ["tanh", "sigmoid"], N=5)
    true = net.gradients(x, y)
    nan = true["delta2"].copy()
    nan[1, 0] = np.nan
    report = diagnose(net, x, y, {
        "db1": true["db1"].ravel(),                 # (4,) for (1, 4): right numbers
        "dW1": np.ones((5, 5)),                     # no shape any mistake gives
        "dW2": true["dW2"].T,                       # (2, 4) for (4, 2)
        "delta2": nan, "delta1": [[np.inf] * 4] * 5,
    })
    got = {f.name: f.mistake for f in report.findings}
    assert got == {"db1": "wrong_shape", "dW1": "wrong_shape", "dW2": "transpose",
                   "delta2": "not_finite", "delta1": "not_finite"}, str(report)
    assert "values are right" in report["db1"].message and "(1, 4)" in report["db1"].message
    assert "(5, 5)" in report["dW1"].message and "(3, 4)" in report["dW1"].message
    assert "delta2[1, 0] is nan" in report["delta2"].message


def test_numbers_no_mistake_gives_are_unknown_with_the_entries_that_differ():
    net, x, y = problem([3, 4, 2], ["tanh", "sigmoid"], N=5)
    dW1 = net.gradients(x, y)["dW1"].copy()
    dW1[2, 1] += 0.5
    finding = diagnose(net, x, y, {"dW1": dW1})["dW1"]
    assert finding.mistake == "unknown", str(finding)
    assert "(1 of 12)" in finding.message and "dW1[2, 1]" in finding.message


def test_a_constant_factor_other_than_the_catalogued_ones_is_a_scale():
    net, x, y = problem([3, 4, 2], ["tanh", "sigmoid"], N=5)
    true = net.gradients(x, y)
    report = diagnose(net, x, y, {"dW1": 3 * true["dW1"], "db2": -0.25 * true["db2"]})
    assert report["dW1"].mistake == "scale" and "3 times" in report["dW1"].message, str(report)
    assert report["db2"].mistake == "sign+scale" and "0.25 times" in report["db2"].message


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5), N=st.integers(1, 7),
       act=st.sampled_from(["sigmoid", "tanh", "relu", "identity", "softmax"]),
       cost=st.sampled_from(["half_squared_error", "binary_cross_entropy",
                             "categorical_cross_entropy"]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_right_gradients_summed_sample_by_sample_are_never_called_wrong(sizes, N, act, cost, seed):
    rng = np.random.default_rng(seed)
    acts = [act] * (len(sizes) - 2) + [act if cost == "half_squared_error" else "sigmoid"]
    net = Network.from_sizes(sizes, rng, activations=acts, cost=cost)
    x = rng.standard_normal((N, sizes[0]))
    y = rng.random((N, sizes[-1]))
    # another order of the sums than Network.gradients': one sample at a time, added up
    per_sample = [net.gradients(x[n:n + 1], y[n:n + 1]) for n in range(N)]
    mine = {name: (np.concatenate if name.startswith("delta") else sum)(
        [g[name] for g in per_sample]) for name in per_sample[0]}
    report = diagnose(net, x, y, mine)
    assert report.ok, str(report)


def test_bad_arguments_are_refused_with_a_message_naming_them():
    net, x, y = problem([3, 4, 1], ["sigmoid", "sigmoid"], N=4)
    with pytest.raises(ValueError, match="'dW3'.*2 layers"):
        diagnose(net, x, y, {"dW3": np.zeros((4, 1))})
    with pytest.raises(ValueError, match="'W1'"):
        diagnose(net, x, y, {"W1": np.zeros((3, 4))})
    with pytest.raises(ValueError, match="empty"):
        diagnose(net, x, y, {})
    with pytest.raises(TypeError, match="grads must be a dict"):
        diagnose(net, x, y, [np.zeros((3, 4))])
    with pytest.raises(TypeError, match="Network"):
        diagnose(net.params, x, y, {"dW1": np.zeros((3, 4))})
    with pytest.raises(TypeError, match="'dW1'.*real numbers"):
        diagnose(net, x, y, {"dW1": np.full((3, 4), "a")})
    with pytest.raises(ValueError, match="x"):
        diagnose(net, x[:, :2], y, {"dW1": np.zeros((3, 4))})
    no_bias = Network.from_sizes([3, 4, 1], np.random.default_rng(0), bias=False)
    with pytest.raises(ValueError, match="no bias b1"):
        diagnose(no_bias, x, y, {"db1": np.zeros((1, 4))})


def test_every_page_the_findings_point_to_exists_with_its_section():
    for mistake in MISTAKES.values():
        if not mistake.page:
            continue
        page, _, anchor = mistake.page.partition("#")
        source = DOCS / (page.rstrip("/") + ".md")
        assert source.is_file(), f"{mistake.id}: no page {source}"
        if anchor:
            assert re.search(r"\{ ?#" + re.escape(anchor) + r" ?\}", source.read_text()), \
                f"{mistake.id}: no section #{anchor} in {source}"


def test_rounding_in_a_sum_that_nearly_cancels_is_not_a_mistake():
    net = Network({"W1": np.array([[0.7]]), "b1": np.array([[0.1]])}, activations="identity")
    x = np.array([[0.3], [-1.2], [2.0]])
    y = net.predict(x) - np.array([[0.1], [0.2], [-0.3]])  # delta1 about (0.1, 0.2, -0.3)
    true = net.gradients(x, y)["db1"]
    mine = net.gradients(x, y)["delta1"][::-1].sum(axis=0, keepdims=True)  # summed the other way
    assert not np.allclose(mine, true, rtol=1e-5, atol=0), "the two orders round alike"
    assert diagnose(net, x, y, {"db1": mine}).ok
    assert diagnose(net, x, y, {"db1": mine}, atol=0)["db1"].mistake == "unknown"


def test_no_floating_point_error_escapes_even_when_numpy_raises_on_them():
    net, x, y, arrays = learner_arrays()
    with np.errstate(all="raise"):
        report = diagnose(net, x, y, {"dW2": np.full((4, 1), 1.5e308), "delta2": arrays["delta2"]})
    assert report["dW2"].mistake == "unknown" and report["delta2"].mistake == "sign", str(report)


def test_deltas_given_without_the_mistake_are_not_where_it_sits():
    net, x, y = problem([3, 4, 4, 2], ["tanh", "sigmoid", "sigmoid"], N=5)
    true = net.gradients(x, y)
    alone = diagnose(net, x, y, {"dW1": -true["dW1"]})["dW1"]
    assert alone.sources == ("dW1", "delta1", "delta2", "delta3"), str(alone)
    with_deltas = diagnose(net, x, y, {"dW1": -true["dW1"], "delta1": 2 * true["delta1"],
                                       "delta3": true["delta3"]})["dW1"]
    assert with_deltas.sources == ("dW1", "delta2"), str(with_deltas)
    assert "It sits in dW1 itself or in delta2" in with_deltas.message


def loop_backward(net, x, y, rule):
    """A backward pass written as a loop, its hidden line ``rule(delta_next, W_next, a, z)``
    repeated at every layer: {"delta{l}", "dW{l}"} in the order it computes them."""
    cache, L = net.forward(x), net.L
    a, z = [cache[f"a{l}"] for l in range(L + 1)], [None] + [cache[f"z{l}"] for l in range(1, L + 1)]
    delta, out = (a[L] - y) * a[L] * (1 - a[L]), {}
    for l in range(L, 0, -1):
        out[f"delta{l}"], out[f"dW{l}"] = delta, a[l - 1].T @ delta
        if l > 1:
            delta = rule(delta, net.params[f"W{l}"], a[l - 1], z[l - 1])
    return out


REPEATED = {
    "weights_not_transposed": lambda d, W, a, z: (d @ W) * a * (1 - a),
    "missing_sigma_prime": lambda d, W, a, z: d @ W.T,
    "sigma_prime_of_z": lambda d, W, a, z: (d @ W.T) * z * (1 - z),
    "sigma_prime_of_a": lambda d, W, a, z: (d @ W.T) * F["sigmoid"](a) * (1 - F["sigmoid"](a)),
    "mean_not_sum": lambda d, W, a, z: (d @ W.T) * a * (1 - a) / 5,
}


@pytest.mark.parametrize("mistake", REPEATED)
def test_a_slip_a_loop_repeats_at_every_layer_is_named_at_every_layer(mistake):
    net, x, y = problem([3, 4, 4, 4], ["sigmoid"] * 3, N=5)  # square W2, W3: every slip runs
    report = diagnose(net, x, y, loop_backward(net, x, y, REPEATED[mistake]))
    got = {f.name: f.mistake for f in report.findings}
    assert got == {"delta3": "correct", "dW3": "correct", **{
        name: mistake for name in ("delta2", "dW2", "delta1", "dW1")}}, str(report)
    assert "more than one layer" in report["delta1"].message, str(report)
    assert report["dW1"].sources == ("delta1",), str(report)  # carried from your own delta1


def test_the_right_line_fed_a_wrong_delta_points_to_that_delta():
    net, x, y = problem([3, 4, 4, 2], ["tanh", "sigmoid", "sigmoid"], N=5)
    mine = net.gradients(x, y)
    mine["delta3"] = mine["delta3"].copy()
    mine["delta3"][0, 0] += 0.5                           # wrong, no mistake gives it
    cache = net.forward(x)
    mine["delta2"] = (mine["delta3"] @ net.params["W3"].T) * cache["a2"] * (1 - cache["a2"])
    mine["dW2"] = cache["a1"].T @ mine["delta2"]
    report = diagnose(net, x, y, {k: mine[k] for k in ("dW2", "delta2", "delta3")})
    assert report["delta3"].mistake == "unknown", str(report)
    for name in ("delta2", "dW2"):
        assert report[name].mistake == "unknown" and report[name].sources == ("delta3",), str(report)
    assert "right line makes from your delta3" in report["delta2"].message, str(report)


def column_problem(sizes=(3, 4, 2), N=5, seed=0):
    """Nielsen's layout: W{l} (n_l, n_{l-1}), b{l} (n_l, 1), one sample per column."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((n, m)) for m, n in zip(sizes, sizes[1:])]
    bs = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    return Ws, bs, rng.standard_normal((sizes[0], N)), rng.random((sizes[-1], N))


def column_backward(Ws, bs, x, y, mistake=None):
    """A backward pass written in the column convention, as in Nielsen's book, C summed over
    the batch: {"delta{l}", "dW{l}", "db{l}"} in that layout, with ``mistake`` in layer 1."""
    a, z = [x], [None]
    for W, b in zip(Ws, bs):
        z.append(W @ a[-1] + b)
        a.append(F["sigmoid"](z[-1]))
    delta2 = (a[2] - y) * a[2] * (1 - a[2])
    slope1 = z[1] * (1 - z[1]) if mistake == "sigma_prime_of_z" else a[1] * (1 - a[1])
    delta1 = (Ws[1].T @ delta2) * slope1
    if mistake == "sign":
        delta1 = -delta1
    dW1 = a[0] @ delta1.T if mistake == "transpose" else delta1 @ a[0].T
    if mistake == "this_layer_activation":
        dW1 = delta1 @ a[1].T
    db1 = delta1.sum(axis=0, keepdims=True) if mistake == "bias_wrong_axis" else \
        delta1.sum(axis=1, keepdims=True)
    return {"delta2": delta2, "dW2": delta2 @ a[1].T, "db2": delta2.sum(axis=1, keepdims=True),
            "delta1": delta1, "dW1": dW1, "db1": db1}


@pytest.mark.parametrize("mistake", [None, "sign", "sigma_prime_of_z", "transpose",
                                     "this_layer_activation", "bias_wrong_axis"])
def test_arrays_in_the_column_convention_are_diagnosed_as_their_row_transposes(mistake):
    from backprop.diagnose import diagnose_arrays

    Ws, bs, x, y = column_problem()
    grads = column_backward(Ws, bs, x, y, mistake)
    report = diagnose_arrays(Ws, x, y, grads, biases=bs, convention="column")
    wrong = {f.name: f.mistake for f in report.findings if not f.ok}
    planted = {None: set(), "sign": {"delta1", "dW1", "db1"},
               "sigma_prime_of_z": {"delta1", "dW1", "db1"}}.get(mistake, {
                   "transpose": {"dW1"}, "this_layer_activation": {"dW1"},
                   "bias_wrong_axis": {"db1"}}.get(mistake))
    assert wrong == {name: mistake for name in planted}, str(report)
    assert str(report).startswith("Column convention: your arrays were transposed")
    # the same report as the row convention's on the transposed arrays
    net = Network({**{f"W{l}": W.T for l, W in enumerate(Ws, 1)},
                   **{f"b{l}": b.T for l, b in enumerate(bs, 1)}})
    row = diagnose(net, x.T, y.T, {name: g.T for name, g in grads.items()})
    assert [(f.name, f.mistake) for f in row.findings] == \
        [(f.name, f.mistake) for f in report.findings]


def test_the_learners_script_given_as_arrays_is_the_learners_network():
    from backprop.diagnose import diagnose_arrays

    net, x, y, arrays = learner_arrays()
    report = diagnose_arrays([net.params["W1"], net.params["W2"]], x, y, arrays)
    assert str(report) == str(diagnose(net, x, y, arrays))
    assert {f.mistake for f in report.findings} == {"sign"}, str(report)


def test_one_dimensional_biases_and_their_gradients_are_read_in_either_convention():
    from backprop.diagnose import diagnose_arrays

    Ws, bs, x, y = column_problem()
    grads = column_backward(Ws, bs, x, y)
    flat = {k: (v.ravel() if k.startswith("db") else v) for k, v in grads.items()}
    assert diagnose_arrays(Ws, x, y, flat, biases=[b.ravel() for b in bs], convention="column").ok
    row = {k: v.T for k, v in flat.items()}
    assert diagnose_arrays([W.T for W in Ws], x.T, y.T, row, biases=[b.ravel() for b in bs]).ok


def test_bad_arrays_are_refused_with_what_is_wrong_and_the_convention_that_fits():
    from backprop.diagnose import diagnose_arrays

    Ws, bs, x, y = column_problem()
    g = column_backward(Ws, bs, x, y)
    cases = [
        (dict(weights=Ws, x=x, y=y, biases=bs), ValueError,
         r"W1 has shape \(4, 3\) and W2 \(2, 4\).*row convention.*convention='column'"),
        (dict(weights=Ws, x=x.T, y=y, biases=bs, convention="column"), ValueError,
         r"x has shape \(5, 3\).*\(3, N\).*x.T fits"),
        (dict(weights=Ws, x=x, y=y[:1], biases=bs, convention="column"), ValueError,
         r"y has shape \(1, 5\).*\(2, N\)"),
        (dict(weights=Ws, x=x, y=y, biases=bs[:1], convention="column"), ValueError,
         r"list of 2 entries.*got 1"),
        (dict(weights=Ws, x=x, y=y, biases=[bs[0].T, bs[1]], convention="column"), ValueError,
         r"b1 has shape \(1, 4\).*\(4, 1\) or \(4,\)"),
        (dict(weights=Ws, x=x, y=y, convention="col"), ValueError, r"'row'.*'column'.*'col'"),
        (dict(weights=Ws[0], x=x, y=y), TypeError, r"weights must be a list"),
        (dict(weights=[Ws[0].ravel()], x=x, y=y), ValueError, r"W1\) has shape \(12,\)"),
    ]
    for kwargs, error, match in cases:
        with pytest.raises(error, match=match):
            diagnose_arrays(grads=g, **kwargs)
    with pytest.raises(TypeError, match="grads must be a dict"):
        diagnose_arrays(Ws, x, y, [g["dW1"]], biases=bs, convention="column")


def test_an_exercise_asks_for_the_line_until_it_is_written():
    from backprop.diagnose import exercise_report

    net, x, y = problem([3, 4, 2], ["sigmoid", "sigmoid"], N=5)
    true = net.gradients(x, y)
    waiting = exercise_report(net, x, y, {"dW2": true["dW2"], "delta1": ...})
    assert isinstance(waiting, str) and "delta1" in waiting and "dW2" not in waiting, waiting
    assert exercise_report(net, x, y, {"delta1": true["delta1"]}).ok
