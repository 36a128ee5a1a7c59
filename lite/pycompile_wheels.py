"""Run inside Pyodide by lite/pycompile.mjs at build time (the header there says why):
byte-compile the startup modules into the site's wheels. A module of its own, so that it is
linted and read as Python, not kept as a string in JavaScript."""

import base64
import hashlib
import importlib
import importlib.util
import os
import sys
import sysconfig
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc


def compile_wheels(wheels: list[str], startup_imports: str) -> str:
    """Byte-compile in the wheels (paths in this Pyodide's file system) every module that
    importing ``startup_imports`` (comma-separated) loads; see lite/pycompile.mjs."""

    site_packages = sysconfig.get_paths()["purelib"].replace("//", "/")
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site_packages)
    importlib.invalidate_caches()
    for name in startup_imports.split(","):
        importlib.import_module(name)
    imported = {
        os.path.relpath(module.__file__.replace("//", "/"), site_packages)
        for module in list(sys.modules.values())
        if getattr(module, "__file__", None)
        and module.__file__.replace("//", "/").startswith(site_packages + "/")
        and module.__file__.endswith(".py")
    }

    def record_row(name: str, data: bytes) -> str:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        return f"{name},sha256={digest},{len(data)}"

    compiled = 0
    for wheel in wheels:
        if os.path.basename(wheel).startswith("xsk_nb-"):
            continue  # the kit's own: source only (see lite/pycompile.mjs)
        out = wheel + ".new"
        # Level 9: every byte counts against the first visit's 30 MB (about 49 kB over all).
        with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED, compresslevel=9
        ) as dst:
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
                pyc = bytes(
                    _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
                )
                # A package's __init__.py and a top-level module keep their source too: that is
                # how pyodide-lock finds a wheel's import names (the lock's "imports").
                folder, file = os.path.split(info.filename)
                if file == "__init__.py" or not folder:
                    dst.writestr(info, data)
                    name = os.path.join(
                        folder, "__pycache__", f"{file[:-3]}.{sys.implementation.cache_tag}.pyc"
                    )
                else:
                    name = info.filename + "c"
                    rows = [row for row in rows if not row.startswith(info.filename + ",")]
                dst.writestr(name, pyc)
                rows.insert(-1, record_row(name, pyc))
                compiled += 1
            dst.writestr(record, "\n".join(rows) + "\\n")
        os.replace(out, wheel)
    return f"{compiled} modules of {len(wheels)} wheels"
