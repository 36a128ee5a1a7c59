"""``xsk-nb inspect``: the masked card of a key the developer has, never the key itself."""

from __future__ import annotations

import io
import json
import secrets
import sys
from pathlib import Path

import pytest
from leakcheck import assert_no_key_material

from xsk_nb import create_secret_key
from xsk_nb.cli import main
from xsk_nb.keygen import b64url_encode
from xsk_nb.masking import MASK_NOTE_INSPECT, MASK_NOTE_TERMINAL


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exit:
        status = int(exit.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def assert_card(out: str, bits: int) -> None:
    assert f": {bits} bits, {bits // 8} bytes" in out
    for alg in ("HS256", "HS384", "HS512"):  # the HMAC fit against each algorithm
        assert f"[{alg} " in out
        assert f"\n  {alg} " in out
    assert MASK_NOTE_INSPECT in out and MASK_NOTE_TERMINAL not in out  # no --reveal here


@pytest.mark.parametrize("bits", [512, 1024, 2048, 4096])
def test_a_jwk_file(
    tmp_path: Path, bits: int, capsys: pytest.CaptureFixture[str]
) -> None:
    jwk = create_secret_key(bits, alg="HS256", kid="v1")
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(jwk))
    status, out, err = run(["inspect", str(path)], capsys)
    assert status == 0, err
    assert_card(out, bits)
    assert '"kid": "v1"' in out
    assert_no_key_material(out + err, jwk["k"])


def test_a_jwks_gives_one_card_per_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = [create_secret_key(512, kid="new"), create_secret_key(1024, kid="old")]
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": keys}))
    status, out, err = run(["inspect", str(path)], capsys)
    assert status == 0, err
    assert "key 1 of 2, kid new" in out and "key 2 of 2, kid old" in out
    assert_card(out, 512)
    assert_card(out, 1024)
    for jwk in keys:
        assert_no_key_material(out + err, jwk["k"])


def test_a_dotenv_file_with_a_jwk_and_a_raw_k(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jwk, raw = create_secret_key(2048), create_secret_key(512)
    path = tmp_path / ".env"
    path.write_text(
        f"DEBUG=1\nJWT_SECRET='{json.dumps(jwk, separators=(',', ':'))}'\nRAW_K={raw['k']}\n"
    )
    status, out, err = run(["inspect", str(path)], capsys)
    assert status == 0, err
    # each card under its name, opening with what to conclude (the card's first line)
    assert out.startswith("JWT_SECRET\nUsable for HS256") and "\n\nRAW_K\nUsable for HS256" in out
    assert_card(out, 2048)
    assert_card(out, 512)
    assert_no_key_material(out + err, jwk["k"])
    assert_no_key_material(out + err, raw["k"])


def test_raw_k_piped_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    jwk = create_secret_key(1024)
    stdin_of(monkeypatch, (jwk["k"] + "\n").encode())
    status, out, err = run(["inspect", "-"], capsys)
    assert status == 0, err
    assert_card(out, 1024)
    assert_no_key_material(out + err, jwk["k"])


def test_from_a_terminal_the_key_is_read_without_echo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    jwk = create_secret_key(512)
    stdin_of(monkeypatch, b"")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return json.dumps(jwk)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    status, out, err = run(["inspect"], capsys)
    assert status == 0, err
    assert len(prompts) == 1 and "not shown" in prompts[0]
    assert_card(out, 512)
    assert_no_key_material(out + err, jwk["k"])


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "found no key in"),
    (b"hello world, not a key", "found no key in"),
    (b'{"kty": "RSA", "n": "AQAB"}', "found no key in"),
    (b'{"keys": [{"kty": "EC"}]}', "found no key in"),
    (b"{not json", "found no key in"),
    (b"\xff\xfe\x00binary", "is not UTF-8 text"),
])  # fmt: skip
def test_unreadable_input_is_one_sentence_and_exit_2(
    tmp_path: Path, content: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input"
    path.write_bytes(content)
    status, out, err = run(["inspect", str(path)], capsys)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    if content:
        assert content.decode("utf-8", "replace")[3:12] not in err  # nothing read is repeated


@pytest.mark.parametrize(("name", "expected"), [
    ("missing", "does not exist"),
    ("folder", "not a regular file"),
])  # fmt: skip
def test_a_file_that_cannot_be_read(
    tmp_path: Path, name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "folder").mkdir()
    status, _, err = run(["inspect", str(tmp_path / name)], capsys)
    assert status == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_a_256_bit_key_gets_a_card(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    k = b64url_encode(secrets.token_bytes(32))
    stdin_of(monkeypatch, k.encode())
    status, out, err = run(["inspect"], capsys)
    assert status == 0, err
    assert_card(out, 256)
    assert_no_key_material(out + err, k)
