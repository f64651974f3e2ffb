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

A network's own parameters are checked too, by every public method: the names, shapes and
dtype it was built with, every entry finite, no two of them sharing memory (tied weights would
lose one of two updates). They may be changed between calls (written in place, or replaced by
another array of the same shape), but not into anything the network could not be built with.

What a computation makes is checked as well. NumPy's floating-point error state plays no part:
in Pyodide, where the site's Run buttons run the package, ``np.errstate(over="raise")`` raises
nothing, so a check made through it would hold in CPython only. The public methods run with it
set to ignore (:func:`quiet`) and test finiteness themselves: what a network's method returns
or writes is finite, or it raises ``FloatingPointError`` naming where the first value beyond
the floating-point range arose (which layer's ``z`` or ``a``, the cost, which gradient or new
parameter).
"""

import contextlib
import math
import numbers

import numpy as np


def quiet(function):
    """Decorator: run ``function`` with NumPy's floating-point errors ignored, whatever the
    caller's settings (which are restored afterwards): the package never relies on them.

    A new errstate for every function: NumPy 1.x keeps the caller's settings on the errstate
    object, so one object shared by two functions that call each other loses them.
    """
    return np.errstate(all="ignore")(function)


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


def all_finite(array):
    """Whether every entry of ``array`` is finite.

    The sum of the squares is finite exactly when every entry is, unless it overflows; only then
    are the entries tested one by one. One NumPy call instead of two in the usual case: this runs
    after every step of ``Network.train``.
    """
    return math.isfinite(np.vdot(array, array)) or bool(np.isfinite(array).all())


def first_non_finite(array):
    """The index (a tuple) of the first entry of ``array`` that is NaN or infinite, or None."""
    if all_finite(array):
        return None
    return tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])


def check_finite(name, array):
    """Raise ValueError naming the first entry of ``array`` that is NaN or infinite."""
    index = first_non_finite(array)
    if index is not None:
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


def as_component(argument, spec, known, kind, needs, example):
    """An activation or cost argument: a name in ``known`` (a fresh instance), or an object.

    Parameters
    ----------
    argument : str, how the argument is called in messages, e.g. ``"activations[1]"``.
    spec : a name, or your own object, returned as it is if it has every method in ``needs``
        (``"__call__"`` for an object that is called itself).
    known : dict of names to classes; kind : ``"activation"`` or ``"cost"``;
    example : a known name for the messages.

    Raises ValueError for an unknown name (listing the known ones), TypeError for anything else.
    A class is refused with a message saying to pass an instance: it has the methods, but as
    functions of an instance, and would fail later with an unrelated message.
    """
    if isinstance(spec, str):
        if spec not in known:
            raise ValueError(f"{argument}: unknown {kind} {spec!r}; known: {', '.join(sorted(known))}")
        return known[spec]()
    if isinstance(spec, type):
        raise TypeError(f"{argument} is the class {spec.__name__}; pass an instance: {spec.__name__}()")
    if all(callable(getattr(spec, method, None)) for method in needs):
        return spec
    methods = "a callable with a gradient method" if "__call__" in needs else \
        f"an object with {'/'.join(needs)} methods"
    raise TypeError(f"{argument} must be a name such as {example!r} or {methods}, "
                    f"got {type(spec).__name__} {spec!r}")


def per_layer(argument, value, L):
    """``value`` for each of the L layers, with how each is called in messages: a list or tuple
    gives one entry per layer, anything else is used for every layer."""
    if isinstance(value, (list, tuple)):
        if len(value) != L:
            raise ValueError(f"{argument} has {len(value)} entries but the network has {L} layers")
        return [(f"{argument}[{i}]", v) for i, v in enumerate(value)]
    return [(argument, value)] * L


# ---- a network: its parameters, its inputs, what it computes --------------------------------

def check_params(params):
    """The ``params`` of ``Network(params)``, checked; returned as a new dict W1, b1, W2, ... of
    floating arrays (the caller's floating arrays themselves, not copies)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict such as {{'W1': ..., 'W2': ...}}, got {type(params).__name__}")
    L = 0
    while f"W{L + 1}" in params:
        L += 1
    if L == 0:
        raise ValueError("params has no 'W1': name weights W1, W2, ... and biases b1, b2, ...")
    allowed = {f"W{l}" for l in range(1, L + 1)} | {f"b{l}" for l in range(1, L + 1)}
    unknown = sorted(repr(name) for name in params if name not in allowed)
    if unknown:
        raise ValueError(f"unexpected parameter names [{', '.join(unknown)}] in params; "
                         f"expected W1..W{L} and b1..b{L}")
    W1 = params["W1"]
    dtype = W1.dtype if isinstance(W1, np.ndarray) and W1.dtype.kind == "f" else np.dtype(np.float64)
    checked = {}
    for l in range(1, L + 1):
        for name in (f"W{l}", f"b{l}"):
            if name not in params:
                continue
            value = params[name]
            if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.dtype != dtype:
                raise TypeError(f"{name} has dtype {value.dtype} but W1 has {dtype}; use one dtype")
            checked[name] = as_array(name, value, ndim=2 if name[0] == "W" else None, dtype=dtype)
        W = checked[f"W{l}"]
        if l > 1 and W.shape[0] != checked[f"W{l - 1}"].shape[1]:
            prev = checked[f"W{l - 1}"].shape
            raise ValueError(
                f"layer {l}: W{l} has shape {W.shape} but W{l - 1} has shape {prev}: "
                f"W{l} needs {prev[1]} rows"
            )
        if f"b{l}" in checked and checked[f"b{l}"].shape != (1, W.shape[1]):
            raise ValueError(
                f"layer {l}: b{l} has shape {checked[f'b{l}'].shape} but needs (1, {W.shape[1]}) "
                f"to match W{l} {W.shape}; a row vector, e.g. np.zeros((1, {W.shape[1]}))"
            )
    ordered = {name: checked[name] for name in sorted(checked, key=lambda n: (int(n[1:]), n[0] == "b"))}
    check_own_arrays(ordered)
    return ordered


def check_own_arrays(params):
    """Raise ValueError if two parameters share memory: one array bound to two names, or a view
    of another (tied weights). Each update would be computed from the other's old value, and one
    of the two lost."""
    names = list(params)
    for i, name in enumerate(names):
        for other in names[:i]:
            if np.shares_memory(params[name], params[other]):
                raise ValueError(f"{name} shares memory with {other} (one array bound to two names, "
                                 f"or a view of it): each parameter needs its own array, e.g. "
                                 f"{name}.copy(); tied weights are not supported")


def check_network(net, writing=False):
    """The network's own parameters, as a public method finds them: the names, shapes and dtype
    it was built with, every entry finite, no two sharing memory; writable too if ``writing``
    (before ``step`` and ``train``, which update them in place)."""
    params = net.params
    built = net._built
    if not isinstance(params, dict) or params.keys() != built.keys():
        got = ", ".join(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"net.params has {got}, but the network was built with {', '.join(built)}; "
                         f"build a new Network for other parameters")
    for name, (shape, dtype) in built.items():
        W = params[name]
        if not isinstance(W, np.ndarray):
            raise TypeError(f"{name} must be a NumPy array, got {type(W).__name__}: net.params[{name!r}] "
                            f"was replaced after the network was built")
        if W.dtype != dtype:
            raise TypeError(f"{name} has dtype {W.dtype}, but the network was built with {dtype}")
        if W.shape != shape:
            raise ValueError(f"{name} has shape {W.shape}, but the network was built with {name} of "
                             f"shape {shape}; build a new Network for other shapes")
        index = first_non_finite(W)
        if index is not None:
            raise ValueError(f"{_where(name, index)} is {W[index]}, but the parameters must be finite: "
                             f"it was written into net.params after the network was built")
        if writing:
            check_writeable(name, W)
    check_own_arrays(params)


def check_x(net, x):
    """Inputs ``x`` (N, n0) for ``net``, as its dtype."""
    x = as_matrix("x", x, dtype=net.dtype)
    n0 = net.params["W1"].shape[0]
    if x.shape[1] != n0:
        raise ValueError(f"x has shape {x.shape} but W1 has shape {net.params['W1'].shape}: "
                         f"x needs {n0} columns, one per input")
    return x


def check_y(net, y, N):
    """Targets ``y`` (N, nL) for ``net``, as its dtype, in its cost's range."""
    y = as_matrix("y", y, dtype=net.dtype)
    nL = net.params[f"W{net.L}"].shape[1]
    check_rows("y", y, N, "x")
    if y.shape[1] != nL:
        raise ValueError(f"y has shape {y.shape} but the output layer W{net.L} has {nL} units: "
                         f"y needs shape ({N}, {nL})")
    y_range = getattr(net.cost, "y_range", None)  # the cross-entropies': targets in [0, 1]
    if y_range is not None:
        check_range("y", y, *y_range, f"; {net.cost.name} needs targets in this range")
    return y


def check_cache(net, cache):
    """The cache handed to ``backward``: its ``a0`` .. ``aL``, checked, as a new dict."""
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict forward returned, got {type(cache).__name__}")
    checked = {}
    for l, n in enumerate(net.sizes):
        name = f"a{l}"
        if name not in cache:
            raise ValueError(f"cache has no {name!r}: pass the dict forward(x) returned")
        a = as_matrix(f"cache[{name!r}]", cache[name], dtype=net.dtype)
        N = checked["a0"].shape[0] if l else a.shape[0]
        if a.shape != (N, n):
            raise ValueError(f"cache[{name!r}] has shape {a.shape} but this network's layer {l} "
                             f"gives ({N}, {n}) for a batch of {N}")
        if l and hasattr(net.activations[l - 1], "check_output"):
            net.activations[l - 1].check_output(f"cache[{name!r}]", a)
        checked[name] = a
    return checked


def check_learning_rate(lr):
    """A learning rate: a finite real number >= 0 (see ``Network.step``)."""
    lr = as_real("lr", lr)
    if lr < 0:
        raise ValueError(f"lr must be >= 0, got {lr!r}: a negative rate climbs the cost "
                         f"(if your update adds, negate the gradient, not the rate)")
    return lr


def _beyond(net):
    return f"beyond the range of {net.dtype} (largest {float(np.finfo(net.dtype).max):.3g})"


def check_forward(net, cache):
    """Raise FloatingPointError if a ``z`` or ``a`` of the forward pass is not finite, naming the
    first layer where one is; return the cache."""
    for l, names in enumerate(net.layers, start=1):
        for name in (names.z, names.a):
            index = first_non_finite(cache[name])
            if index is None:
                continue
            value = cache[name][index]
            if name == names.z:
                raise FloatingPointError(
                    f"the forward pass overflowed in layer {l}: {_where(name, index)} is {value}, "
                    f"{_beyond(net)}; the weights or the inputs are too large")
            raise FloatingPointError(
                f"layer {l}'s activation {net.activations[l - 1]!r} gave {_where(name, index)} = "
                f"{value} for a finite {names.z}")
    return cache


def check_prediction(net, cache):
    """The output ``aL`` of a forward pass, or FloatingPointError naming the first layer where
    the pass went beyond the floating-point range."""
    aL = cache[f"a{net.L}"]
    if not all_finite(aL):
        check_forward(net, cache)
    return aL


def check_cost(net, cost, x):
    """Raise FloatingPointError if the cost is not finite, naming where it went wrong (the
    forward pass, found again from ``x``, or the cost of a finite output); return the cost."""
    if not math.isfinite(cost):
        check_forward(net, net._forward(x))
        raise FloatingPointError(f"the cost is {cost}: the output a{net.L} and y are finite, but "
                                 f"the cost is {_beyond(net)}")
    return cost


def check_backward(net, grads, cache=None):
    """Raise FloatingPointError if a gradient is not finite, naming the layer (from L down, the
    order of the backward pass), or the forward pass's if ``cache`` (from ``forward``) shows it
    went wrong first; return the gradients."""
    if cache is not None and not all(all_finite(g) for g in grads.values()):
        check_forward(net, cache)
    for l in range(net.L, 0, -1):
        for name in (f"delta{l}", f"dW{l}", f"db{l}"):
            index = first_non_finite(grads[name]) if name in grads else None
            if index is not None:
                raise FloatingPointError(
                    f"the backward pass overflowed in layer {l}: {_where(name, index)} is "
                    f"{grads[name][index]}, {_beyond(net)}")
    return grads


def check_step(net, cost, new, x, y, lr, iteration=None):
    """Raise FloatingPointError unless the cost and every new parameter value of one step are
    finite, naming where the first value beyond the range arose; with ``iteration``, say that
    training diverged there.

    Runs after every step of ``train``, so the usual case is one test per parameter; the
    forward and backward passes are only run again to name the place of a failure. A cost that
    is not finite at iteration 0 is not divergence (no step has been taken): the network or the
    data is beyond the range from the start, and the message says so without "diverged".
    """
    bad = None if math.isfinite(cost) else "cost"
    bad = bad or next((name for name, W in new.items() if not all_finite(W)), None)
    if bad is None:
        return
    try:
        check_cost(net, cost, x)
        cache = net._forward(x)
        check_backward(net, net._backward(cache, y), cache)
        index = first_non_finite(new[bad])
        raise FloatingPointError(f"the update overflowed: {bad} - lr * d{bad} is {new[bad][index]} at "
                                 f"{_where(bad, index)}, {_beyond(net)} (lr={lr:g})")
    except FloatingPointError as error:
        if iteration is None or (iteration == 0 and bad == "cost"):
            raise
        raise FloatingPointError(
            f"training diverged at iteration {iteration} ({error}): a value of the step grew past "
            f"the floating-point range; try a smaller learning rate than lr={lr}. The parameters "
            f"are as they were before train.") from None


@contextlib.contextmanager
def restored_on_raise(net):
    """Put every parameter of ``net`` back as it was, values and arrays, if the block raises
    anything at all: a bad argument, divergence, a callback's error, Ctrl-C (KeyboardInterrupt)."""
    saved = {name: (W, W.copy()) for name, W in net.params.items()}
    try:
        yield
    except BaseException:
        for name, (W, values) in saved.items():
            W[...] = values
            net.params[name] = W
        raise
