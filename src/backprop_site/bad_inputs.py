"""Bad and edge inputs for every public entry point of ``backprop``, and what each one gets.

One list of cases, used twice: ``tests/package/test_bad_inputs.py`` runs every case (the right
exception, a message naming the argument, every parameter byte-identical afterwards), and
the Testing page prints :func:`table` from the same list. ``ACCEPTED`` holds the edge
inputs that are accepted on purpose; the tests run those too.

A case is built from a *slot* (an entry point and one of its arguments, with a valid value)
and an *input class* (a way to spoil the valid value), or written out for a scalar argument.

It imports the package and NumPy only: the package tests run it beside the installed wheel alone
(scripts/wheel_check.py) and in Pyodide, and the Testing page's block in the reader's browser.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

import backprop as bp


class World:
    """Fresh objects for one call: a 3-4-2 network, a batch of 5, its forward cache, and an
    array ``W`` (3, 2) with a cost ``cost()`` that reads it, for the gradient checkers."""

    def __init__(self, dtype=np.float64):
        rng = np.random.default_rng(0)
        self.net = bp.Network.from_sizes([3, 4, 2], rng, dtype=dtype)
        self.x = rng.standard_normal((5, 3))
        self.y = rng.random((5, 2))
        self.cache = self.net.forward(self.x)
        self.W = rng.standard_normal((3, 2))
        self.arrays = {"W": self.W}
        self.cost = lambda: float(np.sum(np.sin(self.W)))
        self.grads = {"W": np.cos(self.W)}

    def snapshot(self):
        """The bytes of every array a call could change."""
        arrays = {**self.net.params, "W": self.W, "x": self.x, "y": self.y}
        return {name: (a.shape, a.dtype, a.tobytes()) for name, a in arrays.items()}


@dataclass(frozen=True)
class Slot:
    """One array argument of one entry point."""

    entry: str                      # e.g. "Network.step"
    argument: str                   # the name its error message must contain
    call: Callable                  # call(world, value) calls the entry point with value
    good: Callable                  # good(world): a valid value
    ndim: bool = True               # must be 2-D (False: any shape)
    width: bool = False             # its number of columns is fixed by the other arguments
    rows: bool = False              # its number of rows is fixed by the other arguments
    outside: float = None           # a value outside the range it must lie in, if it has one
    dtype: object = np.float64      # the network's dtype in the world


def _activation_slots(cls):
    name = cls.__name__
    low, high = cls.output_range or (None, None)
    outside = None if low is None else (high + 1 if np.isfinite(high) else low - 1)
    return [
        Slot(f"{name}().forward", "z", lambda w, v: cls().forward(v), lambda w: w.x),
        Slot(f"{name}().backward", "a", lambda w, v: cls().backward(v, w.cache["a1"]),
             lambda w: w.cache["a1"], outside=outside),
        Slot(f"{name}().backward", "dC_da", lambda w, v: cls().backward(w.cache["a1"], v),
             lambda w: w.cache["a1"], width=True, rows=True),
    ]


def _cost_slots(cls, method):
    name = f"{cls.__name__}(){'' if method == '__call__' else '.' + method}"
    call = (lambda obj, a, y: obj(a, y)) if method == "__call__" else \
        (lambda obj, a, y: getattr(obj, method)(a, y))
    outside = None if cls.a_range is None else 2.0
    return [
        Slot(name, "a", lambda w, v: call(cls(), v, w.y), lambda w: w.cache["a2"], outside=outside),
        Slot(name, "y", lambda w, v: call(cls(), w.cache["a2"], v), lambda w: w.y,
             width=True, rows=True, outside=None if cls.y_range is None else -1.0),
    ]


def _params_with(name):
    return lambda w, v: bp.Network({**w.net.params, name: v})


ARRAY_SLOTS = [
    Slot("Network.forward", "x", lambda w, v: w.net.forward(v), lambda w: w.x, width=True),
    Slot("Network.predict", "x", lambda w, v: w.net.predict(v), lambda w: w.x, width=True),
    Slot("Network.gradients", "x", lambda w, v: w.net.gradients(v, w.y), lambda w: w.x, width=True),
    Slot("Network.gradients", "y", lambda w, v: w.net.gradients(w.x, v), lambda w: w.y,
         width=True, rows=True),
    Slot("Network.cost_value", "x", lambda w, v: w.net.cost_value(v, w.y), lambda w: w.x, width=True),
    Slot("Network.cost_value", "y", lambda w, v: w.net.cost_value(w.x, v), lambda w: w.y,
         width=True, rows=True),
    Slot("Network.step", "x", lambda w, v: w.net.step(v, w.y, 0.1), lambda w: w.x, width=True),
    Slot("Network.step", "y", lambda w, v: w.net.step(w.x, v, 0.1), lambda w: w.y,
         width=True, rows=True),
    Slot("Network.train", "x", lambda w, v: w.net.train(v, w.y, 0.1, 3), lambda w: w.x, width=True),
    Slot("Network.train", "y", lambda w, v: w.net.train(w.x, v, 0.1, 3), lambda w: w.y,
         width=True, rows=True),
    Slot("Network.backward", "y", lambda w, v: w.net.backward(w.cache, v), lambda w: w.y,
         width=True, rows=True),
    Slot("Network.backward", "cache['a1']", lambda w, v: w.net.backward({**w.cache, "a1": v}, w.y),
         lambda w: w.cache["a1"], width=True, rows=True, outside=2.0),
    Slot("Network(params)", "W2", _params_with("W2"), lambda w: w.net.params["W2"],
         width=True, rows=True),
    Slot("Network(params)", "b1", _params_with("b1"), lambda w: w.net.params["b1"],
         width=True, rows=True),
    Slot("dense_forward", "a_prev", lambda w, v: bp.dense_forward(v, w.net.params["W1"], None, "tanh"),
         lambda w: w.x, width=True),
    Slot("dense_forward", "W", lambda w, v: bp.dense_forward(w.x, v, None, "tanh"),
         lambda w: w.net.params["W1"], rows=True),
    Slot("dense_forward", "b", lambda w, v: bp.dense_forward(w.x, w.net.params["W1"], v, "tanh"),
         lambda w: w.net.params["b1"], width=True, rows=True),
    Slot("dense_backward", "dC_da",
         lambda w, v: bp.dense_backward(v, w.x, w.cache["a1"], w.net.params["W1"], "sigmoid"),
         lambda w: w.cache["a1"], width=True, rows=True),
    Slot("dense_backward", "a_prev",
         lambda w, v: bp.dense_backward(w.cache["a1"], v, w.cache["a1"], w.net.params["W1"], "sigmoid"),
         lambda w: w.x, width=True),
    Slot("dense_backward", "a",
         lambda w, v: bp.dense_backward(w.cache["a1"], w.x, v, w.net.params["W1"], "sigmoid"),
         lambda w: w.cache["a1"], width=True, rows=True, outside=2.0),
    Slot("sigmoid", "z", lambda w, v: bp.sigmoid(v), lambda w: w.x, ndim=False),
    Slot("sigmoid_derivative", "a", lambda w, v: bp.sigmoid_derivative(v), lambda w: w.cache["a1"],
         ndim=False, outside=2.0),
    Slot("sigmoid_derivative_from_z", "z", lambda w, v: bp.sigmoid_derivative_from_z(v),
         lambda w: w.x, ndim=False),
    Slot("diagnose", "x", lambda w, v: bp.diagnose(w.net, v, w.y, {"dW1": w.net.params["W1"]}),
         lambda w: w.x, width=True),
    Slot("diagnose", "y", lambda w, v: bp.diagnose(w.net, w.x, v, {"dW1": w.net.params["W1"]}),
         lambda w: w.y, width=True, rows=True),
    Slot("Network.forward", "x", lambda w, v: w.net.forward(v), lambda w: w.x, width=True,
         dtype=np.float16),
    Slot("Network.step", "y", lambda w, v: w.net.step(w.x, v, 0.1), lambda w: w.y, width=True,
         rows=True, dtype=np.float16),
]
for _cls in (bp.Sigmoid, bp.Tanh, bp.ReLU, bp.Identity, bp.Softmax):
    ARRAY_SLOTS += _activation_slots(_cls)
for _cls in (bp.HalfSquaredError, bp.BinaryCrossEntropy, bp.CategoricalCrossEntropy):
    for _method in ("__call__", "gradient"):
        ARRAY_SLOTS += _cost_slots(_cls, _method)


def _with_entry(good, value, index=0):
    bad = np.array(good, dtype=np.float64)
    bad.flat[index % bad.size] = value
    return bad


def _matrix(array):
    """An np.matrix without its PendingDeprecationWarning (a view, not a construction)."""
    return np.asarray(array).view(np.matrix)


def _masked(good):
    return np.ma.masked_array(good, mask=np.zeros(np.shape(good), dtype=bool))


@dataclass(frozen=True)
class Spoil:
    """An input class for arrays: ``make(good, k)`` spoils a valid value (``k``, any int >= 0,
    varies where or by how much, so the property tests can search)."""

    input: str
    error: type
    make: Callable
    applies: Callable = lambda slot: True


SPOILS = [
    Spoil("array: a NaN entry", ValueError, lambda g, k: _with_entry(g, np.nan, k)),
    Spoil("array: an infinite entry", ValueError, lambda g, k: _with_entry(g, -np.inf if k % 2 else np.inf, k)),
    Spoil("array: empty (0 rows)", ValueError, lambda g, k: np.asarray(g)[:0]),
    Spoil("array: 1-D where 2-D is needed", ValueError, lambda g, k: np.asarray(g)[k % len(g)],
          lambda s: s.ndim),
    Spoil("array: 3-D where 2-D is needed", ValueError, lambda g, k: np.repeat(np.asarray(g)[None], k % 3 + 1, 0),
          lambda s: s.ndim),
    Spoil("array: a scalar where 2-D is needed", ValueError, lambda g, k: np.float64(k), lambda s: s.ndim),
    Spoil("array: columns do not fit the network", ValueError,
          lambda g, k: np.hstack([g] + [np.asarray(g)[:, :1]] * (k % 3 + 1)), lambda s: s.width),
    Spoil("array: rows differ from x's (or a's)", ValueError,
          lambda g, k: np.vstack([g] + [np.asarray(g)[:1]] * (k % 3 + 1)), lambda s: s.rows),
    Spoil("array: a ragged nested list", ValueError,
          lambda g, k: [list(row) for row in np.atleast_2d(g)] + [[0.5] * (k % 3)]),
    Spoil("array: strings", TypeError, lambda g, k: np.asarray(g).astype(str)),
    Spoil("array: complex numbers", TypeError, lambda g, k: np.asarray(g) + 1j * (k + 1)),
    Spoil("array: objects (None inside)", TypeError,
          lambda g, k: np.where(np.arange(np.size(g)).reshape(np.shape(g)) == k % np.size(g),
                                None, np.asarray(g, dtype=object))),
    Spoil("array: None", TypeError, lambda g, k: None, lambda s: s.argument != "b"),
    Spoil("array: a masked array", TypeError, lambda g, k: _masked(g)),
    Spoil("array: outside its range (a in [0, 1], ...)", ValueError, None,  # the value is the slot's own
          lambda s: s.outside is not None),
    Spoil("array: too large for a float16 network", ValueError, lambda g, k: _with_entry(g, 1e6 * (k + 1), k),
          lambda s: s.dtype == np.float16),
]


def spoiled(slot, spoil, good, k):
    """The bad value of ``spoil`` for ``slot``, from the slot's valid value ``good``."""
    if spoil.make is None:
        return _with_entry(good, slot.outside, k)
    return spoil.make(good, k)


