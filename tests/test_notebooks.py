"""The teaching notebooks: their shape, their saved outputs, and no key in anything they save.

nbval (``pytest --nbval notebooks``) checks that each notebook still produces its saved outputs.
These tests check what nbval cannot: that the saved files hold no key material, that every
cell nbval should compare has a saved output to compare against, and that executing the
notebooks as other tools do (nbclient, storing widget state) writes no key into the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TEACHING = (
    "01_your_first_secret_key.ipynb",
    "02_key_size_recommendations.ipynb",
    "03_entropy_statistics.ipynb",
    "04_signing_with_your_key.ipynb",
    "05_reading_the_examples_critically.ipynb",
)
PANEL_APP = "key_panel.ipynb"
ALL = (*TEACHING, PANEL_APP)

#: A whole 512-bit key is 86 base64url characters; any such run in an output is suspect.
KEY_RUN = re.compile(r"[A-Za-z0-9_-]{86,}")
#: RFC 7515 Appendix A.1's HMAC key: public, printed in the RFC, used by notebook 4.
PUBLIC_KEYS = frozenset(
    {"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}
)
#: The reveal path: a cell that shows a key on purpose says so in its source.
REVEAL = re.compile(r"--reveal|\breveal\s*\(|reveal\s*=\s*True")
PER_USER_DIRS = (
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "MPLCONFIGDIR",
)


def read(name: str) -> Any:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def code_cells(nb: Any) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


# Failing assertions below compare counts and lengths, never the runs: pytest would print them.


def key_runs(value: Any) -> list[str]:
    """Base64url runs of 86+ characters in ``value`` (text or JSON-able), public keys left out."""
    text = value if isinstance(value, str) else json.dumps(value)
    return [run for run in KEY_RUN.findall(text) if run not in PUBLIC_KEYS]


def output_key_runs(cell: Any) -> list[str]:
    """Key-like runs in a cell's outputs; images are left out (their base64 is not text)."""
    found = []
    for output in cell.get("outputs", []):
        data = {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
        found += key_runs(data) + key_runs(output.get("text", ""))
        found += key_runs(output.get("evalue", "")) + key_runs(output.get("traceback", []))
    return found


def widget_state_key_runs(nb: Any) -> list[str]:
    """Key-like runs in saved widget state; binary buffers (images) are left out."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    return key_runs(
        {mid: {k: v for k, v in model.items() if k != "buffers"} for mid, model in models.items()}
    )


# --- the saved notebooks ---------------------------------------------------------------------


def test_the_notebooks_other_engineers_rely_on_exist() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(ALL)


@pytest.mark.parametrize("name", ALL)
def test_saved_outputs_hold_no_key_material_at_all(name: str) -> None:
    nb = read(name)
    for index, cell in enumerate(code_cells(nb)):
        found = len(output_key_runs(cell))
        assert found == 0, f"{name}: code cell {index} saved a key-like run"
    found = len(widget_state_key_runs(nb))
    assert found == 0, f"{name}: saved widget state holds a key-like run"


@pytest.mark.parametrize("name", ALL)
def test_every_cell_nbval_compares_was_run_and_saved_without_errors(name: str) -> None:
    # nbval compares only cells that have an execution count; an unrun cell would go unchecked.
    for index, cell in enumerate(code_cells(read(name))):
        if REVEAL.search(cell.source):
            assert cell.execution_count is None and not cell.outputs, (
                f"{name}: reveal cell {index} must be saved unrun, without its key-bearing output"
            )
        else:
            assert cell.execution_count is not None, f"{name}: code cell {index} was not run"
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{name}: code cell {index} saved an error"


@pytest.mark.parametrize("name", ALL)
def test_every_nbval_skip_mark_says_why(name: str) -> None:
    for index, cell in enumerate(code_cells(read(name))):
        lines = [line.strip() for line in cell.source.splitlines()]
        for at, line in enumerate(lines):
            if line.lstrip("#").strip() in ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP"):
                reasons = [
                    other
                    for other in lines[max(at - 1, 0) : at + 2]
                    if other.startswith("#") and other != line and len(other) > 10
                ]
                assert reasons, f"{name}: cell {index} has {line} without a comment saying why"
    assert "NBVAL" not in json.dumps(read(name).metadata)


@pytest.mark.parametrize("name", TEACHING)
def test_each_lesson_opens_with_its_goals_and_ends_with_exercises_and_hidden_answers(
    name: str,
) -> None:
    cells = read(name).cells
    assert cells[0].cell_type == "markdown" and "What you will learn" in cells[0].source
    last = cells[-1]
    assert last.cell_type == "markdown" and "Exercises" in last.source
    assert "<details>" in last.source and "<summary>" in last.source


def test_a_cell_that_shows_a_key_uses_the_reveal_path_and_says_the_key_is_a_throwaway() -> None:
    reveal_cells = [
        cell for name in ALL for cell in code_cells(read(name)) if REVEAL.search(cell.source)
    ]
    assert reveal_cells, "notebook 1 shows what revealing does"
    for cell in reveal_cells:
        assert "THROWAWAY" in cell.source and "saved with the notebook" in cell.source


def test_notebook_1_runs_the_magic_and_shows_the_panel() -> None:
    sources = [cell.source for cell in code_cells(read(TEACHING[0]))]
    assert any("%load_ext xsk_nb" in source for source in sources)
    assert any(source.strip() == "%xs_secret_key --bits 512" for source in sources)
    last_lines = [source.strip().splitlines()[-1] for source in sources if source.strip()]
    assert "panel" in last_lines or "xsk_nb.panel()" in last_lines


def test_the_voila_app_is_a_title_a_sentence_and_the_panel() -> None:
    cells = read(PANEL_APP).cells
    assert [cell.cell_type for cell in cells] == ["markdown", "code"]
    assert cells[0].source.startswith("# ")
    assert cells[1].source.strip().splitlines()[-1] == "xsk_nb.panel()"
    assert cells[1].outputs[0].data["text/plain"].startswith("KeyPanel")


# --- executed as other tools do, widget state stored -------------------------------------------

#: Appended to notebook 1 before it runs: a student clicks Generate in the panel (not Reveal).
CLICK_GENERATE = "panel.bits.value = 512\npanel.generate_button.click()\nlen(panel.reports)"


@pytest.fixture
def isolated_kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kernels inherit this environment: keep IPython's and Jupyter's files out of $HOME."""
    for name in PER_USER_DIRS:
        folder = tmp_path / "home" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")


def execute_storing_widget_state(name: str, extra_cell: str | None = None) -> Any:
    from nbclient import NotebookClient

    nb = read(name)
    if extra_cell is not None:
        nb.cells.append(nbformat.v4.new_code_cell(extra_cell))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=True,
    )
    client.execute()
    return nb


