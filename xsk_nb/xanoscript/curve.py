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
