"""Activation functions, each with its derivative beside it.

Every activation is an object with two methods:

* ``forward(z)`` returns ``a = f(z)``;
* ``backward(a, dC_da)`` returns ``delta = dC/dz`` from the layer's own output ``a``.

Writing the derivative in terms of the output ``a`` (not ``z``) is what the
learner's ``derv_sigmoid`` does: for the sigmoid, ``f'(z) = a (1 - a)``, so the
backward pass never needs to keep ``z``.
"""

import numpy as np

from .validation import as_array, as_component, check_range, check_same_shape, quiet

# Every public function and method here runs under ``quiet`` (see backprop.validation): NumPy's
# floating-point errors are ignored, so for finite input nothing raises or warns, under
# np.seterr(all="raise") and warnings-as-errors too, in CPython as in Pyodide. An underflow
# rounds towards 0, which is the right answer, and an overflow gives +-inf, the correctly
# rounded value of a result beyond the dtype's range.


def _sigmoid(z):
    """The sigmoid of a floating array ``z``, unchecked: what the network calls.

    exp(-z) overflows to inf for z below about -709 (float64) or -88 (float32), and
    1 / (1 + inf) is exactly 0, the right limit; exp(-z) underflows to 0 for large z, and
    1 / (1 + 0) is exactly 1.
    """
    a = np.exp(-z)
    a += 1.0
    return np.divide(1.0, a, out=a)


@quiet
def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))``, element-wise, without overflow warnings.

    Parameters
    ----------
    z : array_like of any shape, at least one entry, finite
        Bool and integer input becomes float64; floating input keeps its dtype.

    Returns
    -------
    a : ndarray of the shape and floating dtype of ``z``, every entry in [0, 1].
        Very negative ``z`` gives exactly 0, very positive ``z`` exactly 1.
    """
    z = as_array("z", z)
    return _sigmoid(z) if z.ndim else _sigmoid(z.reshape(1))[0]


def _check_sigmoid_output(a):
    check_range("a", a, 0, 1, "; a is the sigmoid's output: for the derivative at z use "
                              "sigmoid_derivative_from_z(z)")


@quiet
def sigmoid_derivative(a):
    """Derivative of the sigmoid written from its output: ``a * (1 - a)``.

    Parameters
    ----------
    a : array_like of any shape, the sigmoid's output ``sigmoid(z)``
        Every entry must lie in [0, 1]: a value outside is not a sigmoid's output, and the
        likeliest cause is ``z`` passed where ``a`` belongs, so it is refused (ValueError).

    Returns
    -------
    ndarray of the shape of ``a``: ``sigmoid'(z)``.
    """
    a = as_array("a", a)
    _check_sigmoid_output(a)
    return a * (1 - a)


@quiet
def sigmoid_derivative_from_z(z):
    """The same derivative written from the input: ``sigmoid(z) * (1 - sigmoid(z))``.

    Kept for comparison with :func:`sigmoid_derivative`; feeding ``z`` to the
    ``a``-form (or ``a`` to this one) is a classic silent bug.

    Parameters
    ----------
    z : array_like of any shape, the pre-activation; at least one entry, finite.

    Returns
    -------
    ndarray of the shape of ``z``.
    """
    s = sigmoid(z)
    return s * (1 - s)


class _Activation:
    """The checks shared by the activations: ``forward`` and ``backward`` check their
    arguments and call ``_forward`` and ``_backward``, the maths, which the network calls
    directly on arrays it has checked.

    ``z``, ``a`` and ``dC_da`` must be 2-D (N, n), non-empty and finite; ``a`` and ``dC_da``
    must have one shape, and ``a`` must lie in the activation's range (``output_range``),
    since a value outside cannot be its output (``z`` passed for ``a`` is the usual cause).
    Bool and integer arrays become float64; ``dC_da`` is converted to ``a``'s dtype.
    """

    output_range = None  # (low, high) of the activation's output, or None for any value

    @quiet
    def forward(self, z):
        """``z`` (N, n) -> ``a`` (N, n)."""
        return self._forward(as_array("z", z, ndim=2))

    @quiet
    def backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC/dz`` (N, n)."""
        a = as_array("a", a, ndim=2)
        dC_da = as_array("dC_da", dC_da, ndim=2, dtype=a.dtype)
        check_same_shape("a", a, "dC_da", dC_da)
        self.check_output("a", a)
        return self._backward(a, dC_da)

    def check_output(self, name, a):
        """Raise ValueError if ``a`` holds a value this activation cannot output."""
        if self.output_range is not None:
            check_range(name, a, *self.output_range,
                        f"; {self.name} outputs lie in [{self.output_range[0]:g}, "
                        f"{self.output_range[1]:g}]: was z passed for a?")

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(_Activation):
    """The logistic sigmoid as a layer activation."""

    name = "sigmoid"
    output_range = (0.0, 1.0)

    def _forward(self, z):
        """``z`` (N, n) -> ``a`` (N, n)."""
        return _sigmoid(z)

    def _backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * a (1 - a)`` (N, n)."""
        return dC_da * (a * (1 - a))


class Tanh(_Activation):
    """Hyperbolic tangent, ``a = tanh(z)``; its derivative from the output is ``1 - a**2``."""

    name = "tanh"
    output_range = (-1.0, 1.0)

    def _forward(self, z):
        """``z`` (N, n) -> ``a = tanh(z)`` (N, n), every entry in [-1, 1]."""
        return np.tanh(z)

    def _backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * (1 - a**2)`` (N, n)."""
        return dC_da * (1 - a * a)


