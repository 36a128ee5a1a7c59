"""Binary values: what ``security.random_bytes``, ``security.encrypt`` and ``base64_decode`` of
bytes that are not text give.

Xano's skill documents call these "binary" (xano-inc/cli@eb4d11d .claude/skills/functions/
security-random-bytes/SKILL.md line 26, "Returns a binary string of random bytes";
security-encrypt/SKILL.md line 32, "Returns encrypted binary data ... Use base64_encode filter
for transport") and show them only through a filter (``base64_encode``). A JSON response cannot
hold bytes, so where a binary value is shown (a response, ``debug.log``, ``json_encode``) it is
its lowercase hex, what Xano's ``bin2hex`` filter would make of it, with a run warning
(:data:`SHOWN_AS_HEX`).

A :class:`Binary` carries the same taint as :class:`~xsk_nb.xanoscript.redaction.SecretText`
(``how``, ``source``, ``root``; ``how`` is None for bytes that are not key material), so masking
follows bytes as it follows text. Its ``repr`` and ``str`` name only its size, never its bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The run warning when a binary value is shown (the random_bytes note predates this type).
SHOWN_AS_HEX = (
    "random_bytes, encrypt and base64_decode of bytes that are not text return binary in "
    "Xano, which JSON cannot hold: here binary is shown as lowercase hex (as its bin2hex "
    "filter would); use base64_encode to send it, as Xano's security-encrypt skill does"
)


class Binary:
    """Bytes held by a cell, and their taint (None ``how``: not key material)."""

    __slots__ = ("data", "how", "root", "source")

    def __init__(
        self, data: bytes, how: str | None = None, source: str | None = None, root: bool = False
    ) -> None:
        self.data = bytes(data)
        self.how = how
        self.source = source or how
        self.root = root

    def hex(self) -> str:
        return self.data.hex()

    def __len__(self) -> int:
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Binary) and other.data == self.data

    def __hash__(self) -> int:
        return hash(self.data)

    def __repr__(self) -> str:
        return f"<binary: {len(self.data)} bytes>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a XanoScript binary value may be key material and is not picklable")


def text_or_binary(data: bytes) -> str | Binary:
    """``data`` as text when it is UTF-8 (so "aGVsbG8="|base64_decode is "hello", as before),
    otherwise as a :class:`Binary`."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return Binary(data)


def holds_binary(value: Any) -> bool:
    """Whether ``value`` is or contains a :class:`Binary` (iterative: any depth is safe)."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, Binary):
            return True
        if isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


def as_hex(value: Any, hex_text: Callable[[Binary], Any]) -> Any:
    """A copy of ``value`` with each :class:`Binary` replaced by ``hex_text(binary)`` (dicts and
    lists rebuilt only where they hold one; iterative)."""
    if not holds_binary(value):
        return value
    if isinstance(value, Binary):
        return hex_text(value)
    holder: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, holder, 0)]
    copies: dict[int, Any] = {}
    while stack:
        item, parent, slot = stack.pop()
        if isinstance(item, Binary):
            parent[slot] = hex_text(item)
        elif isinstance(item, (dict, list)):
            if id(item) in copies:
                parent[slot] = copies[id(item)]
                continue
            new: Any = dict.fromkeys(item) if isinstance(item, dict) else [None] * len(item)
            copies[id(item)] = new
            parent[slot] = new
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((member, new, key) for key, member in pairs)
        else:
            parent[slot] = item
    return holder[0]
