"""backprop_site.figures: the site's figures, drawn from the ``backprop`` package's own objects.

Every ``*_figure`` function returns one HTML string, a ``<figure>`` holding inline SVG and a
caption, for a page to print from a fence ```` ```{.python html="on" source=""} ````. The
drawings are written by hand (no plotting library), coloured with Material for MkDocs' CSS
variables so they follow the reader's light or dark scheme, and deterministic: the same network
and data give the same string on every run. Beside each figure, the function that computes
what it shows (``one_sample``, ``outer_products``, ``cost_curve``, ...), for the pages and the
tests to use; ``multiply_adds`` is the count of a pass's arithmetic that two pages quote.
"""

from .circuit import circuit_figure, one_sample
from .counts import multiply_adds
from .network import forward_arrays, network_figure, paths_figure
from .outer_products import outer_products, outer_products_figure
from .plots import cost_curve, cost_curve_figure, sum_vs_mean, sum_vs_mean_figure

__all__ = [
    "circuit_figure",
    "cost_curve",
    "cost_curve_figure",
    "forward_arrays",
    "multiply_adds",
    "network_figure",
    "one_sample",
    "outer_products",
    "outer_products_figure",
    "paths_figure",
    "sum_vs_mean",
    "sum_vs_mean_figure",
]
