"""security.encrypt / security.decrypt (xsk_nb.xanoscript.cipher) against Xano's tested example:
xano-inc/cli@eb4d11d .claude/skills/functions/security-encrypt/SKILL.md (lines 47-74, "Working"
against Xano per line 128) and security-decrypt/SKILL.md (lines 39-65)."""

from __future__ import annotations

import base64
import os

import pytest

from xsk_nb.xanoscript import XanoScriptError, cipher, run
from xsk_nb.xanoscript.binary import Binary
from xsk_nb.xanoscript.limits import MAX_CIPHER_BYTES

XANO_KEY = "my-secret-key-1234"
XANO_IV = "sm0CycLG9roCbd7u2rogWQ=="
XANO_CIPHERTEXT = "NQaT0kQuqvNv3OKoDUnzKA=="

# Snippet 13 (security-encrypt lines 47-73) with its random iv replaced by the documented one.
ENCRYPT = """\
query "encrypt" verb=GET {
  input {
    text plaintext { description = "Text to encrypt" }
    text key?="my-secret-key-1234" { description = "Encryption key" }
  }
  stack {
    var $iv { value = "sm0CycLG9roCbd7u2rogWQ=="|base64_decode }
    security.encrypt {
      data = $input.plaintext
      algorithm = "aes-256-cbc"
      key = $input.key
      iv = $iv
    } as $encrypted
  }
  response = {
    original: $input.plaintext,
    encrypted: `$encrypted|base64_encode`,
    iv: `$iv|base64_encode`
  }
}
"""

# Snippet 14, verbatim (security-decrypt lines 39-63).
DECRYPT = """\
query "decrypt" verb=GET {
  input {
    text encrypted { description = "Encrypted data (base64)" }
    text key?="my-secret-key-1234" { description = "Decryption key" }
    text iv { description = "IV (base64)" }
  }

  stack {
    // Decode base64 inputs to binary
    var $encrypted_raw { value = `$input.encrypted|base64_decode` }
    var $iv_raw { value = `$input.iv|base64_decode` }

    security.decrypt {
      data = $encrypted_raw
      algorithm = "aes-256-cbc"
      key = $input.key
      iv = $iv_raw
    } as $decrypted
  }

  response = {
    encrypted: $input.encrypted,
    decrypted: $decrypted
  }
}
"""


def test_xanos_tested_encryption_gives_its_documented_ciphertext() -> None:
    """security-encrypt line 74: "Hello World" -> "NQaT0kQuqvNv3OKoDUnzKA==" with that iv."""
    response = run(ENCRYPT, {"plaintext": "Hello World"})
    assert response.raw == {
        "original": "Hello World",
        "encrypted": XANO_CIPHERTEXT,
        "iv": XANO_IV,
    }
    assert repr(response).count(XANO_CIPHERTEXT) == 1  # a ciphertext is shown
    assert XANO_KEY not in repr(response)
    # the 18-byte key is zero-padded to 32, with a note citing both documents
    (note,) = [w for w in response.warnings if "padded with zero bytes" in w]
    assert "line 74" in note and "line 40" in note and "must be 32 bytes" in note


def test_xanos_tested_decryption_gives_hello_world() -> None:
    """security-decrypt line 65: { "encrypted": "NQaT...", "decrypted": "Hello World" }."""
    response = run(DECRYPT, {"encrypted": XANO_CIPHERTEXT, "iv": XANO_IV})
    assert response.raw == {"encrypted": XANO_CIPHERTEXT, "decrypted": "Hello World"}


def test_encrypt_uses_utf8_zero_padded_keys_like_cryptography() -> None:
    padding = pytest.importorskip("cryptography.hazmat.primitives.padding")
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    for algorithm, size in (("aes-128-cbc", 16), ("aes-192-cbc", 24), ("aes-256-cbc", 32)):
        key, iv, data = "k" * size, os.urandom(16), "héllo, wörld " * 5
        cell = (
            f'var $iv {{ value = "{base64.b64encode(iv).decode()}"|base64_decode }}\n'
            f'security.encrypt {{ data = "{data}" algorithm = "{algorithm}" key = "{key}" '
            "iv = $iv } as $c\nresponse = `$c|base64_encode`\n"
        )
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data.encode()) + padder.finalize()
        enc = Cipher(algorithms.AES(key.encode()), modes.CBC(iv)).encryptor()
        want = base64.b64encode(enc.update(padded) + enc.finalize()).decode()
        response = run(cell)
        assert response.raw == want
        assert not any("padded" in w for w in response.warnings)  # an exact key: no note


