"""Run XanoScript in Python and in notebooks: the ``%%xanoscript`` cell magic's engine.

``run(source, inputs)`` parses a cell (a ``query`` block or bare stack statements) with the
lark grammar in ``grammar.lark`` and runs it, returning a :class:`Response` that displays the
response with key material masked. Importing this package loads only the standard library;
lark loads at the first parse and PyJWT at the first JWS statement. IPython is imported only
by :mod:`xsk_nb.xanoscript.magic`.
"""

from __future__ import annotations

from xsk_nb.xanoscript.db import NotebookDatabase
from xsk_nb.xanoscript.errors import (
    XanoScriptError,
    XanoScriptRuntimeError,
    XanoScriptSyntaxError,
)
from xsk_nb.xanoscript.interpreter import run
from xsk_nb.xanoscript.parser import parse
from xsk_nb.xanoscript.response import Response, RevealedResponse

__all__ = [
    "NotebookDatabase",
    "Response",
    "RevealedResponse",
    "XanoScriptError",
    "XanoScriptRuntimeError",
    "XanoScriptSyntaxError",
    "parse",
    "run",
]
