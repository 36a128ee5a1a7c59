"""The seed's generator: ``security.create_secret_key { bits, format = "object" }`` in Python.

Key bytes come from :mod:`secrets` (the operating system's CSPRNG) and nothing else. Every
argument is checked before any randomness is drawn, and no error message ever holds key material.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import operator
import secrets

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold-import cost)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

ALLOWED_BITS: tuple[int, ...] = (512, 1024, 2048, 4096)
_ALLOWED_BITS_SET = frozenset(ALLOWED_BITS)
ALLOWED_FORMATS: tuple[str, ...] = ("object",)
#: hashlib names :func:`thumbprint` accepts (RFC 7638 allows any hash; these are SHA-2's).
THUMBPRINT_HASHES: tuple[str, ...] = ("sha256", "sha384", "sha512")
ALLOWED_USES: tuple[str, ...] = ("sig",)
#: Special ``kid`` values; any other non-empty string is used as the kid itself.
KID_RANDOM = "random"
KID_THUMBPRINT = "thumbprint"
_KID_MAX_LENGTH = 128


def one_of(values: Iterable[object], *, quoted: bool = False) -> str:
    """The allowed ``values`` as a phrase: ``one_of((512, 1024, 2048, 4096))`` is
    "512, 1024, 2048 or 4096"; ``quoted=True`` puts each in double quotes ('"sig"').

    The one way every message and help text of the kit lists what is allowed, so a list of
    allowed values is typed out once (as a tuple such as :data:`ALLOWED_BITS`) and never again.
    """
    items = [f'"{value}"' if quoted else str(value) for value in values]
    if not items:
        raise ValueError("one_of needs at least one allowed value")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _with_article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def describe_rejected(value: object) -> str:
    """A short, safe description of a rejected value, for the end of an error sentence.

    The one helper for this in the kit. Numbers are echoed (an int of 13 digits or more is
    summarised by its size); text is NEVER echoed, because a value typed into the wrong place
    may be a pasted key: a str is described by its length ("a str of 86 characters"), bytes
    and containers by their type and size, anything else by its type.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        if abs(value) < 10**12:
            return str(int(value))
        return f"an int of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float):
        return repr(value)
    name = type(value).__name__
    if isinstance(value, str):
        if not value:
            return "an empty str"
        return f"a str of {len(value)} character{'' if len(value) == 1 else 's'}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        size = len(value)
        noun = "bytes object" if name == "bytes" else name
        return f"{_with_article(noun)} of {size} byte{'' if size == 1 else 's'}"
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        size = len(value)
        return f"{_with_article(name)} of {size} item{'' if size == 1 else 's'}"
    try:
        number = operator.index(value)  # an int-like such as numpy.int64
    except TypeError:
        return _with_article(name)
    return describe_rejected(number) if isinstance(number, int) else _with_article(name)


def positive_int(value: object, name: str, *, such_as: str = "") -> int:
    """``value`` as an int if it is a positive integer; else one sentence naming ``name``.

    ``TypeError`` for a bool or anything that is not an integer, ``ValueError`` below 1.
    ``such_as`` (e.g. "such as 512") is added to the sentence to say what is meant.
    """
    wanted = f"{name} must be a positive int" + (f", {such_as}" if such_as else "")
    if isinstance(value, bool):
        raise TypeError(f"{wanted}; got {describe_rejected(value)}")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{wanted}; got {describe_rejected(value)}") from None
    if number < 1:
        raise ValueError(f"{wanted}; got {describe_rejected(number)}")
    return number


def validate_bits(bits: object) -> int:
    """Return ``bits`` as an int if it is one of :data:`ALLOWED_BITS`; otherwise raise.

    ``TypeError`` for anything that is not an integer (bools, floats, strings, bytes, None);
    ``ValueError`` for an integer that is not an allowed size.
    """
    allowed = one_of(ALLOWED_BITS)
    if isinstance(bits, bool):
        raise TypeError(f"bits must be an int, one of {allowed}; got {describe_rejected(bits)}")
    try:
        value = operator.index(bits)  # int, or an int-like such as numpy.int64
    except TypeError:
        raise TypeError(
            f"bits must be an int, one of {allowed}; got {describe_rejected(bits)}"
        ) from None
    if value not in ALLOWED_BITS:
        raise ValueError(f"bits must be one of {allowed}; got {describe_rejected(value)}")
    return value


def validate_format(format: object) -> str:
    allowed = one_of(ALLOWED_FORMATS, quoted=True)
    if not isinstance(format, str):
        raise TypeError(f"format must be the str {allowed}; got {describe_rejected(format)}")
    if format not in ALLOWED_FORMATS:
        raise ValueError(
            f"format must be {allowed}, the only format; got {describe_rejected(format)}"
        )
    return format


def validate_alg(alg: object, bits: int) -> str | None:
    if alg is None:
        return None
    from xsk_nb.strength import HMAC_ALGORITHMS, require_hmac_minimum  # only when alg is asked

    if not isinstance(alg, str):
        raise TypeError(
            f"alg must be {one_of((*HMAC_ALGORITHMS, None))}; got {describe_rejected(alg)}"
        )
    if alg not in HMAC_ALGORITHMS:
        raise ValueError(f"alg must be {one_of(HMAC_ALGORITHMS)}; got {describe_rejected(alg)}")
    require_hmac_minimum(bits, alg)
    return alg


def validate_use(use: object) -> str | None:
    if use is None:
        return None
    allowed = one_of(ALLOWED_USES, quoted=True)
    if not isinstance(use, str):
        raise TypeError(f"use must be {allowed} or None; got {describe_rejected(use)}")
    if use not in ALLOWED_USES:
        raise ValueError(
            f"use must be {allowed} (a signing key) or None; got {describe_rejected(use)}"
        )
    return use


#: What ``kid`` may be, in words (messages and help texts).
KID_ALLOWED_TEXT = one_of(
    (
        f'"{KID_RANDOM}"',
        f'"{KID_THUMBPRINT}"',
        f"a printable key id of 1 to {_KID_MAX_LENGTH} characters",
    )
)


def validate_kid(kid: object) -> str | None:
    if kid is None:
        return None
    if not isinstance(kid, str):
        raise TypeError(f"kid must be {KID_ALLOWED_TEXT}, or None; got {describe_rejected(kid)}")
    if not kid or len(kid) > _KID_MAX_LENGTH or not kid.isprintable():
        raise ValueError(f"kid must be {KID_ALLOWED_TEXT}; got {describe_rejected(kid)}")
    return kid


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


def bits_from_text(text: str) -> int:
    """Parse ``bits`` typed as text (command line, magic, XanoScript input) and validate it."""
    if not isinstance(text, str):
        raise TypeError(
            f"bits must be one of {one_of(ALLOWED_BITS)}, typed as text; "
            f"got {describe_rejected(text)}"
        )
    stripped = text.strip()
    digits = stripped.lstrip("+-")
    if not (digits.isascii() and digits.isdigit()) or len(stripped) > 12:
        raise ValueError(
            f"bits must be one of {one_of(ALLOWED_BITS)}; got {describe_rejected(text)}"
        )
    return validate_bits(int(stripped))
