"""The save guard's decisions, through jupyter_server's own contents manager."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from tornado.web import HTTPError

import xsk_nb
from tests.leakcheck import key_pieces_in
from xsk_nb.scan import save_guard


def _notebook(*cells: Any) -> dict[str, Any]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    return json.loads(nbformat.writes(notebook))


def _printed(k: str, revealed: bool = False, source: str = "print(key)") -> Any:
    text = repr({"kty": "oct", "k": k})
    # Only display_data/execute_result outputs have metadata (nbformat 4): A2's mark lives there.
    output = nbformat.v4.new_output("display_data", data={"text/plain": text},
                                    metadata={"xsk_nb": {"revealed": True}}) if revealed else (
        nbformat.v4.new_output("stream", name="stdout", text=text))
    return nbformat.v4.new_code_cell(source, outputs=[output])


@pytest.fixture
def manager(tmp_path: Path) -> Any:
    from jupyter_server.services.contents.filemanager import FileContentsManager

    contents = FileContentsManager(root_dir=str(tmp_path))
    contents.register_pre_save_hook(save_guard.pre_save_hook)
    return contents


def test_a_printed_key_is_masked_on_disk_and_the_save_says_so(manager: Any,
                                                              tmp_path: Path) -> None:
    k = xsk_nb.create_secret_key(512)["k"]
    model = {"type": "notebook", "format": "json", "content": _notebook(_printed(k))}
    with pytest.raises(HTTPError) as raised:
        manager.save(model, "student.ipynb")
    message = raised.value.log_message
    assert message.startswith("xsk-nb save guard: the notebook was saved, with 1 secret(s) masked")
    assert "cell 1, output 1 (stdout)" in message and not key_pieces_in(message, k)
    on_disk = (tmp_path / "student.ipynb").read_text(encoding="utf-8")
    assert not key_pieces_in(on_disk, k) and "‹hidden: 86 chars, key " in on_disk
    assert nbformat.reads(on_disk, as_version=4).cells[0].source == "print(key)"


def test_a_key_in_a_cells_source_refuses_the_save_and_keeps_the_old_file(
    manager: Any, tmp_path: Path
) -> None:
    (tmp_path / "student.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    before = (tmp_path / "student.ipynb").read_bytes()
    k = xsk_nb.create_secret_key(512)["k"]
    cell = nbformat.v4.new_code_cell(f'key = {{"kty": "oct", "k": "{k}"}}')
    with pytest.raises(HTTPError) as raised:
        manager.save({"type": "notebook", "format": "json", "content": _notebook(cell)},
                     "student.ipynb")
    message = raised.value.log_message
    assert message.startswith("xsk-nb save guard: not saved (the file on disk is unchanged). "
                              "Cell 1's source holds a secret key")
    assert "# xsk-nb: allow (why)" in message and not key_pieces_in(message, k)
    assert (tmp_path / "student.ipynb").read_bytes() == before


def test_revealed_outputs_allowed_cells_and_examples_are_saved_as_they_are(
    manager: Any, tmp_path: Path
) -> None:
    k, k2 = (xsk_nb.create_secret_key(512)["k"] for _ in range(2))
    rfc = next(iter(xsk_nb.scan.findings.PUBLISHED_EXAMPLE_KEYS))
    content = _notebook(_printed(k, revealed=True),
                        _printed(k2, source="# xsk-nb: allow (a demo key)\nprint(key)"),
                        _printed(rfc))
    model = manager.save({"type": "notebook", "format": "json", "content": content},
                         "teacher.ipynb")
    assert model["name"] == "teacher.ipynb"
    on_disk = (tmp_path / "teacher.ipynb").read_text(encoding="utf-8")
    assert k in on_disk and k2 in on_disk and rfc in on_disk


def test_widget_state_and_metadata_are_masked_too() -> None:
    k = xsk_nb.create_secret_key(512)["k"]
    content = _notebook(nbformat.v4.new_code_cell("panel()"))
    content["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"m": {"state": {"value": k}}}}}
    decided = save_guard.guard(content)
    assert not isinstance(decided, str)
    notebook, places, count = decided
    assert (places, count) == (["saved widget state"], 1)
    assert not key_pieces_in(json.dumps(notebook), k)


def test_files_other_than_notebooks_are_left_alone(manager: Any, tmp_path: Path) -> None:
    k = xsk_nb.create_secret_key(512)["k"]
    manager.save({"type": "file", "format": "text", "content": f"JWT_SECRET={k}\n"}, "keys.txt")
    assert (tmp_path / "keys.txt").read_text() == f"JWT_SECRET={k}\n"


def test_the_config_line_is_the_one_make_lab_and_binder_use() -> None:
    root = Path(__file__).resolve().parents[2]
    assert save_guard.CONFIG_LINE in (root / "jupyter_server_config.py").read_text()
    assert "--config=jupyter_server_config.py" in (root / "Makefile").read_text()
    assert "jupyter_server_config.py" in (root / "binder" / "postBuild").read_text()


def test_what_the_baseline_accepts_is_saved_as_it_is(manager: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """As the lesson tokens this repository's baseline accepts (make lab starts in its root)."""
    from xsk_nb.scan import baseline

    monkeypatch.chdir(tmp_path)
    k = xsk_nb.create_secret_key(512)["k"]
    content = _notebook(_printed(k))
    (tmp_path / "lesson.ipynb").write_text(json.dumps(content), encoding="utf-8")
    accepted = xsk_nb.scan(tmp_path / "lesson.ipynb", baseline=False).leaks
    (tmp_path / baseline.DEFAULT_NAME).write_text(
        baseline.render(accepted, tmp_path / baseline.DEFAULT_NAME), encoding="utf-8")
    manager.save({"type": "notebook", "format": "json", "content": content}, "lesson.ipynb")
    assert k in (tmp_path / "lesson.ipynb").read_text(encoding="utf-8")
