"""Input declarations: the five types, their ``filters=``, and how a given value is checked.

Input filters are Xano's input rules, not the expression filters of the same names
(xano-inc/xano-developer-mcp src/xanoscript_docs/types.md: ``text name filters=trim|lower``,
``int quantity filters=min:0|max:100``, ``text bio? filters=max:500`` for at most 500
characters): ``trim``, ``lower`` and ``upper`` change text; ``min`` and ``max`` refuse a
number outside the bounds, or text whose length is outside them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid
from typing import Any

from xsk_nb.xanoscript.limits import (  # noqa: F401 (the bounds' home)
    _MAX_INT_DIGITS,
    MAX_INPUT_CHARS,
    MAX_INPUTS,
    MAX_JSON_DEPTH,
    MAX_LIST_ITEMS,
)

#: The input types this kit checks (types.md, "Primitive Types"); the order of the message.
INPUT_TYPES: tuple[str, ...] = (
    "int",
    "text",
    "bool",
    "decimal",
    "email",
    "uuid",
    "timestamp",
    "date",
    "json",
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


INPUT_FILTERS: dict[str, int] = {"trim": 0, "lower": 0, "upper": 0, "min": 1, "max": 1}


#: How a cell of bare statements, which declares no input types, reads ``--input NAME=VALUE``:
#: a JSON number or ``true``/``false`` is that number or bool, anything else is text. This is
#: the kit's own reading, not Xano's: in Xano an input has the type its ``input { }``
#: declaration gives (types.md), and the documents' fragments (``$input.age >= 18``,
#: xano-developer-mcp essentials.md "Conditionals") assume an ``int age`` declared around them.
UNDECLARED_INPUT_RULE = (
    "this cell declares no inputs, so a number or true/false given with --input is read as "
    "one and anything else as text; in Xano an input has its declared type (input { int age })"
)
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def read_undeclared(text: str) -> Any:
    """``text`` given to a cell without declarations: see :data:`UNDECLARED_INPUT_RULE`."""
    if text in ("true", "false"):
        return text == "true"
    if len(text) <= _MAX_INT_DIGITS and _JSON_NUMBER.fullmatch(text):
        number = json.loads(text)
        if isinstance(number, int) or math.isfinite(number):
            return number
    return text


def check_input_filter(name: str, arg_count: int) -> str | None:
    """Why input filter ``name`` with ``arg_count`` arguments cannot run, or None."""
    if name not in INPUT_FILTERS:
        return (
            f"unknown input filter {name!r}; input filters here are "
            f"{', '.join(INPUT_FILTERS)} (types.md)"
        )
    if arg_count != INPUT_FILTERS[name]:
        return f"input filter {name} takes {INPUT_FILTERS[name] or 'no'} argument" + (
            "" if INPUT_FILTERS[name] == 1 else "s"
        )
    return None


def apply_input_filter(filter_name: str, args: tuple[Any, ...], name: str, value: Any) -> Any:
    """``value`` of input ``name`` after one of its ``filters=``; ValueError if it breaks a rule."""
    if value is None:
        return None
    if filter_name in ("trim", "lower", "upper"):
        if not isinstance(value, str):
            raise ValueError(f"input {name}: filter {filter_name} works on text")
        return {"trim": value.strip(), "lower": value.lower(), "upper": value.upper()}[filter_name]
    (bound,) = args
    if isinstance(bound, bool) or not isinstance(bound, (int, float)):
        raise ValueError(f"input {name}: filter {filter_name} needs a number")
    measured = len(value) if isinstance(value, str) else value
    what = "its length" if isinstance(value, str) else "it"
    if isinstance(measured, bool) or not isinstance(measured, (int, float)):
        raise ValueError(f"input {name}: filter {filter_name} works on numbers and text")
    if filter_name == "min" and measured < bound:
        raise ValueError(f"input {name} must be at least {bound} ({what} is {measured})")
    if filter_name == "max" and measured > bound:
        raise ValueError(f"input {name} must be at most {bound} ({what} is {measured})")
    return value


def convert_list(type_name: str, name: str, value: Any) -> Any:
    """``value`` of a ``type[] name`` input (types.md: ``text[] tags``): an array whose every
    item is the type; from the magic's line, a JSON array like ``["a","b"]``."""
    if value is None:
        return None
    wrong = f'input {name} must be an array of {type_name}, like ["a","b"] or [1,2]'
    try:
        items = convert("json", name, value) if isinstance(value, str) else value
    except ValueError:
        raise ValueError(wrong) from None
    if not isinstance(items, list):
        raise ValueError(wrong)
    if len(items) > MAX_LIST_ITEMS:
        raise ValueError(f"input {name} has {len(items)} items; the limit is {MAX_LIST_ITEMS}")
    converted = []
    for index, item in enumerate(items):
        if type_name != "json" and isinstance(item, (int, float)) and not isinstance(item, bool):
            item = item if type_name in ("int", "decimal", "timestamp") else str(item)
        converted.append(convert(type_name, f"{name}[{index}]", item))
    return converted


