"""Parse a cell with the lark grammar in ``grammar.lark`` into the small tree of :mod:`nodes`.

lark is imported on first use. Every failure is a :class:`XanoScriptSyntaxError` that names the
line and column, shows the line with a caret and says what was expected.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from xsk_nb.xanoscript.errors import XanoScriptSyntaxError, caret_excerpt
from xsk_nb.xanoscript.inputs import INPUT_TYPES
from xsk_nb.xanoscript.nodes import (
    Argument,
    ArrayLiteral,
    Expr,
    Filter,
    Filtered,
    InputDecl,
    Literal,
    Now,
    ObjectLiteral,
    Script,
    Statement,
    Variable,
)

if TYPE_CHECKING:
    from lark import Lark

MAX_CELL_CHARS = 100_000
MAX_NESTING = 32
VERBS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
_MAX_NUMBER_CHARS = 24

#: How the expected-token list names the grammar's pattern terminals.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "VAR": "a $variable",
    "NUMBER": "a number",
    "DQ_STRING": "a string",
    "SQ_STRING": "a string",
    "$END": "the end of the cell",
}


@functools.cache
def _lark() -> Lark:
    from lark import Lark

    grammar = resources.files("xsk_nb.xanoscript").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse(source: str) -> Script:
    """The :class:`Script` in ``source``; :class:`XanoScriptSyntaxError` if it is not one."""
    _check_size(source)
    from lark.exceptions import UnexpectedInput, VisitError

    try:
        tree = _lark().parse(source)
    except UnexpectedInput as error:
        raise _syntax_error(source, error) from None
    try:
        return _transformer_class()(source).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, XanoScriptSyntaxError):
            raise error.orig_exc from None
        raise


def _check_size(source: str) -> None:
    """Refuse cells too big or too deeply nested to be a teaching example."""
    if len(source) > MAX_CELL_CHARS:
        raise XanoScriptSyntaxError(
            f"the cell has {len(source):,} characters; the limit is {MAX_CELL_CHARS:,}"
        )
    depth, quote, escaped = 0, "", False
    for char in source:  # brackets outside strings; strings cannot hold a newline
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in (quote, "\n"):
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
            if depth > MAX_NESTING:
                raise XanoScriptSyntaxError(
                    f"the cell nests {{ and [ more than {MAX_NESTING} levels deep; that is refused"
                )
        elif char in "}]":
            depth -= 1


def _syntax_error(source: str, error: Any) -> XanoScriptSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF

    line, column = error.line, error.column
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or line < 1 or (token is not None and token.type == "$END"):
        lines = source.rstrip().splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    expected = _describe_expected(getattr(error, "expected", None) or getattr(error, "allowed", ()))
    if isinstance(error, UnexpectedCharacters):
        if source.startswith("//", error.pos_in_stream):
            what = (
                "a // comment must be on a line of its own; "
                "move it above the statement (XanoScript has no end-of-line comments)"
            )
        elif source[error.pos_in_stream] in "\"'":
            what = "this string is not closed on its line (a closing quote is missing)"
        else:
            what = f"unexpected character {source[error.pos_in_stream]!r}"
            what += f"; expected {expected}" if expected else ""
    elif token is None or token.type == "$END":
        what = "the cell ended too early"
        if "'}'" in expected:
            what += ": a { is not closed (a } is missing)"
        what += f"; expected {expected}"
    else:
        what = f"unexpected {_token_text(token)}"
        if str(token) == "}":
            what += " (is there one } too many?)"
        what += f"; expected {expected}"
    message = f"line {line}, column {column}: {what}\n{caret_excerpt(source, line, column)}"
    return XanoScriptSyntaxError(message, line, column)


def _describe_expected(terminals: Any) -> str:
    lark = _lark()
    names: set[str] = set()
    for terminal in terminals:
        if terminal in _TERMINAL_NAMES:
            names.add(_TERMINAL_NAMES[terminal])
            continue
        try:
            pattern = lark.get_terminal(terminal).pattern
        except KeyError:
            continue
        if pattern.type == "str":
            names.add(repr(pattern.value))
    ordered = sorted(names, key=lambda n: (not n.startswith("'"), n))
    if len(ordered) > 1:
        return ", ".join(ordered[:-1]) + " or " + ordered[-1]
    return ordered[0] if ordered else ""


def _token_text(token: Any) -> str:
    text = str(token)
    if token.type in ("DQ_STRING", "SQ_STRING"):
        return "a string"
    if token.type == "NUMBER":
        return f"number {text[:12]}"
    return repr(text if len(text) <= 30 else text[:27] + "...")


def _error_at(token: Any, source: str, message: str) -> XanoScriptSyntaxError:
    line, column = token.line, token.column
    text = f"line {line}, column {column}: {message}\n{caret_excerpt(source, line, column)}"
    return XanoScriptSyntaxError(text, line, column)


def _string(token: Any, source: str) -> str:
    text = str(token)
    if token.type == "SQ_STRING":
        inner = text[1:-1].replace("\\'", "'").replace('"', '\\"')
        text = f'"{inner}"'
    try:
        return json.loads(text)
    except ValueError:
        raise _error_at(
            token,
            source,
            'this string has an escape that is not \\" \\\\ \\n \\t \\u0041 or another JSON escape',
        ) from None


@functools.cache
def _transformer_class() -> type:
    from lark import Token, Transformer, v_args

    class ToNodes(Transformer):
        def __init__(self, source: str) -> None:
            super().__init__()
            self.source = source

        # values
        def DQ_STRING(self, token: Token) -> Literal:  # lark calls it by terminal name
            return Literal(_string(token, self.source))

        SQ_STRING = DQ_STRING

        def number(self, children: list[Token]) -> Literal:
            (token,) = children
            text = str(token)
            if len(text) > _MAX_NUMBER_CHARS:
                raise _error_at(
                    token,
                    self.source,
                    f"this number has {len(text)} characters; "
                    f"numbers are limited to {_MAX_NUMBER_CHARS}",
                )
            if any(c in text for c in ".eE"):
                return Literal(float(text))
            return Literal(int(text))

        def true(self, _: list) -> Literal:
            return Literal(True)

        def false(self, _: list) -> Literal:
            return Literal(False)

        def null(self, _: list) -> Literal:
            return Literal(None)

        def now(self, _: list) -> Now:
            return Now()

        def variable(self, children: list[Any]) -> Variable:
            head, *path = children
            return Variable(str(head)[1:], tuple(_key(p) for p in path))

        def object(self, children: list[tuple[str, Expr]]) -> ObjectLiteral:
            return ObjectLiteral(tuple(children))

        def pair(self, children: list[Any]) -> tuple[str, Expr]:
            key, value = children
            return (_key(key), value)

        def array(self, children: list[Expr]) -> ArrayLiteral:
            return ArrayLiteral(tuple(children))

        def filter(self, children: list[Any]) -> Filter:
            name, *args = children
            return Filter(str(name), tuple(args), name.line, name.column)

        def filtered(self, children: list[Any]) -> Filtered:
            value, *filters = children
            return Filtered(value, tuple(filters))

        # statements
        def argument(self, children: list[Any]) -> Argument:
            name, value = children
            return Argument(str(name), value, name.line, name.column)

        def arguments(self, children: list[Argument]) -> tuple[Argument, ...]:
            return self._unique(children, "{} is given twice")

        attributes = arguments

        def function(self, children: list[Token]) -> Token:
            first = children[0]
            return Token(
                "FUNCTION", ".".join(map(str, children)), line=first.line, column=first.column
            )

        def as_var(self, children: list[Token]) -> str:
            return str(children[0])[1:]

        def statement(self, children: list[Any]) -> Statement:
            function, *rest = children
            subject: str | None = None
            arguments: tuple[Argument, ...] = ()
            target: str | None = None
            for child in rest:
                if isinstance(child, tuple):
                    arguments = child
                elif isinstance(child, Literal):
                    subject = child.value
                elif isinstance(child, Token):  # a bare table name
                    subject = str(child)
                else:
                    target = child
            return Statement(
                str(function), subject, arguments, target, function.line, function.column
            )

        @v_args(meta=True)
        def response(self, meta: Any, children: list[Any]) -> tuple[str, Expr, int]:
            return ("response", children[0], meta.line)

        def stack_block(self, children: list[Statement]) -> list[Statement]:
            return children

        # inputs
        def optional(self, children: list[Expr]) -> tuple[str, Expr | None]:
            return ("optional", children[0] if children else None)

        def input_decl(self, children: list[Any]) -> InputDecl:
            type_token, name, *rest = children
            if str(type_token) not in INPUT_TYPES:
                raise _error_at(
                    type_token,
                    self.source,
                    f"unknown input type {str(type_token)!r}; use "
                    f"{', '.join(INPUT_TYPES[:-1])} or {INPUT_TYPES[-1]}",
                )
            optional, default, description = False, None, None
            for child in rest:
                if isinstance(child, tuple) and child and child[0] == "optional":
                    optional, default = True, child[1]
                else:
                    for attribute in child:
                        if attribute.name != "description" or not isinstance(
                            attribute.value, Literal
                        ):
                            raise _error_at(
                                _Pos(attribute),
                                self.source,
                                'an input\'s { } block holds only description = "..."',
                            )
                        description = str(attribute.value.value)
            return InputDecl(
                str(type_token),
                str(name),
                optional,
                default,
                description,
                type_token.line,
                type_token.column,
            )

        def input_block(self, children: list[InputDecl]) -> tuple[InputDecl, ...]:
            return self._unique(children, "input {} is declared twice")

        def _unique(self, items: list[Any], message: str) -> tuple[Any, ...]:
            """``items`` as a tuple; a name given twice is an error at its second place."""
            seen: set[str] = set()
            for item in items:
                if item.name in seen:
                    raise _error_at(_Pos(item), self.source, message.format(item.name))
                seen.add(item.name)
            return tuple(items)

        def query(self, children: list[Any]) -> Script:
            name, verb, *parts = children
            if str(verb) not in VERBS:
                raise _error_at(
                    verb, self.source, f"verb must be one of {', '.join(VERBS)}; got {str(verb)!r}"
                )
            inputs: tuple[InputDecl, ...] = ()
            statements: list[Statement] = []
            response: Expr | None = None
            response_line = 0
            for part in parts:
                if isinstance(part, tuple) and part and part[0] == "response":
                    _, response, response_line = part
                elif isinstance(part, tuple):
                    inputs = part
                else:
                    statements = part
            return Script(tuple(statements), response, inputs, name.value, str(verb), response_line)

        def bare(self, children: list[Any]) -> Script:
            statements = [c for c in children if isinstance(c, Statement)]
            responses = [c for c in children if isinstance(c, tuple)]
            if not responses:
                return Script(tuple(statements), None)
            _, response, line = responses[0]
            return Script(tuple(statements), response, response_line=line)

        def start(self, children: list[Script]) -> Script:
            return children[0]

    return ToNodes


class _Pos:
    """Adapts a node with ``line``/``column`` to what :func:`_error_at` reads."""

    def __init__(self, node: Any) -> None:
        self.line, self.column = node.line, node.column


def _key(child: Any) -> str:
    return child.value if isinstance(child, Literal) else str(child)
