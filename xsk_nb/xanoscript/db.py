"""The notebook-local database behind ``db.add``: SQLite, in memory unless given a file.

A table is created from the first row's fields (plus an ``id`` primary key, as Xano adds);
a later row with new fields adds columns. Objects and arrays are stored as JSON text.
The database remembers which of its values are key material (:attr:`secrets`), so a view of
it can mask them the way a response is masked.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from xsk_nb.xanoscript.redaction import SecretBook

MAX_IDENTIFIER_CHARS = 64
MAX_FIELDS = 64


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
    ):
        shown = repr(name) if isinstance(name, str) and len(name) <= 20 else "this name"
        raise ValueError(
            f"{kind} name {shown} must be 1-{MAX_IDENTIFIER_CHARS} letters, digits "
            "or _, not starting with a digit"
        )
    return name


class NotebookDatabase:
    """One SQLite connection; ``path=None`` keeps everything in memory for this session."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._connection = sqlite3.connect(path or ":memory:")
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
        self._ensure_columns(table, list(data))
        columns = ", ".join(f'"{field}"' for field in data)
        marks = ", ".join("?" for _ in data)
        with self._connection:
            cursor = self._connection.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
                [_stored(value) for value in data.values()],
            )
        return {"id": cursor.lastrowid, **data}

    def _ensure_columns(self, table: str, fields: list[str]) -> None:
        existing = self.columns(table)
        with self._connection:
            if not existing:
                self._connection.execute(
                    f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY AUTOINCREMENT)'
                )
            for field in fields:
                if field not in existing:
                    self._connection.execute(f'ALTER TABLE "{table}" ADD COLUMN "{field}"')

    def columns(self, table: str) -> list[str]:
        check_identifier("table", table)
        rows = self._connection.execute(f'PRAGMA table_info("{table}")').fetchall()
        return [row[1] for row in rows]

    def tables(self) -> dict[str, int]:
        """Each table's name and row count."""
        names = [
            row[0]
            for row in self._connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: self._connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in names
        }

    def rows(self, table: str, limit: int = 50) -> list[dict[str, Any]]:
        """The last ``limit`` rows of ``table`` in insertion order (JSON text left as text)."""
        columns = self.columns(table)
        if not columns:
            known = ", ".join(self.tables()) or "none"
            raise ValueError(f"there is no table {table!r}; tables: {known}")
        cursor = self._connection.execute(
            f'SELECT * FROM (SELECT * FROM "{table}" ORDER BY id DESC LIMIT ?) ORDER BY id',
            (limit,),
        )
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _stored(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value
