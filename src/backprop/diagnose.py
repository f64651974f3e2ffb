"""Name the mistake in a hand-written backward pass.

``diagnose(net, x, y, grads)`` compares each array you computed (any of ``dW{l}``, ``db{l}``,
``delta{l}``) with the true gradient of ``net`` on the batch ``x``, ``y``, and with what each
catalogued mistake would give at that point of the network, carried through the later layers
when the mistake sits in a delta::

    report = diagnose(net, x, y, {"dW2": my_dW2, "delta2": my_delta2})
    report.ok                        # every array given matches the gradient
    report["dW2"].mistake            # an id from MISTAKES, e.g. "sign"
    print(report)                    # what is wrong, where, and the page that explains it

The catalogue is :data:`MISTAKES` (``from backprop.diagnose import MISTAKES``: the package's
``backprop.diagnose`` is the function), one entry per stable id. A wrong shape, a NaN, or numbers
that match no mistake are findings, not errors. Plain NumPy: nothing here relies on NumPy's
floating-point error flags (they do nothing in the browser, under Pyodide); every candidate
array is checked for finiteness explicitly.
"""

import copy
import re
import textwrap
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .activations import unchecked
from .gradient_check import ParameterCheck
from .network import Network
from .validation import as_matrix, as_real


@dataclass(frozen=True)
class Mistake:
    """One catalogued mistake: its id, what it is in plain words, the page section on it.

    ``text`` is a sentence about the array ``{name}``; its other fields are filled in by
    :func:`diagnose` (``{l}``, ``{prev}``, ``{k}``, ``{k1}``, ``{N}``, ``{n}``, ``{n_prev}``,
    ``{act}``, ``{factor}``, ``{layout}``: the right layout of an array of this kind). ``page`` is
    a URL relative to the site's root.
    """

    id: str
    text: str
    page: str


MISTAKES = {m.id: m for m in [
    Mistake("correct", "{name} matches the gradient.", ""),
    Mistake("sign",
            "{name} is minus what it should be: the sign is flipped, as when y - a stands for "
            "the cost's derivative a - y. An update that subtracts it climbs the cost; one "
            "that adds it (W + lr * a.T @ delta, as the learner's does) is gradient descent.",
            "answer/output-layer/#sign"),
    Mistake("mean_not_sum",
            "{name} is the gradient divided by the batch size N = {N}: a mean over the batch, "
            "but C is a sum over the batch, and so is its gradient.",
            "answer/batches-and-biases/#sum-or-mean"),
    Mistake("scale",
            "{name} is {factor} times the gradient: a constant factor slipped in, such as the "
            "1/2 of C = 1/2 * sum((a - y)**2), which cancels the 2 of the square's derivative.",
            "answer/output-layer/#dC-da"),
    Mistake("transpose",
            "{name} is transposed, or made with a transposed factor: {layout}.",
            "answer/one-weight/#why-transpose"),
    Mistake("this_layer_activation",
            "{name} uses this layer's activation a{l} where the previous layer's belongs: "
            "dW{l} = a{prev}.T @ delta{l}, with a{prev} the input that W{l} multiplies.",
            "answer/one-weight/#which-activation"),
    Mistake("no_previous_activation",
            "{name} is delta{l} itself, without the previous layer's activation: "
            "dW{l} = a{prev}.T @ delta{l}.",
            "answer/one-weight/#weight-gradient"),
    Mistake("sigma_prime_of_a",
            "{name} takes the slope of the {act} at a{k} where z{k} belongs: the slope "
            "written for z, evaluated at a (for the sigmoid, sigmoid(a) * (1 - sigmoid(a)) "
            "instead of a * (1 - a)).",
            "answer/output-layer/#derv-sigmoid"),
    Mistake("sigma_prime_of_z",
            "{name} feeds z{k} to a slope written for the output a{k} (for the sigmoid, "
            "z * (1 - z) instead of a * (1 - a)).",
            "beyond/check-your-gradients/#sigma-prime-of-z"),
    Mistake("missing_sigma_prime",
            "{name} leaves out the slope of the {act} at layer {k}: delta{k} is dC/da{k} "
            "multiplied entry by entry with f'(z{k}), not dC/da{k} alone.",
            "answer/output-layer/#delta-L"),
    Mistake("weights_not_transposed",
            "{name} multiplies delta{k1} by W{k1} where its transpose belongs: "
            "delta{k} = (delta{k1} @ W{k1}.T) * f'(z{k}).",
            "answer/hidden-layer/#transpose"),
    Mistake("bias_wrong_axis",
            "{name} sums delta{l} over the units (axis=1) instead of over the samples: "
            "db{l} = delta{l}.sum(axis=0, keepdims=True), shape (1, {n}).",
            "answer/batches-and-biases/#bias"),
    Mistake("wrong_shape", "{name} has shape {shape}, but {needs}.",
            "answer/shape-coincidences/#habit"),
    Mistake("not_finite",
            "{name} is not finite: {name}{index} is {value}. Something overflowed or divided "
            "by zero on the way (NumPy in the browser does not warn about it).",
            "beyond/check-your-gradients/"),
    Mistake("unknown",
            "{name} is wrong, and none of the catalogued mistakes gives these numbers.",
            "beyond/check-your-gradients/"),
]}

