"""Every floating dtype the package accepts stays that dtype, through every array of a step.

Nothing in a step may quietly promote float32 to float64, or replace the arrays the caller
handed in instead of updating them.
"""

import numpy as np
import pytest

from backprop import Network, Sigmoid, dense_backward, dense_forward, sigmoid

FLOATS = [np.float16, np.float32, np.float64, np.longdouble]


def problem(dtype, seed=0, bias=True):
    rng = np.random.default_rng(seed)
    net = Network.from_sizes([3, 5, 4, 2], rng, bias=bias, dtype=dtype)
    x = rng.standard_normal((6, 3))  # float64: the network converts it
    y = rng.random((6, 2))
    return net, x, y


@pytest.mark.parametrize("dtype", FLOATS)
def test_a_step_keeps_the_dtype_everywhere(dtype):
    net, x, y = problem(dtype)
    cache = net.forward(x)
    grads = net.backward(cache, y)
    for name, value in {**cache, **grads}.items():
        assert value.dtype == dtype, f"{name} is {value.dtype}, the network is {np.dtype(dtype)}"
    params = dict(net.params)
    cost = net.step(x, y, 0.1)
    assert isinstance(cost, float), f"step returned {type(cost).__name__}, not a float"
    for name, value in net.params.items():
        assert value is params[name], f"step replaced {name} instead of updating it in place"
        assert value.dtype == dtype, f"{name} became {value.dtype} after a step"


@pytest.mark.parametrize("dtype", FLOATS)
def test_training_keeps_the_dtype(dtype):
    net, x, y = problem(dtype, bias=False)
    history = net.train(x, y, 0.1, 3)
    assert history.shape == (3,), f"history has shape {history.shape}"
    for name, value in net.params.items():
        assert value.dtype == dtype, f"{name} became {value.dtype} after training"


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_and_its_backward_keep_the_dtype(dtype):
    big = np.finfo(dtype).max  # the limits are reached at different z in each dtype
    z = np.array([[-big, -3.0, 0.0, 2.5, big]], dtype=dtype)
    a = sigmoid(z)
    assert a.dtype == dtype, f"sigmoid gave {a.dtype} for {np.dtype(dtype)}"
    assert a[0, 0] == 0 and a[0, -1] == 1 and a[0, 2] == 0.5, f"limits and midpoint: {a}"
    delta = Sigmoid().backward(a, np.ones_like(a))
    assert delta.dtype == dtype, f"Sigmoid.backward gave {delta.dtype}"
    np.testing.assert_allclose(delta.astype(np.float64), (a * (1 - a)).astype(np.float64),
                               rtol=float(np.finfo(dtype).eps) * 4, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_agrees_with_the_two_branch_stable_form(dtype):
    z = np.linspace(-80, 80, 3201).astype(dtype)  # every result a normal number in float32 too
    e = np.exp(-np.abs(z))
    stable = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    np.testing.assert_allclose(sigmoid(z), stable, rtol=4 * float(np.finfo(dtype).eps), atol=0)


def test_sigmoid_does_not_modify_its_input_and_handles_0d():
    z = np.array([[-2.0, 0.0, 2.0]])
    before = z.copy()
    sigmoid(z)
    np.testing.assert_array_equal(z, before)
    np.testing.assert_allclose(sigmoid(0.0), 0.5, rtol=0, atol=0)


def test_integer_inputs_become_the_network_dtype():
    net, _, _ = problem(np.float32)
    x = np.array([[0, 1, 1], [1, 0, 1]])
    y = np.array([[0, 1], [1, 0]])
    cache = net.forward(x)
    assert cache["a0"].dtype == np.float32, f"a0 is {cache['a0'].dtype}"
    assert net.backward(cache, y)["dW1"].dtype == np.float32


def test_train_equals_repeated_steps():
    net1, x, y = problem(np.float64)
    net2, _, _ = problem(np.float64)
    history = net1.train(x, y, 0.5, 4)
    costs = [net2.step(x, y, 0.5) for _ in range(4)]
    np.testing.assert_array_equal(history, costs)
    for name in net1.params:
        np.testing.assert_array_equal(net1.params[name], net2.params[name], err_msg=name)


def test_dense_backward_without_propagation_or_bias_gives_the_same_gradients():
    rng = np.random.default_rng(3)
    a_prev, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    _, a = dense_forward(a_prev, W, b, Sigmoid())
    dC_da = rng.standard_normal((5, 4))
    full = dense_backward(dC_da, a_prev, a, W, Sigmoid())
    lean = dense_backward(dC_da, a_prev, a, W, Sigmoid(), bias=False, propagate=False)
    for name, f, l in zip(["delta", "dW"], full[:2], lean[:2]):
        np.testing.assert_array_equal(l, f, err_msg=name)
    assert lean[2] is None and lean[3] is None, "db and dC_da_prev should be skipped"
    np.testing.assert_allclose(full[3], full[0] @ W.T, rtol=1e-15, atol=0)
