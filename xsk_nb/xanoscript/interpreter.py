"""Run a XanoScript cell: parse, check, bind inputs, run the stack, build the response.

Pure Python, no IPython::

    from xsk_nb.xanoscript import run
    response = run(source, {"bits": "512"})
    response.raw      # the response itself
    response          # its masked display

Everything a user can get wrong raises :class:`XanoScriptError` with one message: syntax
mistakes and unsupported names before anything runs, a failing statement with its line, and a
value, loop or call chain past the bounds of :mod:`limits`.

The constructs and where Xano documents them (xano-inc/xano-developer-mcp,
src/xanoscript_docs/): ``var`` / ``var.update``, ``conditional``, ``switch``, ``foreach`` /
``for`` / ``while``, ``precondition``, ``try_catch``, ``throw``, ``return``, ``debug.log``,
``function.run`` in essentials.md; operators, ``??`` and filters in syntax.md; ``function``
blocks in functions.md; input ``filters=`` in types.md.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

from xsk_nb.xanoscript.binary import SHOWN_AS_HEX, as_hex, holds_binary
from xsk_nb.xanoscript.binary import Binary as BinaryValue  # nodes.Binary is an operator
from xsk_nb.xanoscript.checks import (
    ERROR_TYPES,
    check,
)
from xsk_nb.xanoscript.db import NotebookDatabase
from xsk_nb.xanoscript.errors import (
    XanoScriptError,
    XanoScriptLimitError,
    XanoScriptRuntimeError,
)
from xsk_nb.xanoscript.filters import FILTERS, HIGHER_ORDER, apply_filter, same, truthy
from xsk_nb.xanoscript.inputs import (
    MAX_INPUTS,
    UNDECLARED_INPUT_RULE,
    apply_input_filter,
    convert,
    convert_list,
    read_undeclared,
)
from xsk_nb.xanoscript.limits import (
    MAX_CALL_DEPTH,
    MAX_LOOP_ITERATIONS,
    MAX_QUERY_ROWS,
    MAX_STEPS,
    Meter,
    text_size_check,
)
from xsk_nb.xanoscript.nodes import (
    ArrayLiteral,
    Binary,
    Conditional,
    Expr,
    Field,
    Filtered,
    Index,
    Literal,
    Loop,
    Now,
    ObjectLiteral,
    Precondition,
    Return,
    Script,
    Statement,
    Step,
    Switch,
    Ternary,
    Throw,
    TryCatch,
    Unary,
    VarDecl,
    Variable,
)
from xsk_nb.xanoscript.parser import parse
from xsk_nb.xanoscript.redaction import SCRUBBED, SecretBook, SecretText, hex_text
from xsk_nb.xanoscript.response import Response
from xsk_nb.xanoscript.statements import STATEMENTS, Context
from xsk_nb.xanoscript.variable_statements import VARIABLE_STATEMENTS

#: Errors a statement or filter raises for bad values; anything else is a bug and propagates.
_USER_ERRORS = (ValueError, TypeError, OverflowError, ZeroDivisionError, sqlite3.Error)
#: The note for Xano's loose ``null == ""`` (see :func:`_same`).
NULL_IS_EMPTY_TEXT = (
    '`null == ""` is true here, as in Xano: its tested precondition endpoint (xano-inc/cli@'
    "eb4d11d precondition/SKILL.md, Example 5) answers an absent optional text input with "
    '`$input.token != ""` failing; its input/SKILL.md says "" and a missing field differ, '
    "so test `!= null` too if you mean both"
)
DB_QUERY_RETURN_TYPES = ("list", "single", "count", "exists")


def run(
    source: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    db: NotebookDatabase | None = None,
    env: Mapping[str, str] | None = None,
    now: float | None = None,
    library: dict[str, Script] | None = None,
) -> Response:
    """Run the cell ``source`` and return its :class:`Response`.

    ``inputs`` maps input names to values: text (as from ``--input bits=512``) is converted to
    the declared type; in a cell of bare statements, which declares none, a number or
    true/false is read as one and anything else is text (``inputs.UNDECLARED_INPUT_RULE``).
    ``db`` is the notebook database for ``db.add`` (a fresh in-memory one if None); ``env`` backs
    ``$env.NAME`` (``os.environ`` if None); ``now`` fixes the clock (seconds since the epoch)
    for ``now`` and the JWS functions, for tests. ``library`` holds the ``function`` blocks of
    earlier cells (the magic keeps one per session): ``function.run "name"`` finds them, the
    cell's own blocks win, and after a run that succeeds the cell's blocks join it (Xano
    calls a function of the workspace from any query: xano-developer-mcp functions.md).
    """
    script = parse(source)
    if library:
        own = {function.name for function in script.functions}
        earlier = tuple(f for name, f in library.items() if name not in own)
        script = dataclasses.replace(script, functions=(*earlier, *script.functions))
    check(script, inputs or {})
    runner = _Run(script, db if db is not None else NotebookDatabase(), env, now)
    response = runner.execute(inputs or {})
    if library is not None:
        library.update({f.name: f for f in script.functions if f.name is not None})
    return response


class _Returned(Exception):
    """``return { value = ... }`` unwinding to the end of its stack."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class PreconditionFailed(XanoScriptRuntimeError):
    """A ``precondition`` was false: Xano stops the request with its error type and message."""

    def __init__(
        self, message: str, error_type: str, line: int, column: int, raw: Any = None
    ) -> None:
        super().__init__(message, line, column)
        self.error_type = error_type
        self.status = ERROR_TYPES[error_type]
        self.raw = raw  # the error text as the cell built it, for $error.message


