"""numerical_gradient itself, on functions whose gradient is known in closed form."""

import numpy as np
import pytest

from backprop import numerical_gradient


def test_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    X = rng.normal(size=(3, 2))
    grads = numerical_gradient(lambda: float(np.sum(X * (A @ X))), {"X": X})
    np.testing.assert_allclose(grads["dX"], (A + A.T) @ X, rtol=1e-7, atol=1e-9)


def test_arrays_are_restored():
    X = np.arange(6, dtype=float).reshape(2, 3)
    before = X.copy()
    numerical_gradient(lambda: float(np.sum(X ** 3)), {"X": X})
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])  # dtype=int is int32 in Pyodide
def test_integer_arrays_are_refused(dtype):
    with pytest.raises(TypeError, match=f"W has dtype {np.dtype(dtype)}, but a gradient check needs float64"):
        numerical_gradient(lambda: 0.0, {"W": np.zeros((2, 2), dtype=dtype)})
