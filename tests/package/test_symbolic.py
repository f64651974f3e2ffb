"""The key derivation checked exactly with SymPy, on the learner's network shape.

Every entry of x (4, 3), W1 (3, 4), W2 (4, 1) and y (4, 1) is a symbol. SymPy
differentiates C = 1/2 * sum((a2 - y)**2) with respect to each entry of W1 and W2 by
the chain rule, and the result must equal, entry by entry and exactly, the matrix
formulas of the site:

    dC/dW2 = (a1)^T delta2,  delta2 = (a2 - y) * sigma'(z2)
    dC/dW1 = x^T delta1,     delta1 = (delta2 W2^T) * sigma'(z1)

The sigmoid is kept as an unevaluated function ``sigma`` whose derivative is
sigma (1 - sigma); that rule is itself checked against 1/(1 + exp(-t)). With the
sigmoid opaque, both sides are polynomials in the same sigma(...) terms, so
``expand(difference) == 0`` is an exact test and takes about a second.
"""

import numpy as np
import pytest
import sympy as sp

import backprop


class sigma(sp.Function):
    """The logistic sigmoid, unevaluated; SymPy's chain rule uses :meth:`fdiff`."""

    def fdiff(self, argindex=1):
        return sigma(self.args[0]) * (1 - sigma(self.args[0]))


def symbols(name, rows, cols):
    """A (rows, cols) SymPy matrix of real symbols name_11, name_12, ..."""
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def learner_shaped(N=4, n0=3, n1=4, n2=1):
    """Symbols and the forward pass of a two-layer sigmoid network, no biases (as the learner's)."""
    x, W1, W2, y = symbols("x", N, n0), symbols("W1", n0, n1), symbols("W2", n1, n2), symbols("y", N, n2)
    z1 = x * W1
    a1 = z1.applyfunc(sigma)
    z2 = a1 * W2
    a2 = z2.applyfunc(sigma)
    C = sp.Rational(1, 2) * sum((a2 - y).applyfunc(lambda e: e**2))
    return dict(x=x, W1=W1, W2=W2, y=y, z1=z1, a1=a1, z2=z2, a2=a2, C=C)


def matrix_formulas(s):
    """dC/dW1 (n0, n1) and dC/dW2 (n1, n2) as the site writes them."""
    def sigma_prime(z):
        return z.applyfunc(lambda e: sigma(e) * (1 - sigma(e)))
    delta2 = (s["a2"] - s["y"]).multiply_elementwise(sigma_prime(s["z2"]))
    delta1 = (delta2 * s["W2"].T).multiply_elementwise(sigma_prime(s["z1"]))
    return s["x"].T * delta1, s["a1"].T * delta2


def entrywise_difference(C, W, formula):
    """Matrix of expand(dC/dW_ij - formula_ij)."""
    return sp.Matrix(W.rows, W.cols, lambda i, j: sp.expand(sp.diff(C, W[i, j]) - formula[i, j]))


def test_sigmoid_derivative_rule_is_the_real_one():
    t = sp.Symbol("t", real=True)
    s = 1 / (1 + sp.exp(-t))
    assert sp.simplify(sp.diff(s, t) - s * (1 - s)) == 0
    assert sp.diff(sigma(t), t) == sigma(t) * (1 - sigma(t))


@pytest.mark.parametrize("shape", [(4, 3, 4, 1), (2, 2, 3, 2)], ids=["learner 4x3-4-1", "two outputs 2x2-3-2"])
def test_sympy_derivative_equals_matrix_formula(shape):
    s = learner_shaped(*shape)
    dW1, dW2 = matrix_formulas(s)
    assert entrywise_difference(s["C"], s["W2"], dW2) == sp.zeros(*s["W2"].shape)
    assert entrywise_difference(s["C"], s["W1"], dW1) == sp.zeros(*s["W1"].shape)


def test_wrong_formulas_differ():
    """The check can fail: the learner's 'textbook' delta2 and a batch mean are not the derivative.

    With batch size 2 and hidden width 2, delta2 has the shape of W2, (2, 1), so only the
    values can tell them apart.
    """
    s = learner_shaped(N=2, n0=2, n1=2, n2=1)
    _, dW2 = matrix_formulas(s)
    delta2 = (s["a2"] - s["y"]).multiply_elementwise(s["z2"].applyfunc(lambda e: sigma(e) * (1 - sigma(e))))
    assert delta2.shape == dW2.shape
    for wrong in (delta2, dW2 / 2):
        assert entrywise_difference(s["C"], s["W2"], wrong) != sp.zeros(*s["W2"].shape)


def test_symbolic_gradient_matches_backprop_on_learner_numbers():
    """Substituting the learner's numbers into SymPy's derivative gives backprop's dW1, dW2."""
    s = learner_shaped()
    x, y = backprop.learner_data()
    net = backprop.learner_network()
    names = list(s["x"]) + list(s["W1"]) + list(s["W2"]) + list(s["y"])
    numbers = np.concatenate([x.ravel(), net.params["W1"].ravel(), net.params["W2"].ravel(), y.ravel()])
    grads = net.gradients(x, y)
    for W in ("W1", "W2"):
        derivative = sp.Matrix(*s[W].shape, lambda i, j: sp.diff(s["C"], s[W][i, j]))
        f = sp.lambdify(names, derivative, modules=[{"sigma": backprop.sigmoid}, "numpy"])
        np.testing.assert_allclose(f(*numbers), grads["d" + W], rtol=1e-12, atol=1e-14)