@dataclass(frozen=True)
class Case:
    """One bad call: ``call(world)`` must raise ``error`` with ``argument`` in its message.
    ``spoil(world)``, if given, changes the world's network first, as a caller could between
    two calls (the network's own state is the bad input), before the bytes are recorded."""

    input: str
    entry: str
    argument: str
    error: type
    call: Callable
    dtype: object = np.float64
    spoil: Callable = None


def array_cases():
    """Every slot with every input class that applies to it (k = 0)."""
    cases = []
    for slot in ARRAY_SLOTS:
        for spoil in SPOILS:
            if spoil.applies(slot):
                cases.append(Case(spoil.input, slot.entry, slot.argument, spoil.error,
                                  lambda w, slot=slot, spoil=spoil: slot.call(
                                      w, spoiled(slot, spoil, slot.good(w), 0)), slot.dtype))
    return cases


def _readonly(array):
    array = array.copy()
    array.flags.writeable = False
    return array


def _nudge_cases():
    """The arrays that numerical_gradient and check_gradients nudge: one policy for both."""
    bad = [
        ("nudged array: a list or np.matrix", TypeError, "W", lambda w: [[0.1, 0.2]]),
        ("nudged array: integer or float32", TypeError, "W", lambda w: w.W.astype(int)),
        ("nudged array: integer or float32", TypeError, "W", lambda w: w.W.astype(np.float32)),
        ("nudged array: a list or np.matrix", TypeError, "W", lambda w: _matrix(w.W)),
        ("nudged array: read-only, empty or NaN", ValueError, "W", lambda w: _readonly(w.W)),
        ("nudged array: read-only, empty or NaN", ValueError, "W", lambda w: w.W[:0]),
        ("nudged array: read-only, empty or NaN", ValueError, "W", lambda w: _with_entry(w.W, np.nan)),
    ]
    cases = []
    for input, error, argument, make in bad:
        cases.append(Case(input, "numerical_gradient", argument, error,
                          lambda w, make=make: bp.numerical_gradient(w.cost, {"W": make(w)})))
        cases.append(Case(input, "check_gradients", argument, error,
                          lambda w, make=make: bp.check_gradients(w.cost, {"W": make(w)}, w.grads)))
    for entry, call in [("numerical_gradient", lambda w, p: bp.numerical_gradient(w.cost, p)),
                        ("check_gradients", lambda w, p: bp.check_gradients(w.cost, p, w.grads))]:
        cases.append(Case("nudged arrays: not a dict or list", entry, "must be a dict", TypeError,
                          lambda w, call=call: call(w, w.W)))
        cases.append(Case("nudged arrays: an empty dict", entry, "is empty", ValueError, lambda w, call=call: call(w, {})))
    return cases


