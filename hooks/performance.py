"""MkDocs hook: the performance pages' figures, built from the results files.

``make bench`` (benchmarks/run.py) writes docs/assets/performance/results.json; the same
script run on the package before issue 14 (commit e741033) wrote results-before.json, and
issue14.json holds the before/after figure of each goal of issue 14 (null: not measured
here, shown as "see closing note"). At every build this hook turns those files into Markdown
where docs/contributing/performance-measurements.md has the markers below, and into the plot
assets/performance/ratios.png, so the page can show no figure that the files do not hold.
docs/performance.md, the reader's summary, gets a few lines from results.json, pyodide.json
(``make bench-browser``) and typeset-after.json (benchmarks/typeset_time.py).
A missing marker or file fails the build.
"""

import io
import json
import re
import statistics
from pathlib import Path

from mkdocs.structure.files import File

PAGE = "contributing/performance-measurements.md"
READER_PAGE = "performance.md"
READER_MARKER = "<!-- performance:reader -->"
PYODIDE = "assets/performance/pyodide.json"
TYPESET = "assets/performance/typeset-after.json"
RESULTS = "assets/performance/results.json"
# The same benchmark script on the package before issue 14, run in the same session as RESULTS.
BEFORE = "assets/performance/results-before.json"
ISSUE14 = "assets/performance/issue14.json"
PLOT = "assets/performance/ratios.png"
MARKERS = ("<!-- performance:machine -->", "<!-- performance:table -->",
           "<!-- performance:before-after -->", "<!-- performance:verdicts -->",
           "<!-- performance:overhead -->", "<!-- performance:summary -->",
           "<!-- performance:issue14 -->", "<!-- performance:in-place -->")
NOT_HERE = "see closing note"  # how a goal's figure that issue14.json leaves null is shown


