"""A fully connected network of any depth in the row convention ``z^l = a^{l-1} W^l + b^l``.

Parameters live in a plain dict named after the maths: ``{"W1": ..., "b1": ..., "W2": ...}``.
Forward and backward return dicts named the same way (``"a0", "z1", "a1"``;
``"delta1", "dW1", "db1"``), so code reads like the equations on the site.
"""

import math
from collections import namedtuple

import numpy as np

from .activations import Identity, get_activation
from .costs import get_cost
from .layer import dense_backward, dense_forward
from .validation import as_matrix, check_layer_sizes

# The dict keys of one layer l, e.g. W="W2", a_prev="a1", delta="delta2"; b is None without a bias.
LayerNames = namedtuple("LayerNames", "W b z a a_prev delta dW db")


class Network:
    """Fully connected network; layer ``l`` has weights ``W{l}`` and optional bias ``b{l}``.

    Parameters
    ----------
    params : dict of str to ndarray
        ``"W1" .. "WL"``, each ``W{l}`` of shape (n_{l-1}, n_l); optionally
        ``"b{l}"`` of shape (1, n_l). Floating arrays are used as they are (not
        copied), so :meth:`step` updates the caller's arrays in place; integer
        arrays are converted to float64 copies.
    activations : str, activation object, or list of L of them
        One for every layer, or one per layer. Default ``"sigmoid"``.
    cost : str or cost object
        Default ``"half_squared_error"``: ``1/2 * sum((a - y)**2)``, a sum over the batch.
    """

    def __init__(self, params, activations="sigmoid", cost="half_squared_error"):
        self.params = _check_params(params)
        self.L = sum(1 for name in self.params if name.startswith("W"))
        if isinstance(activations, (list, tuple)):
            if len(activations) != self.L:
                raise ValueError(
                    f"activations has {len(activations)} entries but the network has {self.L} layers"
                )
            self.activations = [get_activation(f) for f in activations]
        else:
            self.activations = [get_activation(activations) for _ in range(self.L)]
        self.cost = get_cost(cost)
        # Formatted once: on the learner's 4-sample batch, building the keys f"W{l}", f"a{l}", ...
        # in every pass would cost a tenth of a training step.
        self.layers = [
            LayerNames(f"W{l}", f"b{l}" if f"b{l}" in self.params else None, f"z{l}", f"a{l}",
                       f"a{l - 1}", f"delta{l}", f"dW{l}", f"db{l}")
            for l in range(1, self.L + 1)
        ]
        self._dW_buffers = None  # written by step, see there

    @classmethod
    def from_sizes(cls, sizes, rng, bias=True, activations="sigmoid",
                   cost="half_squared_error", dtype=np.float64):
        """Random network with layer widths ``sizes = [n0, n1, ..., nL]``.

        Weights are drawn from a normal distribution with standard deviation
        ``1/sqrt(n_{l-1})``; biases start at zero.

        Parameters
        ----------
        sizes : list of int, the widths n0 (inputs) to nL (outputs)
        rng : numpy.random.Generator, e.g. ``np.random.default_rng(0)``
        bias : bool, whether layers have biases
        dtype : floating dtype of the parameters (float64 or float32)
        """
        sizes = check_layer_sizes(sizes)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy.random.Generator such as np.random.default_rng(0), "
                f"got {type(rng).__name__}"
            )
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

    # --8<-- [start:forward]
    def forward(self, x, *, check=True):
        """Forward pass, keeping every ``z`` and ``a`` for the backward pass.

        Parameters
        ----------
        x : array_like of shape (N, n0)
        check : bool
            Validate the input first (shape, dtype, finite). :meth:`train` checks
            its arrays once and then passes False; do so only for checked arrays.

        Returns
        -------
        cache : dict
            ``"a0"`` is ``x`` as floats (N, n0); ``"z{l}"`` and ``"a{l}"`` have
            shape (N, n_l) for l = 1..L.
        """
        a = self._check_x(x) if check else x
        cache = {"a0": a}
        # names: layer l's dict keys, names.W is f"W{l}", names.z is f"z{l}", names.a is f"a{l}"
        for names, activation in zip(self.layers, self.activations):
            z, a = dense_forward(a, self.params[names.W], self.params.get(names.b), activation)
            cache[names.z], cache[names.a] = z, a
        return cache
    # --8<-- [end:forward]

    # --8<-- [start:backward]
    def backward(self, cache, y, *, check=True, dW_out=None):
        """Backward pass: every ``delta``, weight gradient and bias gradient.

        Parameters
        ----------
        cache : dict returned by :meth:`forward`
        y : array_like of shape (N, nL), the targets
        check : bool
            Validate the input first (shape, dtype, finite). :meth:`train` checks
            its arrays once and then passes False; do so only for checked arrays.
        dW_out : dict, optional
            Arrays to write the weight gradients into, ``"dW{l}"`` of shape
            (n_{l-1}, n_l), instead of new ones; :meth:`step` passes its previous step's.

        Returns
        -------
        grads : dict
            ``"delta{l}"`` (N, n_l), ``"dW{l}"`` (n_{l-1}, n_l) and, for layers
            with a bias, ``"db{l}"`` (1, n_l), for l = 1..L. Gradients are sums
            over the batch.
        """
        aL = cache[f"a{self.L}"]
        y = self._check_y(y, aL.shape[0]) if check else y
        grads = {}
        activations = self.activations
        deltaL = self._output_delta(aL, y)
        if deltaL is None:
            dC_da = self.cost.gradient(aL, y)
        else:  # sigmoid + cross-entropy, softmax + categorical: the cost gives delta^L = a - y
            dC_da, activations = deltaL, activations[:-1] + [Identity()]
        # layers from L down to 1; names.a_prev is f"a{l - 1}", names.dW is f"dW{l}", ...
        for names, activation in zip(reversed(self.layers), reversed(activations)):
            W = self.params[names.W]
            out = dW_out.get(names.dW) if dW_out else None
            delta, dW, db, dC_da = dense_backward(
                dC_da, cache[names.a_prev], cache[names.a], W, activation,
                bias=names.b is not None, propagate=names.a_prev != "a0",  # no dC/dx for layer 1
                dW_out=out if out is not None and out.shape == W.shape else None)
            grads[names.delta], grads[names.dW] = delta, dW
            if names.b is not None:
                grads[names.db] = db
        return grads
    # --8<-- [end:backward]

    def _output_delta(self, aL, y):
        """``delta^L`` (N, nL) if the cost has a fused form for the output activation, else None."""
        output_delta = getattr(self.cost, "output_delta", None)
        return None if output_delta is None else output_delta(aL, y, self.activations[-1])

    def gradients(self, x, y):
        """Forward then backward: the dict of :meth:`backward` for inputs ``x`` (N, n0), targets ``y`` (N, nL)."""
        return self.backward(self.forward(x), y)

    def predict(self, x):
        """The output ``aL`` of shape (N, nL) for inputs ``x`` of shape (N, n0)."""
        return self.forward(x)[f"a{self.L}"]

    def cost_value(self, x, y):
        """The cost ``C`` (a float) of inputs ``x`` (N, n0) against targets ``y`` (N, nL)."""
        aL = self.predict(x)
        return self.cost(aL, self._check_y(y, aL.shape[0]))

    # --8<-- [start:step]
    def step(self, x, y, lr, *, check=True):
        """One step of gradient descent, ``W <- W - lr * dC/dW`` for every parameter.

        Parameters
        ----------
        x : array_like of shape (N, n0)
        y : array_like of shape (N, nL)
        lr : float, the learning rate
        check : bool
            Validate ``x`` and ``y`` first (shape, dtype, finite). :meth:`train`
            checks its arrays once and then passes False; do so only for checked arrays.

        Returns
        -------
        float, the cost before the update.
        """
        cache = self.forward(x, check=check)
        y = self._check_y(y, cache["a0"].shape[0]) if check else y
        cost = self.cost(cache[f"a{self.L}"], y)
        # The weight gradients go into the previous step's arrays: a new array as large as W
        # would be mapped from the operating system and faulted in page by page at every step.
        grads = self.backward(cache, y, check=False, dW_out=self._dW_buffers)
        for name, value in self.params.items():
            grad = grads["d" + name]
            grad *= lr      # scaled in place: lr * grad would allocate an array as large as W
            value -= grad   # in place: the caller's arrays are updated
        if self._dW_buffers is None:  # from now on backward returns these very arrays
            self._dW_buffers = {names.dW: grads[names.dW] for names in self.layers}
        return cost
    # --8<-- [end:step]

    def train(self, x, y, lr, iterations, callback=None):
        """Run ``iterations`` steps of full-batch gradient descent.

        Parameters
        ----------
        x : array_like of shape (N, n0)
        y : array_like of shape (N, nL)
        lr : float, the learning rate
        iterations : int
        callback : callable ``callback(iteration, cost, network)``, optional
            Called after every step; return ``True`` to stop early.

        Returns
        -------
        history : ndarray of shape (iterations,) (shorter if stopped early):
            the cost before each step.

        Raises
        ------
        FloatingPointError
            If a step overflows or makes a NaN, or the cost stops being finite; the message
            names the iteration.
        """
        x = self._check_x(x)
        y = self._check_y(y, x.shape[0])
        history = []
        callers_errstate = np.geterr()
        # A parameter can only stop being finite through an operation that overflows or makes a
        # NaN (the inputs were checked), so NumPy is told to raise there instead of checking every
        # parameter after every step. np.vdot sets no flag, hence the test of the cost itself.
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            for i in range(iterations):
                try:
                    cost = self.step(x, y, lr, check=False)  # x and y were checked above, once
                    if not math.isfinite(cost):
                        raise FloatingPointError(f"the cost is {cost}")
                except FloatingPointError as error:
                    raise FloatingPointError(
                        f"training diverged at iteration {i} ({error}): a value of the step grew "
                        f"past the floating-point range; try a smaller learning rate than {lr}"
                    ) from error
                history.append(cost)
                if callback is not None:
                    with np.errstate(**callers_errstate):  # the callback sees the caller's settings
                        if callback(i, cost, self):
                            break
        return np.array(history)

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
        if y.shape[0] != N:
            raise ValueError(f"y has {y.shape[0]} rows but x has {N}: one target row per sample")
        if y.shape[1] != nL:
            raise ValueError(
                f"y has shape {y.shape} but the output layer W{self.L} has {nL} units: "
                f"y needs shape ({N}, {nL})"
            )
        return y

    def __repr__(self):
        return f"Network(sizes={self.sizes}, bias={'b1' in self.params}, dtype={self.dtype})"