# (input class, error, value) for a real scalar argument that must be >= 0 or > 0
NAN, LOW, TYPE = ("number: NaN or infinite", "number: below its range (or eps too small)",
                  "number: bool, str, None, complex, array")
BAD_REALS = [
    (NAN, ValueError, np.nan), (NAN, ValueError, np.inf), (LOW, ValueError, -0.5),
    (TYPE, TypeError, True), (TYPE, TypeError, "0.1"), (TYPE, TypeError, None),
    (TYPE, TypeError, np.array([0.1, 0.2])), (TYPE, TypeError, 0.1j),
]


def scalar_cases():
    cases = []
    real_slots = [
        ("Network.step", "lr", lambda w, v: w.net.step(w.x, w.y, v)),
        ("Network.train", "lr", lambda w, v: w.net.train(w.x, w.y, v, 3)),
        ("numerical_gradient", "eps", lambda w, v: bp.numerical_gradient(w.cost, w.arrays, eps=v)),
        ("check_gradients", "eps", lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, eps=v)),
        ("check_gradients", "rtol", lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, rtol=v)),
        ("check_gradients", "atol", lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, atol=v)),
        ("BinaryCrossEntropy", "epsilon", lambda w, v: bp.BinaryCrossEntropy(v)),
        ("CategoricalCrossEntropy", "epsilon", lambda w, v: bp.CategoricalCrossEntropy(v)),
        ("diagnose", "rtol", lambda w, v: bp.diagnose(w.net, w.x, w.y, {"dW1": w.W}, rtol=v)),
        ("diagnose", "atol", lambda w, v: bp.diagnose(w.net, w.x, w.y, {"dW1": w.W}, atol=v)),
    ]
    for entry, argument, call in real_slots:
        for input, error, value in BAD_REALS:
            if value is None and argument == "atol":
                continue  # atol=None is the default: computed from the cost
            cases.append(Case(input, entry, argument, error, lambda w, call=call, value=value: call(w, value)))
    for entry, argument, call in [("numerical_gradient", "eps", lambda w: bp.numerical_gradient(w.cost, w.arrays, eps=0.0)),
                                  ("check_gradients", "eps", lambda w: bp.check_gradients(w.cost, w.arrays, w.grads, eps=0.0)),
                                  ("numerical_gradient", "eps", lambda w: bp.numerical_gradient(w.cost, {"W": w.W + 1e6}, eps=1e-12)),
                                  ("BinaryCrossEntropy", "epsilon", lambda w: bp.BinaryCrossEntropy(0))]:
        cases.append(Case(LOW, entry, argument, ValueError, call))

    train = lambda w, v: w.net.train(w.x, w.y, 0.1, v)
    not_int = "iterations: float, bool, None, str"
    for input, error, value in [("iterations: negative", ValueError, -1), (not_int, TypeError, 3.0),
                                (not_int, TypeError, True), (not_int, TypeError, None),
                                (not_int, TypeError, "3")]:
        cases.append(Case(input, "Network.train", "iterations", error,
                             lambda w, value=value: train(w, value)))
    cases.append(Case("callback: not callable", "Network.train", "callback", TypeError,
                         lambda w: w.net.train(w.x, w.y, 0.1, 3, callback=5)))

    rng = np.random.default_rng(0)
    small, kind = "sizes: a width <= 0, or one width only", "sizes: a float or bool width, not a list"
    sizes = [
        (small, ValueError, "n1", [3, 0, 1]), (small, ValueError, "n1", [3, -2, 1]),
        (kind, TypeError, "n1", [3, 2.0, 1]), (kind, TypeError, "n1", [3, True, 1]),
        (small, ValueError, "sizes", [3]), (kind, TypeError, "sizes", 5),
        (kind, TypeError, "sizes", "341"),
    ]
    for input, error, argument, value in sizes:
        cases.append(Case(input, "Network.from_sizes", argument, error,
                             lambda w, value=value: bp.Network.from_sizes(value, rng)))
    seeds = "rng: a seed, None or a RandomState"
    for input, value in [(seeds, 0), (seeds, None), (seeds, np.random.RandomState(0))]:
        cases.append(Case(input, "Network.from_sizes", "rng", TypeError,
                             lambda w, value=value: bp.Network.from_sizes([3, 1], value)))
    dtypes = "dtype: integer, complex or unknown"
    for input, value in [(dtypes, np.int64), (dtypes, np.complex128), (dtypes, "float65")]:
        cases.append(Case(input, "Network.from_sizes", "dtype", TypeError,
                             lambda w, value=value: bp.Network.from_sizes([3, 1], rng, dtype=value)))
    flags = "bias, propagate: not a bool"
    for input, value in [(flags, 1), (flags, "yes")]:
        cases.append(Case(input, "Network.from_sizes", "bias", TypeError,
                             lambda w, value=value: bp.Network.from_sizes([3, 1], rng, bias=value)))
        for flag in ("bias", "propagate"):
            cases.append(Case(input, "dense_backward", flag, TypeError,
                                 lambda w, value=value, flag=flag: bp.dense_backward(
                                     w.cache["a1"], w.x, w.cache["a1"], w.net.params["W1"],
                                     "sigmoid", **{flag: value})))
    return cases


