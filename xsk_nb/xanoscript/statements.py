"""The functions a cell can call, what arguments each takes, and what each does.

Each handler gets the evaluated arguments and the run's context, records any key material it
meets in the run's :class:`SecretBook` before it can reach a message, and returns the value
bound by ``as $name``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xsk_nb.keygen import create_secret_key
from xsk_nb.xanoscript import jose
from xsk_nb.xanoscript.db import NotebookDatabase
from xsk_nb.xanoscript.redaction import SecretBook


@dataclass
class Context:
    secrets: SecretBook
    db: NotebookDatabase
    now: float | None = None  # seconds since the epoch for the JWS functions; None: the clock


@dataclass(frozen=True)
class StatementSpec:
    handler: Callable[[dict[str, Any], str | None, Context], Any]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    takes_subject: bool = False  # db.add "table" { ... }

    @property
    def usage(self) -> str:
        names = [*self.required, *(f"{name} (optional)" for name in self.optional)]
        return ", ".join(names)


def _record_key(key: Any, secrets: SecretBook) -> None:
    if isinstance(key, str):
        secrets.add(key)
    secrets.add_jwks_in(key)


def _create_secret_key(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    jwk = create_secret_key(args["bits"], args["format"])
    ctx.secrets.add(jwk["k"])
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
    )


def _db_add(args: dict[str, Any], subject: str | None, ctx: Context) -> Any:
    assert subject is not None  # checked before the run
    row = ctx.db.add(subject, args["data"])
    ctx.db.secrets.update(ctx.secrets)
    return row


STATEMENTS: dict[str, StatementSpec] = {
    "security.create_secret_key": StatementSpec(_create_secret_key, ("bits", "format")),
    "security.jws_encode": StatementSpec(
        _jws_encode, ("claims", "key", "signature_algorithm"), ("headers", "ttl")
    ),
    "security.jws_decode": StatementSpec(
        _jws_decode, ("token", "key", "signature_algorithm"), ("timeDrift", "check_claims")
    ),
    "db.add": StatementSpec(_db_add, ("data",), takes_subject=True),
}
