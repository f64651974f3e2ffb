"""The committed benchmark results hold every figure the Performance page needs.

No timing happens here: these tests read docs/assets/performance/*.json, written by
`make bench` (benchmarks/run.py) and benchmarks/serve_rebuild.py, and check their shape, that
each verdict agrees with its ratio and target, and that the page's hook turns them into tables
and a plot.
"""

import json
import math
import statistics

import pytest

from sitebuild import ROOT, load_file

RESULTS_DIR = ROOT / "docs" / "assets" / "performance"
FILES = ["results.json", "results-before.json"]

# The comparisons the issue asks for, each at 1 thread and at the default (memory: 1 thread).
TIMED = [
    "step/gemm 784-256-10 N=256 float32",
    "step/gemm 784-256-10 N=256 float64",
    "step/gemm 1024-1024-1024-10 N=512 float32",
    "step/gemm 1024-1024-1024-10 N=512 float64",
    "backward/forward 784-256-10 N=256 float64",
    "backward/forward 1024-1024-1024-10 N=512 float64",
    "loop/vectorized gradient 784-256-10 N=256 float64",
    "learner: 1000 x Network.train / own script",
]
TORCH = [
    "step/PyTorch 784-256-10 N=256 float32",
    "products NumPy/PyTorch 784-256-10 N=256 float32",
    "step/PyTorch 784-256-10 N=256 float64",
    "products NumPy/PyTorch 784-256-10 N=256 float64",
    "step/PyTorch learner 3-4-1 N=4 float64",
]
STEP_NETWORKS = [name.removeprefix("step/gemm ") for name in TIMED if name.startswith("step/gemm")]
MEMORY = [
    "memory 784-256-10 N=256 float32",
    "memory 784-256-10 N=256 float64",
    "memory 1024-1024-1024-10 N=512 float32",
    "memory 1024-1024-1024-10 N=512 float64",
]
TARGETS = {  # name prefix -> (comparison, target at 1 thread), as issue 14 states them
    "step/gemm": ("<=", 1.25),
    "loop/vectorized": (">=", 10),
    "learner: 1000": ("<=", 1.5),
    "step/PyTorch 784-256-10 N=256 float32": ("<=", 1.0),
    "memory": ("<=", 1.15),
}


def load(name):
    return json.loads((RESULTS_DIR / name).read_text())


@pytest.fixture(params=FILES)
def results(request):
    return load(request.param)


def test_results_describe_machine_blas_and_versions(results):
    for key in ["date", "commit", "label", "machine", "load_average", "python", "numpy", "torch", "blas",
                "repeats", "gemm_floor", "dtypes_kept", "entries", "targets", "verdicts"]:
        assert key in results, f"results file lacks {key!r}"
    assert results["machine"]["cpu"] and results["machine"]["cores"] >= 1, results["machine"]
    blas = [lib for lib in results["blas"] if lib["user_api"] == "blas"]
    assert blas, f"no BLAS library recorded (threadpoolctl found {results['blas']})"
    for lib in blas:
        for key in ["internal_api", "version", "num_threads", "architecture"]:
            assert key in lib, f"BLAS entry lacks {key!r}: {lib}"
    assert not results["quick"], "a --quick smoke run was committed instead of a measurement"


def test_every_comparison_is_there_at_both_thread_counts(results):
    have = {(e["name"], e["threads"]) for e in results["entries"]}
    names = TIMED + (TORCH if results["torch"] else [])
    missing = [(n, t) for n in names for t in ("1", "default") if (n, t) not in have]
    missing += [(n, "1") for n in MEMORY if (n, "1") not in have]
    assert not missing, f"missing entries: {missing}"
    if not results["torch"]:
        assert results["torch_skipped"], "PyTorch comparisons absent without a reason"


