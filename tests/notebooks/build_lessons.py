"""Build both versions of every lesson from its one source (``make notebooks``).

    .venv/bin/python tests/notebooks/build_lessons.py                 # every lesson + the panel app
    .venv/bin/python tests/notebooks/build_lessons.py 04_signing_and_attacking_tokens.ipynb

The source of a lesson is its solutions version, ``solutions/NAME.ipynb``: exercise answers sit
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines (``<!-- BEGIN SOLUTION -->`` in
Markdown). The student version, ``notebooks/NAME.ipynb``, is the same notebook with those regions
replaced by nbgrader's ``ClearSolutions`` preprocessor; its self-checks then answer "not yet".

The solutions version runs top to bottom in a fresh kernel of this Python (nbclient), in its
folder, as nbval runs it, with IPython's, Jupyter's and matplotlib's per-user folders in a
temporary folder, and is saved with its outputs so strict nbval can compare them. A cell that
reveals a key on purpose (``--reveal``, ``.reveal()``, ``reveal=True``) runs too, but is saved
unrun and without outputs: the published files hold no key material. Widget state is not saved.

The student version is saved **without outputs and unrun**: a lesson asks students to predict
what a cell shows before they run it, so no answer may be on screen before that. It is not run
here; ``tests/test_notebooks.py`` runs it top to bottom once per test run (nothing may raise,
every self-check must answer "not yet").
"""

from __future__ import annotations

import copy
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
#: Notebooks in notebooks/ that are not lessons: re-run in place, no solutions version.
APPS = ("key_panel.ipynb",)
#: The reveal path, as the repository's key scanner recognises it.
REVEAL = re.compile(r"--reveal|\breveal\s*\(|reveal\s*=\s*True")
#: What a student finds in place of a solution.
CODE_STUB = "# Your code here"
TEXT_STUB = "*Your answer here.*"
PER_USER_DIRS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "MPLCONFIGDIR")  # fmt: skip


def without_outputs(nb: Any) -> Any:
    """A copy of ``nb`` with every output, execution count and widget state removed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def student_version(source: Any) -> Any:
    """The student version of a lesson source: solutions replaced by stubs, no outputs."""
    from nbgrader.preprocessors import ClearSolutions

    clear = ClearSolutions(
        code_stub={"python": CODE_STUB},
        text_stub=TEXT_STUB,
        enforce_metadata=False,  # plain notebooks: only `generate_assignment`'s database needs ids
    )
    nb, _ = clear.preprocess(without_outputs(source), {})
    return nb


def isolated_env(scratch: Path) -> dict[str, str]:
    """This process's environment with every per-user folder moved into ``scratch``."""
    env = dict(os.environ)
    for name in PER_USER_DIRS:
        env[name] = str(scratch / name.lower())
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def execute(nb: Any, folder: Path, env: dict[str, str]) -> float:
    """Run ``nb`` in place in a fresh kernel started in ``folder``; return the seconds it took."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
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
    for cell in nb.cells:
        if cell.cell_type == "code" and REVEAL.search(cell.source):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return time.perf_counter() - start


def build(name: str, env: dict[str, str]) -> None:
    """Rewrite ``solutions/name`` and ``notebooks/name`` (or re-run an app in notebooks/)."""
    if name in APPS:
        nb = without_outputs(nbformat.read(NOTEBOOKS / name, as_version=4))
        seconds = execute(nb, NOTEBOOKS, env)
        nbformat.write(nb, NOTEBOOKS / name)
        print(f"notebooks/{name}: {seconds:.1f} s", flush=True)
        return
    source = nbformat.read(SOLUTIONS / name, as_version=4)
    solved = without_outputs(source)
    seconds = execute(solved, SOLUTIONS, env)
    nbformat.write(solved, SOLUTIONS / name)
    print(f"solutions/{name}: {seconds:.1f} s", flush=True)
    nbformat.write(student_version(source), NOTEBOOKS / name)
    print(f"notebooks/{name}: written without outputs (students run each cell)", flush=True)


def main(argv: list[str]) -> int:
    names = [Path(name).name for name in argv] or [
        *sorted(path.name for path in SOLUTIONS.glob("*.ipynb")),
        *APPS,
    ]
    unknown = [n for n in names if n not in APPS and not (SOLUTIONS / n).is_file()]
    if unknown:
        print(
            f"no lesson source solutions/{unknown[0]}; lessons are the files in solutions/",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="xsk-nb-build-") as scratch:
        env = isolated_env(Path(scratch))
        for name in names:
            build(name, env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
