"""The Performance pages' figures, made from the results files the benchmarks write.

Each file in docs/assets/performance/ is written by one script (WRITTEN_BY). hooks/performance.py
replaces each marker ``<!-- performance:NAME -->`` of the two pages with what :func:`fill`
makes of the files; a missing file or marker fails the build. The targets are written here
only: benchmarks/run.py judges its ratios by them, and the tests check the committed files
against them.
"""

import io
import json
import re
import statistics
from pathlib import Path

READER_PAGE = "performance.md"
PAGE = "contributing/performance-measurements.md"
PLOT = "assets/performance/ratios.png"
LEARNER = "learner: 1000 x Network.train / own script"

# The package's step at 1 BLAS thread: line name prefix -> (comparison, target ratio). A line
# that matches no prefix is information.
STEP_TARGETS = {
    "step/gemm ": ("<=", 1.25),
    "loop/vectorized gradient ": (">=", 10),
    LEARNER: ("<=", 1.5),
    "memory ": ("<=", 1.15),
    "step/PyTorch 784-256-10 N=256 float32": ("<=", 1.0),
}
# Navigation to math shown, in milliseconds: the median of the pages' medians, and every page's.
FIRST_VISIT_TARGETS_MS = {"median": 500, "every page": 800}
# Wall-clock seconds: from a save to the page `make serve` serves, and the whole `make test`.
WAIT_TARGETS_S = {"serve": 2.0, "suite": 90.0}
WRITTEN_BY = {
    "results.json": "`make bench` (benchmarks/run.py)",
    "first-visit.json": "`benchmarks/typeset_time.py --json`",
    "serve.json": "`benchmarks/serve_rebuild.py --json`",
    "suite.json": "`benchmarks/suite_time.py`",
    "pyodide.json": "`make bench-browser` (benchmarks/pyodide_run.py)",
}


def load(docs_dir, name):
    """The dict in docs/assets/performance/``name``."""
    path = Path(docs_dir) / "assets" / "performance" / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: {WRITTEN_BY[name]} writes it")
    return json.loads(path.read_text())


def target_of(name):
    """``(comparison, target)`` of a 1-thread line, or ``("<=", None)`` for information."""
    return next((t for prefix, t in STEP_TARGETS.items() if name.startswith(prefix)), ("<=", None))


def holds(ratio, comparison, target):
    return ratio <= target if comparison == "<=" else ratio >= target


def one_thread(results):
    """The 1-thread entries of results.json, by name."""
    return {e["name"]: e for e in results["entries"] if e["threads"] == "1"}


def _sign(comparison):
    return comparison.replace("<=", "≤").replace(">=", "≥")


def _seconds(t):
    """A time in the unit that suits it: 1.8 ms, 26 µs."""
    return f"{t * 1e3:.3g} ms" if t >= 1e-3 else f"{t * 1e6:.3g} µs"


def _load(before, after):
    return f"load {before:.1f} → {after:.1f}"


def results_table(results):
    """Where and with what results.json was measured, then one row per comparison."""
    blas = "; ".join(f"{lib['internal_api']} {lib['version']} ({lib.get('architecture')} kernel, "
                     f"{lib['num_threads']} threads by default)"
                     for lib in results["blas"] if lib["user_api"] == "blas")
    torch = (f"PyTorch {results['torch']}" if results["torch"]
             else f"no PyTorch ({results['torch_skipped']})")
    fewer = sorted({(e["repeats"], e["name"].split()[0]) for e in results["entries"]
                    if e.get("repeats", results["repeats"]) != results["repeats"]})
    repeats = f"{results['repeats']} repeats per ratio" + "".join(
        f" ({n} for the {kind} lines, which are slow)" for n, kind in fewer)
    m, load = results["machine"], results["load_average"]
    lines = [f"Measured on {results['date'][:10]} (UTC), CPU {m['cpu']} with {m['cores']} cores "
             f"({m['platform']}), package at commit `{results['commit']}`: Python "
             f"{results['python']}, NumPy {results['numpy']}, {blas}, {torch}; {repeats}; the run "
             f"took {results['seconds']:.0f} s, 1-minute {_load(load['before'][0], load['after'][0])} "
             f"on {m['cores']} cores shared with other work.", "",
             "| comparison | 1 thread | spread | time, ours | target | holds | default threads |",
             "|---|---:|---:|---:|---:|:---:|---:|"]
    default = {e["name"]: e for e in results["entries"] if e["threads"] == "default"}
    for name, e in one_thread(results).items():
        spread = f"{e['ratio_min']:.2f}–{e['ratio_max']:.2f}" if "ratio_min" in e else "—"
        ours = _seconds(e["candidate_s"]) if "candidate_s" in e else "—"
        target = f"{_sign(e['comparison'])} {e['target']}×" if e["target"] is not None else "—"
        verdict = {True: "yes", False: "**no**", None: "—"}[e["holds"]]
        other = f"{default[name]['ratio']:.3f}×" if name in default else "—"
        lines.append(f"| {name} | {e['ratio']:.3f}× | {spread} | {ours} | {target} | {verdict} | {other} |")
    kept = ", ".join(f"{dtype}: {'kept' if ok else '**not kept**'}"
                     for dtype, ok in results["dtypes_kept"].items())
    lines += ["", f"Dtypes through a step (a float32 network's parameters, cache and gradients "
                  f"stay float32, and likewise float64): {kept}."]
    return "\n".join(lines)


