"""Build the browser-only JupyterLite site into ``site/``.

Run by ``make lite`` with the build tools' own interpreter (.lite-cache/venv, from
lite/requirements-build*.txt). Everything downloaded is kept under ``.lite-cache/`` (git-ignored),
so a second build, and CI on the same machine, fetches nothing:

1. Pyodide's core from npm's ``pyodide`` package, at the version jupyterlite-pyodide-kernel
   expects (its ``constants.PYODIDE_VERSION``), unpacked where the kernel looks for a local
   Pyodide (``<lite_dir>/static/pyodide``). The npm package holds no package wheels.
2. The pure-Python wheels of lite/requirements-browser.txt from PyPI, the kernel's own wheels
   (piplite, pyodide-kernel and its stubs), and the kit's wheel built from this checkout.
   The modules the kernel and the panel import at start get byte-compiled .pyc files added
   (lite/pycompile.mjs, run in Pyodide itself), so a page load does not compile them.
3. A pyodide-lock.json for the site made with PyPI's ``pyodide-lock`` (``add_wheels_to_spec``):
   exactly the wheels the site ships, each with the sha256 of the file shipped and its
   dependencies read from its metadata, so Pyodide loads them all at start-up
   (``loadPyodideOptions.packages`` in lite/jupyter-lite.json) and never looks elsewhere.
4. ``jupyter lite build`` with the JupyterLab app and the notebooks as content.
5. ``panel.html``: the key panel as an app page of its own (lite/panel.html): a heading,
   instructions and loading progress at once, then the site's Pyodide started in the page
   itself, with no JupyterLite, running ``xsk_nb.panel_page``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LITE = REPO / "lite"
CACHE = REPO / ".lite-cache"
NPM_CACHE = CACHE / "npm"
WHEEL_CACHE = CACHE / "wheels"
WORK = CACHE / "build"
# The notebooks to publish: notebooks/, or XSK_LITE_NOTEBOOKS (to try another branch's lessons).
NOTEBOOKS = Path(os.environ.get("XSK_LITE_NOTEBOOKS") or REPO / "notebooks")
#: Never published, should they be in that folder: lesson 5 writes this practice notebook, with
#: freshly planted keys, beside itself when a student runs it (xsk_nb.scan.make_practice_notebook;
#: git-ignored too).
NEVER_PUBLISHED = ("practice_leaks.ipynb",)

# Requirements of the kit that have no pure-Python wheel (no registry reachable here has a
# Pyodide build of them). Until the kit makes them optional, the site leaves them out and says
# so; any other missing requirement stops the build.
COMPILED_ONLY = {"numpy", "scipy", "matplotlib", "cryptography", "pillow"}

#: The key panel as an app page (lite/panel.html): it starts the site's Pyodide itself and runs
#: xsk_nb.panel_page, whose module the page imports.
PANEL_MODULE = "xsk_nb.panel_page"
#: The clipboard function both Copy buttons run; its one home is xsk_nb/panel_session.py.
CLIPBOARD_SOURCE = REPO / "xsk_nb" / "panel_session.py"
PANEL_PAGE = "panel.html"

#: What the kernel and the panel import when they start: lite/pycompile.mjs byte-compiles the
#: modules these pull in (IPython, jedi, prompt_toolkit, traitlets, ipywidgets, ...), in Pyodide,
#: so a page load no longer compiles them from source (bench/lite_bench.py --profile).
#: pyodide_kernel itself needs the kernel's web worker; what it imports is IPython's.
STARTUP_IMPORTS = ("IPython", "comm", "micropip", "ipywidgets", "anywidget", "xsk_nb.key_panel",
                   PANEL_MODULE)

# Files of the npm package that a browser never asks for.
NPM_UNUSED = re.compile(r"(\.d\.ts|\.map|\.html|README\.md|package\.json)$")


def log(message: str) -> None:
    print(f"[lite] {message}", flush=True)


def run(cmd: list[str], **kwargs: object) -> None:
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def pyodide_version() -> str:
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    return str(PYODIDE_VERSION)


def npm_tarball(version: str) -> Path:
    """npm's ``pyodide`` package at ``version``, from the cache or `npm pack`."""
    tarball = NPM_CACHE / f"pyodide-{version}.tgz"
    if not tarball.is_file():
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        if shutil.which("npm") is None:
            sys.exit(
                "make lite needs npm (Node.js's package manager) to fetch Pyodide's core: "
                "install it (e.g. apt-get install npm), then run make lite again"
            )
        log(f"npm pack pyodide@{version}")
        run(["npm", "pack", f"pyodide@{version}", "--silent"], cwd=NPM_CACHE)
    return tarball


