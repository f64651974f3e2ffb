"""Re-export for the modules that still import the fence reading from here (hooks/pyodide_runtime.py,
tests/page_outputs.py); it lives in backprop_site.fences."""

from backprop_site.fences import FENCE, PYTHON, parse_info  # noqa: F401
