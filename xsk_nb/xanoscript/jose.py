"""``security.jws_encode`` / ``security.jws_decode`` through PyJWT (imported on first use).

PyJWT signs and verifies HS256/384/512 with the standard library's ``hmac``, and ES256/384/512
with a ``security.create_curve_key`` pair through :mod:`~xsk_nb.xanoscript.curve` (pure-Python
``ecdsa``): no compiled dependency, so this also runs under Pyodide. Keys: an oct JWK object (what
``security.create_secret_key`` returns, as the sibling docs ask), a text holding such a JWK as
JSON (what ``$env.JWT_SECRET`` often holds), or any other text, whose UTF-8 bytes are the HMAC
secret. An ES key is an EC JWK: with ``d`` to sign, ``x`` and ``y`` to verify. A key
shorter than RFC 7518 §3.2 allows signs with a note (Xano's own example does).

The header is what Xano writes: ``{"alg":"HS256"}`` and no ``typ`` (Xano's own skill document
for ``security.jws_encode`` shows its HS256 token beginning ``eyJhbGciOiJIUzI1NiJ9.``, the
base64url of exactly ``{"alg":"HS256"}``), plus any ``headers`` the cell gives.

Messages never hold a value: every error of the JWS library becomes one of the fixed sentences
below, so a header value or name that is a key can never be echoed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import warnings
from typing import Any

from xsk_nb.contract import one_of
from xsk_nb.keygen import key_bytes
from xsk_nb.strength import HMAC_ALGORITHMS, require_hmac_minimum
from xsk_nb.xanoscript.curve import EC_ALGORITHMS, ec_key, ec_sign, ec_verify
from xsk_nb.xanoscript.limits import MAX_TOKEN_CHARS, MAX_TTL_SECONDS

#: Header members this kit refuses: PyJWT turns ``b64: false`` into a detached payload
#: (RFC 7797), and ``crit`` names extensions no verifier here understands (RFC 7515 §4.1.11).
REFUSED_HEADERS = ("b64", "crit")

_UNREADABLE = "the token cannot be read: its parts are not base64url JSON of a JWS"
_REFUSED = (
    "the JWS library refused these headers or claims: they must be JSON objects of text names, "
    "with kid as text"
)


#: The note for a ``key`` given as JSON text (issue 21 §1). Xano's documents disagree on the
#: key form: xano-inc/cli@2b369b5:.claude/skills/functions/security-jws-encode/SKILL.md line 38
#: says "Keys must be JWK objects, not strings!" (removed the same day), while
#: xano-inc/xano-developer-mcp@c72a410:src/xanoscript_docs/security.md line 249 passes
#: `key = $env.JWT_SECRET` as it is. No Xano document says how JSON text is read.
JSON_TEXT_KEY_NOTE = (
    "key is JSON text, not an object: this kit reads it as the JWK it holds, but no Xano "
    "document says how Xano reads text (its skill document at xano-inc/cli@2b369b5 says keys "
    "must be JWK objects, its developer documents pass $env.JWT_SECRET as it is); pass "
    "$env.NAME|json_decode to be sure"
)
#: The note for an HMAC key shorter than RFC 7518 §3.2 allows (issue 19, item 9).
SHORT_KEY_NOTE = (
    "{problem}; Xano signs with it anyway (its JWS Encode example on docs.xano.com uses "
    'key = "signing_key"), so this kit does too, but anyone who guesses the key can forge '
    "tokens: use security.create_secret_key for a real key"
)


def _jwt() -> Any:
    try:
        import jwt
    except ModuleNotFoundError:
        from xsk_nb.xanoscript.errors import missing_extra

        raise missing_extra("jwt") from None
    return jwt


def _ignore(text: str) -> None:
    return None


def jwk_from_text(key: Any, warn: Any = _ignore) -> Any:
    """``key`` itself, or the JWK that text starting with ``{`` holds (with
    :data:`JSON_TEXT_KEY_NOTE`): one reading for the JWS and JWE functions."""
    if isinstance(key, str) and key.lstrip().startswith("{"):
        try:
            key = json.loads(key)
        except ValueError:
            raise ValueError("key is text that starts like JSON but is not a JSON JWK") from None
        warn(JSON_TEXT_KEY_NOTE)
    return key


def hmac_key_bytes(key: Any, warn: Any = _ignore) -> bytes:
    """The HMAC secret of a ``key`` argument (JWK object, JWK as JSON text, or plain text)."""
    key = jwk_from_text(key, warn)
    if isinstance(key, dict):
        return key_bytes(key)
    if isinstance(key, str):
        if not key:
            raise ValueError("key is empty text")
        return key.encode("utf-8", "surrogatepass")
    raise TypeError(f"key must be a JWK object or text; got {type(key).__name__}")


#: Every signature_algorithm the JWS functions run here.
ALGORITHMS: tuple[str, ...] = (*HMAC_ALGORITHMS, *EC_ALGORITHMS)


def _algorithm(name: Any) -> str:
    if name in ALGORITHMS:
        return str(name)
    if isinstance(name, str) and name[:2] in ("RS", "PS"):
        raise ValueError(
            f"RSA signatures are not run here (no RSA key is made here); use {one_of(ALGORITHMS)}"
        )
    raise ValueError(f"signature_algorithm must be {one_of(ALGORITHMS)}")


def _jws(jwt: Any, algorithm: str) -> Any:
    """PyJWT's JWS for ``algorithm``: its own for HMAC; for ES, one with an algorithm that
    signs through :mod:`xsk_nb.xanoscript.curve` (PyJWT's needs the compiled cryptography)."""
    if algorithm not in EC_ALGORITHMS:
        return jwt.api_jws

    class _EllipticCurve(jwt.algorithms.Algorithm):
        def prepare_key(self, key: Any) -> Any:
            return key

        def sign(self, msg: bytes, key: Any) -> bytes:
            return ec_sign(msg, key, algorithm)

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            return ec_verify(msg, sig, key, algorithm)

        @staticmethod
        def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
            raise NotImplementedError

        @staticmethod
        def from_jwk(jwk: Any) -> Any:
            raise NotImplementedError

    jws = jwt.api_jws.PyJWS(algorithms=[])
    jws.register_algorithm(algorithm, _EllipticCurve())
    return jws


def _signing_key(key: Any, algorithm: str, warn: Any, *, private: bool) -> Any:
    """The HMAC secret (bytes) or the checked EC JWK for ``algorithm``."""
    if algorithm in EC_ALGORITHMS:
        return ec_key(key, algorithm, private=private)
    return _secret(key, algorithm, warn)


def _secret(key: Any, algorithm: str, warn: Any) -> bytes:
    secret = hmac_key_bytes(key, warn)
    try:
        require_hmac_minimum(len(secret) * 8, algorithm)
    except ValueError as problem:
        warn(SHORT_KEY_NOTE.format(problem=problem))
    return secret


def _check_headers(headers: Any, algorithm: str) -> dict[str, Any]:
    headers = {} if headers is None else headers
    if not isinstance(headers, dict):
        raise TypeError("headers must be an object")
    for name in headers:
        if not isinstance(name, str):
            raise TypeError("headers must have text names")
    refused = [name for name in REFUSED_HEADERS if name in headers]
    if refused:
        raise ValueError(
            f"headers may not hold {' or '.join(refused)}: this kit signs plain compact JWS "
            "only (RFC 7515 §7.1)"
        )
    if "kid" in headers and not isinstance(headers["kid"], str):
        raise TypeError("headers kid must be text")
    if headers.get("alg", algorithm) != algorithm:
        raise ValueError("headers alg and signature_algorithm must agree")
    return headers


def jws_encode(
    claims: Any,
    key: Any,
    signature_algorithm: Any,
    headers: Any = None,
    ttl: Any = 0,
    now: float | None = None,
    warn: Any = _ignore,
) -> str:
    """A compact JWS (a JWT) of ``claims``; with ``ttl`` > 0 it adds ``iat``, ``nbf``, ``exp``."""
    jwt = _jwt()

    algorithm = _algorithm(signature_algorithm)
    if not isinstance(claims, dict):
        raise TypeError("claims must be an object")
    headers = _check_headers(headers, algorithm)
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL_SECONDS:
        raise ValueError(f"ttl must be a whole number of seconds from 0 to {MAX_TTL_SECONDS}")
    claims = dict(claims)
    if ttl:
        issued = int(time.time() if now is None else now)
        claims.update(iat=issued, nbf=issued, exp=issued + ttl)
    secret = _signing_key(key, algorithm, warn, private=True)
    # PyJWT adds "typ": "JWT" unless the header's typ is falsy; Xano writes no typ.
    header = {"typ": None, **headers, "alg": algorithm}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the key length is checked above, with a sentence
            if algorithm not in EC_ALGORITHMS:
                return jwt.encode(claims, secret, algorithm=algorithm, headers=header)
            payload = json.dumps(claims, separators=(",", ":")).encode()  # as jwt.encode does
            token: str = _jws(jwt, algorithm).encode(
                payload, secret, algorithm=algorithm, headers=header
            )
            return token
    except (jwt.PyJWTError, TypeError, ValueError, OverflowError, RecursionError):
        raise ValueError(_REFUSED) from None


def decode_options(time_drift: Any, check_claims: Any) -> dict[str, Any]:
    """``timeDrift`` and ``check_claims`` of a decode, checked (JWS and JWE alike); the claims
    to check (an empty object when None)."""
    if isinstance(time_drift, bool) or not isinstance(time_drift, int) or time_drift < 0:
        raise ValueError("timeDrift must be a whole number of seconds, 0 or more")
    check_claims = {} if check_claims is None else check_claims
    if not isinstance(check_claims, dict):
        raise TypeError("check_claims must be an object of claim names and required values")
    return check_claims


def jws_decode(
    token: Any,
    key: Any,
    signature_algorithm: Any,
    timeDrift: Any = 0,  # Xano's spelling
    check_claims: Any = None,
    now: float | None = None,
    warn: Any = _ignore,
) -> dict[str, Any]:
    """The claims of ``token`` once its signature verifies and its claims pass.

    Like Xano it always checks ``exp`` and ``nbf`` (allowing ``timeDrift`` seconds of clock
    difference), and each member of ``check_claims`` must equal the token's claim.
    """
    jwt = _jwt()

    algorithm = _algorithm(signature_algorithm)
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > MAX_TOKEN_CHARS:
        raise ValueError("token must be a compact JWS: three base64url parts joined by dots")
    check_claims = decode_options(timeDrift, check_claims)
    secret = _signing_key(key, algorithm, warn, private=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            verified = _jws(jwt, algorithm).decode_complete(token, secret, algorithms=[algorithm])
    except jwt.InvalidSignatureError:
        raise ValueError(
            "the signature does not verify with this key: a different key, or the token was changed"
        ) from None
    except jwt.InvalidAlgorithmError:
        raise ValueError(
            "the token's header names another algorithm than signature_algorithm"
        ) from None
    except jwt.DecodeError:
        raise ValueError(_UNREADABLE) from None
    except (jwt.PyJWTError, TypeError, ValueError, RecursionError):
        raise ValueError(
            "the token's header holds members this kit does not accept (a kid that is not text, "
            "or crit)"
        ) from None
    try:
        claims = json.loads(verified["payload"])
    except (ValueError, RecursionError):
        raise ValueError(_UNREADABLE) from None
    if not isinstance(claims, dict):
        raise ValueError("the token's payload is not a JSON object of claims")
    _check_claims(claims, int(time.time() if now is None else now), timeDrift, check_claims)
    return claims


def _check_claims(
    claims: dict[str, Any],
    now: int,
    drift: int,
    required: dict[str, Any],
    opened: str = "the signature verifies",
) -> None:
    """Xano's checks after the signature (or a JWE's decryption, ``opened`` says which):
    ``exp``, ``nbf`` and ``check_claims`` equality.

    Written here, not left to PyJWT's claim checks: those read the clock themselves (a notebook
    and the tests fix ``now``), and Xano's ``check_claims`` compares any claim for equality.
    """
    for name in ("exp", "nbf"):
        if name in claims and (
            isinstance(claims[name], bool) or not isinstance(claims[name], (int, float))
        ):
            raise ValueError(f"{opened}, but claim {name!r} is not a number")
    if "exp" in claims and now > claims["exp"] + drift:
        raise ValueError(
            f"{opened}, but the token expired at "
            f"{_when(claims['exp'])} (exp); timeDrift is {drift} s"
        )
    if "nbf" in claims and now + drift < claims["nbf"]:
        raise ValueError(
            f"{opened}, but the token is not valid before "
            f"{_when(claims['nbf'])} (nbf); timeDrift is {drift} s"
        )
    for name, value in required.items():
        if name not in claims:
            raise ValueError(f"{opened}, but claim {name!r} that check_claims asks for is missing")
        if claims[name] != value:
            raise ValueError(
                f"{opened}, but claim {name!r} does not equal the value check_claims asks for"
            )


def _when(timestamp: Any) -> str:
    try:
        moment = dt.datetime.fromtimestamp(float(timestamp), tz=dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return "a time out of range"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