def overhead(results):
    """Where a step's time goes: its matrix products, each element-wise part, and the rest."""
    names = list(results["breakdown"])
    lines = ["| share of `Network.step` (1 thread) | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for part in ["matrix products", *results["parts"], "rest"]:
        what = results["parts"].get(part)
        cells = " | ".join(f"{results['breakdown'][n][part]:.1%}" for n in names)
        lines.append(f"| {f'{part} ({what})' if what else part} | {cells} |")
    return "\n".join(lines)


def summary(results):
    """The headline figures at 1 thread, in one sentence."""
    one = one_thread(results)

    def span(prefix):
        ratios = [e["ratio"] for name, e in one.items() if name.startswith(prefix)]
        return f"{min(ratios):.2f}–{max(ratios):.2f}×"

    with_target = [e for e in one.values() if e["target"] is not None]
    torch = (f", {span('step/PyTorch 784-256-10 N=256 float32')} the same float32 step in PyTorch"
             if results["torch"] else "")
    return (f"On the machine above, at 1 thread, a step takes {span('step/gemm')} the time of its "
            f"matrix products{torch}, and the learner's 1000 iterations {one[LEARNER]['ratio']:.2f}× "
            f"the learner's own script; {sum(bool(e['holds']) for e in with_target)} of "
            f"{len(with_target)} lines with a target hold.")


def waits(serve, suite):
    """The writer's and the contributor's waits, then the cost of each part of `make test`."""
    whole = suite["whole"]  # None: the parts were measured without the whole
    rows = [
        ("a save, until `make serve` shows it", WAIT_TARGETS_S["serve"], serve["median_s"],
         f"{serve['median_s']:.2f} s ({min(serve['waits_s']):.2f}–{max(serve['waits_s']):.2f} s), "
         f"{serve['date'][:10]}, `{serve['commit']}`, "
         f"{_load(serve['load_average_before'][0], serve['load_average_after'][0])}",
         f"`benchmarks/serve_rebuild.py`, median of {len(serve['waits_s'])} saves"),
        ("`make test`, after install", WAIT_TARGETS_S["suite"], whole and whole["wall_s"],
         f"{whole['wall_s']:.0f} s, {whole['core_s']:.0f} core-seconds, {suite['date'][:10]}, "
         f"`{suite['commit']}`, {_load(whole['load_before'], whole['load_after'])}"
         + (", a test failed" if whole["returncode"] else "")
         if whole else "not measured", "`benchmarks/suite_time.py`"),
    ]
    lines = ["| wait | target | measured | holds | measured with |", "|---|---|---|:---:|---|"]
    for what, target, value, cell, how in rows:
        verdict = "—" if value is None else "yes" if value <= target else "**no**"
        lines.append(f"| {what} | ≤ {target:g} s | {cell} | {verdict} | {how} |")
    lines += ["", f"The parts of `make test`, each run alone, one after the other, on "
                  f"{suite['date'][:10]} at `{suite['commit']}` on {suite['cores']} cores:", "",
              "| part | wall-clock, s | core-seconds | load |", "|---|---:|---:|---:|"]
    for part in suite["parts"]:
        failed = " (a test failed)" if part["returncode"] else ""
        lines.append(f"| {part['name']}{failed} | {part['wall_s']:.0f} | {part['core_s']:.0f} | "
                     f"{part['load_before']:.1f} → {part['load_after']:.1f} |")
    total = sum(part["core_s"] for part in suite["parts"])
    lines.append(f"| **all parts** | {sum(p['wall_s'] for p in suite['parts']):.0f} | {total:.0f} | |")
    return "\n".join(lines)


def first_visit(visits):
    """Navigation to math shown, one row per page, and the targets."""
    m = visits["machine"]
    times = {row["page"]: row["median_ms"] for row in visits["pages"]}
    lines = [f"Median of {visits['repeats']} first visits per page, headless Chromium "
             f"{m['chromium']} at {m.get('viewport', '1280x800')}, {m['cpus']} CPUs shared with "
             f"other work, {m['date'][:16].replace('T', ' ')} UTC, "
             f"{_load(*m['load_average_1min'])}.", "",
             "| page | math | median, ms | fastest, ms | slowest, ms |", "|---|---:|---:|---:|---:|"]
    for row in visits["pages"]:
        lines.append(f"| {row['page']} | {row['math']} | {row['median_ms']:.0f} | "
                     f"{row['min_ms']:.0f} | {row['max_ms']:.0f} |")
    median, slowest = statistics.median(times.values()), max(times, key=times.get)
    word = {True: "holds", False: "**does not hold**"}
    lines += ["", f"Targets: the median of the pages ≤ {FIRST_VISIT_TARGETS_MS['median']} ms "
                  f"{word[median <= FIRST_VISIT_TARGETS_MS['median']]} ({median:.0f} ms); every page "
                  f"≤ {FIRST_VISIT_TARGETS_MS['every page']} ms "
                  f"{word[times[slowest] <= FIRST_VISIT_TARGETS_MS['every page']]} (slowest: {slowest}, "
                  f"{times[slowest]:.0f} ms)."]
    return "\n".join(lines)


def for_readers(results, pyodide, visits):
    """What a reader waits for, in a few plain lines; every figure a median of the files' runs."""
    pages = [row["median_ms"] / 1000 for row in visits["pages"]]
    runs = {kind: statistics.median(pyodide[f"{kind}_s"]) for kind in ("cold", "warm", "rerun", "next_page")}
    download = statistics.median(pyodide["cold_bytes"]) / 1e6
    one = one_thread(results)
    steps = [e["ratio"] for name, e in one.items() if name.startswith("step/gemm")]
    dates = sorted({visits["machine"]["date"][:10], pyodide["date"][:10], results["date"][:10]})
    return "\n".join([
        f"- **A page and its formulas** are on your screen about {statistics.median(pages):.2f} s "
        f"after you open it, the slowest of the {len(pages)} pages measured in {max(pages):.2f} s.",
        f"- **Your first Run** downloads Python for the browser ({download:.0f} MB, once) and "
        f"shows the block's output in about {runs['cold']:.0f} s; on a later visit, with those "
        f"files in your browser's cache, in {runs['warm']:.1f} s. After that, every Run, on the "
        f"same page or the next, answers in {max(runs['rerun'], runs['next_page']) * 1000:.0f} ms.",
        f"- **The package's training step** takes {min(steps):.2f} to {max(steps):.2f} times the "
        f"time of the matrix products no implementation can skip, and the learner's 1000 "
        f"training steps run in {one[LEARNER]['ratio']:.2f} times the time of the learner's own "
        f"NumPy script.",
        "",
        f"The pages and the Run button were timed in headless Chromium, the package in Python, "
        f"on a {visits['machine']['cpus']}-core machine shared with other work, on "
        f"{' and '.join(dates)}; on your computer and connection the times differ, the "
        f"comparisons much less.",
    ])


def plot_png(results):
    """A bar chart of every 1-thread ratio that has a target, against its target, as PNG bytes."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entries = [e for e in one_thread(results).values() if e["target"] is not None]
    # Every bar is "ours over the baseline", lower is better: a speed-up (>=) is inverted.
    values, targets, names = [], [], []
    for e in entries:
        invert = e["comparison"] == ">="
        values.append(1 / e["ratio"] if invert else e["ratio"])
        targets.append(1 / e["target"] if invert else e["target"])
        names.append(e["name"].replace("loop/vectorized", "vectorized/loop") if invert else e["name"])
    fig = Figure(figsize=(8, 0.42 * len(entries) + 1.6), dpi=100)
    ax = fig.subplots()
    ys = range(len(entries))
    ax.barh(ys, values, height=0.6, color=["tab:blue" if e["holds"] else "tab:red" for e in entries])
    ax.scatter(targets, ys, marker="|", s=400, color="black", zorder=3)
    for y, value in zip(ys, values):
        ax.annotate(f"{value:.3g}", (value, y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_yticks(list(ys), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(right=max(values + targets) * 2)
    ax.set_xlabel("ratio at 1 thread: ours / baseline (log scale; lower is better)")
    ax.grid(axis="x", which="both", alpha=0.3)
    handles = [Patch(color="tab:blue", label="target holds"), Patch(color="tab:red", label="target missed"),
               Line2D([], [], color="black", marker="|", linestyle="none", markersize=14, label="target")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8,
              frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# What replaces each marker: page -> {marker name: function of the docs folder}.
MARKERS = {
    READER_PAGE: {
        "reader": lambda d: for_readers(load(d, "results.json"), load(d, "pyodide.json"),
                                        load(d, "first-visit.json")),
    },
    PAGE: {
        "waits": lambda d: waits(load(d, "serve.json"), load(d, "suite.json")),
        "results": lambda d: results_table(load(d, "results.json")),
        "overhead": lambda d: overhead(load(d, "results.json")),
        "first-visit": lambda d: first_visit(load(d, "first-visit.json")),
        "summary": lambda d: summary(load(d, "results.json")),
    },
}
MARKER = re.compile(r"<!-- performance:([\w-]+) -->")


def fill(page, markdown, docs_dir):
    """``markdown`` of ``page`` (its path under docs/) with every marker replaced by its figures.
    Raises ValueError for a marker the page lacks or one this module does not know."""
    wanted = MARKERS.get(page, {})
    found = MARKER.findall(markdown)
    if sorted(found) != sorted(wanted):
        raise ValueError(f"docs/{page} has the performance markers {found}, not {list(wanted)}")
    return MARKER.sub(lambda m: wanted[m[1]](docs_dir), markdown)
