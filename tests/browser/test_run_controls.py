"""The Run, Edit, Reset and Stop controls in the reader's browser: nothing downloaded before the
reader points at or focuses Run, edit and reset (this page and the next print the build's output
again), stop, a crash of Python, the Content-Security-Policy, a failed load and its retry, output
streamed and contained, instant navigation, the editor and the keyboard, the runtime from a CDN,
an exercise's wrong line named. Every block of every page is run in test_run_every_block.py, with
the blocks of a session.

Each start of Python costs 3-5 s of CPU and a page load about 2 more (a new context, measured
with the build's bytecode): the tests share them where that stays clear. The tests that take a
``tab`` go on in one tab per page, in file order: a test that needs no fresh Python uses the one
the test before it left there. So do the two tests of ``first_visit`` (nothing downloaded, then
the bytecode) and the two of ``strict_visit`` (focus starts Python, then the policy).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import browser_checks as bc
from backprop_site import run_in_browser as rb

pytestmark = pytest.mark.browser

# How long a failed load may take to say so (it is reported as soon as a request fails).
FAILED_LOAD_S = 5.0


# These tests start Python about 15 times and compute little: their Chromium compiles WebAssembly with
# V8's baseline compiler only (Liftoff, the tier every reader's browser starts with; the
# optimising tier comes later, for hot code). A start then costs about 2 core-seconds less
# (this file: 133 -> 115 core-s); a long computation would run slower, as in
# test_run_every_block.py, which uses the default.
LIFTOFF_ONLY = [*bc.LAUNCH_ARGS, "--js-flags=--liftoff-only"]


@pytest.fixture(scope="module")
def browser(browser):
    """A Chromium of this module's own, with LIFTOFF_ONLY."""
    chromium = browser.browser_type.launch(executable_path=str(bc.CHROMIUM), headless=True,
                                           args=LIFTOFF_ONLY)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def local(site_dir):
    """The site over HTTP on 127.0.0.1, with Cache-Control, as a static host serves it."""
    with rb.LocalServer(site_dir) as served:
        yield served


