"""Network.step writes its weight gradients into the previous step's arrays.

That saves mapping and faulting in fresh memory at every step; these tests pin down that it
changes nothing a caller can see: the update, the arrays a caller holds, other batch sizes.
"""

import tracemalloc

import numpy as np

from backprop import Network

RTOL = 1e-12  # the same float64 arithmetic in the same order: equal up to rounding


def _problem(sizes=(5, 4, 3), N=6, seed=0):
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(list(sizes), rng)
    return net, rng.standard_normal((N, sizes[0])), rng.random((N, sizes[-1]))


def test_consecutive_steps_are_gradient_descent():
    net, x, y = _problem()
    for _ in range(5):
        expected = {name: value - 0.3 * net.gradients(x, y)["d" + name]
                    for name, value in net.params.items()}
        net.step(x, y, 0.3)
        for name, value in net.params.items():
            np.testing.assert_allclose(value, expected[name], rtol=RTOL, atol=1e-15, err_msg=name)


def test_gradients_a_caller_holds_are_not_overwritten_by_later_steps():
    net, x, y = _problem()
    grads = net.gradients(x, y)
    kept = {name: value.copy() for name, value in grads.items()}
    net.step(x, y, 0.5)
    net.step(x, y, 0.5)
    for name, value in grads.items():
        np.testing.assert_array_equal(value, kept[name], err_msg=name)


def test_steps_on_batches_of_different_sizes():
    net, x, y = _problem(N=7)
    reference, _, _ = _problem(N=7)
    for rows in (7, 3, 1, 7):  # dW does not depend on N, so the same arrays serve every batch
        net.step(x[:rows], y[:rows], 0.2)
        reference.params = {name: value - 0.2 * reference.gradients(x[:rows], y[:rows])["d" + name]
                            for name, value in reference.params.items()}
        for name, value in net.params.items():
            np.testing.assert_allclose(value, reference.params[name], rtol=RTOL, atol=1e-15,
                                       err_msg=f"{name} after a batch of {rows}")


def test_backward_writes_into_the_arrays_it_is_given():
    net, x, y = _problem()
    cache = net.forward(x)
    out = {f"dW{l}": np.full_like(net.params[f"W{l}"], np.nan) for l in (1, 2)}
    grads = net.backward(cache, y, dW_out=out)
    fresh = net.backward(cache, y)
    for name, array in out.items():
        assert grads[name] is array, f"{name} was not written into the array given"
        np.testing.assert_allclose(array, fresh[name], rtol=RTOL, atol=0, err_msg=name)


def test_backward_ignores_an_array_of_the_wrong_shape():
    net, x, y = _problem()
    cache = net.forward(x)
    grads = net.backward(cache, y, dW_out={"dW1": np.zeros((2, 2))})
    assert grads["dW1"].shape == net.params["W1"].shape


def test_a_warmed_up_step_allocates_no_array_as_large_as_W1():
    # W1 is 400 x 300 float64 (960 kB); with one sample every other array of the step is tiny.
    net, x, y = _problem(sizes=(400, 300, 2), N=1)
    net.step(x, y, 0.1)
    tracemalloc.start()
    try:
        net.step(x, y, 0.1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    W1 = net.params["W1"]
    assert peak < W1.nbytes / 2, f"the step allocated {peak} bytes at its peak; W1 has {W1.nbytes}"
