"""How much arithmetic a forward and a backward pass do: multiply-adds of their matrix products.

One count, printed on the L-layers page and quoted on the Jacobian page, so the two say the same.
"""


def multiply_adds(sizes, N):
    """Multiply-adds of the matrix products of one forward and one backward pass, per layer.

    Forward, layer l: ``a^{[l-1]} W^{[l]}``, N n_{l-1} n_l multiply-adds. Backward, layer l:
    ``(a^{[l-1]})^T delta^{[l]}`` of the same size, and ``delta^{[l]} (W^{[l]})^T``, the same
    size again, handed to layer l - 1; layer 1 skips it (it would be dC/dx). The element-wise
    work (sigma', the bias, the cost) is left out: it is smaller by a factor of the fan-in.

    Parameters
    ----------
    sizes : sequence of int, the layer widths [n0, n1, ..., nL], L >= 1
    N : int, the batch size

    Returns
    -------
    dict with "forward" and "backward": lists of L ints, the multiply-adds of layers 1 to L.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1 or int(N) < 1:
        raise ValueError(f"sizes must hold at least two widths >= 1 and N must be >= 1; got "
                         f"sizes {sizes}, N {N}")
    forward = [N * n_prev * n for n_prev, n in zip(sizes, sizes[1:])]
    backward = [f if l == 1 else 2 * f for l, f in enumerate(forward, start=1)]
    return {"forward": forward, "backward": backward}
