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
// .pyc files. It loads the wheels, imports IMPORTS (comma-separated modules: what the kernel and
// the panel import at start), and rewrites each wheel so that every module that was imported is
// byte-compiled: in the third-party wheels its .py is replaced by a .pyc (as Pyodide's own
// packages are: a .pyc is larger than its source once zipped, and the first visit has a budget);
// the kit's own wheel (xsk_nb-*), and every __init__.py and top-level module (pyodide-lock reads
// a wheel's import names from them), keep their source beside an "unchecked-hash" __pycache__ pyc
// (PEP 552), so tracebacks into the kit still show its lines. Modules nothing imports at start
// stay as they are.
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
py.globals.set("WHEELS", py.toPy(wheels.map((w) => `/xsk-wheels/${path.basename(w)}`)));
py.globals.set("IMPORTS", imports);
const report = py.runPython(`
import base64, hashlib, importlib, importlib.util, os, sys, sysconfig, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

site_packages = sysconfig.get_paths()["purelib"].replace("//", "/")
for wheel in WHEELS:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site_packages)
importlib.invalidate_caches()
for name in IMPORTS.split(","):
    importlib.import_module(name)
imported = {
    os.path.relpath(module.__file__.replace("//", "/"), site_packages)
    for module in list(sys.modules.values())
    if getattr(module, "__file__", None)
    and module.__file__.replace("//", "/").startswith(site_packages + "/")
    and module.__file__.endswith(".py")
}

def record_row(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"

compiled = 0
for wheel in WHEELS:
    keep_source = os.path.basename(wheel).startswith("xsk_nb-")
    out = wheel + ".new"
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        record = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        rows = [line for line in src.read(record).decode().splitlines() if line]
        for info in src.infolist():
            data = src.read(info)
            if info.filename == record:
                continue
            if info.filename not in imported:
                dst.writestr(info, data)
                continue
            code = compile(data, info.filename, "exec", dont_inherit=True)
            pyc = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            # A package's __init__.py and a top-level module keep their source too: that is
            # how pyodide-lock finds a wheel's import names (the lock's "imports").
            folder, file = os.path.split(info.filename)
            if keep_source or file == "__init__.py" or not folder:
                dst.writestr(info, data)
                name = os.path.join(folder, "__pycache__", f"{file[:-3]}.{sys.implementation.cache_tag}.pyc")
            else:
                name = info.filename + "c"
                rows = [row for row in rows if not row.startswith(info.filename + ",")]
            dst.writestr(name, pyc)
            rows.insert(-1, record_row(name, pyc))
            compiled += 1
        dst.writestr(record, "\\n".join(rows) + "\\n")
    os.replace(out, wheel)
f"{compiled} modules of {len(WHEELS)} wheels"
`);
for (const wheel of wheels) {
  fs.writeFileSync(wheel, py.FS.readFile(`/xsk-wheels/${path.basename(wheel)}`));
}
console.log(report);
