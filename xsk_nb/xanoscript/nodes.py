"""The small syntax tree the parser builds and the interpreter walks (plain dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Literal:
    value: Any  # str, int, float, bool or None


@dataclass(frozen=True)
class Now:
    """The ``now`` keyword: the current time as a timestamp in milliseconds."""


@dataclass(frozen=True)
class Variable:
    """``$name.path.to.field``; ``$input`` and ``$env`` are variables too."""

    name: str
    path: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "$" + ".".join((self.name, *self.path))


@dataclass(frozen=True)
class ObjectLiteral:
    items: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class ArrayLiteral:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Filter:
    name: str
    args: tuple[Expr, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Filtered:
    """``value|filter:arg|filter...``"""

    value: Expr
    filters: tuple[Filter, ...]


Expr = Literal | Now | Variable | ObjectLiteral | ArrayLiteral | Filtered


@dataclass(frozen=True)
class Argument:
    name: str
    value: Expr
    line: int
    column: int


@dataclass(frozen=True)
class Statement:
    """``ns.fn ["subject"] { name = value ... } [as $var]``"""

    function: str
    subject: str | None
    arguments: tuple[Argument, ...]
    target: str | None
    line: int
    column: int


@dataclass(frozen=True)
class InputDecl:
    """``type name[?][=default] [{ description = "..." }]``"""

    type: str
    name: str
    optional: bool
    default: Expr | None
    description: str | None
    line: int
    column: int


@dataclass(frozen=True)
class Script:
    """A parsed cell: a ``query`` block (``name`` set) or bare stack statements."""

    statements: tuple[Statement, ...]
    response: Expr | None
    inputs: tuple[InputDecl, ...] = field(default=())
    name: str | None = None
    verb: str | None = None
    response_line: int = 0
