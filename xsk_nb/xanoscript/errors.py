"""The one exception a XanoScript cell raises for a user's mistake, and how it reads."""

from __future__ import annotations


class XanoScriptError(Exception):
    """A mistake in a cell or its inputs: one clear message, never holding key material.

    ``line`` and ``column`` (1-based) point into the cell when the mistake has a place.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message


class XanoScriptSyntaxError(XanoScriptError):
    """The cell is not XanoScript this kit can read (found before anything runs)."""


class XanoScriptRuntimeError(XanoScriptError):
    """A statement failed while the cell ran."""


def caret_excerpt(source: str, line: int, column: int) -> str:
    """The cell's ``line`` and a caret under ``column``, indented, for an error message."""
    lines = source.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if len(text) > 120:  # keep the excerpt short around the column
        start = max(0, column - 60)
        text, column = text[start : start + 120], column - start
    return f"    {text}\n    {' ' * (column - 1)}^"
