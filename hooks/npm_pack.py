"""Re-export for hooks/pyodide_runtime.py, which still imports npm_pack from here; it lives in
backprop_site.node."""

from backprop_site.node import npm_pack  # noqa: F401
