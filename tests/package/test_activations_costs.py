"""Tanh, ReLU, Identity, Softmax, binary and categorical cross-entropy: values, derivatives,
and gradients of whole networks that mix them, against finite differences."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop import (BinaryCrossEntropy, CategoricalCrossEntropy, Identity, Network, ReLU, Sigmoid,
                      Softmax, Tanh, get_activation, get_cost, numerical_gradient)
from backprop.activations import ACTIVATIONS
from backprop.costs import COSTS

RTOL = 1e-6   # central differences in float64 with eps=1e-6 agree to about 1e-9
ATOL = 1e-9   # for entries whose gradient is (nearly) zero
HIDDEN = ["sigmoid", "tanh", "relu", "identity", "softmax"]
# Output activation and cost pairs that make sense: cross-entropies need outputs in (0, 1).
OUTPUTS = [(f, "half_squared_error") for f in HIDDEN] + [
    ("sigmoid", "binary_cross_entropy"),          # fused delta^L = a - y
    ("softmax", "binary_cross_entropy"),          # generic path: dC/da then the softmax Jacobian
    ("softmax", "categorical_cross_entropy"),     # fused delta^L = a * rowsum(y) - y
    ("sigmoid", "categorical_cross_entropy"),     # generic path
]


def targets(rng, N, n, cost):
    """Targets (N, n) suited to the cost."""
    if cost == "half_squared_error":
        return rng.normal(size=(N, n))
    if cost == "binary_cross_entropy":
        return rng.random(size=(N, n))
    return np.eye(n)[rng.integers(0, n, N)]   # one-hot rows


@st.composite
def mixed_networks(draw):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(depth)] + [draw(st.integers(2, 4))]
    hidden = [draw(st.sampled_from(HIDDEN)) for _ in range(depth - 1)]
    output, cost = draw(st.sampled_from(OUTPUTS))
    N = draw(st.integers(1, 6))
    bias = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return sizes, hidden + [output], cost, N, bias, seed


@settings(max_examples=80, deadline=None)
@given(mixed_networks())
def test_mixed_networks_match_finite_differences(problem):
    sizes, activations, cost, N, bias, seed = problem
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(sizes, rng, bias=bias, activations=activations, cost=cost)
    if bias:
        for l in range(1, net.L + 1):
            net.params[f"b{l}"] += rng.normal(size=net.params[f"b{l}"].shape)
    x = rng.normal(size=(N, sizes[0]))
    y = targets(rng, N, sizes[-1], cost)
    cache = net.forward(x)
    # ReLU has a kink at z = 0; finite differences straddling it are meaningless.
    for l, name in enumerate(activations, start=1):
        if name == "relu":
            assume(np.min(np.abs(cache[f"z{l}"])) > 1e-4)
    # The fused delta^L (a - y) is the derivative of the cross-entropy without the epsilon
    # inside its logarithm; the two differ by about epsilon / a, more than RTOL once an output is
    # within 1e-5 of 0 or 1 (hypothesis found a = 1.7e-7).
    if cost.endswith("cross_entropy"):
        a = cache[f"a{net.L}"]
        assume(np.min(np.minimum(a, 1 - a)) > 1e-5)

    grads = net.backward(cache, y)
    numeric = numerical_gradient(lambda: net.cost_value(x, y), net.params)
    # Rounding the cost C leaves about 1e-16 * C / eps = 1e-10 * C of noise in each difference.
    atol = ATOL * max(1.0, net.cost_value(x, y))
    for name, expected in numeric.items():
        np.testing.assert_allclose(grads[name], expected, rtol=RTOL, atol=atol,
                                   err_msg=f"{name} with {activations}, {cost}")


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(HIDDEN), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_backward_is_the_jacobian_product(name, N, n, seed):
    """backward(a, g) equals g times the Jacobian of forward, built column by column by differences."""
    rng = np.random.default_rng(seed)
    f = get_activation(name)
    z = rng.normal(size=(N, n)) * 2
    if name == "relu":
        assume(np.min(np.abs(z)) > 1e-4)
    g = rng.normal(size=(N, n))
    numeric = numerical_gradient(lambda: float(np.sum(g * f.forward(z))), {"z": z})["dz"]
    np.testing.assert_allclose(f.backward(f.forward(z), g), numeric, rtol=RTOL, atol=ATOL)


def test_forward_values():
    z = np.array([[-2.0, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(Tanh().forward(z), np.tanh(z), rtol=0, atol=0)
    np.testing.assert_allclose(ReLU().forward(z), [[0.0, 0.0, 0.5, 3.0]], rtol=0, atol=0)
    assert Identity().forward(z) is z, "Identity returns its input unchanged"
    e = np.exp(z)
    np.testing.assert_allclose(Softmax().forward(z), e / e.sum(), rtol=1e-15)


def test_derivatives_from_the_output():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4))
    ones = np.ones_like(z)
    np.testing.assert_allclose(Tanh().backward(np.tanh(z), ones), 1 / np.cosh(z) ** 2, rtol=1e-13)
    np.testing.assert_allclose(ReLU().backward(np.maximum(z, 0), ones), (z > 0) * 1.0, rtol=0, atol=0)
    relu_at_zero = ReLU().backward(np.zeros((1, 1)), np.ones((1, 1)))
    np.testing.assert_allclose(relu_at_zero, [[0.0]], rtol=0, atol=0,
                               err_msg="ReLU'(0) is taken as 0")


def test_softmax_backward_equals_explicit_jacobian():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(1, 5))
    g = rng.normal(size=(1, 5))
    a = Softmax().forward(z)
    jacobian = np.diag(a[0]) - np.outer(a[0], a[0])   # da_j/dz_k, symmetric
    np.testing.assert_allclose(Softmax().backward(a, g), g @ jacobian, rtol=1e-12, atol=1e-15)


def test_softmax_is_stable_for_large_inputs():
    z = np.array([[1000.0, 1000.0, -1000.0], [-800.0, 0.0, 800.0]])
    a = Softmax().forward(z)   # warnings are errors: an overflow would fail here
    np.testing.assert_allclose(a, [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], rtol=0, atol=1e-300)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-15)


def test_cost_values_and_gradients():
    rng = np.random.default_rng(3)
    a = rng.uniform(0.05, 0.95, size=(4, 3))
    y = rng.random(size=(4, 3))
    bce = BinaryCrossEntropy()
    np.testing.assert_allclose(bce(a, y), -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)), rtol=1e-10)
    numeric = numerical_gradient(lambda: bce(a, y), {"a": a})["da"]
    np.testing.assert_allclose(bce.gradient(a, y), numeric, rtol=RTOL, atol=ATOL)

    p = a / a.sum(axis=1, keepdims=True)
    onehot = np.eye(3)[[0, 2, 1, 2]]
    cce = CategoricalCrossEntropy()
    np.testing.assert_allclose(cce(p, onehot), -np.sum(np.log(p[onehot == 1])), rtol=1e-10)
    numeric = numerical_gradient(lambda: cce(p, onehot), {"p": p})["dp"]
    np.testing.assert_allclose(cce.gradient(p, onehot), numeric, rtol=RTOL, atol=ATOL)


def test_fused_delta_only_for_the_matching_activation():
    a = np.array([[0.2, 0.7]])
    y = np.array([[0.0, 1.0]])
    np.testing.assert_allclose(BinaryCrossEntropy().output_delta(a, y, Sigmoid()), a - y, rtol=0, atol=0)
    assert BinaryCrossEntropy().output_delta(a, y, Tanh()) is None, "no fused form for tanh"
    p = np.array([[0.3, 0.7]])
    np.testing.assert_allclose(CategoricalCrossEntropy().output_delta(p, y, Softmax()), p - y, rtol=0,
                               atol=1e-16)
    assert CategoricalCrossEntropy().output_delta(p, y, Sigmoid()) is None, "no fused form for sigmoid"


def test_fused_delta_survives_saturation():
    """A sigmoid output saturated at the wrong end: a - y is exact, the product dC/da * sigma' is not."""
    net = Network({"W1": np.array([[-40.0]])}, activations="sigmoid", cost="binary_cross_entropy")
    x, y = np.array([[1.0]]), np.array([[1.0]])
    cache = net.forward(x)
    a = cache["a1"]
    delta = net.backward(cache, y)["delta1"]
    np.testing.assert_allclose(delta, a - y, rtol=0, atol=0)
    np.testing.assert_allclose(delta, [[-1.0]], rtol=1e-15)
    # the unfused product of the two factors loses the answer entirely
    unfused = Sigmoid().backward(a, net.cost.gradient(a, y))
    assert abs(unfused[0, 0] - (-1.0)) > 0.99, f"expected the unfused delta to be far from -1, got {unfused}"
    assert np.isfinite(net.cost_value(x, y)), "the cost of a saturated output stays finite"


