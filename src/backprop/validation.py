"""Argument checks for every public entry point, in one place.

One policy: an argument that is not what the function needs is refused before anything is
computed or written, with a ``TypeError`` (wrong kind or dtype) or a ``ValueError`` (wrong
shape, size, range or value) whose message names the argument, says what it got and what
it needs. Each array check returns the array converted to a floating dtype, so callers
write ``x = as_matrix("x", x)``.

What is accepted, for every array argument:

* a NumPy array, or anything ``np.asarray`` turns into a rectangular array of real numbers
  (nested lists, tuples, ``np.matrix``, read-only arrays). Ragged nesting, strings, objects,
  complex numbers, ``None`` and masked arrays are refused: a mask would be silently ignored;
* floating dtypes (float16, float32, float64, longdouble) as they are; bool and integer arrays
  converted to floats (float64, or the dtype the caller asks for);
* at least one entry: an empty array, such as a batch of 0 rows, is refused;
* only finite entries: NaN and infinity are refused, including values that become infinite
  when converted to a smaller dtype (1e6 into float16).

For every scalar argument: a real number (Python or NumPy, or a 0-d array), never a bool,
finite, within the range the function states.
"""

import math
import numbers

import numpy as np


def _where(name, index):
    return f"{name}[{', '.join(str(int(i)) for i in index)}]" if index else name


def as_array(name, value, *, ndim=None, dtype=None):
    """Check one array argument; return it as a floating ndarray.

    Parameters
    ----------
    name : str, how the argument is called in messages, e.g. ``"x"`` or ``"W2"``.
    value : array_like, the argument.
    ndim : int, optional, the number of dimensions it must have.
    dtype : floating dtype, optional
        Convert to this dtype. By default floating arrays keep their dtype and bool or
        integer arrays become float64.

    Returns
    -------
    ndarray of the value's shape, floating. A floating ndarray that needs no conversion is
    returned itself, not a copy.
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, whose mask would be ignored; "
                        f"pass {name}.filled(value) or {name}.compressed() instead")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # a ragged nesting such as [[1, 2], [3]]
        raise ValueError(f"{name} must be a rectangular array of numbers, got a ragged "
                         f"{type(value).__name__} ({error})") from None
    if array.dtype.kind not in "biuf":
        got = f"dtype {array.dtype}" if isinstance(value, np.ndarray) else \
            f"{type(value).__name__} (dtype {array.dtype})"
        raise TypeError(f"{name} must hold real numbers (bool, integer or floating), got {got}")
    if ndim is not None and array.ndim != ndim:
        hint = ""
        if ndim == 2 and array.ndim == 1:
            hint = f"; for one sample write {name}.reshape(1, -1), for one feature {name}.reshape(-1, 1)"
        shape = "(rows, columns)" if ndim == 2 else f"{ndim} dimensions"
        raise ValueError(f"{name} must be {ndim}-D {shape}, got shape {array.shape}{hint}")
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); it needs at least one entry"
                         + (", one row per sample" if ndim == 2 else ""))
    if array.dtype.kind == "f":
        check_finite(name, array)
    if dtype is not None:
        target = np.dtype(dtype)
    else:
        target = array.dtype if array.dtype.kind == "f" else np.dtype(np.float64)
    if array.dtype != target:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            converted = array.astype(target)
        if not np.isfinite(converted).all():
            index = tuple(np.argwhere(~np.isfinite(converted))[0])
            raise ValueError(f"{_where(name, index)} is {array[index]!r}, which {target} cannot hold "
                             f"(the largest {target} is {np.finfo(target).max})")
        array = converted
    return array


def check_finite(name, array):
    """Raise ValueError naming the first entry of ``array`` that is NaN or infinite."""
    if not np.isfinite(array).all():
        index = tuple(np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite, but {_where(name, index)} is {array[index]}")


def as_matrix(name, array, dtype=None):
    """Check that ``array`` is a non-empty, finite, real 2-D array; return it as floats.

    Parameters
    ----------
    name : str
        How the array is called in error messages, e.g. ``"x"`` or ``"W2"``.
    array : array_like of shape (rows, cols)
        Bool and integer input is accepted and converted; see the module's policy.
    dtype : numpy floating dtype, optional
        The dtype to convert to. By default floats keep their dtype and
        integers become float64.

    Returns
    -------
    ndarray of shape (rows, cols), floating.

    Raises
    ------
    TypeError
        If the array is not numeric (strings, objects, complex numbers) or is masked.
    ValueError
        If it is ragged, not 2-D, empty, or holds NaN or infinity.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'x', got {type(name).__name__}")
    if dtype is not None:
        dtype = as_float_dtype("dtype", dtype)
    return as_array(name, array, ndim=2, dtype=dtype)


