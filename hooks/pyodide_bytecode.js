// Compiles, with the Python of Pyodide itself (so the bytecode is that interpreter's), the modules
// Python imports as the Run button's worker starts: Pyodide's start-up, numpy and this site's
// package loaded, then `imports` imported. Pyodide ships its standard library and numpy as
// sources only, so without this every start compiles them again (most of a start's time).
//
//   node hooks/pyodide_bytecode.js CONFIG.json
//
// CONFIG holds {"indexURL": the folder of pyodide.js and numpy's wheel, "wheel": the package's
// wheel, "imports": module names, "out": a folder}. Written into out: stdlib/<path in the
// standard library's zip>c (e.g. stdlib/json/decoder.pyc, where zipimport looks for it) and
// root/<path from />/__pycache__/<name>.cpython-312.pyc for modules under site-packages, each a
// hash-checked .pyc (PEP 552): Python uses it only while its source is unchanged.
"use strict";
const fs = require("fs");
const path = require("path");

async function main(configPath) {
  const config = JSON.parse(fs.readFileSync(configPath, "utf8"));
  const { loadPyodide } = require(path.join(config.indexURL, "pyodide.js"));
  const pyodide = await loadPyodide({ indexURL: config.indexURL + path.sep });
  await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  const packages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(config.wheel)), "wheel", { extractDir: packages });
  pyodide.FS.mkdirTree("/out");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: config.out }, "/out");
  pyodide.globals.set("imports", pyodide.toPy(config.imports));
  pyodide.runPython(`
import importlib, os, py_compile, site, sys

for name in imports:
    importlib.import_module(name)
stdlib = next(p for p in sys.path if p.endswith(".zip")) + "/"
packages = site.getsitepackages()[0] + "/"
for module in list(sys.modules.values()):
    spec = getattr(module, "__spec__", None)
    origin = spec.origin if spec else None
    if not origin or not origin.endswith(".py"):
        continue
    if origin.startswith(stdlib):
        target = "/out/stdlib/" + origin[len(stdlib):] + "c"
    elif origin.startswith(packages):
        target = "/out/root" + importlib.util.cache_from_source(origin)
    else:
        continue
    source = "/tmp/source.py"
    with open(source, "wb") as file:
        file.write(spec.loader.get_data(origin))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    py_compile.compile(source, cfile=target, dfile=origin, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
`);
}

main(process.argv[2]).then(
  () => {},
  (error) => { console.error(error.message || error); process.exitCode = 1; },
);
