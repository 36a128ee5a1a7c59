"""What a value is, in the words a filter's refusal uses ("got an int"): one home for the names,
shared by filters.py and timestamps.py."""

from __future__ import annotations

from typing import Any

from xsk_nb.xanoscript.binary import Binary

_NAMES: dict[type, str] = {
    str: "text",
    bool: "a bool",
    int: "an int",
    float: "a decimal",
    dict: "an object",
    list: "an array",
    type(None): "null",
    Binary: "binary (use base64_encode or bin2hex for its text)",
}


def kind(value: Any) -> str:
    """``"an int"``, ``"text"``, ``"null"`` ...: the kind of ``value`` for a message."""
    return _NAMES.get(type(value), type(value).__name__)
