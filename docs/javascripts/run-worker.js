// The Web Worker behind the Run buttons (run.js): Pyodide, numpy and this site's package, from
// where the build's setting says (hooks/pyodide_runtime.py: this site's assets/pyodide/ folder by
// default, or a CDN, each file checked against its pinned sha256).
//
// Started by run.js with the runtime (where each file is, and its hash) as JSON in the worker's
// name: loading begins as soon as this script runs. A message from the page would reach it only
// once the page's main thread is free to pass it on, which, while the page is being parsed,
// took up to a second.
// Messages in:  {type: "run", id, code, filename, session, fresh}
//               {type: "forget"}  (a new page: drop the namespaces of the sessions)
// Messages out: {type: "stage", stage, ms}, {type: "ready", ms}, {type: "failed", message},
//               {type: "output", id, text}  (what the run printed, stdout and stderr in order, as
//               it is printed), {type: "result", id, error, fatal, ms}
// Every run gets a result, also one that arrives before Python is ready (it waits) or after
// loading failed or Python died (error says why; fatal: Python cannot run anything more).
"use strict";

let failed = null; // why loading failed, once it has
let dead = null; // why Python can run nothing more (a fatal error), once it cannot
const started = performance.now();
const since = () => Math.round(performance.now() - started);
let loadFailed; // resolves when loading fails: loadPyodide itself may then never return
const failure = new Promise((resolve) => {
  loadFailed = resolve;
});

function fail(message) {
  if (failed || python) return; // once loaded, a failed request is the reader's code's business
  failed = message;
  self.postMessage({ type: "failed", message });
  loadFailed();
}

// Files fetched as soon as the worker starts, side by side with Pyodide's own start-up, which
// asks for them later: url -> promise of the Response.
const early = new Map();
const integrity = new Map(); // url -> "sha256-..." of every file with a pinned hash

// A request that fails (blocked, offline, 404, wrong hash) would leave loadPyodide waiting for
// ever; report it at once instead.
const siteFetch = self.fetch.bind(self);
function checkedFetch(url, options) {
  const pinned = integrity.get(url);
  return siteFetch(url, pinned ? { ...options, integrity: pinned } : options).then(
    (response) => {
      if (!response.ok) fail(`could not download ${url.split("/").pop()} (HTTP ${response.status})`);
      return response;
    },
    (error) => {
      fail(`could not download ${url.split("/").pop()} (${error.message})`);
      throw error;
    },
  );
}
self.fetch = (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  const fetched = early.get(url);
  if (fetched) {
    early.delete(url);
    return fetched;
  }
  return checkedFetch(url, options);
};

// Runs one block: the namespace of its session (a fresh one when asked, or when it has none);
// what it prints goes to the page as it is printed, stdout and stderr in the order written; the
// traceback starts at the reader's code and names the package's files as backprop/...
const RUNNER = `
import builtins, gc, io, linecache, os, site, sys, time, traceback, warnings

RUNNER_FILE = "<runner>"

_sessions = {}
_SITE = site.getsitepackages()[0] + "/"


def _forget():
    _sessions.clear()
    gc.collect()


def _short(filename):
    return filename[len(_SITE):] if filename.startswith(_SITE) else filename


class _Output(io.TextIOBase):
    """stdout and stderr of a run, as one stream sent to the page by send(text).

    A write is sent at once unless more than 20 came in the last 50 ms: then they wait, and go
    together once the oldest has waited 50 ms (or at the end of the run). So a few lines are on
    their way before a crash could lose them, and a flood costs a message per 50 ms.
    """

    def __init__(self, send):
        self._send, self._parts, self._oldest, self._window, self._count = send, [], 0.0, 0.0, 0

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        now = time.monotonic()
        if not self._parts:
            self._oldest = now
        self._parts.append(text)
        if now - self._window >= 0.05:
            self._window, self._count = now, 0
        self._count += 1
        if self._count <= 20 or now - self._oldest >= 0.05:
            self.flush()
        return len(text)

    def flush(self):
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._send(text)


def _no_input(prompt=""):
    raise EOFError("input() cannot read anything here: the page has no keyboard input for the"
                   " code. Put the value in the code instead, e.g. answer = '42'.")


builtins.input = _no_input
sys.stdin = io.StringIO("")
_format_warning = warnings.formatwarning


def _formatwarning(message, category, filename, lineno, line=None):
    if line is None:
        line = linecache.getline(filename, lineno)
    return _format_warning(message, category, _short(filename), lineno, line)


warnings.formatwarning = _formatwarning
_exit = os._exit


def _traceback(exc, filename):
    """The traceback from the reader's code on, without this runner's own frames (_no_input's), the
    package's files named backprop/... rather than by their path in site-packages."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    shown = traceback.TracebackException(type(exc), exc, tb)
    for part in (shown, shown.__cause__, shown.__context__):
        if part is not None:
            part.stack[:] = [f for f in part.stack if f.filename != RUNNER_FILE]
    return "".join(shown.format()).replace(f'File "{_SITE}', 'File "')


def _run_block(code, filename, session, fresh, send):
    if session and not fresh and session in _sessions:
        namespace = _sessions[session]
    else:
        namespace = {"__name__": "__main__"}
        if session:
            _sessions[session] = namespace
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    out, error = _Output(send), None
    saved = sys.stdout, sys.stderr

    def exit_now(status):
        out.flush()  # what was printed reaches the page before Python ends
        _exit(status)

    sys.stdout = sys.stderr = out
    os._exit = exit_now
    try:
        exec(compile(code, filename, "exec"), namespace)
    except BaseException as exc:
        error = _traceback(exc, filename)
    finally:
        out.flush()
        sys.stdout, sys.stderr = saved
        os._exit = _exit
    return error
`;

