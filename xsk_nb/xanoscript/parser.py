"""Parse a cell with the lark grammar in ``grammar.lark`` into the small tree of :mod:`nodes`.

lark is imported on first use. Every failure is a :class:`XanoScriptSyntaxError` that names the
line and column, shows the line with a caret and says what was expected in XanoScript's words;
a construct of Xano's this kit does not run is named as such (:data:`UNSUPPORTED_CONSTRUCTS`).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from xsk_nb.xanoscript.errors import (
    XanoScriptSyntaxError,
    caret_excerpt,
    missing_extra,
    not_supported,
)
from xsk_nb.xanoscript.limits import MAX_CELL_CHARS, MAX_NESTING
from xsk_nb.xanoscript.nodes import Script

if TYPE_CHECKING:
    from lark import Lark


#: The block constructs this kit runs (for the refusal of one it does not).
SUPPORTED_CONSTRUCTS: tuple[str, ...] = (
    "query",
    "function",
    "var",
    "var.update",
    "conditional",
    "foreach",
    "for",
    "while",
    "precondition",
    "switch",
    "try_catch",
    "throw",
    "return",
    "function.run",
    "debug.log",
    "security.*",
    "db.add",
)
#: Xano constructs (essentials.md, syntax.md) that open a block this kit does not run; a cell
#: using one is refused with a sentence that names it rather than a parser message.
UNSUPPORTED_CONSTRUCTS: tuple[str, ...] = (
    "group",
    "api",
    "task",
    "table",
    "middleware",
    "addon",
    "trigger",
    "workflow_test",
    "agent",
    "tool",
    "mcp_server",
    "realtime_channel",
)
_UNSUPPORTED_LINE = re.compile(
    r"^[ \t]*(" + "|".join(UNSUPPORTED_CONSTRUCTS) + r")(?=[ \t]*[{(\"'/]|[ \t]*$)", re.MULTILINE
)

#: How the expected-token list names the grammar's terminals, in XanoScript's words.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "VAR": "a $variable",
    "NUMBER": "a number",
    "DQ_STRING": "a string",
    "SQ_STRING": "a string",
    "PATH": "a /path",
    "EQ_OP": "an operator",
    "CMP_OP": "an operator",
    "PLUS": "an operator",
    "MINUS": "an operator",
    "TILDE": "an operator",
    "MUL_OP": "an operator",
    "$END": "the end of the cell",
}
#: Terminals named after what they start, so the expected list stays short and readable.
_VALUE_STARTS = {"DQ_STRING", "SQ_STRING", "NUMBER", "VAR", "TRUE", "FALSE", "NULL", "NOW"}


@functools.cache
def _lark() -> Lark:
    try:
        from lark import Lark
    except ModuleNotFoundError:
        raise missing_extra("lark") from None

    grammar = resources.files("xsk_nb.xanoscript").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(source: str) -> Script:
    """The :class:`Script` in ``source``; :class:`XanoScriptSyntaxError` if it is not one."""
    _check_size(source)
    _check_constructs(source)
    parser = _lark()  # the [lab] extra's sentence if lark is missing
    from lark.exceptions import UnexpectedInput, VisitError

    from xsk_nb.xanoscript.transformer import ToNodes

    try:
        tree = parser.parse(source)
    except UnexpectedInput as error:
        raise _syntax_error(source, error) from None
    try:
        return ToNodes(source).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, XanoScriptSyntaxError):
            raise error.orig_exc from None
        raise
    except RecursionError:  # a safety net; MAX_EXPR_DEPTH refuses deep trees first
        raise XanoScriptSyntaxError("the cell nests too deeply to be read") from None


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
        elif char in "{[(":
            depth += 1
            if depth > MAX_NESTING:
                raise XanoScriptSyntaxError(
                    f"the cell nests {{ [ and ( more than {MAX_NESTING} levels deep; "
                    "that is refused"
                )
        elif char in "}])":
            depth -= 1


def _check_constructs(source: str) -> None:
    """Refuse a block construct of Xano's that this kit does not run, naming it."""
    found = _UNSUPPORTED_LINE.search(source)
    if found is None:
        return
    line = source.count("\n", 0, found.start(1)) + 1
    column = found.start(1) - (source.rfind("\n", 0, found.start(1)) + 1) + 1
    raise XanoScriptSyntaxError(
        not_supported(found.group(1), SUPPORTED_CONSTRUCTS),
        line,
        column,
        caret_excerpt(source, line, column),
    )