@pytest.fixture(scope="module")
def cached(browser, tmp_path_factory):
    """One context for the tests below that need no routing, with a cache on disk as a reader's
    browser has: after the first of them the runtime comes from the cache, as for a returning
    reader (a context without a profile keeps its cache in memory, and there a new tab found
    the runtime missing and started nothing).
    A browser of its own, with LIFTOFF_ONLY, as Playwright gives a profile one."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")), executable_path=str(bc.CHROMIUM), headless=True,
        args=LIFTOFF_ONLY, viewport=bc.DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="module")
def tab(cached, local):
    """tab(path): a tab of this module's that shows path, shared by its tests in file order.

    A test that needs no fresh Python goes on with the one an earlier test left in the tab (a
    tab that navigated goes on at its new page). A tab with an editor open or a run going is
    closed, and the test gets a freshly loaded one."""
    tabs = []

    def get(path):
        for page in [p for p in tabs if p.url == local.url + path]:
            if not page.evaluate(UNTIDY_JS):
                return page
            tabs.remove(page)
            page.close()
        tabs.append(rb.open_local(cached, local, path))
        return tabs[-1]

    yield get
    for page in tabs:
        page.close()


# True when a block's editor is open or a run has not ended.
UNTIDY_JS = """() => document.querySelector("textarea.run-editor") !== null
  || [...document.querySelectorAll("div.run-bar .run-status")].some((s) => s.textContent.endsWith("…"))"""


def _runtime_requests(requests):
    return [u for u in requests if rb.RUNTIME_REQUESTS.search(u)]


@pytest.fixture(scope="module")
def first_visit(browser, site_dir):
    """answer/one-weight/ in a context of its own, as on a reader's first visit (nothing in the
    browser's cache), over HTTP from a server of its own (it counts the bytes sent). Its tests
    go on in this tab, in file order: the first finds Python not yet started."""
    context = browser.new_context(viewport=bc.DESKTOP)
    with rb.LocalServer(site_dir) as local:
        requests = []
        context.on("request", lambda r: requests.append(r.url))
        page = rb.open_local(context, local, "answer/one-weight/")
        yield SimpleNamespace(context=context, local=local, page=page, requests=requests)
        context.close()


def test_nothing_is_downloaded_before_the_reader_points_at_run(first_visit, site_dir):
    """Loading, reading and pointing at other things fetch nothing of the runtime; pointing at
    Run starts Python, and a first Run downloads the bytes the build counted, file by file."""
    counted = json.loads((site_dir / "assets" / "pyodide" / "runner.json").read_text())
    page, local = first_visit.page, first_visit.local
    page.locator("div.run-bar").first.get_by_role("button", name="Edit").hover()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(500)
    assert not _runtime_requests(first_visit.requests), first_visit.requests
    local.sent_by_path.clear()
    with first_visit.context.expect_event("request", lambda r: r.url.endswith("pyodide.asm.wasm"),
                                          timeout=rb.RUN_TIMEOUT_MS):
        page.locator("div.run-bar").first.get_by_role("button", name="Run").hover()
    rb.click_run(page, 0)
    sent = {p: n for p, n in local.sent_by_path.items() if rb.RUNTIME_REQUESTS.search(p)}
    assert len(sent) == counted["first_run"]["files"], sorted(sent)
    assert sum(sent.values()) == counted["first_run"]["site_bytes"], sent


@pytest.fixture(scope="module")
def strict_visit(browser, site_dir):
    """answer/one-weight/ in a context of its own (nothing cached), over HTTP with the
    Content-Security-Policy header on every response, as a host that sets it site-wide would
    send it. Its tests go on in this tab, in file order; it keeps every request and every console
    message about the policy."""
    context = browser.new_context(viewport=bc.DESKTOP)
    with rb.LocalServer(site_dir, csp=rb.CSP) as strict:
        requests, refused = [], []
        context.on("request", lambda r: requests.append(r.url))
        context.on("console", lambda m: refused.append(m.text)
                   if "Content Security Policy" in m.text else None)
        page = rb.open_local(context, strict, "answer/one-weight/")
        yield SimpleNamespace(context=context, page=page, requests=requests, refused=refused)
        context.close()


def test_focusing_run_from_the_keyboard_starts_python(strict_visit):
    page = strict_visit.page
    page.wait_for_timeout(300)
    assert not _runtime_requests(strict_visit.requests), strict_visit.requests
    with strict_visit.context.expect_event("request", lambda r: r.url.endswith("pyodide.asm.wasm"),
                                           timeout=rb.RUN_TIMEOUT_MS):
        page.locator("div.run-bar").first.get_by_role("button", name="Run").focus()


def test_edit_drop_a_transpose_then_reset(tab, site_dir):
    """The reader drops the transpose of the weight gradient: a shape error; Reset + Run gives
    the build's output again."""
    path = "answer/l-layers/"
    want = rb.build_outputs(site_dir, path)
    page = tab(path)
    bars = page.locator("div.run-bar")
    target = next(i for i in range(bars.count())
                  if ".T @" in page.evaluate(
                      "(i) => document.querySelectorAll('div.run-bar')[i].previousElementSibling.textContent", i))
    bar = bars.nth(target)
    original = rb.click_run(page, target)
    assert rb.output_difference(original.output, want[original.index]) is None, original
    # Reset and Stop are hidden until there is something to reset or stop.
    assert not bar.locator("button", has_text="Reset").is_visible()
    assert not bar.locator("button", has_text="Stop").is_visible()
    bar.get_by_role("button", name="Edit").click()
    editor = page.locator("textarea.run-editor")
    code = editor.input_value()
    assert ".T @" in code
    editor.fill(code.replace(".T @", " @", 1))
    editor.press("Shift+Enter")
    rb.wait_for_run(page, target, rb.RUN_TIMEOUT_MS)
    broken = page.evaluate(rb.STATE_JS)[target]
    assert broken["error"] and "Traceback" in broken["output"], broken
    assert "ValueError" in broken["output"] and "matmul" in broken["output"], broken["output"]
    # The traceback starts at the reader's code, not in the worker's or Pyodide's frames.
    first_frame = broken["output"].split("\n")[1]
    assert first_frame.startswith(f'  File "<code block {target + 1}>"'), broken["output"]
    assert "_pyodide" not in broken["output"] and "pyodide.asm" not in broken["output"]
    bar.get_by_role("button", name="Reset").click()
    assert page.locator("textarea.run-editor").count() == 0
    again = rb.click_run(page, target)
    assert rb.output_difference(again.output, want[again.index]) is None, again


