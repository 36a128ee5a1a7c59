"""The seed's generator: ``security.create_secret_key { bits, format = "object" }`` in Python.

Key bytes come from :mod:`secrets` (the operating system's CSPRNG) and nothing else. Every
argument is checked before any randomness is drawn, and no error message ever holds key material.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets

from xsk_nb.contract import (
    ALLOWED_BITS,
    KID_RANDOM,
    KID_THUMBPRINT,
    THUMBPRINT_HASHES,
    describe_rejected,
    one_of,
    validate_alg_name,
    validate_bits,
    validate_format,
    validate_kid,
    validate_use,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold-import cost)
if TYPE_CHECKING:
    from typing import Any

_ALLOWED_BITS_SET = frozenset(ALLOWED_BITS)


def validate_alg(alg: object, bits: int) -> str | None:
    """``alg`` if it is None or an HMAC algorithm whose RFC 7518 minimum ``bits`` meets."""
    alg = validate_alg_name(alg)
    if alg is not None:
        from xsk_nb.strength import require_hmac_minimum  # only when an alg is asked for

        require_hmac_minimum(bits, alg)
    return alg


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2).

    What ``base64.urlsafe_b64encode`` does, minus its two Python-level calls: this runs once
    per key, and the benchmark holds the generator to 1.3x the cost of the bare encoding.
    """
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=").decode("ascii")


_B64URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64url_decode(text: str) -> bytes:
    """Decode base64url without padding strictly: only RFC 4648 §5 characters, no ``=``.

    The error names what is wrong, never the text itself (it may be a key).
    """
    if not isinstance(text, str):
        raise TypeError(f"k must be a base64url str; got {describe_rejected(text)}")
    if not set(text) <= _B64URL_ALPHABET:
        raise ValueError(
            "k must be base64url without padding (A-Z a-z 0-9 - _); it holds other characters"
        )
    if len(text) % 4 == 1:
        raise ValueError(f"k has an impossible base64url length ({len(text)} characters)")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(raw) != text:
        raise ValueError("k is not canonical base64url: its last character has stray bits")
    return raw


def key_bytes(jwk_or_bytes: dict[str, Any] | bytes | bytearray | memoryview) -> bytes:
    """The raw key octets of an oct JWK (or the bytes themselves)."""
    if isinstance(jwk_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(jwk_or_bytes)
    if isinstance(jwk_or_bytes, dict):
        if jwk_or_bytes.get("kty") != "oct":
            raise ValueError('the JWK must have "kty": "oct" (a symmetric key)')
        if "k" not in jwk_or_bytes:
            raise ValueError('the JWK has no "k" member holding the key')
        return b64url_decode(jwk_or_bytes["k"])
    raise TypeError(
        f"expected an oct JWK dict or the key bytes; got {describe_rejected(jwk_or_bytes)}"
    )


def thumbprint(jwk: dict[str, Any], hash_name: str = "sha256") -> str:
    """RFC 7638 thumbprint of an oct JWK: base64url(H('{"k":"...","kty":"oct"}')).

    RFC 7638 §7: a hash of a symmetric key can leak information about it; prefer a random kid.
    Written here because the JOSE libraries need their heavy import for a one-line hash.
    """
    key_bytes(jwk)  # validates kty and k
    if not isinstance(hash_name, str) or hash_name not in THUMBPRINT_HASHES:
        error = ValueError if isinstance(hash_name, str) else TypeError
        raise error(
            f"hash_name must be {one_of(THUMBPRINT_HASHES)}; got {describe_rejected(hash_name)}"
        )
    members = json.dumps({"k": jwk["k"], "kty": "oct"}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.new(hash_name, members.encode("ascii")).digest())


def random_kid() -> str:
    """A fresh 128-bit random key id, unrelated to the key."""
    return secrets.token_urlsafe(16)


def create_secret_key(
    bits: int,
    format: str = "object",
    *,
    alg: str | None = None,
    use: str | None = None,
    kid: str | None = None,
) -> dict[str, str]:
    """Generate a symmetric key as a JWK ``{"kty": "oct", "k": ...}``, like Xano's function.

    ``bits`` is one of 512, 1024, 2048 or 4096 and is the raw key length: ``k`` decodes to
    ``bits // 8`` bytes from :func:`secrets.token_bytes`. ``format`` may only be ``"object"``.
    Optional members: ``alg`` (HS256/HS384/HS512), ``use="sig"``, and ``kid``: ``"random"``
    for a random id, ``"thumbprint"`` for the RFC 7638 thumbprint (which RFC 7638 §7 warns
    leaks information about a symmetric key), or any other string to use as the id.
    """
    # Fast path for the common call (a plain int size, "object", no extra members): the
    # benchmark holds the generator to 1.3x the cost of token_bytes + base64 alone.
    if (
        type(bits) is int
        and bits in _ALLOWED_BITS_SET
        and type(format) is str
        and format == "object"
        and alg is None
        and use is None
        and kid is None
    ):
        return {"kty": "oct", "k": b64url_encode(secrets.token_bytes(bits >> 3))}
    bits = validate_bits(bits)
    validate_format(format)
    alg = validate_alg(alg, bits)
    use = validate_use(use)
    kid = validate_kid(kid)
    jwk = {"kty": "oct", "k": b64url_encode(secrets.token_bytes(bits // 8))}
    if alg is not None:
        jwk["alg"] = alg
    if use is not None:
        jwk["use"] = use
    if kid == KID_RANDOM:
        jwk["kid"] = random_kid()
    elif kid == KID_THUMBPRINT:
        jwk["kid"] = thumbprint(jwk)
    elif kid is not None:
        jwk["kid"] = kid
    return jwk

