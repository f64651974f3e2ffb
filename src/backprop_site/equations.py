"""Read the numbered equations of the site and evaluate them with NumPy.

A numbered equation is a display block ``$$ ... $$`` holding one ``LHS = RHS`` and a
``\\tag{P.K}``. :func:`find_equations` pulls them out of a Markdown file,
:func:`parse` turns one side into a small tree, and :func:`evaluate` computes that
tree from a dict of arrays. The grammar is deliberately small (see docs/testing.md):

    expr     := ['-'] odot (('+' | '-') odot)*           lowest precedence
    odot     := product ('\\odot' product)*
    product  := postfix postfix*                          juxtaposition = matrix product
    postfix  := primary ('^\\top' | '^{\\top}' | '^T')*     transpose
    primary  := number | symbol | derivative | \\frac{expr}{expr} | \\tfrac{expr}{expr}
              | ( expr ) | \\left( expr \\right) | { expr } | \\sigma(expr) | \\sigma'(expr)
              | \\lVert expr \\rVert^2 | \\mathbf{1}

Symbols: a^{[i]}, z^{[i]}, W^{[i]}, b^{[i]}, \\delta^{[i]}, x, y, N, C, where the layer index i
is l, l-1, l+1, L, L-1 or a digit. Derivatives: \\frac{\\partial C}{\\partial S^{[i]}}
for S in a, z, W, b. Spacing commands (\\, \\; \\! \\quad) are ignored.

This module is imported by tests/pages/test_equations.py and by code blocks on
docs/testing.md, in the build and in the reader's browser; it needs NumPy and
backprop_site.fences (itself only imported for fence scanning).
"""

import re
from dataclasses import dataclass

import numpy as np

from backprop_site.fences import scan

SPACING = {r"\,", r"\;", r"\:", r"\!", r"\quad", r"\qquad", r"\left", r"\right"}
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[0-9]+(?:\.[0-9]+)?|[A-Za-z]|\S")
INDEX = re.compile(r"^(?:l|l-1|l\+1|L|L-1|[0-9])$")
LAYER_SYMBOLS = {"a": "a", "z": "z", "W": "W", "b": "b", r"\delta": "delta"}
PLAIN_SYMBOLS = {"x", "y", "N", "C"}


class EquationError(ValueError):
    """A tagged equation that is outside the grammar or cannot be evaluated."""


@dataclass
class Equation:
    """One numbered equation: where it is and its two sides as LaTeX text."""

    path: str
    line: int
    tag: str
    lhs: str
    rhs: str

    @property
    def where(self):
        return f"{self.path}:{self.line} (equation {self.tag})"


# ---------------------------------------------------------------- finding equations
def prose(text):
    """``text`` with fenced code blocks and inline code blanked out, line numbers kept."""
    in_fence = set()  # 0-based lines of the fences, their opening and closing lines included
    for fence in scan(text):
        in_fence.update(range(fence.line - 1, fence.last_line))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join("" if i in in_fence else re.sub(r"(`+).*?\1", lambda m: " " * len(m.group()), line)
                     for i, line in enumerate(lines))


def find_equations(text, path="<text>"):
    """Every ``$$ ... $$`` block holding ``\\tag{...}`` in Markdown ``text``, as Equations.

    Fenced code blocks are skipped, so an equation quoted inside Python is not read.
    A tagged block that is not exactly one ``LHS = RHS`` raises EquationError.
    """
    prose_text = prose(text)
    equations = []
    for match in re.finditer(r"\$\$(.*?)\$\$", prose_text, flags=re.S):
        body = match.group(1)
        tags = re.findall(r"\\tag\{([^}]*)\}", body)
        if not tags:
            continue
        line = prose_text.count("\n", 0, match.start()) + 1
        where = f"{path}:{line}"
        if len(tags) > 1:
            raise EquationError(f"{where}: one \\tag per display block, found {tags}")
        body = re.sub(r"\\tag\{[^}]*\}", " ", body)
        # indentation inside admonitions and a trailing full stop are not maths
        body = " ".join(body.split()).rstrip(" .,")
        sides = body.split("=")
        if len(sides) != 2:
            raise EquationError(
                f"{where} (equation {tags[0]}): needs exactly one '=', got {len(sides) - 1}: {body}")
        equations.append(Equation(path, line, tags[0], sides[0].strip(), sides[1].strip()))
    return equations


