"""``%xs_scan`` (the browser-only site's scanner: no server there runs the save guard) and
the practice notebook the class scans and fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.error import UsageError

import xsk_nb
from tests.leakcheck import key_pieces_in
from xsk_nb.scan import practice


@pytest.fixture(scope="module")
def ip():  # type: ignore[no-untyped-def]
    # The suite's one shell (tests/shell.py): IPython's globalipapp would make a terminal shell
    # the process's instance, whose display shows no HTML to the magic tests that follow.
    from shell import loaded_shell

    return loaded_shell()


def test_xs_scan_finds_a_dotenv_left_in_the_drive(ip, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # the JupyterLite drive: no git, dotfiles included
    k = xsk_nb.create_secret_key(512)["k"]
    (tmp_path / ".env").write_text(f"JWT_SECRET={json.dumps({'kty': 'oct', 'k': k})}\n")
    ip.run_line_magic("xs_scan", "")
    out = capsys.readouterr().out
    assert ".env: line 1: a JWK with secret material" in out and "1 leak(s)" in out
    assert not key_pieces_in(out, k)
    ip.run_line_magic("xs_scan", "--json .")
    assert json.loads(capsys.readouterr().out)["summary"]["leaks"] == 1


def test_xs_scan_refuses_a_missing_path_in_one_sentence(ip) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=r"^no such file or folder: nowhere; give a file"):
        ip.run_line_magic("xs_scan", "nowhere")


def test_the_practice_notebook_has_its_leaks_and_its_reveal(tmp_path: Path) -> None:
    path = xsk_nb.scan.make_practice_notebook(tmp_path / "practice_leaks.ipynb")
    result = xsk_nb.scan(path)
    found = [f"{f.where}" for f in result.leaks]
    assert found == [where.split(": ")[0] for where in practice.PLANTED]
    assert [f.where for f in result.revealed] == [practice.REVEALED.split(": ")[0]]
    import nbformat

    nbformat.validate(nbformat.read(path, as_version=4))


def test_the_practice_notebook_replaces_only_a_practice_notebook(tmp_path: Path) -> None:
    target = tmp_path / "mine.ipynb"
    target.write_text("my work")
    with pytest.raises(ValueError, match="exists already and is not a practice notebook"):
        xsk_nb.scan.make_practice_notebook(target)
    assert target.read_text() == "my work"
    again = tmp_path / "practice_leaks.ipynb"
    first = xsk_nb.scan.make_practice_notebook(again).read_text()
    assert xsk_nb.scan.make_practice_notebook(again).read_text() != first  # fresh keys
    with pytest.raises(ValueError, match=r"must end in \.ipynb"):
        xsk_nb.scan.make_practice_notebook(tmp_path / "x.txt")
    with pytest.raises(TypeError, match="path must be a file path"):
        xsk_nb.scan.make_practice_notebook(3)  # type: ignore[arg-type]
