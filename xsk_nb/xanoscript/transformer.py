"""The lark transformer from a parse tree of ``grammar.lark`` to the dataclasses of :mod:`nodes`.

Its own module because it imports lark at module level: :mod:`parser` imports it on the first
parse, so ``import xsk_nb.xanoscript`` stays free of lark.
"""

from __future__ import annotations

import json
from typing import Any

from lark import Token, Transformer, v_args

from xsk_nb.xanoscript.errors import XanoScriptSyntaxError, caret_excerpt
from xsk_nb.xanoscript.filters import HIGHER_ORDER
from xsk_nb.xanoscript.inputs import INPUT_TYPES
from xsk_nb.xanoscript.limits import MAX_EXPR_DEPTH, MAX_NUMBER_CHARS
from xsk_nb.xanoscript.nodes import (
    Argument,
    ArrayLiteral,
    Binary,
    Conditional,
    Expr,
    Field,
    Filter,
    Filtered,
    Index,
    InputDecl,
    Literal,
    Loop,
    Now,
    ObjectLiteral,
    Precondition,
    Return,
    Script,
    Statement,
    Switch,
    Ternary,
    Throw,
    TryCatch,
    Unary,
    VarDecl,
    Variable,
    children,
)

VERBS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Type names from other languages and XanoScript's own (essentials.md, "Type Names").
_TYPE_ALIASES = {"integer": "int", "string": "text", "boolean": "bool", "float": "decimal"}


def _position(value: int | None) -> int:
    """A lark line or column as an int. lark types ``Token.line``/``.column`` Optional (a token
    built by hand may have none); the lexer's tokens always carry them. None becomes 0, which the
    nodes use for "no place" (``Variable.line``'s default, ``Script.response_line``)."""
    return 0 if value is None else value


def error_at(token: Any, source: str, message: str) -> XanoScriptSyntaxError:
    """A syntax error at ``token`` (anything with ``line`` and ``column``)."""
    line, column = token.line, token.column
    return XanoScriptSyntaxError(message, line, column, caret_excerpt(source, line, column))


def _string(token: Token, source: str) -> str:
    text = str(token)
    if token.type == "SQ_STRING":
        inner = text[1:-1].replace("\\'", "'").replace('"', '\\"')
        text = f'"{inner}"'
    try:
        value = json.loads(text)
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise error_at(
            token,
            source,
            "this string holds half of a UTF-16 surrogate pair (like \\ud800 alone); "
            "that is not text",
        ) from None
    except ValueError:
        raise error_at(
            token,
            source,
            'this string has an escape that is not \\" \\\\ \\n \\t \\u0041 or another JSON escape',
        ) from None
    return value


def _key(child: Any) -> str:
    return child.value if isinstance(child, Literal) else str(child)


class _Part:
    """A tagged part of a query or function block, before the block puts them in place."""

    def __init__(self, kind: str, value: Any, line: int, column: int) -> None:
        self.kind, self.value, self.line, self.column = kind, value, line, column