async function load(runtime) {
  // Under a Content-Security-Policy without 'wasm-unsafe-eval' Pyodide hangs; a tiny module
  // compiles or fails at once.
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (error) {
    throw new Error(`this page may not run WebAssembly (${error.message})`);
  }
  for (const [url, hash] of Object.entries(runtime.integrity)) integrity.set(url, hash);
  // A script from another origin is checked first (importScripts cannot check a hash); it is
  // then read from the browser's cache.
  const asm = runtime.index + "pyodide.asm.js";
  if (integrity.has(runtime.script)) await checkedFetch(runtime.script, {}).then((r) => r.arrayBuffer());
  importScripts(runtime.script);
  // Everything else Pyodide will ask for is requested now, in parallel with its start-up.
  for (const url of runtime.prefetch) {
    const response = checkedFetch(url, {});
    response.catch(() => {}); // reported by checkedFetch, thrown where it is awaited
    early.set(url, response);
  }
  if (integrity.has(asm)) await checkedFetch(asm, {}).then((r) => r.arrayBuffer());
  self.postMessage({ type: "stage", stage: "runtime", ms: since() });
  // The standard library with the bytecode of the modules a start imports (compiled by the build:
  // hooks/pyodide_bytecode.js); Pyodide's own zip has sources only.
  const pyodide = await loadPyodide({
    indexURL: runtime.index,
    stdLibURL: runtime.stdlib,
    lockFileURL: runtime.lock,
    stdout: () => {},
    stderr: () => {},
    packages: [],
  });
  self.postMessage({ type: "stage", stage: "python", ms: since() });
  // numpy (named in the lock file) and the package's wheel in one call, side by side.
  const quiet = { messageCallback: () => {}, errorCallback: (m) => fail(m) };
  await pyodide.loadPackage([...runtime.packages, runtime.wheel], quiet);
  self.postMessage({ type: "stage", stage: "numpy", ms: since() });
  // numpy's and the package's bytecode, into the __pycache__ folders beside their sources.
  pyodide.unpackArchive(await (await self.fetch(runtime.bytecode)).arrayBuffer(), "zip", { extractDir: "/" });
  pyodide.unpackArchive(await (await self.fetch(runtime.files)).arrayBuffer(), "zip");
  pyodide.runPython(RUNNER, { filename: "<runner>" });
  // Every block imports them: done now, while the reader may still be moving to Run.
  pyodide.runPython(`import ${runtime.imports.join(", ")}`);
  self.postMessage({ type: "stage", stage: "package", ms: since() });
  return { runBlock: pyodide.globals.get("_run_block"), forget: pyodide.globals.get("_forget") };
}

let python = null; // {runBlock, forget} once loaded

function runOne(message) {
  const t0 = performance.now();
  const answer = { type: "result", id: message.id, error: null, fatal: null };
  if (failed || dead || !python) {
    answer.error = failed ? `Python could not be loaded: ${failed}` : dead || "Python was not started";
    answer.fatal = answer.error;
  } else {
    const send = (text) => self.postMessage({ type: "output", id: message.id, text });
    try {
      answer.error = python.runBlock(message.code, message.filename, message.session, message.fresh, send);
    } catch (error) {
      // Pyodide's fatal errors (the JavaScript stack exhausted, os._exit, a crash in C code):
      // the interpreter cannot be used again.
      dead = `Python stopped (${String(error.message || error).split("\n")[0]})`;
      answer.fatal = dead;
    }
  }
  self.postMessage({ ...answer, ms: Math.round(performance.now() - t0) });
}

const loading = load(JSON.parse(self.name)).then(
  (loaded) => {
    python = loaded;
    if (!failed) self.postMessage({ type: "ready", ms: since() });
  },
  (error) => fail(error.message),
);
let queue = Promise.race([loading, failure]); // runs wait for the load, answered also if it fails

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "forget") {
    queue = queue.then(() => {
      if (python && !failed && !dead) python.forget();
    });
  } else if (message.type === "run") {
    queue = queue.then(() => runOne(message));
  }
};
