"""MkDocs hook: the Performance page's figures, built from the benchmark's results file.

``make bench`` (benchmarks/run.py) writes docs/assets/performance/results.json. At every
build this hook turns that file into Markdown tables, where docs/performance.md has the
markers below, and into the plot assets/performance/ratios.png, so the page can show no
figure that the file does not hold. A missing marker or results file fails the build.
"""

import io
import json
from pathlib import Path

from mkdocs.structure.files import File

PAGE = "performance.md"
RESULTS = "assets/performance/results.json"
BEFORE = "assets/performance/results-before.json"
# The same benchmark on the package after the first round of speed-ups (commit 0711bd0), run in
# the same session as the two other files, so that the three columns are comparable.
ROUND1 = "assets/performance/results-round1.json"
PLOT = "assets/performance/ratios.png"
MARKERS = ("<!-- performance:machine -->", "<!-- performance:table -->",
           "<!-- performance:before-after -->", "<!-- performance:misses -->",
           "<!-- performance:overhead -->", "<!-- performance:summary -->")


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
            f"{blas}, {torch}; {repeats}{took}.")


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
    torch = f", {span('step/PyTorch 784')} the same step in PyTorch" if results["torch"] else ""
    return (f"On the machine above, at 1 thread, a step takes {span('step/gemm')} the time of its "
            f"matrix products{torch}, and the learner's 1000 iterations "
            f"{one['learner: 1000 x Network.train / own script']['ratio']:.2f}× the learner's own "
            f"script; {held} of {len(with_target)} targets hold.")


def misses(results):
    """One sentence naming the targets that do not hold at 1 thread (or saying that all do)."""
    missed = [f"{e['name']} ({_ratio(e)}, target {_target(e)})" for e in results["entries"]
              if e["holds"] is False]
    if not missed:
        return "On the machine above, every target holds at 1 thread."
    return "On the machine above, these targets do not hold at 1 thread: " + "; ".join(missed) + "."


def before_after(*versions):
    """The 1-thread ratios and page faults of several versions of the package, side by side.

    ``versions`` are (heading, results dict) pairs, oldest first; the commit goes under each heading.
    """
    columns = [_one_thread(v) for _, v in versions]
    heads = " | ".join(f"{head} (`{v['commit']}`)" for head, v in versions)
    lines = [f"| comparison (1 thread) | {heads} | target |", "|---|" + "---:|" * len(versions) + "---:|"]
    for name, entry in columns[-1].items():
        if all(name in column for column in columns):
            cells = " | ".join(_ratio(column[name]) for column in columns)
            lines.append(f"| {name} | {cells} | {_target(entry)} |")
    faults = [v.get("page_faults_per_step", {}) for _, v in versions]
    for name in faults[-1]:
        cells = " | ".join(f"{f[name]:.0f}" if name in f else "—" for f in faults)
        lines.append(f"| page faults per step, {name} | {cells} | — |")
    return "\n".join(lines)


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
    if page.file.src_uri != PAGE:
        return markdown
    for marker in MARKERS:
        if marker not in markdown:
            raise ValueError(f"{PAGE} has lost its marker {marker}; the hook needs it for the figures")
    results = load(config["docs_dir"])
    versions = [("before", load(config["docs_dir"], BEFORE)), ("round 1", load(config["docs_dir"], ROUND1)),
                ("now", results)]
    return (markdown.replace(MARKERS[0], machine(results))
            .replace(MARKERS[1], table(results))
            .replace(MARKERS[2], before_after(*versions))
            .replace(MARKERS[3], misses(results))
            .replace(MARKERS[4], overhead(results))
            .replace(MARKERS[5], summary(results)))