@v_args(inline=True)
class ToNodes(Transformer):
    """Builds nodes bottom-up; refusals found here are :class:`XanoScriptSyntaxError`."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self._depths: dict[int, int] = {}  # id(node) -> how deeply it nests
        self._nodes: list[Any] = []  # keeps the nodes alive, so their ids stay unique
        self._parenthesised: set[int] = set()  # id(expr) written inside ( ) or ` `
        self.notes: list[tuple[int, str]] = []  # (line, text) for the run's warnings

    # ---- expressions -----------------------------------------------------------------
    def _nested(self, node: Any, token: Any) -> Any:
        """``node``, refused if its expression tree nests deeper than MAX_EXPR_DEPTH."""
        depth = 1 + max((self._depths.get(id(c), 1) for c in children(node)), default=0)
        if depth > MAX_EXPR_DEPTH:
            raise error_at(
                token,
                self.source,
                f"this expression nests more than {MAX_EXPR_DEPTH} levels deep; "
                "split it into several var statements",
            )
        self._depths[id(node)] = depth
        self._nodes.append(node)
        return node

    def DQ_STRING(self, token: Token) -> Literal:  # lark calls it by terminal name
        return Literal(_string(token, self.source))

    SQ_STRING = DQ_STRING

    def number(self, token: Token) -> Literal:
        text = str(token)
        if len(text) > MAX_NUMBER_CHARS:
            raise error_at(
                token,
                self.source,
                f"this number has {len(text)} characters; numbers are limited to "
                f"{MAX_NUMBER_CHARS}",
            )
        return Literal(float(text) if any(c in text for c in ".eE") else int(text))

    def true(self) -> Literal:
        return Literal(True)

    def false(self) -> Literal:
        return Literal(False)

    def null(self) -> Literal:
        return Literal(None)

    def now(self) -> Now:
        return Now()

    def variable(self, token: Token) -> Variable:
        name = str(token)[1:]
        # `$this` is an alias of `$$`, the element (xano-developer-mcp array-filters.md,
        # "Expression-Based Filters"): one name, "$", from here on
        return Variable("$" if name == "this" else name, _position(token.line))

    def field(self, value: Expr, name: Any) -> Expr:
        if isinstance(value, Variable) and value.name == "var":  # $var.x is $x (essentials.md)
            return Variable(_key(name), value.line)
        return self._nested(Field(value, _key(name)), value_token(name))

    def index(self, value: Expr, index: Expr) -> Index:
        return self._nested(Index(value, index), _Anywhere())

    def object(self, *pairs: tuple[str, Expr]) -> ObjectLiteral:
        return self._nested(ObjectLiteral(tuple(pairs)), _Anywhere())

    def key_word(self, token: Token) -> Token:
        return token

    def dotted_name(self, *names: Token) -> Token:
        first = names[0]
        return Token("NAME", ".".join(map(str, names)), line=first.line, column=first.column)

    def pair(self, key: Any, value: Expr) -> tuple[str, Expr]:
        return (_key(key), value)

    def array(self, *items: Expr) -> ArrayLiteral:
        return self._nested(ArrayLiteral(tuple(items)), _Anywhere())

    def filter(self, name: Token, *args: Expr) -> Filter:
        return Filter(str(name), tuple(args), _position(name.line), _position(name.column))

    def filtered(self, value: Expr, item: Filter) -> Filtered:
        return self._nested(Filtered(value, item), item)

    def bare_word(self, token: Token) -> Literal:
        """A filter argument written as a bare word is text: `hmac_sha256:MY_SECRET_KEY`,
        docs.xano.com's `sort:v:text:true`."""
        return Literal(str(token))

    def paren(self, inner: Expr) -> Expr:
        self._parenthesised.add(id(inner))
        self._nodes.append(inner)
        return inner

    def binary(self, left: Expr, op: Token, right: Expr) -> Expr:
        absorbed = self._into_filter(str(op), left, right, op)
        if absorbed is not None:
            return absorbed
        return self._nested(Binary(str(op), left, right, _position(op.line)), op)

    def _operator(self, op: str, left: Expr, right: Expr) -> Expr:
        line = getattr(left, "line", 0) or getattr(right, "line", 0)
        absorbed = self._into_filter(op, left, right, _Anywhere(line))
        if absorbed is not None:
            return absorbed
        return self._nested(Binary(op, left, right, line), _Anywhere(line))

    def _into_filter(self, op: str, left: Expr, right: Expr, token: Any) -> Expr | None:
        """Xano's rule for an operator after an unparenthesised filter (xano-developer-mcp
        syntax.md, "Parentheses and Filter Precedence": "The filter `|` grabs everything to its
        right until it hits a boundary. This means `$arr|count > 3` is parsed as
        `$arr | (length > 3)` ... which is invalid"): the operator and what follows join the
        filter's last argument, as in docs.xano.com's `set_conditional:'foo':'bar':2==1+1`;
        after a filter with no argument it is refused, with the parentheses Xano advises."""
        if not isinstance(left, Filtered) or id(left) in self._parenthesised:
            return None
        item = left.filter
        if not item.args:
            raise error_at(
                item,
                self.source,
                f"in Xano a filter takes everything to its right, so `|{item.name} {op} ...` "
                f"reads `{op} ...` as the argument of {item.name}, which is invalid "
                f'(xano-developer-mcp syntax.md, "Parentheses and Filter Precedence"); '
                f"write (...|{item.name}) {op} ... to apply {op} to the filtered value",
            )
        last = self.binary_plain(op, item.args[-1], right, token)
        if item.name in HIGHER_ORDER:  # the argument is an expression by design: no note
            rebuilt = Filter(item.name, (*item.args[:-1], last), item.line, item.column)
            return self._nested(Filtered(left.value, rebuilt), item)
        self.notes.append(
            (
                item.line,
                f"`{op}` after `|{item.name}:...` is part of the filter's last argument, as "
                "Xano reads it (a filter takes everything to its right); put the filtered "
                f"value in parentheses to apply {op} to the result",
            )
        )
        rebuilt = Filter(item.name, (*item.args[:-1], last), item.line, item.column)
        return self._nested(Filtered(left.value, rebuilt), item)

    def binary_plain(self, op: str, left: Expr, right: Expr, token: Any) -> Expr:
        absorbed = self._into_filter(op, left, right, token)  # `:a|f:1 == 2` nests the rule
        if absorbed is not None:
            return absorbed
        line = getattr(token, "line", 0) or getattr(left, "line", 0)
        return self._nested(Binary(op, left, right, line), token)

    def coalesce(self, left: Expr, right: Expr) -> Expr:
        return self._operator("??", left, right)

    def or_expr(self, left: Expr, right: Expr) -> Expr:
        return self._operator("||", left, right)

    def and_expr(self, left: Expr, right: Expr) -> Expr:
        return self._operator("&&", left, right)

    def not_(self, operand: Expr) -> Unary:
        return self._nested(Unary("!", operand, getattr(operand, "line", 0)), _Anywhere())

    def negate(self, minus: Token, operand: Expr) -> Expr:
        """``-x``; a minus before a number belongs to the number, so ``-5|abs`` is 5 as in
        Xano's math reference (syntax/functions.md: ``-5|abs`` gives 5)."""
        if isinstance(operand, Literal):
            value = operand.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return Literal(-value)
        if isinstance(operand, Filtered):
            chain: list[Filter] = []
            base: Expr = operand
            while isinstance(base, Filtered):
                chain.append(base.filter)
                base = base.value
            base_value = getattr(base, "value", None)
            if isinstance(base_value, (int, float)) and not isinstance(base_value, bool):
                rebuilt: Expr = Literal(-base_value)
                for item in reversed(chain):
                    rebuilt = Filtered(rebuilt, item)
                return rebuilt
        return self._nested(Unary("-", operand, _position(minus.line)), minus)

    def ternary(self, condition: Expr, then: Expr, otherwise: Expr) -> Ternary:
        return self._nested(Ternary(condition, then, otherwise), _Anywhere())

    # ---- statements ------------------------------------------------------------------
    def argument(self, name: Token, value: Expr) -> Argument:
        return Argument(str(name), value, _position(name.line), _position(name.column))

    def arguments(self, *items: Argument) -> tuple[Argument, ...]:
        return self._unique(items, "{} is given twice")

    attributes = arguments

    def call_name(self, *names: Token) -> Token:
        first = names[0]
        return Token("FUNCTION", ".".join(map(str, names)), line=first.line, column=first.column)

    def function_call_name(self, name: Token) -> Token:
        column = max(1, _position(name.column) - 9)
        return Token("FUNCTION", f"function.{name}", line=name.line, column=column)

    def as_var(self, token: Token) -> str:
        return str(token)[1:]

    def call(self, function: Token, subject: Any, arguments: Any, target: str | None) -> Statement:
        if isinstance(subject, Literal):
            subject = subject.value
        elif subject is not None:
            subject = str(subject)  # a bare table name
        return Statement(
            str(function),
            subject,
            arguments or (),
            target,
            _position(function.line),
            _position(function.column),
        )

    def variable_call(
        self, function: Token, variable: Token, arguments: Any, target: str | None
    ) -> Statement:
        return Statement(
            str(function),
            None,
            arguments or (),
            target,
            _position(function.line),
            _position(function.column),
            variable=str(variable)[1:],
        )

    def _var(
        self,
        meta: Any,
        token: Token,
        arguments: tuple[Argument, ...],
        update: bool,
        path: tuple[str, ...] = (),
    ) -> VarDecl:
        what = "var.update" if update else "var"
        names = [argument.name for argument in arguments]
        if names != ["value"]:
            raise error_at(
                token,
                self.source,
                f"{what} {token} takes one argument, value = ...: {what} {token} {{ value = 1 }}",
            )
        # `var $name` (essentials.md) or `var name` (docs.xano.com/xanoscript/function-reference/
        # data-manipulation/variables, "Create Variable": `var variableName { value = ... }`)
        name = str(token)[1:] if str(token).startswith("$") else str(token)
        return VarDecl(name, arguments[0].value, update, meta.line, meta.column, path)

    @v_args(inline=False, meta=True)
    def var_decl(self, meta: Any, items: list[Any]) -> VarDecl:
        token, arguments = items  # `var $x { ... }`
        return self._var(meta, token, arguments, False)

    @v_args(inline=False, meta=True)
    def var_update(self, meta: Any, items: list[Any]) -> VarDecl:
        token, *path, arguments = items  # `var.update $x.a.b { ... }`
        return self._var(meta, token, arguments, True, tuple(str(p) for p in path))

    def block(self, *steps: Any) -> tuple[Any, ...]:
        return steps

    def if_branch(self, condition: Expr, body: tuple[Any, ...]) -> tuple[Expr | None, Any]:
        return (condition, body)

    elseif_branch = if_branch

    def else_branch(self, body: tuple[Any, ...]) -> tuple[Expr | None, Any]:
        return (None, body)

    @v_args(inline=False, meta=True)
    def conditional(self, meta: Any, branches: list[Any]) -> Conditional:
        return Conditional(tuple(b for b in branches if b is not None), meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def foreach(self, meta: Any, items: list[Any]) -> Loop:
        over, target, body = items
        return Loop("foreach", over, str(target)[1:], body, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def for_loop(self, meta: Any, items: list[Any]) -> Loop:
        over, target, body = items
        name = None if target is None else str(target)[1:]
        return Loop("for", over, name, body, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def while_loop(self, meta: Any, items: list[Any]) -> Loop:
        condition, body = items
        return Loop("while", condition, None, body, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def precondition(self, meta: Any, items: list[Any]) -> Precondition:
        condition, arguments = items
        return Precondition(condition, arguments or (), meta.line, meta.column)

    def case(self, value: Expr, body: tuple[Any, ...]) -> tuple[Expr, tuple[Any, ...]]:
        return (value, body)

    def default(self, body: tuple[Any, ...]) -> tuple[Any, ...]:
        return body

    @v_args(inline=False, meta=True)
    def switch(self, meta: Any, items: list[Any]) -> Switch:
        value, *cases, default = items
        return Switch(value, tuple(cases), default, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def try_catch(self, meta: Any, items: list[Any]) -> TryCatch:
        body, handler, final = items
        return TryCatch(body, handler, final or (), meta.line, meta.column)

    def _named(self, meta: Any, what: str, arguments: Any, allowed: tuple[str, ...]) -> dict:
        given = {argument.name: argument for argument in arguments}
        wrong = [name for name in given if name not in allowed]
        missing = [name for name in allowed if name not in given]
        if wrong or missing:
            usage = " ".join(f"{name} = ..." for name in allowed)
            raise error_at(meta, self.source, f"{what} takes {usage}: {what} {{ {usage} }}")
        return {name: argument.value for name, argument in given.items()}

    @v_args(inline=False, meta=True)
    def return_(self, meta: Any, items: list[Any]) -> Return:
        args = self._named(meta, "return", items[0], ("value",))
        return Return(args["value"], meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def throw(self, meta: Any, items: list[Any]) -> Throw:
        args = self._named(meta, "throw", items[0], ("name", "value"))
        return Throw(args["name"], args["value"], meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def response(self, meta: Any, items: list[Any]) -> _Part:
        return _Part("response", items[0], meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def description(self, meta: Any, items: list[Any]) -> _Part:
        value = items[0]
        if not isinstance(value, Literal) or not isinstance(value.value, str):
            raise error_at(meta, self.source, 'description takes a text: description = "..."')
        return _Part("description", value.value, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def query_attribute(self, meta: Any, items: list[Any]) -> _Part:
        """``api_group = "..."`` / ``auth = "..."`` (xano-developer-mcp apis.md): read, and
        said where they would matter, since a notebook has neither API groups nor users."""
        name, value = str(items[0]), items[2]
        if not isinstance(value, Literal) or not isinstance(value.value, str):
            raise error_at(meta, self.source, f'{name} takes a text: {name} = "..."')
        if name == "auth":
            self.notes.append(
                (
                    meta.line,
                    f'auth = "{value.value}": in Xano this query needs a signed-in user of that '
                    "table ($auth); here it runs without one, and $auth is not available",
                )
            )
        return _Part(name, value.value, meta.line, meta.column)

    @v_args(inline=False, meta=True)
    def stack_block(self, meta: Any, items: list[Any]) -> _Part:
        return _Part("stack", items[0], meta.line, meta.column)

    # ---- inputs ----------------------------------------------------------------------
    def optional(self, default: Expr | None) -> _Part:
        return _Part("optional", default, 0, 0)

    def filter_name(self, name: Token, *args: Expr) -> Filter:
        return Filter(str(name), tuple(args), _position(name.line), _position(name.column))

    def input_filters(self, *filters: Filter) -> tuple[Filter, ...]:
        return filters

    def nullable(self) -> bool:
        return True

    def list_of(self) -> bool:
        return True

    def input_decl(
        self,
        type_token: Token,
        is_list: bool | None,
        nullable: bool | None,
        name: Token,
        optional: _Part | None,
        filters: tuple[Filter, ...] | None,
        attributes: tuple[Argument, ...] | None,
    ) -> InputDecl:
        if str(type_token) not in INPUT_TYPES:
            alias = _TYPE_ALIASES.get(str(type_token))
            hint = f" (XanoScript writes {alias}, not {type_token})" if alias else ""
            raise error_at(
                type_token,
                self.source,
                f"unknown input type {str(type_token)!r}{hint}; use "
                f"{', '.join(INPUT_TYPES[:-1])} or {INPUT_TYPES[-1]}",
            )
        description = None
        for attribute in attributes or ():
            if attribute.name != "description" or not isinstance(attribute.value, Literal):
                raise error_at(
                    attribute, self.source, 'an input\'s { } block holds only description = "..."'
                )
            description = str(attribute.value.value)
        return InputDecl(
            str(type_token),
            str(name),
            optional is not None,
            None if optional is None else optional.value,
            description,
            _position(type_token.line),
            _position(type_token.column),
            filters or (),
            bool(is_list),
        )

    @v_args(inline=False, meta=True)
    def input_block(self, meta: Any, items: list[InputDecl]) -> _Part:
        return _Part(
            "input", self._unique(items, "input {} is declared twice"), meta.line, meta.column
        )

    def _unique(self, items: Any, message: str) -> tuple[Any, ...]:
        """``items`` as a tuple; a name given twice is an error at its second place."""
        seen: set[str] = set()
        for item in items:
            if item.name in seen:
                raise error_at(item, self.source, message.format(item.name))
            seen.add(item.name)
        return tuple(items)

    # ---- blocks ----------------------------------------------------------------------
    def query_name(self, name: Any) -> str:
        return name.value if isinstance(name, Literal) else str(name)

    def _block(self, kind: str, name: str, verb: str | None, parts: tuple[Any, ...]) -> Script:
        found: dict[str, _Part] = {}
        for part in parts:
            if part.kind in found:
                word = {"stack": "stack { }", "input": "input { }"}.get(part.kind, part.kind)
                raise error_at(part, self.source, f"this {kind} has {word} twice")
            found[part.kind] = part
        response = found.get("response")
        return Script(
            found["stack"].value if "stack" in found else (),
            None if response is None else response.value,
            found["input"].value if "input" in found else (),
            name,
            verb,
            0 if response is None else response.line,
            found["description"].value if "description" in found else None,
        )

    def query(self, name: str, verb: Token, *parts: _Part) -> Script:
        if str(verb) not in VERBS:
            raise error_at(
                verb, self.source, f"verb must be one of {', '.join(VERBS)}; got {str(verb)!r}"
            )
        return self._block("query", name, str(verb), parts)

    def function_def(self, name: Any, *parts: _Part) -> Script:
        # `function "name"` (functions.md) or `function name` (xano-inc/xanoscript-examples
        # helloworld/function/hello.xs)
        return self._block("function", self.query_name(name), None, parts)

    @v_args(inline=False)
    def start(self, items: list[Any]) -> Script:
        functions = [i for i in items if isinstance(i, Script) and i.verb is None]
        queries = [i for i in items if isinstance(i, Script) and i.verb is not None]
        parts = [i for i in items if isinstance(i, _Part) and i.kind != "response"]
        steps = [i for i in items if not isinstance(i, (Script, _Part))]
        responses = [i for i in items if isinstance(i, _Part) and i.kind == "response"]
        inputs: tuple[InputDecl, ...] = ()
        for part in parts:  # the parts of a query without its header
            if part.kind == "input":
                if inputs:
                    raise error_at(part, self.source, "the cell has input { } twice")
                inputs = part.value
            else:
                steps.extend(part.value)
        _check_unique_functions(functions, self.source)
        if len(queries) > 1:
            raise XanoScriptSyntaxError("the cell holds more than one query block; one per cell")
        if queries and (steps or responses or parts):
            first = min((*steps, *responses, *parts), key=lambda item: (item.line, item.column))
            raise error_at(
                first,
                self.source,
                "a cell holds either one query block or bare statements, not both; "
                "put the statements inside the query's stack { }",
            )
        if len(responses) > 1:
            second = responses[1]
            raise error_at(second, self.source, "the cell has response = twice")
        if queries:
            return _with_functions(queries[0], functions, self.notes)
        if functions and not (steps or responses or parts):
            # A cell of function blocks only (a pasted .xs function file): Xano runs a function
            # with its inputs and returns its response (xano-developer-mcp functions.md), so the
            # cell runs its one function with --input; with several, which one is unclear.
            if len(functions) > 1:
                names = ", ".join(f'"{f.name}"' for f in functions)
                raise XanoScriptSyntaxError(
                    f"the cell holds only function blocks ({names}); keep one to run it with "
                    '--input, or call one: function.run "name" { input = { ... } } as $r '
                    "then response = $r"
                )
            return _with_functions(functions[0], functions, self.notes)
        if responses and any(_line_of(step) > responses[0].line for step in steps):
            raise error_at(
                responses[0], self.source, "response = must come after the cell's statements"
            )
        response = responses[0] if responses else None
        return Script(
            tuple(steps),
            None if response is None else response.value,
            inputs,
            response_line=0 if response is None else response.line,
            functions=tuple(functions),
            notes=tuple(self.notes),
        )


class _Anywhere:
    """A place for an error without a token: line 1 column 1 unless a line is known."""

    def __init__(self, line: int = 0) -> None:
        self.line, self.column = max(line, 1), 1


def value_token(name: Any) -> Any:
    return name if hasattr(name, "line") else _Anywhere()


def _line_of(step: Any) -> int:
    return getattr(step, "line", 0)


def _check_unique_functions(functions: list[Script], source: str) -> None:
    seen: set[str | None] = set()
    for function in functions:
        if function.name in seen:
            raise XanoScriptSyntaxError(f'function "{function.name}" is defined twice in the cell')
        seen.add(function.name)


def _with_functions(
    script: Script, functions: list[Script], notes: list[tuple[int, str]]
) -> Script:
    from dataclasses import replace

    return replace(script, functions=tuple(functions), notes=tuple(notes))
