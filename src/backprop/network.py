"""A fully connected network of any depth in the row convention ``z^l = a^{l-1} W^l + b^l``.

Parameters live in a plain dict named after the maths: ``{"W1": ..., "b1": ..., "W2": ...}``.
Forward and backward return dicts named the same way (``"a0", "z1", "a1"``;
``"delta1", "dW1", "db1"``), so code reads like the equations on the site.

Every public method checks its arguments first (see :mod:`backprop.validation` for the
policy) and raises before anything is computed or written; the methods whose names start
with ``_`` are the algorithm itself, run on checked arrays.
"""

import math
from collections import namedtuple

import numpy as np

from . import activations as _activations
from . import costs as _costs
from . import layer
from .activations import get_activation
from .costs import get_cost
from .validation import (as_array, as_bool, as_count, as_float_dtype, as_matrix, as_real,
                         check_callable, check_layer_sizes, check_range, check_rows,
                         check_writeable)

# An underflow (a value too small for the dtype, rounded towards 0) is never an error: the public
# methods run under this, so np.seterr(all="raise") raises only for overflow, NaN and division.
def quiet(function):
    """Decorator: run ``function`` under ``np.errstate(under="ignore")`` (a new one each time,
    see :func:`backprop.activations.quiet`)."""
    return np.errstate(under="ignore")(function)

# The dict keys of one layer l, e.g. W="W2", a_prev="a1", delta="delta2"; b is None without a bias.
LayerNames = namedtuple("LayerNames", "W b z a a_prev delta dW db")