def object_cases():
    """Arguments that are names or objects: activations, costs, params, cache, functions."""
    rng = np.random.default_rng(0)
    P = lambda w: w.net.params
    c = [
        ("activation, cost: an unknown name", "Network.from_sizes", "activation", ValueError,
         lambda w: bp.Network.from_sizes([3, 1], rng, activations="sigmod")),
        ("activation, cost: None, a function", "Network.from_sizes", "activations", TypeError,
         lambda w: bp.Network.from_sizes([3, 1], rng, activations=None)),
        ("activations: one per layer, wrong count", "Network", "activations", ValueError,
         lambda w: bp.Network(P(w), activations=["sigmoid"])),
        ("activation, cost: None, a function", "Network", "activations", TypeError,
         lambda w: bp.Network(P(w), activations=[np.tanh, "sigmoid"])),
        ("activation, cost: an unknown name", "Network", "cost", ValueError, lambda w: bp.Network(P(w), cost="mse")),
        ("activation, cost: None, a function", "Network", "cost", TypeError, lambda w: bp.Network(P(w), cost=None)),
        ("activation, cost: None, a function", "Network", "cost", TypeError,
         lambda w: bp.Network(P(w), cost=lambda a, y: 0.0)),
        ("activation, cost: an unknown name", "dense_forward", "activation", ValueError,
         lambda w: bp.dense_forward(w.x, P(w)["W1"], None, "sigmod")),
        ("activation, cost: None, a function", "dense_forward", "activation", TypeError,
         lambda w: bp.dense_forward(w.x, P(w)["W1"], None, None)),
        ("activation, cost: an unknown name", "get_activation", "activation", ValueError, lambda w: bp.get_activation("x")),
        ("activation, cost: None, a function", "get_cost", "cost", TypeError, lambda w: bp.get_cost(None)),
        ("params: not a dict", "Network", "params", TypeError, lambda w: bp.Network([P(w)["W1"]])),
        ("params: no W1, an unknown name, a width 0", "Network", "W1", ValueError, lambda w: bp.Network({"W2": P(w)["W2"]})),
        ("params: no W1, an unknown name, a width 0", "Network", "W3", ValueError,
         lambda w: bp.Network({"W1": P(w)["W1"], "W3": P(w)["W2"]})),
        ("params: two floating dtypes", "Network", "W2", TypeError,
         lambda w: bp.Network({**P(w), "W2": P(w)["W2"].astype(np.float32)})),
        ("params: no W1, an unknown name, a width 0", "Network", "W2", ValueError,
         lambda w: bp.Network({"W1": P(w)["W1"], "W2": np.zeros((4, 0))})),
        ("params: read-only, in step or train", "Network.step", "W2", ValueError,
         lambda w: bp.Network({**P(w), "W2": _readonly(P(w)["W2"])}).step(w.x, w.y, 0.1)),
        ("params: read-only, in step or train", "Network.train", "W2", ValueError,
         lambda w: bp.Network({**P(w), "W2": _readonly(P(w)["W2"])}).train(w.x, w.y, 0.1, 2)),
        ("cache: not a dict", "Network.backward", "cache", TypeError, lambda w: w.net.backward([w.x], w.y)),
        ("cache: an entry missing, another network's", "Network.backward", "'a2'", ValueError,
         lambda w: w.net.backward({"a0": w.x, "a1": w.cache["a1"]}, w.y)),
        ("cache: an entry missing, another network's", "Network.backward", "cache['a1']", ValueError,
         lambda w: w.net.backward(bp.Network.from_sizes([3, 5, 2], rng).forward(w.x), w.y)),
        ("f, cost: not callable, 2 arguments, -> str", "numerical_gradient", "f", TypeError, lambda w: bp.numerical_gradient(5, w.arrays)),
        ("f, cost: not callable, 2 arguments, -> str", "numerical_gradient", "f", TypeError,
         lambda w: bp.numerical_gradient(lambda: "0.5", w.arrays)),
        ("f, cost: returns an array, or NaN", "numerical_gradient", "f", ValueError,
         lambda w: bp.numerical_gradient(lambda: w.W, w.arrays)),
        ("f, cost: returns an array, or NaN", "numerical_gradient", "f", ValueError,
         lambda w: bp.numerical_gradient(lambda: np.nan, w.arrays)),
        ("f, cost: not callable, 2 arguments, -> str", "numerical_gradient", "f", TypeError,
         lambda w: bp.numerical_gradient(lambda a, b: 0.0, w.arrays)),
        ("f, cost: not callable, 2 arguments, -> str", "check_gradients", "cost", TypeError,
         lambda w: bp.check_gradients(5, w.arrays, w.grads)),
        ("f, cost: returns an array, or NaN", "check_gradients", "cost", ValueError,
         lambda w: bp.check_gradients(lambda: np.nan, w.arrays, w.grads)),
        ("cost raises: its own error, arrays restored", "check_gradients", "nudge", ValueError,
         lambda w: bp.check_gradients(lambda: _raise_if_nudged(w), w.arrays, w.grads)),
        ("grads: a wrong shape, missing, NaN", "check_gradients", "gradient for W", ValueError,
         lambda w: bp.check_gradients(w.cost, w.arrays, {"W": w.grads["W"].T})),
        ("grads: a wrong shape, missing, NaN", "check_gradients", "no gradient given for ['W']", ValueError,
         lambda w: bp.check_gradients(w.cost, w.arrays, {})),
        ("grads: a wrong shape, missing, NaN", "check_gradients", "gradient for W", ValueError,
         lambda w: bp.check_gradients(w.cost, w.arrays, {"W": _with_entry(w.grads["W"], np.nan)})),
        ("grads: not a dict or list", "check_gradients", "grads", TypeError,
         lambda w: bp.check_gradients(w.cost, w.arrays, 5.0)),
        ("grads: not a dict or list", "diagnose", "grads", TypeError,
         lambda w: bp.diagnose(w.net, w.x, w.y, [w.net.params["W1"]])),
        ("grads (diagnose): empty, a name not of the network", "diagnose", "grads", ValueError,
         lambda w: bp.diagnose(w.net, w.x, w.y, {})),
        ("grads (diagnose): empty, a name not of the network", "diagnose", "'dW3'", ValueError,
         lambda w: bp.diagnose(w.net, w.x, w.y, {"dW3": w.W})),
        ("grads (diagnose): strings, None", "diagnose", "'dW1'", TypeError,
         lambda w: bp.diagnose(w.net, w.x, w.y, {"dW1": None})),
        ("net (diagnose): not a Network", "diagnose", "net", TypeError,
         lambda w: bp.diagnose(P(w), w.x, w.y, {"dW1": w.W})),
        ("grads: a key that is not a str", "check_gradients", "grads", TypeError,
         lambda w: bp.check_gradients(w.cost, w.arrays, {0: w.grads["W"]})),
        ("activation, cost: a class, not an instance", "Network", "activations", TypeError,
         lambda w: bp.Network(P(w), activations=bp.Tanh)),
        ("activation, cost: a class, not an instance", "Network", "activations[1]", TypeError,
         lambda w: bp.Network(P(w), activations=["relu", bp.Sigmoid])),
        ("activation, cost: a class, not an instance", "Network", "cost", TypeError,
         lambda w: bp.Network(P(w), cost=bp.HalfSquaredError)),
        ("activation, cost: a class, not an instance", "Network.from_sizes", "activations", TypeError,
         lambda w: bp.Network.from_sizes([3, 1], rng, activations=bp.Sigmoid)),
        ("activation, cost: a class, not an instance", "dense_forward", "activation", TypeError,
         lambda w: bp.dense_forward(w.x, P(w)["W1"], None, bp.ReLU)),
        ("activation, cost: a class, not an instance", "get_activation", "activation", TypeError,
         lambda w: bp.get_activation(bp.Softmax)),
        ("activation, cost: a class, not an instance", "get_cost", "cost", TypeError,
         lambda w: bp.get_cost(bp.BinaryCrossEntropy)),
        ("params: two names bound to one array", "Network", "W2", ValueError,
         lambda w: bp.Network({"W1": _square(), "W2": _square()})),
        ("params: two names bound to one array", "Network", "b1", ValueError,
         lambda w: _view_as_bias(P(w)["W1"].copy())),
    ]
    return [Case(input, entry, argument, error, call) for input, entry, argument, error, call in c]