# Printed reports are wrapped to this many characters: a code box of the site's column holds 80.
WIDTH = 78

# The mistakes that sit in a delta and are carried to the layers before it.
DELTA_MISTAKES = ("sigma_prime_of_a", "sigma_prime_of_z", "missing_sigma_prime",
                  "weights_not_transposed")
# The mistakes that multiply an array by a constant: the same numbers wherever they sit.
FACTOR_MISTAKES = ("sign", "mean_not_sum", "scale")


@dataclass
class Finding:
    """What :func:`diagnose` found for one array.

    Attributes
    ----------
    name : str, the array's name, e.g. ``"dW2"``
    layer : int, its layer l
    mistake : str, an id of :data:`MISTAKES`; ``"sign+transpose"`` for two at once. When
        several mistakes give the same numbers, the first of ``candidates``.
    candidates : tuple of str, every id that gives these numbers (more than one: ambiguous)
    sources : tuple of str, the arrays the mistake can sit in, e.g. ``("delta2",)`` for a
        mistake in delta2 carried to dW1
    message : str, the finding in plain words
    page : str, the page section that explains it, relative to the site's root
    """

    name: str
    layer: int
    mistake: str
    candidates: tuple
    sources: tuple
    message: str
    page: str

    @property
    def ok(self):
        return self.mistake == "correct"

    @property
    def ambiguous(self):
        return len(self.candidates) > 1

    def __str__(self):
        head = f"{self.name} (layer {self.layer}): {' or '.join(self.candidates)}"
        body = "\n".join(textwrap.fill(part, WIDTH, initial_indent="  ", subsequent_indent="  ")
                         if not part.startswith("    ") else part
                         for part in self.message.split("\n"))
        see = f"\n  See {self.page}" if self.page and not self.ok else ""
        return f"{head}\n{body}{see}" if not self.ok else head


@dataclass
class Diagnosis:
    """The findings of :func:`diagnose`, one per array given, in the order given.

    ``.ok`` is True when every array matches the gradient; ``report["dW2"]`` is the
    :class:`Finding` for ``dW2``; ``print(report)`` shows them all.
    """

    findings: list
    rtol: float
    atol: object  # float, or None for the default described in diagnose
    note: str = ""  # a first line, e.g. how your arrays were read (diagnose_arrays)

    @property
    def ok(self):
        return all(f.ok for f in self.findings)

    def __getitem__(self, name):
        for finding in self.findings:
            if finding.name == name:
                return finding
        raise KeyError(f"no finding for {name!r}; arrays given: "
                       f"{', '.join(f.name for f in self.findings)}")

    def __bool__(self):
        return self.ok

    def __str__(self):
        wrong = [f for f in self.findings if not f.ok]
        atol = "default" if self.atol is None else f"{self.atol:g}"
        arrays = "1 array" if len(self.findings) == 1 else f"{len(self.findings)} arrays"
        if wrong:
            names = ", ".join(f"{f.name} ({f.mistake})" for f in wrong)
            verdict = f"{len(wrong)} of {arrays} wrong: {names}"
        else:
            verdict = f"{arrays} given, every one matches the gradient"
        lines = [self.note] * bool(self.note) + [str(f) for f in self.findings]
        verdict = textwrap.fill(f"{verdict} (rtol={self.rtol:g}, atol={atol})", WIDTH,
                                subsequent_indent="  ")
        return "\n".join(lines + [verdict])

    def __repr__(self):
        return f"Diagnosis(ok={self.ok}, findings={[(f.name, f.mistake) for f in self.findings]})"