class Network:
    """Fully connected network; layer ``l`` has weights ``W{l}`` and optional bias ``b{l}``.

    Parameters
    ----------
    params : dict of str to array
        ``"W1" .. "WL"``, each ``W{l}`` of shape (n_{l-1}, n_l) with n_{l-1}, n_l >= 1;
        optionally ``"b{l}"`` of shape (1, n_l); every entry finite. Exactly the networks
        :meth:`from_sizes` can build. Floating arrays (float16, float32, float64,
        longdouble; one dtype for all) are used as they are, not copied, so :meth:`step`
        and :meth:`train` update the caller's arrays in place; bool and integer arrays
        (and lists) are converted to copies of the network's dtype (W1's, float64 if W1 is
        not floating). A read-only array is accepted, but :meth:`step` and :meth:`train`
        refuse to run until it is writable.
    activations : str, activation object, or list of L of them
        One for every layer, or one per layer. Default ``"sigmoid"``.
    cost : str or cost object
        Default ``"half_squared_error"``: ``1/2 * sum((a - y)**2)``, a sum over the batch.

    Inputs ``x`` (N, n0) and targets ``y`` (N, nL) of every method: 2-D, N >= 1 rows (a batch
    of one is a batch), finite; bool and integer arrays, lists and ``np.matrix`` are accepted
    and converted to the network's dtype, which must be able to hold every value.
    """

    def __init__(self, params, activations="sigmoid", cost="half_squared_error"):
        self.params = _check_params(params)
        self.L = sum(1 for name in self.params if name.startswith("W"))
        if isinstance(activations, (list, tuple)):
            if len(activations) != self.L:
                raise ValueError(
                    f"activations has {len(activations)} entries but the network has {self.L} layers"
                )
            self.activations = [get_activation(f, f"activations[{i}]") for i, f in enumerate(activations)]
        else:
            self.activations = [get_activation(activations, "activations") for _ in range(self.L)]
        self.cost = get_cost(cost)
        # what the algorithm calls: the built-in objects' unchecked maths, or your own objects
        self._activations = [_activations.unchecked(f) for f in self.activations]
        self._cost = _costs.unchecked(self.cost)
        self.layers = [
            LayerNames(f"W{l}", f"b{l}" if f"b{l}" in self.params else None, f"z{l}", f"a{l}",
                       f"a{l - 1}", f"delta{l}", f"dW{l}", f"db{l}")
            for l in range(1, self.L + 1)
        ]

    @classmethod
    def from_sizes(cls, sizes, rng, bias=True, activations="sigmoid",
                   cost="half_squared_error", dtype=np.float64):
        """Random network with layer widths ``sizes = [n0, n1, ..., nL]``.

        Weights are drawn from a normal distribution with standard deviation
        ``1/sqrt(n_{l-1})``; biases start at zero.

        Parameters
        ----------
        sizes : list or tuple of int, the widths n0 (inputs) to nL (outputs), each >= 1
        rng : numpy.random.Generator, e.g. ``np.random.default_rng(0)`` (a seed or a
            RandomState is refused: the caller chooses the generator)
        bias : bool, whether layers have biases
        dtype : floating dtype of the parameters (float16, float32, float64 or longdouble)
        """
        sizes = check_layer_sizes(sizes)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy.random.Generator such as np.random.default_rng(0), "
                f"got {type(rng).__name__}"
            )
        bias = as_bool("bias", bias)
        dtype = as_float_dtype("dtype", dtype)
        params = {}
        for l in range(1, len(sizes)):
            n_prev, n = sizes[l - 1], sizes[l]
            params[f"W{l}"] = (rng.standard_normal((n_prev, n)) / np.sqrt(n_prev)).astype(dtype)
            if bias:
                params[f"b{l}"] = np.zeros((1, n), dtype=dtype)
        return cls(params, activations=activations, cost=cost)

    @property
    def sizes(self):
        """Layer widths ``[n0, n1, ..., nL]``."""
        return [self.params["W1"].shape[0]] + [
            self.params[f"W{l}"].shape[1] for l in range(1, self.L + 1)
        ]

    @property
    def dtype(self):
        """The floating dtype of the parameters; inputs are converted to it."""
        return self.params["W1"].dtype

    @quiet
    def forward(self, x):
        """Forward pass, keeping every ``z`` and ``a`` for the backward pass.

        Parameters
        ----------
        x : array_like of shape (N, n0)

        Returns
        -------
        cache : dict
            ``"a0"`` is ``x`` as the network's dtype (N, n0); ``"z{l}"`` and ``"a{l}"``
            have shape (N, n_l) for l = 1..L.
        """
        return self._forward(self._check_x(x))

    def _forward(self, x):
        """The forward pass on a checked ``x`` (N, n0); the cache of :meth:`forward`."""
        a = x
        cache = {"a0": a}
        # names: layer l's dict keys, names.W is f"W{l}", names.z is f"z{l}", names.a is f"a{l}"
        for names, activation in zip(self.layers, self._activations):
            z, a = layer._forward(a, self.params[names.W], self.params.get(names.b), activation)
            cache[names.z], cache[names.a] = z, a
        return cache

    @quiet
    def backward(self, cache, y):
        """Backward pass: every ``delta``, weight gradient and bias gradient.

        Parameters
        ----------
        cache : dict returned by :meth:`forward`
            Its ``"a0"`` .. ``"a{L}"`` are checked: present, 2-D, finite, of the shapes
            this network gives for one batch, and in each activation's output range.
        y : array_like of shape (N, nL), the targets

        Returns
        -------
        grads : dict
            ``"delta{l}"`` (N, n_l), ``"dW{l}"`` (n_{l-1}, n_l) and, for layers
            with a bias, ``"db{l}"`` (1, n_l), for l = 1..L. Gradients are sums
            over the batch.
        """
        cache = self._check_cache(cache)
        return self._backward(cache, self._check_y(y, cache["a0"].shape[0]))

    def _backward(self, cache, y):
        """The backward pass on a checked cache and ``y`` (N, nL); the dict of :meth:`backward`."""
        aL = cache[f"a{self.L}"]
        grads = {}
        activations = self._activations
        deltaL = self._cost._output_delta(aL, y, self.activations[-1])
        if deltaL is None:
            dC_da = self._cost._gradient(aL, y)
        else:  # sigmoid + cross-entropy, softmax + categorical: the cost gives delta^L = a - y
            dC_da, activations = deltaL, activations[:-1] + [_activations.Identity()]
        # layers from L down to 1; names.a_prev is f"a{l - 1}", names.dW is f"dW{l}", ...
        for names, activation in zip(reversed(self.layers), reversed(activations)):
            delta, dW, db, dC_da = layer._backward(
                dC_da, cache[names.a_prev], cache[names.a], self.params[names.W], activation,
                bias=names.b is not None, propagate=names.a_prev != "a0")  # no dC/dx for layer 1
            grads[names.delta], grads[names.dW] = delta, dW
            if names.b is not None:
                grads[names.db] = db
        return grads

    @quiet
    def gradients(self, x, y):
        """Forward then backward: the dict of :meth:`backward` for inputs ``x`` (N, n0), targets ``y`` (N, nL)."""
        x = self._check_x(x)
        y = self._check_y(y, x.shape[0])
        return self._backward(self._forward(x), y)

    @quiet
    def predict(self, x):
        """The output ``aL`` of shape (N, nL) for inputs ``x`` of shape (N, n0)."""
        return self._forward(self._check_x(x))[f"a{self.L}"]

    @quiet
    def cost_value(self, x, y):
        """The cost ``C`` (a float) of inputs ``x`` (N, n0) against targets ``y`` (N, nL)."""
        x = self._check_x(x)
        y = self._check_y(y, x.shape[0])
        return self._cost._value(self._forward(x)[f"a{self.L}"], y)

    @quiet
    def step(self, x, y, lr):
        """One step of gradient descent, ``W <- W - lr * dC/dW`` for every parameter.

        Parameters
        ----------
        x : array_like of shape (N, n0)
        y : array_like of shape (N, nL)
        lr : real number >= 0, the learning rate
            A negative rate is refused (ValueError): it climbs the cost, and is almost always
            the sign slip this site is about. 0 is accepted (the step changes nothing).
            NaN and infinity are refused.

        Returns
        -------
        float, the cost before the update.

        Every argument, and that every parameter is writable, is checked before anything is
        computed; the new values of all parameters are computed before the first is written.
        A call that raises leaves every parameter byte-identical.
        """
        x = self._check_x(x)
        y = self._check_y(y, x.shape[0])
        lr = check_learning_rate(lr)
        self._check_writeable()
        return self._step(x, y, lr)

    def _step(self, x, y, lr):
        """One step on checked arguments: forward, backward, ``W -= lr * dW``; the cost before it."""
        cache = self._forward(x)
        cost = self._cost._value(cache[f"a{self.L}"], y)
        grads = self._backward(cache, y)
        # z and a are used up: freeing them before the update makes its new weights keeps the
        # step's peak memory at that of the forward and backward passes
        del cache
        # every W - lr * dW is computed before the first is written, so a step that fails half-way
        # (an overflow under np.errstate(over="raise")) leaves the parameters as they were;
        # pop: each dW is let go once used
        new = {name: W - lr * grads.pop("d" + name) for name, W in self.params.items()}
        for name, W in self.params.items():
            W[...] = new[name]  # in place: the caller's arrays are updated
        return cost

    def train(self, x, y, lr, iterations, callback=None):
        """Run ``iterations`` steps of full-batch gradient descent.

        Parameters
        ----------
        x : array_like of shape (N, n0)
        y : array_like of shape (N, nL)
        lr : real number >= 0, the learning rate (as in :meth:`step`)
        iterations : int >= 0; 0 returns an empty history and changes nothing
        callback : callable ``callback(iteration, cost, network)``, optional
            Called after every step, under the caller's floating-point settings;
            return ``True`` to stop early.

        Returns
        -------
        history : ndarray of shape (iterations,) (shorter if stopped early):
            the cost before each step.

        Raises
        ------
        FloatingPointError
            If a step overflows to infinity or makes a NaN (never for an underflow), or the
            cost stops being finite; the message names the iteration.

        If anything raises (a bad argument, divergence, the callback), every parameter is
        restored to its value before the call.
        """
        x = self._check_x(x)
        y = self._check_y(y, x.shape[0])
        lr = check_learning_rate(lr)
        iterations = as_count("iterations", iterations)
        if callback is not None:
            check_callable("callback", callback)
        self._check_writeable()
        before = [(W, W.copy()) for W in self.params.values()]
        history = []
        callers_errstate = np.geterr()
        try:
            # A parameter can only stop being finite through an operation that overflows or
            # makes a NaN (the inputs were checked), so NumPy is told to raise there; an
            # underflow rounds towards 0, which is harmless.
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                for i in range(iterations):
                    try:
                        cost = self._step(x, y, lr)
                        if not math.isfinite(cost):
                            raise FloatingPointError(f"the cost is {cost}")
                    except FloatingPointError as error:
                        raise FloatingPointError(
                            f"training diverged at iteration {i} ({error}): a value of the step "
                            f"grew past the floating-point range; try a smaller learning rate "
                            f"than lr={lr}. The parameters are as they were before train."
                        ) from error
                    history.append(cost)
                    if callback is not None:
                        with np.errstate(**callers_errstate):
                            if callback(i, cost, self):
                                break
        except Exception:
            for W, saved in before:
                W[...] = saved
            raise
        return np.array(history, dtype=np.float64)

    def _check_x(self, x):
        x = as_matrix("x", x, dtype=self.dtype)
        n0 = self.params["W1"].shape[0]
        if x.shape[1] != n0:
            raise ValueError(
                f"x has shape {x.shape} but W1 has shape {self.params['W1'].shape}: "
                f"x needs {n0} columns, one per input"
            )
        return x

    def _check_y(self, y, N):
        y = as_matrix("y", y, dtype=self.dtype)
        nL = self.params[f"W{self.L}"].shape[1]
        check_rows("y", y, N, "x")
        if y.shape[1] != nL:
            raise ValueError(
                f"y has shape {y.shape} but the output layer W{self.L} has {nL} units: "
                f"y needs shape ({N}, {nL})"
            )
        y_range = getattr(self.cost, "y_range", None)  # the cross-entropies': targets in [0, 1]
        if y_range is not None:
            check_range("y", y, *y_range, f"; {self.cost.name} needs targets in this range")
        return y

    def _check_cache(self, cache):
        if not isinstance(cache, dict):
            raise TypeError(f"cache must be the dict forward returned, got {type(cache).__name__}")
        checked = {}
        for l, n in enumerate(self.sizes):
            name = f"a{l}"
            if name not in cache:
                raise ValueError(f"cache has no {name!r}: pass the dict forward(x) returned")
            a = as_matrix(f"cache[{name!r}]", cache[name], dtype=self.dtype)
            N = checked["a0"].shape[0] if l else a.shape[0]
            if a.shape != (N, n):
                raise ValueError(f"cache[{name!r}] has shape {a.shape} but this network's layer {l} "
                                 f"gives ({N}, {n}) for a batch of {N}")
            if l and hasattr(self.activations[l - 1], "check_output"):
                self.activations[l - 1].check_output(f"cache[{name!r}]", a)
            checked[name] = a
        return checked

    def _check_writeable(self):
        for name, W in self.params.items():
            check_writeable(name, W)

    def __repr__(self):
        return f"Network(sizes={self.sizes}, bias={'b1' in self.params}, dtype={self.dtype})"


def check_learning_rate(lr):
    """A learning rate: a finite real number >= 0 (see :meth:`Network.step`)."""
    lr = as_real("lr", lr)
    if lr < 0:
        raise ValueError(f"lr must be >= 0, got {lr!r}: a negative rate climbs the cost "
                         f"(if your update adds, negate the gradient, not the rate)")
    return lr


def _check_params(params):
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
    # keep the order W1, b1, W2, b2, ...
    return {name: checked[name] for name in sorted(checked, key=lambda n: (int(n[1:]), n[0] == "b"))}