def load(docs_dir, name=RESULTS):
    """The results dict stored at ``docs_dir / name``."""
    path = Path(docs_dir) / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make bench` to measure and write it")
    return json.loads(path.read_text())


def _ratio(entry):
    return f"{entry['ratio']:.3f}×"


def _target(entry):
    if entry["target"] is None:
        return "—"
    return f"{entry['comparison'].replace('<=', '≤').replace('>=', '≥')} {entry['target']}×"


def _holds(entry):
    return {True: "yes", False: "**no**", None: "—"}[entry["holds"]]


def _one_thread(results):
    """The 1-thread entries of a results dict, by name."""
    return {e["name"]: e for e in results["entries"] if e["threads"] == "1"}


def _seconds(t):
    """A time in seconds, in the unit that suits it: 1.8 ms, 26 µs."""
    return f"{t * 1e3:.3g} ms" if t >= 1e-3 else f"{t * 1e6:.3g} µs"


def _load_average(results):
    before, after = results["load_average"]["before"][0], results["load_average"]["after"][0]
    return (f"load average (1 min) {before:.1f} at the start and {after:.1f} at the end, on "
            f"{results['machine']['cores']} cores shared with other work")


def machine(results):
    """One paragraph: where, when and with what the committed results were measured."""
    blas = "; ".join(f"{lib['internal_api']} {lib['version']} ({lib.get('architecture')} kernel, "
                     f"{lib['num_threads']} threads by default)"
                     for lib in results["blas"] if lib["user_api"] == "blas")
    torch = (f"PyTorch {results['torch']}" if results["torch"]
             else f"no PyTorch ({results['torch_skipped']})")
    fewer = sorted({(e["repeats"], e["name"].split()[0]) for e in results["entries"]
                    if e.get("repeats", results["repeats"]) != results["repeats"]})  # memory: none
    repeats = f"{results['repeats']} repeats per ratio" + "".join(
        f" ({n} for the {kind} lines, which are slow)" for n, kind in fewer)
    took = f"; the whole run took {results['seconds']:.0f} s"
    return (f"Measured on {results['date'][:10]} (UTC), CPU {results['machine']['cpu']} with "
            f"{results['machine']['cores']} cores ({results['machine']['platform']}), package at "
            f"commit `{results['commit']}`: Python {results['python']}, NumPy {results['numpy']}, "
            f"{blas}, {torch}; {repeats}{took}; {_load_average(results)}.")


def table(results):
    """Every ratio: one row per comparison, its value at 1 thread and at the default, the target."""
    rows = {}
    for entry in results["entries"]:
        rows.setdefault(entry["name"], {})[entry["threads"]] = entry
    lines = ["| comparison | 1 thread | spread | time, ours | target | holds | default threads |",
             "|---|---:|---:|---:|---:|:---:|---:|"]
    for name, by_threads in rows.items():
        one, default = by_threads.get("1"), by_threads.get("default")
        spread = f"{one['ratio_min']:.2f}–{one['ratio_max']:.2f}" if "ratio_min" in one else "—"
        ours = _seconds(one["candidate_s"]) if "candidate_s" in one else "—"
        lines.append(f"| {name} | {_ratio(one)} | {spread} | {ours} | {_target(one)} | {_holds(one)} | "
                     f"{_ratio(default) if default else '—'} |")
    kept = ", ".join(f"{dtype}: {'kept' if ok else '**not kept**'}"
                     for dtype, ok in results["dtypes_kept"].items())
    return "\n".join(lines) + (f"\n\nDtypes through a step (a float32 network's parameters, cache "
                               f"and gradients stay float32, and likewise float64): {kept}.")


def summary(results):
    """One sentence of the headline figures at 1 thread, for the page's takeaway."""
    one = _one_thread(results)

    def span(prefix):
        ratios = [e["ratio"] for name, e in one.items() if name.startswith(prefix)]
        return f"{min(ratios):.2f}–{max(ratios):.2f}×"

    with_target = [e for e in one.values() if e["target"] is not None]
    held = sum(bool(e["holds"]) for e in with_target)
    torch = (f", {span('step/PyTorch 784-256-10 N=256 float32')} the same float32 step in PyTorch"
             if results["torch"] else "")
    return (f"On the machine above, at 1 thread, a step takes {span('step/gemm')} the time of its "
            f"matrix products{torch}, and the learner's 1000 iterations "
            f"{one['learner: 1000 x Network.train / own script']['ratio']:.2f}× the learner's own "
            f"script; {held} of {len(with_target)} lines with a target hold.")


def for_readers(results, pyodide, typeset):
    """What a reader waits for, in a few plain lines: a page with its math, the Run button, and
    the package's training step; every figure a median of the files' runs."""
    pages = [row["median_ms"] / 1000 for row in typeset["pages"]]
    runs = {kind: statistics.median(pyodide[f"{kind}_s"])
            for kind in ("cold", "warm", "rerun", "next_page")}
    download = statistics.median(pyodide["cold_bytes"]) / 1e6
    one = _one_thread(results)
    steps = [e["ratio"] for name, e in one.items() if name.startswith("step/gemm")]
    learner = one["learner: 1000 x Network.train / own script"]["ratio"]
    dates = sorted({typeset["machine"]["date"][:10], pyodide["date"][:10], results["date"][:10]})
    return "\n".join([
        f"- **A page and its formulas** are on your screen about {statistics.median(pages):.2f} s "
        f"after you open it, the slowest of the {len(pages)} pages measured in {max(pages):.2f} s.",
        f"- **Your first Run** downloads Python for the browser ({download:.0f} MB, once) and "
        f"shows the block's output in about {runs['cold']:.0f} s; on a later visit, with those "
        f"files in your browser's cache, in {runs['warm']:.1f} s. After that, every Run, on the "
        f"same page or the next, answers in {max(runs['rerun'], runs['next_page']) * 1000:.0f} ms.",
        f"- **The package's training step** takes {min(steps):.2f} to {max(steps):.2f} times the "
        f"time of the matrix products no implementation can skip, and the learner's 1000 "
        f"training steps run in {learner:.2f} times the time of the learner's own NumPy script.",
        "",
        f"The pages and the Run button were timed in headless Chromium, the package in Python, "
        f"on a {typeset['machine']['cpus']}-core machine shared with other work, on "
        f"{' and '.join(dates)}; on your computer and connection the times differ, the "
        f"comparisons much less.",
    ])


def target_groups(results):
    """Issue 14's targets, each with its 1-thread lines: ``[(prefix, comparison, target, lines)]``."""
    one = _one_thread(results)
    return [(prefix, comparison, target, [e for name, e in one.items() if name.startswith(prefix)])
            for prefix, (comparison, target) in results["targets"].items()]


def _group_verdict(lines):
    if not lines:
        return None
    return all(e["holds"] for e in lines)


def verdicts(results):
    """One list item per target of issue 14: holds or misses, with the figures behind it."""
    items = []
    for prefix, comparison, target, lines in target_groups(results):
        sign = comparison.replace("<=", "≤").replace(">=", "≥")
        if not lines:
            items.append(f"- {prefix} {sign} {target}×: not measured ({results['torch_skipped']})")
            continue
        figures = ", ".join(f"{e['ratio']:.3f}×" for e in lines)
        word = "**holds**" if _group_verdict(lines) else "**misses**"
        items.append(f"- {prefix} {sign} {target}×: {word} ({figures})")
    return "\n".join(items)


def _held(results):
    """How many of issue 14's targets hold, and how many were measured (PyTorch's may not be)."""
    groups = [_group_verdict(lines) for *_, lines in target_groups(results)]
    measured = [g for g in groups if g is not None]
    return sum(measured), len(measured)


def before_after(before, after):
    """The 1-thread ratios of the package before and after issue 14, side by side."""
    columns = [_one_thread(before), _one_thread(after)]
    lines = [f"| comparison (1 thread) | before (`{before['commit']}`) | after (`{after['commit']}`) "
             f"| target | before holds | after holds |", "|---|---:|---:|---:|:---:|:---:|"]
    for name, entry in columns[1].items():
        if name in columns[0]:
            lines.append(f"| {name} | {_ratio(columns[0][name])} | {_ratio(entry)} | {_target(entry)} "
                         f"| {_holds(columns[0][name])} | {_holds(entry)} |")
    return "\n".join(lines)


def in_place(results):
    """The package's step against the same step with its update in place, per network, at 1 thread."""
    one = _one_thread(results)
    names = [name.removeprefix("in-place step/gemm ") for name in one if name.startswith("in-place")]
    if not names:
        return "(These results hold no in-place comparison; `make bench` on the current package adds it.)"
    lines = ["| network | step/gemm | target | in-place step/gemm |", "|---|---:|---:|---:|"]
    for name in names:
        step = one[f"step/gemm {name}"]
        lines.append(f"| {name} | {_ratio(step)} | {_target(step)} | {_ratio(one[f'in-place step/gemm {name}'])} |")
    return "\n".join(lines)


def _slug(markdown, heading):
    """The anchor of the heading ``heading`` on the page, or None if the page has no such heading."""
    found = re.search(rf"^#+\s+{re.escape(heading)}\s*(?:\{{\s*#([\w-]+)\s*\}})?\s*$", markdown, re.M)
    if not found:
        return None
    return found[1] or re.sub(r"[^\w\s-]", "", heading.lower()).strip().replace(" ", "-")


def _figure(value):
    """A measured time of issue14.json, NOT_HERE for null, or a sentence saying why none."""
    if value is None:
        return NOT_HERE
    if isinstance(value, str):
        return value
    spread = (f" ({min(value['runs_s']):.1f}–{max(value['runs_s']):.1f} s)"
              if len(value.get("runs_s", [])) > 1 else "")
    commit = f", `{value['commit']}`" if value.get("commit") else ""
    load = (f", load {value['load_average_before'][0]:.1f} → {value['load_average_after'][0]:.1f}"
            if "load_average_before" in value else "")
    return f"{value['value_s']:.2f} s{spread}{commit}{load}"


def issue14(goals, before, after, markdown):
    """One row per goal of issue 14: its target, the figure before and after, whether it holds."""
    lines = ["| goal | target | before | after | holds | measured with |", "|---|---|---:|---:|:---:|---|"]
    for goal in goals["goals"]:
        head = f"{goal['goal']}. {goal['name']}"
        if "section" in goal:  # measured and described in its own section of this page
            anchor = _slug(markdown, goal["section"])
            where = f"[{goal['section']}](#{anchor})" if anchor else NOT_HERE
            lines.append(f"| {head} | {goal['target']} | {where} | {where} | {where} | {goal['how']} |")
        elif "results" in goal:  # the package: the benchmark's results files
            cells = [f"{held} of {measured} hold (`{version['commit']}`)"
                     for version in (before, after) for held, measured in [_held(version)]]
            held, measured = _held(after)
            lines.append(f"| {head} | {goal['target']} | {cells[0]} | {cells[1]} "
                         f"| {'yes' if held == measured else '**no**'} | {goal['how']} |")
        else:
            value = goal["after"]
            holds = "—" if value is None else ("yes" if value["value_s"] <= goal["target_s"] else "**no**")
            lines.append(f"| {head} | {goal['target']} | {_figure(goal['before'])} | {_figure(value)} "
                         f"| {holds} | {goal['how'] or NOT_HERE} |")
    dates = sorted({goal[side]["date"][:10] for goal in goals["goals"] for side in ("before", "after")
                    if isinstance(goal.get(side), dict) and "date" in goal[side]})
    return "\n".join(lines) + (
        f"\n\nMeasured on {', '.join(dates)} (UTC) on the machine of [the results](#results): "
        f"{after['machine']['cpu']}, {after['machine']['cores']} cores, shared with other work; "
        f"a load (1-minute load average, at the start → at the end of a run) above the number of "
        f"cores means other programs were waiting for the processor too, which lengthens a "
        f"wall-clock wait such as goal 1's.")


def overhead(results):
    """Where a step's time goes: its matrix products, each element-wise part, and the rest."""
    parts = ["matrix products", *results["parts"], "rest"]
    names = list(results["breakdown"])
    lines = ["| share of `Network.step` (1 thread) | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for part in parts:
        what = results["parts"].get(part)
        label = f"{part} ({what})" if what else part
        cells = " | ".join(f"{results['breakdown'][n][part]:.1%}" for n in names)
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


def plot_png(results):
    """A bar chart of every 1-thread time or memory ratio against its target, as PNG bytes."""
    from matplotlib.figure import Figure

    entries = [e for e in results["entries"] if e["threads"] == "1" and e["target"] is not None]
    # Plot every ratio as "ours over the baseline", lower is better; the speed-up of the
    # vectorized gradient (a >= target) becomes its inverse.
    values, targets, names = [], [], []
    for e in entries:
        invert = e["comparison"] == ">="
        values.append(1 / e["ratio"] if invert else e["ratio"])
        targets.append(1 / e["target"] if invert else e["target"])
        names.append(("vectorized/loop gradient" + e["name"].split("gradient", 1)[1]) if invert else e["name"])
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = Figure(figsize=(8, 0.42 * len(entries) + 1.6), dpi=100)
    ax = fig.subplots()
    ys = range(len(entries))
    colors = ["tab:blue" if e["holds"] else "tab:red" for e in entries]
    ax.barh(ys, values, color=colors, height=0.6)
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
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def on_files(files, config):
    if files.get_file_from_path(PAGE) is None:  # a partial build (e.g. a test's) without the page
        return files
    results = load(config["docs_dir"])
    files.append(File.generated(config, PLOT, content=plot_png(results)))
    return files


def on_page_markdown(markdown, page, config, files):
    docs = config["docs_dir"]
    if page.file.src_uri == READER_PAGE:
        if READER_MARKER not in markdown:
            raise ValueError(f"{READER_PAGE} has lost its marker {READER_MARKER}")
        return markdown.replace(READER_MARKER, for_readers(
            load(docs), load(docs, PYODIDE), load(docs, TYPESET)))
    if page.file.src_uri != PAGE:
        return markdown
    for marker in MARKERS:
        if marker not in markdown:
            raise ValueError(f"{PAGE} has lost its marker {marker}; the hook needs it for the figures")
    results, before = load(config["docs_dir"]), load(config["docs_dir"], BEFORE)
    goals = load(config["docs_dir"], ISSUE14)
    return (markdown.replace(MARKERS[0], machine(results))
            .replace(MARKERS[1], table(results))
            .replace(MARKERS[2], before_after(before, results))
            .replace(MARKERS[3], verdicts(results))
            .replace(MARKERS[4], overhead(results))
            .replace(MARKERS[5], summary(results))
            .replace(MARKERS[6], issue14(goals, before, results, markdown))
            .replace(MARKERS[7], in_place(results)))