# ---------------------------------------------------------------- notation in prose
MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
# a, z, W, b or \delta (optionally with a subscript) raised to anything but a bracketed layer
# index or a transpose: a^{l}, W^2, \delta_j^{l-1}
UNBRACKETED = re.compile(
    r"(?<![A-Za-z\\])(?:[azWb]|\\delta)(?![A-Za-z])(?:_\{[^{}]*\}|_[A-Za-z0-9])?"
    r"\^(?!\s*\{?\s*(?:\[|\\top\b|T\b))\s*(?:\{[^{}]*\}|\\[A-Za-z]+|\S)")
ETA = re.compile(r"η|\\eta(?![A-Za-z])")


def notation_problems(text, path="<text>"):
    """Where Markdown ``text`` leaves the site's notation, as "path:line: ..." messages.

    The learning rate is γ, never η (in prose or maths); a layer index is raised in brackets,
    ``a^{[l]}``, never ``a^{l}`` or ``W^2``, which read as powers. Code (fenced blocks and inline
    code) is not read.
    """
    text = prose(text)
    found = []

    def line_of(offset):
        return text.count("\n", 0, offset) + 1

    for match in ETA.finditer(text):
        found.append((match.start(), f"the learning rate is written γ, not {match.group()}"))
    for span in MATH_SPAN.finditer(text):
        latex = next(g for g in span.groups() if g is not None)
        start = span.start() + span.group().index(latex)
        for match in UNBRACKETED.finditer(latex):
            found.append((start + match.start(), f"layer index without brackets in "
                                                 f"{match.group()!r}: write it as in a^{{[l]}}"))
    return [f"{path}:{line_of(offset)}: {message}" for offset, message in sorted(found)]


# ---------------------------------------------------------------- parsing
def tokenize(latex):
    """LaTeX text -> list of tokens, spacing commands dropped."""
    return [t for t in TOKEN.findall(latex) if t not in SPACING]


class _Parser:
    def __init__(self, latex):
        self.latex = latex
        self.tokens = tokenize(latex)
        self.pos = 0

    def error(self, message):
        seen = " ".join(self.tokens[: self.pos])
        raise EquationError(f"{message} in {self.latex!r} (after: {seen!r})")

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            self.error(f"expected {expected or 'more'}, found {token!r}")
        self.pos += 1
        return token

    def group(self):
        """The raw tokens of ``{...}`` as a string (for indices)."""
        self.take("{")
        depth, out = 1, []
        while True:
            token = self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                return "".join(out)
            out.append(token)

    def index(self):
        """A layer index after ``^``, in brackets so it never reads as a power: ``{[l-1]}``, ``{[2]}``."""
        self.take("^")
        raw = self.group() if self.peek() == "{" else self.take()
        if not (raw.startswith("[") and raw.endswith("]")):
            self.error(f"write the layer index in brackets, ^{{[{raw}]}}, not ^{raw}")
        raw = raw[1:-1]
        if not INDEX.match(raw):
            self.error(f"layer index {raw!r} is not l, l-1, l+1, L, L-1 or a digit")
        return raw

    def parse(self):
        tree = self.expr()
        if self.peek() is not None:
            self.error(f"unexpected {self.peek()!r}")
        return tree

    def expr(self):
        if self.peek() == "-":
            self.take()
            tree = ("neg", self.odot())
        else:
            tree = self.odot()
        while self.peek() in ("+", "-"):
            op = "add" if self.take() == "+" else "sub"
            tree = (op, tree, self.odot())
        return tree

    def odot(self):
        tree = self.product()
        while self.peek() == r"\odot":
            self.take()
            tree = ("odot", tree, self.product())
        return tree

    def product(self):
        tree = self.postfix()
        while self.peek() is not None and self.peek() not in ("+", "-", r"\odot", ")", "}", r"\rVert"):
            tree = ("matmul", tree, self.postfix())
        return tree

    def postfix(self):
        tree = self.primary()
        while self.peek() == "^":
            self.take()
            sup = self.group() if self.peek() == "{" else self.take()
            if sup not in (r"\top", "T"):
                self.error(f"only ^\\top may follow this, found ^{sup}")
            tree = ("T", tree)
        return tree

    def primary(self):
        token = self.peek()
        if token is None:
            self.error("expression ended early")
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", token):
            return ("num", float(self.take()))
        if token in (r"\frac", r"\tfrac", r"\dfrac"):
            return self.fraction()
        if token == "(":
            self.take()
            tree = self.expr()
            self.take(")")
            return tree
        if token == "{":
            self.take()
            tree = self.expr()
            self.take("}")
            return tree
        if token == r"\sigma":
            self.take()
            name = "sigma"
            if self.peek() == "'":
                self.take()
                name = "dsigma"
            self.take("(")
            tree = self.expr()
            self.take(")")
            return (name, tree)
        if token == r"\lVert":
            self.take()
            tree = self.expr()
            self.take(r"\rVert")
            self.take("^")
            power = self.group() if self.peek() == "{" else self.take()
            if power != "2":
                self.error(f"a norm must be squared, found ^{power}")
            return ("sumsq", tree)
        if token == r"\mathbf":
            self.take()
            if self.group() != "1":
                self.error("only \\mathbf{1} (a column of ones) is known")
            return ("ones",)
        if token in LAYER_SYMBOLS:
            self.take()
            return ("sym", LAYER_SYMBOLS[token], self.index())
        if token in PLAIN_SYMBOLS:
            self.take()
            return ("sym", token, None)
        self.error(f"unknown token {token!r}")

    def fraction(self):
        self.take()
        if self.tokens[self.pos:self.pos + 3] == ["{", r"\partial", "C"]:
            self.pos += 3
            self.take("}")
            self.take("{")
            self.take(r"\partial")
            wrt = self.take()
            if wrt not in ("a", "z", "W", "b"):
                self.error(f"derivative with respect to {wrt!r}; use a, z, W or b")
            tree = ("grad", wrt, self.index())
            self.take("}")
            return tree
        self.take("{")
        top = self.expr()
        self.take("}")
        self.take("{")
        bottom = self.expr()
        self.take("}")
        return ("div", top, bottom)