class _Batch:
    """One batch through ``net``: the forward cache, the true gradients, and the arrays each
    catalogued mistake gives, computed when first asked for."""

    def __init__(self, net, x, y):
        self.net, self.L = net, net.L
        self.true = net.gradients(x, y)  # checks x and y, with messages naming them
        self.cache = net.forward(x)
        self.y = as_matrix("y", y, dtype=net.dtype)
        self.N = self.cache["a0"].shape[0]
        self.f = [unchecked(f) for f in net.activations]  # self.f[k - 1] is layer k's
        self._carried = {}

    def dC_da(self, k):
        """The true dC/da{k} (N, n_k): the cost's derivative at the output, else delta{k+1} W{k+1}.T."""
        if k == self.L:
            return self.net.cost.gradient(self.cache[f"a{k}"], self.y)
        return self.true[f"delta{k + 1}"] @ self.net.params[f"W{k + 1}"].T

    def wrong_delta(self, mistake, k):
        """delta{k} (N, n_k) as ``mistake`` computes it from true later deltas, or None if
        that code would not run here."""
        f, a, z = self.f[k - 1], self.cache[f"a{k}"], self.cache[f"z{k}"]
        if mistake == "sigma_prime_of_a":  # the slope at z, evaluated at a
            return f._backward(f._forward(a), self.dC_da(k))
        if mistake == "sigma_prime_of_z":  # the slope written from the output, fed z
            return f._backward(z, self.dC_da(k))
        if mistake == "missing_sigma_prime":
            return self.dC_da(k)
        # weights_not_transposed: delta{k+1} @ W{k+1} runs only where W{k+1} is square
        if k == self.L or self.net.params[f"W{k + 1}"].shape[0] != self.net.params[f"W{k + 1}"].shape[1]:
            return None
        return f._backward(a, self.true[f"delta{k + 1}"] @ self.net.params[f"W{k + 1}"])

    def carried(self, mistake, k):
        """{j: delta{j}} for j = k, k-1, ..., 1 with ``mistake`` in delta{k} and the true rule
        below it, or None where the mistake's code would not run (or is not finite)."""
        key = (mistake, k)
        if key not in self._carried:
            deltas = None
            try:
                delta = self.wrong_delta(mistake, k)
                if delta is not None and delta.shape == self.true[f"delta{k}"].shape:
                    deltas = {k: delta}
                    for j in range(k - 1, 0, -1):
                        delta = self.f[j - 1]._backward(
                            self.cache[f"a{j}"], delta @ self.net.params[f"W{j + 1}"].T)
                        deltas[j] = delta
            except (ValueError, TypeError, ArithmeticError):  # your own activation may refuse z
                deltas = None
            self._carried[key] = deltas
        return self._carried[key]

    def from_your_delta(self, k, delta, l):
        """This batch with the reader's ``delta`` (N, n_k) as delta{k}, and delta{j}, dW{j},
        db{j} for j = k down to l made from it by the right rules: what the lines of layer l
        give when they are right but start from the reader's delta{k}."""
        other = copy.copy(self)
        other.true, other._carried = dict(self.true), {}
        for j in range(k, l - 1, -1):
            if j < k:
                delta = self.f[j - 1]._backward(
                    self.cache[f"a{j}"], delta @ self.net.params[f"W{j + 1}"].T)
            other.true[f"delta{j}"] = delta
            other.true[f"dW{j}"] = self.cache[f"a{j - 1}"].T @ delta
            if f"b{j}" in self.net.params:
                other.true[f"db{j}"] = delta.sum(axis=0, keepdims=True)
        return other

    def made(self, kind, l, delta):
        """The array ``kind`` ("dW", "db" or "delta") of layer l made from ``delta`` (N, n_l)."""
        if kind == "delta":
            return delta
        if kind == "dW":
            return self.cache[f"a{l - 1}"].T @ delta
        return delta.sum(axis=0, keepdims=True)

    def local(self, kind, l):
        """[(id, array)]: the mistakes made in this very array, from the true delta{l}."""
        a_prev, a, delta = self.cache[f"a{l - 1}"], self.cache[f"a{l}"], self.true[f"delta{l}"]
        if kind == "dW":
            out = [("transpose", delta.T @ a_prev),
                   ("this_layer_activation", a.T @ delta),
                   ("no_previous_activation", delta)]
            if a_prev.shape[0] == a_prev.shape[1]:  # a_prev @ delta runs only when N == n_{l-1}
                out.append(("transpose", a_prev @ delta))
            return out
        if kind == "db":
            across_units = delta.sum(axis=1, keepdims=True)  # (N, 1)
            return [("transpose", self.true[f"db{l}"].T),
                    ("bias_wrong_axis", across_units), ("bias_wrong_axis", across_units.T)]
        return [("transpose", delta.T)]

    def candidates(self, kind, l, rtol, atol, keep, top=None):
        """[(id, source, array)] with ``keep(id, array)`` true: what the array ``kind`` of
        layer l is under each mistake, ``source`` the array the mistake sits in (a delta
        mistake in delta{k}, k from l up to ``top``, by default L). Only finite
        arrays, and only mistakes that change the numbers here (a ReLU's slope is the same at
        z and at a, for one); each also with the sign flipped, as in the learner's code
        (y - a for a - y), unless that changes nothing (an array of zeros)."""
        name = f"{kind}{l}"
        true = self.true[name]
        out = [("sign", name, -true), ("scale", name, 2 * true), ("scale", name, true / 2)]
        if self.N > 1:
            out.append(("mean_not_sum", name, true / self.N))
        for mistake in DELTA_MISTAKES:
            for k in range(l, (self.L if top is None else top) + 1):
                deltas = self.carried(mistake, k)
                if deltas is not None:
                    out.append((mistake, f"delta{k}", self.made(kind, l, deltas[l])))
        out += [(mistake, name, array) for mistake, array in self.local(kind, l)]
        kept = [("correct", name, true)] if keep("correct", true) else []
        for m, s, a in out:
            pair = [(m, a)] if m == "sign" else [(m, a), ("sign+" + m, -a)]
            for m2, a2 in pair:  # keep() first: it rules most out, and is the cheaper test
                if keep(m2, a2) and np.all(np.isfinite(a)) and not _close(a, true, rtol, atol) \
                        and (m2 == m or not _close(-a, a, rtol, atol)):
                    kept.append((m2, s, a2))
        return kept

    def default_atol(self, kind, l):
        """1e-8 times the size of the terms the array is made of (see :func:`diagnose`)."""
        size = float(np.max(np.abs(self.true[f"delta{l}"])))
        if kind == "db":
            size *= self.N
        elif kind == "dW":
            size *= self.N * float(np.max(np.abs(self.cache[f"a{l - 1}"])))
        return 1e-8 * size


