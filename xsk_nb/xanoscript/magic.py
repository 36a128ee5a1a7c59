"""``%%xanoscript`` and ``%xs_db``: thin IPython adapters over :func:`xsk_nb.xanoscript.run`.

Registered by ``%load_ext xsk_nb`` through :func:`register`. Every user mistake is a
``UsageError`` (one message, no traceback), raised before anything is displayed.
"""

from __future__ import annotations

import keyword
import sqlite3
import sys
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display
from traitlets import Unicode

from xsk_nb._ipython import parse_magic_line
from xsk_nb.xanoscript.db import MAX_ROWS_SHOWN, NotebookDatabase, check_identifier
from xsk_nb.xanoscript.errors import XanoScriptError
from xsk_nb.xanoscript.inputs import UNDECLARED_INPUT_RULE
from xsk_nb.xanoscript.interpreter import run
from xsk_nb.xanoscript.nodes import Script
from xsk_nb.xanoscript.response import Response, TableView, sendable
from xsk_nb.xanoscript.timestamps import moment_ms

DEFAULT_ROWS_SHOWN = 20


def _parse_now(text: str) -> float:
    """``--now``'s moment, in seconds since the epoch (the run's clock unit)."""
    try:
        return moment_ms("--now", text) / 1000
    except (TypeError, ValueError) as error:
        raise UsageError(f"--now: {error}") from None