_SQUARE = np.full((3, 3), 0.5)


def _square():
    """One (3, 3) array, the same object at every call: tied weights W1 = W2."""
    return _SQUARE


def _view_as_bias(W1):
    """A network whose b1 is W1's first row, a view of it."""
    return bp.Network({"W1": W1, "b1": W1[:1]})


def _network_calls():
    """Every public method of the world's network, as (entry, call)."""
    return [
        ("Network.forward", lambda w: w.net.forward(w.x)),
        ("Network.predict", lambda w: w.net.predict(w.x)),
        ("Network.gradients", lambda w: w.net.gradients(w.x, w.y)),
        ("Network.cost_value", lambda w: w.net.cost_value(w.x, w.y)),
        ("Network.backward", lambda w: w.net.backward(w.cache, w.y)),
        ("Network.step", lambda w: w.net.step(w.x, w.y, 0.1)),
        ("Network.train", lambda w: w.net.train(w.x, w.y, 0.1, 3)),
    ]


def _write_nan(world):
    world.net.params["W2"][1, 0] = np.nan


def _tie(world):
    world.net.params["b2"] = world.net.params["W2"][:1]  # a view of W2, of b2's shape


def _reshape(world):
    world.net.params["W2"] = np.zeros((4, 3))


def state_cases():
    """The network's own parameters, changed by the caller after the network was built."""
    spoils = [
        ("params: NaN written after construction", "W2", ValueError, _write_nan),
        ("params: tied (a view) after construction", "b2", ValueError, _tie),
        ("params: another shape after construction", "W2", ValueError, _reshape),
    ]
    return [Case(input, entry, argument, error, call, spoil=spoil)
            for input, argument, error, spoil in spoils for entry, call in _network_calls()]


