"""Network.step is forward, backward, W -= lr * dW: what a caller sees of it.

Consecutive steps are gradient descent on every batch size, the gradients a caller holds
are never written to, and the caller's parameter arrays are the ones updated.
"""

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
    for rows in (7, 3, 1, 7):  # a batch of one is a batch
        net.step(x[:rows], y[:rows], 0.2)
        reference.params = {name: value - 0.2 * reference.gradients(x[:rows], y[:rows])["d" + name]
                            for name, value in reference.params.items()}
        for name, value in net.params.items():
            np.testing.assert_allclose(value, reference.params[name], rtol=RTOL, atol=1e-15,
                                       err_msg=f"{name} after a batch of {rows}")


def test_step_updates_the_callers_arrays():
    net, x, y = _problem()
    held = dict(net.params)
    expected = {name: value - 0.1 * net.gradients(x, y)["d" + name] for name, value in held.items()}
    net.step(x, y, 0.1)
    for name, value in held.items():
        assert net.params[name] is value, f"step replaced {name} instead of updating it"
        np.testing.assert_allclose(value, expected[name], rtol=RTOL, atol=1e-15, err_msg=name)
