"""The exercise at the end of every answer page: its placeholder asks for a line, its solution
passes, and each catalogued wrong answer gets its mistake's id from diagnose.

An exercise is a session of a page's blocks named ``<page>-exercise``: set-up blocks, then the
exercise block, whose line ``name = ...  # your line`` the reader replaces, then the solution
(folded on the page). The wrong lines below go in place of that line, as a reader would type
them; the set-up runs once per page and each wrong line runs on a copy of its namespace.
"""

import contextlib
import io
import re

import pytest

from backprop.diagnose import Diagnosis
from backprop_site.fences import PYTHON, scan
from backprop_site.repo import ROOT

DOCS = ROOT / "docs"
PLACEHOLDER = re.compile(r"^(?P<indent> *)(?P<name>[\w\[\] ]+?) = \.\.\.  # your line", re.M)

# page -> {mistake id: the wrong line a reader might write in place of the placeholder}
WRONG = {
    "question": {
        "sign": "dW2 = a1.T @ dC_dw2",
        "sign+no_previous_activation": "dW2 = dC_dw2",
        "no_previous_activation": "dW2 = -dC_dw2",
        "transpose": "dW2 = -(a1 @ dC_dw2)",
        "this_layer_activation": "dW2 = -(a2.T @ dC_dw2)",
        "mean_not_sum": "dW2 = -(a1.T @ dC_dw2) / len(x)",
    },
    "one-weight": {
        "transpose": "dW1 = delta1.T @ a0",
        "this_layer_activation": "dW1 = a1.T @ delta1",
        "no_previous_activation": "dW1 = delta1",
        "mean_not_sum": "dW1 = a0.T @ delta1 / len(x)",
        "sign": "dW1 = -a0.T @ delta1",
        "scale": "dW1 = 2 * a0.T @ delta1",
    },
    "output-layer": {
        "sign": "delta2 = (y - a2) * a2 * (1 - a2)",
        "missing_sigma_prime": "delta2 = a2 - y",
        "sigma_prime_of_z": "delta2 = (a2 - y) * z2 * (1 - z2)",
        "sigma_prime_of_a": "delta2 = (a2 - y) * sigmoid(a2) * (1 - sigmoid(a2))",
        "mean_not_sum": "delta2 = (a2 - y) * a2 * (1 - a2) / len(x)",
        "scale": "delta2 = 2 * (a2 - y) * a2 * (1 - a2)",
        "transpose": "delta2 = ((a2 - y) * a2 * (1 - a2)).T",
    },
    "hidden-layer": {
        "weights_not_transposed": "delta1 = (delta2 @ W2) * a1 * (1 - a1)",
        "missing_sigma_prime": "delta1 = delta2 @ W2.T",
        "sigma_prime_of_z": "delta1 = (delta2 @ W2.T) * z1 * (1 - z1)",
        "sigma_prime_of_a": "delta1 = (delta2 @ W2.T) * sigmoid(a1) * (1 - sigmoid(a1))",
        "sign": "delta1 = -(delta2 @ W2.T) * a1 * (1 - a1)",
        "mean_not_sum": "delta1 = (delta2 @ W2.T) * a1 * (1 - a1) / len(x)",
        "transpose": "delta1 = ((delta2 @ W2.T) * a1 * (1 - a1)).T",
    },
    "batches-and-biases": {
        "bias_wrong_axis": "db1 = delta1.sum(axis=1, keepdims=True)",
        "mean_not_sum": "db1 = delta1.mean(axis=0, keepdims=True)",
        "transpose": "db1 = delta1.sum(axis=0, keepdims=True).T",
        "wrong_shape": "db1 = delta1.sum(axis=0)",
        "sign": "db1 = -delta1.sum(axis=0, keepdims=True)",
    },
    "l-layers": {
        "weights_not_transposed": "deltas[l] = (deltas[l + 1] @ W[l + 1]) * a[l] * (1 - a[l])",
        "missing_sigma_prime": "deltas[l] = deltas[l + 1] @ W[l + 1].T",
        "sigma_prime_of_z": "deltas[l] = (deltas[l + 1] @ W[l + 1].T) * z[l] * (1 - z[l])",
        "sigma_prime_of_a": "deltas[l] = (deltas[l + 1] @ W[l + 1].T) * sigmoid(a[l]) * (1 - sigmoid(a[l]))",
        "sign": "deltas[l] = -(deltas[l + 1] @ W[l + 1].T) * a[l] * (1 - a[l])",
        "mean_not_sum": "deltas[l] = (deltas[l + 1] @ W[l + 1].T) * a[l] * (1 - a[l]) / len(x)",
    },
    "shape-coincidences": {
        "unknown": "delta1 = np.multiply(delta2, W2.T) * a1 * (1 - a1)",
        "weights_not_transposed": "delta1 = (delta2 @ W2) * a1 * (1 - a1)",
        "missing_sigma_prime": "delta1 = delta2 @ W2.T",
        "transpose": "delta1 = ((delta2 @ W2.T) * a1 * (1 - a1)).T",
        "mean_not_sum": "delta1 = (delta2 @ W2.T) * a1 * (1 - a1) / len(x)",
    },
}


