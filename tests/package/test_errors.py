"""Bad input gets an error that names the array, the layer and the shapes."""

import re

import numpy as np
import pytest

from backprop import Network, learner_data, learner_network
from backprop.validation import as_matrix, check_layer_sizes


@pytest.fixture
def net():
    return Network.from_sizes([3, 4, 2], np.random.default_rng(0))


def raises(exc, *fragments):
    """pytest.raises whose message must contain every fragment (in order)."""
    return pytest.raises(exc, match=".*".join(re.escape(f) for f in fragments))


def test_x_of_the_wrong_width(net):
    with raises(ValueError, "x has shape (5, 4)", "W1 has shape (3, 4)", "3 columns"):
        net.forward(np.zeros((5, 4)))


def test_y_with_a_different_number_of_rows(net):
    with raises(ValueError, "y has 3 rows but x has 5"):
        net.gradients(np.zeros((5, 3)), np.zeros((3, 2)))


def test_y_of_the_wrong_width(net):
    with raises(ValueError, "y has shape (5, 1)", "W2 has 2 units", "(5, 2)"):
        net.gradients(np.zeros((5, 3)), np.zeros((5, 1)))


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((1, 2, 3)), np.float64(1.0)])
def test_arrays_that_are_not_2d(net, bad):
    with raises(ValueError, "x must be 2-D", f"got shape {np.shape(bad)}"):
        net.forward(bad)


def test_a_1d_vector_gets_a_reshape_hint(net):
    with raises(ValueError, "x.reshape(1, -1)"):
        net.forward(np.zeros(3))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_values(net, value):
    x = np.zeros((2, 3))
    x[1, 2] = value
    with raises(ValueError, "x must be finite", "x[1, 2]"):
        net.forward(x)


@pytest.mark.parametrize("bad", [np.array([["a", "b", "c"]]), np.array([[1j, 0, 0]]),
                                 np.array([[None, 1, 2]], dtype=object)])
def test_non_numeric_dtypes(net, bad):
    with raises(TypeError, "x must hold real numbers", "dtype"):
        net.forward(bad)


def test_non_numeric_targets(net):
    with raises(TypeError, "y must hold real numbers"):
        net.gradients(np.zeros((1, 3)), np.array([["a", "b"]]))


@pytest.mark.parametrize("sizes, message", [
    ([3, 0, 1], "n1 must be a positive integer, got 0"),
    ([3, -2, 1], "n1 must be a positive integer, got -2"),
    ([3], "at least an input and an output width"),
])
def test_non_positive_layer_sizes(sizes, message):
    with raises(ValueError, message):
        Network.from_sizes(sizes, np.random.default_rng(0))


def test_a_layer_size_that_is_not_an_integer():
    with raises(TypeError, "n1 must be a positive integer, got float 2.5"):
        Network.from_sizes([3, 2.5, 1], np.random.default_rng(0))


def test_rng_must_be_a_generator():
    with raises(TypeError, "np.random.default_rng"):
        Network.from_sizes([2, 1], rng=0)


def test_weight_shapes_must_chain():
    with raises(ValueError, "layer 2", "W2 has shape (5, 1)", "W1 has shape (3, 4)", "4 rows"):
        Network({"W1": np.zeros((3, 4)), "W2": np.zeros((5, 1))})


def test_bias_shape_is_checked():
    with raises(ValueError, "layer 1", "b1 has shape (4,)"):
        Network({"W1": np.zeros((3, 4)), "b1": np.zeros(4)})


def test_bias_of_the_wrong_width():
    with raises(ValueError, "b1 has shape (1, 3)", "(1, 4)"):
        Network({"W1": np.zeros((3, 4)), "b1": np.zeros((1, 3))})


def test_unknown_parameter_names():
    with raises(ValueError, "unexpected parameter names ['W3']"):
        Network({"W1": np.zeros((3, 4)), "W3": np.zeros((4, 1))})


def test_missing_first_layer():
    with raises(ValueError, "no 'W1'"):
        Network({"W2": np.zeros((3, 4))})


def test_params_must_be_a_dict():
    with raises(TypeError, "params must be a dict"):
        Network([np.zeros((3, 4))])


def test_activation_count_must_match_layers():
    with raises(ValueError, "activations has 1 entries but the network has 2 layers"):
        Network.from_sizes([3, 4, 2], np.random.default_rng(0), activations=["sigmoid"])