def test_the_editor_indents_keeps_no_one_trapped_and_opens_at_the_start(tab):
    """Tab and Shift+Tab indent and dedent (the selected lines), Enter keeps the indentation,
    Escape then Tab leaves the editor, an editor opens at the start of its code; input() says
    the page has no input; a traceback names the package's files as backprop/..."""
    page = tab("answer/l-layers/")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    for bar in range(page.locator("div.run-bar").count()):
        page.locator("div.run-bar").nth(bar).get_by_role("button", name="Edit").click()
        editor = page.locator("div.run-bar").nth(bar).locator("xpath=preceding-sibling::textarea[1]")
        opened = editor.evaluate("e => [e.scrollLeft, e.scrollTop, e.selectionStart, document.activeElement === e]")
        assert opened == [0, 0, 0, True], (bar, opened)
        page.locator("div.run-bar").nth(bar).get_by_role("button", name="Reset").click()
    bar = page.locator("div.run-bar").nth(0)
    bar.get_by_role("button", name="Edit").click()
    editor = page.locator("textarea.run-editor")
    editor.fill("")
    editor.press_sequentially("for i in range(2):")
    editor.press("Enter")
    editor.press_sequentially("x = i")
    editor.press("Enter")
    editor.press_sequentially("print(x)")
    assert editor.input_value() == "for i in range(2):\n    x = i\n    print(x)"
    editor.press("Shift+Tab")
    assert editor.input_value() == "for i in range(2):\n    x = i\nprint(x)"
    editor.press("Home")
    editor.press("Tab")
    assert editor.input_value() == "for i in range(2):\n    x = i\n    print(x)"
    editor.evaluate("e => e.setSelectionRange(0, e.value.length)")
    editor.press("Tab")
    assert editor.input_value() == "    for i in range(2):\n        x = i\n        print(x)"
    editor.press("Shift+Tab")
    assert editor.input_value() == "for i in range(2):\n    x = i\n    print(x)"
    editor.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Run", "Tab after Escape stayed"
    page.keyboard.press("Shift+Tab")
    assert editor.evaluate("e => e === document.activeElement")
    editor.press("Escape")
    page.keyboard.press("Shift+Tab")
    assert not editor.evaluate("e => e === document.activeElement"), "Shift+Tab after Escape stayed"
    asked = rb.edit_and_run(page, 0, "name = input('Your name? ')")
    assert "input() cannot read" in asked.output and "OSError" not in asked.output, asked.output
    through = rb.edit_and_run(page, 0, "import numpy as np\nfrom backprop import Network\n"
                                       "Network({'W1': np.ones((3, 1))}, activations='identity').train(np.ones((2, 2)), np.ones((2, 1)), 0.1, 1)")
    assert 'File "backprop/network.py"' in through.output, through.output
    assert "site-packages" not in through.output and "<runner>" not in through.output, through.output


# In the Python of a page: the modules imported so far that came from a .py source (the standard
# library's zip, site-packages), split into those with a hash-checked .pyc of that very source
# (PEP 552; Python then unmarshals instead of compiling) and those without.
BYTECODE_CHECK = """import importlib.util, os, sys, zipfile
stdlib = next(p for p in sys.path if p.endswith(".zip"))
archive = zipfile.ZipFile(stdlib)
names = set(archive.namelist())
compiled, from_source = [], []
for module in list(sys.modules.values()):
    spec = getattr(module, "__spec__", None)
    origin = spec.origin if spec else None
    if not origin or not origin.endswith(".py"):
        continue
    if origin.startswith(stdlib + "/"):
        name = origin[len(stdlib) + 1:]
        source = archive.read(name)
        pyc = archive.read(name + "c") if name + "c" in names else b""
    else:
        source = open(origin, "rb").read()
        pyc = open(spec.cached, "rb").read() if os.path.exists(spec.cached) else b""
    checked = pyc[4:8] == (3).to_bytes(4, "little") and pyc[8:16] == importlib.util.source_hash(source)
    (compiled if checked else from_source).append(module.__name__)
print(len(compiled), "with bytecode; compiled from source:", sorted(from_source))"""


