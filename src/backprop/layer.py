"""One fully connected layer: its forward rule and its backward rule, side by side.

Row convention, one sample per row::

    z = a_prev @ W + b          a = f(z)

and backwards, given ``dC_da`` (how the cost changes with this layer's output)::

    delta      = dC_da * f'(z)          dC/dz, element-wise
    dW         = a_prev.T @ delta       dC/dW: the previous activation, transposed
    db         = sum of delta's rows    dC/db
    dC_da_prev = delta @ W.T            handed to the layer before

:func:`dense_forward` and :func:`dense_backward` check their arguments, then apply the
rules; the network calls the rules themselves, ``_forward`` and ``_backward``, on arrays it
has checked.
"""

from .activations import get_activation, unchecked
from .validation import as_bool, as_matrix, check_rows, check_same_shape, quiet


@quiet
def dense_forward(a_prev, W, b, activation):
    """Forward rule of one layer.

    Parameters
    ----------
    a_prev : array_like of shape (N, n_prev)
        The previous layer's activation (``x`` for the first layer).
    W : array_like of shape (n_prev, n)
    b : array_like of shape (1, n), or None for a layer without bias
    activation : a name such as ``"sigmoid"``, or an object with ``forward(z)``,
        e.g. :class:`backprop.activations.Sigmoid`

    Every array must be 2-D, non-empty and finite; ``W`` sets the dtype (bool or integer
    ``W`` becomes float64) and ``a_prev`` and ``b`` are converted to it.

    Returns
    -------
    z : ndarray of shape (N, n)
    a : ndarray of shape (N, n)
    """
    W = as_matrix("W", W)
    a_prev = as_matrix("a_prev", a_prev, dtype=W.dtype)
    if a_prev.shape[1] != W.shape[0]:
        raise ValueError(f"a_prev has shape {a_prev.shape} but W has shape {W.shape}: "
                         f"a_prev needs {W.shape[0]} columns, one per row of W")
    if b is not None:
        b = as_matrix("b", b, dtype=W.dtype)
        if b.shape != (1, W.shape[1]):
            raise ValueError(f"b has shape {b.shape} but needs (1, {W.shape[1]}) to match W {W.shape}")
    return _forward(a_prev, W, b, unchecked(get_activation(activation)))


def _forward(a_prev, W, b, activation):
    """The forward rule on checked arrays: ``a_prev`` (N, n_prev), ``W`` (n_prev, n),
    ``b`` (1, n) or None -> ``z`` (N, n), ``a`` (N, n)."""
    z = a_prev @ W
    if b is not None:
        z += b
    a = activation._forward(z)
    return z, a


@quiet
def dense_backward(dC_da, a_prev, a, W, activation, bias=True, propagate=True):
    """Backward rule of one layer.

    Parameters
    ----------
    dC_da : array_like of shape (N, n)
        Gradient of the cost with respect to this layer's output ``a``.
    a_prev : array_like of shape (N, n_prev)
    a : array_like of shape (N, n), this layer's output; it must lie in the activation's
        range (a sigmoid's in [0, 1]): a value outside means ``z`` was passed for ``a``.
    W : array_like of shape (n_prev, n)
    activation : a name such as ``"sigmoid"``, or an object with ``backward(a, dC_da)``
    bias : bool
        Whether the layer has a bias; without one ``db`` is None.
    propagate : bool
        Whether to compute ``dC_da_prev``. The first layer's would be ``dC/dx``,
        which training never uses; without it ``dC_da_prev`` is None.

    Every array must be 2-D, non-empty and finite; ``W`` sets the dtype and the others are
    converted to it.

    Returns
    -------
    delta : ndarray of shape (N, n)
        ``dC/dz`` for this layer.
    dW : ndarray of shape (n_prev, n)
        ``dC/dW = a_prev.T @ delta``, summed over the batch.
    db : ndarray of shape (1, n), or None without a bias
        ``dC/db``: the sum of ``delta`` over the batch (its column sums).
    dC_da_prev : ndarray of shape (N, n_prev), or None without ``propagate``
        ``delta @ W.T``, the gradient handed to the previous layer.
    """
    W = as_matrix("W", W)
    a_prev = as_matrix("a_prev", a_prev, dtype=W.dtype)
    a = as_matrix("a", a, dtype=W.dtype)
    dC_da = as_matrix("dC_da", dC_da, dtype=W.dtype)
    if a_prev.shape[1] != W.shape[0]:
        raise ValueError(f"a_prev has shape {a_prev.shape} but W has shape {W.shape}: "
                         f"a_prev needs {W.shape[0]} columns, one per row of W")
    if a.shape[1] != W.shape[1]:
        raise ValueError(f"a has shape {a.shape} but W has shape {W.shape}: "
                         f"a needs {W.shape[1]} columns, one per column of W")
    check_rows("a", a, a_prev.shape[0], "a_prev")
    check_same_shape("dC_da", dC_da, "a", a)
    activation = get_activation(activation)
    if hasattr(activation, "check_output"):
        activation.check_output("a", a)
    bias, propagate = as_bool("bias", bias), as_bool("propagate", propagate)
    return _backward(dC_da, a_prev, a, W, unchecked(activation), bias, propagate)


def _backward(dC_da, a_prev, a, W, activation, bias, propagate):
    """The backward rule on checked arrays; returns ``delta``, ``dW``, ``db``, ``dC_da_prev``."""
    delta = activation._backward(a, dC_da)
    dW = a_prev.T @ delta
    db = delta.sum(axis=0, keepdims=True) if bias else None
    dC_da_prev = delta @ W.T if propagate else None
    return delta, dW, db, dC_da_prev