def _close(given, expected, rtol, atol):
    """Same shape, and every entry within ``atol + rtol * |expected|``."""
    if given.shape != expected.shape or given.size == 0:
        return given.shape == expected.shape
    first, other = float(given.flat[0]), float(expected.flat[0])  # most differ there already
    if not abs(first - other) <= atol + rtol * abs(other):
        return False
    return bool((np.abs(given - expected) <= atol + rtol * np.abs(expected)).all())


def _ordered(ids):
    """Distinct ids in the catalogue's order (combinations after their first part)."""
    order = list(MISTAKES)
    return sorted(set(ids), key=lambda m: (order.index(m.split("+")[-1]), m.count("+")))


_NAME = re.compile(r"(dW|db|delta)([1-9][0-9]*)")


def diagnose(net, x, y, grads, rtol=1e-5, atol=None):
    """Compare your gradients with the true ones and name the mistake in each wrong array.

    Parameters
    ----------
    net : Network
        At the parameters your gradients were computed for.
    x : array_like of shape (N, n0), the batch's inputs
    y : array_like of shape (N, nL), its targets
    grads : dict of str to array_like
        Any of your arrays, named as the package names them: ``"dW{l}"`` of shape
        (n_{l-1}, n_l), ``"db{l}"`` of shape (1, n_l) (only for layers with a bias),
        ``"delta{l}"`` of shape (N, n_l), for l = 1..L; C summed over the batch,
        ``delta{l} = dC/dz{l}``, ``dW{l} = a{l-1}.T @ delta{l}``. An array of another shape
        is diagnosed too (a wrong shape is a finding).
    rtol : float >= 0, default 1e-5
    atol : float >= 0, or None
        An entry of yours agrees with an expected one when ``|yours - expected| <= atol +
        rtol * |expected|``. By default ``atol`` is 1e-8 times the size of the terms the
        array is made of: ``max|delta{l}|`` for ``delta{l}``, ``N * max|delta{l}|`` for
        ``db{l}``, ``N * max|a{l-1}| * max|delta{l}|`` for ``dW{l}``, so the rounding of your
        own sums (about 1e-16 of that size in float64) never counts as a mistake.

    Returns
    -------
    Diagnosis
        ``.ok``, ``.findings`` (one :class:`Finding` per array, in the order given:
        ``.name``, ``.mistake``, ``.message``), ``report["dW1"]``, and ``print(report)``.

    Raises
    ------
    TypeError
        ``net`` is not a Network, ``grads`` not a dict, or an array not made of real numbers.
    ValueError
        ``x`` or ``y`` does not fit ``net`` (as :meth:`Network.gradients` says), ``grads`` is
        empty or has a name that is not ``dW{l}``, ``db{l}`` or ``delta{l}`` of this network.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop.Network, got {type(net).__name__}")
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict such as {{'dW1': dW1, 'delta2': delta2}}, "
                        f"got {type(grads).__name__}")
    if not grads:
        raise ValueError("grads is empty: give at least one of your arrays, e.g. {'dW1': dW1}")
    rtol = as_real("rtol", rtol, low=0)
    if atol is not None:
        atol = as_real("atol", atol, low=0)
    given = {}
    for name, array in grads.items():
        kind, l = _parse_name(net, name)
        array = np.asarray(array)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"grads[{name!r}] must hold real numbers, got dtype {array.dtype}")
        given[name] = (kind, l, array)
    with np.errstate(all="ignore"):  # quiet only: finiteness is checked explicitly
        batch = _Batch(net, x, y)
        found = {}  # from the output layer down: a delta before the arrays made from it
        for name in sorted(given, key=lambda n: (-given[n][1], given[n][0] != "delta")):
            kind, l, array = given[name]
            found[name] = _finding(batch, name, kind, l, array, rtol, atol, y, given, found)
    findings = [found[name] for name in given]
    _point_to_sources(findings)
    return Diagnosis(findings, rtol, atol)


def _parse_name(net, name):
    match = _NAME.fullmatch(name) if isinstance(name, str) else None
    if match is None or not 1 <= int(match[2]) <= net.L:
        raise ValueError(f"grads has {name!r}; give arrays named dW1..dW{net.L}, db1..db{net.L} "
                         f"or delta1..delta{net.L} (this network has {net.L} layers)")
    kind, l = match[1], int(match[2])
    if kind == "db" and f"b{l}" not in net.params:
        raise ValueError(f"grads has {name!r} but layer {l} of this network has no bias b{l}")
    return kind, l



def _finding(batch, name, kind, l, given, rtol, atol, y, yours, found):
    """The :class:`Finding` for your array ``given`` named ``name`` (``kind`` of layer l);
    ``yours`` holds all your arrays, ``found`` the findings of the later layers' deltas."""
    true = batch.true[name]
    tol = batch.default_atol(kind, l) if atol is None else atol
    fields = _fields(batch, name, l)

    def finding(candidates, matched=(), extra="", **more):
        """``matched``: the (id, source) pairs whose arrays matched yours."""
        sources = {m: _sources(batch, name, l, m, [s for m2, s in matched if m2 == m])
                   for m in candidates}
        texts = [_text(m, dict(fields, **more), sources[m]) for m in candidates]
        if len(candidates) > 1:
            texts = [f"{name} is wrong, and {len(candidates)} mistakes give exactly these "
                     f"numbers on this batch:"] + [f"({i}) {t}" for i, t in enumerate(texts, 1)]
        page = MISTAKES[candidates[0].split("+")[-1]].page
        return Finding(name, l, candidates[0], tuple(candidates), sources[candidates[0]],
                       ("\n" if len(candidates) > 1 else " ").join(texts) + extra, page)

    if given.dtype.kind == "f" and not np.all(np.isfinite(given)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(given))[0])
        return finding(["not_finite"], index=list(index), value=given[index])
    given = given.astype(np.float64) if given.dtype.kind != "f" else given
    needs = _needs(batch, name, kind, l)
    wrong_shape = given.shape != true.shape

    matched = [(m, s) for m, s, _ in batch.candidates(
        kind, l, rtol, tol, lambda m, a: _close(given, a, rtol, tol))]
    if not matched:  # the numbers of a candidate in another shape, e.g. (n,) for (1, n)
        matched = [(m, s) for m, s, _ in batch.candidates(
            kind, l, rtol, tol, lambda m, a: a.shape != given.shape and a.size == given.size
            and _close(given.reshape(a.shape), a, rtol, tol))]
    ids = _ordered(m for m, _ in matched)
    if "correct" in ids:
        if not wrong_shape:
            return finding(["correct"])
        return finding(["wrong_shape"], shape=given.shape, needs=needs,
                       extra=f" Its values are right: reshape it to {true.shape}.")
    if ids:
        extra = f" (It has shape {given.shape}, but {needs}.)" if wrong_shape else ""
        if len(ids) > 1:
            extra += _telling_apart(batch.net, y, kind, l, ids, rtol, atol)
        return finding(ids, matched, extra, factor=_ratio(given, true))
    mine = _from_your_delta(batch, name, kind, l, given, rtol, tol, yours, found)
    if mine is not None:
        ids, source, expected = mine
        if ids == ["correct"]:  # the right line, fed your wrong delta
            cause = found[source]
            root = source if source in cause.sources else cause.sources[0]  # carried further?
            via = f", made from your {root}" if root != source else ""
            return Finding(name, l, cause.mistake, (cause.mistake,), (root,),
                           f"{name} is what the right line makes from your {source}, which is "
                           f"wrong ({cause.mistake}{via}): correct {root} and {name} follows.",
                           cause.page)
        repeated = finding(ids, [(m, name) for m in ids],
                           f" (Found by applying your line to your {source}, which is wrong "
                           f"too: the slip is in more than one layer, as when a loop repeats "
                           f"it.)", factor=_ratio(given, expected))
        repeated.sources = (name,)  # this layer's own line, whatever the later ones did
        return repeated
    if wrong_shape:
        return finding(["wrong_shape"], shape=given.shape, needs=needs)
    factor = _factor(given, true, rtol, tol)
    if factor is not None:
        mistake = "scale" if factor > 0 else "sign+scale"
        return finding([mistake], factor=f"{abs(factor):.6g}")
    return finding(["unknown"], extra="\n" + _differing_entries(name, given, true, rtol, tol))