def _raise_if_nudged(world):
    if not np.array_equal(world.W, np.random.default_rng(0).standard_normal((3, 2))):
        raise ValueError("the cost refuses a nudge")  # a failure inside the caller's cost
    return 0.0


CASES = array_cases() + _nudge_cases() + scalar_cases() + object_cases() + state_cases()


@dataclass(frozen=True)
class Accepted:
    """An edge input accepted on purpose: ``call(world)`` must succeed and ``check`` hold."""

    input: str
    entry: str
    call: Callable
    check: Callable = lambda result, world: True


ACCEPTED = [
    Accepted("x, y: a batch of one, bool, int, lists", "Network.step", lambda w: w.net.step(w.x[:1], w.y[:1], 0.1)),
    Accepted("x, y: a batch of one, bool, int, lists", "Network.forward", lambda w: w.net.forward(w.x > 0),
             lambda r, w: r["a0"].dtype == np.float64),
    Accepted("x, y: a batch of one, bool, int, lists", "Network.gradients", lambda w: w.net.gradients(np.ones((2, 3), int), w.y[:2])),
    Accepted("x, y: a batch of one, bool, int, lists", "Network.cost_value", lambda w: w.net.cost_value(w.x.tolist(), w.y.tolist())),
    Accepted("x, y: np.matrix, read-only, non-contiguous", "Network.predict", lambda w: w.net.predict(_matrix(w.x)),
             lambda r, w: type(r) is np.ndarray),
    Accepted("x, y: np.matrix, read-only, non-contiguous", "Network.train",
             lambda w: w.net.train(_readonly(w.x), _readonly(w.y), 0.1, 2)),
    Accepted("x, y: np.matrix, read-only, non-contiguous", "Network.forward", lambda w: w.net.forward(np.asfortranarray(w.x)[:, :])),
    Accepted("x, y: another float dtype (converted)", "Network.forward",
             lambda w: w.net.forward(w.x.astype(np.float32)), lambda r, w: r["a1"].dtype == np.float64),
    Accepted("lr: 0, an int, np.float32, a 0-d array", "Network.step", lambda w: w.net.step(w.x, w.y, 0)),
    Accepted("lr: 0, an int, np.float32, a 0-d array", "Network.step",
             lambda w: [w.net.step(w.x, w.y, lr) for lr in (1, np.float32(0.1), np.array(0.1))]),
    Accepted("iterations: 0 (an empty history)", "Network.train", lambda w: w.net.train(w.x, w.y, 0.1, 0),
             lambda r, w: r.shape == (0,)),
    Accepted("params: float16; integer (copied to float64)", "Network.train", lambda w: bp.Network.from_sizes(
        [3, 4, 2], np.random.default_rng(0), dtype=np.float16).train(w.x, w.y, 0.1, 2)),
    Accepted("params: float16; integer (copied to float64)", "Network", lambda w: bp.Network({"W1": np.ones((3, 2), int)}),
             lambda r, w: r.dtype == np.float64),
    Accepted("grads (diagnose): a wrong shape, NaN (a finding)", "diagnose",
             lambda w: bp.diagnose(w.net, w.x, w.y, {"dW1": w.W, "dW2": np.full((4, 2), np.nan)}),
             lambda r, w: [f.mistake for f in r.findings] == ["wrong_shape", "not_finite"]),
    Accepted("params: read-only, outside step and train", "Network.predict",
             lambda w: bp.Network({**w.net.params, "W1": _readonly(w.net.params["W1"])}).predict(w.x)),
]


def rows():
    """The table's rows: (input class, result, number of cases, number of entry points), one
    per input class, in the order the classes first appear; the accepted inputs last."""
    grouped = {}
    for case in CASES + ACCEPTED:
        result = getattr(case, "error", None)
        key = (case.input, "accepted" if result is None else result.__name__)
        grouped.setdefault(key, []).append(case.entry)
    return [(input, result, len(entries), len(set(entries))) for (input, result), entries in grouped.items()]


def table():
    """The rows as plain text, at most 80 characters a line."""
    lines = [f"{'input':<46} {'result':<10} {'cases':>5} {'entries':>8}"]
    for input, result, cases, entries in rows():
        lines.append(f"{input:<46} {result:<10} {cases:>5} {entries:>8}")
    return "\n".join(lines)
