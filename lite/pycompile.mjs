// Byte-compile, at build time, the modules the site's kernel imports when it starts
// (lite/build.py runs this with Node.js, which `make lite` needs for npm already).
//
//     node lite/pycompile.mjs PYODIDE_DIR IMPORTS WHEEL...
//
// The wheels from PyPI hold only .py files, so every page load compiled IPython, jedi,
// prompt_toolkit, traitlets, ipywidgets ... from source inside WebAssembly (bench/lite_bench.py
// --profile: about half the kernel's start). Pyodide ships its own packages byte-compiled
// (pyodide-build's py-compile) for that reason; its host tool needs a CPython of Pyodide's exact
// version, so this runs the compile in Pyodide itself: the very interpreter that will read the
// .pyc files. lite/pycompile_wheels.py, run here, loads the wheels, imports IMPORTS
// (comma-separated modules: what the kernel and the panel import at start), and rewrites each
// third-party wheel so that every module that was imported is byte-compiled: its .py is replaced
// by a .pyc (as Pyodide's own packages are: a .pyc is larger than its source once zipped, and
// the first visit has a budget), except that every __init__.py and top-level module keeps its
// source beside an "unchecked-hash" __pycache__ pyc (PEP 552): pyodide-lock reads a wheel's
// import names from them. Modules nothing imports at start stay as they are. The kit's own
// wheel (xsk_nb-*) is left as built, source only: its start-up modules compile in about 0.1 s
// in WebAssembly, their .pyc files would add about 100 kB to the first visit's 30 MB, and a
// traceback into the kit shows its lines.
import fs from "node:fs";
import path from "node:path";

const [pyodideDir, imports, ...wheels] = process.argv.slice(2);
if (!pyodideDir || !imports || wheels.length === 0) {
  console.error("usage: node lite/pycompile.mjs PYODIDE_DIR IMPORTS WHEEL...");
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
py.FS.mkdirTree("/xsk-wheels");
for (const wheel of wheels) {
  py.FS.writeFile(`/xsk-wheels/${path.basename(wheel)}`, fs.readFileSync(wheel));
}
py.runPython(fs.readFileSync(new URL("./pycompile_wheels.py", import.meta.url), "utf8"));
const report = py.globals.get("compile_wheels")(
  py.toPy(wheels.map((w) => `/xsk-wheels/${path.basename(w)}`)),
  imports,
);
for (const wheel of wheels) {
  fs.writeFileSync(wheel, py.FS.readFile(`/xsk-wheels/${path.basename(wheel)}`));
}
console.log(report);
