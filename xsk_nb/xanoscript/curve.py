"""``security.create_curve_key``: an elliptic-curve key pair as a JWK (RFC 7518 §6.2).

Xano documents the statement and its result (xano-inc/cli@eb4d11d
.claude/skills/functions/security-create-curve-key/SKILL.md, "Parameters" and "Object Format
Structure"; docs.xano.com/xanoscript/function-reference/security, "Create Elliptic Curve Key"):
``curve`` is P-256, P-384 or P-521, ``format`` is "object", and the result is
``{"kty": "EC", "crv": ..., "d": ..., "x": ..., "y": ...}`` with base64url members.

The private scalar ``d`` is drawn with :mod:`secrets` (from 1 to the curve's order minus 1);
the pure-Python ``ecdsa`` package (so it runs in the browser-only site too) only computes the
public point ``d·G``. ``ecdsa`` is imported at the first call.
"""

from __future__ import annotations

import secrets
from typing import Any

from xsk_nb.contract import ALLOWED_CURVES, describe_rejected, one_of
from xsk_nb.keygen import b64url_encode
from xsk_nb.optional import import_optional

#: The ecdsa curve object of each JWK curve name (RFC 7518 §6.2.1.1).
_ECDSA_NAMES: dict[str, str] = {"P-256": "NIST256p", "P-384": "NIST384p", "P-521": "NIST521p"}


def coordinate_bytes(curve: str) -> int:
    """Bytes of one coordinate or of ``d`` on ``curve`` (RFC 7518 §6.2.1.2: 66 for P-521)."""
    return {"P-256": 32, "P-384": 48, "P-521": 66}[curve]


def validate_curve(curve: Any) -> str:
    """``curve`` if Xano documents it; else one sentence naming the curves."""
    if not isinstance(curve, str) or curve not in ALLOWED_CURVES:
        raise ValueError(
            f"curve must be {one_of(ALLOWED_CURVES, quoted=True)}; got {describe_rejected(curve)}"
        )
    return curve


def create_curve_key(curve: Any, format: Any) -> dict[str, str]:
    """A new key pair on ``curve`` as Xano's JWK object (members in Xano's documented order)."""
    name = validate_curve(curve)
    if format != "object":
        raise ValueError(
            'format must be "object", the only format Xano documents for '
            f"create_curve_key; got {describe_rejected(format)}"
        )
    ecdsa = import_optional("ecdsa", "security.create_curve_key")
    ec_curve = getattr(ecdsa, _ECDSA_NAMES[name])
    order = int(ec_curve.order)
    d = 1 + secrets.randbelow(order - 1)
    point = ec_curve.generator * d
    size = coordinate_bytes(name)

    def member(number: int) -> str:
        return b64url_encode(int(number).to_bytes(size, "big"))

    return {
        "kty": "EC",
        "crv": name,
        "d": member(d),
        "x": member(point.x()),
        "y": member(point.y()),
    }


#: The ES algorithms of JWS (RFC 7518 §3.4) and the curve and hash of each, as Xano's
#: JWS skill lists them (xano-inc/cli@eb4d11d .claude/skills/functions/security-jws-encode/
#: SKILL.md, the algorithm table: "ES256 | EC (P-256)", "ES384 | EC (P-384)", "ES512 | EC (P-521)").
EC_ALGORITHMS: dict[str, tuple[str, str]] = {
    "ES256": ("P-256", "sha256"),
    "ES384": ("P-384", "sha384"),
    "ES512": ("P-521", "sha512"),
}


def _member_int(jwk: dict[str, Any], member: str, size: int) -> int:
    from xsk_nb.keygen import b64url_decode

    text = jwk.get(member)
    try:
        raw = b64url_decode(text) if isinstance(text, str) else b""
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise ValueError(
            f"key member {member!r} must be base64url of {size} bytes for {jwk.get('crv')}"
        )
    return int.from_bytes(raw, "big")


def ec_key(key: Any, algorithm: str, *, private: bool) -> dict[str, Any]:
    """``key`` checked as the EC JWK ``algorithm`` needs: ``kty`` "EC", its curve, ``x`` and
    ``y``, and ``d`` to sign. Messages never hold a member's value."""
    curve, _ = EC_ALGORITHMS[algorithm]
    if not isinstance(key, dict) or key.get("kty") != "EC":
        raise ValueError(
            f"{algorithm} needs an EC JWK object (what security.create_curve_key returns)"
        )
    if key.get("crv") != curve:
        raise ValueError(f"{algorithm} needs a key on curve {curve}")
    if private and "d" not in key:
        raise ValueError(f"{algorithm} signs with the private key: the JWK needs its d")
    size = coordinate_bytes(curve)
    for member in ("x", "y", *(("d",) if private else ())):
        _member_int(key, member, size)
    return key


def _curve_and_hash(algorithm: str) -> tuple[Any, Any, Any]:
    import hashlib

    ecdsa = import_optional("ecdsa", f"{algorithm} signing")
    curve, hash_name = EC_ALGORITHMS[algorithm]
    return ecdsa, getattr(ecdsa, _ECDSA_NAMES[curve]), getattr(hashlib, hash_name)


def ec_sign(message: bytes, key: dict[str, Any], algorithm: str) -> bytes:
    """The JWS signature of ``message``: r and s, each of the curve's size (RFC 7518 §3.4),
    with the deterministic nonce of RFC 6979 (no second random source)."""
    ecdsa, curve, hash_function = _curve_and_hash(algorithm)
    size = coordinate_bytes(EC_ALGORITHMS[algorithm][0])
    signing = ecdsa.SigningKey.from_secret_exponent(
        _member_int(key, "d", size), curve=curve, hashfunc=hash_function
    )
    signature: bytes = signing.sign_deterministic(
        message, hashfunc=hash_function, sigencode=ecdsa.util.sigencode_string
    )
    return signature


def ec_verify(message: bytes, signature: bytes, key: dict[str, Any], algorithm: str) -> bool:
    """Whether ``signature`` (r and s) verifies ``message`` with the public point of ``key``."""
    ecdsa, curve, hash_function = _curve_and_hash(algorithm)
    size = coordinate_bytes(EC_ALGORITHMS[algorithm][0])
    point = _member_int(key, "x", size).to_bytes(size, "big")
    point += _member_int(key, "y", size).to_bytes(size, "big")
    try:
        verifying = ecdsa.VerifyingKey.from_string(point, curve=curve, hashfunc=hash_function)
    except (ecdsa.MalformedPointError, ValueError, AssertionError):
        raise ValueError("the key's x and y are not a point on its curve") from None
    try:
        return bool(
            verifying.verify(
                signature, message, hashfunc=hash_function, sigdecode=ecdsa.util.sigdecode_string
            )
        )
    except (ecdsa.BadSignatureError, ecdsa.MalformedPointError, ValueError, AssertionError):
        return False