@magics_class
class XanoScriptMagics(Magics):
    """Run XanoScript cells against a notebook-local SQLite database."""

    db_path = Unicode(
        "", help="SQLite file for db.add; empty keeps the database in memory for this session."
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._db: NotebookDatabase | None = None
        self.functions: dict[str, Script] = {}  # function blocks of earlier cells

    @property
    def db(self) -> NotebookDatabase:
        """The database ``db.path`` names; UsageError (nothing switched) if it is refused."""
        if self._db is None or self._db.path != (self.db_path or None):
            self._switch(self.db_path or None)
        assert self._db is not None
        return self._db

    def _switch(self, path: str | None) -> None:
        """Open ``path`` (None: memory) and use it; if it is refused, keep the current one."""
        try:
            opened = NotebookDatabase(path)
        except ValueError as error:
            if self._db is not None:  # a refused %config value: back to the one in use
                self.db_path = self._db.path or ""
            raise UsageError(str(error)) from None
        if self._db is not None:
            self._db.close()
        self._db = opened
        self.db_path = path or ""

    def _check_leaving_memory(self, reset: bool) -> None:
        """Refuse to drop an in-memory database that holds rows unless --reset is given
        (issue 24: `%xs_db --file :memory:` while in memory emptied every table silently)."""
        current = self._db
        if current is None or current.path is not None or reset:
            return
        try:
            held = {name: count for name, count in current.tables().items() if count}
        except sqlite3.Error:
            return
        if held:
            listed = ", ".join(
                f"{name} ({count} row{'s' * (count != 1)})" for name, count in held.items()
            )
            raise UsageError(
                sendable(
                    current.secrets.scrub(
                        f"the in-memory database holds {listed}; switching database drops "
                        "them (nothing copies them to a file): add --reset to switch and drop "
                        "them"
                    )
                )
            )

    @magic_arguments()
    @argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value for an input, checked against its declared type; repeat as needed "
        f"(where {UNDECLARED_INPUT_RULE})",
    )
    @argument(
        "--now",
        metavar="WHEN",
        help="fix the run's clock (now, \"now\"|to_timestamp, a ttl's iat and exp) so the cell "
        "gives the same timestamps each time: an ISO 8601 moment such as 2026-01-01T09:00:00Z "
        "(UTC when it has no offset) or milliseconds since the epoch",
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
        """Run a XanoScript ``query`` block or bare stack statements; show the response masked.

        Key material (every key, every piece of one, anything computed from one) is shown as a
        placeholder in every display form unless --reveal is given. Masking follows data, not
        control flow: a value computed from a key is masked, but code written to spell a key
        out through conditions (comparing it with each letter, say) will show it, and it is
        your own key. Examples::

            %%xanoscript --input bits=512
            query "create-secret-key" verb=GET {
              input { int bits?=2048 }
              stack {
                security.create_secret_key { bits = $input.bits format = "object" } as $key
              }
              response = { bits: $input.bits, key: $key }
            }

            %%xanoscript -v made
            security.create_secret_key { bits = 512 format = "object" } as $key
            (the response object is stored in ``made``: ``made.raw``, ``made.reveal()``)

            %%xanoscript --now 2026-01-01T09:00:00Z
            response = now|format_timestamp:"Y-m-d H:i T":"Europe/Paris"
            (the same "2026-01-01 10:00 CET" at every run: --now fixes the clock)

            %%xanoscript --input user_id=3
            (Xano's create-api-key example query: its db.add rows go to the notebook
            database, which ``%xs_db api_keys`` shows masked)
        """
        args = parse_magic_line(self.xanoscript, line)
        inputs = _parse_inputs(args.input)
        if args.variable is not None and (
            not args.variable.isidentifier() or keyword.iskeyword(args.variable)
        ):  # the name is not echoed: a pasted key is never shown back
            raise UsageError(
                "-v needs a Python variable name: letters, digits and _, not starting with a "
                "digit, and not a keyword such as class or None"
            )
        now = None if args.now is None else _parse_now(args.now)
        try:
            response = run(cell, inputs, db=self.db, library=self.functions, now=now)
        except XanoScriptError as error:
            raise UsageError(sendable(str(error))) from None
        if args.variable is not None:
            if self.shell is None:  # made without a shell: register() always passes one
                raise UsageError(
                    "-v stores the response in the notebook's namespace, and this magic has "
                    "no IPython shell; load it with %load_ext xsk_nb"
                )
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
    @argument(
        "--limit",
        default=str(DEFAULT_ROWS_SHOWN),
        help=f"show at most this many rows, the last ones (1 to {MAX_ROWS_SHOWN}; "
        f"default {DEFAULT_ROWS_SHOWN})",
    )
    @argument(
        "--file",
        metavar="PATH",
        help="use this SQLite file from now on (created with mode 0600 if missing); "
        "':memory:' for memory",
    )
    @argument(
        "--reset",
        action="store_true",
        help="with --file: leave an in-memory database that holds rows, dropping them",
    )
    @no_var_expand
    @line_magic
    def xs_db(self, line: str) -> None:
        """Look at the notebook database that ``db.add`` writes to (values masked).

        A column that ever held key material is masked in every row, also when the file is
        opened again later (the rule is in :mod:`xsk_nb.xanoscript.db`). Examples::

            %xs_db                        list the tables and their row counts
            %xs_db api_keys --limit 5     the last 5 rows of api_keys, keys masked
            %xs_db --file keys.db         keep db.add rows in keys.db (created with mode
                                          0600); %xs_db --file :memory: goes back to memory
            %xs_db --file :memory: --reset  a new, empty in-memory database: leaving one
                                          that holds rows needs --reset (they are dropped)
        """
        args = parse_magic_line(self.xs_db, line)
        limit = _limit(args.limit)  # every check before --file changes anything
        if args.table is not None:
            try:
                check_identifier("table", _unquote(args.table))
            except ValueError as error:
                raise UsageError(str(error)) from None
        if args.file is not None:
            path = _unquote(args.file)
            if not path:
                raise UsageError("--file needs a path, or :memory: for memory")
            self._check_leaving_memory(args.reset)
            self._switch(None if path == ":memory:" else path)
        elif args.reset:
            raise UsageError("--reset goes with --file: %xs_db --file :memory: --reset")
        db = self.db
        where = db.path or "in memory"
        try:
            if args.table is None:
                rows = [{"table": name, "rows": count} for name, count in db.tables().items()]
                view = TableView(f"notebook database ({where})", rows, db.secrets)
            else:
                table = _unquote(args.table)
                view = TableView(f"table {table} ({where})", db.rows(table, limit), db.secrets)
        except ValueError as error:
            raise UsageError(sendable(str(error))) from None
        except sqlite3.Error:
            raise UsageError("the database could not be read (it may be damaged)") from None
        display(view)


def _limit(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ROWS_SHOWN:
        raise UsageError(f"--limit must be a whole number from 1 to {MAX_ROWS_SHOWN}")
    return int(text)


def _unquote(text: str) -> str:
    """``text`` without one pair of matching outer quotes: IPython splits a magic's line the
    non-POSIX way, which keeps them (``--file "my notes.db"`` gives ``"my notes.db"``)."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _parse_inputs(items: list[str]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for item in items:
        name, equals, value = _unquote(item).partition("=")
        if not equals or not name.isidentifier():
            raise UsageError("--input takes NAME=VALUE, like --input bits=512")
        if name in inputs:
            raise UsageError(f"--input {name} is given twice")
        inputs[name] = _unquote(value)
    return inputs


def register(ipython: Any) -> None:
    """Register ``%%xanoscript`` and ``%xs_db`` with ``ipython``."""
    ipython.register_magics(XanoScriptMagics(ipython))


def unregister(ipython: Any) -> None:
    """Remove the magics :func:`register` added."""
    from xsk_nb._ipython import remove_magics

    remove_magics(ipython, XanoScriptMagics)
