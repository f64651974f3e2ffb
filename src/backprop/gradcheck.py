"""Numerical gradients by central differences, to check any backward pass."""

import numpy as np


def numerical_gradient(f, arrays, eps=1e-6):
    """Central-difference gradient of a scalar function with respect to named arrays.

    Each entry is nudged by ``+eps`` and ``-eps`` in place, ``f()`` is called,
    and the entry is restored: ``(f(+) - f(-)) / (2 eps)``. Work in float64;
    float32 loses most of the digits.

    Parameters
    ----------
    f : callable with no arguments returning a real scalar
        Reads the arrays, e.g. ``lambda: net.cost_value(x, y)``.
    arrays : dict of str to ndarray (any shapes)
        The arrays to differentiate with respect to, e.g. ``net.params``.
    eps : float, the step

    Returns
    -------
    dict of str to ndarray, each of the shape of the matching array, named
    ``"d" + name`` (``"W1"`` gives ``"dW1"``).
    """
    grads = {}
    for name, array in arrays.items():
        if not np.issubdtype(array.dtype, np.floating):
            raise TypeError(f"{name} must be a floating array to be nudged, got dtype {array.dtype}")
        grad = np.zeros(array.shape, dtype=np.float64)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + eps
            c_plus = f()
            array[index] = original - eps
            c_minus = f()
            array[index] = original
            grad[index] = (c_plus - c_minus) / (2 * eps)
        grads["d" + name] = grad
    return grads
