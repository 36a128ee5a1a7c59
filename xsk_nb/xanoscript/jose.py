"""``security.jws_encode`` / ``security.jws_decode`` through joserfc (imported on first use).

Keys: an oct JWK object (what ``security.create_secret_key`` returns, as the sibling docs ask),
a text holding such a JWK as JSON (what ``$env.JWT_SECRET`` often holds), or any other text,
whose UTF-8 bytes are the HMAC secret. Every key must be as long as RFC 7518 §3.2 requires.
Only HS256, HS384 and HS512 run here; ES* keys come from ``security.create_curve_key``, which
this kit does not have. Messages never hold key material.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from xsk_nb.keygen import key_bytes
from xsk_nb.strength import HMAC_ALGORITHMS, require_hmac_minimum

MAX_TTL_SECONDS = 10 * 366 * 24 * 3600
MAX_TOKEN_CHARS = 16_000


def hmac_key_bytes(key: Any) -> bytes:
    """The HMAC secret of a ``key`` argument (JWK object, JWK as JSON text, or plain text)."""
    if isinstance(key, str) and key.lstrip().startswith("{"):
        try:
            key = json.loads(key)
        except ValueError:
            raise ValueError("key is text that starts like JSON but is not a JSON JWK") from None
    if isinstance(key, dict):
        return key_bytes(key)
    if isinstance(key, str):
        if not key:
            raise ValueError("key is empty text")
        return key.encode("utf-8")
    raise TypeError(f"key must be a JWK object or text; got {type(key).__name__}")


def _algorithm(name: Any) -> str:
    if name in HMAC_ALGORITHMS:
        return name
    if isinstance(name, str) and name[:2] in ("ES", "RS", "PS"):
        raise ValueError(
            f"{name} needs a public-key pair (security.create_curve_key), which "
            "this kit does not run; use HS256, HS384 or HS512"
        )
    raise ValueError("signature_algorithm must be HS256, HS384 or HS512")


def _oct_key(key: Any, algorithm: str) -> Any:
    from joserfc.jwk import OctKey

    secret = hmac_key_bytes(key)
    require_hmac_minimum(len(secret) * 8, algorithm)
    return OctKey.import_key(secret)


def jws_encode(
    claims: Any,
    key: Any,
    signature_algorithm: Any,
    headers: Any = None,
    ttl: Any = 0,
    now: float | None = None,
) -> str:
    """A compact JWS (a JWT) of ``claims``; with ``ttl`` > 0 it adds ``iat``, ``nbf``, ``exp``."""
    from joserfc import jwt

    algorithm = _algorithm(signature_algorithm)
    if not isinstance(claims, dict):
        raise TypeError("claims must be an object")
    headers = {} if headers is None else headers
    if not isinstance(headers, dict):
        raise TypeError("headers must be an object")
    if headers.get("alg", algorithm) != algorithm:
        raise ValueError(
            f"headers say alg {headers['alg']!r} but signature_algorithm is "
            f"{algorithm}; they must agree"
        )
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL_SECONDS:
        raise ValueError(f"ttl must be a whole number of seconds from 0 to {MAX_TTL_SECONDS}")
    claims = dict(claims)
    if ttl:
        issued = int(time.time() if now is None else now)
        claims.update(iat=issued, nbf=issued, exp=issued + ttl)
    return jwt.encode(
        {**headers, "alg": algorithm}, claims, _oct_key(key, algorithm), algorithms=[algorithm]
    )


def jws_decode(
    token: Any,
    key: Any,
    signature_algorithm: Any,
    timeDrift: Any = 0,  # Xano's spelling
    check_claims: Any = None,
    now: float | None = None,
) -> dict[str, Any]:
    """The claims of ``token`` once its signature verifies and its claims pass.

    Like Xano it always checks ``exp`` and ``nbf`` (allowing ``timeDrift`` seconds of clock
    difference), and each member of ``check_claims`` must equal the token's claim.
    """
    from joserfc import errors, jwt

    algorithm = _algorithm(signature_algorithm)
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > MAX_TOKEN_CHARS:
        raise ValueError("token must be a compact JWS: three base64url parts joined by dots")
    if isinstance(timeDrift, bool) or not isinstance(timeDrift, int) or timeDrift < 0:
        raise ValueError("timeDrift must be a whole number of seconds, 0 or more")
    check_claims = {} if check_claims is None else check_claims
    if not isinstance(check_claims, dict):
        raise TypeError("check_claims must be an object of claim names and required values")
    oct_key = _oct_key(key, algorithm)
    try:
        decoded = jwt.decode(token, oct_key, algorithms=[algorithm])
    except errors.BadSignatureError:
        raise ValueError(
            "the signature does not verify with this key: a different key, or the token was changed"
        ) from None
    except errors.JoseError as error:
        raise ValueError(f"the token cannot be read ({error.error})") from None
    except ValueError:
        raise ValueError("the token cannot be read: its parts are not base64url JSON") from None
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time() if now is None else now),
        leeway=timeDrift,
        **{name: {"essential": True, "value": value} for name, value in check_claims.items()},
    )
    try:
        registry.validate(claims)
    except errors.ExpiredTokenError:
        raise ValueError(
            f"the signature verifies, but the token expired at "
            f"{_when(claims.get('exp'))} (exp); timeDrift is {timeDrift} s"
        ) from None
    except errors.MissingClaimError as error:
        raise ValueError(
            f"the signature verifies, but claim {error.claim!r} that check_claims "
            "asks for is missing"
        ) from None
    except errors.InvalidClaimError as error:
        if error.claim in check_claims:
            raise ValueError(
                f"the signature verifies, but claim {error.claim!r} does not equal "
                "the value check_claims asks for"
            ) from None
        raise ValueError(
            f"the signature verifies, but claim {error.claim!r} fails: {error.description}"
        ) from None
    return claims


def _when(timestamp: Any) -> str:
    try:
        moment = dt.datetime.fromtimestamp(float(timestamp), tz=dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return repr(timestamp)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
