"""The filters a backtick expression can chain: ``$v|name:arg1:arg2``.

Each filter takes the value and its arguments and returns a new value, or raises ``ValueError``
/ ``TypeError`` with one sentence. ``warn`` collects teaching notes (e.g. ``slice`` on text).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Warn = Callable[[str], None]


@dataclass(frozen=True)
class FilterSpec:
    function: Callable[[Any, tuple[Any, ...], Warn], Any]
    min_args: int
    max_args: int
    usage: str  # e.g. "substr:start:length"


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} works on text; got {_kind(value)}")
    return value


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} needs whole-number arguments; got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    names = {
        str: "text",
        bool: "a bool",
        int: "an int",
        float: "a decimal",
        dict: "an object",
        list: "an array",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _offset_length(name: str, sequence: Any, args: tuple[Any, ...]) -> Any:
    """``sequence`` from ``offset`` for ``length`` items; negative offset counts from the end,
    negative length stops that many items before the end, no length runs to the end."""
    offset = _int(name, args[0])
    length = _int(name, args[1]) if len(args) > 1 else None
    start = max(len(sequence) + offset, 0) if offset < 0 else offset
    if length is None:
        return sequence[start:]
    end = len(sequence) + length if length < 0 else start + length
    return sequence[start : max(end, start)]


def _substr(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _offset_length("substr", _text("substr", value), args)


def _slice(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    if isinstance(value, str):
        warn(
            "slice is documented by Xano as an array filter; for text it is substr "
            "(here slice on text runs as substr:offset:length)"
        )
        return _offset_length("slice", value, args)
    if not isinstance(value, list):
        raise TypeError(f"slice works on arrays; got {_kind(value)}")
    return _offset_length("slice", value, args)


def _count(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    if isinstance(value, str):
        raise TypeError("count works on arrays and objects; for the length of text use strlen")
    if not isinstance(value, (list, dict)):
        raise TypeError(f"count works on arrays and objects; got {_kind(value)}")
    return len(value)


def _strlen(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    return len(_text("strlen", value))


def _to_upper(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("to_upper", value).upper()


def _to_lower(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("to_lower", value).lower()


def _trim(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("trim", value).strip()


def _replace(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    search, replacement = (_text("replace", a) for a in args)
    if not search:
        raise ValueError("replace needs a non-empty text to search for")
    return _text("replace", value).replace(search, replacement)


def _first(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    if not isinstance(value, list):
        raise TypeError(f"first works on arrays; got {_kind(value)}")
    return value[0] if value else None


def _last(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    if not isinstance(value, list):
        raise TypeError(f"last works on arrays; got {_kind(value)}")
    return value[-1] if value else None


def _json_encode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _json_decode(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    try:
        return json.loads(_text("json_decode", value))
    except (ValueError, RecursionError):
        raise ValueError("json_decode got text that is not valid JSON") from None


def _base64_encode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return base64.b64encode(_text("base64_encode", value).encode("utf-8")).decode("ascii")


def _base64_decode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    try:
        raw = base64.b64decode(_text("base64_decode", value), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("base64_decode got text that is not base64 of UTF-8 text") from None


FILTERS: dict[str, FilterSpec] = {
    "substr": FilterSpec(_substr, 1, 2, "substr:start:length"),
    "slice": FilterSpec(_slice, 1, 2, "slice:offset:length"),
    "count": FilterSpec(_count, 0, 0, "count"),
    "strlen": FilterSpec(_strlen, 0, 0, "strlen"),
    "to_upper": FilterSpec(_to_upper, 0, 0, "to_upper"),
    "to_lower": FilterSpec(_to_lower, 0, 0, "to_lower"),
    "trim": FilterSpec(_trim, 0, 0, "trim"),
    "replace": FilterSpec(_replace, 2, 2, "replace:search:replacement"),
    "first": FilterSpec(_first, 0, 0, "first"),
    "last": FilterSpec(_last, 0, 0, "last"),
    "json_encode": FilterSpec(_json_encode, 0, 0, "json_encode"),
    "json_decode": FilterSpec(_json_decode, 0, 0, "json_decode"),
    "base64_encode": FilterSpec(_base64_encode, 0, 0, "base64_encode"),
    "base64_decode": FilterSpec(_base64_decode, 0, 0, "base64_decode"),
}


def check_filter(name: str, arg_count: int) -> str | None:
    """Why ``name`` with ``arg_count`` arguments cannot run, or None if it can."""
    spec = FILTERS.get(name)
    if spec is None:
        return f"unknown filter {name!r}; the supported filters are {', '.join(FILTERS)}"
    if not spec.min_args <= arg_count <= spec.max_args:
        return f"{name} takes {_arity(spec)}: {spec.usage}"
    return None


def _arity(spec: FilterSpec) -> str:
    if spec.max_args == 0:
        return "no arguments"
    if spec.min_args == spec.max_args:
        return f"{spec.max_args} argument{'s' if spec.max_args > 1 else ''}"
    return f"{spec.min_args} to {spec.max_args} arguments"


def apply_filter(name: str, value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    return FILTERS[name].function(value, args, warn)
