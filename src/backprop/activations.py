"""Activation functions, each with its derivative beside it.

Every activation is an object with two methods:

* ``forward(z)`` returns ``a = f(z)``;
* ``backward(a, dC_da)`` returns ``delta = dC/dz`` from the layer's own output ``a``.

Writing the derivative in terms of the output ``a`` (not ``z``) is what the
learner's ``derv_sigmoid`` does: for the sigmoid, ``f'(z) = a (1 - a)``, so the
backward pass never needs to keep ``z``.
"""

import numpy as np


# exp(-z) overflows to inf for z below about -709 (float64) or -88 (float32), and
# 1 / (1 + inf) is exactly 0, the right limit: that overflow is expected, so it is
# silenced (as a decorator, which costs half of a `with` block per call).
@np.errstate(over="ignore")
def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))``, element-wise, without overflow warnings.

    Parameters
    ----------
    z : ndarray of any shape

    Returns
    -------
    a : ndarray of the shape and floating dtype of ``z``, every entry in [0, 1].
        Very negative ``z`` gives exactly 0, very positive ``z`` exactly 1.
    """
    z = np.asarray(z)
    if z.dtype.kind != "f":  # not np.issubdtype, which takes longer than exp on a small array
        z = z.astype(np.float64)
    # The textbook formula computed in one output array, with no temporaries: this is
    # the hot spot of a forward pass.
    a = np.negative(z, out=np.empty_like(z))  # out=: an array even for 0-d z, not a scalar
    np.exp(a, out=a)
    a += 1.0  # 1.0, not 1: a float scalar needs no conversion, which shows on small arrays
    return np.divide(1.0, a, out=a)  # not np.reciprocal, which is not vectorized for floats


def sigmoid_derivative(a):
    """Derivative of the sigmoid written from its output: ``a * (1 - a)``.

    Parameters
    ----------
    a : ndarray of any shape, the sigmoid's output ``sigmoid(z)``.

    Returns
    -------
    ndarray of the shape of ``a``: ``sigmoid'(z)``.
    """
    return a * (1 - a)


def sigmoid_derivative_from_z(z):
    """The same derivative written from the input: ``sigmoid(z) * (1 - sigmoid(z))``.

    Kept for comparison with :func:`sigmoid_derivative`; feeding ``z`` to the
    ``a``-form (or ``a`` to this one) is a classic silent bug.

    Parameters
    ----------
    z : ndarray of any shape, the pre-activation.

    Returns
    -------
    ndarray of the shape of ``z``.
    """
    s = sigmoid(z)
    return s * (1 - s)


class Sigmoid:
    """The logistic sigmoid as a layer activation."""

    name = "sigmoid"

    def forward(self, z):
        """``z`` (N, n) -> ``a`` (N, n)."""
        return sigmoid(z)

    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * a (1 - a)`` (N, n)."""
        # sigmoid_derivative(a) multiplied in place: one new array instead of three.
        delta = 1.0 - a
        delta *= a
        delta *= dC_da
        return delta

    def __repr__(self):
        return "Sigmoid()"


class Tanh:
    """Hyperbolic tangent, ``a = tanh(z)``; its derivative from the output is ``1 - a**2``."""

    name = "tanh"

    def forward(self, z):
        """``z`` (N, n) -> ``a = tanh(z)`` (N, n), every entry in [-1, 1]."""
        return np.tanh(z)

    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * (1 - a**2)`` (N, n)."""
        return dC_da * (1 - a * a)

    def __repr__(self):
        return "Tanh()"


class ReLU:
    """Rectified linear unit, ``a = max(z, 0)``; its derivative is 1 where ``a > 0``, else 0.

    At ``z = 0`` exactly the derivative is taken as 0 (a convention: the
    function has no derivative there).
    """

    name = "relu"

    def forward(self, z):
        """``z`` (N, n) -> ``a = max(z, 0)`` (N, n)."""
        return np.maximum(z, 0)

    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * (a > 0)`` (N, n)."""
        return dC_da * (a > 0)

    def __repr__(self):
        return "ReLU()"


class Identity:
    """No activation, ``a = z`` (a linear output layer); ``delta = dC_da``."""

    name = "identity"

    def forward(self, z):
        """``z`` (N, n) -> ``a = z`` (N, n), the same array."""
        return z

    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da`` (N, n)."""
        return dC_da

    def __repr__(self):
        return "Identity()"


class Softmax:
    """Softmax over each row: ``a[n, j] = exp(z[n, j]) / sum_k exp(z[n, k])``.

    Not element-wise: every output of a row depends on every input of that
    row, so ``backward`` is a product with the row's Jacobian
    ``diag(a) - a^T a``, written without forming it::

        delta = a * (dC_da - rowsum(dC_da * a))
    """

    name = "softmax"

    def forward(self, z):
        """``z`` (N, n) -> ``a`` (N, n); each row is positive and sums to 1."""
        # Subtracting the row maximum changes nothing mathematically and keeps exp from overflowing.
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = a * (dC_da - rowsum(dC_da * a))`` (N, n)."""
        return a * (dC_da - np.sum(dC_da * a, axis=1, keepdims=True))

    def __repr__(self):
        return "Softmax()"


ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "identity": Identity,
    "softmax": Softmax,
}


def get_activation(spec):
    """Return an activation object for a name such as ``"sigmoid"`` or an object.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    if isinstance(spec, str):
        try:
            return ACTIVATIONS[spec]()
        except KeyError:
            known = ", ".join(sorted(ACTIVATIONS))
            raise ValueError(f"unknown activation {spec!r}; known: {known}") from None
    if hasattr(spec, "forward") and hasattr(spec, "backward"):
        return spec
    raise TypeError(
        f"an activation must be a name or have forward/backward methods, got {type(spec).__name__}"
    )
