// The Web Worker behind the Run buttons (run.js): Pyodide, numpy and this site's package, all
// from the site's own assets/pyodide/ folder (hooks/pyodide_runtime.py puts them there).
//
// Messages in:  {type: "init", base}  then  {type: "run", id, code, filename, session, fresh}
//               and {type: "forget"} (a new page: drop the namespaces of the sessions)
// Messages out: {type: "stage", stage, ms}, {type: "ready", ms}, {type: "failed", message},
//               {type: "result", id, stdout, stderr, error, ms}
"use strict";

let failed = false;
const started = performance.now();
const since = () => Math.round(performance.now() - started);

function fail(message) {
  if (failed) return;
  failed = true;
  self.postMessage({ type: "failed", message });
}

// A request that fails (blocked, offline, 404) would leave loadPyodide waiting for ever; report
// it at once instead.
const siteFetch = self.fetch.bind(self);
self.fetch = async (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  let response;
  try {
    response = await siteFetch(resource, options);
  } catch (error) {
    fail(`could not download ${url.split("/").pop()} (${error.message})`);
    throw error;
  }
  if (!response.ok) fail(`could not download ${url.split("/").pop()} (HTTP ${response.status})`);
  return response;
};

// Runs one block: the namespace of its session (a fresh one when asked, or when it has none),
// stdout and stderr captured, and a traceback that starts at the reader's code.
const RUNNER = `
import contextlib, gc, io, json, linecache, traceback

_sessions = {}

def _forget():
    _sessions.clear()
    gc.collect()

def _run_block(code, filename, session, fresh):
    if session and not fresh and session in _sessions:
        namespace = _sessions[session]
    else:
        namespace = {"__name__": "__main__"}
        if session:
            _sessions[session] = namespace
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    stdout, stderr, error = io.StringIO(), io.StringIO(), None
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            exec(compile(code, filename, "exec"), namespace)
        except BaseException as exc:
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_code.co_filename != filename:
                tb = tb.tb_next  # this runner's own frames
            error = "".join(traceback.format_exception(type(exc), exc, tb))
    return json.dumps({"stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "error": error})
`;

async function load(base) {
  // Under a Content-Security-Policy without 'wasm-unsafe-eval' Pyodide hangs; a tiny module
  // compiles or fails at once.
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (error) {
    throw new Error(`this page may not run WebAssembly (${error.message})`);
  }
  const config = await (await fetch(base + "runner.json")).json();
  const files = fetch(base + config.files).then((response) => response.arrayBuffer());
  files.catch(() => {}); // a failure is reported by fetch above, and thrown where it is awaited
  importScripts(base + "pyodide.js");
  self.postMessage({ type: "stage", stage: "runtime", ms: since() });
  const pyodide = await loadPyodide({
    indexURL: base,
    stdout: () => {},
    stderr: () => {},
    packages: [],
  });
  self.postMessage({ type: "stage", stage: "python", ms: since() });
  // numpy and the package's wheel in one call: downloaded and installed side by side.
  const quiet = { messageCallback: () => {}, errorCallback: (m) => fail(m) };
  await pyodide.loadPackage([...config.packages, base + config.wheel], quiet);
  self.postMessage({ type: "stage", stage: "numpy", ms: since() });
  pyodide.unpackArchive(await files, "zip");
  pyodide.runPython(RUNNER);
  self.postMessage({ type: "stage", stage: "package", ms: since() });
  return { runBlock: pyodide.globals.get("_run_block"), forget: pyodide.globals.get("_forget") };
}

let runBlock = null;
let forget = null;
let queue = Promise.resolve();

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "init") {
    queue = load(message.base).then(
      (runner) => {
        ({ runBlock, forget } = runner);
        if (!failed) self.postMessage({ type: "ready", ms: since() });
      },
      (error) => fail(error.message),
    );
  } else if (message.type === "forget") {
    queue = queue.then(() => {
      if (!failed && forget) forget();
    });
  } else if (message.type === "run") {
    queue = queue.then(() => {
      if (failed || !runBlock) return;
      const t0 = performance.now();
      const result = JSON.parse(runBlock(message.code, message.filename, message.session, message.fresh));
      self.postMessage({ type: "result", id: message.id, ms: Math.round(performance.now() - t0), ...result });
    });
  }
};
