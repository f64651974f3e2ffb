"""pytest inside Pyodide: started by run.js (beside this file), it writes what every test did as JSON.

    run_pytest.py REPORT WHEEL... -- PYTEST_ARGS...

REPORT is the JSON file to write; each WHEEL a pure-Python wheel (the package's own, pytest,
Hypothesis and their dependencies) or a folder of modules, put on sys.path as it is: Python
imports pure-Python code from a zip file.
The report holds the runtime's versions, pytest's exit status and one entry per test:
``{"test": node id, "outcome": "passed" | "failed" | "skipped", "message": why, or ""}``.

Every Hypothesis test draws a tenth of the examples it draws in CPython (at least 10): Python is
several times slower here, the wide search is the CPython run's job, and this run's is to show
that the same properties hold on this runtime.
"""

import json
import platform
import sys


class Outcomes:
    """A pytest plugin that keeps every test's outcome; a failed setup or teardown counts as failed."""

    def __init__(self):
        self.tests = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            if report.skipped and isinstance(report.longrepr, tuple):
                message = report.longrepr[2]  # (file, line, reason)
            else:
                message = getattr(report, "longreprtext", "") if report.failed else ""
            if self.tests.get(report.nodeid, {}).get("outcome") != "failed":
                self.tests[report.nodeid] = {"test": report.nodeid, "outcome": report.outcome,
                                             "message": message}

    def pytest_collectreport(self, report):
        if report.failed:
            self.tests[report.nodeid] = {"test": report.nodeid, "outcome": "failed",
                                         "message": report.longreprtext}


class FewerExamples:
    """A pytest plugin: each Hypothesis test gets ``max_examples // divisor`` (at least 10)."""

    def __init__(self, divisor):
        self.divisor = divisor

    def pytest_collection_modifyitems(self, items):
        from hypothesis import settings

        done = set()
        for test in (getattr(item, "obj", None) for item in items):
            # where @settings and @given keep a test's settings (Hypothesis 6), read when it runs
            current = getattr(test, "_hypothesis_internal_use_settings", None)
            if current is not None and id(test) not in done:
                done.add(id(test))
                test._hypothesis_internal_use_settings = settings(
                    current, max_examples=max(10, current.max_examples // self.divisor))


def main(report_path, wheels, pytest_args):
    sys.path[:0] = wheels
    import numpy
    import pytest

    outcomes = Outcomes()
    status = pytest.main(pytest_args, plugins=[outcomes, FewerExamples(10)])
    report = {"python": platform.python_version(), "platform": sys.platform, "numpy": numpy.__version__,
              "pytest": pytest.__version__, "exit_status": int(status), "tests": list(outcomes.tests.values())}
    with open(report_path, "w") as file:
        json.dump(report, file, indent=1)


if __name__ == "__main__":
    separator = sys.argv.index("--")
    main(sys.argv[1], sys.argv[2:separator], sys.argv[separator + 1:])