def unpack_pyodide(tarball: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if not member.isfile() or "/" in name or NPM_UNUSED.search(name):
                continue
            source = tar.extractfile(member)
            assert source is not None
            (dest / name).write_bytes(source.read())


def browser_wheels() -> list[Path]:
    """The wheels pinned in lite/requirements-browser.txt, downloaded once into the cache."""
    requirements = LITE / "requirements-browser.txt"
    pins = [
        line.split("#")[0].strip()
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    wheels = [_cached_wheel(pin) for pin in pins]
    if all(wheels):
        return [w for w in wheels if w]
    log("downloading the browser's wheels from PyPI")
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.14", "--implementation", "py", "--abi", "none", "--platform", "any",
         "--dest", str(WHEEL_CACHE), "-r", str(requirements)])
    wheels = [_cached_wheel(pin) for pin in pins]
    missing = [pin for pin, wheel in zip(pins, wheels, strict=True) if wheel is None]
    if missing:
        sys.exit(f"no py3-none-any wheel downloaded for: {', '.join(missing)}")
    return [w for w in wheels if w]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _cached_wheel(pin: str) -> Path | None:
    name, _, version = pin.partition("==")
    for wheel in WHEEL_CACHE.glob("*-none-any.whl"):  # pure Python only
        whl_name, whl_version = wheel.name.split("-")[:2]
        if _canonical(whl_name) == _canonical(name) and whl_version == version:
            return wheel
    return None


def kernel_wheels() -> list[Path]:
    """The kernel's own wheels (piplite, pyodide_kernel, the ipykernel and widgetsnbextension
    stubs it installs in the browser), shipped inside jupyterlite-pyodide-kernel."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_KERNEL_NPM_NAME

    ext = Path(sys.prefix) / "share/jupyter/labextensions" / PYODIDE_KERNEL_NPM_NAME
    wheels = sorted((ext / "static/pypi").glob("*.whl"))
    # The 3.6.999 widgetsnbextension stub is for ipywidgets 7; the site ships ipywidgets 8.
    return [w for w in wheels if not w.name.startswith("widgetsnbextension-3.")]


def kit_wheel(dest: Path) -> Path:
    log("building the kit's wheel")
    dest.mkdir(parents=True)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest),
         str(REPO)], stdout=subprocess.DEVNULL)
    (wheel,) = dest.glob("xsk_nb-*.whl")
    return wheel


def precompile(pyodide_dir: Path, wheels: list[Path]) -> None:
    """Add the startup modules' .pyc files to the shipped ``wheels`` (lite/pycompile.mjs)."""
    node = shutil.which("node")
    if node is None:
        sys.exit("make lite needs Node.js (node) to byte-compile the wheels: apt-get install npm")
    log("byte-compiling the startup modules in Pyodide")
    run([node, str(LITE / "pycompile.mjs"), str(pyodide_dir), ",".join(STARTUP_IMPORTS),
         *map(str, wheels)])