def _from_your_delta(batch, name, kind, l, given, rtol, tol, yours, found):
    """(ids, source, right) when your array matches a catalogued mistake, or the right line
    (``["correct"]``), made from *your* delta it starts from (delta{l+1} for a delta, delta{l}
    for dW{l} and db{l}) rather than the true one, ``right`` what the right line makes from
    it; None when that delta is not given, is not
    wrong, has the wrong shape or is not finite, or nothing matches."""
    k = l + 1 if kind == "delta" else l
    source = f"delta{k}"
    if source not in yours or source == name or found[source].ok \
            or found[source].mistake in ("wrong_shape", "not_finite"):
        return None
    delta = yours[source][2].astype(np.float64)
    if delta.shape != batch.true[source].shape:
        return None
    mine = batch.from_your_delta(k, delta, l)
    matched = mine.candidates(kind, l, rtol, tol, lambda m, a: _close(given, a, rtol, tol),
                              top=l)
    ids = _ordered(m for m, _, _ in matched)
    if not ids:
        return None
    return ["correct"] if "correct" in ids else ids, source, mine.true[name]


def _fields(batch, name, l):
    """The values the mistakes' texts refer to, for the array ``name`` of layer l."""
    sizes = batch.net.sizes
    acts = {k: getattr(f, "name", type(f).__name__) for k, f in enumerate(batch.net.activations, 1)}
    N, n, n_prev = batch.N, sizes[l], sizes[l - 1]
    layout = {  # the right layout of each kind of array, for the transpose's sentence
        "dW": f"dW{l} = a{l - 1}.T @ delta{l} has W{l}'s shape ({n_prev}, {n}), and delta{l} "
              f"has one row per sample, shape ({N}, {n})",
        "db": f"db{l} = delta{l}.sum(axis=0, keepdims=True) has b{l}'s shape (1, {n}), a row",
        "delta": f"delta{l} has one row per sample and one column per unit, shape ({N}, {n}), "
                 f"like z{l}",
    }[_NAME.fullmatch(name)[1]]
    return {"name": name, "l": l, "prev": l - 1, "N": N, "n": n, "n_prev": n_prev,
            "acts": acts, "layout": layout}