def test_python_starts_from_the_bytecode_the_build_compiled(first_visit):
    """Pyodide ships the standard library and numpy as sources: the build compiles what a start
    imports (hooks/pyodide_bytecode.js), so no module Python, numpy or the package imports as the
    worker starts is compiled again in the reader's browser. Checked in the first visit's Python,
    which has run only the page's first block (it imports what a start imports)."""
    ran = rb.edit_and_run(first_visit.page, 0, BYTECODE_CHECK)
    assert ran.status.startswith("Ran in your browser"), ran
    count, rest = ran.output.split(" with bytecode; compiled from source: ")
    assert rest.strip() == "[]" and int(count) > 50, ran.output


def test_runs_under_the_content_security_policy(strict_visit, site_dir):
    """Under the policy (strict_visit) every block of the first three prints the build's output
    and no script of the runner or of Pyodide, the worker's among them, is refused."""
    want = rb.build_outputs(site_dir, "answer/one-weight/")
    for bar in range(3):
        click = rb.click_run(strict_visit.page, bar)
        assert rb.output_difference(click.output, want[click.index]) is None, click
    # The policy also refuses some of Material's own things, none of them the runner's: the
    # inline scripts of its template (palette and scope set-up) and its data: SVG icons and
    # inline styles (default-src covers img-src and style-src). Scripts, workers and
    # WebAssembly must all pass.
    ours = [m for m in strict_visit.refused if ("script-src" in m or "worker-src" in m)
            and not m.startswith("Executing inline script")]
    assert not ours, ours


@pytest.fixture(scope="module")
def failing_visit(browser, local):
    """answer/one-weight/ in a context of its own, where a request for a runtime file named in
    ``fail`` (the tests set it) fails, as a failed download would. Its tests go on in this tab,
    in file order: after a failed load, the next click starts Python again."""
    context = browser.new_context()
    fail = []
    page = rb.open_local(context, local, "answer/one-weight/", fail=fail)
    yield SimpleNamespace(page=page, fail=fail)
    context.close()


# A runtime file whose download fails, and what the status then names (each click after a failed
# load starts Python again: the status names that load's failure, not an earlier one).
FAILED_LOADS = {"pyodide.asm.wasm": "pyodide.asm.wasm", "pyodide.js": "pyodide.js",
                "run-worker.js": "the worker script"}


@pytest.mark.parametrize("blocked", FAILED_LOADS)
def test_a_failed_load_says_so_within_seconds(failing_visit, blocked):
    failing_visit.fail[:] = [blocked]
    click = rb.click_run(failing_visit.page, 0, timeout_ms=int(FAILED_LOAD_S * 1000))
    assert click.status.startswith("Python could not be loaded"), click
    assert FAILED_LOADS[blocked] in click.status, click
    assert click.seconds < FAILED_LOAD_S, click


def test_reset_returns_this_page_and_the_next_to_the_build(tab, local, site_dir):
    """The reader changes NumPy's print and error settings in an edited block, then Resets it:
    every block of the page, then of the next page reached by instant navigation, prints the
    build's output (to the last digit's round-off: fewer digits fail), as the site's own code
    runs in a fresh Python, not in the one the edit changed."""
    first, second = "answer/question/", "answer/output-layer/"  # arrays of 4 to 6 digits
    page = tab(first)
    edited = rb.edit_and_run(page, 0, "import numpy as np\nnp.set_printoptions(precision=3)\n"
                                      "np.seterr(all='ignore')\nprint(np.array([0.125979]))")
    assert edited.output == "[0.126]", edited
    page.locator("div.run-bar").nth(0).get_by_role("button", name="Reset").click()
    problems = rb.differences_from_build(site_dir, first, rb.click_every_bar(page))
    rb.navigate_instantly(page, local.url + second)
    problems += rb.differences_from_build(site_dir, second, rb.click_every_bar(page))
    assert not problems, "after the edited run and Reset:\n" + "\n".join(problems)