def check_same_shape(name, array, other_name, other):
    """Raise ValueError unless two arrays have one shape (no broadcasting)."""
    if array.shape != other.shape:
        raise ValueError(f"{name} has shape {array.shape} but {other_name} has shape {other.shape}; "
                         f"they need the same shape (no broadcasting)")


def check_rows(name, array, rows, other_name):
    if array.shape[0] != rows:
        raise ValueError(f"{name} has {array.shape[0]} rows but {other_name} has {rows}: "
                         f"one row per sample")


def check_range(name, array, low, high, hint=""):
    """Raise ValueError naming the first entry of ``array`` outside [low, high]."""
    outside = (array < low) | (array > high)
    if outside.any():
        index = tuple(np.argwhere(outside)[0])
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}], but {_where(name, index)} "
                         f"is {array[index]}{hint}")


def as_real(name, value, *, low=None, low_open=False):
    """Check a scalar argument: a finite real number, at least ``low`` (above it if ``low_open``).

    Returns it as a Python float. Bools are refused: ``True`` as a learning rate is a slip.
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a single real number, got an array of shape "
                            f"{value.shape} and dtype {value.dtype}")
        ok = True
    if not ok:
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (number < low or (low_open and number == low)):
        raise ValueError(f"{name} must be {'greater than' if low_open else 'at least'} {low:g}, "
                         f"got {value!r}")
    return number


def as_count(name, value, low=0):
    """Check an integer argument (a count such as ``iterations``): an int, not a bool, at least ``low``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def as_bool(name, value):
    """Check a flag: a bool (Python or NumPy)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def as_float_dtype(name, dtype):
    """Check a dtype argument: a floating dtype (float16, float32, float64, longdouble)."""
    try:
        checked = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a floating dtype such as np.float64, got {dtype!r}") from None
    if checked.kind != "f":
        raise TypeError(f"{name} must be a floating dtype such as np.float64, got {checked}")
    return checked


def check_writeable(name, array):
    """Raise ValueError if ``array``, which is about to be updated in place, is read-only."""
    if not array.flags.writeable:
        raise ValueError(f"{name} is read-only, but it is updated in place; "
                         f"give the network a writable copy ({name}.copy())")


def check_callable(name, value):
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__} {value!r}")
    return value


def check_layer_sizes(sizes):
    """Check a list of layer widths ``[n0, n1, ..., nL]`` and return it as ints.

    Raises
    ------
    TypeError
        If ``sizes`` is not a list or tuple, or a size is not an integer (bools included).
    ValueError
        If there are fewer than two sizes or a size is not positive.
    """
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = list(sizes)
    if not isinstance(sizes, (list, tuple)):
        raise TypeError(f"sizes must be a list of layer widths such as [3, 4, 1], "
                        f"got {type(sizes).__name__} {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {list(sizes)}")
    for l, n in enumerate(sizes):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"layer size n{l} must be a positive integer, got {type(n).__name__} {n!r}")
        if n <= 0:
            raise ValueError(f"layer size n{l} must be a positive integer, got {n!r}")
    return [int(n) for n in sizes]