class Thrown(XanoScriptRuntimeError):
    """``throw { name, value }``: ``name`` and ``value`` as the cell built them, for
    ``$error.name`` / ``$error.result`` in a ``catch``."""

    def __init__(self, message: str, line: int, column: int, name: Any, value: Any) -> None:
        super().__init__(message, line, column)
        self.name = name
        self.value = value


#: ``$error.code`` of a failed precondition by error_type, where Xano documents it
#: (xano-inc/cli@eb4d11d precondition/SKILL.md, "Error codes by type").
ERROR_CODES = {
    "standard": "ERROR_FATAL",
    "notfound": "ERROR_CODE_NOT_FOUND",
    "unauthorized": "ERROR_CODE_UNAUTHORIZED",
}


#: Said whenever ``$error`` comes from a failed statement rather than a precondition or a throw:
#: Xano documents ``$error`` for those two only (xano-inc/cli@eb4d11d try-catch/SKILL.md, "The
#: $error Object"), so its fields here are the kit's choice.
FAILED_STATEMENT_ERROR_NOTE = (
    "$error of a failed statement: Xano documents $error only for a precondition and a throw, "
    "so here it reads as a standard precondition's (code ERROR_FATAL, name Exception) with "
    "this kit's message; Xano's fields may differ"
)


# ---- running ---------------------------------------------------------------------------


