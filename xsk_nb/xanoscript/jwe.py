"""``security.jwe_encode`` / ``security.jwe_decode``: compact JWE (RFC 7516 §3.1, §7.1) with AES
Key Wrap (``A128KW``/``A192KW``/``A256KW``, RFC 7518 §4.4) and AES-GCM (``A128GCM``/``A192GCM``/
``A256GCM``, RFC 7518 §5.3), through the pure-Python :mod:`~xsk_nb.xanoscript.aes`.

What Xano documents (xano-inc/cli@eb4d11d .claude/skills/functions/security-jwe-encode/SKILL.md,
"the encode skill", and security-jwe-decode/SKILL.md, "the decode skill"):

* the arguments (the encode skill, lines 25-32; the decode skill, lines 24-31) and the
  algorithms (the encode skill, lines 48-62): only these six, so only these run here;
* the key is a JWK object from ``security.create_secret_key`` (the encode skill, line 29 and
  line 163, "Keys must be JWK objects"); a JWK given as JSON text is read with the JWS note;
* the token begins ``eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIi`` (the encode skill, line
  101): the header starts ``{"alg":"A256KW","enc":"A256GCM",`` and then has more members the
  document cuts off; here the other ``headers`` follow ``alg`` and ``enc``, and
  :data:`HEADER_NOTE` says at every use that the two may part there;
* with a ``ttl`` the claims gain ``iat``, ``nbf`` and ``exp`` (the decode skill, lines 64-69 and
  158-166), as ``security.jws_encode`` does here; decoding checks ``exp``/``nbf`` with
  ``timeDrift`` and ``check_claims`` (lines 150-156), as ``security.jws_decode`` does.

What Xano does not document: its own example wraps with A256KW, a 256-bit key-encryption key,
using a **512-bit** key from ``create_secret_key { bits = 512 }`` (the encode skill, lines
77-91). How Xano reduces the longer key is not written anywhere. This kit uses the key's first
bytes (:data:`LONG_KEY_NOTE` says so in a run warning at every use), so a token made here with a
longer key opens here but perhaps not in Xano. ``create_secret_key`` makes no key under 512
bits, so with its keys every KW algorithm meets this; a JWK of exactly the wrap size is plain
RFC 7518 §4.4 and interoperates (the tests check that jwcrypto opens the kit's tokens and the
reverse). A key shorter than the wrap size is refused.

Messages never quote a header, a claim or a key.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from xsk_nb.contract import one_of
from xsk_nb.keygen import key_bytes
from xsk_nb.xanoscript import aes
from xsk_nb.xanoscript.jose import _check_claims, decode_options, jwk_from_text
from xsk_nb.xanoscript.limits import MAX_CIPHER_BYTES, MAX_TOKEN_CHARS, MAX_TTL_SECONDS

#: key_algorithm -> key-encryption key size in bytes (RFC 7518 §4.4).
KEY_ALGORITHMS: dict[str, int] = {"A128KW": 16, "A192KW": 24, "A256KW": 32}
#: content_algorithm -> content-encryption key size in bytes (RFC 7518 §5.3).
CONTENT_ALGORITHMS: dict[str, int] = {"A128GCM": 16, "A192GCM": 24, "A256GCM": 32}
#: Header members refused: no compression runs here (RFC 7516 §4.1.3), and ``crit`` names
#: extensions nothing here understands (§4.1.13).
REFUSED_HEADERS = ("zip", "crit")

LONG_KEY_NOTE = (
    "key is {bits} bits and {alg} wraps with a {size}-bit key: Xano does not document how it "
    "uses a longer key (its jwe_encode skill example gives a 512-bit key to A256KW, and "
    "create_secret_key makes none under 512 bits), so this kit uses the key's first {size} "
    "bits, an inference Xano may not share: a token made so may not open in Xano, and other "
    "JOSE libraries (RFC 7518 §4.4) open it only with those first {size} bits as the key"
)
#: Said at every jwe_encode: the protected header is where this kit's token and Xano's may part.
HEADER_NOTE = (
    'Xano\'s example token (its jwe_encode skill, line 101) begins {"alg":"A256KW",'
    '"enc":"A256GCM", and then has header members the document cuts off; this kit\'s header '
    "is alg, enc and your headers only, so a token made here can differ from Xano's from its "
    "42nd character on, and still opens here and with any JOSE library"
)
_UNREADABLE = "the token cannot be read: it is not five base64url parts of a compact JWE"
_NOT_OPENED = "the token does not decrypt with this key: a different key, or the token was changed"


def _ignore(text: str) -> None:
    return None


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64u(text: str) -> bytes:
    if not text.isascii() or "=" in text:
        raise ValueError(_UNREADABLE)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(_UNREADABLE) from None


def _algorithms(key_algorithm: Any, content_algorithm: Any) -> tuple[str, str]:
    if key_algorithm not in KEY_ALGORITHMS:
        raise ValueError(
            f"key_algorithm must be {one_of(KEY_ALGORITHMS, quoted=True)} (the key algorithms "
            "Xano's jwe_encode documents)"
        )
    if content_algorithm not in CONTENT_ALGORITHMS:
        raise ValueError(
            f"content_algorithm must be {one_of(CONTENT_ALGORITHMS, quoted=True)} (the content "
            "algorithms Xano's jwe_encode documents)"
        )
    return str(key_algorithm), str(content_algorithm)


def wrapping_key(key: Any, key_algorithm: str, warn: Callable[[str], None]) -> bytes:
    """The key-encryption key of an oct JWK ``key`` (or JSON text of one) for ``key_algorithm``."""
    key = jwk_from_text(key, warn)
    if not isinstance(key, dict):
        raise TypeError(
            "key must be a JWK object such as security.create_secret_key makes (Xano's "
            "jwe_encode skill: keys must be JWK objects)"
        )
    raw = key_bytes(key)
    size = KEY_ALGORITHMS[key_algorithm]
    if len(raw) < size:
        raise ValueError(
            f"{key_algorithm} needs a key of {size * 8} bits (RFC 7518 §4.4); this key has "
            f"{len(raw) * 8}"
        )
    if len(raw) > size:
        warn(LONG_KEY_NOTE.format(bits=len(raw) * 8, alg=key_algorithm, size=size * 8))
    return raw[:size]


def _header(headers: Any, key_algorithm: str, content_algorithm: str) -> dict[str, Any]:
    if not isinstance(headers, dict) or not all(isinstance(name, str) for name in headers):
        raise TypeError("headers must be an object of text names")
    refused = [name for name in REFUSED_HEADERS if name in headers]
    if refused:
        raise ValueError(
            f"headers may not hold {' or '.join(refused)}: this kit makes plain compact JWE "
            "without compression or critical extensions"
        )
    if headers.get("alg", key_algorithm) != key_algorithm:
        raise ValueError("headers alg and key_algorithm must agree")
    if headers.get("enc", content_algorithm) != content_algorithm:
        raise ValueError("headers enc and content_algorithm must agree")
    return {"alg": key_algorithm, "enc": content_algorithm, **headers}


def jwe_encode(
    claims: Any,
    key: Any,
    key_algorithm: Any,
    content_algorithm: Any,
    headers: Any,
    ttl: Any,
    now: float | None = None,
    warn: Callable[[str], None] = _ignore,
    draw: Callable[[int, str], None] = lambda count, what: None,
) -> str:
    """A compact JWE of ``claims`` (RFC 7516 §5.1); with ``ttl`` > 0 it adds iat, nbf, exp."""
    alg, enc = _algorithms(key_algorithm, content_algorithm)
    if not isinstance(claims, dict):
        raise TypeError("claims must be an object")
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL_SECONDS:
        raise ValueError(f"ttl must be a whole number of seconds from 0 to {MAX_TTL_SECONDS}")
    header = _header(headers, alg, enc)
    kek = wrapping_key(key, alg, warn)
    warn(HEADER_NOTE)
    claims = dict(claims)
    if ttl:
        issued = int(time.time() if now is None else now)
        claims.update(iat=issued, nbf=issued, exp=issued + ttl)
    try:
        payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        protected = _b64u(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    except (TypeError, ValueError, RecursionError):
        raise ValueError(
            "headers and claims must be JSON: text, numbers, bools, null, arrays and objects "
            "(base64_encode a binary value first)"
        ) from None
    if len(payload) > MAX_CIPHER_BYTES:
        raise ValueError(f"the claims are limited to {MAX_CIPHER_BYTES:,} bytes of JSON here")
    draw(CONTENT_ALGORITHMS[enc] + 12, "security.jwe_encode")
    cek = secrets.token_bytes(CONTENT_ALGORITHMS[enc])
    iv = secrets.token_bytes(12)  # 96 bits (RFC 7518 §5.3)
    ciphertext, tag = aes.gcm_encrypt(cek, iv, payload, protected.encode("ascii"))
    wrapped = aes.key_wrap(kek, cek)
    token = ".".join([protected, *map(_b64u, (wrapped, iv, ciphertext, tag))])
    if len(token) > MAX_TOKEN_CHARS:
        raise ValueError(f"the token would be longer than {MAX_TOKEN_CHARS:,} characters")
    return token


def jwe_decode(
    token: Any,
    key: Any,
    key_algorithm: Any,
    content_algorithm: Any,
    timeDrift: Any = 0,  # Xano's spelling
    check_claims: Any = None,
    now: float | None = None,
    warn: Callable[[str], None] = _ignore,
) -> dict[str, Any]:
    """The claims of a compact JWE (RFC 7516 §5.2), once it decrypts and its claims pass."""
    alg, enc = _algorithms(key_algorithm, content_algorithm)
    if not isinstance(token, str) or token.count(".") != 4 or len(token) > MAX_TOKEN_CHARS:
        raise ValueError("token must be a compact JWE: five base64url parts joined by dots")
    check_claims = decode_options(timeDrift, check_claims)
    kek = wrapping_key(key, alg, warn)
    protected, wrapped, iv, ciphertext, tag = token.split(".")
    parts = [_unb64u(part) for part in (protected, wrapped, iv, ciphertext, tag)]
    try:
        header = json.loads(parts[0])
    except (ValueError, RecursionError):
        raise ValueError(_UNREADABLE) from None
    if not isinstance(header, dict):
        raise ValueError(_UNREADABLE)
    if header.get("alg") != alg or header.get("enc") != enc:
        raise ValueError(
            "the token's header names other algorithms than key_algorithm and content_algorithm"
        )
    if any(name in header for name in REFUSED_HEADERS):
        raise ValueError("the token's header holds zip or crit, which this kit does not run")
    try:
        cek = aes.key_unwrap(kek, parts[1])
        if len(cek) != CONTENT_ALGORITHMS[enc]:
            raise aes.DecryptionError(_NOT_OPENED)
        payload = aes.gcm_decrypt(cek, parts[2], parts[3], parts[4], protected.encode("ascii"))
    except aes.DecryptionError:
        raise ValueError(_NOT_OPENED) from None
    try:
        claims = json.loads(payload.decode("utf-8"))
    except (ValueError, RecursionError):
        raise ValueError("the token decrypts, but its payload is not JSON") from None
    if not isinstance(claims, dict):
        raise ValueError("the token decrypts, but its payload is not a JSON object of claims")
    moment = int(time.time() if now is None else now)
    _check_claims(claims, moment, timeDrift, check_claims, opened="the token decrypts")
    return claims
