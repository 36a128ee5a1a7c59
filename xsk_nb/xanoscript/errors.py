"""The one exception a XanoScript cell raises for a user's mistake, and how it reads."""

from __future__ import annotations

from collections.abc import Iterable


class XanoScriptError(Exception):
    """A mistake in a cell or its inputs: one clear message, never holding key material.

    ``line`` and ``column`` (1-based) point into the cell when the mistake has a place; the
    error writes them itself as a ``line L, column C:`` prefix. ``excerpt`` (the cell's line
    with a caret, see :func:`caret_excerpt`) follows the message on its own lines.
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.excerpt = excerpt

    @property
    def where(self) -> str:
        """``line L, column C`` (or ``line L``, or nothing) for the error's place."""
        if self.line is None:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n{self.excerpt}" if self.excerpt else text


class XanoScriptSyntaxError(XanoScriptError):
    """The cell is not XanoScript this kit can read (found before anything runs)."""


class XanoScriptRuntimeError(XanoScriptError):
    """A statement failed while the cell ran."""


class XanoScriptLimitError(XanoScriptRuntimeError):
    """The cell tried to build a value, a loop or a call chain past one of the kit's bounds."""


def missing_extra(module: str) -> XanoScriptError:
    """The one sentence for a missing package a XanoScript cell needs (issue 21 §2: with
    IPython but no extra, %%xanoscript ended in a raw ModuleNotFoundError), worded by
    :func:`xsk_nb.optional.missing_sentence`, which knows the extra that installs ``module``."""
    from xsk_nb.optional import missing_sentence

    return XanoScriptError(missing_sentence("a %%xanoscript cell", module))


def not_supported(construct: str, supported: Iterable[str]) -> str:
    """The one sentence refusing ``construct``, with the list of what is supported instead."""
    return f"`{construct}` is not supported here; this kit runs {', '.join(supported)}"


def caret_excerpt(source: str, line: int, column: int) -> str:
    """The cell's ``line`` and a caret under ``column``, indented, for an error message."""
    lines = source.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if len(text) > 120:  # keep the excerpt short around the column
        start = max(0, column - 60)
        text, column = text[start : start + 120], column - start
    return f"    {text}\n    {' ' * (column - 1)}^"
