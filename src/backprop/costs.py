"""Cost functions: the value of ``C`` and its gradient with respect to the output.

The cost is a **sum over the batch, not a mean**, as in the learner's script.

Every public method checks its arguments: ``a`` and ``y`` are 2-D (N, n_L), of one shape
(a (4, 1) output against (4,) targets is refused, never broadcast), non-empty and finite;
bool and integer arrays become float64 and ``y`` is converted to ``a``'s dtype. The
cross-entropies also need ``a`` in [0, 1] (a probability). The methods whose names start
with ``_`` are the maths, which the network calls on arrays it has checked.
"""

import numpy as np

from .activations import Sigmoid, Softmax
from .validation import as_array, as_component, as_real, check_range, check_same_shape, quiet


class _Cost:
    """The checks shared by the costs (see the module's docstring)."""

    a_range = None  # (low, high) that the output a must lie in, or None
    y_range = None  # the same for the targets y

    def _check(self, a, y):
        a = as_array("a", a, ndim=2)
        y = as_array("y", y, ndim=2, dtype=a.dtype)
        check_same_shape("a", a, "y", y)
        if self.a_range is not None:
            check_range("a", a, *self.a_range, f"; {self.name} needs probabilities")
        if self.y_range is not None:
            check_range("y", y, *self.y_range, f"; {self.name} needs targets in this range")
        return a, y

    @quiet
    def __call__(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float (inf if it exceeds the float range)."""
        return self._value(*self._check(a, y))

    @quiet
    def gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da`` (N, n_L)."""
        return self._gradient(*self._check(a, y))

    @quiet
    def output_delta(self, a, y, activation):
        """``delta^L = dC/dz^L`` (N, n_L) if this cost has a fused form for ``activation``, else None."""
        return self._output_delta(*self._check(a, y), activation)

    def _output_delta(self, a, y, activation):
        return None


def _epsilon(epsilon, dtype):
    """``epsilon``, raised to the dtype's smallest normal number where it would round to 0
    (float16: 6.1e-5 instead of 1e-12), so that ``log(a + epsilon)`` stays finite at a = 0."""
    return max(epsilon, float(np.finfo(dtype).tiny))


class HalfSquaredError(_Cost):
    """``C = 1/2 * sum over samples and outputs of (a - y)**2``.

    Sign convention: :meth:`gradient` returns ``dC/da = a - y``. The learner's
    ``y - a`` is its negative, which is why the learner's update *adds*.
    """

    name = "half_squared_error"

    def _value(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float."""
        d = a - y
        return 0.5 * float(np.vdot(d, d))  # the sum of squares as one dot product: no squared copy

    def _gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da = a - y`` (N, n_L)."""
        return a - y

    def __repr__(self):
        return "HalfSquaredError()"


half_squared_error = HalfSquaredError()


class BinaryCrossEntropy(_Cost):
    """``C = -sum over samples and outputs of (y log a + (1 - y) log(1 - a))``, for ``a`` in [0, 1].

    A sum over the batch, like every cost here. ``y`` holds targets in [0, 1]
    (usually 0 or 1), one column per independent yes/no output; ``a`` and ``y`` outside
    [0, 1] are refused (ValueError).

    Stability without clipping ``a``: the logarithms are taken of ``a + epsilon``
    and ``1 - a + epsilon`` (``epsilon = 1e-12`` by default, a finite number > 0; in float16,
    where 1e-12 rounds to 0, at least 6.1e-5, the smallest normal float16), so a
    saturated sigmoid output of exactly 0 or 1 gives a large finite cost instead of
    ``inf`` or ``nan``. :meth:`gradient` is the derivative of that shifted
    expression, whereas :meth:`output_delta`'s ``a - y`` is the derivative of
    the cross-entropy without ``epsilon``: the two give different ``delta^L``
    where ``a`` or ``1 - a`` is not much larger than ``epsilon``. With a
    sigmoid output layer the network does not use :meth:`gradient` at all:
    :meth:`output_delta` gives ``delta^L = a - y``, in which ``sigma'`` has
    cancelled.
    """

    name = "binary_cross_entropy"
    a_range = y_range = (0.0, 1.0)

    def __init__(self, epsilon=1e-12):
        self.epsilon = as_real("epsilon", epsilon, low=0, low_open=True)

    def _value(self, a, y):
        eps = _epsilon(self.epsilon, a.dtype)
        return float(-np.sum(y * np.log(a + eps) + (1 - y) * np.log(1 - a + eps)))

    def _gradient(self, a, y):
        """``dC/da = -y / (a + eps) + (1 - y) / (1 - a + eps)`` (N, n_L)."""
        eps = _epsilon(self.epsilon, a.dtype)
        return -y / (a + eps) + (1 - y) / (1 - a + eps)

    def _output_delta(self, a, y, activation):
        """``delta^L = dC/dz^L = a - y`` (N, n_L) when ``activation`` is the sigmoid, else None.

        ``dC/da = (a - y) / (a (1 - a))`` and ``sigma'(z) = a (1 - a)``: their
        product is ``a - y``, which stays accurate where ``a`` saturates at 0 or 1
        and the two factors separately would be ``inf * 0``.
        """
        if isinstance(activation, Sigmoid):
            return a - y
        return None

    def __repr__(self):
        return f"BinaryCrossEntropy(epsilon={self.epsilon!r})"


class CategoricalCrossEntropy(_Cost):
    """``C = -sum over samples and classes of y log a``, for rows of ``a`` that are probabilities.

    A sum over the batch. ``y`` (N, n_L) holds one row per sample, usually
    one-hot (a single 1); its entries must not be negative. ``a`` must lie in [0, 1]. As in
    :class:`BinaryCrossEntropy` the logarithm is taken of ``a + epsilon`` (default ``1e-12``)
    instead of clipping ``a``. With a softmax output layer :meth:`output_delta` gives
    ``delta^L`` directly.
    """

    name = "categorical_cross_entropy"
    a_range = (0.0, 1.0)
    y_range = (0.0, np.inf)

    def __init__(self, epsilon=1e-12):
        self.epsilon = as_real("epsilon", epsilon, low=0, low_open=True)

    def _value(self, a, y):
        return float(-np.sum(y * np.log(a + _epsilon(self.epsilon, a.dtype))))

    def _gradient(self, a, y):
        """``dC/da = -y / (a + eps)`` (N, n_L)."""
        return -y / (a + _epsilon(self.epsilon, a.dtype))

    def _output_delta(self, a, y, activation):
        """``delta^L`` (N, n_L) when ``activation`` is the softmax, else None.

        ``delta^L = a * rowsum(y) - y``, which is ``a - y`` when each row of
        ``y`` sums to 1 (one-hot targets): the softmax Jacobian and ``1/a``
        cancel.
        """
        if isinstance(activation, Softmax):
            return a * np.sum(y, axis=1, keepdims=True) - y
        return None

    def __repr__(self):
        return f"CategoricalCrossEntropy(epsilon={self.epsilon!r})"


COSTS = {
    "half_squared_error": HalfSquaredError,
    "binary_cross_entropy": BinaryCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy,
}


class _Given:
    """A cost of your own, called as it is (it checks what it needs itself)."""

    def __init__(self, cost):
        self._value, self._gradient = cost, cost.gradient
        output_delta = getattr(cost, "output_delta", None)
        self._output_delta = output_delta if callable(output_delta) else (lambda a, y, f: None)


def unchecked(cost):
    """The object the network calls ``_value``, ``_gradient``, ``_output_delta`` on."""
    return cost if type(cost) in COSTS.values() else _Given(cost)


def get_cost(spec, name="cost"):
    """Return a cost object for a name such as ``"half_squared_error"`` or an object.

    ``spec`` is a key of ``COSTS`` or a callable ``cost(a, y)`` with a ``gradient(a, y)``
    method, returned as it is. An unknown name is a ValueError listing the known ones,
    anything else a TypeError (a class such as ``HalfSquaredError`` too: pass an instance).
    """
    return as_component(name, spec, COSTS, "cost", ("__call__", "gradient"), "half_squared_error")
