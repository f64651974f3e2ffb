"""Five classic mistakes of backpropagation, written as edits: to the package's source
(SRC_MUTATIONS) and to the numbered equations of the pages (EQUATION_MUTATIONS).

scripts/mutation_check.py makes each edit in a copy of the project and runs the tests, which
must fail; docs/testing.md applies the equation edits in memory and shows the checker
(backprop_site.equation_check) refusing each.
"""

# (name, file, anchor, [(old, new), ...]): each old text is replaced at its first occurrence
# after the anchor (so the half squared error is edited, not another cost in the same file).
SRC_MUTATIONS = [
    ("transpose dropped from the weight gradient", "src/backprop/layer.py", "def _backward",
     [("dW = a_prev.T @ delta", "dW = a_prev @ delta")]),
    ("z fed to sigma' where a is expected", "src/backprop/network.py", "def _backward",
     [("dC_da, cache[names.a_prev], cache[names.a]", "dC_da, cache[names.a_prev], cache[names.z]")]),
    ("sign of delta^L flipped", "src/backprop/costs.py", "class HalfSquaredError",
     [("return a - y", "return y - a")]),
    ("batch sum replaced by mean, rate unchanged", "src/backprop/costs.py", "class HalfSquaredError",
     [("return 0.5 * float(np.vdot(d, d))", "return 0.5 * float(np.vdot(d, d)) / a.shape[0]"),
      ("return a - y", "return (a - y) / a.shape[0]")]),
    ("transpose of W dropped in the hidden delta", "src/backprop/layer.py", "def _backward",
     [("dC_da_prev = delta @ W.T", "dC_da_prev = delta @ W")]),
]

IDX = r"\^\{([^}]*)\}"
# (name, pattern that selects the equation, regex to replace in it, replacement, fallback page text)
EQUATION_MUTATIONS = [
    ("transpose dropped from the weight gradient",
     r"\\partial W", r"\(a" + IDX + r"\)\^\\top", r"a^{\1}",
     r"\frac{\partial C}{\partial W^{[l]}} = a^{[l-1]} \delta^{[l]}"),
    ("z fed to sigma' where a is expected",
     r"\\sigma'\(z", r"\\sigma'\(z" + IDX + r"\)", r"\\sigma'(a^{\1})",
     r"\delta^{[L]} = (a^{[L]} - y) \odot \sigma'(a^{[L]})"),
    ("sign of delta^L flipped",
     r"a\^\{\[(?:L|2)\]\} - y", r"a" + IDX + r" - y", r"y - a^{\1}",
     r"\delta^{[L]} = (y - a^{[L]}) \odot \sigma'(z^{[L]})"),
    ("batch sum replaced by mean, rate unchanged",
     r"\\partial W", r"(\\frac\{\\partial C\}\{\\partial W" + IDX + r"\}\s*=)", r"\1 \\frac{1}{N}",
     r"\frac{\partial C}{\partial W^{[l]}} = \frac{1}{N} (a^{[l-1]})^\top \delta^{[l]}"),
    ("transpose of W dropped in the hidden delta",
     r"\(W\^\{\[l\+1\]\}\)\^\\top", r"\(W" + IDX + r"\)\^\\top", r"W^{\1}",
     r"\delta^{[l]} = \left(\delta^{[l+1]} W^{[l+1]}\right) \odot \sigma'(z^{[l]})"),
]
