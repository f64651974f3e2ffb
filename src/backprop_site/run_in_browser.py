"""Click the Run buttons of a built page in Chromium and read what each block printed there.

Shared by tests/browser/test_run_every_block.py, test_run_controls.py and
benchmarks/pyodide_run.py. The site is served over HTTP on 127.0.0.1 (LocalServer, with the
browser's cache).
"""

from __future__ import annotations

import html
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from backprop_site import browser as bc
from backprop_site.page_outputs import shown_blocks

CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
# Longest wait for one click: Python's first start (download, compile, numpy) plus the block.
RUN_TIMEOUT_MS = 120_000

# The page's python blocks and notebook code cells, as run.js finds them.
CODES = ".md-content div.language-python.highlight, .md-content .jp-CodeCell .highlight-ipynb"

# Settled when the clicked block's status says how the run ended.
DONE_JS = """(i) => {
  const bar = document.querySelectorAll("div.run-bar")[i];
  const status = bar.querySelector(".run-status").textContent;
  return !bar.querySelector(".run-button").disabled && status !== "" && !status.endsWith("…");
}"""

# True once run.js has put its Run bars on the page.
BARS_JS = "() => document.querySelectorAll('div.run-bar').length > 0"

# For each block with a Run bar: its index among the page's python blocks, status and output.
STATE_JS = """() => [...document.querySelectorAll("div.run-bar")].map((bar) => {
  const codes = [...document.querySelectorAll(CODES)];
  let code = bar.previousElementSibling;
  if (code.matches("textarea")) code = code.previousElementSibling;
  if (code.matches(".jp-Cell-inputWrapper")) code = code.querySelector(".highlight-ipynb");
  const result = bar.nextElementSibling && bar.nextElementSibling.classList.contains("result")
                 ? bar.nextElementSibling : null;
  return {
    index: codes.indexOf(code),
    status: bar.querySelector(".run-status").textContent,
    output: result ? result.querySelector("code").textContent : null,
    ranHere: Boolean(result && result.classList.contains("run-output")),
    error: Boolean(result && result.classList.contains("run-error")),
  };
})""".replace("CODES", json.dumps(CODES))


@dataclass
class Click:
    """One click on Run: which block, what the browser then showed, how long it took."""

    index: int  # among the page's python blocks that show code
    status: str
    output: str | None
    error: bool
    seconds: float


@dataclass
class PageRun:
    path: str
    clicks: list[Click] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    bytes: int = 0  # bytes of every response body received
    workers: int = 0  # Pythons (run-worker.js workers) started while on this page
    # Run clicked first on the last block of the page's longest session (indices among the
    # python blocks), then every bar's state: (session's blocks, that click, states) or None
    session_first: tuple[list[int], Click, list[dict]] | None = None


def runnable_pages(site_dir: Path) -> list[str]:
    """Pages whose built HTML describes blocks to run (a div.run-blocks)."""
    return [p for p in bc.page_paths_from_site(site_dir)
            if '<div class="run-blocks"' in page_html(site_dir, p)]


def described_blocks(site_dir: Path, path: str) -> list[dict]:
    """The page's python blocks as run.js reads them: {session, run, why} each, in page order."""
    match = re.search(r'<div class="run-blocks" hidden data-blocks="([^"]*)"', page_html(site_dir, path))
    return json.loads(html.unescape(match[1])) if match else []


def longest_session(blocks: list[dict]) -> list[int]:
    """Indices of the runnable blocks of the session with the most of them ([] if none has 2)."""
    sessions: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if block["session"] and block["run"]:
            sessions.setdefault(block["session"], []).append(i)
    members = max(sessions.values(), key=len, default=[])
    return members if len(members) >= 2 else []


