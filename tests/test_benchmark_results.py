"""The committed benchmark results hold every figure the Performance pages show.

No timing happens here: these tests read docs/assets/performance/*.json, written by the scripts
in benchmarks/, check their shape and that each verdict follows from its figure and from the
targets written once in backprop_site/performance.py, and that the pages' tables come from them.
"""

import math
import statistics

import pytest

from backprop_site import performance
from sitebuild import ROOT

DOCS = ROOT / "docs"

# The comparisons benchmarks/run.py makes, each at 1 thread and at the default (memory: 1 thread).
TIMED = [
    "step/gemm 784-256-10 N=256 float32",
    "step/gemm 784-256-10 N=256 float64",
    "step/gemm 1024-1024-1024-10 N=512 float32",
    "step/gemm 1024-1024-1024-10 N=512 float64",
    "backward/forward 784-256-10 N=256 float64",
    "backward/forward 1024-1024-1024-10 N=512 float64",
    "loop/vectorized gradient 784-256-10 N=256 float64",
    performance.LEARNER,
]
TORCH = [
    "step/PyTorch 784-256-10 N=256 float32",
    "products NumPy/PyTorch 784-256-10 N=256 float32",
    "step/PyTorch 784-256-10 N=256 float64",
    "products NumPy/PyTorch 784-256-10 N=256 float64",
    "step/PyTorch learner 3-4-1 N=4 float64",
]
STEP_NETWORKS = [name.removeprefix("step/gemm ") for name in TIMED if name.startswith("step/gemm")]
MEMORY = [f"memory {network}" for network in STEP_NETWORKS]


def load(name):
    return performance.load(DOCS, name)


@pytest.fixture(scope="module")
def results():
    return load("results.json")


def test_results_describe_machine_blas_and_versions(results):
    for key in ["date", "commit", "machine", "load_average", "python", "numpy", "torch", "blas",
                "repeats", "gemm_floor", "dtypes_kept", "entries", "targets", "verdicts"]:
        assert key in results, f"results file lacks {key!r}"
    assert results["machine"]["cpu"] and results["machine"]["cores"] >= 1, results["machine"]
    blas = [lib for lib in results["blas"] if lib["user_api"] == "blas"]
    assert blas, f"no BLAS library recorded (threadpoolctl found {results['blas']})"
    for lib in blas:
        for key in ["internal_api", "version", "num_threads", "architecture"]:
            assert key in lib, f"BLAS entry lacks {key!r}: {lib}"
    assert not results["quick"], "a --quick smoke run was committed instead of a measurement"
    assert set(results["dtypes_kept"]) == {"float32", "float64"}, results["dtypes_kept"]


def test_every_comparison_is_there_at_both_thread_counts(results):
    have = {(e["name"], e["threads"]) for e in results["entries"]}
    names = TIMED + (TORCH if results["torch"] else [])
    missing = [(n, t) for n in names for t in ("1", "default") if (n, t) not in have]
    missing += [(n, "1") for n in MEMORY if (n, "1") not in have]
    assert not missing, f"missing entries: {missing}"
    if not results["torch"]:
        assert results["torch_skipped"], "PyTorch comparisons absent without a reason"


def test_the_results_were_judged_by_the_targets_written_once(results):
    """The file's targets are STEP_TARGETS: after a change to a target, `make bench` again."""
    assert results["targets"] == {p.strip(): list(t) for p, t in performance.STEP_TARGETS.items()}
    assert len(results["verdicts"]) == len(performance.STEP_TARGETS), results["verdicts"]
    for e in results["entries"]:
        for key in ["name", "what", "threads", "clock", "ratio", "target", "comparison", "holds"]:
            assert key in e, f"{e.get('name')}: lacks {key!r}"
        assert math.isfinite(e["ratio"]) and e["ratio"] > 0, f"{e['name']}: ratio {e['ratio']}"
        comparison, target = performance.target_of(e["name"])
        if e["threads"] == "1" and target is not None:
            assert (e["comparison"], e["target"]) == (comparison, target), e["name"]
            held = performance.holds(e["ratio"], comparison, target)
            assert e["holds"] is held, f"{e['name']}: holds={e['holds']} but ratio {e['ratio']}"
        else:
            assert e["holds"] is None, f"{e['name']} ({e['threads']} threads) has no target to hold"