def test_unknown_activation_name():
    with raises(ValueError, "unknown activation 'sigmod'", "sigmoid"):
        Network.from_sizes([3, 1], np.random.default_rng(0), activations="sigmod")


def test_integer_inputs_work():
    x, y = learner_data()
    assert x.dtype.kind == "i" and y.dtype.kind == "i"
    grads = learner_network().gradients(x, y)
    assert grads["dW1"].dtype == np.float64


class _Identity:
    """A linear activation: lets gradient descent diverge, which a sigmoid cannot."""

    def forward(self, z):
        return z

    def backward(self, a, dC_da):
        return dC_da


def test_divergent_training_names_the_iteration():
    rng = np.random.default_rng(0)
    net = Network.from_sizes([2, 2], rng, activations=_Identity())
    x = rng.normal(size=(8, 2)) * 10
    y = rng.normal(size=(8, 1 + 1))
    with raises(FloatingPointError, "training diverged at iteration", "smaller learning rate"):
        net.train(x, y, lr=10.0, iterations=1000)


def _first_non_finite_step(net, x, y, lr, iterations):
    """Step by hand with the unchecked maths (``Network._step``), writing whatever it gives, every
    floating-point error ignored; the first step whose cost or new parameters are not finite."""
    with np.errstate(all="ignore"):
        for i in range(iterations):
            cost, new = net._step(x, y, lr)
            if not np.isfinite(cost) or not all(np.isfinite(W).all() for W in new.values()):
                return i
            for name, W in net.params.items():
                W[...] = new[name]
    return None


@pytest.mark.parametrize("sizes, activations, lr", [
    ([3, 5, 2], _Identity(), 2.0),                          # the cost overflows first
    ([3, 5, 5, 2], ["relu", "relu", "sigmoid"], 1e200),     # a weight overflows, the cost stays finite
])
def test_divergence_is_named_at_the_step_where_it_happens(sizes, activations, lr):
    # train tests the cost and every new parameter after every step, itself: NumPy's error
    # state does nothing in Pyodide. It must name the step a hand loop finds. In the second case
    # a test of the cost alone would name a later step, or none.
    def problem():
        rng = np.random.default_rng(1)
        net = Network.from_sizes(sizes, rng, activations=activations)
        return net, rng.normal(size=(16, 3)) * 3, rng.random((16, 2))

    expected = _first_non_finite_step(*problem(), lr, 2000)
    assert expected is not None, f"lr={lr} does not diverge within 2000 steps; pick a larger one"
    net, x, y = problem()
    callers = np.geterr()
    with raises(FloatingPointError, f"training diverged at iteration {expected} "):
        net.train(x, y, lr=lr, iterations=2000)
    assert np.geterr() == callers, "train restores the caller's floating-point settings"


def test_training_history_and_callback():
    x, y = learner_data()
    net = learner_network()
    seen = []
    history = net.train(x, y, lr=1.0, iterations=50,
                        callback=lambda i, cost, _: seen.append((i, cost)) or i == 9)
    assert history.shape == (10,), history.shape
    assert [i for i, _ in seen] == list(range(10))
    np.testing.assert_allclose(history, [c for _, c in seen], rtol=0)
    assert np.all(np.diff(history) < 0), "the cost should fall on the learner's problem at lr=1"


def test_as_matrix_keeps_float32():
    assert as_matrix("x", np.zeros((2, 2), dtype=np.float32)).dtype == np.float32


def test_check_layer_sizes_returns_ints():
    assert check_layer_sizes((np.int64(3), 2)) == [3, 2]


# ---- what a computation makes is finite, or refused by name, whatever NumPy's error state ----

ERRSTATES = [{}, {"all": "raise"}, {"all": "ignore"}]


@pytest.mark.parametrize("errstate", ERRSTATES, ids=str)
def test_a_step_past_the_float_range_is_refused_and_changes_nothing(errstate):
    # In Pyodide (the site's Run buttons) np.errstate does nothing: the refusal must not depend on it
    net = Network({"W1": np.ones((3, 1))}, activations="identity")
    x, y = np.ones((4, 3)), np.zeros((4, 1))
    with np.errstate(**errstate):
        with raises(FloatingPointError, "training diverged at iteration 0", "W1", "lr=1e+308"):
            net.train(x, y, 1e308, 1)
        with raises(FloatingPointError, "W1 - lr * dW1", "W1[0, 0]"):
            net.step(x, y, 1e308)
    np.testing.assert_array_equal(net.params["W1"], np.ones((3, 1)))


