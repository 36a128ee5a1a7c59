"""Run a XanoScript cell: parse, check, bind inputs, run the stack, build the response.

Pure Python, no IPython::

    from xsk_nb.xanoscript import run
    response = run(source, {"bits": "512"})
    response.raw      # the response itself
    response          # its masked display

Everything a user can get wrong raises :class:`XanoScriptError` with one message: syntax
mistakes and unsupported names before anything runs, a failing statement with its line.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from typing import Any

from xsk_nb.xanoscript.db import NotebookDatabase
from xsk_nb.xanoscript.errors import XanoScriptError, XanoScriptRuntimeError
from xsk_nb.xanoscript.filters import apply_filter, check_filter
from xsk_nb.xanoscript.inputs import MAX_INPUTS, convert
from xsk_nb.xanoscript.nodes import (
    ArrayLiteral,
    Expr,
    Filtered,
    Literal,
    Now,
    ObjectLiteral,
    Script,
    Variable,
)
from xsk_nb.xanoscript.parser import parse
from xsk_nb.xanoscript.redaction import SecretBook
from xsk_nb.xanoscript.response import Response
from xsk_nb.xanoscript.statements import STATEMENTS, Context

_RESERVED = ("input", "env")
#: Errors a statement or filter raises for bad values; anything else is a bug and propagates.
_USER_ERRORS = (ValueError, TypeError, OverflowError, sqlite3.Error)


def run(
    source: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    db: NotebookDatabase | None = None,
    env: Mapping[str, str] | None = None,
    now: float | None = None,
) -> Response:
    """Run the cell ``source`` and return its :class:`Response`.

    ``inputs`` maps input names to values: text (as from ``--input bits=512``) is converted to
    the declared type; in a cell of bare statements ``$input.x`` is that text. ``db`` is the
    notebook database for ``db.add`` (a fresh in-memory one if None); ``env`` backs
    ``$env.NAME`` (``os.environ`` if None); ``now`` fixes the clock (seconds since the epoch)
    for ``now`` and the JWS functions, for tests.
    """
    script = parse(source)
    check(script, inputs or {})
    context = Context(SecretBook(), db if db is not None else NotebookDatabase(), now)
    runner = _Run(script, context, os.environ if env is None else env)
    runner.variables["input"] = bind_inputs(script, inputs or {}, runner)
    return runner.execute()


def check(script: Script, inputs: Mapping[str, Any]) -> None:
    """Refuse unsupported functions, arguments, filters and undefined variables before running."""
    declared = {decl.name for decl in script.inputs} if script.name else set(inputs)
    defined: list[str] = []
    for statement in script.statements:
        where = f"line {statement.line}: {statement.function}"
        spec = STATEMENTS.get(statement.function)
        if spec is None:
            raise XanoScriptError(
                f"line {statement.line}: unsupported function {statement.function!r}; this kit "
                f"runs {', '.join(STATEMENTS)}",
                statement.line,
                statement.column,
            )
        if spec.takes_subject and statement.subject is None:
            raise XanoScriptError(
                f'{where} needs a table name: {statement.function} "table" {{ ... }}',
                statement.line,
            )
        if not spec.takes_subject and statement.subject is not None:
            raise XanoScriptError(f"{where} takes no name before its {{ }}", statement.line)
        given = {argument.name for argument in statement.arguments}
        for argument in statement.arguments:
            if argument.name not in (*spec.required, *spec.optional):
                raise XanoScriptError(
                    f"line {argument.line}: {statement.function} has no argument "
                    f"{argument.name!r}; it takes {spec.usage}",
                    argument.line,
                )
        missing = [name for name in spec.required if name not in given]
        if missing:
            raise XanoScriptError(
                f"{where} needs {', '.join(missing)} = ...; it takes {spec.usage}", statement.line
            )
        for argument in statement.arguments:
            _check_expr(argument.value, argument.line, declared, defined)
        if statement.target is None:
            raise XanoScriptError(
                f"{where} needs `as $name` after its closing }} to keep its result", statement.line
            )
        if statement.target in _RESERVED:
            raise XanoScriptError(
                f"line {statement.line}: ${statement.target} is reserved; "
                "choose another name after `as`",
                statement.line,
            )
        defined.append(statement.target)
    if script.response is not None:
        _check_expr(script.response, script.response_line, declared, defined)
    for decl in script.inputs:
        if decl.default is not None:
            _check_expr(decl.default, decl.line, set(), [])


def _check_expr(expr: Expr, line: int, declared: set[str], defined: list[str]) -> None:
    for node in _nodes(expr):
        if isinstance(node, Variable):
            _check_variable(node, line, declared, defined)
        elif isinstance(node, Filtered):
            for item in node.filters:
                problem = check_filter(item.name, len(item.args))
                if problem:
                    raise XanoScriptError(f"line {item.line}: {problem}", item.line, item.column)


def _check_variable(node: Variable, line: int, declared: set[str], defined: list[str]) -> None:
    if node.name in _RESERVED:
        if not node.path:
            raise XanoScriptError(
                f"line {line}: ${node.name} needs a field, like ${node.name}.name", line
            )
        if node.name == "input" and node.path[0] not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise XanoScriptError(
                f"line {line}: $input.{node.path[0]} is not a declared input (inputs: {known}); "
                f"declare it in input {{ }}, or give it with --input {node.path[0]}=VALUE",
                line,
            )
        return
    if node.name not in defined:
        known = ", ".join(f"${name}" for name in defined) or "none yet"
        raise XanoScriptError(
            f"line {line}: ${node.name} is not defined here; variables defined so far: {known}",
            line,
        )


def _nodes(expr: Expr) -> Iterator[Any]:
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ObjectLiteral):
            stack.extend(value for _, value in node.items)
        elif isinstance(node, ArrayLiteral):
            stack.extend(node.items)
        elif isinstance(node, Filtered):
            stack.append(node.value)
            for item in node.filters:
                stack.extend(item.args)


def bind_inputs(script: Script, given: Mapping[str, Any], runner: _Run) -> dict[str, Any]:
    """The ``$input`` object: declared inputs from ``given`` or their defaults, type-checked."""
    if len(given) > MAX_INPUTS:
        raise XanoScriptError(f"{len(given)} inputs given; the limit is {MAX_INPUTS}")
    if not script.name:  # bare statements: inputs are the text given
        bound = dict(given)
    else:
        declared = {decl.name: decl for decl in script.inputs}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            names = ", ".join(declared) or "none"
            raise XanoScriptError(
                f"input {unknown[0]} is not declared by the query; its inputs: {names}"
            )
        bound = {}
        for name, decl in declared.items():
            if name in given:
                value = given[name]
            elif decl.default is not None:
                value = runner.evaluate(decl.default, decl.line)
            elif decl.optional:
                value = None
            else:
                raise XanoScriptError(
                    f"input {name} ({decl.type}) is required: give it with --input {name}=VALUE",
                    decl.line,
                )
            try:
                bound[name] = convert(decl.type, name, value)
            except ValueError as error:
                raise XanoScriptError(str(error), decl.line) from None
    return runner.secrets.add_jwks_in(bound)  # xs-safe hook: input JWKs are secret


class _Run:
    def __init__(self, script: Script, context: Context, env: Mapping[str, str]) -> None:
        self.script = script
        self.context = context
        self.env = env
        self.variables: dict[str, Any] = {"input": {}}
        self._warnings: dict[str, list[int]] = {}  # text -> lines it came from

    @property
    def secrets(self) -> SecretBook:
        return self.context.secrets

    def execute(self) -> Response:
        for statement in self.script.statements:
            spec = STATEMENTS[statement.function]
            args = {a.name: self.evaluate(a.value, a.line) for a in statement.arguments}
            args = self.secrets.tag(args)  # xs-safe hook: known secrets become SecretText
            try:
                result = spec.handler(args, statement.subject, self.context)
                # xs-safe hook: a result whose content came from a secret is secret
                result = self.secrets.derive_statement(statement.function, args, result)
            except _USER_ERRORS as error:
                raise self._failure(statement.line, statement.function, error) from None
            assert statement.target is not None  # checked before the run
            self.variables[statement.target] = result
        if self.script.response is not None:
            raw = self.evaluate(self.script.response, self.script.response_line)
        elif self.script.name is None:  # bare statements: every variable they set
            raw = {k: v for k, v in self.variables.items() if k != "input"}
        else:
            raw = None
        self.secrets.add_jwks_in(raw)
        return Response(
            raw, self.secrets, name=self.script.name, verb=self.script.verb, warnings=self.warnings
        )

    def _failure(self, line: int, what: str, error: BaseException) -> XanoScriptRuntimeError:
        message = self.secrets.scrub(str(error))
        return XanoScriptRuntimeError(f"line {line}: {what}: {message}", line)

    def evaluate(self, expr: Expr, line: int) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Now):
            now = time.time() if self.context.now is None else self.context.now
            return int(now * 1000)
        if isinstance(expr, Variable):
            return self._variable(expr, line)
        if isinstance(expr, ObjectLiteral):
            return {key: self.evaluate(value, line) for key, value in expr.items}
        if isinstance(expr, ArrayLiteral):
            return [self.evaluate(item, line) for item in expr.items]
        value = self.evaluate(expr.value, line)
        for item in expr.filters:
            args = tuple(self.evaluate(arg, line) for arg in item.args)
            try:
                result = apply_filter(
                    item.name, value, args, lambda text, at=item.line: self._warn(at, text)
                )
            except _USER_ERRORS as error:
                raise self._failure(item.line, f"filter {item.name}", error) from None
            # xs-safe hook: a value computed from a secret is secret, whatever its length
            value = self.secrets.derive(item.name, [value, *args], result)
        return value

    def _warn(self, line: int, text: str) -> None:
        lines = self._warnings.setdefault(text, [])
        if line not in lines:
            lines.append(line)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}: {text}"
            for text, lines in self._warnings.items()
        )

    def _variable(self, node: Variable, line: int) -> Any:
        if node.name == "env":
            name = node.path[0]
            if name not in self.env:
                raise XanoScriptRuntimeError(
                    f"line {line}: $env.{name} is not set in the environment (or the .env file)",
                    line,
                )
            value: Any = self.secrets.add(self.env[name])  # xs-safe hook: $env is secret
            path = node.path[1:]
        else:
            value, path = self.variables[node.name], node.path
        walked = "$" + node.name + ("." + node.path[0] if node.name == "env" else "")
        for field in path:
            if isinstance(value, dict):
                value = value.get(field)
            elif value is None:
                return None
            else:
                raise XanoScriptRuntimeError(
                    f"line {line}: {walked} is {_kind(value)}; it has no field {field!r}", line
                )
            walked += f".{field}"
        return value


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__