def _syntax_error(source: str, error: Any) -> XanoScriptSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF

    line, column = error.line, error.column
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or line < 1 or (token is not None and token.type == "$END"):
        lines = source.rstrip().splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    expected = _describe_expected(getattr(error, "expected", None) or getattr(error, "allowed", ()))
    if isinstance(error, UnexpectedCharacters):
        # lark 1.3's type information is wrong here: UnexpectedInput declares
        # `pos_in_stream = None` unannotated, so mypy types it None; UnexpectedCharacters sets
        # it to the lexer's position in the text (lex_pos), an int.
        pos: int = error.pos_in_stream  # type: ignore[assignment]
        if source.startswith("//", pos):
            what = (
                "a // comment must be on a line of its own; "
                "move it above the statement (XanoScript has no end-of-line comments)"
            )
        elif source[pos] in "\"'":
            what = "this string is not closed on its line (a closing quote is missing)"
        else:
            what = f"unexpected character {source[pos]!r}"
            what += f"; expected {expected}" if expected else ""
    elif token is None or token.type == "$END":
        what = "the cell ended too early"
        if "'}'" in expected:
            what += ": a { is not closed (a } is missing)"
        what += f"; expected {expected}"
    elif str(token).startswith("//") or (
        str(token) == "/" and source.startswith("//", (token.start_pos or 1) - 1)
    ):
        column -= 0 if str(token).startswith("//") else 1
        what = (
            "a // comment must be on a line of its own; "
            "move it above the statement (XanoScript has no end-of-line comments)"
        )
    else:
        what = f"unexpected {_token_text(token)}"
        if str(token) == "}" and "a value" not in expected:
            what += " (is there one } too many?)"
        what += f"; expected {expected}"
    hint = _hint(source, line, expected)
    if hint and len(expected) > _LONGEST_EXPECTED:  # the hint alone, not a wall of tokens
        what = what.split("; expected ", 1)[0] + f": {hint}"
    elif hint:
        what += f" ({hint})"
    return XanoScriptSyntaxError(what, line, column, caret_excerpt(source, line, column))


#: Beyond this many characters, a list of expected tokens gives way to a hint.
_LONGEST_EXPECTED = 120
#: Mistakes common enough to answer with the documented form (essentials.md, syntax.md).
_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*var\s+\$\w+\s*="), "a variable is set with var $name { value = ... }"),
    (re.compile(r"^\s*var\.update\s+\$\w+\s*="), "use var.update $name { value = ... }"),
    (re.compile(r"^\s*(\}\s*)?else\s+if\b"), "XanoScript writes elseif, one word"),
    (
        re.compile(r"\|reduce:(?!\s*\()"),
        "reduce's expression comes before its initial value, so write it in parentheses, "
        "reduce:($$ + $result):0; Xano's guide writes reduce:$$+$result:10, which this kit "
        "cannot split into its two arguments",
    ),
    (
        re.compile(r"^\s*(if|elseif|else)\b"),
        "if, elseif and else go inside conditional { if (...) { ... } elseif (...) { ... } }",
    ),
)


def _hint(source: str, line: int, expected: str) -> str:
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if expected == "'each'":
        return (
            "a loop's body is an each block: foreach ($list) { each as $item { ... } }, "
            "for (10) { each as $i { ... } }, while (...) { each { ... } }"
        )
    for pattern, hint in _HINTS:
        if pattern.search(text):
            return hint
    return ""


def _describe_expected(terminals: Any) -> str:
    lark = _lark()
    names: set[str] = set()
    terminals = set(terminals)
    if len(terminals & _VALUE_STARTS) >= 3:  # an expression may start here
        terminals -= _VALUE_STARTS | {"LBRACE", "LSQB", "LPAR", "BANG", "BACKQUOTE", "MINUS"}
        names.add("a value")
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
