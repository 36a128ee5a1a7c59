"""Which strings are key material, and how a value is shown with them hidden.

A :class:`SecretBook` holds the secrets a run met (each ``k`` made by create_secret_key, keys
given to the JWS functions, ``$env`` values) and strings derived from them by filters. Any
string sharing :data:`WINDOW` or more consecutive characters with a secret is key material:
it is replaced whole by a placeholder built on :func:`xsk_nb.masking.masked`, which says what
the string is (``first 16 chars of key a1b2c3``) without showing any of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from xsk_nb.masking import key_label, masked

WINDOW = 8
#: Shortest secret worth tracking; shorter text (e.g. an empty ``$env`` value) would mask
#: ordinary words. The JWS functions refuse keys this short anyway (RFC 7518 §3.2).
MIN_SECRET_CHARS = WINDOW


@dataclass(frozen=True)
class _Derived:
    text: str
    how: str  # e.g. "to_upper of key a1b2c3"


class SecretBook:
    """The secrets of one run (or one notebook database) and the masking built on them."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self._derived: list[_Derived] = []
        self._windows: dict[str, int] = {}  # window -> index into _secrets (-1 - i: derived)
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        """Track ``secret``; silently ignored if shorter than :data:`MIN_SECRET_CHARS`."""
        if len(secret) < MIN_SECRET_CHARS or secret in self._secrets:
            return
        self._secrets.append(secret)
        self._index(secret, len(self._secrets) - 1)

    def add_derived(self, text: str, how: str) -> None:
        """Track ``text``, computed from key material (``how`` says how) as key material too."""
        if len(text) < MIN_SECRET_CHARS or self._derived_how(text):
            return
        if any(text in secret for secret in self._secrets):
            return  # a piece of a key: placeholder() says which piece
        self._derived.append(_Derived(text, how))
        self._index(text, -len(self._derived))

    def update(self, other: SecretBook) -> None:
        for secret in other._secrets:
            self.add(secret)
        for derived in other._derived:
            self.add_derived(derived.text, derived.how)

    def add_jwks_in(self, value: Any) -> None:
        """Track the ``k`` of every oct JWK inside ``value`` (dicts and lists walked)."""
        for item in _walk(value):
            if isinstance(item, dict) and isinstance(item.get("k"), str) and "kty" in item:
                self.add(item["k"])

    def _derived_how(self, text: str) -> str | None:
        return next((d.how for d in self._derived if d.text == text), None)

    def _index(self, text: str, index: int) -> None:
        for start in range(len(text) - WINDOW + 1):
            self._windows.setdefault(text[start : start + WINDOW], index)

    def _match(self, text: str) -> tuple[int, int] | None:
        """(index, start in text) of the first window of ``text`` found in a tracked string."""
        for start in range(len(text) - WINDOW + 1):
            index = self._windows.get(text[start : start + WINDOW])
            if index is not None:
                return index, start
        return None

    def covers(self, value: Any) -> bool:
        """Whether any string inside ``value`` holds key material."""
        return any(isinstance(s, str) and self._match(s) for s in _walk(value))

    def placeholder(self, text: str) -> str | None:
        """What to show instead of ``text``, or None if ``text`` holds no key material."""
        if text in self._secrets:
            return masked(text)
        how = self._derived_how(text)
        if how is not None:
            return f"‹hidden: {len(text)} chars, {how}›"
        found = self._match(text)
        if found is None:
            return None
        index, _ = found
        if index < 0:
            return f"‹hidden: {len(text)} chars holding part of {self._derived[-1 - index].how}›"
        secret = self._secrets[index]
        label = key_label(secret)
        if secret.startswith(text):
            return f"‹hidden: first {len(text)} chars of key {label}›"
        if text in secret:
            return f"‹hidden: {len(text)} chars from inside key {label}›"
        return f"‹hidden: {len(text)} chars holding part of key {label}›"

    def describe_source(self, value: Any) -> str:
        """Which key a value holding key material comes from, for a derived string's note."""
        for item in _walk(value):
            if isinstance(item, str) and (found := self._match(item)):
                index, _ = found
                if index < 0:
                    return self._derived[-1 - index].how.split(" of ", 1)[-1]
                return f"key {key_label(self._secrets[index])}"
        return "a secret"

    def mask(self, value: Any) -> Any:
        """A copy of ``value`` (JSON-like) with every string holding key material replaced."""
        if isinstance(value, str):
            return self.placeholder(value) or value
        if isinstance(value, dict):
            return {self.mask(str(k)): self.mask(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.mask(v) for v in value]
        return value

    def scrub(self, message: str) -> str:
        """``message`` with every run of key material in it replaced by ``‹hidden›``."""
        hidden = [False] * len(message)
        for start in range(len(message) - WINDOW + 1):
            if message[start : start + WINDOW] in self._windows:
                hidden[start : start + WINDOW] = [True] * WINDOW
        out, previous = [], False
        for char, is_hidden in zip(message, hidden, strict=True):
            if not is_hidden:
                out.append(char)
            elif not previous:
                out.append("‹hidden›")
            previous = is_hidden
        return "".join(out)


def _walk(value: Any) -> Iterable[Any]:
    """``value`` and everything inside it (iteratively: nesting depth is not a risk)."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
