"""Cost functions: the value of ``C`` and its gradient with respect to the output.

The cost is a **sum over the batch, not a mean**, as in the learner's script.
"""

import numpy as np


class HalfSquaredError:
    """``C = 1/2 * sum over samples and outputs of (a - y)**2``.

    Sign convention: :meth:`gradient` returns ``dC/da = a - y``. The learner's
    ``y - a`` is its negative, which is why the learner's update *adds*.
    """

    name = "half_squared_error"

    def __call__(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``C``, a Python float."""
        return float(0.5 * np.sum((a - y) ** 2))

    def gradient(self, a, y):
        """``a`` (N, n_L), ``y`` (N, n_L) -> ``dC/da = a - y`` (N, n_L)."""
        return a - y

    def __repr__(self):
        return "HalfSquaredError()"


half_squared_error = HalfSquaredError()

COSTS = {"half_squared_error": HalfSquaredError}


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