def test_each_entry_is_complete_and_its_verdict_follows_from_it(results):
    for e in results["entries"]:
        for key in ["name", "what", "threads", "clock", "ratio", "target", "comparison", "holds"]:
            assert key in e, f"{e.get('name')}: lacks {key!r}"
        assert math.isfinite(e["ratio"]) and e["ratio"] > 0, f"{e['name']}: ratio {e['ratio']}"
        target = next((t for prefix, t in TARGETS.items() if e["name"].startswith(prefix)), None)
        if e["threads"] == "1" and target is not None:
            assert (e["comparison"], e["target"]) == target, f"{e['name']}: target {e['target']}"
            held = e["ratio"] <= e["target"] if e["comparison"] == "<=" else e["ratio"] >= e["target"]
            assert e["holds"] is held, f"{e['name']}: holds={e['holds']} but ratio {e['ratio']}"
        else:
            assert e["holds"] is None, f"{e['name']} ({e['threads']} threads) has no target to hold"


def test_the_breakdown_covers_every_part_of_every_step_network(results):
    one_thread = {e["name"]: e for e in results["entries"] if e["threads"] == "1"}
    assert list(results["breakdown"]) == STEP_NETWORKS, list(results["breakdown"])
    for name, shares in results["breakdown"].items():
        assert list(shares) == ["matrix products", *results["parts"], "rest"], f"{name}: {list(shares)}"
        for part, share in shares.items():
            assert math.isfinite(share) and (share > 0 or part == "rest"), f"{name}, {part}: {share}"
        # the products' share is the step/gemm line's own measurement, not a second one
        ratio = one_thread[f"step/gemm {name}"]["ratio"]
        assert math.isclose(shares["matrix products"], 1 / ratio, rel_tol=1e-12), (name, ratio)
        assert math.isclose(sum(shares.values()), 1, rel_tol=1e-9), f"{name}: shares sum to {sum(shares.values())}"


def test_the_targets_recorded_are_the_issues(results):
    assert {prefix.strip(): tuple(t) for prefix, t in results["targets"].items()} == {
        "step/gemm": ("<=", 1.25), "loop/vectorized gradient": (">=", 10),
        "learner: 1000 x Network.train / own script": ("<=", 1.5),
        "step/PyTorch 784-256-10 N=256 float32": ("<=", 1.0), "memory": ("<=", 1.15)}
    assert len(results["verdicts"]) == len(results["targets"]), results["verdicts"]
    for line, (prefix, (_, target)) in zip(results["verdicts"], results["targets"].items()):
        assert line.strip().startswith(f"{prefix.strip()} "), (line, prefix)
        assert ": holds" in line or ": misses" in line or (": not measured" in line and not results["torch"]), line


def test_before_and_after_were_measured_in_one_session_with_one_script():
    before, after = load("results-before.json"), load("results.json")
    assert before["commit"] != after["commit"], "both files measure the same package"
    assert before["targets"] == after["targets"] and before["torch"] == after["torch"]
    assert before["machine"] == after["machine"], (before["machine"], after["machine"])
    assert before["date"][:10] == after["date"][:10], (before["date"], after["date"])


def test_the_current_step_was_set_against_the_in_place_update():
    results = load("results.json")
    one = {e["name"] for e in results["entries"] if e["threads"] == "1"}
    assert list(results["page_faults_per_step"]) == STEP_NETWORKS, list(results["page_faults_per_step"])
    for name, faults in results["page_faults_per_step"].items():
        assert f"in-place step/gemm {name}" in one, name
        assert set(faults) == {"step", "in-place step"} and min(faults.values()) >= 0, faults


def test_issue14_has_a_row_for_every_goal():
    goals = load("issue14.json")["goals"]
    assert [g["goal"] for g in goals] == [1, 2, 3, 4, 5], [g["goal"] for g in goals]
    for goal in goals:
        assert goal["name"] and goal["target"], goal
        if "section" in goal or "results" in goal:
            continue
        for side in ("before", "after"):  # a figure, null until measured, or why there is none
            value = goal[side]
            if isinstance(value, str):
                assert value.strip(), (goal, side)
                continue
            assert value is None or (math.isfinite(value["value_s"]) and value["value_s"] > 0), (goal, side)
    writer = goals[0]
    for side in ("before", "after"):  # benchmarks/serve_rebuild.py's own output
        runs = writer[side]["runs_s"]
        assert len(runs) == 3 and writer[side]["value_s"] == sorted(runs)[1], writer[side]
    assert writer["before"]["dirty"] is False and writer["after"]["dirty"] is True, writer