def test_round_trip_with_env_key_and_iv_as_text() -> None:
    """xano-developer-mcp utilities.md line 116 (corpus 36) with $sensitive_data defined."""
    env = {
        "ENCRYPTION_KEY": "0123456789abcdef0123456789abcdef",
        "ENCRYPTION_IV": "0123456789abcdef",
    }
    cell = """\
var $sensitive_data { value = "4111 1111 1111 1111" }
security.encrypt {
  data = $sensitive_data
  algorithm = "aes-256-cbc"
  key = $env.ENCRYPTION_KEY
  iv = $env.ENCRYPTION_IV
} as $encrypted
security.decrypt {
  data = $encrypted
  algorithm = "aes-256-cbc"
  key = $env.ENCRYPTION_KEY
  iv = $env.ENCRYPTION_IV
} as $decrypted
response = {decrypted: $decrypted, length: `$encrypted|strlen`}
"""
    assert run(cell, env=env).raw == {"decrypted": "4111 1111 1111 1111", "length": 32}


def test_plaintext_that_is_not_text_comes_back_binary() -> None:
    cell = """\
var $iv { value = "00000000000000000000000000000000"|hex2bin }
var $data { value = "ff00ff"|hex2bin }
security.encrypt { data = $data algorithm = "aes-128-cbc" key = "sixteen byte key" iv = $iv } as $c
security.decrypt { data = $c algorithm = "aes-128-cbc" key = "sixteen byte key" iv = $iv } as $p
response = `$p|bin2hex`
"""
    assert run(cell).raw == "ff00ff"


def _encrypt(algorithm: str = "aes-256-cbc", key: str = XANO_KEY, iv: str = "x" * 16) -> str:
    return (
        f'security.encrypt {{ data = "d" algorithm = "{algorithm}" key = "{key}" iv = "{iv}" }} '
        "as $c\n"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            _encrypt("aes-256-gcm"),
            'algorithm must be "aes-128-cbc", "aes-192-cbc" or "aes-256-cbc"',
        ),
        (_encrypt(key="k" * 33), "aes-256-cbc takes a key of 32 bytes; this one is 33"),
        (_encrypt("aes-128-cbc", key="k" * 17), "the key sizes are 16, 24 or 32 bytes"),
        (_encrypt(iv="short"), "iv must be 16 bytes for AES"),
        (_encrypt(key=""), "key is empty"),
    ],
)
def test_refusals_are_one_sentence_naming_what_is_allowed(cell: str, message: str) -> None:
    """Key and iv sizes: security-encrypt lines 36-40; its example pads a short key."""
    with pytest.raises(XanoScriptError, match=message) as caught:
        run(cell)
    assert "k" * 17 not in str(caught.value)


def test_decrypt_with_another_key_fails_in_one_sentence() -> None:
    """security-decrypt lines 112-116: "Decryption failed | Wrong key"."""
    cell = DECRYPT.replace('key?="my-secret-key-1234"', 'key?="another-key-of-mine"')
    with pytest.raises(XanoScriptError, match="does not decrypt with this key and iv") as caught:
        run(cell, {"encrypted": XANO_CIPHERTEXT, "iv": XANO_IV})
    assert "another-key-of-mine" not in str(caught.value)


def test_data_is_bounded() -> None:
    with pytest.raises(ValueError, match="data is limited to 65,536 bytes"):
        cipher.encrypt(
            Binary(bytes(MAX_CIPHER_BYTES + 1)), "aes-256-cbc", "k" * 32, "x" * 16, print
        )


def test_the_key_never_shows_but_a_ciphertext_of_plain_data_does() -> None:
    """The key is masked wherever it appears; a ciphertext does not hold its key or iv (the
    iv "is not secret": security-encrypt line 117), so it is shown."""
    cell = (
        "security.random_bytes { length = 16 } as $iv\n"
        'security.encrypt { data = "hello" algorithm = "aes-256-cbc" key = $env.K iv = $iv }'
        " as $c\nresponse = {c: `$c|base64_encode`, key: $env.K, c_raw: $c}\n"
    )
    key = "a-very-secret-key-of-32-bytes!!!"
    response = run(cell, env={"K": key})
    shown = repr(response) + response._repr_html_() + "\n".join(response.warnings)
    assert key not in shown and key[:8] not in shown
    assert response.raw["c"] in shown
    assert isinstance(response.raw["c_raw"], str)  # the raw binary is shown as hex


def test_encrypting_key_material_gives_a_masked_ciphertext() -> None:
    cell = (
        'security.encrypt { data = $env.K algorithm = "aes-256-cbc" key = "k" iv = "x" }'.replace(
            'iv = "x"', 'iv = "0123456789abcdef"'
        )
        + " as $c\nresponse = `$c|base64_encode`\n"
    )
    response = run(cell, env={"K": "a-secret-that-is-long-enough"})
    assert response.raw not in repr(response)
