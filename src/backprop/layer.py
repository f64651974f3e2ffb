"""One fully connected layer: its forward rule and its backward rule, side by side.

Row convention, one sample per row::

    z = a_prev @ W + b          a = f(z)

and backwards, given ``dC_da`` (how the cost changes with this layer's output)::

    delta      = dC_da * f'(z)          dC/dz, element-wise
    dW         = a_prev.T @ delta       dC/dW: the previous activation, transposed
    db         = sum of delta's rows    dC/db
    dC_da_prev = delta @ W.T            handed to the layer before
"""

import numpy as np


# --8<-- [start:forward]
def dense_forward(a_prev, W, b, activation):
    """Forward rule of one layer.

    Parameters
    ----------
    a_prev : ndarray of shape (N, n_prev)
        The previous layer's activation (``x`` for the first layer).
    W : ndarray of shape (n_prev, n)
    b : ndarray of shape (1, n), or None for a layer without bias
    activation : object with ``forward(z)``, e.g. :class:`backprop.activations.Sigmoid`

    Returns
    -------
    z : ndarray of shape (N, n)
    a : ndarray of shape (N, n)
    """
    z = a_prev @ W
    if b is not None:
        z += b
    a = activation.forward(z)
    return z, a
# --8<-- [end:forward]


# --8<-- [start:backward]
def dense_backward(dC_da, a_prev, a, W, activation, bias=True, propagate=True, dW_out=None):
    """Backward rule of one layer.

    Parameters
    ----------
    dC_da : ndarray of shape (N, n)
        Gradient of the cost with respect to this layer's output ``a``.
    a_prev : ndarray of shape (N, n_prev)
    a : ndarray of shape (N, n), this layer's output
    W : ndarray of shape (n_prev, n)
    activation : object with ``backward(a, dC_da)``
    bias : bool
        Whether the layer has a bias; without one ``db`` is None.
    propagate : bool
        Whether to compute ``dC_da_prev``. The first layer's would be ``dC/dx``,
        which training never uses, and it costs a matrix product as large as
        the forward one; without it ``dC_da_prev`` is None.
    dW_out : ndarray of shape (n_prev, n), optional
        An array to write ``dW`` into (and return) instead of a new one;
        :meth:`backprop.Network.step` passes its previous step's.

    Returns
    -------
    delta : ndarray of shape (N, n)
        ``dC/dz`` for this layer.
    dW : ndarray of shape (n_prev, n)
        ``dC/dW = a_prev.T @ delta``, summed over the batch.
    db : ndarray of shape (1, n)
        ``dC/db``: the sum of ``delta`` over the batch (its column sums).
    dC_da_prev : ndarray of shape (N, n_prev)
        ``delta @ W.T``, the gradient handed to the previous layer.
    """
    delta = activation.backward(a, dC_da)
    dW = np.matmul(a_prev.T, delta, out=dW_out)  # a_prev.T @ delta; out=None makes a new array
    db = delta.sum(axis=0, keepdims=True) if bias else None
    dC_da_prev = delta @ W.T if propagate else None
    return delta, dW, db, dC_da_prev
# --8<-- [end:backward]