def test_dtypes_were_kept(results):
    assert set(results["dtypes_kept"]) == {"float32", "float64"}, results["dtypes_kept"]


def hook():
    return load_file(ROOT / "hooks" / "performance.py", "performance_hook")


def test_the_page_hook_shows_every_entry_and_plots_them():
    performance = hook()
    results = performance.load(ROOT / "docs")
    table = performance.table(results)
    for e in results["entries"]:
        assert f"| {e['name']} |" in table, f"{e['name']} is not in the page's table"
    before = performance.load(ROOT / "docs", performance.BEFORE)
    before_after = performance.before_after(before, results)
    for version in (before, results):
        assert f"`{version['commit']}`" in before_after, f"no column for {version['commit']}"
    assert "| step/gemm 784-256-10 N=256 float64 |" in before_after, before_after
    in_place = performance.in_place(results)
    for name in STEP_NETWORKS:
        assert f"| {name} |" in in_place, in_place
    verdicts = performance.verdicts(results).splitlines()
    assert len(verdicts) == len(results["targets"]), verdicts
    goals = performance.load(ROOT / "docs", performance.ISSUE14)
    rows = [row for row in performance.issue14(goals, before, results, "").splitlines()[2:]
            if row.startswith("|")]
    assert len(rows) == 5, rows
    for goal, row in zip(goals["goals"], rows):
        assert row.startswith(f"| {goal['goal']}. "), row
        if goal.get("after", 0) is None:
            assert performance.NOT_HERE in row, row
    overhead = performance.overhead(results)
    for part in ("matrix products", *results["parts"], "rest"):
        assert f"| {part}" in overhead, f"{part} is not in the overhead table"
    assert results["machine"]["cpu"] in performance.machine(results)
    held = [e["holds"] for e in results["entries"] if e["threads"] == "1" and e["target"] is not None]
    assert f"; {sum(held)} of {len(held)} lines with a target hold." in performance.summary(results), \
        performance.summary(results)
    png = performance.plot_png(results)
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), "the plot is not a PNG"


def test_the_pages_keep_the_hook_markers():
    performance = hook()
    text = (ROOT / "docs" / performance.PAGE).read_text()
    for marker in performance.MARKERS:
        assert marker in text, f"docs/{performance.PAGE} lacks {marker}"
    typeset = load_file(ROOT / "hooks" / "typeset_table.py", "typeset_table_hook")
    assert typeset.PAGE == performance.PAGE and typeset.MARKER in text, typeset.PAGE
    assert performance.READER_MARKER in (ROOT / "docs" / performance.READER_PAGE).read_text()


def test_the_readers_summary_gives_the_files_figures():
    """Each figure of the reader's Performance page is a median of the files it comes from."""
    performance = hook()
    results = performance.load(ROOT / "docs")
    pyodide = performance.load(ROOT / "docs", performance.PYODIDE)
    typeset = performance.load(ROOT / "docs", performance.TYPESET)
    text = performance.for_readers(results, pyodide, typeset)
    pages = [row["median_ms"] / 1000 for row in typeset["pages"]]
    assert f"about {statistics.median(pages):.2f} s after you open it" in text, text
    assert f"pages measured in {max(pages):.2f} s" in text, text
    assert f"in about {statistics.median(pyodide['cold_s']):.0f} s" in text, text
    assert f"cache, in {statistics.median(pyodide['warm_s']):.1f} s" in text, text
    learner = performance._one_thread(results)["learner: 1000 x Network.train / own script"]
    assert f"in {learner['ratio']:.2f} times the time" in text, text