def _text(mistake, fields, sources):
    """The sentence for ``mistake``; for ``"sign+x"``, x's sentence and then the sign's."""
    parts = mistake.split("+")
    k = max([int(s[5:]) for s in sources if s.startswith("delta")] or [fields["l"]])
    values = dict(fields, k=k, k1=k + 1, act=fields["acts"][k])
    text = MISTAKES[parts[-1]].text.format(**values)
    if len(parts) == 2:
        text += (" And the sign is flipped as well, as when y - a stands for the cost's "
                 "derivative a - y.")
    return text


def _ratio(given, true):
    """|c| as text for ``given`` = c * ``true`` (only read by the scale's sentence)."""
    norm = float(np.vdot(true, true)) if given.shape == true.shape else 0.0
    return f"{abs(float(np.vdot(given, true)) / norm):.6g}" if norm > 0 else "a constant"


def _sources(batch, name, l, mistake, matched_sources):
    """The arrays ``mistake`` can sit in: a constant factor anywhere from ``name`` up to the
    output delta (all give the same numbers), a delta mistake in the deltas it matched at."""
    if mistake.split("+")[-1] in FACTOR_MISTAKES:
        deltas = [f"delta{k}" for k in range(l, batch.L + 1)]
        return tuple(dict.fromkeys([name] + deltas))
    return tuple(dict.fromkeys(matched_sources)) or (name,)


def _needs(batch, name, kind, l):
    true = batch.true[name]
    if kind == "dW":
        return f"a gradient needs its parameter's shape, W{l}'s {true.shape}"
    if kind == "db":
        return f"db{l} needs b{l}'s shape {true.shape}, one entry per unit"
    return f"delta{l} needs z{l}'s shape {true.shape}, one row per sample"


def _factor(given, true, rtol, atol):
    """c if ``given`` is c * ``true`` for one number c, judged on at least two entries of
    ``true`` above ``atol`` (one entry is always some multiple of another); else None."""
    if np.count_nonzero(np.abs(true) > atol) < 2:
        return None
    c = float(np.vdot(given, true) / np.vdot(true, true))
    scaled = c * true
    return c if np.all(np.isfinite(scaled)) and _close(given, scaled, rtol, atol) else None


