"""Binary values (xsk_nb.xanoscript.binary): what random_bytes, encrypt and base64_decode of
bytes that are not text give. Xano calls them binary (xano-inc/cli@eb4d11d skill
security-random-bytes/SKILL.md line 26, security-encrypt/SKILL.md line 32) and shows them
through base64_encode (security-encrypt line 70); a response here shows them as hex."""

from __future__ import annotations

import base64
import pickle
import re

import pytest

from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, run
from xsk_nb.xanoscript.binary import SHOWN_AS_HEX, Binary, as_hex, text_or_binary
from xsk_nb.xanoscript.filters import apply_filter

NOT_TEXT = "sm0CycLG9roCbd7u2rogWQ=="  # Xano's tested iv (security-decrypt line 64): not UTF-8


def _ignore(text: str) -> None:
    return None


def test_base64_decode_gives_text_for_utf8_and_binary_otherwise() -> None:
    # xano-developer-mcp syntax/string-filters.md line 123: "aGVsbG8="|base64_decode
    assert apply_filter("base64_decode", "aGVsbG8=", (), _ignore) == "hello"
    raw = apply_filter("base64_decode", NOT_TEXT, (), _ignore)
    assert isinstance(raw, Binary) and raw.data == base64.b64decode(NOT_TEXT)
    assert apply_filter("base64_encode", raw, (), _ignore) == NOT_TEXT
    with pytest.raises(ValueError, match="not standard base64"):
        apply_filter("base64_decode", "***", (), _ignore)


def test_strlen_count_and_hex_filters_use_the_bytes() -> None:
    raw = Binary(bytes(range(16)))
    assert apply_filter("strlen", raw, (), _ignore) == 16
    assert apply_filter("count", raw, (), _ignore) == 16
    # string-filters.md line 128: "hex2bin / bin2hex | Hex conversion"
    assert apply_filter("bin2hex", raw, (), _ignore) == bytes(range(16)).hex()
    assert apply_filter("bin2hex", "Hi", (), _ignore) == "4869"
    assert apply_filter("hex2bin", "4869", (), _ignore) == "Hi"
    assert apply_filter("hex2bin", "ff00", (), _ignore) == Binary(b"\xff\x00")
    assert apply_filter("is_text", raw, (), _ignore) is False
    assert apply_filter("is_empty", Binary(b""), (), _ignore) is True


def test_text_filters_refuse_binary_in_one_sentence() -> None:
    with pytest.raises(TypeError, match="to_upper works on text; got binary"):
        apply_filter("to_upper", Binary(b"\xff"), (), _ignore)
    with pytest.raises(TypeError, match="for binary use base64_encode"):
        apply_filter("to_text", Binary(b"\xff"), (), _ignore)


def test_random_bytes_base64_is_24_characters_of_16_raw_bytes() -> None:
    """Snippet 13 (security-encrypt line 71): `iv: $iv|base64_encode` of 16 random bytes."""
    cell = "security.random_bytes { length = 16 } as $iv\nresponse = `$iv|base64_encode`\n"
    raw = run(cell).raw
    assert len(raw) == 24 and len(base64.b64decode(raw)) == 16


def test_random_bytes_are_still_shown_as_hex_and_masked() -> None:
    """Corpus 15 (security-random-bytes line 33) reads the bytes as 32 hex digits."""
    response = run("security.random_bytes { length = 16 } as $b\nresponse = {bytes: $b}\n")
    assert re.fullmatch("[0-9a-f]{32}", response.raw["bytes"])
    assert response.raw["bytes"] not in repr(response) + response._repr_html_()
    assert response.masked["bytes"].startswith("‹hidden: 32 chars, key ")
    assert any(SHOWN_AS_HEX in warning for warning in response.warnings)


def test_values_derived_from_random_bytes_stay_masked() -> None:
    cell = (
        "security.random_bytes { length = 16 } as $b\n"
        "response = {b64: `$b|base64_encode`, hex: `$b|bin2hex`, n: `$b|strlen`}\n"
    )
    response = run(cell)
    shown = repr(response)
    assert response.raw["b64"] not in shown and response.raw["hex"] not in shown
    assert response.masked["b64"].startswith("‹hidden: 24 chars, base64_encode of key ")
    assert response.masked["n"] == 16  # a length says nothing of the bytes


def test_a_binary_value_shown_by_debug_log_and_json_encode_is_hex() -> None:
    cell = (
        f'var $raw {{ value = "{NOT_TEXT}"|base64_decode }}\n'
        "debug.log { value = $raw }\n"
        "response = {json: `$raw|json_encode`, raw: $raw}\n"
    )
    response = run(cell)
    hexed = base64.b64decode(NOT_TEXT).hex()
    assert response.raw == {"json": f'"{hexed}"', "raw": hexed}
    assert any(f'debug.log: "{hexed}"' in warning for warning in response.warnings)
    assert any(SHOWN_AS_HEX in warning for warning in response.warnings)


def test_operators_treat_binary_sensibly() -> None:
    decode = f'"{NOT_TEXT}"|base64_decode'
    assert run(f"response = `{decode}` == `{decode}`\n").raw is True
    assert run(f'response = `{decode}` == "x"\n').raw is False
    with pytest.raises(XanoScriptError, match="got binary \\(use base64_encode or bin2hex"):
        run(f'response = `{decode}` ~ "x"\n')
    with pytest.raises(XanoScriptError, match="compares two numbers or two texts; got binary"):
        run(f"response = `{decode}` < 1\n")


def test_the_notebook_database_refuses_binary_with_the_way_out() -> None:
    cell = f'db.add "t" {{ data = {{ iv: `"{NOT_TEXT}"|base64_decode` }} }}\n'
    with pytest.raises(XanoScriptError, match=r"\|base64_encode"):
        run(cell, db=NotebookDatabase())


def test_binary_repr_and_pickle_never_show_the_bytes() -> None:
    raw = Binary(b"\x01\x02secret")
    assert repr(raw) == str(raw) == "<binary: 8 bytes>"
    with pytest.raises(TypeError):
        pickle.dumps(raw)


def test_helpers() -> None:
    assert text_or_binary(b"ok") == "ok"
    assert text_or_binary(b"\xff") == Binary(b"\xff")
    shared = [Binary(b"\x01")]
    assert as_hex({"a": shared, "b": shared, "c": 1}, Binary.hex) == {
        "a": ["01"],
        "b": ["01"],
        "c": 1,
    }