def site_lock(npm_lock: Path, version: str, wheels: list[Path], out: Path) -> list[str]:
    """Write the site's pyodide-lock.json: Pyodide's own ``info`` and exactly our wheels.

    Returns the kit's requirements left out because they are compiled-only (see COMPILED_ONLY).
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.spec import InfoSpec
    from pyodide_lock.utils import add_wheels_to_spec

    data = json.loads(npm_lock.read_text(encoding="utf-8"))
    # Pyodide 314's lock has no info.version, which pyodide-lock 0.1.2 (the newest) requires;
    # the npm package's version is that version.
    info = InfoSpec(**{"version": version, **data["info"]})
    pyodide = PyodideLockSpec(info=info, packages=data["packages"])
    drift = []
    for wheel in wheels:
        name, version = wheel.name.split("-")[:2]
        listed = pyodide.packages.get(_canonical(name))
        if listed and listed.version != version:
            drift.append(f"{name} {version} (Pyodide's lock: {listed.version})")
    if drift:
        log("note: versions differ from Pyodide's own lock: " + ", ".join(drift))

    empty = PyodideLockSpec(info=pyodide.info, packages={})
    lock = add_wheels_to_spec(empty, wheels, base_path=out.parent, ignore_missing_dependencies=True)
    left_out: list[str] = []
    for spec in lock.packages.values():
        missing = [dep for dep in spec.depends if dep not in lock.packages]
        if not missing:
            continue
        if spec.name == "xsk-nb" and set(missing) <= COMPILED_ONLY:
            spec.depends = [dep for dep in spec.depends if dep in lock.packages]
            left_out = missing
        else:
            sys.exit(f"{spec.name} needs {', '.join(missing)}, which the site does not ship; "
                     "add a pure-Python wheel to lite/requirements-browser.txt")
    lock.to_json(out, indent=1)
    return left_out


def check_preloaded(config: Path, lock: Path) -> None:
    """Every package jupyter-lite.json preloads is in the lock (Pyodide refuses unknown names)."""
    settings = json.loads(config.read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = settings["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    known = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    unknown = [p for p in kernel["loadPyodideOptions"]["packages"] if _canonical(p) not in known]
    if unknown:
        sys.exit(f"jupyter-lite.json preloads packages the lock lacks: {', '.join(unknown)}")


def notebooks(dest: Path) -> Path:
    """The lessons and the panel notebook, without nbval's helper files.

    Stored with every multi-line field as one string, as a Jupyter server hands them out:
    JupyterLite serves the files as they are, and its JupyterLab shows a list-of-lines output
    with a comma at each line break.
    """
    import nbformat

    dest.mkdir(parents=True)
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        if notebook.name in NEVER_PUBLISHED:
            continue
        node = nbformat.read(notebook, as_version=4)  # joins the lines of every field
        (dest / notebook.name).write_text(json.dumps(node, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return dest


def clipboard_js() -> str:
    """``WRITE_CLIPBOARD_JS`` of xsk_nb/panel_session.py, read from its source (this build's
    interpreter does not import the kit)."""
    tree = ast.parse(CLIPBOARD_SOURCE.read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "WRITE_CLIPBOARD_JS"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    sys.exit(f"{CLIPBOARD_SOURCE} holds no WRITE_CLIPBOARD_JS text")


def panel_page(output: Path) -> Path:
    """``panel.html``: the app page (lite/panel.html) with the clipboard function written in.

    The page shows its heading, instructions and loading progress at once, starts the site's
    Pyodide, loads the kit from the site's lock and shows the panel alone.
    """
    page = output / PANEL_PAGE
    template = (LITE / PANEL_PAGE).read_text(encoding="utf-8")
    if template.count("@@WRITE_CLIPBOARD@@") != 2:  # named once in a comment, used once
        sys.exit(f"lite/{PANEL_PAGE} must hold @@WRITE_CLIPBOARD@@ twice")
    script = template.rindex("@@WRITE_CLIPBOARD@@")
    page.write_text(template[:script] + clipboard_js()
                    + template[script + len("@@WRITE_CLIPBOARD@@"):], encoding="utf-8")
    return page


#: The images of JupyterLite's lab/favicon.ico the site keeps: a browser tab shows 16 or 32 px.
FAVICON_SIZES = (16, 32, 48)


def small_favicon(output: Path) -> None:
    """Keep only the :data:`FAVICON_SIZES` images of ``lab/favicon.ico``.

    JupyterLite's holds ten images up to 256 px (319 kB), and every first visit fetches it,
    against a budget of 30 MB. Only the ICO's 6-byte header and its 16-byte directory entries
    change (the images are kept byte for byte), so this is done here by hand: an image library
    would decode and re-encode the pixels.
    """
    icon = output / "lab" / "favicon.ico"
    data = icon.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    if (reserved, kind) != (0, 1):
        sys.exit(f"{icon} is not an ICO file")
    entries = [struct.unpack_from("<BBBBHHII", data, 6 + 16 * n) for n in range(count)]
    kept = [e for e in entries if (e[0] or 256) in FAVICON_SIZES]  # width 0 means 256
    if not kept:
        sys.exit(f"{icon} holds none of the sizes {FAVICON_SIZES}")
    header = struct.pack("<HHH", 0, 1, len(kept))
    offset = len(header) + 16 * len(kept)
    directory, images = b"", b""
    for width, height, colours, zero, planes, bits, size, start in kept:
        directory += struct.pack("<BBBBHHII", width, height, colours, zero, planes, bits, size,
                                 offset + len(images))
        images += data[start:start + size]
    icon.write_bytes(header + directory + images)


def build(output: Path) -> None:
    started = time.monotonic()
    version = pyodide_version()
    if WORK.exists():
        shutil.rmtree(WORK)
    lite_dir = WORK / "lite_dir"
    pyodide_dir = lite_dir / "static" / "pyodide"
    unpack_pyodide(npm_tarball(version), pyodide_dir)
    for name in ("jupyter-lite.json", "overrides.json"):
        shutil.copy2(LITE / name, lite_dir / name)

    wheels = [*browser_wheels(), *kernel_wheels(), kit_wheel(WORK / "kit")]
    for wheel in wheels:
        shutil.copy2(wheel, pyodide_dir / wheel.name)
    precompile(pyodide_dir, [pyodide_dir / w.name for w in wheels])
    lock = pyodide_dir / "pyodide-lock.json"
    left_out = site_lock(lock, version, [pyodide_dir / w.name for w in wheels], lock)
    check_preloaded(lite_dir / "jupyter-lite.json", lock)
    if left_out:
        log(f"WARNING: the kit requires {', '.join(left_out)}, which have no Pyodide build "
            "here; the site leaves them out, so what needs them fails in the browser")

    content = notebooks(WORK / "content")
    if output.exists():
        shutil.rmtree(output)
    log(f"jupyter lite build (Pyodide {version}) -> {output}")
    run([str(Path(sys.executable).parent / "jupyter"), "lite", "build",
         "--lite-dir", str(lite_dir), "--contents", str(content), "--output-dir", str(output),
         "--apps", "lab", "--no-sourcemaps", "--no-unused-shared-packages"],
        cwd=WORK)
    panel_page(output)
    small_favicon(output)
    log(f"built {output} in {time.monotonic() - started:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "site",
                        help="where the site goes (default: site/)")
    args = parser.parse_args(argv)
    build(args.output.resolve())

if __name__ == "__main__":
    main()