class _Frame:
    """The variables of one query, function call or bare cell."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.variables: dict[str, Any] = {"input": {}}


class _Run:
    def __init__(
        self,
        script: Script,
        db: NotebookDatabase,
        env: Mapping[str, str] | None,
        now: float | None,
    ) -> None:
        self.script = script
        self.env = os.environ if env is None else env
        self.book = _VersionedBook()
        self.meter = Meter()
        self.context = Context(self.book, db, now, self._note, self._log, self.meter.draw)
        self._covered: dict[int, tuple[Any, int, bool]] = {}  # id -> (value, version, covers)
        self.functions = {function.name: function for function in script.functions}
        self.steps = 0
        self.depth = 0
        self.line = 0  # the line running now, for notes
        self._warnings: dict[str, list[int]] = {}  # text -> lines it came from
        self._logs: list[tuple[int, Any]] = []
        for line, text in script.notes:
            self._note(text, line)

    @property
    def secrets(self) -> SecretBook:
        return self.context.secrets

    def execute(self, inputs: Mapping[str, Any]) -> Response:
        frame = _Frame(self.script)
        frame.variables["input"] = self.bind_inputs(self.script, inputs, frame)
        raw = self.body(self.script, frame)
        if raw is None and self.script.response is None and self.script.name is None:
            raw = {k: v for k, v in frame.variables.items() if k != "input"}
        if holds_binary(raw):  # a JSON response holds text: binary is shown as its hex
            self._note(SHOWN_AS_HEX, self.script.response_line or None)
            raw = as_hex(raw, hex_text)
        self.secrets.add_jwks_in(raw)
        return Response(
            raw, self.secrets, name=self.script.name, verb=self.script.verb, warnings=self.warnings
        )

    def body(self, script: Script, frame: _Frame) -> Any:
        try:
            self.block(script.statements, frame)
        except _Returned as returned:  # essentials.md, "Early Return"
            return returned.value
        if script.response is None:
            return None
        return self.evaluate(script.response, frame, script.response_line)

    # ---- inputs
    def bind_inputs(
        self, script: Script, given: Mapping[str, Any], frame: _Frame
    ) -> dict[str, Any]:
        """The ``$input`` object: declared inputs from ``given`` or their defaults, checked."""
        if len(given) > MAX_INPUTS:
            raise XanoScriptError(f"{len(given)} inputs given; the limit is {MAX_INPUTS}")
        if script.name is None and not script.inputs:  # bare statements: no declared types
            bound = {}
            for name, value in given.items():
                bound[name] = read_undeclared(value) if isinstance(value, str) else value
                if bound[name] is not value:
                    self._note(UNDECLARED_INPUT_RULE, 0)
                    if self.covers(value):
                        bound[name] = self.secrets.taint(
                            bound[name], f"input {name} of {self.secrets.describe_source(value)}"
                        )
        else:
            declared = {decl.name: decl for decl in script.inputs}
            unknown = sorted(set(given) - set(declared))
            if unknown:
                names = ", ".join(declared) or "none"
                what = "function" if script.verb is None else "query"
                raise XanoScriptError(
                    f"input {unknown[0]} is not declared by the {what}; its inputs: {names}"
                )
            bound = {}
            for name, decl in declared.items():
                if name in given:
                    value = original = given[name]
                elif decl.default is not None:
                    value = self.evaluate(decl.default, frame, decl.line)
                elif decl.optional:
                    value = None
                else:
                    top = script is self.script
                    hint = f": give it with --input {name}=VALUE" if top else ""
                    raise XanoScriptError(
                        f"input {name} ({decl.type}) is required{hint}", decl.line
                    )
                try:
                    value = (convert_list if decl.is_list else convert)(decl.type, name, value)
                except ValueError as error:  # about the value given
                    raise XanoScriptError(self.secrets.scrub(str(error))) from None
                for item in decl.filters:  # filters= (types.md, "Input Block Syntax")
                    args = tuple(self.evaluate(arg, frame, decl.line) for arg in item.args)
                    try:
                        if decl.is_list and value is not None:  # each item of `type[] name`
                            value = [apply_input_filter(item.name, args, name, v) for v in value]
                        else:
                            value = apply_input_filter(item.name, args, name, value)
                    except ValueError as error:
                        raise XanoScriptError(self.secrets.scrub(str(error))) from None
                if name in given and self.covers(original):
                    # a value made from key material stays key material through its type's
                    # conversion and its filters (issue 24, leak 1: trim/upper/json laundered it)
                    value = self.secrets.taint(
                        value, f"input {name} of {self.secrets.describe_source(original)}"
                    )
                bound[name] = value
        return self.secrets.add_jwks_in(bound)  # xs-safe hook: input JWKs are secret

    # ---- statements
    def block(self, steps: tuple[Step, ...], frame: _Frame) -> None:
        for step in steps:
            self.step(step, frame)

    def _tick(self, step: Step) -> None:
        """Count a statement or a loop round against MAX_STEPS."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise XanoScriptLimitError(
                f"the cell ran {MAX_STEPS:,} statements and loop rounds; that is the limit "
                "for one run (is a loop running longer than meant?)",
                step.line,
            )

    def step(self, step: Step, frame: _Frame) -> None:
        self._tick(step)
        self.line = step.line
        match step:
            case Statement():
                self.statement(step, frame)
            case VarDecl():
                self.var(step, frame)
            case Conditional():
                for condition, body in step.branches:
                    if condition is None or truthy(self.evaluate(condition, frame, step.line)):
                        self.block(body, frame)
                        break
            case Loop():
                self.loop(step, frame)
            case Precondition():
                self.precondition(step, frame)
            case Switch():
                self.switch(step, frame)
            case TryCatch():
                self.try_catch(step, frame)
            case Return():
                raise _Returned(self.evaluate(step.value, frame, step.line))
            case Throw():
                self.throw(step, frame)
            case _:  # a node type added to nodes.Step without a case here
                raise AssertionError(f"no case for {type(step).__name__}")

    def var(self, step: VarDecl, frame: _Frame) -> None:
        """``var $x`` / ``var.update $x`` (``$x.a.b``: a copy of $x with the value set inside)."""
        value = self.evaluate(step.value, frame, step.line)
        if step.update and step.name not in frame.variables:
            raise XanoScriptRuntimeError(
                f"var.update ${step.name}: ${step.name} was never set (its var did not run)",
                step.line,
            )
        if step.path:  # `var.update $x.a.b`: a copy of $x with the value set inside
            value = self.filter(
                "set", frame.variables[step.name], (".".join(step.path), value), step.line
            )
        frame.variables[step.name] = value

    def switch(self, step: Switch, frame: _Frame) -> None:
        """The first case equal to the value, else default (essentials.md, "Switch")."""
        value = self.evaluate(step.value, frame, step.line)
        for case, body in step.cases:
            if same(value, self.evaluate(case, frame, step.line)):
                self.block(body, frame)
                return
        self.block(step.default or (), frame)

    def try_catch(self, step: TryCatch, frame: _Frame) -> None:
        """try, then catch if a statement failed, then finally (syntax.md, "Try-Catch").
        A bound of :mod:`limits` is not an error a cell can catch."""
        try:
            self.block(step.body, frame)
        except XanoScriptLimitError:
            raise
        except XanoScriptRuntimeError as error:
            frame.variables["error"] = self._error_object(error, step.line)
            self.block(step.handler, frame)
        finally:
            self.block(step.final, frame)

    def _error_object(self, error: XanoScriptRuntimeError, line: int) -> dict[str, Any]:
        """``$error`` in a catch (xano-inc/cli@eb4d11d try-catch/SKILL.md, "The $error
        Object"): from a precondition {code ERROR_FATAL (by error_type), message, name
        "Exception", result ""}; from a throw {code ERROR_CODE_THROWN_ERROR, message "Throw
        Error Statement", name, result: the value}. Any other failure reads as a precondition
        of type standard, with the kit's message."""
        if isinstance(error, Thrown):
            return {
                "code": "ERROR_CODE_THROWN_ERROR",
                "message": "Throw Error Statement",
                "name": error.name,
                "result": error.value,
            }
        if isinstance(error, PreconditionFailed):
            code = ERROR_CODES.get(error.error_type)
            if code is None:
                self._note(
                    f"$error.code of a precondition with error_type {error.error_type} is not "
                    "documented by Xano; it is null here",
                    line,
                )
            return {"code": code, "message": error.raw, "name": "Exception", "result": ""}
        self._note(FAILED_STATEMENT_ERROR_NOTE, line)
        return {"code": "ERROR_FATAL", "message": error.message, "name": "Exception", "result": ""}

    def throw(self, step: Throw, frame: _Frame) -> None:
        """Stop with a named error (syntax.md, "Throwing Errors")."""
        name = self.evaluate(step.name, frame, step.line)
        value = self.evaluate(step.value, frame, step.line)
        if not isinstance(name, str):
            name = _concat_text(name, step.line) if not self.covers(name) else name
        shown_name = self._message_text(name)
        if isinstance(value, str):
            shown_value = self._message_text(value)
        else:
            shown_value = json.dumps(self.secrets.mask(value), ensure_ascii=False)[:500]
            shown_value = self.secrets.scrub(shown_value)
        raise Thrown(f"throw {shown_name}: {shown_value}", step.line, step.column, name, value)

    def _message_text(self, text: Any) -> str:
        """``text`` for an error message: its placeholder if it holds key material (a piece of
        any length: issue 24, leak 3), else with any tracked secret scrubbed."""
        if self.covers(text):
            return self.secrets.placeholder(text) or masking_run_placeholder()
        return self.secrets.scrub(str(text))

    def variable_statement(self, statement: Statement, frame: _Frame) -> None:
        """Change ``$variable`` in place (:mod:`variable_statements`); key material in the
        variable or the value stays key material in both results."""
        spec = VARIABLE_STATEMENTS[statement.function]
        name = statement.variable or ""
        if name not in frame.variables:
            raise XanoScriptRuntimeError(
                f"{statement.function} ${name}: ${name} was never set (its var did not run)",
                statement.line,
            )
        current = frame.variables[name]
        value = None
        for argument in statement.arguments:
            value = self.evaluate(argument.value, frame, argument.line)
        try:
            new, result = spec.apply(current, value)
        except XanoScriptLimitError as error:
            raise XanoScriptLimitError(error.message, statement.line) from None
        except _USER_ERRORS as error:
            raise self._failure(statement.line, statement.function, error) from None
        how = statement.function
        new = self._derived(new, [current, value], how, statement.line)
        frame.variables[name] = self.meter.check(new, how, statement.line)
        if statement.target is not None:
            frame.variables[statement.target] = self._derived(
                result, [current, value], how, statement.line
            )

    def statement(self, statement: Statement, frame: _Frame) -> None:
        if statement.variable is not None:
            self.variable_statement(statement, frame)
            return
        if statement.function == "function.run":
            result = self.function_run(statement, frame)
        elif statement.function == "db.query":
            result = self.db_query(statement, frame)
        else:
            spec = STATEMENTS[statement.function]
            args = {a.name: self.evaluate(a.value, frame, a.line) for a in statement.arguments}
            args = self.secrets.tag(args)  # xs-safe hook: known secrets become SecretText
            try:
                result = spec.handler(args, statement.subject, self.context)
                # xs-safe hook: a result whose content came from a secret is secret
                result = self.secrets.derive_statement(statement.function, args, result)
            except XanoScriptLimitError as error:
                raise XanoScriptLimitError(error.message, statement.line) from None
            except _USER_ERRORS as error:
                raise self._failure(statement.line, statement.function, error) from None
        if statement.target is not None:
            frame.variables[statement.target] = self.meter.check(
                result, statement.function, statement.line
            )

    def db_query(self, statement: Statement, frame: _Frame) -> Any:
        """db.query over the notebook database (xano-developer-mcp database.md, "db.query";
        paging's result shape from apis.md, "Pagination Response Format"): ``where`` runs per
        row with ``$db.<table>.<field>`` bound to the row, ``sort`` orders by fields,
        ``return`` picks list (with optional paging), single, count or exists."""
        table = statement.subject or ""
        args = {a.name: a for a in statement.arguments}
        try:
            rows = self.context.db.all_rows(table, MAX_QUERY_ROWS)
        except (ValueError, sqlite3.Error) as error:
            raise self._failure(statement.line, "db.query", error) from None
        if "where" in args:
            kept = []
            saved = frame.variables.get("db", _MISSING_VALUE)
            try:
                for row in rows:
                    self._tick(statement)
                    frame.variables["db"] = {table: row, table.lower(): row}
                    if truthy(self.evaluate(args["where"].value, frame, args["where"].line)):
                        kept.append(row)
            finally:
                if saved is _MISSING_VALUE:
                    frame.variables.pop("db", None)
                else:
                    frame.variables["db"] = saved
            rows = kept
        if "sort" in args:
            rows = self._sorted(rows, table, self.evaluate(args["sort"].value, frame, 0), statement)
        shape = self.evaluate(args["return"].value, frame, 0) if "return" in args else {}
        return self._query_result(rows, shape, statement)

    def _sorted(
        self, rows: list[dict[str, Any]], table: str, sort: Any, statement: Statement
    ) -> list[dict[str, Any]]:
        if not isinstance(sort, dict) or not sort:
            raise XanoScriptRuntimeError(
                'db.query\'s sort is an object of field: "asc" or "desc"', statement.line
            )
        for field, order in reversed(list(sort.items())):  # the first field sorts last
            name = str(field).split(".", 1)[1] if str(field).startswith(f"{table}.") else field
            if order not in ("asc", "desc"):
                raise XanoScriptRuntimeError(
                    f'db.query\'s sort order is "asc" or "desc"; got {_kind(order)} (random '
                    "order is not run here)",
                    statement.line,
                )
            rows = sorted(rows, key=lambda row: _sort_key(row.get(name)), reverse=order == "desc")
        return rows

    def _query_result(self, rows: list[dict[str, Any]], shape: Any, statement: Statement) -> Any:
        if not isinstance(shape, dict):
            raise XanoScriptRuntimeError(
                'db.query\'s return is an object: { type: "list" }', statement.line
            )
        kind = shape.get("type", "list")
        if kind not in DB_QUERY_RETURN_TYPES:
            raise XanoScriptRuntimeError(
                f"db.query's return type is one of {', '.join(DB_QUERY_RETURN_TYPES)}",
                statement.line,
            )
        if kind == "count":
            return len(rows)
        if kind == "exists":
            return bool(rows)
        if kind == "single":
            return rows[0] if rows else None
        paging = shape.get("paging")
        if paging is None:
            return rows
        if not isinstance(paging, dict):
            raise XanoScriptRuntimeError("db.query's paging is an object", statement.line)
        page, per_page = paging.get("page", 1), paging.get("per_page", 25)
        if not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in (page, per_page)
        ):
            raise XanoScriptRuntimeError(
                "db.query's paging needs page and per_page as whole numbers from 1",
                statement.line,
            )
        if paging.get("totals"):
            self._note(
                "db.query paging totals: Xano's documented paging response (apis.md) has no "
                "total fields, so none are added here",
                statement.line,
            )
        offset = (page - 1) * per_page
        items = rows[offset : offset + per_page]
        return {
            "itemsReceived": len(items),
            "curPage": page,
            "nextPage": page + 1 if offset + per_page < len(rows) else None,
            "prevPage": page - 1 if page > 1 else None,
            "offset": offset,
            "perPage": per_page,
            "items": items,
        }

    def function_run(self, statement: Statement, frame: _Frame) -> Any:
        """Run a ``function "name" { ... }`` block of the cell (functions.md)."""
        function = self.functions[statement.subject or ""]
        given: Any = {}
        for argument in statement.arguments:
            given = self.evaluate(argument.value, frame, argument.line)
        if not isinstance(given, dict):
            raise XanoScriptRuntimeError(
                "function.run's input must be an object of input names and values",
                statement.line,
            )
        if self.depth >= MAX_CALL_DEPTH:
            raise XanoScriptLimitError(
                f"function.run nests more than {MAX_CALL_DEPTH} calls deep "
                "(a function that runs itself, directly or through another?); that is the limit",
                statement.line,
            )
        self.depth += 1
        try:
            inner = _Frame(function)
            inner.variables["input"] = self.bind_inputs(function, given, inner)
            return self.body(function, inner)
        except XanoScriptLimitError:
            raise
        except XanoScriptError as error:
            if error.message.startswith(f'in function "{function.name}"'):
                raise
            raise XanoScriptRuntimeError(
                f'in function "{function.name}", {error.where or "its inputs"}: {error.message}',
                statement.line,
                statement.column,
            ) from None
        finally:
            self.depth -= 1

    def loop(self, loop: Loop, frame: _Frame) -> None:
        """foreach over an array, for a number of times, while a condition holds (bounded)."""
        if loop.kind == "foreach":
            items = self.evaluate(loop.over, frame, loop.line)
            if not isinstance(items, list):
                raise XanoScriptRuntimeError(
                    f"foreach needs an array; got {_kind(items)}", loop.line, loop.column
                )
            self._bound(len(items), loop)
            for item in items:
                self._tick(loop)
                frame.variables[loop.target or ""] = item
                self.block(loop.body, frame)
        elif loop.kind == "for":
            count = self.evaluate(loop.over, frame, loop.line)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise XanoScriptRuntimeError(
                    "for needs a whole number of times, 0 or more", loop.line, loop.column
                )
            self._bound(count, loop)
            for index in range(count):
                self._tick(loop)
                if loop.target is not None:
                    frame.variables[loop.target] = index
                self.block(loop.body, frame)
        else:
            rounds = 0
            while truthy(self.evaluate(loop.over, frame, loop.line)):
                rounds += 1
                self._bound(rounds, loop)
                self._tick(loop)
                self.block(loop.body, frame)

    def _bound(self, rounds: int, loop: Loop) -> None:
        if rounds > MAX_LOOP_ITERATIONS:
            raise XanoScriptLimitError(
                f"{loop.kind} would run more than {MAX_LOOP_ITERATIONS:,} times; that is the "
                "limit for one loop (does its condition ever become false?)",
                loop.line,
                loop.column,
            )

    def precondition(self, step: Precondition, frame: _Frame) -> None:
        """Stop the run with the documented error when the condition is false (syntax.md,
        Error Handling: `precondition ($input.amount > 0) { error_type = "inputerror"
        error = "Amount must be positive" }`)."""
        if truthy(self.evaluate(step.condition, frame, step.line)):
            return
        args = {a.name: self.evaluate(a.value, frame, a.line) for a in step.arguments}
        error_type = args.get("error_type") or "standard"
        message = args.get("error")
        text = message if isinstance(message, str) and message else "Precondition Failed"
        text = self._message_text(text)
        status = ERROR_TYPES[error_type]
        raise PreconditionFailed(
            f"precondition failed: {text} (error_type {error_type}, HTTP {status})",
            error_type,
            step.line,
            step.column,
            message if isinstance(message, str) and message else "Precondition Failed",
        )

    # ---- notes
    def _note(self, text: str, line: int | None = None) -> None:
        lines = self._warnings.setdefault(text, [])
        line = self.line if line is None else line
        if line not in lines:
            lines.append(line)

    def _log(self, value: Any) -> None:
        if holds_binary(value):
            self._note(SHOWN_AS_HEX)
        self._logs.append((self.line, value))

    @property
    def warnings(self) -> tuple[str, ...]:
        notes = [  # line 0: before the first statement (how --input was read)
            f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}: {text}"
            if lines != [0]
            else f"--input: {text}"
            for text, lines in self._warnings.items()
        ]
        for line, value in self._logs:  # masked with everything the run learnt
            shown = json.dumps(self.secrets.mask(value), ensure_ascii=False, default=str)
            notes.append(f"line {line}: debug.log: {shown[:2000]}")
        return tuple(notes)

    def _failure(self, line: int, what: str, error: BaseException) -> XanoScriptRuntimeError:
        message = self.secrets.scrub(str(error))
        if isinstance(error, ZeroDivisionError):
            message = "division by zero"
        return XanoScriptRuntimeError(f"{what}: {message}", line)

    # ---- expressions
    def _derived(self, result: Any, sources: list[Any], how: str, line: int) -> Any:
        """``result`` of ``how`` on ``sources``, key material if they hold some
        (the SecretBook's hook: a value computed from a secret is secret, whatever its size).

        Results of sources without key material are left as they are: their text comes from
        those sources, so there is nothing to find, and a loop over large values is spared a
        copy at every step."""
        try:
            self.meter.charge(result, how)
        except XanoScriptLimitError as error:
            raise XanoScriptLimitError(error.message, line or None) from None
        if any(self.covers(source) for source in sources):
            return self.secrets.derive(how, sources, result)
        return result

    def covers(self, value: Any) -> bool:
        """SecretBook.covers, remembered per value (values never change once built) until the
        book learns something new."""
        if value is None or type(value) in _PLAIN_SCALARS:
            return False
        known = self._covered.get(id(value))
        if known is not None and known[0] is value and known[1] == self.book.version:
            return known[2]
        if isinstance(value, (list, dict)):
            members = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            covered = False
            for member in members:  # scalars inline: this runs once per member per step
                plain = member is None or type(member) in _PLAIN_SCALARS
                if not plain and self.covers(member):
                    covered = True
                    break
        else:
            covered = self.secrets.covers(value)
        self._covered[id(value)] = (value, self.book.version, covered)
        return covered

    def higher_order(self, expr: Filtered, frame: _Frame, line: int) -> Any:
        """map, filter, some, every, find, findIndex, reduce, transform: the filter's first
        argument runs once per element with $$, $index, $parent (and $result) bound, and the
        variables of those names the cell had are back afterwards."""
        name, code = expr.filter.name, expr.filter.args[0]
        value = self.evaluate(expr.value, frame, line)
        rest = tuple(self.evaluate(arg, frame, line) for arg in expr.filter.args[1:])
        names = ("$", "index", "parent", "result")
        saved = {key: frame.variables[key] for key in names if key in frame.variables}

        def each(element: Any, index: int, result: Any) -> Any:
            self.meter.element_run(f"filter {name}")
            frame.variables.update({"$": element, "index": index, "parent": value})
            if name == "reduce":
                frame.variables["result"] = result
            return self.evaluate(code, frame, line)

        try:
            outcome = FILTERS[name].function(
                value, each, rest, lambda text: self._note(text, expr.filter.line)
            )
        except XanoScriptLimitError as error:
            raise XanoScriptLimitError(error.message, line) from None
        except _USER_ERRORS as error:
            raise self._failure(expr.filter.line, f"filter {name}", error) from None
        finally:
            for key in names:
                frame.variables.pop(key, None)
            frame.variables.update(saved)
        self.meter.check(outcome, f"filter {name}", line)
        return self._derived(outcome, [value, *rest], name, line)

    def now_ms(self) -> int:
        """The run's clock in milliseconds, Xano's timestamp unit: ``now`` and ``"now"``."""
        now = time.time() if self.context.now is None else self.context.now
        return int(now * 1000)

    def filter(self, name: str, value: Any, args: tuple[Any, ...], line: int) -> Any:
        try:
            result = apply_filter(
                name, value, args, lambda text: self._note(text, line), self.now_ms
            )
        except XanoScriptLimitError as error:
            raise XanoScriptLimitError(error.message, line) from None
        except _USER_ERRORS as error:
            raise self._failure(line, f"filter {name}", error) from None
        self.meter.check(result, f"filter {name}", line)
        return self._derived(result, [value, *args], name, line)

    def evaluate(self, expr: Expr, frame: _Frame, line: int) -> Any:
        match expr:
            case Literal():
                return expr.value
            case Variable():
                return self.variable(expr, frame, line)
            case Field():
                return self.field(expr, frame, line)
            case Index():
                return self.index(expr, frame, line)
            case Filtered() if expr.filter.name in HIGHER_ORDER:
                return self.higher_order(expr, frame, line)
            case Filtered():
                value = self.evaluate(expr.value, frame, line)
                args = tuple(self.evaluate(arg, frame, line) for arg in expr.filter.args)
                return self.filter(expr.filter.name, value, args, expr.filter.line)
            case Binary():
                return self.binary(expr, frame, line)
            case Unary():
                operand = self.evaluate(expr.operand, frame, line)
                if expr.op == "!":
                    return not truthy(operand)
                return self._derived(-_number("-", operand, line), [operand], "-", line)
            case Ternary():
                condition = truthy(self.evaluate(expr.condition, frame, line))
                return self.evaluate(expr.then if condition else expr.otherwise, frame, line)
            case ObjectLiteral():
                built = {key: self.evaluate(value, frame, line) for key, value in expr.items}
                return self.meter.check(built, "an object", line)
            case ArrayLiteral():
                items = [self.evaluate(item, frame, line) for item in expr.items]
                return self.meter.check(items, "an array", line)
            case Now():
                return self.now_ms()
            case _:  # a node type added to nodes.Expr without a case here
                raise AssertionError(f"no case for {type(expr).__name__}")

    def binary(self, expr: Binary, frame: _Frame, line: int) -> Any:
        op = expr.op
        left = self.evaluate(expr.left, frame, line)
        if op == "&&":
            return truthy(left) and truthy(self.evaluate(expr.right, frame, line))
        if op == "||":  # the first truthy operand (syntax.md, Nullish Coalescing)
            return left if truthy(left) else self.evaluate(expr.right, frame, line)
        if op == "??":
            return left if left is not None else self.evaluate(expr.right, frame, line)
        right = self.evaluate(expr.right, frame, line)
        if op.endswith("?"):  # null-safe: ignored (true) when the right side is null
            if right is None:
                return True
            op = op[:-1]
        if op == "~":
            texts = [_concat_text(left, line), _concat_text(right, line)]
            text_size_check(len(texts[0]) + len(texts[1]), "~", line)
            return self._derived(texts[0] + texts[1], [left, right], "~", line)
        if op in ("==", "!="):
            equal = same(left, right)
            if {type(left), type(right)} <= {type(None), str, SecretText} and (
                (left is None and right == "") or (right is None and left == "")
            ):
                self._note(NULL_IS_EMPTY_TEXT, line)
            return equal if op == "==" else not equal
        if op in ("<", ">", "<=", ">="):
            return _compare(op, left, right, line)
        return self._derived(self.arithmetic(op, left, right, line), [left, right], op, line)

    def arithmetic(self, op: str, left: Any, right: Any, line: int) -> Any:
        a, b = _number(op, left, line), _number(op, right, line)
        try:
            if op == "+":
                result = a + b
            elif op == "-":
                result = a - b
            elif op == "*":
                result = a * b
            elif op == "/":
                result = a / b
                if result.is_integer() and isinstance(a, int) and isinstance(b, int):
                    result = int(result)
            else:
                result = a % b
        except ZeroDivisionError:
            raise XanoScriptRuntimeError(f"{op} by zero", line) from None
        except OverflowError:
            raise XanoScriptRuntimeError(f"{op} gave a number too large", line) from None
        if isinstance(result, int) and abs(result) > 2**63:
            raise XanoScriptRuntimeError(f"{op} gave a number too large (beyond 2^63)", line)
        if isinstance(result, float) and not math.isfinite(result):
            raise XanoScriptRuntimeError(f"{op} gave a number too large for JSON", line)
        return result

    def variable(self, node: Variable, frame: _Frame, line: int) -> Any:
        if node.name == "env":
            return _EnvView(self)
        if node.name == "auth":
            self._note(NO_SIGNED_IN_USER, line)
            return None
        if node.name not in frame.variables:
            raise XanoScriptRuntimeError(
                f"${node.name} has no value here (the statement that sets it did not run)", line
            )
        return frame.variables[node.name]

    def field(self, expr: Field, frame: _Frame, line: int) -> Any:
        value = self.evaluate(expr.value, frame, line)
        if isinstance(value, _EnvView):
            return value.get(expr.name, line)
        if isinstance(value, dict):
            return value.get(expr.name)
        if value is None:
            return None
        raise XanoScriptRuntimeError(
            f"{_describe(expr.value)} is {_kind(value)}; it has no field {expr.name!r}", line
        )

    def index(self, expr: Index, frame: _Frame, line: int) -> Any:
        value = self.evaluate(expr.value, frame, line)
        key = self.evaluate(expr.index, frame, line)
        if isinstance(value, _EnvView):
            if not isinstance(key, str):
                raise XanoScriptRuntimeError("$env[...] needs a name as text", line)
            return value.get(key, line)
        if value is None:
            return None
        picked: Any
        if isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool):
            picked = value[key] if -len(value) <= key < len(value) else None
        elif isinstance(value, dict) and isinstance(key, (str, int)) and not isinstance(key, bool):
            picked = value.get(str(key))
        elif isinstance(value, str) and isinstance(key, int) and not isinstance(key, bool):
            char = value[key] if -len(value) <= key < len(value) else None
            return self._derived(char, [value, key], "[index]", line)
        else:
            raise XanoScriptRuntimeError(
                f"{_describe(expr.value)}[...] needs an array with a whole-number index or an "
                f"object with a name; got {_kind(value)} and {_kind(key)}",
                line,
            )
        if self.covers(key):  # a value picked by key material is key material (issue 24, leak 2)
            return self.secrets.taint(picked, f"[index] of {self.secrets.describe_source(key)}")
        return picked