def test_the_breakdown_covers_every_part_of_every_step_network(results):
    one = performance.one_thread(results)
    assert list(results["breakdown"]) == STEP_NETWORKS, list(results["breakdown"])
    for name, shares in results["breakdown"].items():
        assert list(shares) == ["matrix products", *results["parts"], "rest"], f"{name}: {list(shares)}"
        for part, share in shares.items():
            assert math.isfinite(share) and (share > 0 or part == "rest"), f"{name}, {part}: {share}"
        # the products' share is the step/gemm line's own measurement, not a second one
        ratio = one[f"step/gemm {name}"]["ratio"]
        assert math.isclose(shares["matrix products"], 1 / ratio, rel_tol=1e-12), (name, ratio)
        assert math.isclose(sum(shares.values()), 1, rel_tol=1e-9), f"{name}: {sum(shares.values())}"
        assert f"in-place step/gemm {name}" in one, f"{name}: no in-place line for the page's block"


def test_the_waits_files_hold_what_the_table_shows():
    serve, suite = load("serve.json"), load("suite.json")
    assert serve["dirty"] and serve["median_s"] == statistics.median(serve["waits_s"]), serve
    assert suite["parts"] and suite["cores"] >= 1, suite
    for run in [suite["whole"] or {}, *suite["parts"]]:
        for key in ("wall_s", "core_s"):
            assert run.get(key, 1) > 0, run
    text = performance.waits(serve, suite)
    assert f"{serve['median_s']:.2f} s" in text, text
    for part in suite["parts"]:
        assert f"| {part['name']}" in text, part["name"]


def test_the_tables_show_every_entry_and_the_plot_is_drawn(results):
    table = performance.results_table(results)
    for e in results["entries"]:
        assert f"| {e['name']} |" in table, f"{e['name']} is not in the page's table"
    assert results["machine"]["cpu"] in table
    overhead = performance.overhead(results)
    for part in ("matrix products", *results["parts"], "rest"):
        assert f"| {part}" in overhead, f"{part} is not in the overhead table"
    held = [e["holds"] for e in performance.one_thread(results).values() if e["target"] is not None]
    assert f"; {sum(held)} of {len(held)} lines with a target hold." in performance.summary(results)
    assert performance.plot_png(results).startswith(b"\x89PNG\r\n\x1a\n"), "the plot is not a PNG"


def test_the_first_visit_table_has_every_page_and_its_verdicts():
    visits = load("first-visit.json")
    table = performance.first_visit(visits)
    for row in visits["pages"]:
        assert f"| {row['page']} | {row['math']} | {row['median_ms']:.0f} |" in table, row["page"]
    median = statistics.median(row["median_ms"] for row in visits["pages"])
    target = performance.FIRST_VISIT_TARGETS_MS["median"]
    verdict = "holds" if median <= target else "**does not hold**"
    assert f"≤ {target} ms {verdict} ({median:.0f} ms)" in table, table


def test_the_readers_summary_gives_the_files_figures(results):
    """Each figure of the reader's Performance page is a median of the files it comes from."""
    pyodide, visits = load("pyodide.json"), load("first-visit.json")
    text = performance.for_readers(results, pyodide, visits)
    pages = [row["median_ms"] / 1000 for row in visits["pages"]]
    assert f"about {statistics.median(pages):.2f} s after you open it" in text, text
    assert f"pages measured in {max(pages):.2f} s" in text, text
    assert f"in about {statistics.median(pyodide['cold_s']):.0f} s" in text, text
    assert f"cache, in {statistics.median(pyodide['warm_s']):.1f} s" in text, text
    learner = performance.one_thread(results)[performance.LEARNER]
    assert f"in {learner['ratio']:.2f} times the time" in text, text


@pytest.mark.parametrize("page", list(performance.MARKERS))
def test_each_page_has_exactly_its_markers_and_a_lost_one_fails(page):
    markdown = (DOCS / page).read_text(encoding="utf-8")
    filled = performance.fill(page, markdown, DOCS)
    assert "<!-- performance:" not in filled, page
    for name in performance.MARKERS[page]:
        with pytest.raises(ValueError, match="performance markers"):
            performance.fill(page, markdown.replace(f"<!-- performance:{name} -->", ""), DOCS)
    with pytest.raises(ValueError, match="performance markers"):
        performance.fill(page, markdown + "\n<!-- performance:unknown -->\n", DOCS)


def test_a_missing_results_file_names_its_script(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"results.json is missing: `make bench` \("):
        performance.load(tmp_path, "results.json")
