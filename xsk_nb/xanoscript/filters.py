"""The filters an expression can chain: ``$v|name:arg1:arg2``.

Each filter takes the value and its arguments and returns a new value (never changing its
input), or raises ``ValueError`` / ``TypeError`` with one sentence. ``warn`` collects teaching
notes (e.g. ``slice`` on text). Each filter's behaviour and the examples its tests check come
from Xano's filter reference: docs.xano.com/xanoscript/filter-reference and the public
xano-inc/xano-developer-mcp documents src/xanoscript_docs/syntax.md (object and type filters),
syntax/string-filters.md, syntax/array-filters.md and syntax/functions.md (math).
"""

from __future__ import annotations

import base64
import binascii
import difflib
import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xsk_nb.contract import one_of
from xsk_nb.xanoscript import timestamps
from xsk_nb.xanoscript.binary import SHOWN_AS_HEX, Binary, as_hex, holds_binary, text_or_binary
from xsk_nb.xanoscript.kinds import kind as _kind
from xsk_nb.xanoscript.limits import MAX_VALUE_DEPTH, members_check, text_size_check

Warn = Callable[[str], None]


@dataclass(frozen=True)
class FilterSpec:
    #: (value, args, warn), or (value, args, warn, now) when ``clocked``
    function: Callable[..., Any]
    min_args: int
    max_args: int
    usage: str  # e.g. "substr:start:length"
    clocked: bool = False  # reads the run's clock ("now"): the timestamp filters
    #: its first argument is an expression run per element with $$ bound: (value, each, args,
    #: warn), ``each(element, index, result)`` giving the expression's value (the interpreter's)
    higher_order: bool = False


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} works on text; got {_kind(value)}")
    return value


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} needs whole-number arguments; got {_kind(value)}")
    return value


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
    if isinstance(value, Binary):  # its bytes, as strlen
        return len(value)
    if isinstance(value, str):
        raise TypeError("count works on arrays and objects; for the length of text use strlen")
    if not isinstance(value, (list, dict)):
        raise TypeError(f"count works on arrays and objects; got {_kind(value)}")
    return len(value)


