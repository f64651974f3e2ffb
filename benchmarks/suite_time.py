"""How long `make test` takes, and the processor time of each of its parts.

Runs `make test` once, then each part alone, one after the other, and records for each the
wall-clock time and the core-seconds: the user and system time of every process it started.
This process adopts the orphans among them (Linux's child subreaper), so that the time of
Chromium's renderers, which outlive their parent when the browser closes, is counted too.
Not a test: the figures depend on the machine and what else runs on it, so the 1-minute load
average before and after each command is kept with it. Writes docs/assets/performance/suite.json.

    .venv/bin/python benchmarks/suite_time.py [--output FILE]
"""

import argparse
import ctypes
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = [str(p.relative_to(ROOT)) for p in ROOT.glob("tests/**/test_package_in_pyodide.py")]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
XDIST = ["--numprocesses", "auto", "--dist", "loadfile", "--no-loadscope-reorder"]  # as `make test` runs pytest
EVERY_BLOCK, RUN_CONTROLS = "tests/browser/test_run_every_block.py", "tests/browser/test_run_controls.py"
PARTS = {
    "the build": [sys.executable, "-m", "backprop_site.build"],
    "tests outside the browser": [*PYTEST, *XDIST, "-m", "not browser", *(f"--ignore={p}" for p in PYODIDE)],
    "the package's tests in Pyodide": [*PYTEST, *PYODIDE],
    "every block run in the browser": [*PYTEST, *XDIST, EVERY_BLOCK],
    "the Run controls": [*PYTEST, *XDIST, RUN_CONTROLS],
    "the other browser checks": [*PYTEST, *XDIST, "tests/browser", f"--ignore={EVERY_BLOCK}",
                                 f"--ignore={RUN_CONTROLS}"],
}
PR_SET_CHILD_SUBREAPER = 36


def _children_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command, log):
    """Run ``command`` from the repository; its wall-clock seconds, core-seconds and load."""
    load, cpu, start = os.getloadavg()[0], _children_seconds(), time.perf_counter()
    # As `make test` runs them: with Python's bytecode caches written (the Makefile unexports
    # PYTHONDONTWRITEBYTECODE).
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "BACKPROP_SITE_DIR": "site"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    status = None
    while True:  # reap the command and every orphan it leaves, until none is left
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == process.pid:
            status, wall = os.waitstatus_to_exitcode(code), time.perf_counter() - start
            process.returncode = status
        elif pid == 0:
            time.sleep(0.1)
    return {"wall_s": round(wall, 1), "core_s": round(_children_seconds() - cpu, 1),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
            "returncode": status}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "assets" / "performance" / "suite.json")
    args = parser.parse_args()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    results = {}
    for name, command in {"make test": ["make", "test"], **PARTS}.items():
        with open(ROOT / "test-artifacts" / "suite_time.log", "a") as log:
            log.write(f"\n==== {name}: {' '.join(command)}\n")
            log.flush()
            results[name] = measure(command, log)
        print(f"{name:<32} {results[name]['wall_s']:6.0f} s wall {results[name]['core_s']:6.0f} core-s "
              f"load {results[name]['load_before']:.1f} -> {results[name]['load_after']:.1f}"
              + (f"  exit {results[name]['returncode']}" if results[name]["returncode"] else ""), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    args.output.write_text(json.dumps({
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit, "cores": os.cpu_count(),
        "whole": results["make test"],
        "parts": [{"name": name, "command": " ".join(PARTS[name]).replace(sys.executable, "python"),
                   **results[name]} for name in PARTS],
    }, indent=1) + "\n")
    print(f"wrote {args.output}; the output of each command is in test-artifacts/suite_time.log")


if __name__ == "__main__":
    main()