def _differing_entries(name, given, true, rtol, atol, shown=4):
    """The entries that differ, yours against the gradient, as the gradient checker lists them."""
    mismatch = np.abs(given - true) > atol + rtol * np.abs(true)
    bad = ParameterCheck(name, given, true, mismatch).bad_entries
    lines = [f"    {name}{list(i)}: yours {given[i]: .6g}, gradient {true[i]: .6g}"
             for i in bad[:shown]]
    if len(bad) > shown:
        lines.append(f"    ... and {len(bad) - shown} more")
    return f"Entries that differ ({len(bad)} of {mismatch.size}):\n" + "\n".join(lines)


def _telling_apart(net, y, kind, l, ids, rtol, atol):
    """A sentence naming a batch size on which the mistakes ``ids`` give different numbers.

    Tried on random inputs (rows of ``y`` as targets) for sizes from 2 up, skipping the
    batch's own size and every layer width, where shapes coincide.
    """
    y = np.asarray(y)
    N = y.shape[0]
    sizes = set(net.sizes)
    rng = np.random.default_rng(0)
    for n in [n for n in range(2, max(sizes | {N}) + 3) if n != N and n not in sizes]:
        batch = _Batch(net, rng.standard_normal((n, net.sizes[0])), y[rng.integers(0, N, n)])
        tol = batch.default_atol(kind, l) if atol is None else atol
        arrays = {m: [] for m in ids}
        for m, _, a in batch.candidates(kind, l, rtol, tol, lambda m, a: m in arrays):
            arrays[m].append(a)
        if not any(_close(a, b, rtol, tol) for m1, m2 in combinations(ids, 2)
                   for a in arrays[m1] for b in arrays[m2]):
            rows = f"x[:{n}], y[:{n}]" if n < N else f"{n} samples"
            return (f"\nOn a batch of {n} they differ: run your code on {rows} and diagnose "
                    f"again to tell them apart.")
    return "\nNo batch size tells them apart on this network."


def _point_to_sources(findings):
    """Say where a mistake carried from a delta sits, using the other arrays given: a delta
    given with the same mistake is where it comes from; a delta given without it is not."""
    by_name = {f.name: f for f in findings}
    for f in findings:
        if f.ok or f.mistake.split("+")[-1] not in FACTOR_MISTAKES + DELTA_MISTAKES:
            continue
        same = [s for s in f.sources if s != f.name and s in by_name
                and by_name[s].mistake == f.mistake]
        if same:  # said in full there
            f.sources = (max(same, key=lambda s: int(s[5:])),)
            f.message = (f"{f.name} has the mistake of {f.sources[0]} ({f.mistake}), carried "
                         f"from there by the backward pass.")
            continue
        f.sources = tuple(s for s in f.sources if s == f.name or s not in by_name)
        elsewhere = " or ".join(s for s in f.sources if s != f.name)
        if elsewhere and f.name in f.sources:
            f.message += (f" It sits in {f.name} itself or in {elsewhere}, from which the "
                          f"backward pass makes {f.name}.")
        elif elsewhere:
            f.message += f" It sits in {elsewhere}; the backward pass carries it to {f.name}."


CONVENTIONS = {"row": "z = a W + b, W{l} of shape (n_{l-1}, n_l)",
               "column": "z = W a + b, W{l} of shape (n_l, n_{l-1})"}


