"""Hostile input to the panel's Save: every refusal is one sentence next to Save, nothing written.

The panel's other controls offer fixed choices (size buttons, dropdowns, checkboxes); its two
text fields, the .env path and the variable name, take anything a student types or pastes. Each
case asserts what the student meets: one sentence beginning "Not saved:" beside Save, no
traceback, no key character in the message or in widget state, nothing created or changed in
the folder, bounded time (a FIFO must not block), and a panel that still saves afterwards.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from leakcheck import assert_no_key_material
from test_key_panel import synced_state

from xsk_nb.key_panel import KeyPanel, panel

pytestmark = pytest.mark.usefixtures("hang_guard")


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry below ``folder``: its mode, and its bytes (or link target)."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for entry in sorted(folder.rglob("*")):
        info = entry.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[str(entry)] = (info.st_mode, os.readlink(entry))
        elif stat.S_ISREG(info.st_mode):
            found[str(entry)] = (info.st_mode, entry.read_bytes())
        else:
            found[str(entry)] = (info.st_mode, b"")
    return found


def _file(folder: Path, mode: int) -> str:
    target = folder / "existing.env"
    target.write_text("OTHER='x'\n")
    target.chmod(mode)
    return str(target)


def _link(folder: Path, to: str) -> str:
    (folder / "real.env").write_text("")
    (folder / "real.env").chmod(0o600)
    (folder / "sub").mkdir()
    link = folder / "link.env"
    link.symlink_to(folder / to)
    return str(link)


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.env")
    return str(folder / "pipe.env")


#: (case, make the path in a fresh folder, the env name)
PATHS: list[tuple[str, Callable[[Path], str], str]] = [
    ("a folder", lambda d: str(d), "JWT_SECRET"),
    ("a symlink to a file", lambda d: _link(d, "real.env"), "JWT_SECRET"),
    ("a dangling symlink", lambda d: _link(d, "nowhere.env"), "JWT_SECRET"),
    ("a symlink to a folder", lambda d: _link(d, "sub"), "JWT_SECRET"),
    ("a FIFO", _fifo, "JWT_SECRET"),
    ("a device node", lambda d: os.devnull, "JWT_SECRET"),
    ("a missing folder", lambda d: str(d / "missing" / ".env"), "JWT_SECRET"),
    ("a file others can read", lambda d: _file(d, 0o644), "JWT_SECRET"),
    ("a read-only file", lambda d: _file(d, 0o400), "JWT_SECRET"),
    ("a NUL byte in the path", lambda d: str(d / "a\x00b.env"), "JWT_SECRET"),
    ("an empty path", lambda d: "", "JWT_SECRET"),
    ("a path of 5,000 characters", lambda d: str(d / ("x" * 5000)), "JWT_SECRET"),
    ("an empty name", lambda d: str(d / ".env"), ""),
    ("a name starting with a digit", lambda d: str(d / ".env"), "1SECRET"),
    ("a name with a space", lambda d: str(d / ".env"), "JWT SECRET"),
    ("a name with =", lambda d: str(d / ".env"), "JWT=SECRET"),
    ("a name with a newline", lambda d: str(d / ".env"), "JWT\nSECRET"),
    ("a name with a quote", lambda d: str(d / ".env"), "JWT'SECRET"),
    ("a name of 65 characters", lambda d: str(d / ".env"), "A" * 65),
    ("a non-ASCII name", lambda d: str(d / ".env"), "SCHLÜSSEL"),
    ("a shell command as the name", lambda d: str(d / ".env"), "$(touch PWNED)"),
]


@pytest.fixture
def generated() -> KeyPanel:
    p = panel(512)
    p.generate_button.click()
    return p


@pytest.mark.parametrize(
    ("path", "name"), [(m, n) for _, m, n in PATHS], ids=[c for c, *_ in PATHS]
)
def test_a_refused_save_is_one_sentence_beside_save_and_writes_nothing(
    generated: KeyPanel, tmp_path: Path, path: Callable[[Path], str], name: str
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    p = generated
    p.env_path.value = path(folder)
    p.env_name.value = name
    before = snapshot(folder)
    p.env_save.click()
    message = p.save_message.text
    assert p.save_message.kind == "error", message
    assert message.startswith("Not saved:") and "\n" not in message
    assert "Traceback" not in message and "Errno" not in message
    k = p.report.jwk()["k"]
    assert_no_key_material(message, k, "the refusal")
    assert_no_key_material(synced_state(p), k, "widget state")
    assert snapshot(folder) == before, "a refused save changed the folder"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    # The panel is not left broken: the same key saves to a good place afterwards.
    p.env_path.value = str(folder / "good.env")
    p.env_name.value = "JWT_SECRET"
    p.env_save.click()
    assert p.save_message.kind == "ok" and k in (folder / "good.env").read_text()


def test_a_key_pasted_as_the_name_is_not_repeated(generated: KeyPanel, tmp_path: Path) -> None:
    p = generated
    pasted = panel(512)
    pasted.generate_button.click()
    other_k = pasted.report.jwk()["k"]
    p.env_path.value = str(tmp_path / ".env")
    p.env_name.value = other_k
    p.env_save.click()
    assert p.save_message.kind == "error"
    assert_no_key_material(p.save_message.text, other_k, "the refusal")
    assert not (tmp_path / ".env").exists()