def page_html(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def build_outputs(site_dir: Path, path: str) -> list[str | None]:
    """What the build showed under each python block that shows code (or each code cell of a
    notebook page), in page order."""
    if path.startswith("notebooks/"):
        return notebook_outputs(page_html(site_dir, path))
    return [b.output for b in shown_blocks(page_html(site_dir, path))]


# nbconvert's markup: each code cell is a div.jp-CodeCell (inside another one, mkdocs-jupyter's)
# holding its input, then its outputs; printed text is a text/plain output's <pre>, one or more.
CELL = re.compile(r'(?=<div class="jp-Cell )')
CODE_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*"[^>]*>\s*<div class="jp-Cell-inputWrapper"')
TEXT_OUTPUT = re.compile(r'<div class="jp-RenderedText[^"]*" data-mime-type="text/plain"[^>]*>\s*<pre>(.*?)</pre>',
                         re.DOTALL)


def notebook_outputs(page: str) -> list[str | None]:
    """What each code cell of a built notebook page printed (None: nothing), in page order."""
    return [html.unescape(re.sub(r"<[^>]+>", "", "".join(TEXT_OUTPUT.findall(chunk)))) or None
            for chunk in CELL.split(page) if CODE_CELL.match(chunk)]


def wait_for_run(page, bar: int, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the run of the bar-th Run bar has ended (its status says how)."""
    bc.wait_until(page, DONE_JS, bar, timeout_ms)


# The runtime's requests: Pyodide's files and the Run buttons' worker.
RUNTIME_REQUESTS = re.compile(r"/assets/pyodide/|/run-worker\.js$")


def open_local(context, local: "LocalServer", path: str, fail: list[str] | None = None):
    """A new page of context at path, served over HTTP by local (so the browser's cache works).

    fail: names of runtime files (a list the caller may change later); a request for one of them
    fails, as a download that failed. Only the runtime's requests then go through Playwright's
    routing (and this process); the page and its assets come straight from local."""
    if fail is not None:
        context.route(RUNTIME_REQUESTS, lambda route: route.abort("blockedbyclient")
                      if route.request.url.endswith(tuple(fail)) else route.continue_())
    page = context.new_page()
    page.goto(local.url + path, wait_until="load")
    bc.wait_until(page, BARS_JS)
    return page


def click_run(page, bar: int, timeout_ms: int = RUN_TIMEOUT_MS) -> Click:
    """Click the Run button of the bar-th Run bar and wait until its run has ended."""
    run = page.locator("div.run-bar").nth(bar).locator(".run-button", has_text="Run")
    # A block inside a collapsed admonition (a check): open it, as a reader would.
    run.evaluate("b => { for (let d = b.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }")
    start = time.perf_counter()
    run.click()
    wait_for_run(page, bar, timeout_ms)
    seconds = time.perf_counter() - start
    state = page.evaluate(STATE_JS)[bar]
    return Click(state["index"], state["status"], state["output"], state["error"], seconds)


def run_every_page(context, local: "LocalServer", site_dir: Path,
                   paths: list[str]) -> dict[str, PageRun | Exception]:
    """Load the first of paths, click Run on each of its blocks, then go to the next page by
    instant navigation, as a reader following a link, and so on: one tab, and one Python as
    long as only the pages' own code runs (docs/javascripts/run.js). On a page with a session
    of several blocks, Run is first clicked on the session's last block (PageRun.session_first):
    that click runs the session's blocks in order, each output shown under its block, so they
    count as run by it (a Click each, with that click's status) and are not run a second time;
    then Run is clicked on every other block. A page that fails gets its exception; the next one
    starts from a fresh load."""
    results, page, current = {}, None, []
    for path in paths:
        current[:] = [PageRun(path)]
        results[path] = current[0]
        try:
            if page is None:
                page = context.new_page()
                page.on("request", lambda r: current[0].requests.append(r.url))
                page.on("worker", lambda w: is_python(w) and setattr(current[0], "workers",
                                                                   current[0].workers + 1))
                page.goto(local.url + path, wait_until="load")
            else:
                navigate_instantly(page, local.url + path)
            members = longest_session(described_blocks(site_dir, path))
            bc.wait_until(page, BARS_JS)
            bars = page.evaluate(STATE_JS)
            if members:
                last = next(n for n, bar in enumerate(bars) if bar["index"] == members[-1])
                click = click_run(page, last)
                bars = page.evaluate(STATE_JS)
                current[0].session_first = (members, click, bars)
                current[0].clicks.extend(
                    click if bar["index"] == click.index else _ran_in_session(bar, click)
                    for bar in bars if bar["index"] in members)
            current[0].clicks.extend(click_run(page, n) for n, bar in enumerate(bars)
                                     if bar["index"] not in members)
            current[0].clicks.sort(key=lambda c: c.index)
        except Exception as error:  # reported by the caller
            results[path] = error
            if page is not None:
                page.close()
            page = None
    if page is not None:
        page.close()
    return results


def is_python(worker) -> bool:
    """True for the Run buttons' worker (not, say, Material's search worker)."""
    return worker.url.endswith("/run-worker.js")


def navigate_instantly(page, url: str) -> None:
    """Follow a link to url by Material's instant navigation; fail if the page was reloaded."""
    page.evaluate("""(url) => {
      window.sameDocument = true;
      const link = document.createElement("a");
      link.href = url;
      document.querySelector(".md-content").append(link);
      link.click();
    }""", url)
    page.wait_for_url(url)
    bc.wait_until(page, "(url) => document.querySelector('div.run-bar') !== null"
               " && document.querySelector('.md-content a[href=\"' + url + '\"]') === null", url)
    if not page.evaluate("() => window.sameDocument === true"):
        raise AssertionError(f"going to {url} reloaded the page: no instant navigation")


def _ran_in_session(bar: dict, click: Click) -> Click:
    """An earlier block of a session as the click on the session's last block left it (bar: its
    STATE_JS entry): that click's status, unless the block still shows the build's output."""
    status = click.status
    if bar["output"] is not None and not bar["ranHere"]:
        status = f"not run by the click on block {click.index + 1}: the build's output is shown"
    return Click(bar["index"], status, bar["output"], bar["error"], 0.0)


def click_every_bar(page) -> list[Click]:
    """Click Run on every Run bar of the page, in order, each once its run has ended."""
    bc.wait_until(page, BARS_JS)
    return [click_run(page, bar) for bar in range(page.locator("div.run-bar").count())]


def differences_from_build(site_dir: Path, path: str, clicks: list[Click]) -> list[str]:
    """Where each click's run did not end as the build did: its status or its output."""
    want = build_outputs(site_dir, path)
    problems = []
    for click in clicks:
        where = f"{path or 'home'} block {click.index + 1}"
        if click.error or not click.status.startswith("Ran in your browser"):
            problems.append(f"{where}: {click.status}\n{click.output}")
        elif page_output_difference(path, click.output, want[click.index]):
            problems.append(f"{where}: {page_output_difference(path, click.output, want[click.index])}")
    return problems


def edit_and_run(page, bar: int, code: str, timeout_ms: int = RUN_TIMEOUT_MS) -> Click:
    """Open the editor of the bar-th Run bar (unless open), put code in it and Run it."""
    editor = page.locator("div.run-bar").nth(bar).locator("xpath=preceding-sibling::*[1]")
    if not editor.evaluate("e => e.matches('textarea.run-editor')"):
        page.locator("div.run-bar").nth(bar).get_by_role("button", name="Edit").click()
    page.locator("div.run-bar").nth(bar).locator("xpath=preceding-sibling::textarea[1]").fill(code)
    return click_run(page, bar, timeout_ms)


class LocalServer:
    """The built site over HTTP on 127.0.0.1, with a Cache-Control header like a static host's
    (Playwright's request routing would turn the browser's cache off: every page would then
    download the 17 MB runtime again, through the test process, and compile it again). With
    ``csp``, every response carries that Content-Security-Policy header. The sitemap names this
    origin, as the sitemap of a site deployed here would (the build writes site_url's): Material's
    instant navigation follows only the links it lists. Use as a context manager; ``url`` is the
    site's root; ``sent`` counts the bytes of the files sent, ``sent_by_path`` by URL path. While
    ``stall_s`` is above 0, a page's HTML stops that long after its head (a slow network): the
    browser has the head while the body, and so DOMContentLoaded, has to wait."""

    def __init__(self, site_dir: Path, max_age: int = 600, csp: str | None = None):
        import functools
        import http.server
        import threading

        self.sent = 0
        self.sent_by_path: dict[str, int] = {}  # URL path -> bytes sent
        self.stall_s = 0.0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                              ".wasm": "application/wasm", ".js": "text/javascript"}

            def end_headers(self):
                self.send_header("Cache-Control", f"max-age={max_age}")
                if csp:
                    self.send_header("Content-Security-Policy", csp)
                super().end_headers()

            def do_GET(self):
                if self.path.split("?")[0] != "/sitemap.xml":
                    return super().do_GET()
                text = (Path(site_dir) / "sitemap.xml").read_text(encoding="utf-8")
                body = text.replace(bc.read_site_url(), server.url).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def copyfile(self, source, outputfile):
                data = source.read()
                server.sent += len(data)
                path = self.path.split("?")[0]
                server.sent_by_path[path] = server.sent_by_path.get(path, 0) + len(data)
                body = data.find(b"<body") if server.stall_s and path.endswith("/") else -1
                if body != -1:
                    outputfile.write(data[:body])
                    outputfile.flush()
                    time.sleep(server.stall_s)
                    data = data[body:]
                outputfile.write(data)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # A page closed while a file was on its way (a test that stops at the first
                # request of the runtime) is not an error of the server.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(site_dir)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- comparing printed text ----------------------------------------------------------------

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
# Two printed floats agree when they differ by at most one unit in the last printed digit of
# the finer of the two, or relatively by 1e-9, or when both are below 1e-6 in size: round-off
# residues (a gradient check's absolute and relative errors, a value that should be 0) differ
# between NumPy builds and BLAS; the site's own values are of order 1e-3 and above. A number
# printed with fewer digits (0.126 for 0.125979) is another print setting, not round-off.
RTOL = 1e-9
TINY = 1e-6


def _last_digit(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 10.0 ** (int(exponent or 0) - decimals)


def numbers_agree(got: str, want: str) -> bool:
    if got == want:
        return True
    a, b = float(got), float(want)
    if abs(a) < TINY and abs(b) < TINY:
        return True
    unit = min(_last_digit(got), _last_digit(want))
    return math.isclose(a, b, rel_tol=RTOL) or abs(a - b) <= unit * 1.000001


# Printed lines of notebook cells whose numbers say where a long training run from random
# weights ends up, which the last bits of its arithmetic decide: the browser's NumPy (2.0.2 for
# WebAssembly, without OpenBLAS) adds the products of a matrix product in another order than the
# build's. Measured in the build's Python (NumPy 2.4.6): each starting weight times
# (1 + k * 2**-52) moves hidden-width's width 2, seed 4 from "solved at 1200" to 1300 (k = 1) or
# 1100 (k = 16): with γ = 4 its largest error swings 0.996, 0.52, 0.17, 0.82, 0.16, 0.38 at steps
# 1100, 1120, ..., 1200; and 3 hidden units on the disc from 94% to 93% of the points (k = 1,
# each weight towards 0). The browser printed 1100 and 88%. On these lines the words must match,
# the numbers may differ; every other line is compared as above. Page -> lines (a regex).
TRAINING_OUTCOMES = {
    "notebooks/hidden-width/": re.compile(r"\s*\d+\s+\d+/\d+\s+\d+/\d+|\d+ hidden: \d+% of the points"),
}


def page_output_difference(path: str, got: str | None, want: str | None) -> str | None:
    """output_difference for a block or cell of the page at path, with its TRAINING_OUTCOMES."""
    return output_difference(got, want, TRAINING_OUTCOMES.get(path))


def output_difference(got: str | None, want: str | None, free: re.Pattern | None = None) -> str | None:
    """None when got matches want (text exactly, numbers as above), else where they differ.
    On lines of want that ``free`` matches from their start, only the text must match."""
    if got is None or want is None:
        return None if got == want else f"browser printed {got!r}, the build {want!r}"
    got_lines = [line.rstrip() for line in got.rstrip("\n").split("\n")]
    want_lines = [line.rstrip() for line in want.rstrip("\n").split("\n")]
    if len(got_lines) != len(want_lines):
        return f"{len(got_lines)} lines printed, the build printed {len(want_lines)}"
    for n, (g, w) in enumerate(zip(got_lines, want_lines), 1):
        if " ".join(NUMBER.sub("#", g).split()) != " ".join(NUMBER.sub("#", w).split()):
            return f"line {n}: browser {g!r}\n        build   {w!r}"
        if free and free.match(w):
            continue
        for x, y in zip(NUMBER.findall(g), NUMBER.findall(w)):
            if not numbers_agree(x, y):
                return f"line {n}: {x} in the browser, {y} in the build\n  {g}\n  {w}"
    return None