def session_blocks(page, session=None):
    """The code of a session of docs/<page>.md (by default answer/<page>.md's exercise), block
    by block, in page order."""
    path = DOCS / (f"{page}.md" if session else f"answer/{page}.md")
    session = session or f"{page}-exercise"
    return ["\n".join(fence.code) for fence in scan(path.read_text(encoding="utf-8"))
            if fence.parsed.lang in PYTHON and fence.parsed.options.get("session") == session]


class Exercise:
    """One page's exercise: its set-up run once, then its exercise block run with a line."""

    def __init__(self, page):
        blocks = session_blocks(page)
        exercise = [i for i, code in enumerate(blocks) if PLACEHOLDER.search(code)]
        assert len(exercise) == 1, f"{page}: {len(exercise)} blocks with a '= ...  # your line'"
        self.page, self.code = page, blocks[exercise[0]]
        self.setup, self.solution = blocks[:exercise[0]], blocks[exercise[0] + 1:]
        assert self.setup and len(self.solution) == 1, f"{page}: set-up, exercise, solution"
        self.namespace = {"__name__": "__main__"}
        for code in self.setup:
            run(code, self.namespace)

    def with_line(self, line):
        """The exercise block with ``line`` (None: the placeholder) run on a copy of the set-up:
        (what it printed, the namespace after it)."""
        code = self.code
        if line is not None:
            code = PLACEHOLDER.sub(lambda m: m["indent"] + line + "  # a wrong line", code, count=1)
        namespace = dict(self.namespace)
        return run(code, namespace), namespace


def run(code, namespace):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<exercise>", "exec"), namespace)
    return printed.getvalue()


@pytest.fixture(scope="module")
def exercises():
    return {}


def exercise(exercises, page):
    if page not in exercises:
        exercises[page] = Exercise(page)
    return exercises[page]


def test_every_answer_page_has_one_exercise_with_a_table_of_wrong_lines():
    pages = sorted(p.stem for p in (DOCS / "answer").glob("*.md"))
    assert pages == sorted(WRONG), f"pages {pages}, exercises {sorted(WRONG)}"


@pytest.mark.parametrize("page", WRONG)
def test_the_placeholder_asks_for_the_line_and_the_solution_passes(exercises, page):
    ex = exercise(exercises, page)
    printed, namespace = ex.with_line(None)
    assert isinstance(namespace["report"], str) and "Not written yet" in printed, printed
    printed = run(ex.solution[0], dict(ex.namespace))
    assert "every one matches the gradient" in printed and "wrong" not in printed, printed


CASES = [(page, mistake) for page, lines in WRONG.items() for mistake in lines]


@pytest.mark.parametrize("page, mistake", CASES, ids=[f"{p}-{m}" for p, m in CASES])
def test_each_wrong_line_gets_its_mistake_named(exercises, page, mistake):
    ex = exercise(exercises, page)
    line = WRONG[page][mistake]
    printed, namespace = ex.with_line(line)
    report = namespace["report"]
    assert isinstance(report, Diagnosis), printed
    wrong = [f for f in report.findings if not f.ok]
    assert wrong, f"{line!r} passed:\n{printed}"
    # every array it spoils is named with it (in the loop of l-layers, at every layer)
    assert {f.mistake for f in wrong} == {mistake}, f"{line!r}:\n{printed}"
    assert f"{wrong[0].name} (layer {wrong[0].layer}): {mistake}" in printed, printed

def test_the_paste_box_finds_the_learners_flipped_sign_in_every_array():
    (code,) = session_blocks("beyond/check-your-gradients", "your-network")
    namespace = {"__name__": "__main__"}
    printed = run(code, namespace)
    report = namespace["report"]
    assert [(f.name, f.mistake) for f in report.findings] == [
        ("delta2", "sign"), ("dW2", "sign"), ("delta1", "sign"), ("dW1", "sign")], printed
    assert "is gradient descent" in report["delta2"].message, printed
    assert all(f.sources == ("delta2",) for f in report.findings[1:]), printed


def test_the_column_convention_example_names_the_slope_fed_a():
    (code,) = session_blocks("beyond/check-your-gradients", "your-network-columns")
    printed = run(code, {"__name__": "__main__"})
    assert printed.startswith("Column convention"), printed
    for name in ("dW1", "dW2"):
        assert f"{name} (layer {name[-1]}): sigma_prime_of_a" in printed, printed
    fixed = code.replace("sigmoid_prime(activations[-1])", "sigmoid_prime(zs[-1])")
    assert fixed != code
    assert "every one matches the gradient" in run(fixed, {"__name__": "__main__"})
