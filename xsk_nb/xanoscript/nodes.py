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
    """``$name``; ``$input`` and ``$env`` are variables too (``$var.x`` is ``$x``)."""

    name: str
    line: int = 0

    @property
    def text(self) -> str:
        return "$" + self.name


@dataclass(frozen=True)
class Field:
    """``value.name`` (also ``value."name"``)."""

    value: Expr
    name: str

    @property
    def text(self) -> str:
        return f"{_text(self.value)}.{self.name}"


@dataclass(frozen=True)
class Index:
    """``value[index]``: an array item by position or an object member by name."""

    value: Expr
    index: Expr

    @property
    def text(self) -> str:
        return f"{_text(self.value)}[...]"


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
    """``value|filter:arg``"""

    value: Expr
    filter: Filter


@dataclass(frozen=True)
class Binary:
    """``left op right`` for the arithmetic, comparison, logical, ``~`` and ``??`` operators."""

    op: str
    left: Expr
    right: Expr
    line: int


@dataclass(frozen=True)
class Unary:
    """``!value`` or ``-value``."""

    op: str
    operand: Expr
    line: int


@dataclass(frozen=True)
class Ternary:
    """``condition ? then : otherwise``."""

    condition: Expr
    then: Expr
    otherwise: Expr


Expr = (
    Literal
    | Now
    | Variable
    | Field
    | Index
    | ObjectLiteral
    | ArrayLiteral
    | Filtered
    | Binary
    | Unary
    | Ternary
)


def _text(expr: Expr) -> str:
    return getattr(expr, "text", "(value)")


def children(expr: Expr) -> tuple[Expr, ...]:
    """The expressions directly inside ``expr``."""
    if isinstance(expr, (Field,)):
        return (expr.value,)
    if isinstance(expr, Index):
        return (expr.value, expr.index)
    if isinstance(expr, ObjectLiteral):
        return tuple(value for _, value in expr.items)
    if isinstance(expr, ArrayLiteral):
        return expr.items
    if isinstance(expr, Filtered):
        return (expr.value, *expr.filter.args)
    if isinstance(expr, Binary):
        return (expr.left, expr.right)
    if isinstance(expr, Unary):
        return (expr.operand,)
    if isinstance(expr, Ternary):
        return (expr.condition, expr.then, expr.otherwise)
    return ()


@dataclass(frozen=True)
class Argument:
    name: str
    value: Expr
    line: int
    column: int


@dataclass(frozen=True)
class Statement:
    """``ns.fn ["subject"] [{ name = value ... }] [as $var]``"""

    function: str
    subject: str | None
    arguments: tuple[Argument, ...]
    target: str | None
    line: int
    column: int
    variable: str | None = None  # `math.add $x { ... }`: the variable changed in place


@dataclass(frozen=True)
class VarDecl:
    """``var $name { value = ... }`` (``update`` for ``var.update``)."""

    name: str
    value: Expr
    update: bool
    line: int
    column: int
    path: tuple[str, ...] = ()  # `var.update $x.a.b { ... }` sets inside $x


@dataclass(frozen=True)
class Conditional:
    """``conditional { if (c) {...} elseif (c) {...} else {...} }``; else has condition None."""

    branches: tuple[tuple[Expr | None, tuple[Step, ...]], ...]
    line: int
    column: int


@dataclass(frozen=True)
class Loop:
    """``foreach (list)``, ``for (n)`` or ``while (condition)`` with its ``each`` block."""

    kind: str  # "foreach", "for" or "while"
    over: Expr
    target: str | None
    body: tuple[Step, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Precondition:
    """``precondition (condition) { error_type = "..." error = "..." }``"""

    condition: Expr
    arguments: tuple[Argument, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Switch:
    """``switch (value) { case (v) { ... } break ... default { ... } }``"""

    value: Expr
    cases: tuple[tuple[Expr, tuple[Step, ...]], ...]
    default: tuple[Step, ...] | None
    line: int
    column: int


@dataclass(frozen=True)
class TryCatch:
    """``try_catch { try { ... } catch { ... } finally { ... } }``"""

    body: tuple[Step, ...]
    handler: tuple[Step, ...]
    final: tuple[Step, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Return:
    """``return { value = ... }``: stop the stack and answer with the value."""

    value: Expr
    line: int
    column: int


@dataclass(frozen=True)
class Throw:
    """``throw { name = "..." value = "..." }``"""

    name: Expr
    value: Expr
    line: int
    column: int


Step = Statement | VarDecl | Conditional | Loop | Precondition | Switch | TryCatch | Return | Throw


@dataclass(frozen=True)
class InputDecl:
    """``type name[?][=default] [filters=a|b] [{ description = "..." }]``"""

    type: str
    name: str
    optional: bool
    default: Expr | None
    description: str | None
    line: int
    column: int
    filters: tuple[Filter, ...] = ()
    is_list: bool = False  # `text[] tags`: an array of the type


@dataclass(frozen=True)
class Script:
    """A query block, a function block, or a cell of bare stack statements (``name`` None)."""

    statements: tuple[Step, ...]
    response: Expr | None
    inputs: tuple[InputDecl, ...] = field(default=())
    name: str | None = None
    verb: str | None = None
    response_line: int = 0
    description: str | None = None
    functions: tuple[Script, ...] = ()  # the cell's `function "name" { ... }` blocks
    notes: tuple[tuple[int, str], ...] = ()  # (line, text): how the parser read the cell
