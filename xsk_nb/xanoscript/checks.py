"""The static checks of a parsed cell, before anything runs: unknown functions, arguments,
filters and input filters, undefined or reserved variables, undeclared inputs.

One stage of the pipeline (parser -> transformer -> checks -> interpreter): each refusal is
a :class:`XanoScriptError` with the cell's line, so nothing runs when a name is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from xsk_nb.xanoscript.errors import XanoScriptError, not_supported
from xsk_nb.xanoscript.filters import HIGHER_ORDER, check_filter
from xsk_nb.xanoscript.inputs import check_input_filter
from xsk_nb.xanoscript.nodes import (
    Conditional,
    Expr,
    Field,
    Filtered,
    Index,
    Literal,
    Loop,
    Precondition,
    Return,
    Script,
    Statement,
    Step,
    Switch,
    Throw,
    TryCatch,
    VarDecl,
    Variable,
    children,
)
from xsk_nb.xanoscript.statements import NOT_RUN_HERE, STATEMENTS
from xsk_nb.xanoscript.variable_statements import NOT_RUN_ON_A_VARIABLE, VARIABLE_STATEMENTS

#: Names a cell cannot set: Xano reserves them (essentials.md, "Reserved Variable Names").
#: $result and $index are on that list too, but Xano's own examples bind `as $result`
#: (essentials.md, "Function Call"), so they are allowed here.
RESERVED = ("input", "env", "var", "response", "output", "auth", "db", "this", "$")
#: Bound inside a higher-order filter's expression (array-filters.md, "Expression-Based
#: Filters"): $$ (the transformer reads $this as $$), $index, $parent, and $result in reduce.
ELEMENT_VARIABLES = ("$", "index", "parent")
#: Xano's own variables that mean nothing in a notebook (essentials.md, syntax.md).
SYSTEM_VARIABLES = {
    "db": "it names a row's fields inside db.query's where (`$db.table.field`), and only there",
    "$": "$$ (or $this) is the element inside the expression of map, filter, some, every, "
    "find, findIndex, reduce and transform, and only there",
    "remote_ip": "it is the client's address in a Xano request; pass it as an input",
}
#: Xano's precondition error types and the HTTP status of each (xano-developer-mcp
#: essentials.md, "Error Types"; `unauthorized` 401 from xano-inc/cli@eb4d11d:.claude/skills/
#: functions/precondition/SKILL.md, "Error Types", tested there as endpoint 2147).
ERROR_TYPES = {
    "standard": 500,
    "inputerror": 400,
    "unauthorized": 401,
    "accessdenied": 403,
    "notfound": 404,
}
RUN_CONSTRUCTS = ("function.run", "db.query")
#: db.query's arguments run here (xano-developer-mcp database.md, "db.query"); join, eval and
#: addon need Xano's schema and are refused by name.
DB_QUERY_ARGUMENTS = ("where", "sort", "return")


def check(script: Script, inputs: Mapping[str, Any]) -> None:
    """Refuse unsupported functions, arguments, filters and undefined variables before running."""
    # A function block always has its name (Script.name is None only for a cell of bare
    # statements); the filter says so to the type checker, as interpreter.run's library does.
    functions = {f.name: f for f in script.functions if f.name is not None}
    for function in script.functions:
        _Checker(function, {d.name for d in function.inputs}, functions).run()
    declares = script.name is not None or script.inputs
    declared = {decl.name for decl in script.inputs} if declares else set(inputs)
    _Checker(script, declared, functions).run()


class _Checker:
    def __init__(self, script: Script, declared: set[str], functions: dict[str, Script]) -> None:
        self.script = script
        self.declared = declared
        self.functions = functions
        self.defined: list[str] = []
        self.allow_db = False  # inside db.query's where: $db.table.field is a row's field

    def run(self) -> None:
        for decl in self.script.inputs:
            if decl.default is not None:
                self.expr(decl.default, decl.line)
            for item in decl.filters:
                problem = check_input_filter(item.name, len(item.args))
                if problem:
                    raise XanoScriptError(problem, item.line, item.column)
                for arg in item.args:
                    self.expr(arg, decl.line)
        self.steps(self.script.statements)
        if self.script.response is not None:
            self.expr(self.script.response, self.script.response_line)

    def steps(self, steps: tuple[Step, ...]) -> None:
        for step in steps:
            self.step(step)

    def step(self, step: Step) -> None:
        match step:
            case Statement():
                self.statement(step)
            case VarDecl():
                self.expr(step.value, step.line)
                if step.update and step.name not in self.defined:
                    raise XanoScriptError(
                        f"var.update ${step.name} needs a var ${step.name} before it; "
                        f"variables defined so far: {self._known()}",
                        step.line,
                        step.column,
                    )
                self.define(step.name, step.line, step.column)
            case Conditional():
                for condition, body in step.branches:
                    if condition is not None:
                        self.expr(condition, step.line)
                    self.steps(body)
            case Loop():
                self.expr(step.over, step.line)
                if step.target is not None:
                    self.define(step.target, step.line, step.column)
                self.steps(step.body)
            case Precondition():
                self.precondition(step)
            case Switch():
                self.expr(step.value, step.line)
                for value, body in step.cases:
                    self.expr(value, step.line)
                    self.steps(body)
                self.steps(step.default or ())
            case TryCatch():
                self.steps(step.body)
                self.define("error", step.line, step.column)  # $error inside catch
                self.steps(step.handler)
                self.steps(step.final)
            case Return():
                self.expr(step.value, step.line)
            case Throw():
                self.expr(step.name, step.line)
                self.expr(step.value, step.line)
            case _:  # a node type added to nodes.Step without a case here
                raise AssertionError(f"no case for {type(step).__name__}")

    def precondition(self, step: Precondition) -> None:
        self.expr(step.condition, step.line)
        names = {argument.name for argument in step.arguments}
        extra = names - {"error_type", "error", "payload"}
        if extra:
            raise XanoScriptError(
                f"precondition has no argument {sorted(extra)[0]!r}; it takes error_type, "
                "error and payload (all optional)",
                step.line,
                step.column,
            )
        for argument in step.arguments:
            self.expr(argument.value, argument.line)
            if argument.name == "error_type" and (
                not isinstance(argument.value, Literal) or argument.value.value not in ERROR_TYPES
            ):
                raise XanoScriptError(
                    f"error_type must be one of {', '.join(ERROR_TYPES)}",
                    argument.line,
                    argument.column,
                )

    def define(self, name: str, line: int, column: int) -> None:
        if name in RESERVED:
            raise XanoScriptError(f"${name} is reserved; choose another name", line, column)
        if name not in self.defined:
            self.defined.append(name)

    def _known(self) -> str:
        return ", ".join(f"${name}" for name in self.defined) or "none yet"

    def statement(self, statement: Statement) -> None:
        name = statement.function
        if statement.variable is not None:
            self.variable_statement(statement)
            return
        if name == "function.run":
            self.function_run(statement)
            return
        if name == "db.query":
            self.db_query(statement)
            return
        spec = STATEMENTS.get(name)
        if spec is None:
            if name in NOT_RUN_HERE:
                message = f"`{name}` is not supported here: {NOT_RUN_HERE[name]}"
            else:
                message = not_supported(name, (*STATEMENTS, *RUN_CONSTRUCTS))
            raise XanoScriptError(message, statement.line, statement.column)
        where = (statement.line, statement.column)
        if spec.takes_subject and statement.subject is None:
            raise XanoScriptError(f'{name} needs a table name: {name} "table" {{ ... }}', *where)
        if not spec.takes_subject and statement.subject is not None:
            raise XanoScriptError(f"{name} takes no name before its {{ }}", *where)
        given = {argument.name for argument in statement.arguments}
        usage = spec.usage or "no arguments"
        for argument in statement.arguments:
            if argument.name not in (*spec.required, *spec.optional):
                raise XanoScriptError(
                    f"{name} has no argument {argument.name!r}; it takes {usage}",
                    argument.line,
                    argument.column,
                )
        missing = [arg for arg in spec.required if arg not in given]
        if missing:
            raise XanoScriptError(
                f"{name} needs {', '.join(missing)} = ...; it takes {usage}", *where
            )
        for argument in statement.arguments:
            self.expr(argument.value, argument.line)
        self.target(statement, spec.needs_target)

    def variable_statement(self, statement: Statement) -> None:
        """``math.add $x { value = ... }`` and the others of :mod:`variable_statements`."""
        name, where = statement.function, (statement.line, statement.column)
        spec = VARIABLE_STATEMENTS.get(name)
        if spec is None:
            reason = NOT_RUN_ON_A_VARIABLE.get(name) or (
                f"the statements this kit runs on a $variable are {', '.join(VARIABLE_STATEMENTS)}"
            )
            raise XanoScriptError(
                f"`{name} ${statement.variable}` is not run here: {reason}", *where
            )
        variable = statement.variable or ""
        if variable in ("input", "env"):
            raise XanoScriptError(
                f"{name} changes a stack variable; copy ${variable} into one first: "
                f"var $copy {{ value = ${variable}... }}",
                *where,
            )
        if variable not in self.defined:
            raise XanoScriptError(
                f"{name} ${variable} needs a var ${variable} before it; variables defined so "
                f"far: {self._known()}",
                *where,
            )
        given = [argument.name for argument in statement.arguments]
        if spec.takes_value and given != ["value"]:
            raise XanoScriptError(f"{name} ${variable} takes one argument, value = ...", *where)
        if not spec.takes_value and given:
            raise XanoScriptError(f"{name} ${variable} takes no arguments", *where)
        for argument in statement.arguments:
            self.expr(argument.value, argument.line)
        if spec.result == "none" and statement.target is not None:
            raise XanoScriptError(
                f"{name} changes ${variable} in place and has no `as $name` (Xano's skill "
                f"document for it: no as $result)",
                *where,
            )
        self.target(statement, spec.result == "required")

    def target(self, statement: Statement, needs_target: bool) -> None:
        if statement.target is None:
            if needs_target:
                raise XanoScriptError(
                    f"{statement.function} needs `as $name` after its closing }} to keep its "
                    "result",
                    statement.line,
                    statement.column,
                )
            return
        self.define(statement.target, statement.line, statement.column)

    def function_run(self, statement: Statement) -> None:
        where = (statement.line, statement.column)
        if statement.subject is None or statement.subject not in self.functions:
            known = ", ".join(f'"{n}"' for n in self.functions) or "none"
            raise XanoScriptError(
                'function.run "name" runs a function block (function "name" { ... }) of this '
                f"cell or of an earlier %%xanoscript cell that ran; functions known: {known}",
                *where,
            )
        for argument in statement.arguments:
            if argument.name != "input":
                raise XanoScriptError(
                    "function.run takes one argument, input = { name: value, ... }", *where
                )
            self.expr(argument.value, argument.line)
        self.target(statement, needs_target=False)

    def expr(self, expr: Expr, line: int) -> None:
        nodes = list(_nodes(expr))
        read = {id(n.value) for n in nodes if isinstance(n, (Field, Index))}
        bound = _element_variables(nodes)
        for node in nodes:
            if isinstance(node, Variable) and node.name in bound.get(id(node), ()):
                continue
            if isinstance(node, Variable) and node.name == "env" and id(node) not in read:
                raise XanoScriptError("$env needs a field, like $env.name", line)
            if isinstance(node, Variable):
                self.variable(node, line)
            elif isinstance(node, Filtered):
                self._filter(node.filter)
            elif (
                isinstance(node, Field)
                and isinstance(node.value, Variable)
                and node.value.name == "input"
            ):
                self.reserved_field(node.name, line)

    def _filter(self, item: Any) -> None:
        problem = check_filter(item.name, len(item.args))
        if problem:
            raise XanoScriptError(problem, item.line, item.column)

    def db_query(self, statement: Statement) -> None:
        where = (statement.line, statement.column)
        if statement.subject is None:
            raise XanoScriptError('db.query needs a table name: db.query "table" { ... }', *where)
        for argument in statement.arguments:
            if argument.name not in DB_QUERY_ARGUMENTS:
                raise XanoScriptError(
                    f"db.query's {argument.name} is not run here (it needs Xano's schema); "
                    f"db.query takes {', '.join(DB_QUERY_ARGUMENTS)} (all optional)",
                    argument.line,
                    argument.column,
                )
            self.allow_db = argument.name == "where"
            try:
                self.expr(argument.value, argument.line)
            finally:
                self.allow_db = False
        self.target(statement, needs_target=True)

    def variable(self, node: Variable, line: int) -> None:
        if node.name in ("input", "env", "auth") or (node.name == "db" and self.allow_db):
            return
        if node.name in SYSTEM_VARIABLES and node.name not in self.defined:
            raise XanoScriptError(
                f"`${node.name}` is not supported here: {SYSTEM_VARIABLES[node.name]}", line
            )
        if node.name not in self.defined:
            raise XanoScriptError(
                f"${node.name} is not defined here; variables defined so far: {self._known()}",
                line,
            )

    def reserved_field(self, field: str, line: int) -> None:
        if field not in self.declared:
            known = ", ".join(sorted(self.declared)) or "none"
            raise XanoScriptError(
                f"$input.{field} is not a declared input (inputs: {known}); declare it in "
                f"input {{ }}, or give it with --input {field}=VALUE",
                line,
            )


def _element_variables(nodes: list[Any]) -> dict[int, tuple[str, ...]]:
    """The element variables each Variable node inside a higher-order filter's expression may
    use, by node id: $$, $index, $parent, and $result inside reduce's."""
    bound: dict[int, tuple[str, ...]] = {}
    for node in nodes:
        if isinstance(node, Filtered) and node.filter.name in HIGHER_ORDER:
            if not node.filter.args:
                continue
            names = ELEMENT_VARIABLES + (("result",) if node.filter.name == "reduce" else ())
            for inner in _nodes(node.filter.args[0]):
                if isinstance(inner, Variable):
                    bound[id(inner)] = bound.get(id(inner), ()) + names
    return bound


def _nodes(expr: Expr) -> Iterator[Any]:
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))