#: ``$auth`` in a notebook: no user is signed in, so it is null, as for a Xano request without
#: one (xano-developer-mcp essentials.md checks `precondition ($auth.id != null)`).
NO_SIGNED_IN_USER = (
    "$auth is null here: a notebook has no signed-in user, as a Xano request without one "
    "(so $auth.id is null); pass what you need as an input"
)
_PLAIN_SCALARS = frozenset({bool, int, float})
_MISSING_VALUE = object()


def _sort_key(value: Any) -> tuple[int, Any]:
    """Nulls first, then numbers, then text, then anything else by its JSON text (SQLite's
    order of types)."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    if isinstance(value, str):
        return (2, str(value))
    return (3, json.dumps(value, sort_keys=True, default=str))


class _VersionedBook(SecretBook):
    """The run's SecretBook with a count of what it learnt, so answers can be remembered."""

    def __init__(self) -> None:
        super().__init__()
        self.version = 0

    def add(self, secret: str) -> Any:
        self.version += 1
        return super().add(secret)

    def add_derived(self, text: str, how: str) -> None:
        self.version += 1
        super().add_derived(text, how)


class _EnvView:
    """``$env`` while a path is read from it: each value read is recorded as a secret."""

    def __init__(self, run: _Run) -> None:
        self.run = run

    def get(self, name: str, line: int) -> Any:
        if name not in self.run.env:
            raise XanoScriptRuntimeError(
                f"$env.{name} is not set in the environment (or the .env file)", line
            )
        return self.run.secrets.add(self.run.env[name])  # xs-safe hook: $env is secret


