"""How long each lesson (both versions) takes to run top to bottom in a fresh kernel.

    .venv/bin/python bench/notebooks_bench.py

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


def bench_notebooks() -> float:
    """Print the seconds each notebook takes and the total; return the total."""
    with tempfile.TemporaryDirectory(prefix="xsk-nb-bench-") as scratch:
        saved = {name: os.environ.get(name) for name in (*_PER_USER_DIRS, "JUPYTER_PLATFORM_DIRS")}
        for name in _PER_USER_DIRS:
            os.environ[name] = str(Path(scratch) / name.lower())
        os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
        try:
            print("Lessons, run top to bottom in a fresh kernel")
            total = 0.0
            for folder in FOLDERS:
                for path in sorted(folder.glob("*.ipynb")):
                    seconds = run_notebook(path)
                    total += seconds
                    name = f"{folder.name}/{path.name}"
                    print(f"  {name:<55} {seconds:6.1f} s", flush=True)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    verdict = "within" if total <= BUDGET_SECONDS else "OVER"
    print(f"  {'all notebooks':<55} {total:6.1f} s ({verdict} the {BUDGET_SECONDS:.0f} s budget)")
    return total


def main() -> int:
    bench_notebooks()
    return 0


if __name__ == "__main__":
    sys.exit(main())