def _deep_identity_network(scale):
    """A 2-2-2-1 identity network whose layer 2 weights are ``scale``: z2 overflows when it is huge."""
    return Network({"W1": np.ones((2, 2)), "b1": np.zeros((1, 2)), "W2": np.full((2, 2), scale),
                    "b2": np.zeros((1, 2)), "W3": np.ones((2, 1))}, activations="identity")


@pytest.mark.parametrize("errstate", ERRSTATES, ids=str)
def test_an_overflow_in_the_forward_pass_is_refused_by_layer(errstate):
    net = _deep_identity_network(1e307)
    x, y = np.full((3, 2), 100.0), np.zeros((3, 1))   # z1 = 200 per unit, z2 = 4e309: beyond float64
    calls = [lambda: net.forward(x), lambda: net.predict(x), lambda: net.cost_value(x, y),
             lambda: net.gradients(x, y), lambda: net.step(x, y, 0.1), lambda: net.train(x, y, 0.1, 5)]
    before = {name: W.copy() for name, W in net.params.items()}
    with np.errstate(**errstate):
        for call in calls:
            # train too: no step has been taken yet, so it is not "training diverged"
            with raises(FloatingPointError, "the forward pass overflowed in layer 2", "z2[0, 0] is inf",
                        "float64") as refused:
                call()
            assert not str(refused.value).startswith("training diverged"), str(refused.value)
    for name, W in net.params.items():
        np.testing.assert_array_equal(W, before[name], err_msg=name)


def test_the_forward_pass_just_below_the_range_is_accepted():
    net = _deep_identity_network(1e300)
    assert np.isfinite(net.predict(np.full((3, 2), 100.0))).all()


def test_an_overflowing_cost_of_a_finite_output_is_refused():
    net = Network({"W1": np.full((1, 1), 1e154)}, activations="identity")   # a1 = 1e155, finite
    x, y = np.ones((4, 1)), np.zeros((4, 1))
    assert np.isfinite(net.predict(x)).all()
    with raises(FloatingPointError, "the cost", "inf", "output a1"):
        net.cost_value(x, y)


def test_a_nan_written_into_the_parameters_is_refused_before_it_spreads():
    net, (x, y) = learner_network(), learner_data()
    net.params["W1"][0, 1] = np.nan
    W2 = net.params["W2"].copy()
    for call in (lambda: net.step(x, y, 0.1), lambda: net.train(x, y, 0.1, 3), lambda: net.predict(x)):
        with raises(ValueError, "W1[0, 1] is nan", "after the network was built"):
            call()
    np.testing.assert_array_equal(net.params["W2"], W2)


def test_tied_weights_are_refused():
    W = np.full((3, 3), 0.5)
    with raises(ValueError, "W2 shares memory with W1", "W2.copy()"):
        Network({"W1": W, "W2": W})
    with raises(ValueError, "W2 shares memory with W1"):
        Network({"W1": W, "W2": W.T})   # a view is the same memory
    net = Network({"W1": W, "W2": W.copy()})
    net.params["W2"] = net.params["W1"]
    with raises(ValueError, "W2 shares memory with W1"):
        net.step(np.ones((2, 3)), np.zeros((2, 3)), 0.1)


def test_a_parameter_replaced_by_one_of_another_shape_or_dtype_is_refused(net):
    x = np.zeros((2, 3))
    net.params["W1"] = np.zeros((5, 4))
    with raises(ValueError, "W1 has shape (5, 4)", "built with W1 of shape (3, 4)"):
        net.forward(x)
    net.params["W1"] = np.zeros((3, 4), dtype=np.float32)
    with raises(TypeError, "W1 has dtype float32", "built with float64"):
        net.forward(x)
    net.params["W1"] = [[0.0] * 4] * 3
    with raises(TypeError, "W1 must be a NumPy array", "list"):
        net.forward(x)
    del net.params["W1"]
    with raises(ValueError, "net.params has", "built with"):
        net.forward(x)


@pytest.mark.parametrize("where, spec", [("activations", "Sigmoid"), ("cost", "HalfSquaredError")])
def test_a_class_where_an_instance_belongs_is_refused(where, spec):
    import backprop
    with raises(TypeError, f"{where} is the class {spec}", f"pass an instance: {spec}()"):
        Network.from_sizes([3, 1], np.random.default_rng(0), **{where: getattr(backprop, spec)})