def _strlen(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    if isinstance(value, Binary):  # a binary string's length is its bytes (16 for an AES iv)
        return len(value)
    return len(_text("strlen", value))


def _to_upper(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("to_upper", value).upper()


def _to_lower(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("to_lower", value).lower()


def _chars(name: str, args: tuple[Any, ...]) -> str | None:
    """trim's optional characters: docs.xano.com's filter reference, "Trim whitespace or other
    characters"; without them, whitespace."""
    return _text(name, args[0]) if args else None


def _trim(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("trim", value).strip(_chars("trim", args))


def _replace(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    search, replacement = (_text("replace", a) for a in args)
    if not search:
        raise ValueError("replace needs a non-empty text to search for")
    text = _text("replace", value)
    grows = len(replacement) - len(search)
    if grows > 0:  # measured before it is built (issue 14: a 1.6e9-character replace chain)
        text_size_check(len(text) + text.count(search) * grows, "replace")
    return text.replace(search, replacement)


def _first(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    if not isinstance(value, list):
        raise TypeError(f"first works on arrays; got {_kind(value)}")
    return value[0] if value else None


def _last(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    if not isinstance(value, list):
        raise TypeError(f"last works on arrays; got {_kind(value)}")
    return value[-1] if value else None


def _json_encode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    if holds_binary(value):
        warn(SHOWN_AS_HEX)
        value = as_hex(value, Binary.hex)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _json_decode(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    text = _text("json_decode", value)
    if _bracket_depth(text) > MAX_VALUE_DEPTH:
        raise ValueError(
            f"json_decode got JSON nested more than {MAX_VALUE_DEPTH} levels deep; "
            "that is the limit"
        )
    try:
        value = json.loads(text)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "json_decode got a string holding half of a UTF-16 surrogate pair (like \\ud800 "
            "alone); that is not text"
        ) from None
    except (ValueError, RecursionError):
        raise ValueError("json_decode got text that is not valid JSON") from None
    return value


def _bracket_depth(text: str) -> int:
    """How deeply [ and { nest in JSON text (a bound checked before parsing it)."""
    depth = deepest = 0
    quoted = escaped = False
    for char in text:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _bytes_of(name: str, value: Any) -> bytes:
    """A binary value's bytes, or text's UTF-8."""
    if isinstance(value, Binary):
        return value.data
    return _text(name, value).encode("utf-8")


def _base64_encode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """Standard padded base64 of text's UTF-8 or of a binary value's bytes (Xano's
    security-encrypt skill document, line 70: `$encrypted|base64_encode`)."""
    return base64.b64encode(_bytes_of("base64_encode", value)).decode("ascii")


def _base64_decode(value: Any, args: tuple[Any, ...], warn: Warn) -> str | Binary:
    """Text when the bytes are UTF-8, a binary value otherwise (security-decrypt skill
    document, line 48: `$input.encrypted|base64_decode` gives the ciphertext's bytes)."""
    try:
        raw = base64.b64decode(_text("base64_decode", value), validate=True)
    except binascii.Error:
        raise ValueError("base64_decode got text that is not standard base64") from None
    return text_or_binary(raw)


def _bin2hex(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """Lowercase hex of a binary value's bytes or of text's UTF-8 (xano-developer-mcp
    syntax/string-filters.md line 128: "hex2bin / bin2hex | Hex conversion")."""
    return _bytes_of("bin2hex", value).hex()


def _hex2bin(value: Any, args: tuple[Any, ...], warn: Warn) -> str | Binary:
    """The bytes of hex text: text when they are UTF-8, a binary value otherwise."""
    try:
        raw = bytes.fromhex(_text("hex2bin", value))
    except ValueError:
        raise ValueError("hex2bin takes text of hex digit pairs, like 48656c6c6f") from None
    return text_or_binary(raw)


def _object(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{name} works on objects; got {_kind(value)}")
    return value


def _list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} works on arrays; got {_kind(value)}")
    return value


_MISSING = object()


def _path(name: str, key: Any) -> list[str]:
    """The steps of a dotted path: Xano's object filters take one (docs.xano.com filter
    reference, ``get``/``set``/``has``/``unset``: "path"; `{a:{b:1}}|get:"a.b"` is 1)."""
    return _key(name, key).split(".")


def _step(container: Any, step: str) -> Any:
    if isinstance(container, dict):
        return container.get(step, _MISSING)
    if isinstance(container, list) and step.lstrip("-").isdigit():
        index = int(step)
        return container[index] if 0 <= index < len(container) else _MISSING
    return _MISSING


def _lookup(value: Any, steps: list[str]) -> Any:
    for step in steps:
        value = _step(value, step)
        if value is _MISSING:
            return _MISSING
    return value


def _get(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``{a:1}|get:"a"`` is 1; ``get:"a.b"`` follows a path; ``get:"key":"default"`` when the
    path is missing."""
    default = args[1] if len(args) > 1 else None
    if isinstance(value, list) and isinstance(args[0], int) and not isinstance(args[0], bool):
        index = args[0]
        return value[index] if 0 <= index < len(value) else default
    if not isinstance(value, (dict, list)):
        _object("get", value)
    found = _lookup(value, _path("get", args[0]))
    return default if found is _MISSING else found


def _key(name: str, key: Any) -> str:
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise TypeError(f"{name} needs a key name as text; got {_kind(key)}")
    return str(key)


def _set(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``{a:1}|set:"b":2`` is ``{a:1,b:2}``; ``set:"a.b":2`` sets inside (objects made on the
    way), copying only the objects on the path."""
    steps = _path("set", args[0])
    return _set_path(_object("set", value), steps, args[1])


def _set_path(obj: dict[str, Any], steps: list[str], new: Any) -> dict[str, Any]:
    copy = dict(obj)
    inner = copy.get(steps[0])
    if len(steps) == 1:
        copy[steps[0]] = new
    else:
        copy[steps[0]] = _set_path(inner if isinstance(inner, dict) else {}, steps[1:], new)
    return copy


def _unset(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``{a:1,b:2}|unset:"a"`` is ``{b:2}``; ``unset:"a.b"`` removes inside."""
    steps = _path("unset", args[0])
    return _unset_path(_object("unset", value), steps)


def _unset_path(obj: dict[str, Any], steps: list[str]) -> dict[str, Any]:
    if len(steps) == 1:
        return {k: v for k, v in obj.items() if k != steps[0]}
    inner = obj.get(steps[0])
    if not isinstance(inner, dict):
        return dict(obj)
    return {**obj, steps[0]: _unset_path(inner, steps[1:])}


def _has(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    """``{a:{b:1}}|has:"a.b"`` is true."""
    return _lookup(_object("has", value), _path("has", args[0])) is not _MISSING


def _keys(value: Any, args: tuple[Any, ...], warn: Warn) -> list[str]:
    return list(_object("keys", value))


def _values(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    return list(_object("values", value).values())


def _merge(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``[1,2]|merge:[3,4]`` is ``[1,2,3,4]``; objects merge member by member."""
    other = args[0]
    if isinstance(value, list) and isinstance(other, list):
        members_check(len(value) + len(other), "merge")
        return [*value, *other]
    if isinstance(value, dict) and isinstance(other, dict):
        return {**value, **other}
    raise TypeError(f"merge joins two arrays or two objects; got {_kind(value)} and {_kind(other)}")


def _push(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    return [*_list("push", value), args[0]]


def _reverse(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    if isinstance(value, str):
        raise TypeError('reverse works on arrays; for text use split:""|reverse|join:""')
    return _list("reverse", value)[::-1]


#: ``sort``'s types: Xano's filter reference writes only ``text`` (xano-inc/cli@eb4d11d
#: xanoscript-docs/.../expression_guideline.md line 298; xano-developer-mcp@c72a410
#: syntax/array-filters.md line 166), so only it runs here.
SORT_TYPES = ("text",)
SORT_USAGE = "sort:path:text:descending"
SORT_FORMS_NOTE = (
    "sort's second argument is its type in Xano's filter reference (expression_guideline.md "
    'line 298: `sort:v:text:true`, descending; syntax/array-filters.md line 166: '
    "`sort:n:text:false`, ascending), while working.md line 184 writes `sort:\"name\":\"asc\"`; "
    "this kit follows the reference: write sort:path:text:false for ascending, true for "
    "descending"
)


def _sort(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[{v:"a", e:20}, {v:"z", e:10}]|sort:v:text:true`` is ``[{v:"z", e:10}, {v:"a",
    e:20}]`` (the reference, line 298): the path inside each element ("" for the element
    itself), the type, and true for descending. Equal values keep their order."""
    items = _list("sort", value)
    if len(args) == 2 and args[1] in ("asc", "desc"):
        raise ValueError(SORT_FORMS_NOTE)
    if len(args) != 3:
        raise ValueError(f"sort takes a path, a type and descending: {SORT_USAGE}")
    path, kind, descending = args
    if kind not in SORT_TYPES:
        raise ValueError(
            f"sort's type must be {one_of(SORT_TYPES, quoted=True)}, the one type Xano's filter "
            "reference documents"
        )
    if not isinstance(descending, bool):
        raise TypeError("sort's last argument must be true (descending) or false (ascending)")
    steps = _path("sort", path) if path != "" else []
    keys: list[str] = []
    for position, item in enumerate(items):
        found = _lookup(item, steps) if steps else item
        if found is _MISSING:
            raise ValueError(
                f"sort by a path needs it in every element; element {position} has none"
            )
        if not isinstance(found, str):
            shown = f"element {position}" + ("'s value at the path" if steps else "")
            raise TypeError(f"sort by text needs text; {shown} is {_kind(found)}")
        keys.append(found)
    order = sorted(range(len(items)), key=keys.__getitem__, reverse=descending)
    return [items[index] for index in order]


def _unique(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    seen: list[Any] = []
    for item in _list("unique", value):
        if item not in seen:
            seen.append(item)
    return seen


def _join(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``["a","b"]|join:","`` is ``"a,b"``."""
    separator = _text("join", args[0])
    items = [_to_text(item, (), warn) for item in _list("join", value)]
    text_size_check(sum(map(len, items)) + len(separator) * max(len(items) - 1, 0), "join")
    return separator.join(items)


def _split(value: Any, args: tuple[Any, ...], warn: Warn) -> list[str]:
    """``"a,b,c"|split:","`` is ``["a","b","c"]``; ``split:""`` gives the characters."""
    text, separator = _text("split", value), _text("split", args[0])
    return list(text) if separator == "" else text.split(separator)


def _contains(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    """``"hello"|contains:"ell"`` is true."""
    return _text("contains", args[0]) in _text("contains", value)


def _starts_with(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    return _text("starts_with", value).startswith(_text("starts_with", args[0]))


def _ends_with(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    return _text("ends_with", value).endswith(_text("ends_with", args[0]))


def _to_text(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``123|to_text`` is ``"123"``; true is ``"true"``, null is ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, Binary):
        raise TypeError("to_text works on text, numbers and bools; for binary use base64_encode")
    raise TypeError(f"to_text works on text, numbers and bools; for {_kind(value)} use json_encode")


def _to_int(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    """``"123"|to_int`` is 123."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("to_int got a number that is not finite")
        return int(value)
    if isinstance(value, int):
        return value
    number = _leading_number("to_int", _text("to_int", value))
    return int(float(number)) if any(c in number for c in ".eE") else int(number)


def _to_decimal(value: Any, args: tuple[Any, ...], warn: Warn) -> float:
    """``"1.5"|to_decimal`` is 1.5."""
    if isinstance(value, (int, float)):
        return float(value)
    number = float(_leading_number("to_decimal", _text("to_decimal", value)))
    if not math.isfinite(number):
        raise ValueError("to_decimal got text that is not a finite number")
    return number


_LEADING_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _leading_number(name: str, text: str) -> str:
    """The number text begins with: docs.xano.com's filter reference converts
    ``"133.45 kg"|to_int`` to 133 and ``"133.45 kg"|to_decimal`` to 133.45. Text that does not
    begin with a number is refused (the reference shows no such example)."""
    found = _LEADING_NUMBER.match(text.strip())
    if found is None or len(found.group(0)) > 24:
        raise ValueError(f"{name} got text that does not begin with a number")
    return found.group(0)


def _to_bool(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    """``"true"|to_bool`` is true."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no", ""):
            return False
        raise ValueError('to_bool takes "true"/"false", "1"/"0" or "yes"/"no" as text')
    return truthy(value)


def is_empty(value: Any) -> bool:
    """Xano's empty: "", null, 0, "0", false, [] and {} (docs.xano.com filter reference,
    is_empty and filter_empty: 'empty ("", null, 0, "0", false, [], {})'); the same rule for
    is_empty, first_notempty and set_ifnotempty."""
    if value is None or value is False:
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 0
    if isinstance(value, str):
        return value in ("", "0")
    if isinstance(value, (list, dict, Binary)):
        return not value
    return False


def same(left: Any, right: Any) -> bool:
    """Equality for ``==``, ``switch`` and ``remove``: strict, except that null equals "" as in
    Xano (the interpreter's NULL_IS_EMPTY_TEXT note says so where it matters)."""
    if (left is None and right == "") or (right is None and left == ""):
        return True
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


def truthy(value: Any) -> bool:
    """Xano's falsy values are null, 0, "" and false (syntax.md, Nullish Coalescing)."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, Binary):
        return bool(value)
    return True


def _is_null(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    return value is None


def _is_empty(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    """``[]|is_empty`` is true; so are "", null, 0, "0", false and {} (:func:`is_empty`)."""
    return is_empty(value)


def _first_notnull(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``null|first_notnull:0`` is 0."""
    return args[0] if value is None else value


def _first_notempty(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``""|first_notempty:"default"`` is "default"."""
    return args[0] if is_empty(value) else value


def _number(name: str, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} works on numbers; got {_kind(value)}")
    return value


def _abs(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    return abs(_number("abs", value))


def _ceil(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    number = _number("ceil", value)
    if not math.isfinite(number):
        raise ValueError("ceil got a number that is not finite")
    return math.ceil(number)


def _floor(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
    number = _number("floor", value)
    if not math.isfinite(number):
        raise ValueError("floor got a number that is not finite")
    return math.floor(number)


def _round(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``2.567|round:2`` is 2.57."""
    places = _int("round", args[0]) if args else 0
    if not 0 <= places <= 15:
        raise ValueError("round takes 0 to 15 decimal places")
    number = _number("round", value)
    if not math.isfinite(number):
        raise ValueError("round got a number that is not finite")
    # Half away from zero, as PHP (Xano's runtime) rounds; Python's round() rounds to even.
    factor = 10**places
    rounded = math.floor(abs(number) * factor + 0.5) / factor
    rounded = math.copysign(rounded, number)
    return int(rounded) if places == 0 else rounded


def _numbers(name: str, value: Any) -> list[float | int]:
    items = _list(name, value)
    if not items:
        raise ValueError(f"{name} of an empty array has no value")
    return [_number(name, item) for item in items]


def _min(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``5|min:3`` is 3 (syntax/functions.md); ``[1,2,3]|min`` is 1, as Xano's array_min."""
    if not args:
        return min(_numbers("min", value))
    return min(_number("min", value), _number("min", args[0]))


def _max(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``5|max:10`` is 10 (syntax/functions.md); ``[1,2,3]|max`` is 3, as Xano's array_max."""
    if not args:
        return max(_numbers("max", value))
    return max(_number("max", value), _number("max", args[0]))


def _array_min(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``[1,2,3]|array_min`` is 1 (docs.xano.com filter reference)."""
    return min(_numbers("array_min", value))


def _array_max(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``[1,2,3]|array_max`` is 3 (docs.xano.com filter reference)."""
    return max(_numbers("array_max", value))


# ---- the expression guide's math (xano-inc/cli@eb4d11d xanoscript-docs/
# xanoscript-ai-documentation-main/expression_guideline.md, "Math Expressions", lines 60-250)


def _finite(name: str, result: float | int) -> float | int:
    """``result`` as JSON can hold it: a whole float as an int, as the guide writes them
    (``9|sqrt`` is 3, ``0|exp`` is 1); no infinity or NaN."""
    if isinstance(result, float):
        if not math.isfinite(result):
            raise ValueError(f"{name} gave a number too large for JSON")
        if result.is_integer() and abs(result) < 2**53:
            return int(result)
    if isinstance(result, int) and abs(result) > 2**63:
        raise OverflowError(f"{name} gave a number too large (beyond 2^63)")
    return result


def _unary_math(name: str, how: Callable[[float], float], domain: str = "") -> Callable[..., Any]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
        try:
            return _finite(name, how(_number(name, value)))
        except ValueError:
            if domain:
                raise ValueError(f"{name} needs {domain}; it has no real value here") from None
            raise

    apply.__doc__ = f"``x|{name}``: Python's math.{how.__name__}, as PHP's {name}."
    return apply


def _log(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``2|log:2`` is 1 (the guide, line 154): the logarithm in the given base."""
    number, base = _number("log", value), _number("log", args[0])
    if number <= 0 or base <= 0 or base == 1:
        raise ValueError("log needs a number above 0 and a base above 0 other than 1")
    return _finite("log", math.log(number, base))


def _pow(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``10|pow:2`` is 100 (the guide, line 169)."""
    base, exponent = _number("pow", value), _number("pow", args[0])
    if isinstance(base, int) and isinstance(exponent, int) and exponent >= 0:
        if exponent * max(abs(base), 1).bit_length() > 64:
            raise OverflowError("pow gave a number too large (beyond 2^63)")
        return _finite("pow", base**exponent)
    try:
        return _finite("pow", math.pow(base, exponent))
    except (ValueError, OverflowError):
        raise ValueError("pow has no real, finite value for these numbers") from None


def _fold(name: str, how: Callable[[list[float | int]], float | int]) -> Callable[..., Any]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
        return _finite(name, how(_numbers(name, value)))

    return apply


def _bitwise(name: str, how: Callable[[int, int], int]) -> Callable[..., Any]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> int:
        return how(_int(name, value), _int(name, args[0]))

    return apply


def _parity(name: str, remainder: int) -> Callable[..., Any]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
        return _int(name, value) % 2 == remainder

    return apply


def _arithmetic(name: str, how: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
        a, b = _number(name, value), _number(name, args[0])
        result = how(a, b)
        if (
            isinstance(result, float)
            and result.is_integer()
            and isinstance(a, int)
            and isinstance(b, int)
        ):
            result = int(result)
        if isinstance(result, int) and abs(result) > 2**63:
            raise OverflowError(f"{name} gave a number too large (beyond 2^63)")
        if isinstance(result, float) and not math.isfinite(result):
            raise OverflowError(f"{name} gave a number too large for JSON")
        return result

    apply.__doc__ = f"``{name}``: docs.xano.com filter reference (math filters)."
    return apply


def _add(value: Any, args: tuple[Any, ...], warn: Warn) -> float | int:
    """``10|add:5`` is 15."""
    return _number("add", value) + _number("add", args[0])


def _digest(name: str, value: Any, args: tuple[Any, ...]) -> bool:
    if args and args[0] is not False:
        raise ValueError(
            f"{name}:true returns raw binary, which a JSON response cannot hold; "
            f"use {name} (hex text) here"
        )
    return True


def _sha256(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"text"|sha256``: the SHA-256 of the UTF-8 text, as lowercase hex."""
    _digest("sha256", value, args)
    return hashlib.sha256(_text("sha256", value).encode("utf-8")).hexdigest()


def _sha1(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    _digest("sha1", value, args)
    return hashlib.sha1(_text("sha1", value).encode("utf-8")).hexdigest()


def _sha512(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    _digest("sha512", value, args)
    return hashlib.sha512(_text("sha512", value).encode("utf-8")).hexdigest()


def _md5(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    _digest("md5", value, args[:0])
    return hashlib.md5(_text("md5", value).encode("utf-8"), usedforsecurity=False).hexdigest()


#: What the HMAC filters' second argument means: docs.xano.com's filter reference (security
#: filters) reads it as "output as hex", true gives hex and false base64; xano-developer-mcp
#: syntax/string-filters.md shows only `"msg"|hmac_sha256:"key"`. Without the flag they give
#: hex: xano-inc/cli@eb4d11d xanoscript-docs/xanoscript-ai-documentation-main/
#: expression_guideline.md lines 916-939 show each one so (``"some_message"|hmac_sha256:
#: MY_SECRET_KEY`` is ``"3e18fc78d5326e5..."``). The documents agree; the tests check each.


def _hmac(name: str, digest: Any) -> Callable[..., str]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
        key = _text(name, args[0]).encode("utf-8")
        message = _text(name, value).encode("utf-8")
        mac = hmac.new(key, message, digest).digest()
        if len(args) < 2:
            return mac.hex()
        if not isinstance(args[1], bool):
            raise TypeError(f"{name}'s second argument is true (hex) or false (base64)")
        return mac.hex() if args[1] else base64.b64encode(mac).decode("ascii")

    apply.__doc__ = (
        f'``"msg"|{name}:"key":true``: the HMAC of the UTF-8 message under the UTF-8 key, hex '
        "for true, base64 for false (docs.xano.com filter reference, security filters)."
    )
    return apply


def _is_type(kind: type | tuple[type, ...]) -> Callable[[Any, tuple[Any, ...], Warn], bool]:
    def check(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
        return isinstance(value, kind) and not (kind is int and isinstance(value, bool))

    return check


def _concat(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"a"|concat:"b":"-"`` is ``"a-b"``."""
    text, other = _text("concat", value), _text("concat", args[0])
    separator = _text("concat", args[1]) if len(args) > 1 else ""
    text_size_check(len(text) + len(separator) + len(other), "concat")
    return text + separator + other


def _entries(value: Any, args: tuple[Any, ...], warn: Warn) -> list[dict[str, Any]]:
    """``{a:1}|entries`` is ``[{key:"a",value:1}]``."""
    return [{"key": k, "value": v} for k, v in _object("entries", value).items()]


def _set_conditional(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``{a:1}|set_conditional:"b":2:true`` is ``{a:1,b:2}`` (unchanged when false)."""
    return _set(value, args[:2], warn) if truthy(args[2]) else dict(_object("set", value))


def _set_ifnotnull(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``{a:1}|set_ifnotnull:"b":$var`` sets b only when $var is not null."""
    obj = _object("set_ifnotnull", value)
    return dict(obj) if args[1] is None else _set(obj, args, warn)


def _set_ifnotempty(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``{a:1}|set_ifnotempty:"b":"val"`` sets b only when the value is not empty."""
    obj = _object("set_ifnotempty", value)
    return dict(obj) if is_empty(args[1]) else _set(obj, args, warn)


def _flatten(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,[2,3],[[4,5]]]|flatten`` is ``[1,2,3,4,5]``: docs.xano.com's filter reference,
    "Flattens a multidimensional array into a single level array of values" (every level;
    iterative, so any nesting is safe)."""
    flat: list[Any] = []
    stack: list[Any] = [iter(_list("flatten", value))]
    while stack:
        item = next(stack[-1], _MISSING)
        if item is _MISSING:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        else:
            flat.append(item)
    return flat


def _membership(values: list[Any]) -> Callable[[Any], bool]:
    """``item in values`` in about constant time: each value keyed by its JSON text with its
    type (so 1, 1.0, true and "1" stay apart as the list test kept them), instead of the
    quadratic list scan that made two 524,288-item lists never finish (issue 24)."""
    keys = {_member_key(item) for item in values}
    return lambda item: _member_key(item) in keys


def _member_key(item: Any) -> tuple[str, str]:
    if isinstance(item, (dict, list)):
        return "json", json.dumps(item, sort_keys=True, default=str)
    if isinstance(item, bool) or item is None:
        return "const", repr(item)
    if isinstance(item, (int, float)):
        return "number", repr(float(item)) if isinstance(item, float) else repr(item)
    return type(item).__name__ if not isinstance(item, str) else "text", str(item)


def _diff(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,2,3,4]|diff:[3,2]`` is ``[1,4]`` (docs.xano.com filter reference)."""
    inside = _membership(_list("diff", args[0]))
    return [item for item in _list("diff", value) if not inside(item)]


def _intersect(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,2,3,4]|intersect:[3,2]`` is ``[2,3]`` (docs.xano.com filter reference)."""
    inside = _membership(_list("intersect", args[0]))
    return [item for item in _list("intersect", value) if inside(item)]


def _pop(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``[1,2,3]|pop`` is 3."""
    items = _list("pop", value)
    return items[-1] if items else None


def _shift(value: Any, args: tuple[Any, ...], warn: Warn) -> Any:
    """``[1,2,3]|shift`` is 1."""
    items = _list("shift", value)
    return items[0] if items else None


# ---- the expression guide's array and object filters (expression_guideline.md, "Array
# Expressions" and "Object Expressions", lines 255-700)


def _safe_array(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``12|safe_array`` is ``[12]`` (the guide, line 281); an array stays as it is."""
    if value is None:
        raise ValueError("safe_array of null: Xano's guide shows only a value, so null is refused")
    return value if isinstance(value, list) else [value]


def _filter_empty(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[{a:1, b:null}, {a:0, b:4}]|filter_empty:a`` is ``[{a:1, b:null}]`` (the guide, line
    291): the entries whose value at the path is not empty ("", null, 0, "0", false, [], {})."""
    items = _list("filter_empty", value)
    steps = _path("filter_empty", args[0]) if args and args[0] != "" else []
    kept = []
    for item in items:
        found = _lookup(item, steps) if steps else item
        if found is not _MISSING and not is_empty(found):
            kept.append(item)
    return kept


def _index_by(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, list[Any]]:
    """``[{id:1,g:"x"},{id:2,g:"y"},{id:3,g:"x"}]|index_by:g`` groups by g (the guide, line
    336): ``{"x": [{id:1,g:"x"},{id:3,g:"x"}], "y": [{id:2,g:"y"}]}``."""
    steps = _path("index_by", args[0])
    groups: dict[str, list[Any]] = {}
    for position, item in enumerate(_list("index_by", value)):
        found = _lookup(item, steps)
        if isinstance(found, bool) or not isinstance(found, (str, int)):
            raise TypeError(
                f"index_by groups by text or whole numbers; element {position}'s value at the "
                f"path is {'missing' if found is _MISSING else _kind(found)}"
            )
        groups.setdefault(str(found), []).append(item)
    return groups


def _remove(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[{v:1},{v:2},{v:3}]|remove:{v:2}`` is ``[{v:1},{v:3}]`` (the guide, line 361): every
    element equal to the value goes."""
    return [item for item in _list("remove", value) if not same(item, args[0])]


def _create_object(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``["a","b","c"]|create_object:[1,2,3]`` is ``{"a":1,"b":2,"c":3}`` (the guide, line 685)."""
    keys, values = _list("create_object", value), _list("create_object", args[0])
    if len(keys) != len(values):
        raise ValueError("create_object needs as many values as keys")
    return {_key("create_object", key): item for key, item in zip(keys, values, strict=True)}


def _create_object_from_entries(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``[{key:"a",value:1},…]|create_object_from_entries`` is ``{"a":1,…}`` (the guide, line
    690; the reverse of entries)."""
    built: dict[str, Any] = {}
    for position, entry in enumerate(_list("create_object_from_entries", value)):
        if not isinstance(entry, dict) or set(entry) != {"key", "value"}:
            raise TypeError(
                f"create_object_from_entries needs objects of key and value; element {position} "
                "is not one"
            )
        built[_key("create_object_from_entries", entry["key"])] = entry["value"]
    return built


def _fill(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``"v"|fill:0:6`` is six "v" (the guide, line 660: PHP's array_fill(start, count); the
    start index does not show in an array)."""
    _int("fill", args[0])
    count = _int("fill", args[1])
    if count < 0:
        raise ValueError("fill's count must be 0 or more")
    members_check(count, "fill")
    return [value] * count


def _fill_keys(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
    """``"key"|fill_keys:["a","b","c"]`` is ``{"a":"key","b":"key","c":"key"}`` (the guide,
    line 665)."""
    return {_key("fill_keys", key): value for key in _list("fill_keys", args[0])}


def _pick(keep: bool) -> Callable[..., dict[str, Any]]:
    name = "pick" if keep else "unpick"

    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> dict[str, Any]:
        chosen = {_key(name, key) for key in _list(name, args[0])}
        return {k: v for k, v in _object(name, value).items() if (k in chosen) == keep}

    apply.__doc__ = (
        f"``{{a:1,b:2,c:3}}|{name}:[\"a\",\"c\"]`` is "
        f"``{'{a:1,c:3}' if keep else '{b:2}'}`` (the guide, line {416 if keep else 421})."
    )
    return apply


# ---- the expression filters: an inline expression per element (xano-developer-mcp@c72a410
# syntax/array-filters.md, "Expression-Based Filters"; xano-inc/cli@eb4d11d
# expression_guideline.md lines 379-412): $$ (or $this) is the element, $index its position,
# $parent the whole array, $result the running value (reduce). The interpreter evaluates.

Each = Callable[[Any, int, Any], Any]  # (element, index, result) -> the expression's value
#: What find gives when nothing matches, and findIndex: Xano's documents show only a match.
NOT_FOUND_NOTE = (
    "{name} found no match; Xano's documents show only a match, so {value} here is this "
    "kit's choice ({why})"
)


def _elements(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} works on arrays; got {_kind(value)} (transform takes any value)")
    return value


def _map(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[{v:1},{v:2}]|map:$$.v*2`` is ``[2,4]``."""
    return [each(item, index, None) for index, item in enumerate(_elements("map", value))]


def _keep(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,2,3,4]|filter:$$%2==0`` is ``[2,4]``: the elements whose expression is truthy."""
    items = _elements("filter", value)
    return [item for index, item in enumerate(items) if truthy(each(item, index, None))]


def _some(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> bool:
    """``[1,2,3]|some:$$>2`` is true."""
    items = _elements("some", value)
    return any(truthy(each(item, index, None)) for index, item in enumerate(items))


def _every(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> bool:
    """``[2,4,6]|every:$$%2==0`` is true."""
    items = _elements("every", value)
    return all(truthy(each(item, index, None)) for index, item in enumerate(items))


def _find(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> Any:
    """``[{id:1},{id:2}]|find:$$.id==2`` is ``{id:2}``; null when nothing matches (a note)."""
    for index, item in enumerate(_elements("find", value)):
        if truthy(each(item, index, None)):
            return item
    warn(NOT_FOUND_NOTE.format(name="find", value="null", why="as a missing field is null"))
    return None


def _find_index(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> int:
    """``[{id:1},{id:2}]|findIndex:$$.id==2`` is 1; -1 when nothing matches (a note)."""
    for index, item in enumerate(_elements("findIndex", value)):
        if truthy(each(item, index, None)):
            return index
    warn(NOT_FOUND_NOTE.format(name="findIndex", value="-1", why="as JavaScript's findIndex"))
    return -1


def _reduce(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> Any:
    """``[1,2,3,4,5]|reduce:($$+$result):10`` is 25 (the guide, line 411): the expression
    first, the initial value last, $result the value so far."""
    result = args[0]
    for index, item in enumerate(_elements("reduce", value)):
        result = each(item, index, result)
    return result


def _transform(value: Any, each: Each, args: tuple[Any, ...], warn: Warn) -> Any:
    """``2|transform:$$+3`` is 5 (the guide, line 645): the expression on the value itself."""
    return each(value, 0, None)


def _unshift(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,2]|unshift:0`` is ``[0,1,2]``."""
    return [args[0], *_list("unshift", value)]


def _icontains(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    return _text("icontains", args[0]).casefold() in _text("icontains", value).casefold()


def _istarts_with(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    text = _text("istarts_with", value).casefold()
    return text.startswith(_text("istarts_with", args[0]).casefold())


def _iends_with(value: Any, args: tuple[Any, ...], warn: Warn) -> bool:
    text = _text("iends_with", value).casefold()
    return text.endswith(_text("iends_with", args[0]).casefold())


def _capitalize(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"hi there"|capitalize`` is "Hi There"."""
    return " ".join(word[:1].upper() + word[1:] for word in _text("capitalize", value).split(" "))


def _ltrim(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("ltrim", value).lstrip(_chars("ltrim", args))


def _rtrim(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    return _text("rtrim", value).rstrip(_chars("rtrim", args))


# ---- the expression guide's text filters (expression_guideline.md, "Text Expressions",
# lines 500-610)


def _array_slice(value: Any, args: tuple[Any, ...], warn: Warn) -> list[Any]:
    """``[1,2,3,4,5]|array_slice:2:2`` is ``[3,4]`` (the guide, line 508): as slice."""
    return _offset_length("array_slice", _list("array_slice", value), args)


INDEX_COUNTS_NOTE = (
    "{name} counts characters here; Xano's guide does not say whether it counts characters or "
    "bytes, which differ when text before the match is not ASCII"
)


def _index_of(name: str, fold: bool) -> Callable[..., int | bool]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> int | bool:
        text, part = _text(name, value), _text(name, args[0])
        if fold:
            text, part = text.lower(), part.lower()
        found = text.find(part)
        if found < 0:
            return False  # the guide, line 527: "or false if it can't be found"
        if not text[:found].isascii():
            warn(INDEX_COUNTS_NOTE.format(name=name))
        return found

    apply.__doc__ = (
        f'``"Epic Battle"|{name}:"{"battle" if fold else "Battle"}"`` is 5, false when not found '
        f"(the guide, line {533 if fold else 528})."
    )
    return apply


def _number_format(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``31253212.141592|number_format:2:".":","`` is ``"31,253,212.14"`` (the guide, line 74,
    writes the separators bare: ``number_format:2:.:,``): PHP's number_format, halves rounded
    away from zero."""
    number = _number("number_format", value)
    places = _int("number_format", args[0]) if args else 0
    point = _text("number_format", args[1]) if len(args) > 1 else "."
    thousands = _text("number_format", args[2]) if len(args) > 2 else ","
    if not 0 <= places <= 15 or not math.isfinite(number):
        raise ValueError("number_format takes a finite number and 0 to 15 decimal places")
    rounded = _round(abs(number), (places,), warn)
    whole, _, fraction = f"{rounded:.{places}f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    sign = "-" if number < 0 and float(rounded) != 0 else ""
    return sign + thousands.join(groups) + (point + fraction if places else "")


def _strip_html(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"<p>Epic Battle</p>"|strip_html`` is ``"Epic Battle"`` (the guide, line 518): the
    tags and comments go and everything else stays as written, entities included, as PHP's
    strip_tags leaves them."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=False)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

        def handle_entityref(self, name: str) -> None:
            self.parts.append(f"&{name};")

        def handle_charref(self, name: str) -> None:
            self.parts.append(f"&#{name};")

    parser = _Text()
    parser.feed(_text("strip_html", value))
    parser.close()
    return "".join(parser.parts)


#: PHP's sprintf conversions (php.net/manual/en/function.sprintf.php): argnum$, flags, width,
#: precision, specifier. Written by hand: Python's % has no argnum and no 'x padding, and no
#: library formats PHP's way.
_SPRINTF = re.compile(r"%(?:(\d+)\$)?((?:[-+ 0]|'.)*)(\d+)?(?:\.(\d+))?(.)")


def _sprintf(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"Hello %s, you have %d new messages"|sprintf:"Bob":5`` is ``"Hello Bob, you have 5
    new messages"`` (the guide, line 573)."""
    pattern = _text("sprintf", value)
    position = 0

    def convert(match: re.Match[str]) -> str:
        nonlocal position
        number, flags, width, precision, kind = match.groups()
        if kind == "%":
            return "%"
        if kind not in "bcdeEfFgGosuxX":
            raise ValueError(
                "sprintf met a conversion it does not know (the text is not quoted: it may "
                "hold a key); it takes %s, %d, %u, %f, %F, %e, %E, %g, %G, "
                "%x, %X, %o, %b, %c and %%"
            )
        if number is not None:
            index = int(number) - 1
        else:
            index, position = position, position + 1
        if not 0 <= index < len(args):
            raise ValueError("sprintf has more conversions than values")
        return _sprintf_one(args[index], flags, width, precision, kind)

    text = _SPRINTF.sub(convert, pattern)
    text_size_check(len(text), "sprintf")
    return text


def _sprintf_one(item: Any, flags: str, width: str | None, precision: str | None, kind: str) -> str:
    if item is None or isinstance(item, (bool, list, dict, Binary)):
        # a bool: PHP writes true as 1 and false as "", and Xano's documents do not say
        # whether its sprintf does the same, so it is refused rather than guessed
        raise TypeError(
            f"sprintf formats text and numbers; got {_kind(item)} (make it text first, e.g. "
            "with to_text)"
        )
    pad = "0" if "0" in flags.replace("'0", "") else " "
    custom = re.search(r"'(.)", flags)
    if custom:
        pad = custom.group(1)
    left, plus = "-" in flags, "+" in flags
    size = int(width) if width else 0
    if size > 1000 or (precision and int(precision) > 100):
        raise ValueError("sprintf's width is limited to 1,000 and its precision to 100")
    if kind == "s":
        body = _to_text(item, (), lambda note: None) if not isinstance(item, str) else item
        body = body[: int(precision)] if precision else body
        sign = ""
    else:
        raw = _sprintf_number(item, kind)
        sign = "-" if raw < 0 and kind != "u" else ("+" if plus and kind in "dieEfFgG" else "")
        number = abs(raw)
        if kind in "di":
            body = str(int(number))
        elif kind == "u":  # PHP's unsigned view of a 64-bit integer
            body = str(int(raw) % 2**64)
        elif kind in "fF":
            body = f"{number:.{int(precision) if precision else 6}f}"
        elif kind in "eE":
            mantissa = f"{number:.{int(precision) if precision else 6}e}"
            body = re.sub(r"e([+-])0*(\d)", r"e\1\2", mantissa)  # PHP writes 1.0e+1, not e+01
            body = body.upper() if kind == "E" else body
        elif kind in "gG":
            body = f"{number:.{int(precision) if precision else 6}{kind}}"
        elif kind == "c":
            if not 0 <= int(raw) <= 127:
                raise ValueError("sprintf's %c takes an ASCII code, 0 to 127")
            body, sign = chr(int(raw)), ""
        else:  # x, X, o, b: PHP's unsigned view of a 64-bit integer
            body, sign = format(int(raw) % 2**64, kind), ""
    if left:
        return (sign + body).ljust(size, " " if pad == "0" else pad)
    if pad == "0" and sign:
        return sign + body.rjust(size - len(sign), "0")
    return (sign + body).rjust(size, pad)


def _sprintf_number(item: Any, kind: str) -> float | int:
    if isinstance(item, (int, float)):
        return item
    text = str(item).strip()
    found = re.match(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text)
    if not found:  # PHP reads text that does not start with a number as 0
        return 0
    read = float(found.group(0))
    return int(read) if kind in "dicuxXob" else read


def _percent_encoder(name: str) -> Callable[..., str]:
    def apply(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
        from urllib.parse import quote

        text = _text(name, value)
        text_size_check(len(text) * 12, name)  # a character is at most 4 bytes, 12 chars
        return quote(text, safe="")

    apply.__doc__ = (
        f'``"Hello, World!"|{name}`` is ``"Hello%2C%20World%21"`` (docs.xano.com filter '
        "reference; the guide, line 1083): every byte but letters, digits and ``-_.~`` "
        "percent-encoded (RFC 3986 section 2.3), space as %20."
    )
    return apply


def _url_decode(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"Hello%2C%20World%21"|url_decode`` is ``"Hello, World!"`` (docs.xano.com filter
    reference). No Xano document says whether ``+`` is a space; it is kept, with a note."""
    if "+" in _text("url_decode", value):
        warn("url_decode kept + as +: no Xano document says whether it means a space")
    return _percent_decoded("url_decode", value)


def _url_decode_rfc3986(value: Any, args: tuple[Any, ...], warn: Warn) -> str:
    """``"Hello%2C%20World%21"|url_decode_rfc3986`` is ``"Hello, World!"`` (the guide, line
    1073); RFC 3986 gives + no meaning, so it stays +."""
    return _percent_decoded("url_decode_rfc3986", value)


def _percent_decoded(name: str, value: Any) -> str:
    from urllib.parse import unquote

    try:
        return unquote(_text(name, value), errors="strict")
    except UnicodeDecodeError:
        raise ValueError(f"{name} got percent-escapes that are not UTF-8 text") from None


FILTERS: dict[str, FilterSpec] = {
    "substr": FilterSpec(_substr, 1, 2, "substr:start:length"),
    "slice": FilterSpec(_slice, 1, 2, "slice:offset:length"),
    "count": FilterSpec(_count, 0, 0, "count"),
    "strlen": FilterSpec(_strlen, 0, 0, "strlen"),
    "to_upper": FilterSpec(_to_upper, 0, 0, "to_upper"),
    "to_lower": FilterSpec(_to_lower, 0, 0, "to_lower"),
    "capitalize": FilterSpec(_capitalize, 0, 0, "capitalize"),
    "trim": FilterSpec(_trim, 0, 1, "trim:characters"),
    "ltrim": FilterSpec(_ltrim, 0, 1, "ltrim:characters"),
    "rtrim": FilterSpec(_rtrim, 0, 1, "rtrim:characters"),
    "url_encode": FilterSpec(_percent_encoder("url_encode"), 0, 0, "url_encode"),
    "url_decode": FilterSpec(_url_decode, 0, 0, "url_decode"),
    "url_encode_rfc3986": FilterSpec(
        _percent_encoder("url_encode_rfc3986"), 0, 0, "url_encode_rfc3986"
    ),
    "url_decode_rfc3986": FilterSpec(_url_decode_rfc3986, 0, 0, "url_decode_rfc3986"),
    "array_slice": FilterSpec(_array_slice, 1, 2, "array_slice:offset:length"),
    "index": FilterSpec(_index_of("index", fold=False), 1, 1, "index:text"),
    "iindex": FilterSpec(_index_of("iindex", fold=True), 1, 1, "iindex:text"),
    "number_format": FilterSpec(_number_format, 0, 3, "number_format:decimals:point:thousands"),
    "strip_html": FilterSpec(_strip_html, 0, 0, "strip_html"),
    "sprintf": FilterSpec(_sprintf, 0, 20, "sprintf:value1:value2..."),
    "replace": FilterSpec(_replace, 2, 2, "replace:search:replacement"),
    "split": FilterSpec(_split, 1, 1, "split:separator"),
    "join": FilterSpec(_join, 1, 1, "join:separator"),
    "contains": FilterSpec(_contains, 1, 1, "contains:text"),
    "starts_with": FilterSpec(_starts_with, 1, 1, "starts_with:text"),
    "ends_with": FilterSpec(_ends_with, 1, 1, "ends_with:text"),
    "first": FilterSpec(_first, 0, 0, "first"),
    "last": FilterSpec(_last, 0, 0, "last"),
    "reverse": FilterSpec(_reverse, 0, 0, "reverse"),
    "sort": FilterSpec(_sort, 2, 3, SORT_USAGE),
    "unique": FilterSpec(_unique, 0, 0, "unique"),
    "push": FilterSpec(_push, 1, 1, "push:value"),
    "merge": FilterSpec(_merge, 1, 1, "merge:other"),
    "get": FilterSpec(_get, 1, 2, "get:key:default"),
    "set": FilterSpec(_set, 2, 2, "set:key:value"),
    "unset": FilterSpec(_unset, 1, 1, "unset:key"),
    "has": FilterSpec(_has, 1, 1, "has:key"),
    "keys": FilterSpec(_keys, 0, 0, "keys"),
    "values": FilterSpec(_values, 0, 0, "values"),
    "to_text": FilterSpec(_to_text, 0, 0, "to_text"),
    "to_int": FilterSpec(_to_int, 0, 0, "to_int"),
    "to_decimal": FilterSpec(_to_decimal, 0, 0, "to_decimal"),
    "to_bool": FilterSpec(_to_bool, 0, 0, "to_bool"),
    "is_null": FilterSpec(_is_null, 0, 0, "is_null"),
    "is_empty": FilterSpec(_is_empty, 0, 0, "is_empty"),
    "first_notnull": FilterSpec(_first_notnull, 1, 1, "first_notnull:default"),
    "first_notempty": FilterSpec(_first_notempty, 1, 1, "first_notempty:default"),
    "abs": FilterSpec(_abs, 0, 0, "abs"),
    "sqrt": FilterSpec(_unary_math("sqrt", math.sqrt, "a number of 0 or more"), 0, 0, "sqrt"),
    "exp": FilterSpec(_unary_math("exp", math.exp), 0, 0, "exp"),
    "log": FilterSpec(_log, 1, 1, "log:base"),
    "log10": FilterSpec(_unary_math("log10", math.log10, "a number above 0"), 0, 0, "log10"),
    "ln": FilterSpec(_unary_math("ln", math.log, "a number above 0"), 0, 0, "ln"),
    "pow": FilterSpec(_pow, 1, 1, "pow:exponent"),
    "deg2rad": FilterSpec(_unary_math("deg2rad", math.radians), 0, 0, "deg2rad"),
    "rad2deg": FilterSpec(_unary_math("rad2deg", math.degrees), 0, 0, "rad2deg"),
    "sin": FilterSpec(_unary_math("sin", math.sin, "a finite number"), 0, 0, "sin"),
    "cos": FilterSpec(_unary_math("cos", math.cos, "a finite number"), 0, 0, "cos"),
    "tan": FilterSpec(_unary_math("tan", math.tan, "a finite number"), 0, 0, "tan"),
    "asin": FilterSpec(_unary_math("asin", math.asin, "a number from -1 to 1"), 0, 0, "asin"),
    "acos": FilterSpec(_unary_math("acos", math.acos, "a number from -1 to 1"), 0, 0, "acos"),
    "atan": FilterSpec(_unary_math("atan", math.atan), 0, 0, "atan"),
    "asinh": FilterSpec(_unary_math("asinh", math.asinh), 0, 0, "asinh"),
    "acosh": FilterSpec(_unary_math("acosh", math.acosh, "a number of 1 or more"), 0, 0, "acosh"),
    "atanh": FilterSpec(_unary_math("atanh", math.atanh, "a number between -1 and 1"), 0, 0,
                        "atanh"),
    "sum": FilterSpec(_fold("sum", sum), 0, 0, "sum"),
    "avg": FilterSpec(_fold("avg", lambda xs: sum(xs) / len(xs)), 0, 0, "avg"),
    "product": FilterSpec(_fold("product", math.prod), 0, 0, "product"),
    "bitwise_and": FilterSpec(_bitwise("bitwise_and", lambda a, b: a & b), 1, 1,
                              "bitwise_and:other"),
    "bitwise_or": FilterSpec(_bitwise("bitwise_or", lambda a, b: a | b), 1, 1, "bitwise_or:other"),
    "bitwise_xor": FilterSpec(_bitwise("bitwise_xor", lambda a, b: a ^ b), 1, 1,
                              "bitwise_xor:other"),
    "odd": FilterSpec(_parity("odd", 1), 0, 0, "odd"),
    "even": FilterSpec(_parity("even", 0), 0, 0, "even"),
    "ceil": FilterSpec(_ceil, 0, 0, "ceil"),
    "floor": FilterSpec(_floor, 0, 0, "floor"),
    "round": FilterSpec(_round, 0, 1, "round:places"),
    "min": FilterSpec(_min, 0, 1, "min:other"),
    "max": FilterSpec(_max, 0, 1, "max:other"),
    "array_min": FilterSpec(_array_min, 0, 0, "array_min"),
    "array_max": FilterSpec(_array_max, 0, 0, "array_max"),
    "add": FilterSpec(_add, 1, 1, "add:number"),
    "subtract": FilterSpec(_arithmetic("subtract", lambda a, b: a - b), 1, 1, "subtract:number"),
    "sub": FilterSpec(_arithmetic("sub", lambda a, b: a - b), 1, 1, "sub:number"),
    "multiply": FilterSpec(_arithmetic("multiply", lambda a, b: a * b), 1, 1, "multiply:number"),
    "mul": FilterSpec(_arithmetic("mul", lambda a, b: a * b), 1, 1, "mul:number"),
    "divide": FilterSpec(_arithmetic("divide", lambda a, b: a / b), 1, 1, "divide:number"),
    "div": FilterSpec(_arithmetic("div", lambda a, b: a / b), 1, 1, "div:number"),
    "modulus": FilterSpec(_arithmetic("modulus", lambda a, b: a % b), 1, 1, "modulus:number"),
    "mod": FilterSpec(_arithmetic("mod", lambda a, b: a % b), 1, 1, "mod:number"),
    "json_encode": FilterSpec(_json_encode, 0, 0, "json_encode"),
    "json_decode": FilterSpec(_json_decode, 0, 0, "json_decode"),
    "base64_encode": FilterSpec(_base64_encode, 0, 0, "base64_encode"),
    "base64_decode": FilterSpec(_base64_decode, 0, 0, "base64_decode"),
    "bin2hex": FilterSpec(_bin2hex, 0, 0, "bin2hex"),
    "hex2bin": FilterSpec(_hex2bin, 0, 0, "hex2bin"),
    "is_array": FilterSpec(_is_type(list), 0, 0, "is_array"),
    "is_object": FilterSpec(_is_type(dict), 0, 0, "is_object"),
    "is_decimal": FilterSpec(_is_type(float), 0, 0, "is_decimal"),  # the guide, line 834
    "is_bool": FilterSpec(_is_type(bool), 0, 0, "is_bool"),  # line 839
    "is_int": FilterSpec(_is_type(int), 0, 0, "is_int"),
    "is_text": FilterSpec(_is_type(str), 0, 0, "is_text"),
    "concat": FilterSpec(_concat, 1, 2, "concat:text:separator"),
    "icontains": FilterSpec(_icontains, 1, 1, "icontains:text"),
    "istarts_with": FilterSpec(_istarts_with, 1, 1, "istarts_with:text"),
    "iends_with": FilterSpec(_iends_with, 1, 1, "iends_with:text"),
    "entries": FilterSpec(_entries, 0, 0, "entries"),
    "set_conditional": FilterSpec(_set_conditional, 3, 3, "set_conditional:key:value:condition"),
    "set_ifnotnull": FilterSpec(_set_ifnotnull, 2, 2, "set_ifnotnull:key:value"),
    "set_ifnotempty": FilterSpec(_set_ifnotempty, 2, 2, "set_ifnotempty:key:value"),
    "flatten": FilterSpec(_flatten, 0, 0, "flatten"),
    "diff": FilterSpec(_diff, 1, 1, "diff:other"),
    "intersect": FilterSpec(_intersect, 1, 1, "intersect:other"),
    "pop": FilterSpec(_pop, 0, 0, "pop"),
    "shift": FilterSpec(_shift, 0, 0, "shift"),
    "unshift": FilterSpec(_unshift, 1, 1, "unshift:value"),
    "map": FilterSpec(_map, 1, 1, "map:expression", higher_order=True),
    "filter": FilterSpec(_keep, 1, 1, "filter:expression", higher_order=True),
    "some": FilterSpec(_some, 1, 1, "some:expression", higher_order=True),
    "every": FilterSpec(_every, 1, 1, "every:expression", higher_order=True),
    "find": FilterSpec(_find, 1, 1, "find:expression", higher_order=True),
    "findIndex": FilterSpec(_find_index, 1, 1, "findIndex:expression", higher_order=True),
    "reduce": FilterSpec(_reduce, 2, 2, "reduce:(expression):initial", higher_order=True),
    "transform": FilterSpec(_transform, 1, 1, "transform:expression", higher_order=True),
    "append": FilterSpec(_push, 1, 1, "append:value"),  # the guide, line 366: as push
    "prepend": FilterSpec(_unshift, 1, 1, "prepend:value"),  # line 371: as unshift
    "safe_array": FilterSpec(_safe_array, 0, 0, "safe_array"),
    "filter_empty": FilterSpec(_filter_empty, 0, 1, "filter_empty:path"),
    "index_by": FilterSpec(_index_by, 1, 1, "index_by:path"),
    "remove": FilterSpec(_remove, 1, 1, "remove:value"),
    "create_object": FilterSpec(_create_object, 1, 1, "create_object:values"),
    "create_object_from_entries": FilterSpec(_create_object_from_entries, 0, 0,
                                             "create_object_from_entries"),
    "fill": FilterSpec(_fill, 2, 2, "fill:start:count"),
    "fill_keys": FilterSpec(_fill_keys, 1, 1, "fill_keys:keys"),
    "pick": FilterSpec(_pick(keep=True), 1, 1, "pick:keys"),
    "unpick": FilterSpec(_pick(keep=False), 1, 1, "unpick:keys"),
    "md5": FilterSpec(_md5, 0, 0, "md5"),
    "sha1": FilterSpec(_sha1, 0, 1, "sha1"),
    "sha256": FilterSpec(_sha256, 0, 1, "sha256"),
    "sha512": FilterSpec(_sha512, 0, 1, "sha512"),
    "hmac_md5": FilterSpec(_hmac("hmac_md5", hashlib.md5), 1, 2, "hmac_md5:key:hex"),
    "hmac_sha1": FilterSpec(_hmac("hmac_sha1", hashlib.sha1), 1, 2, "hmac_sha1:key:hex"),
    "hmac_sha256": FilterSpec(_hmac("hmac_sha256", hashlib.sha256), 1, 2, "hmac_sha256:key:hex"),
    "hmac_sha384": FilterSpec(_hmac("hmac_sha384", hashlib.sha384), 1, 2, "hmac_sha384:key:hex"),
    "hmac_sha512": FilterSpec(_hmac("hmac_sha512", hashlib.sha512), 1, 2, "hmac_sha512:key:hex"),
}


FILTERS.update(
    {
        name: FilterSpec(function, fewest, most, usage, clocked=True)
        for name, (function, fewest, most, usage) in timestamps.TIMESTAMP_FILTERS.items()
    }
)

#: The filters whose first argument is an expression run per element.
HIGHER_ORDER = frozenset(name for name, spec in FILTERS.items() if spec.higher_order)

#: Filters Xano documents (the filter tables of syntax.md and its sub-topics) that this kit
#: does not run: named as such rather than as unknown.
NOT_RUN_HERE: frozenset[str] = frozenset(
    {
        "shuffle", "range", "regex_matches",
        "regex_get_first_match", "regex_get_all_matches",
        "regex_replace", "escape", "addslashes", "encrypt",
        "decrypt", "jws_encode", "jws_decode", "jwe_encode", "jwe_decode", "uuid",
        "secureid_encode", "secureid_decode", "yaml_encode", "yaml_decode", "csv_parse",
        "csv_create", "querystring_parse", "xml_decode", "lambda_map", "lambda_filter",
        "lambda_reduce",
    }
)  # fmt: skip


#: The filters, for a message: the timestamp family (timestamps.py) in one short phrase.
_FILTER_LIST = (
    ", ".join(name for name in FILTERS if name not in timestamps.TIMESTAMP_FILTERS)
    + f", and the timestamp filters {timestamps.FAMILY}"
)


def check_filter(name: str, arg_count: int) -> str | None:
    """Why ``name`` with ``arg_count`` arguments cannot run, or None if it can."""
    spec = FILTERS.get(name)
    if spec is None and name in NOT_RUN_HERE:
        return f"`{name}` is not supported here; the filters this kit runs are {_FILTER_LIST}"
    if spec is None:
        close = difflib.get_close_matches(name, FILTERS, n=1)
        if close:  # the likely fix alone, not a wall of names
            return f"unknown filter {name!r}: did you mean {close[0]}?"
        return f"unknown filter {name!r}; the supported filters are {_FILTER_LIST}"
    if not spec.min_args <= arg_count <= spec.max_args:
        return f"{name} takes {_arity(spec)}: {spec.usage}"
    return None


def _arity(spec: FilterSpec) -> str:
    if spec.max_args == 0:
        return "no arguments"
    if spec.min_args == spec.max_args:
        return f"{spec.max_args} argument{'s' if spec.max_args > 1 else ''}"
    return f"{spec.min_args} to {spec.max_args} arguments"


def _epoch_ms() -> int:
    return time.time_ns() // 1_000_000


def apply_filter(
    name: str, value: Any, args: tuple[Any, ...], warn: Warn, now: timestamps.Clock = _epoch_ms
) -> Any:
    """``value|name:args``; ``now`` is the run's clock in milliseconds, for the timestamp
    filters (``%%xanoscript --now`` fixes it)."""
    spec = FILTERS[name]
    if spec.higher_order:  # the interpreter calls these itself: their argument is code
        raise AssertionError(f"{name} needs the interpreter's evaluation of its expression")
    if spec.clocked:
        return spec.function(value, args, warn, now)
    return spec.function(value, args, warn)
