"""The notebook database behind db.add/get/has/edit/patch/del/query (xsk_nb.xanoscript.db),
each statement against xano-developer-mcp@c72a410 src/xanoscript_docs/database.md and the
paging shape of apis.md, "Pagination Response Format"."""

from __future__ import annotations

import pytest

from xanoscript.test_seed import SEED_API_KEY
from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, run

ROWS = """\
db.add "task" { data = { title: "a", status: "open", priority: 2 } }
db.add "task" { data = { title: "b", status: "done", priority: 5 } }
db.add "task" { data = { title: "c", status: "open", priority: 9 } }
"""


@pytest.fixture
def db() -> NotebookDatabase:
    database = NotebookDatabase()
    run(ROWS, db=database)
    return database


def test_db_get_returns_the_record_or_null(db: NotebookDatabase) -> None:
    """database.md, "db.get": "Get a single record by field value"; "Record or null"."""
    cell = (
        'db.get "task" {\n  field_name = "title"\n  field_value = "b"\n} as $t\n'
        'db.get "task" {\n  field_name = "id"\n  field_value = 99\n} as $none\n'
        "response = [$t, $none]\n"
    )
    found, none = run(cell, db=db).raw
    assert found == {"id": 2, "title": "b", "status": "done", "priority": 5}
    assert none is None


def test_db_has(db: NotebookDatabase) -> None:
    cell = (
        'db.has "task" { field_name = "status" field_value = "open" } as $a\n'
        'db.has "task" { field_name = "status" field_value = "gone" } as $b\nresponse = [$a, $b]\n'
    )
    assert run(cell, db=db).raw == [True, False]


def test_db_query_where_sort_and_return_types(db: NotebookDatabase) -> None:
    """database.md, "db.query": where with $db.<table>.<field>, sort {field: "desc"}, return
    types list/single/count/exists; the null-safe ==? ignores a null right side."""
    cell = (
        'db.query "task" {\n  where = $db.task.status == "open" && $db.task.priority >= 2\n'
        '  sort = { priority: "desc" }\n} as $open\n'
        'db.query "task" {\n  where = $db.task.status ==? null\n  return = { type: "count" }\n'
        "} as $all\n"
        'db.query "task" {\n  where = $db.task.priority > 100\n  return = { type: "exists" }\n'
        "} as $big\n"
        'db.query "task" {\n  sort = { task.priority: "asc" }\n  return = { type: "single" }\n'
        "} as $first\n"
        "response = { open: $open, all: $all, big: $big, first: $first }\n"
    )
    raw = run(cell, db=db).raw
    assert [row["title"] for row in raw["open"]] == ["c", "a"]
    assert raw["all"] == 3
    assert raw["big"] is False
    assert raw["first"]["title"] == "a"


def test_db_query_paging_has_xanos_documented_shape(db: NotebookDatabase) -> None:
    """apis.md, "Pagination Response Format": itemsReceived, curPage, nextPage, prevPage,
    offset, perPage, items."""
    cell = (
        'db.query "task" {\n  return = {\n    type: "list",\n'
        "    paging: { page: 2, per_page: 2, totals: true }\n  }\n} as $p\nresponse = $p\n"
    )
    response = run(cell, db=db)
    assert response.raw == {
        "itemsReceived": 1,
        "curPage": 2,
        "nextPage": None,
        "prevPage": 1,
        "offset": 2,
        "perPage": 2,
        "items": [{"id": 3, "title": "c", "status": "open", "priority": 9}],
    }
    assert any("no total fields" in w for w in response.warnings)


def test_db_edit_patch_and_del(db: NotebookDatabase) -> None:
    """database.md: db.edit/db.patch return the "Updated record"; db.del returns nothing."""
    cell = (
        'db.edit "task" {\n  field_name = "id"\n  field_value = 1\n  data = { status: "done" }\n'
        "} as $e\n"
        "var $updates { value = { priority: 7 } }\n"
        'db.patch "task" {\n  field_name = "id"\n  field_value = 1\n  data = $updates\n} as $p\n'
        'db.del "task" {\n  field_name = "title"\n  field_value = "b"\n}\n'
        'db.query "task" { return = { type: "count" } } as $n\n'
        "response = { e: $e, p: $p, n: $n }\n"
    )
    raw = run(cell, db=db).raw
    assert raw["e"] == {"id": 1, "title": "a", "status": "done", "priority": 2}
    assert raw["p"]["priority"] == 7
    assert raw["n"] == 2


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ('db.get "nope" { field_name = "id" field_value = 1 } as $x\n', "there is no table 'nope'"),
        (
            'db.get "task" { field_name = "oops" field_value = 1 } as $x\n',
            "field_name must be a column of task",
        ),
        (
            'db.edit "task" { field_name = "id" field_value = 9 data = { a: 1 } }\n',
            "no row of task has that id",
        ),
        ('db.query "task" { join = {} } as $x\n', "db.query's join is not run here"),
        ('db.query "task" { sort = { id: "rand" } } as $x\n', 'sort order is "asc" or "desc"'),
        ('db.query "task" { return = { type: "many" } } as $x\n', "return type is one of list"),
        ('db.query "task" {\n  where = $db.task.id == 1\n}\n', "needs `as $name`"),
        ("response = $db.task.id\n", "`$db` is not supported here"),
    ],
)
def test_mistakes_get_one_sentence(db: NotebookDatabase, cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(cell, db=db)
    assert message in str(caught.value)


def test_the_seed_api_key_example_then_the_lookup_by_key_id() -> None:
    """Issue 19, item 7: the seed's third example followed by the lookup of a key by its
    key_id is the pattern a class on API keys needs. The found row's key stays masked."""
    database = NotebookDatabase()
    made = run(SEED_API_KEY, {"user_id": "7"}, db=database)
    key_id, api_key = made.raw["key_id"], made.raw["api_key"]
    lookup = (
        'query "check" verb=GET {\n  input {\n    text key_id\n  }\n  stack {\n'
        '    db.get "api_keys" {\n      field_name = "key_id"\n      field_value = $input.key_id\n'
        "    } as $row\n  }\n  response = { user: $row.user_id, secret: $row.key_secret }\n}\n"
    )
    found = run(lookup, {"key_id": key_id}, db=database)
    assert found.raw == {"user": 7, "secret": api_key}
    shown = repr(found)
    assert api_key[:16] not in shown and api_key[16:40] not in shown
    assert found.masked["secret"].startswith("‹hidden")
    assert found.masked["user"] == 7


def test_edit_refuses_a_table_this_kit_did_not_make(tmp_path: object) -> None:
    import os
    import sqlite3

    path = os.path.join(str(tmp_path), "other.db")
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        connection.execute("INSERT INTO t (v) VALUES ('x')")
    os.chmod(path, 0o600)
    with pytest.raises(XanoScriptError) as caught:
        run(
            'db.edit "t" { field_name = "id" field_value = 1 data = { v: "y" } }\n',
            db=NotebookDatabase(path),
        )
    assert "change only tables db.add made" in str(caught.value)