def convert(type_name: str, name: str, value: Any) -> Any:
    """``value`` as the declared type; ``ValueError`` with one sentence otherwise.

    Text from the magic's line (``--input bits=512``) is converted; a value that already has
    the right Python type (a test passing ``{"bits": 512}``) is taken as it is.
    """
    if isinstance(value, str):
        if len(value) > MAX_INPUT_CHARS:
            raise ValueError(
                f"input {name} is {len(value)} characters long; the limit is {MAX_INPUT_CHARS}"
            )
        return _from_text(type_name, name, value)
    checks = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "decimal": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "text": lambda v: False,  # only str, handled above
        "email": lambda v: False,
        "uuid": lambda v: False,
        "date": lambda v: False,
        "timestamp": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "json": lambda v: True,
    }
    if value is None or checks[type_name](value):
        return value
    raise ValueError(f"input {name} must be {_a(type_name)}; got {type(value).__name__}")


def _from_text(type_name: str, name: str, text: str) -> Any:
    if type_name == "text":
        return text
    if type_name == "int":
        digits = text.strip().removeprefix("-").removeprefix("+")
        if not digits.isdigit() or not digits.isascii():
            raise ValueError(f"input {name} must be an int, like 512; got {_show(text)}")
        if len(digits) > _MAX_INT_DIGITS:
            raise ValueError(f"input {name} has {len(digits)} digits; an int has at most 18")
        return int(text)
    if type_name == "decimal":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                f"input {name} must be a decimal, like 1.5; got {_show(text)}"
            ) from None
        if not math.isfinite(number):
            raise ValueError(f"input {name} must be a finite decimal; got {_show(text)}")
        return number
    if type_name in ("email", "uuid", "timestamp", "date"):
        return _from_text_checked(type_name, name, text.strip())
    if type_name == "bool":
        lowered = text.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise ValueError(f"input {name} must be a bool, true or false; got {_show(text)}")
    too_deep = f"input {name} nests more than {MAX_JSON_DEPTH} levels deep; that is refused"
    try:  # json
        value = json.loads(text)
    except RecursionError:
        raise ValueError(too_deep) from None
    except ValueError:
        raise ValueError(
            f'input {name} must be JSON, like {{"a": 1}}; it is not valid JSON'
        ) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise ValueError(too_deep)
    return value


def _from_text_checked(type_name: str, name: str, text: str) -> Any:
    """email, uuid, timestamp and date (types.md: "Validated email", "UUID string",
    "Epoch ms or ISO", "YYYY-MM-DD")."""
    if type_name == "email":
        if not _EMAIL.fullmatch(text):
            raise ValueError(f"input {name} must be an email address, like ada@example.com")
        return text
    if type_name == "uuid":
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ValueError(
                f"input {name} must be a UUID, like 9bcc06a9-9782-4859-a69f-778a7f28d666"
            ) from None
    if type_name == "date":
        try:
            if len(text) != 10:
                raise ValueError
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"input {name} must be a date, YYYY-MM-DD like 2025-01-31") from None
    if text.isdigit() and len(text) <= _MAX_INT_DIGITS:  # timestamp: milliseconds
        return int(text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"input {name} must be a timestamp: milliseconds since 1970, or ISO 8601 like "
            "2025-01-31T12:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp() * 1000)


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (iteratively, so any depth is safe)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _a(type_name: str) -> str:
    return {"int": "an int", "json": "JSON", "email": "an email address", "uuid": "a UUID"}.get(
        type_name, f"a {type_name}"
    )


def _show(text: str) -> str:
    """A rejected value, shown only when short (a long one might be a pasted key)."""
    return repr(text) if len(text) <= 12 else f"a text of {len(text)} characters"
