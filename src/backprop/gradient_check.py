"""Gradients by central differences, and a checker for your own NumPy network.

:func:`numerical_gradient` returns the central-difference gradient of any
scalar function of named arrays; :func:`check_gradients` compares it with your
analytic gradients and reports, parameter by parameter, where they disagree.

Point :func:`check_gradients` at three things from your code:

* a cost function: ``cost()`` with no arguments that reads your parameter
  arrays, or ``cost(params)``; it returns one number, the cost on your batch;
* your parameters: a dict ``{"W1": W1, "W2": W2}`` (or a list ``[W1, W2]``)
  of float64 arrays, the very arrays ``cost`` reads;
* your analytic gradients: a dict (keys ``"W1"`` or ``"dW1"``) or a list in
  the same order, or a function returning one.

Each parameter entry is nudged by ``+eps`` and ``-eps`` in place, the cost is
evaluated, and the entry is restored, also when the cost raises. The result
prints as a table::

    print(check_gradients(cost, {"W1": W1, "W2": W2}, {"W1": dW1, "W2": dW2}))
"""

import inspect
from dataclasses import dataclass, field

import numpy as np

from .validation import as_real, check_own_arrays


def numerical_gradient(f, arrays, eps=1e-6):
    """Central-difference gradient of a scalar function with respect to named arrays.

    Each entry is nudged by ``+eps`` and ``-eps`` in place, ``f()`` is called,
    and the entry is restored: ``(f(+) - f(-)) / (2 eps)``. The arrays are restored also
    when ``f`` raises.

    Parameters
    ----------
    f : callable of no arguments (or of ``arrays``) returning one finite real number
        Reads the arrays, e.g. ``lambda: net.cost_value(x, y)``.
    arrays : dict of str to ndarray (any shapes), or a list of ndarrays
        The arrays to differentiate with respect to, e.g. ``net.params``. The same as
        :func:`check_gradients` accepts: NumPy float64 arrays (integer arrays cannot be
        nudged by a small eps, float32 keeps too few digits), writable, non-empty, finite,
        no two sharing memory (nudging one would nudge both).
    eps : float > 0, the step; it must change every entry (``W + eps != W``).

    Returns
    -------
    dict of str to ndarray, each of the shape of the matching array, named
    ``"d" + name`` (``"W1"`` gives ``"dW1"``; a list's entries are ``"dparams[0]"``, ...).
    """
    names, arrays_ = _named_params(arrays, "arrays")
    eps = _check_eps(eps, names, arrays_)
    evaluate = _caller(f, arrays, "f")
    _cost_value(evaluate, "at your arrays", "f")
    grads = {}
    for name, array in zip(names, arrays_):
        grads["d" + name] = _central_differences(evaluate, name, array, eps, "f")
    return grads


def _central_differences(evaluate, name, array, eps, what):
    """``(f(+eps) - f(-eps)) / (2 eps)`` for every entry of ``array``, restored afterwards."""
    grad = np.zeros(array.shape, dtype=np.float64)
    for index in np.ndindex(array.shape):
        original = array[index]
        where = f"with {name}{list(index)} nudged by eps={eps:g}"
        try:
            array[index] = original + eps
            c_plus = _cost_value(evaluate, where, what)
            array[index] = original - eps
            c_minus = _cost_value(evaluate, where, what)
        finally:
            array[index] = original  # restored even when f raises
        grad[index] = (c_plus - c_minus) / (2 * eps)
    return grad


