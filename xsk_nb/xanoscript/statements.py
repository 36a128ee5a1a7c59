"""The functions a cell can call, what arguments each takes, and what each does.

Each handler gets the evaluated arguments and the run's context, records any key material it
meets in the run's :class:`SecretBook` before it can reach a message, and returns the value
bound by ``as $name``.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xsk_nb.contract import one_of
from xsk_nb.keygen import create_secret_key
from xsk_nb.xanoscript import cipher, jose, jwe
from xsk_nb.xanoscript.binary import Binary, holds_binary
from xsk_nb.xanoscript.curve import coordinate_bytes, create_curve_key, validate_curve
from xsk_nb.xanoscript.db import NotebookDatabase
from xsk_nb.xanoscript.limits import MAX_PASSWORD_CHARS, MAX_RANDOM_BOUND, MAX_RANDOM_BYTES
from xsk_nb.xanoscript.redaction import SecretBook


@dataclass
class Context:
    secrets: SecretBook
    db: NotebookDatabase
    now: float | None = None  # seconds since the epoch for the JWS functions; None: the clock
    warn: Callable[[str], None] = lambda text: None  # a note for the response
    log: Callable[[Any], None] = lambda value: None  # debug.log's value
    draw: Callable[[int, str], None] = lambda count, what: None  # random bytes, counted


@dataclass(frozen=True)
class StatementSpec:
    handler: Callable[[dict[str, Any], str | None, Context], Any]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    takes_subject: bool = False  # db.add "table" { ... }
    needs_target: bool = True  # its result is the point: `as $name` is required

    @property
    def usage(self) -> str:
        names = [*self.required, *(f"{name} (optional)" for name in self.optional)]
        return ", ".join(names)


def _record_key(key: Any, book: SecretBook) -> None:
    if isinstance(key, str):
        book.add(key)
    elif isinstance(key, Binary):
        book.add(key.hex())  # shown as hex, so masked as that text
    book.add_jwks_in(key)


BASE64_FORMAT_REFUSAL = (
    'format "base64" is listed by docs.xano.com\'s Create Secret Key table ("either object or '
    'base64") but no Xano document says what it returns (standard base64 or base64url, '
    'padded or not), and the function\'s reference documents only "object"; this kit does '
    'not guess: use format = "object" and $key.k, the base64url key text'
)


def _create_secret_key(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    if args["format"] == "base64":
        # Xano's documents disagree: docs.xano.com/xanoscript/function-reference/security,
        # "Create Secret Key", lists format as "either object or base64"; the function's own
        # reference in this kit's seed documents only "object". Neither says what "base64"
        # returns (standard base64 or base64url, with or without padding), so it is refused
        # with that reason rather than guessed.
        raise ValueError(BASE64_FORMAT_REFUSAL)
    if isinstance(args["bits"], int) and not isinstance(args["bits"], bool):
        ctx.draw(max(args["bits"], 0) // 8, "security.create_secret_key")
    jwk = create_secret_key(args["bits"], args["format"])
    ctx.secrets.add(jwk["k"])
    return jwk


def _create_curve_key(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """An EC key pair as a JWK, ``d`` masked as ``k`` is (xano-inc/cli skill
    security-create-curve-key, "Object Format Structure": "d ... KEEP SECRET")."""
    ctx.draw(coordinate_bytes(validate_curve(args["curve"])), "security.create_curve_key")
    jwk: dict[str, Any] = create_curve_key(args["curve"], args["format"])
    jwk["d"] = ctx.secrets.add(jwk["d"])
    return jwk


def _jws_encode(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    _record_key(args["key"], ctx.secrets)
    return jose.jws_encode(
        args["claims"],
        args["key"],
        args["signature_algorithm"],
        headers=args.get("headers"),
        ttl=args.get("ttl", 0),
        now=ctx.now,
        warn=ctx.warn,
    )


def _jws_decode(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    _record_key(args["key"], ctx.secrets)
    return jose.jws_decode(
        args["token"],
        args["key"],
        args["signature_algorithm"],
        timeDrift=args.get("timeDrift", 0),
        check_claims=args.get("check_claims"),
        now=ctx.now,
        warn=ctx.warn,
    )


#: Why the notebook database refuses binary values.
DB_BINARY_REFUSAL = (
    "the data holds a binary value, and the notebook database stores JSON: store "
    "`$value|base64_encode`, as Xano's security-encrypt skill document stores its ciphertext "
    "and iv"
)


def _db_add(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    assert subject is not None  # checked before the run
    data = args["data"]
    if holds_binary(data):
        raise ValueError(DB_BINARY_REFUSAL)
    if isinstance(data, dict) and any(ctx.secrets.covers(field) for field in data):
        # a name is shown in every table header and placeholder: it can never be masked
        # (issue 24, leak 4: key pieces used as column names)
        raise ValueError(
            "a field name of db.add's data is made from key material; field names are shown "
            "unmasked in every table, so use fixed names and put the key in a value"
        )
    row = ctx.db.add(subject, data)
    ctx.db.secrets.update(ctx.secrets)
    return row


def _field_value(args: dict[str, Any]) -> tuple[Any, Any]:
    return args["field_name"], args["field_value"]


def _db_get(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """``db.get "t" { field_name = "id" field_value = 1 } as $row``: the row or null
    (xano-developer-mcp database.md, "db.get": "Record or null")."""
    assert subject is not None
    return ctx.db.find(subject, *_field_value(args))


def _db_has(args: dict[str, Any], subject: str | None, ctx: Context) -> bool:
    """``db.has "t" { field_name, field_value } as $exists`` (database.md, "db.has")."""
    assert subject is not None
    return ctx.db.find(subject, *_field_value(args)) is not None


def _db_edit(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """``db.edit`` / ``db.patch "t" { field_name, field_value, data } as $row``: the updated
    row (database.md: "Updated record"); a missing row is refused with a sentence."""
    assert subject is not None
    data = args["data"]
    if holds_binary(data):
        raise ValueError(DB_BINARY_REFUSAL)
    if isinstance(data, dict) and any(ctx.secrets.covers(field) for field in data):
        raise ValueError(
            "a field name of the data is made from key material; field names are shown "
            "unmasked in every table, so use fixed names and put the key in a value"
        )
    ctx.db.secrets.update(ctx.secrets)
    return ctx.db.edit(subject, *_field_value(args), data)


def _db_del(args: dict[str, Any], subject: str | None, ctx: Context) -> None:
    """``db.del "t" { field_name, field_value }`` (database.md: "None")."""
    assert subject is not None
    ctx.db.delete(subject, *_field_value(args))


def _create_uuid(args: dict[str, Any], subject: str | None, ctx: Context) -> str:
    """A version-4 UUID, e.g. 9bcc06a9-9782-4859-a69f-778a7f28d666 (docs.xano.com/xanoscript/
    function-reference/security, "Generate UUID": `security.create_uuid as $myVariable`)."""
    ctx.draw(16, "security.create_uuid")
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def _whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number")
    return value


def _random_number(args: dict[str, Any], subject: str | None, ctx: Context) -> int:
    """A random whole number from min to max, both included
    (xano-inc/xano-developer-mcp src/xanoscript_docs/integrations/utilities.md:
    `security.random_number { min = 1, max = 100 } as $random`)."""
    low, high = _whole("min", args["min"]), _whole("max", args["max"])
    ctx.draw(8, "security.random_number")
    if not -MAX_RANDOM_BOUND <= low <= high <= MAX_RANDOM_BOUND:
        raise ValueError(f"min must not be above max, both within ±2^53; got {low} and {high}")
    return low + secrets.randbelow(high - low + 1)


def _random_bytes(args: dict[str, Any], subject: str | None, ctx: Context) -> Binary:
    """``length`` random bytes (utilities.md: `security.random_bytes { length = 32 }`).

    Xano returns binary (xano-inc/cli skill security-random-bytes, line 26), which a JSON
    response cannot hold: the value is a :class:`Binary` (``base64_encode``, ``bin2hex``,
    ``strlen`` and ``security.encrypt`` use its bytes), shown as lowercase hex (what Xano's
    `bin2hex` filter would make of it) with the run warning :data:`~xsk_nb.xanoscript.binary.
    SHOWN_AS_HEX` wherever it is shown, and it is key material, masked like a key."""
    length = _whole("length", args["length"])
    if not 1 <= length <= MAX_RANDOM_BYTES:
        raise ValueError(f"length must be from 1 to {MAX_RANDOM_BYTES} bytes; got {length}")
    ctx.draw(length, "security.random_bytes")
    data = secrets.token_bytes(length)
    text = ctx.secrets.add(data.hex())  # key material, whatever its length
    return Binary(data, text.how, text.source, root=True)


def _cipher_args(args: dict[str, Any], ctx: Context) -> tuple[Any, ...]:
    _record_key(args["key"], ctx.secrets)
    return args["data"], args["algorithm"], args["key"], args["iv"], ctx.warn


def _encrypt(args: dict[str, Any], subject: str | None, ctx: Context) -> Binary:
    """AES-CBC as Xano's tested example (xano-inc/cli skill security-encrypt, lines 60-74;
    :mod:`~xsk_nb.xanoscript.cipher`)."""
    return cipher.encrypt(*_cipher_args(args, ctx))


def _decrypt(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """The inverse of :func:`_encrypt` (skill security-decrypt, lines 51-65)."""
    return cipher.decrypt(*_cipher_args(args, ctx))


def _jwe_encode(args: dict[str, Any], subject: str | None, ctx: Context) -> str:
    """A compact JWE (skill security-jwe-encode, lines 13-20; :mod:`~xsk_nb.xanoscript.jwe`)."""
    _record_key(args["key"], ctx.secrets)
    return jwe.jwe_encode(
        args["claims"],
        args["key"],
        args["key_algorithm"],
        args["content_algorithm"],
        headers=args["headers"],
        ttl=args["ttl"],
        now=ctx.now,
        warn=ctx.warn,
        draw=ctx.draw,
    )


def _jwe_decode(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """The claims of a compact JWE (skill security-jwe-decode, lines 13-35)."""
    _record_key(args["key"], ctx.secrets)
    return jwe.jwe_decode(
        args["token"],
        args["key"],
        args["key_algorithm"],
        args["content_algorithm"],
        timeDrift=args.get("timeDrift", 0),
        check_claims=args.get("check_claims"),
        now=ctx.now,
        warn=ctx.warn,
    )


PASSWORD_SYMBOLS = "!@#$%^&*()-_=+[]{};:,.<>?/~"


def _create_password(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """A random password (utilities.md, "Random Generation": `security.create_password {
    character_count = 16 require_lowercase = true require_uppercase = true require_digit =
    true require_symbol = true }`; docs.xano.com's Security page adds symbol_whitelist)."""
    count = _whole("character_count", args["character_count"])
    if not 4 <= count <= MAX_PASSWORD_CHARS:
        raise ValueError(f"character_count must be from 4 to {MAX_PASSWORD_CHARS}; got {count}")
    for flag in ("require_lowercase", "require_uppercase", "require_digit", "require_symbol"):
        if not isinstance(args.get(flag, False), bool):
            raise TypeError(f"{flag} must be true or false")
    symbols = args.get("symbol_whitelist", PASSWORD_SYMBOLS)
    if not isinstance(symbols, str) or not symbols or not symbols.isascii():
        raise ValueError("symbol_whitelist must be a non-empty text of ASCII symbols")
    classes = {
        "require_lowercase": "abcdefghijklmnopqrstuvwxyz",
        "require_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "require_digit": "0123456789",
        "require_symbol": symbols,
    }
    ctx.draw(count, "security.create_password")
    required = [chars for flag, chars in classes.items() if args.get(flag, False)]
    alphabet = "".join(required) or "".join(list(classes.values())[:3])
    # one of each required class, the rest from the whole alphabet, then shuffled: every
    # character is drawn with secrets (the shuffle too), so no position is predictable
    chosen = [secrets.choice(chars) for chars in required]
    chosen += [secrets.choice(alphabet) for _ in range(count - len(chosen))]
    for index in range(len(chosen) - 1, 0, -1):  # Fisher-Yates with secrets.randbelow
        other = secrets.randbelow(index + 1)
        chosen[index], chosen[other] = chosen[other], chosen[index]
    return ctx.secrets.add("".join(chosen))


def _debug_log(args: dict[str, Any], subject: str | None, ctx: Context) -> None:
    """Xano's debug.log (essentials.md: `debug.log { value = $item.name }`) writes to the
    debugger; here the value joins the run's notes, masked like every other output."""
    ctx.log(args["value"])


#: Xano's methods for ``api.request`` (xano-inc/cli@eb4d11d api-request/SKILL.md, "Parameters").
API_REQUEST_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")

#: Why ``api.request`` fails in every cell, and how Xano fails the same way: it throws only when
#: the request cannot be made (xano-inc/cli@eb4d11d try-catch/SKILL.md line 301, "It only
#: throws on network failures or timeouts"), so a cell's ``try_catch`` fallback runs as in Xano.
API_REQUEST_NOT_SENT = (
    "the request was not sent: this kit sends no network requests from a cell (a key in a "
    "header or URL would leave the notebook), so it fails as an unreachable host does in Xano, "
    "which throws only on network failures and timeouts; a try_catch around it runs its catch, "
    "and to call a real API use urllib.request in Python"
)


def _api_request(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    """Xano's api.request, checked as Xano documents its arguments, then failed as a request
    that cannot reach its host (:data:`API_REQUEST_NOT_SENT`): nothing leaves the notebook."""
    if not isinstance(args["url"], str):
        raise TypeError("url must be text, the full URL to request")
    method = args["method"]
    if method not in API_REQUEST_METHODS:
        raise ValueError(f"method must be {one_of(API_REQUEST_METHODS)}")
    raise ValueError(API_REQUEST_NOT_SENT)


_DB_READS = (
    "the notebook database runs db.add, db.get, db.has, db.edit, db.patch, db.del and "
    "db.query; use db.get, then db.edit or db.add"
)

#: Functions of Xano's this kit does not run, and what to use here instead.
NOT_RUN_HERE: dict[str, str] = {
    "db.add_or_edit": _DB_READS,
    "security.create_auth_token": (
        "it needs a Xano table with authentication enabled; use security.jws_encode to sign "
        "a token instead"
    ),
    "security.check_password": (
        "it checks Xano's stored password hashes, which exist only in Xano; use "
        "hmac.compare_digest in Python to compare secrets"
    ),
    "security.create_rsa_key": (
        "use security.create_curve_key for a public-key pair, or security.create_secret_key "
        "with HS256/384/512"
    ),
}


STATEMENTS: dict[str, StatementSpec] = {
    "security.create_secret_key": StatementSpec(_create_secret_key, ("bits", "format")),
    "security.create_curve_key": StatementSpec(_create_curve_key, ("curve", "format")),
    "security.jws_encode": StatementSpec(
        _jws_encode, ("claims", "key", "signature_algorithm"), ("headers", "ttl")
    ),
    "security.jws_decode": StatementSpec(
        _jws_decode, ("token", "key", "signature_algorithm"), ("timeDrift", "check_claims")
    ),
    "security.create_uuid": StatementSpec(_create_uuid, ()),
    "security.random_number": StatementSpec(_random_number, ("min", "max")),
    "security.random_bytes": StatementSpec(_random_bytes, ("length",)),
    "security.encrypt": StatementSpec(_encrypt, ("data", "algorithm", "key", "iv")),
    "security.decrypt": StatementSpec(_decrypt, ("data", "algorithm", "key", "iv")),
    # every argument of jwe_encode is "Required: Yes" (skill security-jwe-encode, lines 27-32)
    "security.jwe_encode": StatementSpec(
        _jwe_encode, ("headers", "claims", "key", "key_algorithm", "content_algorithm", "ttl")
    ),
    "security.jwe_decode": StatementSpec(
        _jwe_decode,
        ("token", "key", "key_algorithm", "content_algorithm"),
        ("timeDrift", "check_claims"),
    ),
    "security.create_password": StatementSpec(
        _create_password,
        ("character_count",),
        (
            "require_lowercase",
            "require_uppercase",
            "require_digit",
            "require_symbol",
            "symbol_whitelist",
        ),
    ),
    "db.add": StatementSpec(_db_add, ("data",), takes_subject=True, needs_target=False),
    "db.get": StatementSpec(_db_get, ("field_name", "field_value"), takes_subject=True),
    "db.has": StatementSpec(_db_has, ("field_name", "field_value"), takes_subject=True),
    "db.edit": StatementSpec(
        _db_edit, ("field_name", "field_value", "data"), takes_subject=True, needs_target=False
    ),
    "db.patch": StatementSpec(
        _db_edit, ("field_name", "field_value", "data"), takes_subject=True, needs_target=False
    ),
    "db.del": StatementSpec(
        _db_del, ("field_name", "field_value"), takes_subject=True, needs_target=False
    ),
    "debug.log": StatementSpec(_debug_log, ("value",), needs_target=False),
    "api.request": StatementSpec(
        _api_request, ("url", "method"), ("params", "headers", "timeout"), needs_target=False
    ),
}
