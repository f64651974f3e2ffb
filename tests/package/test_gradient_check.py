"""check_gradients: the checker readers point at their own NumPy code."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop import (
    GradientCheckResult, Network, check_gradients, learner_data, learner_weights, numerical_gradient,
)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def learner_problem():
    """The learner's data and weights as float64, with a cost and correct gradients written by hand."""
    x, y = learner_data()
    x, y = x.astype(np.float64), y.astype(np.float64)
    params = learner_weights()

    def cost():
        a1 = sigmoid(x @ params["W1"])
        a2 = sigmoid(a1 @ params["W2"])
        return 0.5 * np.sum((a2 - y) ** 2)

    def grads():
        a1 = sigmoid(x @ params["W1"])
        a2 = sigmoid(a1 @ params["W2"])
        delta2 = (a2 - y) * a2 * (1 - a2)
        delta1 = (delta2 @ params["W2"].T) * a1 * (1 - a1)
        return {"W1": x.T @ delta1, "W2": a1.T @ delta2}

    return params, cost, grads


def test_correct_gradients_pass_and_params_are_restored():
    params, cost, grads = learner_problem()
    before = {k: v.copy() for k, v in params.items()}
    result = check_gradients(cost, params, grads())
    assert isinstance(result, GradientCheckResult)
    assert result.ok and bool(result), str(result)
    assert result.failed == []
    for name in params:
        np.testing.assert_array_equal(params[name], before[name], err_msg=f"{name} was not restored")
        assert result[name].max_rel_error < 1e-6, str(result)
        assert result[name].bad_entries == []


def test_accepts_lists_callables_and_network_gradients():
    params, cost, grads = learner_problem()
    assert check_gradients(cost, params, grads).ok, "grads as a function of no arguments"
    assert check_gradients(lambda p: cost(), params, lambda p: grads()).ok, "functions of params"
    as_list = [params["W1"], params["W2"]]
    result = check_gradients(cost, as_list, [grads()["W1"], grads()["W2"]])
    assert result.ok and [r.name for r in result.rows] == ["params[0]", "params[1]"], str(result)

    rng = np.random.default_rng(0)
    net = Network.from_sizes([3, 4, 2], rng, activations=["tanh", "sigmoid"], cost="binary_cross_entropy")
    x, y = rng.normal(size=(5, 3)), rng.random(size=(5, 2))
    # Network.gradients names them dW1, db1 and also returns delta1: the checker takes it as it is.
    result = check_gradients(lambda: net.cost_value(x, y), net.params, net.gradients(x, y))
    assert result.ok, str(result)
    assert [r.name for r in result.rows] == ["W1", "b1", "W2", "b2"]


def test_a_wrong_gradient_is_flagged_entry_by_entry():
    params, cost, grads = learner_problem()
    wrong = grads()
    wrong["W2"] = -wrong["W2"]            # flipped sign in one layer
    wrong["W1"][1, 2] *= 1.01             # a 1 % error in one entry
    result = check_gradients(cost, params, wrong)
    assert not result.ok
    assert result.failed == ["W1", "W2"], str(result)
    assert result["W1"].bad_entries == [(1, 2)], str(result)
    assert result["W2"].bad_entries == [(0, 0), (1, 0), (2, 0), (3, 0)], str(result)
    # |-g - g| / max(|-g|, |g|) = 2 for a flipped sign
    np.testing.assert_allclose(result["W2"].max_rel_error, 2.0, rtol=1e-6)
    text = str(result)
    for expected in ("parameter", "max abs error", "max rel error", "W1[1, 2]", "NO", "MISMATCH in W1, W2"):
        assert expected in text, f"{expected!r} missing from:\n{text}"


def test_table_for_a_passing_check():
    params, cost, grads = learner_problem()
    text = str(check_gradients(cost, params, grads))
    lines = text.splitlines()
    assert lines[0].split() == ["parameter", "shape", "max", "abs", "error", "max", "rel", "error",
                                "disagree", "ok"], text
    assert lines[1].startswith("W1") and lines[1].endswith("yes"), text
    assert "0/12" in lines[1] and "0/4" in lines[2], text
    assert lines[-1].startswith("all gradients agree"), text


def test_cost_that_reads_copies_gets_a_note():
    params, _, grads = learner_problem()
    frozen = {k: v.copy() for k, v in params.items()}
    x, y = learner_data()

    def cost():   # reads copies: nudging params changes nothing
        return 0.5 * np.sum((sigmoid(sigmoid(x @ frozen["W1"]) @ frozen["W2"]) - y) ** 2)

    result = check_gradients(cost, params, grads)
    assert not result.ok
    assert "did not change" in str(result), str(result)


@pytest.mark.parametrize("dtype, match", [(np.int64, "integer entries cannot be nudged"),
                                          (np.float32, "float64's digits")])
def test_wrong_dtype_is_named(dtype, match):
    params = {"W1": np.ones((2, 2), dtype=dtype)}
    with pytest.raises(TypeError, match=rf"W1 has dtype {np.dtype(dtype)}.*{match}"):
        check_gradients(lambda: float(np.sum(params["W1"])), params, {"W1": np.ones((2, 2))})