@dataclass
class ParameterCheck:
    """The comparison for one parameter array.

    Attributes
    ----------
    name : str
    analytic : ndarray, your gradient, of the parameter's shape
    numerical : ndarray, the central-difference gradient, of the parameter's shape
    mismatch : bool ndarray of the parameter's shape, True where the two disagree
        (``|analytic - numerical| > atol + rtol * |numerical|``)
    """

    name: str
    analytic: np.ndarray
    numerical: np.ndarray
    mismatch: np.ndarray

    @property
    def shape(self):
        return self.analytic.shape

    @property
    def abs_error(self):
        """``|analytic - numerical|``, of the parameter's shape."""
        return np.abs(self.analytic - self.numerical)

    @property
    def rel_error(self):
        """``|analytic - numerical| / max(|analytic|, |numerical|)``, 0 where both are 0."""
        scale = np.maximum(np.abs(self.analytic), np.abs(self.numerical))
        return np.divide(self.abs_error, scale, out=np.zeros(self.shape), where=scale > 0)

    @property
    def max_abs_error(self):
        return float(self.abs_error.max()) if self.abs_error.size else 0.0

    @property
    def max_rel_error(self):
        return float(self.rel_error.max()) if self.rel_error.size else 0.0

    @property
    def bad_entries(self):
        """Indices (tuples) of the entries that disagree, in C order."""
        return [tuple(int(i) for i in index) for index in np.argwhere(self.mismatch)]

    @property
    def ok(self):
        return not self.mismatch.any()


@dataclass
class GradientCheckResult:
    """What :func:`check_gradients` found: one :class:`ParameterCheck` per parameter.

    ``result.ok`` is True when every entry of every parameter agrees;
    ``result["W2"]`` is the row for ``W2``; ``print(result)`` shows the table.
    """

    rows: list
    eps: float
    rtol: float
    atol: float
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return all(row.ok for row in self.rows)

    @property
    def failed(self):
        """Names of the parameters with at least one disagreeing entry."""
        return [row.name for row in self.rows if not row.ok]

    def __getitem__(self, name):
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no parameter {name!r}; checked: {', '.join(r.name for r in self.rows)}")

    def __bool__(self):
        return self.ok

    def __str__(self, max_entries=4):
        header = ["parameter", "shape", "max abs error", "max rel error", "disagree", "ok"]
        table = [header]
        for row in self.rows:
            table.append([
                row.name, str(row.shape), f"{row.max_abs_error:.2e}", f"{row.max_rel_error:.2e}",
                f"{row.mismatch.sum()}/{row.mismatch.size}", "yes" if row.ok else "NO",
            ])
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in table]
        for row in self.rows:
            bad = row.bad_entries
            if not bad:
                continue
            lines.append(f"{row.name}: entries that disagree (yours vs finite differences):")
            for index in bad[:max_entries]:
                lines.append(f"  {row.name}{list(index)}: {row.analytic[index]: .6g} vs {row.numerical[index]: .6g}")
            if len(bad) > max_entries:
                lines.append(f"  ... and {len(bad) - max_entries} more")
        lines.extend(self.notes)
        verdict = "all gradients agree" if self.ok else f"MISMATCH in {', '.join(self.failed)}"
        lines.append(f"{verdict} (eps={self.eps:g}, rtol={self.rtol:g}, atol={self.atol:g})")
        return "\n".join(lines)

    def __repr__(self):
        return f"GradientCheckResult(ok={self.ok}, failed={self.failed})"