@pytest.mark.usefixtures("isolated_kernel_env")
@pytest.mark.parametrize("name", ALL)
def test_executing_with_widget_state_saves_no_key_outside_reveal_cells(
    name: str, tmp_path: Path
) -> None:
    extra = CLICK_GENERATE if name == TEACHING[0] else None
    nb = execute_storing_widget_state(name, extra)
    saved = tmp_path / name
    nbformat.write(nb, saved)  # what a tool would write to disk; scan the file, not the object
    nb = nbformat.read(saved, as_version=4)

    revealed: set[str] = set()
    for index, cell in enumerate(code_cells(nb)):
        runs = output_key_runs(cell)
        if REVEAL.search(cell.source):
            revealed.update(runs)
        else:
            found = len(runs)
            assert found == 0, f"{name}: code cell {index} wrote a key-like run into the file"
    found = len(widget_state_key_runs(nb))
    assert found == 0, f"{name}: widget state holds a key-like run"

    if name == TEACHING[0]:
        # The scan is not vacuous: the widget state was stored (the clicked panel is in it),
        # and the one cell that reveals a throwaway key on purpose does hold a key.
        assert nb.cells[-1].outputs[0].data["text/plain"] == "1"
        state = json.dumps(nb.metadata["widgets"])
        assert "xsk-report-card" in state and "hidden: 86 chars" in state
        lengths = [len(run) for run in revealed]
        assert lengths == [86], "the reveal cell shows its one throwaway 512-bit key"