def masking_run_placeholder() -> str:
    return SCRUBBED


def _describe(expr: Expr) -> str:
    return getattr(expr, "text", "the value")


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, _EnvView):
        return "$env"
    if isinstance(value, BinaryValue):
        return "binary"
    return "a number"


def _number(op: str, value: Any, line: int) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = "; to join text use ~" if op == "+" and isinstance(value, str) else ""
        raise XanoScriptRuntimeError(f"{op} works on numbers; got {_kind(value)}{hint}", line)
    return value


def _concat_text(value: Any, line: int) -> str:
    """What ``~`` joins: text as it is, numbers and bools as text, null as nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    hint = "base64_encode or bin2hex" if isinstance(value, BinaryValue) else "json_encode"
    raise XanoScriptRuntimeError(
        f"~ joins text, numbers and bools; got {_kind(value)} (use {hint} first)", line
    )


def _compare(op: str, left: Any, right: Any, line: int) -> bool:
    both_numbers = all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)
    )
    if not both_numbers and not (isinstance(left, str) and isinstance(right, str)):
        mixed = {_kind(left), _kind(right)} == {"text", "a number"}
        hint = (
            " (an --input value that is not a plain number stays text: declare it, e.g. "
            "input { int age }, to have Xano's conversion)"
            if mixed
            else ""
        )
        raise XanoScriptRuntimeError(
            f"{op} compares two numbers or two texts; got {_kind(left)} and {_kind(right)}{hint}",
            line,
        )
    if op == "<":
        return bool(left < right)
    if op == ">":
        return bool(left > right)
    if op == "<=":
        return bool(left <= right)
    return bool(left >= right)
