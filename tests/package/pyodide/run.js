// Runs one Python file under Pyodide in Node: the runtime the site's Run buttons use (Pyodide
// 0.27.7 with its NumPy 2.0.2, as hooks/pyodide_runtime.py keeps them in .cache/), with folders
// of this machine mounted into Pyodide's file system.
//
//   node tests/package/pyodide/run.js CONFIG.json
//
// CONFIG holds {"indexURL": the folder of pyodide.js, "mounts": {"/repo": "/abs/host/folder", ...},
// "cwd": a folder inside Pyodide (made if missing), "script": the Python file's path inside Pyodide,
// "argv": its sys.argv[1:], and optionally "pycache": a folder inside Pyodide for Python's bytecode
// caches (sys.pycache_prefix)}. The exit status is the script's (its SystemExit code; 1 when it
// raises anything else).
"use strict";
const fs = require("fs");
const path = require("path");

async function main(configPath) {
  const config = JSON.parse(fs.readFileSync(configPath, "utf8"));
  const { loadPyodide } = require(path.join(config.indexURL, "pyodide.js"));
  const pyodide = await loadPyodide({ indexURL: config.indexURL + path.sep });
  await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  for (const [inside, host] of Object.entries(config.mounts)) {
    pyodide.FS.mkdirTree(inside);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: host }, inside);
  }
  pyodide.FS.mkdirTree(config.cwd);
  pyodide.FS.chdir(config.cwd);
  pyodide.globals.set("script_argv", pyodide.toPy([config.script, ...config.argv]));
  pyodide.globals.set("pycache", config.pycache || null);
  return pyodide.runPython(`
import runpy, sys
# Bytecode only under the "pycache" folder, if the config names one; nothing else is written
# into the mounted folders.
sys.dont_write_bytecode = pycache is None
sys.pycache_prefix = pycache
sys.argv = list(script_argv)
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
    status = 0
except SystemExit as stop:
    status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
status`);
}

main(process.argv[2]).then(
  (status) => { process.exitCode = status; },
  (error) => { console.error(error.message || error); process.exitCode = 1; },
);