# An exercise: Edit the exercise block, type a wrong line in place of the placeholder, Run, and
# diagnose's finding is shown under the block. Every exercise's wrong lines are checked without
# a browser in tests/pages/test_exercises.py; one page is enough here.
EXERCISE_PAGE = "answer/output-layer/"
PLACEHOLDER = re.compile(r"^delta2 = \.\.\.  # your line.*$", re.M)
WRONG_LINE = "delta2 = a2 - y"  # the slope of the sigmoid left out


def test_a_wrong_line_typed_into_an_exercise_is_named(tab, site_dir):
    built = rb.build_outputs(site_dir, EXERCISE_PAGE)
    page = tab(EXERCISE_PAGE)
    codes = page.evaluate("""() => [...document.querySelectorAll("div.run-bar")]
        .map((bar) => bar.previousElementSibling.textContent)""")
    target = next(i for i, code in enumerate(codes) if PLACEHOLDER.search(code))
    bar = page.locator("div.run-bar").nth(target)
    bar.get_by_role("button", name="Edit").click()
    editor = page.locator("textarea.run-editor")
    code = editor.input_value()
    editor.fill(PLACEHOLDER.sub(WRONG_LINE, code, count=1))
    bar.get_by_role("button", name="Run").click()
    rb.wait_for_run(page, target, rb.RUN_TIMEOUT_MS)
    state = page.evaluate(rb.STATE_JS)[target]
    assert "Not written yet" in built[state["index"]], built[state["index"]]
    assert state["ranHere"] and not state["error"], state
    assert state["status"].startswith("Ran in your browser"), state
    assert "delta2 (layer 2): missing_sigma_prime" in state["output"], state["output"]
    assert "leaves out the slope of the sigmoid" in state["output"], state["output"]


def test_a_failed_load_is_retried_by_the_next_click(failing_visit, site_dir):
    """The load cannot fetch the WebAssembly; the next click loads Python and prints the
    build's output. A worker whose load fails still answers a run sent before it was ready."""
    page, fail = failing_visit.page, failing_visit.fail
    want = rb.build_outputs(site_dir, "answer/one-weight/")
    fail[:] = ["pyodide.asm.wasm"]
    failed = rb.click_run(page, 0, timeout_ms=int(FAILED_LOAD_S * 1000))
    assert failed.status.startswith("Python could not be loaded"), failed
    fail.clear()
    retried = rb.click_run(page, 0)
    assert retried.status.startswith("Ran in your browser"), retried
    assert rb.output_difference(retried.output, want[retried.index]) is None, retried
    fail.append("pyodide.asm.wasm")
    answer = page.evaluate(RUN_BEFORE_READY_JS)
    assert answer is not None, "the worker never answered a run sent before it was ready"
    assert answer["id"] == 7 and "could not be loaded" in answer["error"], answer


# A worker of its own: started, and at once a run; resolves with the run's answer (null if none).
RUN_BEFORE_READY_JS = """() => new Promise((resolve) => {
  const script = document.querySelector("script[src$='run.js']").src;
  const base = new URL("../assets/pyodide/", script);
  const url = (u) => new URL(u, base).href;
  const r = JSON.parse(document.querySelector("script[src$='run.js']").dataset.runtime);
  const runtime = {...r, script: url(r.script), index: url(r.index), lock: url(r.lock),
    wheel: url(r.wheel), files: url(r.files), stdlib: url(r.stdlib), bytecode: url(r.bytecode),
    prefetch: r.prefetch.map(url),
    integrity: Object.fromEntries(Object.entries(r.integrity).map(([u, h]) => [url(u), h]))};
  const worker = new Worker(new URL("run-worker.js", script), { name: JSON.stringify(runtime) });
  worker.onmessage = (event) => {
    if (event.data.type === "result") { worker.terminate(); resolve(event.data); }
  };
  setTimeout(() => { worker.terminate(); resolve(null); }, 20000);
  worker.postMessage({ type: "run", id: 7, code: "print(1)", filename: "<b>", session: "", fresh: true });
})"""


