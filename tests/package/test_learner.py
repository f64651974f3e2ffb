"""The learner's network and result, reproduced exactly."""

import numpy as np

from backprop import learner_data, learner_network, learner_weights


def learner_script(iterations=1000, learning_rate=1):
    """The learner's loop, line for line in meaning (see shared learner-question.txt)."""
    x, y = learner_data()
    rs = np.random.RandomState(1)              # the learner's np.random.seed(1), kept private
    weight1 = rs.random_sample((3, 4))
    weight2 = rs.random_sample((4, 1))
    a0 = x
    for _ in range(iterations):
        a1 = 1 / (1 + np.exp(-(x @ weight1)))
        a2 = 1 / (1 + np.exp(-(a1 @ weight2)))
        dC_dw2 = (y - a2) * (a2 * (1 - a2))
        dC_dw1 = (np.multiply(dC_dw2, weight2.T)) * (a1 * (1 - a1))
        weight2 = weight2 + learning_rate * np.dot(a1.T, dC_dw2)
        weight1 = weight1 + learning_rate * np.dot(a0.T, dC_dw1)
    return a2, weight1, weight2


def test_learner_weights_are_what_np_random_seed_1_gives():
    state = np.random.get_state()
    try:
        np.random.seed(1)
        W1 = np.random.random((3, 4))
        W2 = np.random.random((4, 1))
    finally:
        np.random.set_state(state)
    w = learner_weights()
    np.testing.assert_array_equal(w["W1"], W1)
    np.testing.assert_array_equal(w["W2"], W2)


def test_learner_result_is_reproduced():
    x, y = learner_data()
    net = learner_network()
    net.train(x, y, lr=1.0, iterations=1000)
    # The learner's script printed the output of its last forward pass, which ran
    # before the final update: that is the cache of the 1000th step.
    a2_script, W1_script, W2_script = learner_script()
    np.testing.assert_allclose(net.params["W1"], W1_script, rtol=1e-10)
    np.testing.assert_allclose(net.params["W2"], W2_script, rtol=1e-10)
    printed = [f"{v: 0.3f}" for v in a2_script.ravel()]
    assert printed == [" 0.028", " 0.925", " 0.925", " 0.090"], printed


def test_learner_shapes():
    x, y = learner_data()
    cache = learner_network().forward(x)
    shapes = {k: v.shape for k, v in cache.items()}
    assert shapes == {"a0": (4, 3), "z1": (4, 4), "a1": (4, 4), "z2": (4, 1), "a2": (4, 1)}, shapes
    assert x.dtype.kind == "i" and cache["a0"].dtype == np.float64
