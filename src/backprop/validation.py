"""Input checks that turn a silently wrong result into an error naming the array.

Each function returns the array it checked, converted to a floating dtype, so
callers write ``x = as_matrix("x", x)``.
"""

import math

import numpy as np


def as_matrix(name, array, dtype=None):
    """Check that ``array`` is a finite, numeric 2-D array and return it as floats.

    Parameters
    ----------
    name : str
        How the array is called in error messages, e.g. ``"x"`` or ``"W2"``.
    array : array_like of shape (rows, cols)
        Integer and boolean input is accepted and converted.
    dtype : numpy floating dtype, optional
        The dtype to convert to. By default floats keep their dtype and
        integers become float64.

    Returns
    -------
    ndarray of shape (rows, cols), floating.

    Raises
    ------
    TypeError
        If the array is not numeric (strings, objects, complex numbers).
    ValueError
        If it is not 2-D, or holds NaN or infinity.
    """
    arr = np.asarray(array)
    # dtype.kind: b bool, i/u integers, f floats; np.issubdtype took 2 microseconds per check,
    # a tenth of a step of the learner's network
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = f"; for one sample write {name}.reshape(1, -1), for one feature {name}.reshape(-1, 1)"
        raise ValueError(f"{name} must be 2-D (rows, columns), got shape {arr.shape}{hint}")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    # The sum of squares, one dot product, is finite if every entry is (inf and nan propagate)
    # and takes half the time of isfinite; only if it is not (it can overflow) is each entry tested.
    if not math.isfinite(np.vdot(arr, arr)) and not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name} must be finite, but {name}[{bad[0]}, {bad[1]}] is {arr[bad]}")
    return arr


def check_layer_sizes(sizes):
    """Check a list of layer widths ``[n0, n1, ..., nL]`` and return it as ints.

    Raises
    ------
    ValueError
        If there are fewer than two sizes or a size is not a positive integer.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {sizes}")
    for l, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
            raise ValueError(f"layer size n{l} must be a positive integer, got {n!r}")
    return [int(n) for n in sizes]
