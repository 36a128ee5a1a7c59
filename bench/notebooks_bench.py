"""How long each lesson (both versions) takes to run top to bottom in a fresh kernel.

    .venv/bin/python bench/notebooks_bench.py [--smoke]

``--smoke`` (tests/test_bench.py, inside ``make test``) runs a one-cell notebook written for
the purpose through the same machinery, to check the benchmark runs without executing a lesson
once more (``make test`` already runs each lesson under nbval); its figure means nothing.

Each notebook runs as nbval and a student's "Restart and run all" run it: a new kernel of this
Python, in its folder (notebooks/: student versions and the panel app; solutions/), with
IPython's, Jupyter's and matplotlib's per-user folders in a temporary folder. Kernel start-up
is counted, since a student waits for it too. Nothing is written back, nothing is asserted.
The suite's budget is a minute in total; the last line compares against it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "notebooks", ROOT / "solutions")
BUDGET_SECONDS = 60.0
_PER_USER_DIRS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                  "MPLCONFIGDIR")  # fmt: skip


def run_notebook(path: Path) -> float:
    """Seconds to execute ``path`` in a fresh kernel, start-up included."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def _smoke_notebook(folder: Path) -> Path:
    import nbformat

    path = folder / "smoke" / "smoke.ipynb"
    path.parent.mkdir()
    cell = nbformat.v4.new_code_cell("import xsk_nb\nlen(xsk_nb.create_secret_key(512)['k'])")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


def bench_notebooks(smoke: bool = False) -> float:
    """Print the seconds each notebook takes and the total; return the total."""
    from xsk_nb.scan.practice import PRACTICE_NOTEBOOK

    paths = [path for folder in FOLDERS for path in sorted(folder.glob("*.ipynb"))
             if path.name != PRACTICE_NOTEBOOK]  # lesson 5's output, not a lesson
    with tempfile.TemporaryDirectory(prefix="xsk-nb-bench-") as scratch:
        if smoke:
            paths = [_smoke_notebook(Path(scratch))]
            print("smoke run: a one-cell notebook; the figure below means nothing")
        saved = {name: os.environ.get(name) for name in (*_PER_USER_DIRS, "JUPYTER_PLATFORM_DIRS")}
        for name in _PER_USER_DIRS:
            os.environ[name] = str(Path(scratch) / name.lower())
        os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
        try:
            print("Lessons, run top to bottom in a fresh kernel")
            total = 0.0
            for path in paths:
                seconds = run_notebook(path)
                total += seconds
                name = f"{path.parent.name}/{path.name}"
                print(f"  {name:<55} {seconds:6.1f} s", flush=True)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    verdict = "within" if total <= BUDGET_SECONDS else "OVER"
    print(
        f"  {'all notebooks':<55} {total:6.1f} s ({verdict} the target of at most "
        f"{BUDGET_SECONDS:.0f} s)"
    )
    return total


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one notebook, to check it runs")
    bench_notebooks(parser.parse_args(argv).smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