def check_gradients(cost, params, grads, eps=1e-6, rtol=1e-5, atol=None):
    """Compare your analytic gradients with central differences of your cost.

    Parameters
    ----------
    cost : callable
        ``cost()`` or ``cost(params)``, returning the cost as one real number
        (a Python float, a 0-d array, or an array with a single entry). It must
        read the arrays in ``params`` themselves, not copies, because they are
        nudged in place.
    params : dict of str to ndarray, or list of ndarray
        Your parameters, each a float64 array of any shape. A list is named
        ``"params[0]"``, ``"params[1]"``, ...
    grads : dict, list, or callable returning one of them
        Your gradient of the cost for every parameter, each of the parameter's
        shape; dict keys are the parameter names, with or without a leading
        ``"d"`` (``"W1"`` or ``"dW1"``). A callable is called like ``cost``,
        once, at the unnudged parameters.
    eps : float, the nudge
    rtol, atol : float
        An entry disagrees when ``|analytic - numerical| > atol + rtol * |numerical|``.
        In float64 with ``eps=1e-6`` a correct gradient agrees to about 1e-9.
        By default ``atol`` is ``max(1e-8, 1e-15 * |C| / eps)``: rounding the cost
        ``C`` to float64 makes each difference quotient uncertain by about
        ``1e-16 * |C| / eps``, which matters for entries whose gradient is near 0.

    Returns
    -------
    GradientCheckResult
        ``.ok``, ``.failed``, ``result["W1"]`` (a :class:`ParameterCheck`), and a
        readable table with ``print(result)``.

    Raises
    ------
    TypeError
        A parameter is not a NumPy float64 array (integer arrays cannot be
        nudged by 1e-6; float32 keeps too few digits), or the cost is not a number.
    ValueError
        A parameter, gradient or the cost is not finite; the cost returns more
        than one number; a gradient is missing, unexpected, or of another shape
        than its parameter (the message names it).
    """
    names, arrays = _named_params(params, "params")
    eps = _check_eps(eps, names, arrays)
    rtol = as_real("rtol", rtol, low=0)
    if atol is not None:
        atol = as_real("atol", atol, low=0)
    evaluate = _caller(cost, params, "cost")
    given = _caller(grads, params, "grads")() if callable(grads) else grads
    analytic = _named_grads(given, names, arrays)
    base = _cost_value(evaluate, "at your parameters", "cost")
    if atol is None:
        atol = max(1e-8, 1e-15 * abs(base) / eps)

    rows = []
    for name, array in zip(names, arrays):
        numerical = _central_differences(evaluate, name, array, eps, "cost")
        mismatch = np.abs(analytic[name] - numerical) > atol + rtol * np.abs(numerical)
        rows.append(ParameterCheck(name, analytic[name], numerical, mismatch))

    notes = []
    if all(not row.numerical.any() for row in rows) and any(row.analytic.any() for row in rows):
        notes.append(
            f"note: the cost ({base:.6g}) did not change when any parameter was nudged; "
            "does cost() read these very arrays (not copies made before the call)?"
        )
    return GradientCheckResult(rows, eps=eps, rtol=rtol, atol=atol, notes=notes)


def _named_params(params, argument):
    """The names and arrays to nudge, checked: the one policy of numerical_gradient and check_gradients."""
    if isinstance(params, dict):
        items = list(params.items())
    elif isinstance(params, (list, tuple)):
        items = [(f"{argument}[{i}]", p) for i, p in enumerate(params)]
    else:
        raise TypeError(
            f"{argument} must be a dict {{'W1': W1, ...}} or a list [W1, ...] of arrays, "
            f"got {type(params).__name__}"
        )
    if not items:
        raise ValueError(f"{argument} is empty: pass the arrays your cost depends on")
    for name, p in items:
        if not isinstance(name, str):
            raise TypeError(f"{argument} must have str keys such as 'W1', got {name!r}")
        if not isinstance(p, np.ndarray) or isinstance(p, (np.matrix, np.ma.MaskedArray)):
            raise TypeError(
                f"{name} must be a NumPy array that the cost reads (it is nudged in place), "
                f"got {type(p).__name__}"
            )
        if p.dtype != np.float64:
            hint = "integer entries cannot be nudged by a small eps" if p.dtype.kind != "f" \
                else "central differences need float64's digits"
            raise TypeError(
                f"{name} has dtype {p.dtype}, but a gradient check needs float64 ({hint}); "
                f"convert it before building your network, e.g. {name} = {name}.astype(np.float64)"
            )
        if not p.flags.writeable:
            raise ValueError(f"{name} is read-only; it must be writable to be nudged in place")
        if p.size == 0:
            raise ValueError(f"{name} is empty (shape {p.shape}): there is nothing to nudge")
        if not np.all(np.isfinite(p)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(p))[0])
            raise ValueError(f"{name} is not finite: {name}{list(bad)} is {p[bad]}")
    # Nudging one of two arrays that share memory nudges both: the check would differentiate
    # with respect to the two at once.
    check_own_arrays(dict(items))
    return [n for n, _ in items], [p for _, p in items]


