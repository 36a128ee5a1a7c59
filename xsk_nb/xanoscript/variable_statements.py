"""The statements that change a ``$variable`` in place: ``math.add $x { value = 1 }``.

Each is documented by Xano's skill documents (xano-inc/cli@eb4d11d:.claude/skills/functions/
<name>/SKILL.md): ``math.add``/``sub``/``mul``/``div`` ("mutating it in place", no
``as $result``), ``text.append``/``prepend``/``trim``/``ltrim``/``rtrim`` ("Modifies the
variable in place"), ``text.contains``/``starts_with``/``ends_with`` and their case-insensitive
``i`` forms ("Returns a boolean stored in the variable specified by ``as``"),
``array.push``/``unshift`` ("modifying the array in place ... does NOT support ``as $var``")
and ``array.pop``/``shift`` ("removes the last/first element ... optionally returns the removed
element"; null for an empty array). ``math.mod`` is not among them; its filter twin
``modulus`` is in docs.xano.com's filter reference, so it runs the same way.

Each change reuses the filter of the same meaning (:mod:`filters`), so values, errors and the
value bounds are the filters' own. A statement here names only what it does; the interpreter
reads and writes the variable, carries key material through it and counts it in the meter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xsk_nb.xanoscript.filters import apply_filter


def _ignore(text: str) -> None:
    return None


@dataclass(frozen=True)
class VariableStatement:
    """``apply(current, value)`` gives ``(new value of the variable, result for as $r)``."""

    apply: Callable[[Any, Any], tuple[Any, Any]]
    takes_value: bool = True
    result: str = "none"  # "none": no `as`; "required"; "optional"


def _by_filter(name: str) -> Callable[[Any, Any], tuple[Any, Any]]:
    def apply(current: Any, value: Any) -> tuple[Any, Any]:
        return apply_filter(name, current, (value,), _ignore), None

    return apply


def _test(name: str) -> Callable[[Any, Any], tuple[Any, Any]]:
    def apply(current: Any, value: Any) -> tuple[Any, Any]:
        return current, apply_filter(name, current, (value,), _ignore)

    return apply


def _text(statement: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"{statement} works on text (numbers are written as text)")
    return value if isinstance(value, str) else apply_filter("to_text", value, (), _ignore)


def _append(current: Any, value: Any) -> tuple[Any, Any]:
    return _text("text.append", current) + _text("text.append", value), None


def _prepend(current: Any, value: Any) -> tuple[Any, Any]:
    return _text("text.prepend", value) + _text("text.prepend", current), None


def _strip(how: str) -> Callable[[Any, Any], tuple[Any, Any]]:
    def apply(current: Any, value: Any) -> tuple[Any, Any]:
        text = _text(f"text.{how}", current)
        chars = " " if value is None else _text(f"text.{how}", value)
        if how == "trim":
            return text.strip(chars), None
        return (text.lstrip(chars) if how == "ltrim" else text.rstrip(chars)), None

    return apply


def _remove(end: int) -> Callable[[Any, Any], tuple[Any, Any]]:
    def apply(current: Any, value: Any) -> tuple[Any, Any]:
        if not isinstance(current, list):
            raise TypeError("array.pop and array.shift work on an array variable")
        if not current:
            return [], None
        return (current[:-1], current[-1]) if end < 0 else (current[1:], current[0])

    return apply


VARIABLE_STATEMENTS: dict[str, VariableStatement] = {
    "math.add": VariableStatement(_by_filter("add")),
    "math.sub": VariableStatement(_by_filter("subtract")),
    "math.mul": VariableStatement(_by_filter("multiply")),
    "math.div": VariableStatement(_by_filter("divide")),
    "math.mod": VariableStatement(_by_filter("modulus")),
    "text.append": VariableStatement(_append),
    "text.prepend": VariableStatement(_prepend),
    "text.trim": VariableStatement(_strip("trim")),
    "text.ltrim": VariableStatement(_strip("ltrim")),
    "text.rtrim": VariableStatement(_strip("rtrim")),
    "text.contains": VariableStatement(_test("contains"), result="required"),
    "text.icontains": VariableStatement(_test("icontains"), result="required"),
    "text.starts_with": VariableStatement(_test("starts_with"), result="required"),
    "text.istarts_with": VariableStatement(_test("istarts_with"), result="required"),
    "text.ends_with": VariableStatement(_test("ends_with"), result="required"),
    "text.iends_with": VariableStatement(_test("iends_with"), result="required"),
    "array.push": VariableStatement(_by_filter("push")),
    "array.unshift": VariableStatement(_by_filter("unshift")),
    "array.pop": VariableStatement(_remove(-1), takes_value=False, result="optional"),
    "array.shift": VariableStatement(_remove(0), takes_value=False, result="optional"),
}
#: Statements on a variable this kit does not run, and why.
NOT_RUN_ON_A_VARIABLE: dict[str, str] = {
    "array.merge": (
        "Xano's own skill document for it (xano-inc/cli@eb4d11d array-merge/SKILL.md) "
        "recommends api.lambda instead; use the merge filter: var.update $a { value = "
        "$a|merge:$b }"
    ),
}
