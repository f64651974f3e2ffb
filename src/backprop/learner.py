"""The learner's network and data, reproduced exactly.

The learner seeded NumPy's global generator with ``np.random.seed(1)`` and drew
``weight1 = np.random.random((3, 4))`` then ``weight2 = np.random.random((4, 1))``.
A private ``RandomState(1)`` draws the very same numbers without touching the
global generator.
"""

import numpy as np

from .network import Network


def learner_data():
    """The learner's training set.

    Returns
    -------
    x : int ndarray of shape (4, 3); the third column of ones acts as a bias.
    y : int ndarray of shape (4, 1); XOR of the first two columns.
    """
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0, 1, 1, 0]]).T
    return x, y


def learner_weights():
    """The learner's initial weights, exactly as ``np.random.seed(1)`` gives them.

    Returns
    -------
    dict with ``"W1"`` of shape (3, 4) and ``"W2"`` of shape (4, 1), uniform in [0, 1).
    """
    rs = np.random.RandomState(1)
    W1 = rs.random_sample((3, 4))
    W2 = rs.random_sample((4, 1))
    return {"W1": W1, "W2": W2}


def learner_network():
    """The learner's 3-4-1 sigmoid network: no biases, half squared error summed over the batch."""
    return Network(learner_weights(), activations="sigmoid", cost="half_squared_error")
