"""``%%xanoscript`` and ``%xs_db``: thin IPython adapters over :func:`xsk_nb.xanoscript.run`.

Registered by ``%load_ext xsk_nb`` through :func:`register`. Every user mistake is a
``UsageError`` (one message, no traceback), raised before anything is displayed.
"""

from __future__ import annotations

import keyword
import sys
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display
from traitlets import Unicode

from xsk_nb.xanoscript.db import NotebookDatabase, check_identifier
from xsk_nb.xanoscript.errors import XanoScriptError
from xsk_nb.xanoscript.interpreter import run
from xsk_nb.xanoscript.response import Response, TableView


@magics_class
class XanoScriptMagics(Magics):
    """Run XanoScript cells against a notebook-local SQLite database."""

    db_path = Unicode(
        "", help="SQLite file for db.add; empty keeps the database in memory for this session."
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._db: NotebookDatabase | None = None

    @property
    def db(self) -> NotebookDatabase:
        if self._db is None or self._db.path != (self.db_path or None):
            self._db = NotebookDatabase(self.db_path or None)
        return self._db

    @magic_arguments()
    @argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value for an input, checked against its declared type; repeat as needed",
    )
    @argument(
        "-o",
        "--output",
        action="store_true",
        help="return the response as the cell's value: an object whose display is masked, "
        "with .raw (the response itself) and .reveal()",
    )
    @argument(
        "-v",
        "--variable",
        metavar="NAME",
        help="store that same response object in NAME instead of displaying it",
    )
    @argument(
        "--reveal",
        action="store_true",
        help="show the response unmasked, under a warning: it will be saved with the notebook",
    )
    @no_var_expand
    @cell_magic
    def xanoscript(self, line: str, cell: str) -> Response | None:
        """Run a XanoScript ``query`` block or bare stack statements; show the response masked."""
        args = parse_argstring(self.xanoscript, line)
        inputs = _parse_inputs(args.input)
        if args.variable is not None and (
            not args.variable.isidentifier() or keyword.iskeyword(args.variable)
        ):
            raise UsageError(f"-v needs a Python variable name; got {args.variable!r}")
        try:
            response = run(cell, inputs, db=self.db)
        except XanoScriptError as error:
            raise UsageError(str(error)) from None
        if args.variable is not None:
            self.shell.user_ns[args.variable] = response
        shows_report = args.output or (args.variable is None and not args.reveal)
        if not shows_report:  # the report carries its warnings; say them when it is not shown
            for text in response.warnings:
                print(f"warning: {text}", file=sys.stderr)
        if args.reveal:
            display(response.reveal())
        elif shows_report and not args.output:
            display(response)
        return response if args.output else None

    @magic_arguments()
    @argument("table", nargs="?", help="show this table's rows; without it, list the tables")
    @argument("--limit", type=int, default=20, help="show at most this many rows (the last ones)")
    @argument(
        "--file",
        metavar="PATH",
        help="use this SQLite file from now on (created if missing); ':memory:' for memory",
    )
    @no_var_expand
    @line_magic
    def xs_db(self, line: str) -> None:
        """Look at the notebook database that ``db.add`` writes to (values masked)."""
        args = parse_argstring(self.xs_db, line)
        if args.limit < 1:  # checked before --file changes anything
            raise UsageError("--limit must be 1 or more")
        if args.file is not None:
            self.db_path = "" if args.file == ":memory:" else args.file
        db = self.db
        where = db.path or "in memory"
        try:
            if args.table is None:
                rows = [{"table": name, "rows": count} for name, count in db.tables().items()]
                view = TableView(f"notebook database ({where})", rows, db.secrets)
            else:
                check_identifier("table", args.table)
                view = TableView(
                    f"table {args.table} ({where})", db.rows(args.table, args.limit), db.secrets
                )
        except ValueError as error:
            raise UsageError(str(error)) from None
        display(view)


def _parse_inputs(items: list[str]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name.isidentifier():
            raise UsageError("--input takes NAME=VALUE, like --input bits=512")
        if name in inputs:
            raise UsageError(f"--input {name} is given twice")
        inputs[name] = value
    return inputs


def register(ipython: Any) -> None:
    """Register ``%%xanoscript`` and ``%xs_db`` with ``ipython``."""
    ipython.register_magics(XanoScriptMagics(ipython))


def unregister(ipython: Any) -> None:
    """Remove the magics :func:`register` added."""
    from xsk_nb.magic import remove_magics

    remove_magics(ipython, XanoScriptMagics)
