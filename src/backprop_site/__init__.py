"""backprop_site: what the site's hooks, tests and scripts share. A development package: the
published wheel holds ``backprop`` alone (pyproject.toml).
"""
