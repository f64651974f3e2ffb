"""Claims of docs/answer/question.md that the page states in prose and proves here.

The learner's update rule (their `+`, their `dC_dw2 = (y - a2) * derv_sigmoid(a2)`) and the
textbook rule `W - lr * dC/dW` are the same update; the literal textbook line with the learner's
variable is not. The page's table of the learner's names gives each array's shape and meaning.
"""

import numpy as np
import pytest

from backprop import Network, learner_data, learner_network, learner_weights, numerical_gradient
from backprop_site.repo import ROOT


def sigmoid(z):
    """The learner's sigmoid, z (N, n) -> a (N, n)."""
    return 1 / (1 + np.exp(-z))


def derv_sigmoid(a):
    """The learner's derivative, from the activation a (N, n): sigma'(z) = a (1 - a)."""
    return a * (1 - a)


class LearnersSigmoid:
    """The learner's sigmoid as a layer activation of the package."""

    def forward(self, z):
        """z (N, n) -> a (N, n)."""
        return sigmoid(z)

    def backward(self, a, dC_da):
        """a, dC_da (N, n) -> delta (N, n)."""
        return dC_da * derv_sigmoid(a)


def test_learners_plus_rule_is_gradient_descent_bit_for_bit():
    """With the learner's sigmoid in the package, the two rules give the same bits at every
    one of the 1000 steps: nothing differs but signs, and a sign flip is exact."""
    x, y = learner_data()
    weight1, weight2 = learner_weights()["W1"], learner_weights()["W2"]
    net = Network(learner_weights(), activations=LearnersSigmoid())
    for step in range(1000):
        a1 = sigmoid(x @ weight1)
        a2 = sigmoid(a1 @ weight2)
        dC_dw2 = (y - a2) * derv_sigmoid(a2)
        dC_dw1 = np.multiply(dC_dw2, weight2.T) * derv_sigmoid(a1)
        weight2 = weight2 + 1 * np.dot(a1.T, dC_dw2)
        weight1 = weight1 + 1 * np.dot(x.T, dC_dw1)
        net.step(x, y, 1)
        np.testing.assert_array_equal(weight1, net.params["W1"], err_msg=f"step {step + 1}")
        np.testing.assert_array_equal(weight2, net.params["W2"], err_msg=f"step {step + 1}")


def test_y_minus_a_is_minus_the_slope_of_the_cost():
    """Step 1 of the page's fact 3: y - a2 is -dC/da2, by finite differences."""
    x, y = learner_data()
    net = learner_network()
    a2 = net.predict(x).copy()
    slope = numerical_gradient(lambda: net.cost(a2, y), {"a2": a2})["da2"]
    np.testing.assert_allclose(y - a2, -slope, rtol=1e-6, atol=1e-10)


def literal_textbook_W2(x, y):
    """The learner's dC_dw2 (N, 1) for a batch x (N, 3), y (N, 1), put into the quoted
    textbook line `weight2 - learningRate * dC_dw2`; returns (new W2 (4, 1), dC_dw1 (N, 4))."""
    weights = learner_weights()
    a1 = sigmoid(x @ weights["W1"])
    a2 = sigmoid(a1 @ weights["W2"])
    dC_dw2 = (y - a2) * derv_sigmoid(a2)
    dC_dw1 = np.multiply(dC_dw2, weights["W2"].T) * derv_sigmoid(a1)
    return weights["W2"] - 1 * dC_dw2, dC_dw1


def test_literal_textbook_line_depends_on_the_order_of_the_samples():
    """Reordering the batch leaves C and dC/dW2 alone, but changes what the literal line gives."""
    x, y = learner_data()
    order = [2, 0, 3, 1]
    net = learner_network()
    true_step = net.params["W2"] - net.gradients(x, y)["dW2"]
    true_reordered = net.params["W2"] - net.gradients(x[order], y[order])["dW2"]
    np.testing.assert_allclose(true_reordered, true_step, rtol=1e-12)

    literal, _ = literal_textbook_W2(x, y)
    literal_reordered, _ = literal_textbook_W2(x[order], y[order])
    assert literal.shape == true_step.shape == (4, 1)
    assert not np.allclose(literal, true_step, rtol=1e-3), "the literal line is not the step"
    assert not np.allclose(literal_reordered, literal, rtol=1e-3), "it depends on sample order"


