"""Cost functions: the value of ``C`` and its gradient with respect to the output.

The cost is a **sum over the batch, not a mean**, as in the learner's script.
"""

import numpy as np

from .activations import Sigmoid, Softmax


class HalfSquaredError:
    """``C = 1/2 * sum over samples and outputs of (a - y)**2``.

    Sign convention: :meth:`gradient` returns ``dC/da = a - y``. The learner's
    ``y - a`` is its negative, which is why the learner's update *adds*.
    """

    name = "half_squared_error"

    def __call__(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float."""
        d = a - y
        return 0.5 * float(np.vdot(d, d))  # the sum of squares as one dot product: no squared copy

    def gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da = a - y`` (N, n_L)."""
        return a - y

    def __repr__(self):
        return "HalfSquaredError()"


half_squared_error = HalfSquaredError()


class BinaryCrossEntropy:
    """``C = -sum over samples and outputs of (y log a + (1 - y) log(1 - a))``, for ``a`` in (0, 1).

    A sum over the batch, like every cost here. ``y`` holds targets in [0, 1]
    (usually 0 or 1), one column per independent yes/no output.

    Stability without clipping ``a``: the logarithms are taken of ``a + epsilon``
    and ``1 - a + epsilon`` (``epsilon = 1e-12`` by default), so a saturated
    sigmoid output of exactly 0 or 1 gives a large finite cost instead of
    ``inf`` or ``nan``. :meth:`gradient` is the derivative of that shifted
    expression, whereas :meth:`output_delta`'s ``a - y`` is the derivative of
    the cross-entropy without ``epsilon``: the two give different ``delta^L``
    where ``a`` or ``1 - a`` is not much larger than ``epsilon``. With a
    sigmoid output layer the network does not use :meth:`gradient` at all:
    :meth:`output_delta` gives ``delta^L = a - y``, in which ``sigma'`` has
    cancelled.
    """

    name = "binary_cross_entropy"

    def __init__(self, epsilon=1e-12):
        self.epsilon = epsilon

    def __call__(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float."""
        eps = self.epsilon
        return float(-np.sum(y * np.log(a + eps) + (1 - y) * np.log(1 - a + eps)))

    def gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da = -y / (a + eps) + (1 - y) / (1 - a + eps)`` (N, n_L)."""
        eps = self.epsilon
        return -y / (a + eps) + (1 - y) / (1 - a + eps)

    def output_delta(self, a, y, activation):
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


class CategoricalCrossEntropy:
    """``C = -sum over samples and classes of y log a``, for rows of ``a`` that are probabilities.

    A sum over the batch. ``y`` (N, n_L) holds one row per sample, usually
    one-hot (a single 1). As in :class:`BinaryCrossEntropy` the logarithm is
    taken of ``a + epsilon`` (default ``1e-12``) instead of clipping ``a``.
    With a softmax output layer :meth:`output_delta` gives ``delta^L`` directly.
    """

    name = "categorical_cross_entropy"

    def __init__(self, epsilon=1e-12):
        self.epsilon = epsilon

    def __call__(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float."""
        return float(-np.sum(y * np.log(a + self.epsilon)))

    def gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da = -y / (a + eps)`` (N, n_L)."""
        return -y / (a + self.epsilon)

    def output_delta(self, a, y, activation):
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


def get_cost(spec):
    """Return a cost object for a name such as ``"half_squared_error"`` or an object."""
    if isinstance(spec, str):
        try:
            return COSTS[spec]()
        except KeyError:
            known = ", ".join(sorted(COSTS))
            raise ValueError(f"unknown cost {spec!r}; known: {known}") from None
    if callable(spec) and hasattr(spec, "gradient"):
        return spec
    raise TypeError(
        f"a cost must be a name or a callable with a gradient method, got {type(spec).__name__}"
    )
