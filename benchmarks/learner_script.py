"""The learner's own 20-line script (shared/reference/learner-question.txt), as a function.

Kept line for line, with the learner's names, seed and update, so the benchmark compares
``backprop`` with exactly what the learner ran. Only the ``print`` calls are left out
(their cost is not what is compared), and the global print options are not changed.
"""

import numpy as np


def learner_script(iterations=1000):
    """Run the learner's training loop.

    Returns ``a2`` (4, 1), the output the script prints at the end (from the last forward
    pass, before the last update), and the final ``weight1`` (3, 4) and ``weight2`` (4, 1).
    """
    # seed random numbers to make calculation deterministic
    np.random.seed(1)

    # let us code our sigmoid funciton
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    # let us add a method that takes the derivative of x as well
    def derv_sigmoid(x):
        return x * (1 - x)

    # set learning rate as 1 for this toy example
    learningRate = 1
    # input x, also used as the training set here
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    # desired output for each of the training set above
    y = np.array([[0, 1, 1, 0]]).T
    input_rows = 4
    # Randomly initalised weights
    weight1 = np.random.random((3, input_rows))
    weight2 = np.random.random((input_rows, 1))
    # Activation to layer 0 is taken as input x
    a0 = x
    for iter in range(0, iterations):
        # Forward pass - Straight Forward
        z1 = x @ weight1
        a1 = sigmoid(z1)
        z2 = a1 @ weight2
        a2 = sigmoid(z2)
        # Backward Pass - Backpropagation
        delta2 = (y - a2)
        dC_dw2 = delta2 * derv_sigmoid(a2)
        dC_dw1 = (np.multiply(dC_dw2, weight2.T)) * derv_sigmoid(a1)
        # Gradinent descent
        weight2 = weight2 + learningRate * np.dot(a1.T, dC_dw2)  # this is what works
        weight1 = weight1 + learningRate * np.dot(a0.T, dC_dw1)
    return a2, weight1, weight2
