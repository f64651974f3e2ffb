"""The shape table of docs/answer/one-weight.md, checked against the package's arrays.

The page lists each symbol's shape at layer l in terms of N (the batch size) and the widths
n_{l-1}, n_l. Every row is read from the page and compared, at every layer, with the arrays
of one forward and backward pass of networks whose sizes all differ (so a swapped pair of
sizes cannot pass by coincidence).
"""

import numpy as np
import pytest

from backprop import Network
from backprop_site.repo import ROOT

PAGE = ROOT / "docs" / "answer" / "one-weight.md"


def table_rows():
    """[(symbol, [code names], general shape)] of the table under the `{ #shape-table }` heading."""
    text = PAGE.read_text(encoding="utf-8").split("{ #shape-table }", 1)[1]
    lines = [line for line in text.split("\n\n", 2)[1].splitlines() if line.startswith("|")]
    rows = []
    for line in lines[2:]:
        symbol, code, shape = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((symbol, [name.strip(" `") for name in code.split(",")], shape))
    return rows


def shape_of(general, sizes, N, l):
    """'$(N, n_{l-1})$' -> (N, sizes[l-1])."""
    names = {"N": N, "1": 1, "n_{l-1}": sizes[l - 1], "n_{l}": sizes[l]}
    return tuple(names[part.strip()] for part in general.strip("$()").split(","))


def test_shape_table_has_every_array():
    names = [name for _, codes, _ in table_rows() for name in codes]
    assert names == ["a{l-1}", "W{l}", "b{l}", "z{l}", "a{l}", "delta{l}", "dW{l}", "db{l}"], names


@pytest.mark.parametrize("sizes", [[3, 5, 2], [2, 7, 3, 4], [6, 1, 5]])
def test_shape_table_matches_the_package(sizes):
    rng = np.random.default_rng(24)
    N = 9
    assert N not in sizes, "a batch size equal to a width would hide a swapped shape"
    net = Network.from_sizes(sizes, rng)
    x, y = rng.standard_normal((N, sizes[0])), rng.random((N, sizes[-1]))
    cache = net.forward(x)
    arrays = {**net.params, **cache, **net.backward(cache, y)}
    for symbol, codes, general in table_rows():
        for l in range(1, len(sizes)):
            for code in codes:
                name = code.replace("{l-1}", str(l - 1)).replace("{l}", str(l))
                assert arrays[name].shape == shape_of(general, sizes, N, l), (symbol, sizes, l)