def test_the_runtime_from_a_cdn_is_checked_file_by_file(browser, local, site_dir):
    """The page describes the runtime as the build does with ``extra: pyodide_from: jsdelivr``;
    jsDelivr is played by request routing from the build's cached copies. Pyodide and numpy come
    from there, the site's own files (with the build's bytecode of the standard library) from the
    site; a file whose bytes differ from its pinned
    sha256 is refused; with the right bytes the block prints the build's output."""
    from backprop_site.repo import ROOT, load_file

    hook = load_file(ROOT / "hooks" / "pyodide_runtime.py", "pyodide_runtime_for_cdn_test")
    served = json.loads((site_dir / "assets" / "pyodide" / "runner.json").read_text())
    cdn = hook.ORIGINS["jsdelivr"]
    described = hook.runtime_description("jsdelivr", hook.lock_file(), served["wheel"])
    attribute = 'data-runtime="' + html.escape(json.dumps({**described, "download_mb": 17}), quote=True) + '"'
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    tampered, requests = {"pyodide.asm.wasm"}, []

    def page_from_cdn_build(route):
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r'data-runtime="[^"]*"', attribute, response.text()))

    def jsdelivr(route):
        name = route.request.url[len(cdn):]
        body = (hook.CACHE / name).read_bytes()
        if name in tampered:
            body = body[:-1] + bytes([body[-1] ^ 1])
        types = {".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}
        route.fulfill(status=200, body=body, headers={
            "Access-Control-Allow-Origin": "*",
            "Content-Type": types.get(Path(name).suffix, "application/octet-stream")})

    context = browser.new_context()
    try:
        context.on("request", lambda r: requests.append(r.url))
        context.route(local.url + path, page_from_cdn_build)
        context.route(cdn + "**", jsdelivr)
        page = rb.open_local(context, local, path)
        refused = rb.click_run(page, 0, timeout_ms=60_000)
        assert refused.status.startswith("Python could not be loaded"), refused
        assert "pyodide.asm.wasm" in refused.status, refused
        tampered.clear()
        ran = rb.click_run(page, 0)
        assert rb.output_difference(ran.output, want[ran.index]) is None, ran
        runtime = [u for u in requests if "/assets/pyodide/" in u or u.startswith(cdn)]
        from_cdn = {u[len(cdn):] for u in runtime if u.startswith(cdn)}
        from_site = {u.rsplit("/", 1)[1] for u in runtime if u.startswith(local.url)}
        assert {"pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm"} <= from_cdn, from_cdn
        assert any(name.startswith("numpy-") for name in from_cdn), from_cdn
        assert from_site == {served["wheel"], "files.zip", hook.RUNTIME_LOCK, hook.STDLIB_COMPILED,
                             hook.BYTECODE}, from_site
        leaving = [u for u in requests if not u.startswith((local.url, cdn))]
        assert not leaving, leaving
    finally:
        context.close()


LONGTASKS_JS = """() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
  }).observe({ type: "longtask" });
}"""


# The content-visibility of each span of lines in the first block's output box.
SPANS_DRAWN_JS = """() => [...document.querySelectorAll("div.run-bar")[0].nextElementSibling
  .querySelectorAll(".run-chunk")].map((span) => getComputedStyle(span).contentVisibility)"""


def test_output_streams_in_order_stays_in_a_bounded_box_and_stop_ends_a_long_run(tab):
    """Warnings sit between the lines printed around them; 200,000 lines leave a box of bounded
    height holding the last 1,000 and saying how many were printed; a line printed before an
    endless loop shows while it runs, and stays after Stop; after Reset, Run starts Python again.
    The page's longest tasks during the flood are printed (benchmarks/pyodide_run.py measures
    them; no timing is asserted here)."""
    page = tab("answer/one-weight/")
    ordered = rb.edit_and_run(page, 0, "import warnings\nprint('before')\n"
                                       "warnings.warn('in between')\nprint('after')")
    lines = ordered.output.split("\n")
    assert lines[0] == "before" and "UserWarning: in between" in lines[1], ordered.output
    assert lines[-1] == "after", ordered.output
    # A short output is drawn with the page: a span drawn only once in view is blank for a frame
    # as the page scrolls it in. A flood's spans out of view are not drawn, but for the last.
    assert set(page.evaluate(SPANS_DRAWN_JS)) == {"visible"}, page.evaluate(SPANS_DRAWN_JS)
    page.evaluate(LONGTASKS_JS)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    flood = rb.edit_and_run(page, 0, "for i in range(200_000):\n    print(i)")
    print(f"\nlong tasks during 200,000 lines: {page.evaluate('() => window.longTasks')} ms")
    kept = flood.output.split("\n")
    assert kept[0] == "199000" and kept[-1] == "199999" and len(kept) == 1000, (kept[:2], kept[-2:])
    drawn = page.evaluate(SPANS_DRAWN_JS)
    assert set(drawn[:-1]) == {"auto"} and drawn[-1] == "visible", drawn
    box = page.evaluate("""() => {
      const result = document.querySelector(".result.run-output");
      const code = result.querySelector("code");
      return {height: code.clientHeight, scrolls: code.scrollHeight > code.clientHeight,
              says: result.querySelector(".run-lines").textContent};
    }""")
    assert box["scrolls"] and box["height"] < 800, box
    assert "200,000 lines printed" in box["says"] and "1,000" in box["says"], box
    grown = page.evaluate("() => document.documentElement.scrollHeight") - height
    assert grown < 800, f"the page grew by {grown} px"
    bar = page.locator("div.run-bar").nth(0)
    page.locator("textarea.run-editor").fill("print('on its way')\nwhile True:\n    pass")
    bar.get_by_role("button", name="Run").click()
    bc.wait_until(page, """() => {
      const bar = document.querySelectorAll("div.run-bar")[0];
      const result = bar.nextElementSibling;
      return bar.querySelector(".run-status").textContent === "Running…"
             && result.querySelector("code").textContent.trim() === "on its way";
    }""", timeout_ms=30_000)
    bar.get_by_role("button", name="Stop").click()
    rb.wait_for_run(page, 0, 10_000)
    stopped = page.evaluate(rb.STATE_JS)[0]
    assert "Stopped" in stopped["status"] and stopped["output"] == "on its way", stopped
    bar.get_by_role("button", name="Reset").click()
    again = rb.click_run(page, 0)
    assert again.status.startswith("Ran in your browser"), again


# Blocks that end Python for good: os._exit, and a repr that exhausts the JavaScript stack.
CRASHES = {
    "os._exit": "print('printed before the crash')\nimport os\nos._exit(1)",
    "stack": "a = []\nfor _ in range(200_000):\n    a = [a]\nprint('printed before the crash')\nrepr(a)",
}


def test_a_crash_shows_what_was_printed_and_the_next_run_starts_python_again(tab, site_dir):
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    page = tab(path)
    rb.click_run(page, 0)  # Python is up: what follows measures the crash, not the start
    bar = page.locator("div.run-bar").nth(0)
    for name, code in CRASHES.items():
        crashed = rb.edit_and_run(page, 0, code, timeout_ms=60_000)
        assert crashed.output == "printed before the crash", (name, crashed)
        assert "Python stopped" in crashed.status, (name, crashed)
        assert "the next Run starts a fresh Python" in crashed.status, (name, crashed)
        bar.get_by_role("button", name="Reset").click()
        again = rb.click_run(page, 0)
        assert again.status.startswith("Ran in your browser"), (name, again)
        assert rb.output_difference(again.output, want[again.index]) is None, (name, again)


# Notes document.readyState when the page creates the Run buttons' worker.
WORKER_STARTED_JS = """(() => {
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      if (String(args[0]).endsWith("/run-worker.js")) window.pythonStartedWhile = document.readyState;
    }
  };
})();"""


def test_a_returning_reader_finds_python_starting_by_itself(cached, tab, local, site_dir):
    """A browser that has loaded Python here before (this module's context, once a tab of it has
    run a block): a new tab starts Python as soon as it has the page's head, while the body is
    still on its way (held up here for a few seconds), before the reader points at anything,
    downloading nothing; Run then prints the build's output. (A browser that never loaded it
    starts nothing: the first test.)"""
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    first = rb.click_run(tab(path), 0)
    assert first.status.startswith("Ran in your browser"), first
    page = cached.new_page()
    page.add_init_script(WORKER_STARTED_JS)
    try:
        local.sent_by_path.clear()
        local.stall_s = 3.0
        try:
            # Another URL for the same page: its HTML is not in the cache, the runtime is.
            with page.expect_worker(rb.is_python, timeout=20_000):
                page.goto(local.url + path + "?again", wait_until="load")
        finally:
            local.stall_s = 0.0
        assert page.evaluate("() => window.pythonStartedWhile") == "loading"
        assert not [p for p in local.sent_by_path if p.startswith("/assets/pyodide/")], local.sent_by_path
        ran = rb.click_run(page, 0)
        assert rb.output_difference(ran.output, want[ran.index]) is None, ran
    finally:
        page.close()


def test_the_buttons_work_from_the_keyboard(tab, site_dir):
    """Run with Enter on the focused button (focus is on Run again when it has run), Edit with
    Space, Shift+Enter in the editor."""
    path = "answer/one-weight/"
    want = rb.build_outputs(site_dir, path)
    page = tab(path)
    bar = page.locator("div.run-bar").nth(0)
    bar.get_by_role("button", name="Run").focus()
    page.keyboard.press("Enter")
    rb.wait_for_run(page, 0, rb.RUN_TIMEOUT_MS)
    state = page.evaluate(rb.STATE_JS)[0]
    assert rb.output_difference(state["output"], want[state["index"]]) is None, state
    focused = page.evaluate("() => [document.activeElement.textContent.trim().slice(0, 40), "
                            "document.activeElement.closest('div.run-bar') === document.querySelector('div.run-bar')]")
    assert focused == ["Run", True], f"after the run the focus is on {focused}"
    bar.get_by_role("button", name="Edit").focus()
    page.keyboard.press("Space")
    editor = page.locator("textarea.run-editor")
    assert editor.evaluate("e => e === document.activeElement"), "the editor has no focus"
    editor.fill("print(6 * 7)")
    editor.press("Shift+Enter")
    rb.wait_for_run(page, 0, rb.RUN_TIMEOUT_MS)
    assert page.evaluate(rb.STATE_JS)[0]["output"] == "42"


def test_instant_navigation_starts_each_page_afresh(tab, site_dir):
    """Material's instant navigation swaps the page without reloading it: the new page gets
    Run buttons; the reader ran edited code, so its code runs in a new worker, which sees
    nothing of the previous page."""
    page = tab("answer/one-weight/")
    workers = []
    page.on("worker", lambda worker: rb.is_python(worker) and workers.append(worker))
    bar = page.locator("div.run-bar").nth(0)
    bar.get_by_role("button", name="Edit").click()
    page.locator("textarea.run-editor").fill("import sys\nsys.left_by_the_last_page = 1\nprint('set')")
    assert rb.click_run(page, 0).output == "set"
    before = len(workers)
    page.evaluate("() => { window.sameDocument = true; }")
    target = "answer/output-layer/"
    page.locator(f"nav.md-nav a[href$='{target.split('/')[1]}/']").first.click()
    page.wait_for_url(f"**/{target}")
    bc.wait_until(page, "() => document.querySelector('div.run-bar') !== null"
                        " && document.querySelector('textarea.run-editor') === null")
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"
    want = rb.build_outputs(site_dir, target)
    first = rb.click_run(page, 0)
    assert rb.output_difference(first.output, want[first.index]) is None, first
    assert len(workers) == before + 1, f"{len(workers) - before} workers: the edited Python went on"
    bar = page.locator("div.run-bar").nth(0)
    bar.get_by_role("button", name="Edit").click()
    page.locator("textarea.run-editor").fill("import sys\nprint(hasattr(sys, 'left_by_the_last_page'))")
    assert rb.click_run(page, 0).output == "False"
