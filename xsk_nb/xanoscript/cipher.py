"""``security.encrypt`` / ``security.decrypt``: AES-CBC with PKCS#7 padding, as Xano's tested
example computes it.

The documents (xano-inc/cli@eb4d11d .claude/skills/functions/security-encrypt/SKILL.md, cited
below as "the encrypt skill", and security-decrypt/SKILL.md, "the decrypt skill"):

* algorithms: ``aes-128-cbc``, ``aes-192-cbc``, ``aes-256-cbc`` with keys of 16, 24 and 32 bytes
  and a 16-byte iv (the encrypt skill, "Supported Algorithms", lines 36-40); no GCM mode is
  documented for these functions, so none runs here;
* the key is text (lines 27, 50); its example, marked "Working" against Xano (line 128), passes
  the 18-character "my-secret-key-1234" to aes-256-cbc and documents the result (line 74):
  iv ``sm0CycLG9roCbd7u2rogWQ==`` and "Hello World" give ``NQaT0kQuqvNv3OKoDUnzKA==``. That is
  the key's UTF-8 bytes padded on the right with zero bytes to 32, PKCS#7 padding, CBC
  (tests/xanoscript/test_cipher.py reproduces it). The same skill's table (line 40) and its
  note "wrong key size causes errors" (line 118) say the aes-256 key must be 32 bytes: the
  skill disagrees with its own tested example. (docs.xano.com's Security function reference
  was not found in this kit's sources for Encrypt, so it is not cited.)
  This kit follows the tested example: a shorter key is padded with zero bytes, with a run
  warning citing both (:data:`PADDED_KEY_NOTE`); a longer key is refused (no Xano document
  shows one, and no example reduces one).
* the result is binary (line 32), here a :class:`~xsk_nb.xanoscript.binary.Binary`;
  decrypt "Returns the decrypted plaintext" (the decrypt skill, line 32): text when it is UTF-8,
  binary otherwise.

Text data, keys and ivs are their UTF-8 bytes; binary ones their bytes.
"""

from __future__ import annotations

from typing import Any

from xsk_nb.contract import one_of
from xsk_nb.xanoscript import aes
from xsk_nb.xanoscript.binary import Binary, text_or_binary
from xsk_nb.xanoscript.limits import MAX_CIPHER_BYTES

#: algorithm -> key size in bytes (the encrypt skill, lines 38-40).
ALGORITHMS: dict[str, int] = {"aes-128-cbc": 16, "aes-192-cbc": 24, "aes-256-cbc": 32}

PADDED_KEY_NOTE = (
    "key is {n} bytes and {algorithm} takes {size}: it is padded with zero bytes to {size}, as "
    "in Xano's tested example (xano-inc/cli skill security-encrypt, line 74: an 18-byte key "
    "with aes-256-cbc), though that skill's table (line 40) says the key must be {size} "
    "bytes; give a key of exactly {size} bytes to be sure"
)


def _bytes(name: str, value: Any) -> bytes:
    if isinstance(value, Binary):
        return value.data
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"{name} must be text or binary")


def _algorithm(name: Any) -> int:
    if name not in ALGORITHMS:
        raise ValueError(
            f"algorithm must be {one_of(ALGORITHMS, quoted=True)} (the algorithms Xano's "
            "security.encrypt documents)"
        )
    return ALGORITHMS[name]


def _key(key: Any, algorithm: str, size: int, warn: Any) -> bytes:
    raw = _bytes("key", key)
    if not raw:
        raise ValueError("key is empty")
    if len(raw) > size:
        raise ValueError(
            f"{algorithm} takes a key of {size} bytes; this one is {len(raw)} (the key sizes "
            f"are {one_of(sorted(set(ALGORITHMS.values())))} bytes, one per algorithm)"
        )
    if len(raw) < size:
        warn(PADDED_KEY_NOTE.format(n=len(raw), algorithm=algorithm, size=size))
    return raw.ljust(size, b"\0")


def _iv(iv: Any) -> bytes:
    raw = _bytes("iv", iv)
    if len(raw) != aes.BLOCK:
        raise ValueError(
            f"iv must be 16 bytes for AES (the encrypt skill, line 28); this one is {len(raw)} "
            "(security.random_bytes { length = 16 } makes one)"
        )
    return raw


def _data(data: Any) -> bytes:
    raw = _bytes("data", data)
    if len(raw) > MAX_CIPHER_BYTES:
        raise ValueError(f"data is limited to {MAX_CIPHER_BYTES:,} bytes here")
    return raw


def encrypt(data: Any, algorithm: Any, key: Any, iv: Any, warn: Any) -> Binary:
    """The ciphertext of ``data`` (the encrypt skill, "Basic Encryption", lines 60-65)."""
    size = _algorithm(algorithm)
    raw_key = _key(key, algorithm, size, warn)
    return Binary(aes.cbc_encrypt(raw_key, _iv(iv), _data(data)))


def decrypt(data: Any, algorithm: Any, key: Any, iv: Any, warn: Any) -> str | Binary:
    """The plaintext of ``data`` (the decrypt skill, "Basic Decryption", lines 51-56)."""
    size = _algorithm(algorithm)
    raw_key = _key(key, algorithm, size, warn)
    try:
        plain = aes.cbc_decrypt(raw_key, _iv(iv), _data(data))
    except aes.DecryptionError:
        raise ValueError(
            "the data does not decrypt with this key and iv: a different key, iv or algorithm, "
            "or data that is not the ciphertext's bytes (base64_decode it first)"
        ) from None
    return text_or_binary(plain)
