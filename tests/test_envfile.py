"""Saving a key into a dotenv file: private, atomic, locked, inert in a shell, and refusals that
leave everything as it was (the .env writer items of issue 14)."""

from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import socket
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from dotenv import dotenv_values

from xsk_nb import private_file
from xsk_nb.envfile import check_env_target, jwk_env_value, save_jwk_to_env
from xsk_nb.keygen import create_secret_key

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry of ``folder``: its mode and contents (or link target), for 'nothing changed'."""
    out: dict[str, tuple[int, bytes | str]] = {}
    for entry in sorted(folder.iterdir()):
        info = entry.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[entry.name] = (info.st_mode, os.readlink(entry))
        elif stat.S_ISREG(info.st_mode):
            out[entry.name] = (info.st_mode, entry.read_bytes())
        else:
            out[entry.name] = (info.st_mode, b"")
    return out


def assert_one_sentence(error: pytest.ExceptionInfo[BaseException]) -> None:
    text = str(error.value)
    assert "\n" not in text and text and "Traceback" not in text


# --- what is written -------------------------------------------------------------------------


def test_new_file_is_private_and_holds_compact_json(tmp_path: Path) -> None:
    jwk = create_secret_key(512, alg="HS256")
    path = save_jwk_to_env(jwk, tmp_path / ".env", "JWT_SECRET")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    value = dotenv_values(path)["JWT_SECRET"]
    assert value == json.dumps(jwk, separators=(",", ":"))
    assert json.loads(value) == jwk
    # A key this kit makes is single-quoted: literal for sh, python-dotenv, Node and Compose.
    assert path.read_text() == f"JWT_SECRET='{value}'\n"


def test_existing_name_is_refused_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    first = create_secret_key(512)
    save_jwk_to_env(first, path, "JWT_SECRET")
    before = snapshot(tmp_path)
    with pytest.raises(ValueError, match=r"already set in .*use force") as error:
        save_jwk_to_env(create_secret_key(512), path, "JWT_SECRET")
    assert "JWT_SECRET" not in str(error.value)  # a name is never echoed in a refusal
    with pytest.raises(ValueError, match="already set"):
        check_env_target(path, "JWT_SECRET")
    assert snapshot(tmp_path) == before  # nothing half-written
    second = create_secret_key(512)
    save_jwk_to_env(second, path, "JWT_SECRET", force=True)
    assert json.loads(dotenv_values(path)["JWT_SECRET"]) == second


def test_other_lines_of_a_private_file_are_kept_and_duplicates_collapse(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("# settings\nDEBUG=1\nexport JWT=old\nURL='x'\nJWT=older")
    os.chmod(path, 0o600)
    jwk = create_secret_key(1024)
    save_jwk_to_env(jwk, path, "JWT", force=True)
    text = path.read_text()
    assert text.startswith("# settings\nDEBUG=1\nJWT=") and "URL='x'\n" in text
    assert text.count("JWT=") == 1
    values = dotenv_values(path)
    assert values["DEBUG"] == "1" and values["URL"] == "x" and json.loads(values["JWT"]) == jwk
    save_jwk_to_env(create_secret_key(512), path, "OTHER")  # appended after a final newline
    assert set(dotenv_values(path)) == {"DEBUG", "JWT", "URL", "OTHER"}


# --- shell safety --------------------------------------------------------------------------

HOSTILE_KIDS = [
    "x';touch PWNED #",
    "$(touch PWNED)",
    "`touch PWNED`",
    '"; touch PWNED; "',
    "${HOME}${PATH:-x}",
    "\\';touch PWNED;'\\",
    "\\",
    "a\\$b\\`c",
    "é ü \u2028 𝄞",
    "'\"'\"'",
    "$",
    "\x01\x1f tab\there",
]


@pytest.mark.parametrize("kid", HOSTILE_KIDS, ids=range(len(HOSTILE_KIDS)))
def test_value_is_inert_in_sh_and_read_back_identically_by_dotenv(tmp_path: Path, kid: str) -> None:
    jwk = create_secret_key(512)
    jwk["kid"] = kid  # a JWK from elsewhere may hold anything; only kty and k are checked
    path = save_jwk_to_env(jwk, tmp_path / ".env", "JWT_SECRET")
    path.write_text(path.read_text() + "AFTER=still-read\n")  # a command could not hide this
    done = subprocess.run(
        ["/bin/sh", "-c", 'set -a; . ./.env; printf "%s" "$JWT_SECRET"; printf "|%s" "$AFTER"'],
        cwd=tmp_path, capture_output=True, text=True, timeout=30,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent"},
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == ""
    assert not (tmp_path / "PWNED").exists()
    from_sh, after = done.stdout.rsplit("|", 1)
    assert after == "still-read"
    from_dotenv = dotenv_values(path)["JWT_SECRET"]
    assert from_sh == from_dotenv
    assert json.loads(from_dotenv) == jwk


def test_env_value_escapes_only_what_it_must() -> None:
    plain = {"kty": "oct", "k": "AAAA"}
    assert jwk_env_value(plain) == """'{"kty":"oct","k":"AAAA"}'"""
    dollar = {"kty": "oct", "k": "AAAA", "kid": "a$b"}
    # $ becomes a JSON escape (python-dotenv expands ${...} even in single quotes)
    assert "$" not in jwk_env_value(dollar) and "\\\\u0024" in jwk_env_value(dollar)


# --- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["", "1ABC", "JWT-SECRET", "A B", "X=Y", "ÄBC", None, 5, "X" * 65, "A\n", "A\x00"]
)
def test_bad_names_are_refused_without_echo(tmp_path: Path, name: object) -> None:
    with pytest.raises(ValueError, match="env name must be a variable name") as error:
        check_env_target(tmp_path / ".env", name)  # type: ignore[arg-type]
    assert_one_sentence(error)
    with pytest.raises(ValueError, match="env name must be a variable name"):
        save_jwk_to_env(create_secret_key(512), tmp_path / ".env", name)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_key_pasted_as_the_name_is_refused_and_not_echoed(tmp_path: Path) -> None:
    k = create_secret_key(512)["k"]
    as_a_name = "A" + k.replace("-", "_")  # a 512-bit k is often a valid identifier as it is
    for name in (k, as_a_name):
        with pytest.raises(ValueError, match="at most 64 characters") as error:
            save_jwk_to_env(create_secret_key(512), tmp_path / ".env", name)
        assert k[:8] not in str(error.value) and k[-8:] not in str(error.value)
    assert list(tmp_path.iterdir()) == []
    save_jwk_to_env(create_secret_key(512), tmp_path / ".env", "X" * 64)  # the longest allowed


@pytest.mark.parametrize(
    "bad",
    [
        "notajwk",
        None,
        {},
        {"kty": "RSA", "k": "AAAA"},
        {"kty": "oct"},
        {"kty": "oct", "k": "not base64url!"},
        {"kty": "oct", "k": "AAAA", "kid": {1, 2}},
        ["kty", "oct"],
    ],
    ids=range(8),
)
def test_what_is_not_an_oct_jwk_is_refused(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ValueError, match="the key to save") as error:
        save_jwk_to_env(bad, tmp_path / ".env", "JWT")  # type: ignore[arg-type]
    assert_one_sentence(error)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_folder_target_and_file_as_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        check_env_target(tmp_path / "nope" / ".env", "X")
    with pytest.raises(ValueError, match="is a folder"):
        check_env_target(tmp_path, "X")
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match=r"does not exist|not a folder"):
        save_jwk_to_env(create_secret_key(512), tmp_path / "file" / ".env", "X")
    with pytest.raises(ValueError, match="must be a path"):
        check_env_target(None, "X")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NUL"):
        check_env_target("a\0b", "X")


@pytest.mark.parametrize("kind", ["to a file", "dangling", "to a folder", "to /dev/null"])
def test_symlinks_are_refused_everywhere(tmp_path: Path, kind: str) -> None:
    real = tmp_path / "real.env"
    real.write_text("A=1\n")
    os.chmod(real, 0o600)
    target = {
        "to a file": real,
        "dangling": tmp_path / "missing",
        "to a folder": tmp_path,
        "to /dev/null": Path("/dev/null"),
    }[kind]
    link = tmp_path / ".env"
    link.symlink_to(target)
    before = snapshot(tmp_path)
    for call in (
        lambda: check_env_target(link, "JWT"),
        lambda: save_jwk_to_env(create_secret_key(512), link, "JWT"),
    ):
        with pytest.raises(ValueError, match="is a symlink") as error:
            call()
        assert_one_sentence(error)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "missing").exists()


def _save_in_thread(jwk: dict[str, str], path: Path) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(save_jwk_to_env(jwk, path, "JWT"))
        except ValueError as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)  # a hang guard, not a speed check: a FIFO opened for reading would block
    return thread, outcome


def test_fifo_is_refused_before_opening(tmp_path: Path) -> None:
    fifo = tmp_path / ".env"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(ValueError, match="FIFO"):
        check_env_target(fifo, "JWT")
    thread, outcome = _save_in_thread(create_secret_key(512), fifo)
    assert not thread.is_alive(), "saving to a FIFO blocked"
    assert isinstance(outcome[0], ValueError) and "FIFO" in str(outcome[0])
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_device_nodes_are_refused_and_left_alone(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="character device"):
        check_env_target("/dev/null", "JWT")  # only checked: nothing is opened
    if not IS_ROOT:
        pytest.skip("making a device node needs root")
    node = tmp_path / "null"
    os.mknod(node, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    with pytest.raises(ValueError, match="character device"):
        save_jwk_to_env(create_secret_key(512), node, "JWT")
    assert stat.S_ISCHR(node.lstat().st_mode)


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(ValueError, match="socket"):
            save_jwk_to_env(create_secret_key(512), path, "JWT")
    finally:
        server.close()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o400])
def test_a_file_that_is_not_private_is_refused_not_tightened(tmp_path: Path, mode: int) -> None:
    path = tmp_path / ".env"
    path.write_text("DEBUG=1\n")
    os.chmod(path, mode)
    before = snapshot(tmp_path)
    with pytest.raises(ValueError, match=r"chmod 600") as error:
        save_jwk_to_env(create_secret_key(512), path, "JWT")
    assert f"{mode:o}" in str(error.value)
    with pytest.raises(ValueError, match=r"chmod 600"):
        check_env_target(path, "JWT")
    assert snapshot(tmp_path) == before


def test_hard_linked_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("")
    os.chmod(path, 0o600)
    os.link(path, tmp_path / "other")
    with pytest.raises(ValueError, match="hard links"):
        save_jwk_to_env(create_secret_key(512), path, "JWT")
    assert path.read_text() == ""


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_file_of_another_user_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("")
    os.chmod(path, 0o600)
    os.chown(path, 65534, 65534)
    with pytest.raises(ValueError, match="another user"):
        save_jwk_to_env(create_secret_key(512), path, "JWT")
    assert path.stat().st_uid == 65534


def test_file_that_is_not_text_or_too_large_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_bytes(b"A=\xff\xfe\n")
    os.chmod(path, 0o600)
    with pytest.raises(ValueError, match="not UTF-8"):
        save_jwk_to_env(create_secret_key(512), path, "JWT")
    path.write_bytes(b"#" * (private_file.MAX_BYTES + 1))
    with pytest.raises(ValueError, match="larger than"):
        save_jwk_to_env(create_secret_key(512), path, "JWT")
    assert path.stat().st_size == private_file.MAX_BYTES + 1


# --- environment errors: one sentence, nothing half-written ------------------------------------


@pytest.mark.parametrize(
    ("where", "code", "reason"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.EIO, "input/output error"),
        ("mkstemp", errno.EACCES, "permission denied"),
        ("replace", errno.EROFS, "read-only"),
    ],
)
def test_environment_errors_leave_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int, reason: str
) -> None:
    path = tmp_path / ".env"
    save_jwk_to_env(create_secret_key(512), path, "OLD")
    before = snapshot(tmp_path)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    owner = private_file.tempfile if where == "mkstemp" else private_file.os
    monkeypatch.setattr(owner, where, fail)
    with pytest.raises(ValueError, match=reason) as error:
        save_jwk_to_env(create_secret_key(512), path, "NEW")
    monkeypatch.undo()
    assert_one_sentence(error)
    assert "nothing was changed" in str(error.value)
    assert snapshot(tmp_path) == before  # the old file, and no temporary file left behind


@pytest.mark.skipif(IS_ROOT, reason="root writes into a read-only folder anyway")
def test_unwritable_folder_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(ValueError, match="permission denied"):
            save_jwk_to_env(create_secret_key(512), folder / ".env", "JWT")
    finally:
        os.chmod(folder, 0o700)


# --- concurrency -------------------------------------------------------------------------------


def _save_one(args: tuple[str, int]) -> str:
    path, index = args
    jwk = create_secret_key(512)
    save_jwk_to_env(jwk, path, f"KEY_{index}")
    return json.dumps(jwk, separators=(",", ":"))


@pytest.mark.parametrize("workers", ["threads", "processes"])
def test_sixteen_concurrent_saves_all_survive(tmp_path: Path, workers: str) -> None:
    path = tmp_path / ".env"
    jobs = [(str(path), i) for i in range(16)]
    if workers == "threads":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(16) as pool:
            saved = list(pool.map(_save_one, jobs))
    else:
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("needs fork")
        with multiprocessing.get_context("fork").Pool(16) as pool:
            saved = pool.map(_save_one, jobs)
    values = dotenv_values(path)
    assert [values.get(f"KEY_{i}") for i in range(16)] == saved
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]  # no temporary file left


def test_python_dotenv_parser_the_writer_relies_on_is_still_there() -> None:
    """envfile keeps other lines through dotenv.parser.parse_stream, which is not public API
    (not in dotenv.__all__): if python-dotenv moves or changes it, this fails first."""
    import dotenv
    from dotenv.parser import parse_stream

    assert "parse_stream" not in getattr(dotenv, "__all__", [])  # why it needs this guard
    text = "# note\nA=1\nexport B='two'\nbroken line\n"
    bindings = list(parse_stream(io.StringIO(text)))
    assert [b.key for b in bindings] == [None, "A", "B", None]
    assert "".join(b.original.string for b in bindings) == text
