"""Backward pass against finite differences, on random networks (property-based)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop import Network, numerical_gradient

RTOL = 1e-6   # central differences in float64 with eps=1e-6 agree to about 1e-9
ATOL = 1e-9   # for entries whose gradient is (nearly) zero


@st.composite
def problems(draw):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(depth + 1)]
    N = draw(st.integers(1, 6))
    bias = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, N, bias, seed


@settings(max_examples=40, deadline=None)
@given(problems())
def test_every_gradient_matches_finite_differences(problem):
    sizes, N, bias, seed = problem
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(sizes, rng, bias=bias)
    if bias:  # non-zero biases, so db is tested away from the starting point
        for l in range(1, net.L + 1):
            net.params[f"b{l}"] += rng.normal(size=net.params[f"b{l}"].shape)
    x = rng.normal(size=(N, sizes[0]))
    y = rng.random(size=(N, sizes[-1]))

    grads = net.gradients(x, y)
    numeric = numerical_gradient(lambda: net.cost_value(x, y), net.params)

    assert set(numeric) == {"d" + name for name in net.params}
    for name, expected in numeric.items():
        assert grads[name].shape == expected.shape, f"{name}: {grads[name].shape} != {expected.shape}"
        np.testing.assert_allclose(grads[name], expected, rtol=RTOL, atol=ATOL, err_msg=name)


def test_weight_gradient_is_the_sum_of_per_sample_outer_products():
    rng = np.random.default_rng(1)
    net = Network.from_sizes([3, 5, 2], rng)
    x = rng.normal(size=(7, 3))
    y = rng.random(size=(7, 2))
    cache = net.forward(x)
    grads = net.backward(cache, y)
    for l in (1, 2):
        a_prev, delta = cache[f"a{l - 1}"], grads[f"delta{l}"]
        per_sample = sum(np.outer(a_prev[n], delta[n]) for n in range(x.shape[0]))
        np.testing.assert_allclose(grads[f"dW{l}"], per_sample, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads[f"db{l}"], delta.sum(axis=0, keepdims=True), rtol=1e-12)


def test_delta_is_the_gradient_with_respect_to_z():
    rng = np.random.default_rng(2)
    net = Network.from_sizes([2, 3, 3, 2], rng)
    x = rng.normal(size=(4, 2))
    y = rng.random(size=(4, 2))
    cache = net.forward(x)
    grads = net.backward(cache, y)
    # Perturb z of the last layer directly: C depends on z3 only through a3 = sigmoid(z3).
    z3 = cache["z3"].copy()
    numeric = numerical_gradient(
        lambda: net.cost(net.activations[2].forward(z3), y), {"z3": z3})["dz3"]
    np.testing.assert_allclose(grads["delta3"], numeric, rtol=RTOL, atol=ATOL)


def test_gradients_are_sums_over_the_batch_not_means():
    rng = np.random.default_rng(3)
    net = Network.from_sizes([2, 3, 1], rng)
    x = rng.normal(size=(5, 2))
    y = rng.random(size=(5, 1))
    whole = net.gradients(x, y)
    parts = [net.gradients(x[n:n + 1], y[n:n + 1]) for n in range(5)]
    for name in ("dW1", "db1", "dW2", "db2"):
        np.testing.assert_allclose(whole[name], sum(p[name] for p in parts), rtol=1e-12, err_msg=name)


def test_cost_is_half_the_sum_of_squared_errors():
    rng = np.random.default_rng(4)
    net = Network.from_sizes([3, 4, 2], rng)
    x = rng.normal(size=(6, 3))
    y = rng.random(size=(6, 2))
    aL = net.predict(x)
    expected = 0.5 * sum((aL[n, k] - y[n, k]) ** 2 for n in range(6) for k in range(2))
    np.testing.assert_allclose(net.cost_value(x, y), expected, rtol=1e-12)


def test_step_is_gradient_descent():
    rng = np.random.default_rng(5)
    net = Network.from_sizes([3, 4, 2], rng)
    x = rng.normal(size=(6, 3))
    y = rng.random(size=(6, 2))
    before = {name: p.copy() for name, p in net.params.items()}
    grads = net.gradients(x, y)
    cost_before = net.cost_value(x, y)
    returned = net.step(x, y, lr=0.3)
    np.testing.assert_allclose(returned, cost_before, rtol=1e-12)
    for name in before:
        np.testing.assert_allclose(net.params[name], before[name] - 0.3 * grads["d" + name],
                                   rtol=1e-12, atol=1e-15, err_msg=name)