def test_softmax_fused_delta_handles_rows_not_summing_to_one():
    rng = np.random.default_rng(4)
    net = Network.from_sizes([3, 4], rng, activations="softmax", cost="categorical_cross_entropy")
    x = rng.normal(size=(5, 3))
    y = rng.random(size=(5, 4))   # rows sum to anything: the fused form a * rowsum(y) - y still holds
    numeric = numerical_gradient(lambda: net.cost_value(x, y), net.params)
    grads = net.gradients(x, y)
    for name, expected in numeric.items():
        np.testing.assert_allclose(grads[name], expected, rtol=RTOL, atol=ATOL, err_msg=name)


def test_registries_and_names():
    for name, cls in ACTIVATIONS.items():
        assert isinstance(get_activation(name), cls), name
        assert cls.name == name, f"{cls.__name__}.name is {cls.name!r}, registered as {name!r}"
    for name, cls in COSTS.items():
        assert isinstance(get_cost(name), cls), name
        assert cls.name == name, f"{cls.__name__}.name is {cls.name!r}, registered as {name!r}"
    with pytest.raises(ValueError, match="known: .*relu.*softmax"):
        get_activation("leaky")
    with pytest.raises(ValueError, match="binary_cross_entropy"):
        get_cost("hinge")


@pytest.mark.parametrize("name", HIDDEN)
def test_float32_stays_float32(name):
    rng = np.random.default_rng(5)
    net = Network.from_sizes([3, 4, 2], rng, activations=[name, "sigmoid"],
                             cost="binary_cross_entropy", dtype=np.float32)
    x = rng.normal(size=(6, 3))
    y = rng.random(size=(6, 2))
    grads = net.gradients(x, y)
    for key in ("delta1", "dW1", "db1", "delta2", "dW2", "db2"):
        assert grads[key].dtype == np.float32, f"{key} is {grads[key].dtype}"


def test_mixed_network_learns_xor_with_cross_entropy():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    net = Network.from_sizes([2, 6, 1], np.random.default_rng(0), activations=["tanh", "sigmoid"],
                             cost="binary_cross_entropy")
    history = net.train(x, y, lr=0.5, iterations=500)
    assert history[-1] < 0.05 * history[0], f"cost went from {history[0]:.3f} to {history[-1]:.3f}"
    np.testing.assert_allclose(net.predict(x), y, atol=0.1)