def diagnose_arrays(weights, x, y, grads, biases=None, convention="row",
                    activations="sigmoid", cost="half_squared_error", rtol=1e-5, atol=None):
    """:func:`diagnose` for your own NumPy network, given as its arrays: the matching
    :class:`Network` is built from your weights.

    Parameters
    ----------
    weights : list of L 2-D arrays [W1, ..., WL]
        ``convention="row"`` (this site's, ``z = a W + b``): W{l} of shape (n_{l-1}, n_l).
        ``convention="column"`` (Nielsen's, ``z = W a + b``): W{l} of shape (n_l, n_{l-1}).
    x : array_like, row (N, n0), column (n0, N): the batch the gradients were computed on
    y : array_like, row (N, nL), column (nL, N)
    grads : dict of str to array_like
        Your arrays, named ``dW{l}``, ``db{l}``, ``delta{l}`` as for :func:`diagnose`, each in
        your convention's layout: dW{l} the shape of W{l}, db{l} the shape of b{l},
        delta{l} row (N, n_l), column (n_l, N). C is summed over the batch.
    biases : None, or a list of L entries, each an array or None (a layer without a bias)
        Row (1, n_l), column (n_l, 1); a 1-D (n_l,) bias is read as either, and so is
        its db.
    convention : "row" or "column"
    activations, cost : as for :class:`Network` (one activation or a list of L)
    rtol, atol : as for :func:`diagnose`

    Returns
    -------
    Diagnosis
        In the row layout: for the column convention every array is transposed first
        (your dW1 is reported as dW1.T, of shape (n0, n1)), as its first line says.

    Raises
    ------
    TypeError, ValueError
        A bad argument, with the array, its shape and the shape it needs named; where your
        shapes fit the other convention, the message says so.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be 'row' ({CONVENTIONS['row']}: this site's) or "
                         f"'column' ({CONVENTIONS['column']}: Nielsen's), got {convention!r}")
    if not isinstance(weights, (list, tuple)) or not weights:
        raise TypeError(f"weights must be a list [W1, ..., WL] of your 2-D weight arrays, "
                        f"got {type(weights).__name__}")
    Ws = [np.asarray(W) for W in weights]
    for l, W in enumerate(Ws, 1):
        if W.ndim != 2:
            raise ValueError(f"weights[{l - 1}] (W{l}) has shape {W.shape}: a weight matrix "
                             f"is 2-D")
    _check_chain(Ws, convention)
    column = convention == "column"
    params = {f"W{l}": W.T if column else W for l, W in enumerate(Ws, 1)}
    sizes = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, len(Ws) + 1)]
    flat = set()  # layers whose bias is 1-D: their db is read as a row too
    if biases is not None:
        if not isinstance(biases, (list, tuple)) or len(biases) != len(Ws):
            got = f"{len(biases)}" if isinstance(biases, (list, tuple)) else \
                type(biases).__name__
            raise ValueError(f"biases must be None or a list of {len(Ws)} entries (an array "
                             f"or None per layer), as many as weights, got {got}")
        for l, b in enumerate(biases, 1):
            if b is None:
                continue
            b = np.asarray(b)
            need = (sizes[l], 1) if column else (1, sizes[l])
            if b.shape == (sizes[l],):
                flat.add(l)
                b = b.reshape(1, -1)
            elif b.shape == need:
                b = b.T if column else b
            else:
                raise ValueError(f"b{l} has shape {b.shape}, but layer {l} has {sizes[l]} units: "
                                 f"give {need} or ({sizes[l]},) ({convention} convention)")
            params[f"b{l}"] = b
    x, y = np.asarray(x), np.asarray(y)
    for name, array, n in (("x", x, sizes[0]), ("y", y, sizes[-1])):
        need = f"({n}, N)" if column else f"(N, {n})"
        fits = array.ndim == 2 and array.shape[0 if column else 1] == n
        if not fits:
            hint = ""
            if array.ndim == 2 and array.shape[1 if column else 0] == n:
                hint = f"; {name}.T fits, or your {name} is in the other convention"
            raise ValueError(f"{name} has shape {array.shape}, but the weights need {need} "
                             f"({convention} convention){hint}")
    if column:
        x, y = x.T, y.T
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict such as {{'dW1': dW1, 'delta2': delta2}}, "
                        f"got {type(grads).__name__}")
    mine = {}
    for name, array in grads.items():
        array = np.asarray(array)
        match = _NAME.fullmatch(name) if isinstance(name, str) else None
        if match and match[1] == "db" and int(match[2]) in flat and array.ndim == 1:
            array = array.reshape(1, -1)
        elif column:
            array = array.T
        mine[name] = array
    net = Network(params, activations=activations, cost=cost)
    report = diagnose(net, x, y, mine, rtol=rtol, atol=atol)
    if column:
        report.note = ("Column convention: your arrays were transposed to the row layout\n"
                       "this report uses (W1 here is your W1.T, dW1 your dW1.T).")
    return report


def _check_chain(Ws, convention):
    """Each W{l+1} takes W{l}'s outputs as its inputs, in ``convention``; else a ValueError
    naming the pair, and the other convention when the shapes chain there."""
    outputs, inputs = (1, 0) if convention == "row" else (0, 1)
    for l in range(1, len(Ws)):
        W, V = Ws[l - 1], Ws[l]
        if W.shape[outputs] != V.shape[inputs]:
            other = "column" if convention == "row" else "row"
            fits = all(a.shape[inputs] == b.shape[outputs] for a, b in zip(Ws, Ws[1:]))
            hint = f"; they chain as convention='{other}'" if fits else ""
            raise ValueError(f"W{l} has shape {W.shape} and W{l + 1} {V.shape}: in the "
                             f"{convention} convention ({CONVENTIONS[convention]}) W{l + 1} "
                             f"needs {W.shape[outputs]} "
                             f"{'rows' if convention == 'row' else 'columns'}{hint}")


def exercise_report(net, x, y, grads):
    """What an exercise on the site prints: ``diagnose(net, x, y, grads)``, or, while an array
    of ``grads`` is still the placeholder ``...``, a line asking for it (a str)."""
    waiting = [name for name, value in grads.items() if value is Ellipsis]
    if waiting:
        return (f"Not written yet: {', '.join(waiting)}. Replace the ... with your line, "
                f"then Run.")
    return diagnose(net, x, y, grads)
