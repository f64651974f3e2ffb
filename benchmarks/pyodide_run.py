"""Time from a click on Run to the block's output in the browser (Pyodide), cold and warm.

Not a test: it writes docs/assets/performance/pyodide.json, which the Performance page reads.
The built site is served over HTTP on 127.0.0.1 with ``Cache-Control: max-age=600`` (what GitHub
Pages sends), in headless Chromium:

* cold: a browser with a new profile (empty cache) loads the page, then Run is clicked on its
  first block: Pyodide, numpy and the package are downloaded, compiled and loaded, then it runs;
* warm: a new tab of the same browser (the files come from its disk cache), first click as soon
  as the page has loaded; this browser has loaded Python before, so the page starts it as soon as
  it has the page's head (docs/javascripts/run.js), while the rest of the page loads;
* rerun: a second click on the same block in the warm tab (Python already loaded);
* next page: after a Run on that page, the reader follows a link to another page (Material's
  instant navigation; Python is kept, docs/javascripts/run.js) and clicks Run on its first block;
* baseline: the same block's code run by this CPython in this process, in the same session;
* flood: in the warm tab, block 1 edited to print 10,000 and then 200,000 lines: the page's long
  tasks (Chromium's PerformanceObserver "longtask", tasks over 50 ms) while it runs; the goal is
  none over 100 ms.

The click is Playwright's: it moves the pointer onto Run just before pressing it, so starting
Python when the reader points at Run (docs/javascripts/run.js) gains next to nothing in the
rows above. One more row shows what that start gains:

* warm, pointed: a third tab of the same browser, the pointer rests on Run for POINT_S seconds
  before the click (a reader moving to the button and pressing it); the time is still from the
  click to the output.

The time is the runner's own, measured in the page from the click to the output shown (the
"Ran in your browser (X s)" it prints). Bytes are what the server sent from the click on. Where
the cold and warm times go: the worker's stage messages (docs/javascripts/run-worker.js), in ms
from the click as the page receives them (negative: before it), in "stages_ms".

    .venv/bin/python benchmarks/pyodide_run.py                 # 5 runs of each, site/ as built
    .venv/bin/python benchmarks/pyodide_run.py --repeats 3 --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backprop_site import browser as bc
from backprop_site import run_in_browser as rb
from backprop_site.repo import ROOT

PAGE = "answer/one-weight/"
POINT_S = 0.5
NEXT_PAGE = "answer/output-layer/"
RESULTS = ROOT / "docs" / "assets" / "performance" / "pyodide.json"
TOOK = re.compile(r"Ran in your browser \((?P<s>[\d.]+) s\)")


def first_click(page, server) -> tuple[float, int, str]:
    """(seconds from click to output, bytes sent from the click on, output) of block 1's Run."""
    server.sent = 0
    click = rb.click_run(page, 0)
    match = TOOK.match(click.status)
    if not match:
        raise RuntimeError(f"the run failed: {click.status}\n{click.output}")
    return float(match["s"]), server.sent, click.output


def load_and_click(page, server, point_s: float = 0.0) -> tuple[float, int, str]:
    """Load the page under test in page, then first_click (after resting the pointer on Run
    for point_s seconds)."""
    page.goto(server.url + PAGE, wait_until="load")
    page.wait_for_selector("div.run-bar")
    if point_s:
        page.locator("div.run-bar").first.get_by_role("button", name="Run").hover()
        page.wait_for_timeout(point_s * 1000)
    return first_click(page, server)


# In every page of the browser: when the Run buttons' worker was started and when it reported
# each stage of its start, in ms of the page's clock; and when Run was pressed.
STAGES_JS = """(() => {
  window.runStages = {};
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).endsWith("run-worker.js")) return;
      window.runStages.worker = performance.now();
      this.addEventListener("message", (event) => {
        if (event.data.type === "stage") window.runStages[event.data.stage] = performance.now();
        if (event.data.type === "ready") window.runStages.ready = performance.now();
      });
    }
  };
  document.addEventListener("pointerdown", (event) => {
    if (event.target.closest && event.target.closest("div.run-bar") && !("click" in window.runStages))
      window.runStages.click = performance.now();
  }, true);
})();"""


def stages(page) -> dict:
    """Each stage of the worker's start in ms from the click on Run (STAGES_JS)."""
    times = page.evaluate("() => window.runStages")
    return {name: round(t - times["click"]) for name, t in times.items() if name != "click"}


FLOODS = (10_000, 200_000)
LONGTASKS_JS = """() => {
  window.longTasks = [];
  if (window.longTaskObserver) return;
  window.longTaskObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
  });
  window.longTaskObserver.observe({ type: "longtask" });
}"""


def flood(page, lines: int) -> dict:
    """Block 1 edited to print lines lines, run: the page's long tasks meanwhile (ms), from the
    click on Run (the editor is opened and filled before)."""
    rb.edit_and_run(page, 0, "print(0)")
    page.evaluate(LONGTASKS_JS)
    click = rb.edit_and_run(page, 0, f"for i in range({lines}):\n    print(i)")
    if not click.status.startswith("Ran in your browser"):
        raise RuntimeError(f"the flood of {lines} lines failed: {click.status}")
    tasks = page.evaluate("() => window.longTasks")
    return {"lines": lines, "run_s": float(TOOK.match(click.status)["s"]),
            "long_tasks_ms": tasks, "longest_task_ms": max(tasks, default=0)}