def parse(latex):
    """One side of an equation -> a tuple tree, or EquationError naming the problem."""
    return _Parser(latex).parse()


# ---------------------------------------------------------------- evaluating
def references(tree):
    """Every layer-indexed name in ``tree`` as (name, index), e.g. {("a", "l-1"), ("dW", "l")}."""
    if tree[0] == "sym":
        return {(tree[1], tree[2])} if tree[2] is not None else set()
    if tree[0] == "grad":
        return {("d" + tree[1], tree[2])}
    return set().union(*(references(t) for t in tree[1:] if isinstance(t, tuple)))


def layer(index, l, L):
    """The layer number of ``index`` when the free index is ``l`` and the last layer is ``L``."""
    if index.isdigit():
        return int(index)
    return eval(index, {"__builtins__": {}}, {"l": l, "L": L})  # only l, L, digits, + and -


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _shape(v):
    return "scalar" if np.ndim(v) == 0 else str(np.shape(v))


def evaluate(tree, values, l, L):
    """Value of ``tree``.

    ``values`` maps ``("a", k)``, ``("z", k)``, ``("W", k)``, ``("b", k)``, ``("delta", k)``
    and ``("dW", k)`` etc. (derivatives of C) to arrays for layer k, and ``"x"``, ``"y"``,
    ``"N"``, ``"C"`` to the input (N, n0), targets (N, nL), batch size and cost.
    Matrix products need matching inner sizes; ``+``, ``-`` and ``\\odot`` need equal
    shapes, except that a scalar, or one row (1, n) added to (N, n), broadcasts.
    """
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "sym":
        name, index = tree[1], tree[2]
        return values[name] if index is None else values[(name, layer(index, l, L))]
    if kind == "grad":
        return values[("d" + tree[1], layer(tree[2], l, L))]
    if kind == "ones":
        return np.ones((values["N"], 1))
    args = [evaluate(t, values, l, L) for t in tree[1:]]
    if kind == "neg":
        return -args[0]
    if kind == "T":
        return np.transpose(args[0])
    if kind == "sigma":
        return _sigmoid(args[0])
    if kind == "dsigma":
        return _sigmoid(args[0]) * (1 - _sigmoid(args[0]))
    if kind == "sumsq":
        return float(np.sum(np.square(args[0])))
    left, right = args
    if kind == "div":
        if np.ndim(right) != 0:
            raise EquationError(f"division by a {_shape(right)} matrix")
        return left / right
    if kind == "matmul":
        if np.ndim(left) == 0 or np.ndim(right) == 0:
            return left * right
        if left.shape[1] != right.shape[0]:
            raise EquationError(f"matrix product of {left.shape} and {right.shape}")
        return left @ right
    if np.ndim(left) and np.ndim(right) and left.shape != right.shape:
        rows = sorted([left.shape, right.shape])
        if not (kind in ("add", "sub") and rows[0][0] == 1 and rows[0][1] == rows[1][1]):
            raise EquationError(f"{kind} of shapes {left.shape} and {right.shape}")
    return {"add": np.add, "sub": np.subtract, "odot": np.multiply}[kind](left, right)
