"""Run the teaching notebooks top to bottom and save their outputs, so nbval can compare them.

    .venv/bin/python notebooks/save_outputs.py              # every notebook in this folder
    .venv/bin/python notebooks/save_outputs.py 03_entropy_statistics.ipynb

Each notebook runs in a fresh kernel of this Python (nbclient), in this folder, as nbval runs it,
with IPython's, Jupyter's and matplotlib's per-user folders pointed at a temporary folder. A cell
that reveals a key on purpose (``--reveal``, ``.reveal()``, ``reveal=True``) runs too, but is
saved unrun and without outputs: the published files hold no key material, and nbval runs such a
cell without comparing its output. Widget state is not saved. Re-run this after any change to
what the kit displays (the report, the panel) and commit the notebooks it rewrites.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
#: The reveal path, as the repository's key scanner recognises it.
REVEAL = re.compile(r"--reveal|\breveal\s*\(|reveal\s*=\s*True")


def isolated_env(scratch: Path) -> dict[str, str]:
    """This process's environment with every per-user folder moved into ``scratch``."""
    env = dict(os.environ)
    for name in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "MPLCONFIGDIR"):
        env[name] = str(scratch / name.lower())
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def save_outputs(path: Path, env: dict[str, str]) -> float:
    """Execute ``path`` in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        timeout=600,
        record_timing=False,
        store_widget_state=False,
    )
    start = time.perf_counter()
    old_env = dict(os.environ)
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old_env)
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code" and REVEAL.search(cell.source):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    names = argv or sorted(p.name for p in HERE.glob("*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="xsk-nb-save-") as scratch:
        env = isolated_env(Path(scratch))
        for name in names:
            path = HERE / Path(name).name
            print(f"{path.name}: {save_outputs(path, env):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
