"""Re-export for tests/test_benchmark_results.py, which still imports these from here; they live in
backprop_site.repo and backprop_site.build."""

from backprop_site.repo import ROOT, load_file  # noqa: F401