def _check_eps(eps, names, arrays):
    """``eps``: a finite float > 0 that changes every entry it nudges."""
    eps = as_real("eps", eps, low=0, low_open=True)
    for name, p in zip(names, arrays):
        lost = (p + eps == p) | (p - eps == p)
        if lost.any():
            index = tuple(int(i) for i in np.argwhere(lost)[0])
            raise ValueError(f"eps={eps:g} is too small to change {name}{list(index)} = {p[index]!r} "
                             f"in float64; use a larger eps")
    return eps


def _caller(function, params, argument):
    """``function`` as a call of no arguments: ``f()`` or ``f(params)``."""
    if not callable(function):
        raise TypeError(f"{argument} must be a function, got {type(function).__name__}")
    try:
        required = [
            p for p in inspect.signature(function).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):  # some builtins have no signature
        required = []
    if len(required) == 0:
        return function
    if len(required) == 1:
        return lambda: function(params)
    raise TypeError(
        f"{argument} ({getattr(function, '__name__', 'a function')}) takes {len(required)} arguments; "
        "give a function of no arguments (e.g. lambda: cost(x, y)) or of params"
    )


def _cost_value(evaluate, where, argument):
    """What ``evaluate()`` returns, checked: one finite real number, as a float."""
    value = evaluate()
    if not isinstance(value, (int, float, np.number, np.ndarray)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{argument} must return a number, got {type(value).__name__} {where}")
    array = np.asarray(value)
    if array.size != 1:
        raise ValueError(
            f"{argument} must return one number, got an array of shape {array.shape} {where}; "
            "sum it (np.sum) to get the cost of the batch"
        )
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{argument} must return a real number, got dtype {array.dtype} {where}")
    value = float(array.reshape(()))
    if not np.isfinite(value):
        what = "the cost" if argument == "cost" else f"{argument}()"
        raise ValueError(f"{what} is {value} {where}; central differences need a finite value")
    return value


def _named_grads(given, names, arrays):
    if isinstance(given, dict):
        for key in given:
            if not isinstance(key, str):
                raise TypeError(f"grads must have str keys such as 'W1' or 'dW1', got {key!r}")
        grads = {}
        for key, g in given.items():
            name = key if key in names else key[1:] if key.startswith("d") and key[1:] in names else None
            if name is None:
                continue
            if name in grads:
                raise ValueError(f"two gradients given for {name}: use either {name!r} or 'd{name}'")
            grads[name] = g
        unexpected = [k for k in given if k not in names and not (k.startswith("d") and k[1:] in names)]
        # Extra entries such as "delta1" from Network.backward are fine; only report names that
        # look like a parameter's gradient but match none.
        unexpected = [k for k in unexpected if not k.startswith("delta")]
        if unexpected:
            raise ValueError(f"gradients given for unknown parameters {unexpected}; parameters are {names}")
    elif isinstance(given, (list, tuple)):
        if len(given) != len(names):
            raise ValueError(f"{len(given)} gradients given for {len(names)} parameters {names}")
        grads = dict(zip(names, given))
    else:
        raise TypeError(f"grads must be a dict, a list, or a function returning one, got {type(given).__name__}")
    missing = [n for n in names if n not in grads]
    if missing:
        raise ValueError(f"no gradient given for {missing}")
    checked = {}
    for name, array in zip(names, arrays):
        g = np.asarray(grads[name])
        if not np.issubdtype(g.dtype, np.number) or np.iscomplexobj(g):
            raise TypeError(f"the gradient for {name} must hold real numbers, got dtype {g.dtype}")
        if g.shape != array.shape:
            raise ValueError(
                f"the gradient for {name} has shape {g.shape} but {name} has shape {array.shape}; "
                "a gradient has its parameter's shape"
            )
        if not np.all(np.isfinite(g)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(g))[0])
            raise ValueError(f"the gradient for {name} is not finite: at {list(bad)} it is {g[bad]}")
        checked[name] = g.astype(np.float64)
    return checked
