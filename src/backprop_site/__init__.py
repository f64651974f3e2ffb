"""backprop_site: what the site's build, tests and scripts share (the hooks under hooks/ are thin
adapters over it). A development package: the published wheel holds ``backprop`` alone.
"""