def test_bad_parameters():
    with pytest.raises(TypeError, match="W1 must be a NumPy array"):
        check_gradients(lambda: 0.0, {"W1": [[1.0, 2.0]]}, {"W1": [[1.0, 1.0]]})
    with pytest.raises(TypeError, match="dict .* or a list"):
        check_gradients(lambda: 0.0, np.ones(3), [np.ones(3)])
    with pytest.raises(ValueError, match=r"W1 is not finite: W1\[0, 1\] is nan"):
        check_gradients(lambda: 0.0, {"W1": np.array([[1.0, np.nan]])}, {"W1": np.ones((1, 2))})
    frozen = np.ones(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        check_gradients(lambda: 0.0, {"v": frozen}, {"v": np.ones(2)})
    W = np.ones((2, 3))
    for tied in ({"W1": W, "W2": W}, {"W1": W, "W2": W[:, :2]}, [W, W.T]):
        # Nudging one nudges the other: the check would see the derivative of both at once.
        with pytest.raises(ValueError, match="shares memory with"):
            check_gradients(lambda: float(W.sum()), tied, tied)
        with pytest.raises(ValueError, match="shares memory with"):
            numerical_gradient(lambda: float(W.sum()), tied)


def test_bad_costs():
    W = np.ones((3, 1))
    x = np.ones((4, 3))
    with pytest.raises(ValueError, match=r"one number, got an array of shape \(4, 1\).*np.sum"):
        check_gradients(lambda: 0.5 * (x @ W) ** 2, {"W": W}, {"W": np.ones((3, 1))})
    with pytest.raises(TypeError, match="must return a number, got str"):
        check_gradients(lambda: "0.5", {"W": W}, {"W": np.ones((3, 1))})
    with pytest.raises(ValueError, match="the cost is nan at your parameters"):
        check_gradients(lambda: np.nan, {"W": W}, {"W": np.ones((3, 1))})
    # finite at W, not finite once W[2, 0] is nudged up
    with pytest.raises(ValueError, match=r"inf with W\[2, 0\] nudged"):
        check_gradients(lambda: np.inf if W[2, 0] > 1 else float(W.sum()), {"W": W}, {"W": np.ones((3, 1))})
    np.testing.assert_array_equal(W, np.ones((3, 1)), err_msg="W restored after the cost failed")
    with pytest.raises(TypeError, match="takes 2 arguments"):
        check_gradients(lambda a, b: 0.0, {"W": W}, {"W": np.ones((3, 1))})
    # a (1, 1) array, as y.T @ y gives, is one number and is accepted
    result = check_gradients(lambda: 0.5 * W.T @ W, {"W": W}, {"W": W.copy()})
    assert result.ok, str(result)


def test_bad_gradients():
    W, b = np.ones((3, 2)), np.zeros((1, 2))
    params = {"W": W, "b": b}

    def cost():
        return float(np.sum(W) + np.sum(b))

    with pytest.raises(ValueError, match=r"gradient for W has shape \(2, 3\) but W has shape \(3, 2\)"):
        check_gradients(cost, params, {"W": np.ones((2, 3)), "b": np.ones((1, 2))})
    with pytest.raises(ValueError, match=r"no gradient given for \['b'\]"):
        check_gradients(cost, params, {"dW": np.ones((3, 2))})
    with pytest.raises(ValueError, match=r"unknown parameters \['dV'\]"):
        check_gradients(cost, params, {"W": np.ones((3, 2)), "b": np.ones((1, 2)), "dV": 1.0})
    with pytest.raises(ValueError, match="two gradients given for W"):
        check_gradients(cost, params, {"W": np.ones((3, 2)), "dW": np.ones((3, 2)), "b": np.ones((1, 2))})
    with pytest.raises(ValueError, match="1 gradients given for 2 parameters"):
        check_gradients(cost, [W, b], [np.ones((3, 2))])
    with pytest.raises(ValueError, match=r"gradient for b is not finite: at \[0, 1\] it is inf"):
        check_gradients(cost, params, {"W": np.ones((3, 2)), "b": np.array([[1.0, np.inf]])})


@st.composite
def networks_and_a_wrong_entry(draw):
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(2, 4)))]
    activations = [draw(st.sampled_from(["sigmoid", "tanh", "identity"])) for _ in sizes[1:]]
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, activations, seed


@settings(max_examples=30, deadline=None)
@given(networks_and_a_wrong_entry())
def test_passes_correct_and_flags_exactly_the_changed_entry(problem):
    sizes, activations, seed = problem
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(sizes, rng, activations=activations)
    for l in range(1, net.L + 1):
        net.params[f"b{l}"] += rng.normal(size=net.params[f"b{l}"].shape)
    x, y = rng.normal(size=(3, sizes[0])), rng.normal(size=(3, sizes[-1]))
    grads = net.gradients(x, y)
    result = check_gradients(lambda: net.cost_value(x, y), net.params, grads)
    assert result.ok, str(result)

    name = rng.choice(list(net.params))
    index = tuple(int(rng.integers(0, n)) for n in net.params[name].shape)
    grads["d" + name][index] += 1e-3 * (1 + abs(grads["d" + name][index]))
    result = check_gradients(lambda: net.cost_value(x, y), net.params, grads)
    assert result.failed == [name], str(result)
    assert result[name].bad_entries == [index], str(result)


@pytest.mark.parametrize("key", [0, ("W1",), None])
def test_a_gradient_key_that_is_not_a_str_is_named(key):
    params, cost, grads = learner_problem()
    with pytest.raises(TypeError, match=r"grads must have str keys such as 'W1' or 'dW1', got " + repr(key).replace("(", r"\(").replace(")", r"\)")):
        check_gradients(cost, params, {key: grads()["W1"], "W2": grads()["W2"]})