def cpython_seconds(code: str, repeats: int) -> float:
    """Median seconds of the block's code run by this CPython in a fresh namespace."""
    times = []
    with contextlib.redirect_stdout(io.StringIO()):  # imports done once, as in the warm tab
        exec(compile(code, "<block 1>", "exec"), {"__name__": "__main__"})
    for _ in range(repeats):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "<block 1>", "exec"), {"__name__": "__main__"})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each kind (default 5)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default site/)")
    parser.add_argument("--no-write", action="store_true", help="print only, keep the results file")
    args = parser.parse_args()
    if not (args.site / PAGE / "index.html").is_file():
        sys.exit(f"no built page {args.site / PAGE}: run `make site` first")
    reason = bc.missing_browser_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    code = rb.shown_blocks(rb.page_html(args.site, PAGE))[0].code
    started = time.perf_counter()
    cold, warm, rerun, cold_bytes, warm_bytes, floods, pointed = [], [], [], [], [], [], []
    cold_stages, warm_stages = [], []
    load_before = os.getloadavg()[0]
    with rb.LocalServer(args.site) as server, sync_playwright() as playwright:
        for _ in range(args.repeats):
            # A new profile with a disk cache, as a reader's browser has (a Playwright context
            # without a profile caches in memory only, and not a 10 MB file).
            with tempfile.TemporaryDirectory() as profile:
                context = playwright.chromium.launch_persistent_context(
                    profile, executable_path=str(bc.CHROMIUM), headless=True, args=bc.LAUNCH_ARGS,
                    viewport=bc.DESKTOP)
                chromium = context.browser.version if context.browser else ""
                context.add_init_script(STAGES_JS)
                first = context.new_page()
                seconds, sent, _ = load_and_click(first, server)
                cold.append(seconds)
                cold_bytes.append(sent)
                cold_stages.append(stages(first))
                tab = context.new_page()
                seconds, sent, _ = load_and_click(tab, server)
                warm.append(seconds)
                warm_bytes.append(sent)
                warm_stages.append(stages(tab))
                seconds, _, _ = first_click(tab, server)
                rerun.append(seconds)
                floods.append([flood(tab, lines) for lines in FLOODS])
                seconds, _, _ = load_and_click(context.new_page(), server, POINT_S)
                pointed.append(seconds)
                context.close()
        next_page = []
        browser = bc.launch(playwright)
        for _ in range(args.repeats):
            context = browser.new_context(viewport=bc.DESKTOP)
            page = rb.open_local(context, server, PAGE)
            rb.click_run(page, 0)
            rb.navigate_instantly(page, server.url + NEXT_PAGE)
            seconds, _, _ = first_click(page, server)
            next_page.append(seconds)
            context.close()
        browser.close()
    load_after = os.getloadavg()[0]
    baseline = cpython_seconds(code, args.repeats)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    runtime = json.loads((args.site / "assets" / "pyodide" / "runner.json").read_text())
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": {"cpu": _cpu(), "cores": os.cpu_count(), "platform": platform.platform(),
                    "load_average_1min": [round(load_before, 1), round(load_after, 1)]},
        "chromium": chromium,
        "pyodide": runtime["pyodide"],
        "page": PAGE,
        "block": 1,
        "repeats": args.repeats,
        "cold_s": cold,
        "warm_s": warm,
        "rerun_s": rerun,
        "warm_pointed_s": pointed,
        "stages_ms": {"cold": cold_stages, "warm": warm_stages},
        "pointed_s": POINT_S,
        "next_page": NEXT_PAGE,
        "next_page_s": next_page,
        "cold_bytes": cold_bytes,
        "first_run_counted": runtime.get("first_run"),  # by the build, from the files it serves
        "warm_bytes": warm_bytes,
        "cpython_block_s": baseline,
        "flood": [{"lines": lines, "run_s": [f[i]["run_s"] for f in floods],
                   "longest_task_ms": [f[i]["longest_task_ms"] for f in floods],
                   "long_tasks": [len(f[i]["long_tasks_ms"]) for f in floods]}
                  for i, lines in enumerate(FLOODS)],
        "flood_goal_ms": 100,
        "cpython": platform.python_version(),
        "goals_s": {"cold": 4.0, "warm": 1.5},
        "seconds": round(time.perf_counter() - started),
    }
    for kind in ("cold", "warm", "warm_pointed", "rerun", "next_page"):
        print(f"{kind:12}: median {statistics.median(results[kind + '_s']):.2f} s  "
              f"({', '.join(f'{t:.2f}' for t in results[kind + '_s'])})")
    for kind in ("cold", "warm"):
        runs = results["stages_ms"][kind]
        print(f"{kind} stages, median ms from the click: " + ", ".join(
            f"{name} {statistics.median(r[name] for r in runs):.0f}" for name in runs[0]
            if all(name in r for r in runs)))
    for entry in results["flood"]:
        print(f"{entry['lines']:,} lines: longest task {max(entry['longest_task_ms'])} ms "
              f"(per run {entry['longest_task_ms']}), tasks over 50 ms {entry['long_tasks']}, "
              f"run {statistics.median(entry['run_s']):.2f} s")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"bytes: cold {statistics.median(cold_bytes):,.0f}, warm {statistics.median(warm_bytes):,.0f}; "
          f"the same block in CPython {baseline * 1e3:.1f} ms")
    if not args.no_write:
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


def _cpu() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