def test_literal_textbook_line_for_weight1_does_not_broadcast():
    x, y = learner_data()
    _, dC_dw1 = literal_textbook_W2(x, y)
    with pytest.raises(ValueError, match="could not be broadcast"):
        learner_weights()["W1"] - 1 * dC_dw1  # (3, 4) - (4, 4)


PAGE = ROOT / "docs" / "answer" / "question.md"


def table_rows():
    """{learner's name: (shape, meaning)} of the table under the `{ #names }` heading."""
    section = PAGE.read_text(encoding="utf-8").split("{ #names }", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            name, shape, meaning = (cell.strip() for cell in line.strip().strip("|").split(" | "))
            rows[name] = (shape, meaning)
    return rows


def test_names_table_gives_each_learners_array_its_shape_and_meaning():
    """Every array row: the shape read from the learner's array, and the meaning the page gives
    it equal to the package's value at the learner's starting weights."""
    x, y = learner_data()
    net = learner_network()
    c = net.forward(x)
    g = net.backward(c, y)
    weight1, weight2 = net.params["W1"], net.params["W2"]
    a0 = x
    a1 = sigmoid(x @ weight1)
    a2 = sigmoid(a1 @ weight2)
    dC_dw2 = (y - a2) * derv_sigmoid(a2)
    dC_dw1 = np.multiply(dC_dw2, weight2.T) * derv_sigmoid(a1)
    dC_da2 = net.cost.gradient(c["a2"], y)
    arrays = {  # the learner's array, the site's, and the symbol the table must give
        "`x`, `a0`": (a0, c["a0"], "$x = a^{[0]}$"),
        "`y`": (y, y, "$y$"),
        "`weight1`": (weight1, net.params["W1"], "$W^{[1]}$"),
        "`z1`, `a1`": (a1, c["a1"], "$z^{[1]}$, $a^{[1]}$"),
        "`weight2`": (weight2, net.params["W2"], "$W^{[2]}$"),
        "`z2`, `a2`": (a2, c["a2"], "$z^{[2]}$, $a^{[2]}$"),
        "`derv_sigmoid(a2)`": (derv_sigmoid(a2), c["a2"] * (1 - c["a2"]), "$\\sigma'(z^{[2]})"),
        "`delta2`, the learner's `y - a2`": (y - a2, -dC_da2, "$-\\partial C / \\partial a^{[2]}$"),
        "`dC_dw2`": (dC_dw2, -g["delta2"], "$-\\delta^{[2]}$"),
        "`dC_dw1`": (dC_dw1, -g["delta1"], "$-\\delta^{[1]}$"),
        "`np.dot(a1.T, dC_dw2)`": (np.dot(a1.T, dC_dw2), -g["dW2"], "$-\\partial C / \\partial W^{[2]}$"),
        "`np.dot(a0.T, dC_dw1)`": (np.dot(a0.T, dC_dw1), -g["dW1"], "$-\\partial C / \\partial W^{[1]}$"),
    }
    rows = table_rows()
    assert set(rows) == set(arrays) | {"`learningRate`"}, sorted(rows)
    for name, (learner, site, symbol) in arrays.items():
        shape, meaning = rows[name]
        assert shape == str(learner.shape), f"{name}: the table says {shape}, the array is {learner.shape}"
        assert meaning.startswith(symbol), f"{name}: {meaning}"
        np.testing.assert_allclose(learner, site, rtol=1e-12, atol=1e-15, err_msg=name)
    np.testing.assert_allclose(c["z1"], x @ weight1, rtol=1e-12)
    np.testing.assert_allclose(c["z2"], a1 @ weight2, rtol=1e-12)
