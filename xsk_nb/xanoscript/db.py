"""The notebook-local database behind ``db.add``: SQLite, in memory unless given a file.

A table is created from the first row's fields (plus an ``id`` primary key, as Xano adds);
a later row with new fields adds columns. Objects and arrays are stored as JSON text.

**Which stored values are shown masked (the rule).** The database cannot keep Python's taint,
so it keeps a marker: when ``db.add`` stores a value that holds key material (a key, a piece of
one however short, anything computed from one), the row's column is recorded in the table
:data:`MARKER_TABLE` of the same database, and from then on **every value of that column, in
every row, is shown masked** by ``%xs_db`` and comes back tainted from :meth:`rows`. The marker
lives in the file, so switching to ``:memory:`` and back, or a new session opening the same
file, still masks the column. In the other columns a second rule masks by look: a text of
:data:`LOOKS_LIKE_KEY_CHARS` or more base64/base64url characters mixing capitals, small
letters and digits is shown masked.
A table named :data:`MARKER_TABLE` cannot be made by ``db.add`` and is not listed.

**The file.** ``--file`` must be a regular SQLite file or a path that does not exist yet (its
folder must exist). It follows the kit's one rule for key files (:mod:`xsk_nb.private_file`):
a folder, a symbolic link, a device or FIFO, a file others can read (any mode but 0600),
another user's file, a file with other hard links, or a file that is not SQLite is refused
before anything changes; the kit creates a new file with mode 0600 and never changes an
existing file's mode.

**Tables the kit did not write.** Every table ``db.add`` writes gets a marker row; a table
with none (made by another tool, or whose marker table was dropped) shows every text masked,
since nothing says which of its columns hold keys. Names match whatever their case, as
SQLite's do. A field name made from key material is refused by ``db.add``: names are shown
unmasked in every table header.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from typing import Any

from xsk_nb.private_file import as_path, check_private_target, os_error_sentence
from xsk_nb.xanoscript.limits import MAX_FIELDS, MAX_IDENTIFIER_CHARS, MAX_ROWS_SHOWN
from xsk_nb.xanoscript.redaction import (
    LOOKS_LIKE_KEY,
    SECRET_COLUMN,
    SecretBook,
    SecretText,
)

MARKER_TABLE = "xsk_secret_columns"
LOOKS_LIKE_KEY_CHARS = 16
#: How a text of a table the kit holds no marker for is shown (a file written by another
#: tool, or whose marker table was dropped): masked, whatever it looks like.
UNMARKED_TABLE = "text of a table this kit did not mark (it may hold key material)"
FILE_MODE = 0o600
_SQLITE_HEADER = b"SQLite format 3\x00"
_KEY_LIKE = re.compile(rf"[A-Za-z0-9+/_=-]{{{LOOKS_LIKE_KEY_CHARS},}}")


def check_identifier(kind: str, name: Any) -> str:
    """``name`` if it can be a table or column name (letters, digits, ``_``); else ValueError."""
    if (
        not isinstance(name, str)
        or not name
        or len(name) > MAX_IDENTIFIER_CHARS
        or not name.isascii()
        or not name.replace("_", "a").isalnum()
        or name[0].isdigit()
        or name.lower().startswith("sqlite_")
        or name.lower() == MARKER_TABLE
    ):
        shown = repr(name) if isinstance(name, str) and len(name) <= 20 else "this name"
        raise ValueError(
            f"{kind} name {shown} must be 1-{MAX_IDENTIFIER_CHARS} letters, digits "
            f"or _, not starting with a digit, sqlite_ or {MARKER_TABLE}"
        )
    return name


def quote_identifier(name: str) -> str:
    """``name`` as an SQL identifier, whatever it holds (names read from ``sqlite_master``)."""
    return '"' + name.replace('"', '""') + '"'


def looks_like_key(value: Any) -> bool:
    """The by-look rule for unmarked files (see the module docstring)."""
    return (
        isinstance(value, str)
        and _KEY_LIKE.fullmatch(value) is not None
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )


def open_checked(path: str) -> sqlite3.Connection:
    """A connection to the SQLite file ``path``; ValueError if the path cannot be the notebook
    database (nothing is created or changed then).

    The file may hold keys, so it follows the kit's one rule for key files
    (:func:`xsk_nb.private_file.check_private_target`, issue 22): a symlink, a folder, a device
    or FIFO, a file of another user, with other hard links, or readable by others (mode other
    than 0600) is refused with a sentence; the kit never changes a file's mode for you."""
    target = as_path(path, "--file")
    info = check_private_target(target, "--file")
    created = False
    if info is None:
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except OSError as error:
            raise ValueError(
                f"--file cannot be created there: {os_error_sentence(error)}"
            ) from None
        created = True
    else:
        try:
            with open(target, "rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise ValueError(f"--file cannot be opened: {os_error_sentence(error)}") from None
        if header and header != _SQLITE_HEADER:
            raise ValueError("--file is not an SQLite database (it may be a text file)")
    try:
        connection = sqlite3.connect(path)
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        if created:
            os.unlink(path)
        raise ValueError("--file cannot be read as an SQLite database") from None
    return connection


class NotebookDatabase:
    """One SQLite connection; ``path=None`` keeps everything in memory for this session.

    A ``path`` is checked by :func:`open_checked` first: a refused path raises ValueError.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._connection = open_checked(path) if path else sqlite3.connect(":memory:")
        self.secrets = SecretBook()

    def close(self) -> None:
        self._connection.close()

    def add(self, table: str, data: Any) -> dict[str, Any]:
        """Insert ``data`` (an object) as a row of ``table``; return the row with its ``id``."""
        check_identifier("table", table)
        if not isinstance(data, dict) or not data:
            raise ValueError("data must be a non-empty object of field: value")
        if len(data) > MAX_FIELDS:
            raise ValueError(f"data has {len(data)} fields; the limit is {MAX_FIELDS}")
        for field in data:
            check_identifier("field", field)
            if field == "id":
                raise ValueError("id is set by the database; leave it out of data")
        values = [_stored(value) for value in data.values()]
        secret = [field for field, value in data.items() if self.secrets.covers(value)]
        self._ensure_columns(table, list(data))
        table = self._stored_name(table)
        columns = ", ".join(quote_identifier(field) for field in data)
        marks = ", ".join("?" for _ in data)
        with self._connection:
            # every table the kit writes gets a marker row ("" for the table itself), so a table
            # with none (another tool's, or a dropped marker table) is masked whole (issue 24,
            # leak 4); names are kept lower-cased, as SQLite matches them
            self._connection.execute(
                f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (table_name TEXT NOT NULL, "
                "column_name TEXT NOT NULL, PRIMARY KEY (table_name, column_name))"
            )
            self._connection.executemany(
                f"INSERT OR IGNORE INTO {MARKER_TABLE} VALUES (?, ?)",
                [(table.lower(), field.lower()) for field in ["", *secret]],
            )
            cursor = self._connection.execute(
                f"INSERT INTO {quote_identifier(table)} ({columns}) VALUES ({marks})", values
            )
        return {"id": cursor.lastrowid, **data}

    def _ensure_columns(self, table: str, fields: list[str]) -> None:
        existing = self.columns(table)
        with self._connection:
            if not existing:
                self._connection.execute(
                    f"CREATE TABLE {quote_identifier(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT)"
                )
            for field in fields:
                if field not in existing:
                    self._connection.execute(
                        f"ALTER TABLE {quote_identifier(table)} "
                        f"ADD COLUMN {quote_identifier(field)}"
                    )

    def _stored_name(self, table: str) -> str:
        """``table`` as SQLite stores it (names match whatever their case)."""
        row = self._connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
            (table,),
        ).fetchone()
        return row[0] if row else table

    def columns(self, table: str) -> list[str]:
        rows = self._connection.execute(f"PRAGMA table_info({quote_identifier(table)})").fetchall()
        return [row[1] for row in rows]

    def secret_columns(self, table: str) -> set[str] | None:
        """The columns of ``table`` marked as having held key material (lower-cased), or None
        when the kit has no marker for the table at all (then every text in it is masked)."""
        exists = self._connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MARKER_TABLE,)
        ).fetchone()
        if not exists:
            return None
        rows = self._connection.execute(
            f"SELECT column_name FROM {MARKER_TABLE} WHERE table_name = ? COLLATE NOCASE",
            (table.lower(),),
        ).fetchall()
        if not rows:
            return None
        return {row[0].lower() for row in rows if row[0]}

    def tables(self) -> dict[str, int]:
        """Each table's name and row count (names quoted: a file may hold any name)."""
        names = [
            row[0]
            for row in self._connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name",
                (MARKER_TABLE,),
            )
        ]
        return {
            name: self._connection.execute(
                f"SELECT COUNT(*) FROM {quote_identifier(name)}"
            ).fetchone()[0]
            for name in names
        }

    # -- the reads and writes of db.get / db.has / db.edit / db.patch / db.del / db.query ----
    def _where_field(self, table: str, field: Any) -> tuple[str, list[str]]:
        check_identifier("table", table)
        columns = self.columns(table)
        if not columns:
            known = ", ".join(self.tables()) or "none"
            raise ValueError(f"there is no table {table!r}; tables: {known}")
        if not isinstance(field, str) or field.lower() not in [c.lower() for c in columns]:
            raise ValueError(f"field_name must be a column of {table}: {', '.join(columns)}")
        return next(c for c in columns if c.lower() == field.lower()), columns

    def find(self, table: str, field: Any, value: Any) -> dict[str, Any] | None:
        """The first row (by id) whose ``field`` equals ``value``, shown as :meth:`rows` shows
        rows (key material tainted), or None (db.get: "Record or null")."""
        column, columns = self._where_field(table, field)
        if value is None:
            condition, params = f"{quote_identifier(column)} IS NULL", []
        else:
            condition, params = f"{quote_identifier(column)} = ?", [_stored(value)]
        row = self._connection.execute(
            f"SELECT * FROM {quote_identifier(table)} WHERE {condition} ORDER BY rowid LIMIT 1",
            params,
        ).fetchone()
        return None if row is None else self._shown_row(table, columns, row)

    def edit(self, table: str, field: Any, value: Any, data: Any) -> dict[str, Any]:
        """Update the first row whose ``field`` equals ``value`` with ``data``; the row after."""
        if self.secret_columns(table) is None:
            raise ValueError(
                f"db.edit and db.patch change only tables db.add made; {table} has no marker "
                "of this kit (another tool's table), so which columns hold keys is unknown"
            )
        found = self.find(table, field, value)
        if found is None:
            raise ValueError(f"no row of {table} has that {field}")
        if not isinstance(data, dict) or not data:
            raise ValueError("data must be a non-empty object of field: value")
        for name in data:
            check_identifier("field", name)
            if name == "id":
                raise ValueError("id is set by the database; leave it out of data")
        secret = [name for name, item in data.items() if self.secrets.covers(item)]
        self._ensure_columns(table, list(data))
        stored = self._stored_name(table)
        assignments = ", ".join(f"{quote_identifier(name)} = ?" for name in data)
        with self._connection:
            self._connection.executemany(
                f"INSERT OR IGNORE INTO {MARKER_TABLE} VALUES (?, ?)",
                [(stored.lower(), name.lower()) for name in ["", *secret]],
            )
            self._connection.execute(
                f"UPDATE {quote_identifier(table)} SET {assignments} WHERE id = ?",
                [*(_stored(item) for item in data.values()), found["id"]],
            )
        row = self.find(table, "id", found["id"])
        assert row is not None
        return row

    def delete(self, table: str, field: Any, value: Any) -> None:
        """Delete the first row whose ``field`` equals ``value`` (nothing if there is none)."""
        found = self.find(table, field, value)
        if found is not None and "id" in found:
            with self._connection:
                self._connection.execute(
                    f"DELETE FROM {quote_identifier(table)} WHERE id = ?", (found["id"],)
                )

    def all_rows(self, table: str, limit: int) -> list[dict[str, Any]]:
        """Every row of ``table`` in id order (db.query); ValueError past ``limit`` rows."""
        check_identifier("table", table)
        columns = self.columns(table)
        if not columns:
            known = ", ".join(self.tables()) or "none"
            raise ValueError(f"there is no table {table!r}; tables: {known}")
        count = self._connection.execute(
            f"SELECT COUNT(*) FROM {quote_identifier(table)}"
        ).fetchone()[0]
        if count > limit:
            raise ValueError(
                f"db.query reads at most {limit:,} rows of a table here; {table} has {count:,}"
            )
        rows = self._connection.execute(
            f"SELECT * FROM {quote_identifier(table)} ORDER BY rowid"
        ).fetchall()
        return [self._shown_row(table, columns, row) for row in rows]

    def _shown_row(self, table: str, columns: list[str], row: Any) -> dict[str, Any]:
        secret = self.secret_columns(table)
        unmarked = secret is None
        return {
            column: _shown(value, column, unmarked or column.lower() in (secret or set()), unmarked)
            for column, value in zip(columns, row, strict=True)
        }

    def rows(self, table: str, limit: int = 50) -> list[dict[str, Any]]:
        """The last ``limit`` rows of ``table`` in insertion order (JSON text left as text).

        Values of a marked column come back as :class:`SecretText` (masked when shown), and so
        do values that look like key material.
        """
        check_identifier("table", table)
        if not isinstance(limit, int) or not 1 <= limit <= MAX_ROWS_SHOWN:
            raise ValueError(f"the row limit must be a whole number from 1 to {MAX_ROWS_SHOWN}")
        columns = self.columns(table)
        if not columns:
            known = ", ".join(self.tables()) or "none"
            raise ValueError(f"there is no table {table!r}; tables: {known}")
        secret = self.secret_columns(table)
        unmarked = secret is None
        order = "id" if "id" in columns else "rowid"
        cursor = self._connection.execute(
            f"SELECT * FROM (SELECT * FROM {quote_identifier(table)} ORDER BY {order} DESC "
            f"LIMIT ?) ORDER BY {order}",
            (limit,),
        )
        return [
            {
                column: _shown(
                    value, column, unmarked or column.lower() in (secret or set()), unmarked
                )
                for column, value in zip(columns, row, strict=True)
            }
            for row in cursor.fetchall()
        ]


def _shown(value: Any, column: str, secret: bool, unmarked: bool = False) -> Any:
    if unmarked and not isinstance(value, (str, bytes, bytearray)):
        return value  # numbers and nulls of an unmarked table: no key text in them
    if value is None or not (secret or looks_like_key(value)):
        return value
    if unmarked:
        how = UNMARKED_TABLE
    else:
        how = SECRET_COLUMN.format(column=column) if secret else LOOKS_LIKE_KEY
    if isinstance(value, (bytes, bytearray)):
        value = value.hex()
    if isinstance(value, str):
        return SecretText(value, how, how)
    return SecretBook().taint(value, how)


def _stored(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        try:
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        except (ValueError, RecursionError):
            raise ValueError("data holds a value too deeply nested to store") from None
    if isinstance(value, str):
        return str(value)
    return value