def _check_params(params):
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict such as {{'W1': ..., 'W2': ...}}, got {type(params).__name__}")
    L = 0
    while f"W{L + 1}" in params:
        L += 1
    if L == 0:
        raise ValueError("params has no 'W1': name weights W1, W2, ... and biases b1, b2, ...")
    allowed = {f"W{l}" for l in range(1, L + 1)} | {f"b{l}" for l in range(1, L + 1)}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(f"unexpected parameter names {unknown}; expected W1..W{L} and b1..b{L}")
    checked = {}
    for l in range(1, L + 1):
        W = as_matrix(f"W{l}", params[f"W{l}"])
        if l > 1 and W.shape[0] != checked[f"W{l - 1}"].shape[1]:
            prev = checked[f"W{l - 1}"].shape
            raise ValueError(
                f"layer {l}: W{l} has shape {W.shape} but W{l - 1} has shape {prev}: "
                f"W{l} needs {prev[1]} rows"
            )
        if W.dtype != checked.get("W1", W).dtype:
            raise TypeError(f"W{l} has dtype {W.dtype} but W1 has {checked['W1'].dtype}; use one dtype")
        checked[f"W{l}"] = W
        if f"b{l}" in params:
            if np.shape(params[f"b{l}"]) != (1, W.shape[1]):
                raise ValueError(
                    f"layer {l}: b{l} has shape {np.shape(params[f'b{l}'])} but needs (1, {W.shape[1]}) "
                    f"to match W{l} {W.shape}; a row vector, e.g. np.zeros((1, {W.shape[1]}))"
                )
            checked[f"b{l}"] = as_matrix(f"b{l}", params[f"b{l}"], dtype=W.dtype)
    # keep the caller's dict order W1, b1, W2, b2, ...
    return {name: checked[name] for name in sorted(checked, key=lambda n: (int(n[1:]), n[0] == "b"))}