class ReLU(_Activation):
    """Rectified linear unit, ``a = max(z, 0)``; its derivative is 1 where ``a > 0``, else 0.

    At ``z = 0`` exactly the derivative is taken as 0 (a convention: the
    function has no derivative there).
    """

    name = "relu"
    output_range = (0.0, np.inf)

    def _forward(self, z):
        """``z`` (N, n) -> ``a = max(z, 0)`` (N, n)."""
        return np.maximum(z, 0)

    def _backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da * (a > 0)`` (N, n)."""
        return dC_da * (a > 0)


class Identity(_Activation):
    """No activation, ``a = z`` (a linear output layer); ``delta = dC_da``."""

    name = "identity"

    def _forward(self, z):
        """``z`` (N, n) -> ``a = z`` (N, n), the same array."""
        return z

    def _backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = dC_da`` (N, n)."""
        return dC_da


class Softmax(_Activation):
    """Softmax over each row: ``a[n, j] = exp(z[n, j]) / sum_k exp(z[n, k])``.

    Not element-wise: every output of a row depends on every input of that
    row, so ``backward`` is a product with the row's Jacobian
    ``diag(a) - a^T a``, written without forming it::

        delta = a * (dC_da - rowsum(dC_da * a))
    """

    name = "softmax"
    output_range = (0.0, 1.0)

    # z - max(z) overflows to -inf only when a row spans more than the dtype's range, and
    # exp(-inf) is exactly 0, the right limit.
    def _forward(self, z):
        """``z`` (N, n) -> ``a`` (N, n); each row is positive and sums to 1."""
        # Subtracting the row maximum changes nothing mathematically and keeps exp from overflowing.
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def _backward(self, a, dC_da):
        """``a`` (N, n), ``dC_da`` (N, n) -> ``delta = a * (dC_da - rowsum(dC_da * a))`` (N, n)."""
        # multiplied out, a * dC_da - a * rowsum(...): the bracket could overflow where the
        # product with a small a is representable (and 0 * inf would then be NaN)
        g = a * dC_da
        return g - a * np.sum(g, axis=1, keepdims=True)


ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "identity": Identity,
    "softmax": Softmax,
}


class _Given:
    """An activation of your own, called as it is: ``_forward`` and ``_backward`` are its
    ``forward`` and ``backward``, which check what they need themselves."""

    def __init__(self, activation):
        self._forward, self._backward = activation.forward, activation.backward


def unchecked(activation):
    """The object the network calls ``_forward`` and ``_backward`` on, for a checked activation."""
    return activation if type(activation) in ACTIVATIONS.values() else _Given(activation)


def get_activation(spec, name="activation"):
    """Return an activation object for a name such as ``"sigmoid"`` or an object.

    Parameters
    ----------
    spec : str (a key of ``ACTIVATIONS``) or an object with callable ``forward(z)`` and
        ``backward(a, dC_da)`` methods, which is returned as it is.
    name : str, how ``spec`` is called in messages.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    TypeError
        For anything else, e.g. None, a function, or a class such as ``Sigmoid`` (pass an
        instance, ``Sigmoid()``).
    """
    return as_component(name, spec, ACTIVATIONS, "activation", ("forward", "backward"), "sigmoid")
