"""The sigmoid and its two derivative forms."""

import numpy as np
import pytest

from backprop import sigmoid, sigmoid_derivative, sigmoid_derivative_from_z


def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15, atol=0)


def test_sigmoid_has_no_overflow_and_exact_limits():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    a = sigmoid(z)  # warnings are errors in this suite, so an overflow would fail here
    assert a[0] == 0.0 and a[-1] == 1.0, f"limits are not exact: {a}"
    assert a[2] == 0.5, f"sigmoid(0) = {a[2]}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_keeps_float_dtype(dtype):
    assert sigmoid(np.zeros((2, 3), dtype=dtype)).dtype == dtype


def test_sigmoid_accepts_integers():
    np.testing.assert_allclose(sigmoid(np.array([[0, 1]])), [[0.5, 1 / (1 + np.exp(-1))]], rtol=1e-15)


def test_derivative_from_a_equals_derivative_from_z():
    z = np.random.default_rng(0).normal(scale=5, size=(7, 3))
    np.testing.assert_allclose(sigmoid_derivative(sigmoid(z)), sigmoid_derivative_from_z(z),
                               rtol=1e-12, atol=1e-300)


def test_derivative_matches_finite_differences():
    z = np.linspace(-6, 6, 41)
    eps = 1e-6
    numeric = (sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps)
    np.testing.assert_allclose(sigmoid_derivative(sigmoid(z)), numeric, rtol=1e-7, atol=1e-12)


def test_feeding_z_to_the_a_form_is_wrong():
    z = np.array([0.5, 0.2, 0.9])  # values a sigmoid could output: the slip goes unnoticed
    assert not np.allclose(sigmoid_derivative(z), sigmoid_derivative_from_z(z)), \
        "a(1-a) evaluated at z should differ from sigma'(z)"


def test_z_outside_0_1_fed_to_the_a_form_is_refused():
    z = np.array([0.5, 2.0, -1.0])  # no sigmoid outputs 2.0: the slip is caught
    with pytest.raises(ValueError, match=r"a must lie in \[0, 1\], but a\[1\] is 2.0.*"
                                         r"sigmoid_derivative_from_z"):
        sigmoid_derivative(z)
