"""A fully connected network of any depth in the row convention ``z^l = a^{l-1} W^l + b^l``.

Parameters live in a plain dict named after the maths: ``{"W1": ..., "b1": ..., "W2": ...}``.
Forward and backward return dicts named the same way (``"a0", "z1", "a1"``;
``"delta1", "dW1", "db1"``), so code reads like the equations on the site.

Every public method checks its arguments and the network's own parameters first, and raises
before anything is computed or written; what it returns or writes is finite, or it raises
FloatingPointError naming where the computation went beyond the floating-point range. The
checks and their policy are in :mod:`backprop.validation`. The methods whose names start with
``_`` are the algorithm itself, run on checked arrays.
"""

from collections import namedtuple

import numpy as np

from . import activations as _activations
from . import costs as _costs
from . import layer
from .activations import get_activation
from .costs import get_cost
from .validation import (as_bool, as_count, as_float_dtype, check_backward, check_cache,
                         check_callable, check_cost, check_forward, check_layer_sizes,
                         check_learning_rate, check_network, check_params, check_prediction,
                         check_step, check_x, check_y, per_layer, quiet, restored_on_raise)

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
        refuse to run until it is writable. No two may share memory (tied weights, a view of
        another parameter): one of two updates would be lost. ``net.params`` may be changed
        between calls, in place or by arrays of the same shapes and dtype; every public
        method checks it first.
    activations : str, activation object, or list of L of them
        One for every layer, or one per layer. Default ``"sigmoid"``. An instance such as
        ``Sigmoid()``, not the class.
    cost : str or cost object
        Default ``"half_squared_error"``: ``1/2 * sum((a - y)**2)``, a sum over the batch.

    Inputs ``x`` (N, n0) and targets ``y`` (N, nL) of every method: 2-D, N >= 1 rows (a batch
    of one is a batch), finite; bool and integer arrays, lists and ``np.matrix`` are accepted
    and converted to the network's dtype, which must be able to hold every value.
    """

    def __init__(self, params, activations="sigmoid", cost="half_squared_error"):
        self.params = check_params(params)
        self.L = sum(1 for name in self.params if name.startswith("W"))
        self.activations = [get_activation(f, name) for name, f in per_layer("activations", activations, self.L)]
        self.cost = get_cost(cost)
        # what the algorithm calls: the built-in objects' unchecked maths, or your own objects
        self._activations = [_activations.unchecked(f) for f in self.activations]
        self._cost = _costs.unchecked(self.cost)
        self.layers = [
            LayerNames(f"W{l}", f"b{l}" if f"b{l}" in self.params else None, f"z{l}", f"a{l}",
                       f"a{l - 1}", f"delta{l}", f"dW{l}", f"db{l}")
            for l in range(1, self.L + 1)
        ]
        # what the public methods hold the parameters to: the shapes and dtype built with
        self._built = {name: (W.shape, W.dtype) for name, W in self.params.items()}

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
        check_network(self)
        return check_forward(self, self._forward(check_x(self, x)))

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
        check_network(self)
        cache = check_cache(self, cache)
        return check_backward(self, self._backward(cache, check_y(self, y, cache["a0"].shape[0])))

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
        check_network(self)
        x = check_x(self, x)
        y = check_y(self, y, x.shape[0])
        cache = self._forward(x)
        return check_backward(self, self._backward(cache, y), cache)

    @quiet
    def predict(self, x):
        """The output ``aL`` of shape (N, nL) for inputs ``x`` of shape (N, n0)."""
        check_network(self)
        return check_prediction(self, self._forward(check_x(self, x)))

    @quiet
    def cost_value(self, x, y):
        """The cost ``C`` (a float) of inputs ``x`` (N, n0) against targets ``y`` (N, nL)."""
        check_network(self)
        x = check_x(self, x)
        y = check_y(self, y, x.shape[0])
        return check_cost(self, self._cost._value(self._forward(x)[f"a{self.L}"], y), x)

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

        Every argument, and the network's own parameters, are checked before anything is
        computed; the new values of all parameters are computed, and checked finite, before the
        first is written: a step beyond the floating-point range raises FloatingPointError. A
        call that raises leaves every parameter byte-identical.
        """
        check_network(self, writing=True)
        x = check_x(self, x)
        y = check_y(self, y, x.shape[0])
        lr = check_learning_rate(lr)
        cost, new = self._step(x, y, lr)
        check_step(self, cost, new, x, y, lr)
        self._write(new)
        return cost

    def _step(self, x, y, lr):
        """One step on checked arguments: forward, backward, ``W - lr * dW`` for every parameter.
        Returns the cost before the step and the dict of new values, which :meth:`_write` writes."""
        cache = self._forward(x)
        cost = self._cost._value(cache[f"a{self.L}"], y)
        grads = self._backward(cache, y)
        # z and a are used up: freeing them before the update makes its new weights keeps the
        # step's peak memory at that of the forward and backward passes
        del cache
        # pop: each dW is let go once used
        return cost, {name: W - lr * grads.pop("d" + name) for name, W in self.params.items()}

    def _write(self, new):
        """``W[...] = new[name]`` for every parameter: in place, so the caller's arrays are updated."""
        for name, W in self.params.items():
            W[...] = new[name]

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
            return ``True`` to stop early. It may change the parameters (the network checks
            them again after it), within what the network could be built with.

        Returns
        -------
        history : ndarray of shape (iterations,) (shorter if stopped early):
            the cost before each step.

        Raises
        ------
        FloatingPointError
            If a step goes beyond the floating-point range: the cost or a new parameter value
            is not finite (never for an underflow); the message names the iteration and where.

        If anything raises (a bad argument, divergence, the callback, Ctrl-C), every parameter
        is restored to its value before the call, in the arrays it had.
        """
        check_network(self, writing=True)
        x = check_x(self, x)
        y = check_y(self, y, x.shape[0])
        lr = check_learning_rate(lr)
        iterations = as_count("iterations", iterations)
        if callback is not None:
            check_callable("callback", callback)
        callers_errstate = np.geterr()
        history = []
        with restored_on_raise(self), np.errstate(all="ignore"):  # see validation.quiet
            for i in range(iterations):
                cost, new = self._step(x, y, lr)
                check_step(self, cost, new, x, y, lr, iteration=i)
                self._write(new)
                history.append(cost)
                if callback is not None:
                    with np.errstate(**callers_errstate):
                        stop = callback(i, cost, self)
                    check_network(self, writing=True)
                    if stop:
                        break
        return np.array(history, dtype=np.float64)

    # the argument checks alone, as benchmarks/run.py times them
    _check_x, _check_y = check_x, check_y

    def __repr__(self):
        return f"Network(sizes={self.sizes}, bias={'b1' in self.params}, dtype={self.dtype})"
