"""xsk_nb.private_file: the one set of rules for a file that holds a key.

The .env and key-set suites (test_envfile.py, test_keyset.py) test these rules through their
writers; here each rule is tested on the module itself, with a neutral ``build``.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from xsk_nb import private_file
from xsk_nb.private_file import (
    MAX_BYTES,
    as_path,
    check_private_target,
    os_error_sentence,
    read_private_text,
    update_private_file,
)

WHAT = "test file"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _private(path: Path, text: str = "old\n") -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_a_new_file_is_written_0600_with_what_build_returns(tmp_path: Path) -> None:
    seen: list[str | None] = []
    target = tmp_path / "new.txt"

    def build(old: str | None) -> str:
        seen.append(old)
        return "fresh\n"

    assert update_private_file(target, WHAT, build) == target
    assert seen == [None] and target.read_text() == "fresh\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["new.txt"]  # no temporary file left


def test_build_sees_the_old_text_and_may_refuse_with_nothing_written(tmp_path: Path) -> None:
    target = _private(tmp_path / "k.txt")

    def refuse(old: str | None) -> str:
        assert old == "old\n"
        raise ValueError("refused by build")

    with pytest.raises(ValueError, match="refused by build"):
        update_private_file(target, WHAT, refuse)
    assert target.read_text() == "old\n" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda p: p.symlink_to(p.parent / "elsewhere"), "is a symlink; key files are never"),
        (lambda p: p.mkdir(), "is a folder; give a file's path"),
        (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
        (lambda p: (p.write_text("x"), p.chmod(0o644)), "has mode 644, so other users can read"),
        (lambda p: (p.write_text("x"), p.chmod(0o400)), "is read-only (mode 400)"),
        (
            lambda p: (p.write_text("x"), p.chmod(0o600), os.link(p, p.parent / "twin")),
            "has other hard links",
        ),
    ],
    ids=["symlink", "folder", "fifo", "loose", "read-only", "hard-link"],
)
def test_unsafe_targets_are_refused_and_left_alone(
    make: object, sentence: str, tmp_path: Path
) -> None:
    target = tmp_path / "k.txt"
    make(target)  # type: ignore[operator]
    before = {p.name: p.lstat() for p in tmp_path.iterdir()}
    with pytest.raises(ValueError) as error:
        update_private_file(target, WHAT, lambda old: "new")
    assert sentence in str(error.value) and "\n" not in str(error.value)
    after = {p.name: p.lstat() for p in tmp_path.iterdir()}
    assert {n: (s.st_mode, s.st_mtime_ns) for n, s in after.items()} == {
        n: (s.st_mode, s.st_mtime_ns) for n, s in before.items()
    }  # never chmod-ed, never replaced


def test_a_socket_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(target))
        with pytest.raises(ValueError, match="is a socket, not a regular file"):
            check_private_target(target, WHAT)


def test_reading_accepts_any_mode_but_not_a_special_file(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.write_text("x")
    loose.chmod(0o644)
    assert check_private_target(loose, WHAT, for_writing=False) is not None
    assert read_private_text(loose, WHAT) == "x"
    assert read_private_text(tmp_path / "absent", WHAT) is None
    (tmp_path / "link").symlink_to(loose)
    with pytest.raises(ValueError, match="is a symlink"):
        read_private_text(tmp_path / "link", WHAT)


def test_a_file_larger_than_the_limit_or_not_utf8_is_refused(tmp_path: Path) -> None:
    big = _private(tmp_path / "big", "#" * (MAX_BYTES + 1))
    with pytest.raises(ValueError, match="is larger than 1024 KiB"):
        read_private_text(big, WHAT)
    binary = tmp_path / "bin"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        read_private_text(binary, WHAT)


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        (b".env", "must be a path (a str or os.PathLike)"),
        (3, "must be a path"),
        ("", "must be a non-empty path"),
        ("a\0b", "holds a NUL character"),
    ],
    ids=repr,
)
def test_as_path_refuses_what_is_not_a_path(path: object, sentence: str) -> None:
    with pytest.raises(ValueError) as error:
        as_path(path, WHAT)
    assert str(error.value).startswith(f"{WHAT} {sentence}")


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"test file's folder .* does not exist"):
        update_private_file(tmp_path / "no" / "k.txt", WHAT, lambda old: "x")


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _private(tmp_path / "k.txt")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_file.os, "write", full)
    with pytest.raises(ValueError) as error:
        update_private_file(target, WHAT, lambda old: "new")
    assert str(error.value) == (
        f"cannot write test file {str(target)!r}: the disk is full; nothing was changed"
    )
    monkeypatch.undo()
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["k.txt"]


def test_concurrent_updates_take_turns(tmp_path: Path) -> None:
    target = tmp_path / "count"

    def add_one(old: str | None) -> str:
        return str(int(old or "0") + 1)

    threads = [
        threading.Thread(target=update_private_file, args=(target, WHAT, add_one))
        for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_text() == "16"  # every read-modify-write saw the previous one


@pytest.mark.skipif(IS_ROOT, reason="root may write anywhere")
def test_a_read_only_folder_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ValueError, match="permission denied; nothing was changed"):
            update_private_file(folder / "k.txt", WHAT, lambda old: "x")
    finally:
        folder.chmod(0o700)


def test_os_error_sentences_hold_no_path() -> None:
    error = OSError(errno.ENOSPC, "No space left on device", "/secret/path")
    assert os_error_sentence(error) == "the disk is full"
    assert os_error_sentence(OSError(errno.EBUSY, "busy")) == os.strerror(errno.EBUSY).lower()
    assert os_error_sentence(OSError()) == "an operating system error"
