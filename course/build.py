"""Build the course website into ``course/_build/html`` (``make site``).

Run with the course tools' interpreter (.course-cache/venv, from course/requirements-site.txt):

1. ``sphinx-build`` renders the home page, each lesson (student version, no outputs), the
   teaching guide, the glossary and the statistics notes (course/conf.py says how).
2. The site's own JupyterLite goes into ``lite/`` of the output: ``jupyter lite build`` from the
   browser-only site's tools (.lite-cache/venv) on the lite dir ``make lite`` prepared
   (.lite-cache/build/lite_dir: the local Pyodide, the wheels, the kit's own wheel), with the
   lessons under ``notebooks/`` so each lesson page's "Launch in the browser" link
   (``lite/lab/index.html?path=notebooks/NAME.ipynb``) finds its notebook; plus the key panel's
   app page, ``lite/panel.html``, as ``make lite`` writes it.

JupyterLite is built beside the pages rather than through jupyterlite-sphinx: that extension
always builds all six JupyterLite apps and adds a Google Fonts stylesheet to every page; the
site needs two apps and no foreign request. Nothing is downloaded here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LITE_CACHE = REPO / ".lite-cache"
LITE_DIR = LITE_CACHE / "build" / "lite_dir"
LITE_JUPYTER = LITE_CACHE / "venv" / "bin" / "jupyter"
OUTPUT = HERE / "_build" / "html"
SOURCE = HERE / "_build" / "source"
WORK = HERE / "_build" / "lite_work"
#: What Sphinx reads, copied from the repository (course/conf.py says which pages it makes).
STAGED = {"notebooks": REPO / "notebooks", "docs": REPO / "docs"}

sys.path.insert(0, str(REPO / "lite"))
import build as lite_build  # noqa: E402  (lite/build.py: the lessons as Lite serves them, panel.html)


def log(message: str) -> None:
    print(f"[site] {message}", flush=True)


def missing_lite() -> str:
    """Why the JupyterLite part cannot be built, or "" when it can."""
    if not (LITE_DIR / "jupyter-lite.json").is_file():
        return f"no prepared lite dir in {LITE_DIR.relative_to(REPO)}: run `make lite` first"
    if not LITE_JUPYTER.is_file():
        return f"no {LITE_JUPYTER.relative_to(REPO)}: run `make lite` first"
    return ""


def stage() -> None:
    """course/'s pages and copies of notebooks/ and docs/ in SOURCE; unchanged files keep their
    times, so Sphinx rebuilds only what changed."""
    wanted: dict[Path, Path] = {}
    for page in [*HERE.glob("*.md"), *HERE.glob("*.ipynb")]:
        wanted[SOURCE / page.name] = page
    for name, folder in STAGED.items():
        for path in folder.iterdir():
            if path.is_file() and path.suffix in (".md", ".ipynb"):
                wanted[SOURCE / name / path.name] = path
    if SOURCE.exists():
        for old in SOURCE.rglob("*"):
            if old.is_file() and old not in wanted and "_generated" not in old.parts:
                old.unlink()
    for target, origin in wanted.items():
        if not target.is_file() or target.read_bytes() != origin.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)


def sphinx(output: Path) -> None:
    log(f"sphinx-build -> {output}")
    stage()
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
                    "-c", str(HERE), str(SOURCE), str(output)],
                   check=True, env={**os.environ, "XSK_SITE_SOURCE": str(SOURCE)})


def lite(output: Path) -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    # A folder named notebooks/ inside the contents keeps its name in JupyterLite.
    lite_build.notebooks(WORK / "contents" / "notebooks")
    log(f"jupyter lite build -> {output}")
    # doit keeps task state in the working directory; a fresh one each time (WORK was wiped)
    # so no task is skipped and the lite dir's settings (the local Pyodide) always apply.
    subprocess.run([str(LITE_JUPYTER), "lite", "build", "--lite-dir", str(LITE_DIR),
                    "--contents", str(WORK / "contents"), "--output-dir", str(output),
                    "--apps", "lab",
                    "--no-sourcemaps", "--no-unused-shared-packages"],
                   check=True, cwd=WORK, stdout=subprocess.DEVNULL)
    lite_build.panel_page(output)
    lite_build.small_favicon(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: course/_build/html")
    args = parser.parse_args(argv)
    reason = missing_lite()
    if reason:
        print(f"site: {reason}", file=sys.stderr)
        return 2
    started = time.monotonic()
    output = args.output.resolve()
    try:
        sphinx(output)
        lite(output / "lite")
    except subprocess.CalledProcessError as error:
        print(f"site: {Path(error.cmd[0]).name} failed (exit {error.returncode}); "
              "its messages are above", file=sys.stderr)
        return 1
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    log(f"built {output} in {time.monotonic() - started:.0f} s, {size / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
