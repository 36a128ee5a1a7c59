"""Hostile input to ``%%xanoscript`` and ``%xs_db`` (issue 14, "Every hostile input").

Each refusal is one ``UsageError`` sentence: no traceback, nothing displayed, nothing written,
and the notebook database not switched (a later ``db.add`` still lands where it did before).
Each accepted-but-nasty input (deep nesting, a lone surrogate) displays without an exception,
in every form that is sent to the browser. A hang is caught by an alarm that fails the test
(a guard, not a timing measurement).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from shell import xanoscript_shell

from xanoscript.test_seed import SEED_BASIC
from xsk_nb.xanoscript.db import MARKER_TABLE
from xsk_nb.xanoscript.magic import XanoScriptMagics

ADD_ROW = 'db.add "notes" {\n  data = { text: "hello" }\n} as $row\n'


shell = pytest.fixture(name="shell")(xanoscript_shell)


pytestmark = pytest.mark.usefixtures("hang_guard")


def magics(shell: InteractiveShell) -> XanoScriptMagics:
    return shell.magics_manager.registry["XanoScriptMagics"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (symlinks and special files by their type) and its content."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = "link -> " + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path)] = "dir" if path.is_dir() else "special"
    return found


def prepare(tmp: Path) -> dict[str, Path]:
    """Hostile things on disk, and a good database the session is using."""
    good = tmp / "good.db"
    text = tmp / "notes.txt"
    text.write_text("not a database\n")
    (tmp / "folder").mkdir()
    (tmp / "link.db").symlink_to(good)
    (tmp / "dangling.db").symlink_to(tmp / "nowhere.db")
    os.mkfifo(tmp / "fifo")
    corrupt = tmp / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    odd = tmp / "odd.db"
    with sqlite3.connect(odd) as connection:
        connection.execute('CREATE TABLE "a""b" (x)')
        connection.execute('INSERT INTO "a""b" VALUES (1)')
        connection.execute("CREATE TABLE norowid (k TEXT PRIMARY KEY, v) WITHOUT ROWID")
        connection.execute("INSERT INTO norowid VALUES ('a', 1)")
    loose = tmp / "loose.db"
    with sqlite3.connect(loose) as connection:
        connection.execute("CREATE TABLE t (x)")
    for made in (text, corrupt, odd):  # private, so each case meets the refusal it is about
        made.chmod(0o600)
    loose.chmod(0o644)
    return {
        "loose": loose,
        "good": good,
        "text": text,
        "folder": tmp / "folder",
        "link": tmp / "link.db",
        "dangling": tmp / "dangling.db",
        "fifo": tmp / "fifo",
        "corrupt": corrupt,
        "missing_dir": tmp / "no-such-folder" / "x.db",
        "odd": odd,
    }


# (id, the magic's line or cell with {name} for paths, a piece of the one sentence expected)
XS_DB_REFUSALS: list[tuple[str, str, str]] = [
    ("unclosed double quote", '%xs_db "x', "unclosed quote"),
    ("unclosed single quote", "%xs_db 'x", "unclosed quote"),
    ("unclosed quote in --file", '%xs_db --file "a b', "unclosed quote"),
    ("unclosed quote after table", '%xs_db notes --limit "5', "unclosed quote"),
    ("huge limit", "%xs_db notes --limit 99999999999999999999", "--limit must be a whole"),
    ("limit zero", "%xs_db notes --limit 0", "--limit must be a whole"),
    ("limit negative", "%xs_db notes --limit -1", "--limit must be a whole"),
    ("limit text", "%xs_db notes --limit ten", "--limit must be a whole"),
    ("limit decimal", "%xs_db notes --limit 1.5", "--limit must be a whole"),
    ("limit arabic digits", "%xs_db notes --limit ١٢", "--limit must be a whole"),
    ("limit past the maximum", "%xs_db notes --limit 1001", "--limit must be a whole"),
    ("limit with a bad --file", "%xs_db --limit 0 --file {text}", "--limit must be a whole"),
    ("file is text", "%xs_db --file {text}", "not an SQLite database"),
    ("file is a folder", "%xs_db --file {folder}", "is a folder"),
    ("file is a symlink", "%xs_db --file {link}", "is a symlink"),
    ("file is a dangling symlink", "%xs_db --file {dangling}", "is a symlink"),
    # issue 22 item 3: one rule for key files (private_file), no silent chmod
    ("file others can read", "%xs_db --file {loose}", "has mode 644, so other users can read"),
    ("file is a FIFO", "%xs_db --file {fifo}", "not a regular file"),
    ("file is a device", "%xs_db --file /dev/null", "not a regular file"),
    ("file is corrupt", "%xs_db --file {corrupt}", "cannot be read as an SQLite database"),
    ("file in a missing folder", "%xs_db --file {missing_dir}", "does not exist"),
    ("file empty quotes", "%xs_db --file ''", "--file needs a path"),
    ("table with a quote", "%xs_db 'a\"b'", "table name 'a\"b' must be"),
    ("table sqlite_master", "%xs_db sqlite_master", "must be 1-64 letters"),
    ("table is the marker", f"%xs_db {MARKER_TABLE}", "must be 1-64 letters"),
    ("table starts with a digit", "%xs_db 1abc", "must be 1-64 letters"),
    ("table with SQL", "%xs_db x;DROP", "must be 1-64 letters"),
    ("table too long", "%xs_db " + "t" * 65, "table name this name must be"),
    ("table missing", "%xs_db nosuch", "there is no table 'nosuch'; tables: notes"),
    ("unknown flag", "%xs_db --bogus", "unrecognized arguments"),
    ("two tables", "%xs_db a b", "unrecognized arguments"),
]

XANOSCRIPT_REFUSALS: list[tuple[str, str, str]] = [
    ("unclosed input quote", '%%xanoscript --input "x=1\n' + ADD_ROW, "unclosed quote"),
    ("unclosed single quote", "%%xanoscript --input 'x=1\n" + ADD_ROW, "unclosed quote"),
    ("unclosed -v quote", '%%xanoscript -v "hostile_kept\n' + ADD_ROW, "unclosed quote"),
    ("-v class", "%%xanoscript -v class\n" + ADD_ROW, "-v needs a Python variable name"),
    ("-v None", "%%xanoscript -v None\n" + ADD_ROW, "-v needs a Python variable name"),
    ("-v True", "%%xanoscript -v True\n" + ADD_ROW, "-v needs a Python variable name"),
    ("-v digit first", "%%xanoscript -v 1abc\n" + ADD_ROW, "-v needs a Python variable name"),
    ("-v dash", "%%xanoscript -v a-b\n" + ADD_ROW, "-v needs a Python variable name"),
    ("input without =", "%%xanoscript --input bits\n" + ADD_ROW, "--input takes NAME=VALUE"),
    ("input without name", "%%xanoscript --input =1\n" + ADD_ROW, "--input takes NAME=VALUE"),
    ("input name not a name", "%%xanoscript --input 1x=1\n" + ADD_ROW, "--input takes NAME"),
    ("input twice", "%%xanoscript --input a=1 --input a=2\n" + ADD_ROW, "is given twice"),
    ("unknown flag", "%%xanoscript --bogus\n" + ADD_ROW, "unrecognized arguments"),
    ("undeclared input", "%%xanoscript --input nope=1\n" + SEED_BASIC, "is not declared"),
    ("bad int input", "%%xanoscript --input bits=9e99\n" + SEED_BASIC, "must be an int"),
    ("empty cell", "%%xanoscript\n", ""),
    ("a syntax error", "%%xanoscript\nresponse = {\n", "line"),
]


def assert_refused_cleanly(
    shell: InteractiveShell, run_it: Callable[[], Any], expected: str, tmp: Path
) -> None:
    db_before = magics(shell).db.path
    files_before = snapshot(tmp)
    with capture_output() as captured:
        result = run_it()
    assert not result.success
    # one message (a syntax error adds the cell's line and a caret under it)
    assert captured.stderr.startswith("UsageError: "), captured.stderr
    assert captured.stderr.count("UsageError") == 1
    assert expected in captured.stderr.splitlines()[0]
    assert "Traceback" not in captured.stderr + captured.stdout
    assert captured.outputs == []
    assert magics(shell).db.path == db_before  # not switched
    assert snapshot(tmp) == files_before  # nothing written, created or tightened
    with capture_output():
        assert shell.run_cell(f"%%xanoscript\n{ADD_ROW}").success  # still usable
    assert magics(shell).db.tables()["notes"] >= 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [case[1:] for case in XS_DB_REFUSALS],
    ids=[case[0] for case in XS_DB_REFUSALS],
)
def test_xs_db_refuses_with_one_sentence_and_switches_nothing(
    shell: InteractiveShell, tmp_path: Path, line: str, expected: str
) -> None:
    paths = prepare(tmp_path)
    shell.run_line_magic("xs_db", f"--file {paths['good']}")
    with capture_output():
        shell.run_cell(f"%%xanoscript\n{ADD_ROW}")
    cell = line.format(**{name: str(path) for name, path in paths.items()})
    assert_refused_cleanly(shell, lambda: shell.run_cell(cell), expected, tmp_path)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [case[1:] for case in XANOSCRIPT_REFUSALS],
    ids=[case[0] for case in XANOSCRIPT_REFUSALS],
)
def test_xanoscript_refuses_with_one_sentence_and_writes_nothing(
    shell: InteractiveShell, tmp_path: Path, cell: str, expected: str
) -> None:
    paths = prepare(tmp_path)
    shell.run_line_magic("xs_db", f"--file {paths['good']}")
    with capture_output():
        shell.run_cell(f"%%xanoscript\n{ADD_ROW}")
    assert_refused_cleanly(shell, lambda: shell.run_cell(cell), expected, tmp_path)
    assert "hostile_kept" not in shell.user_ns


def test_a_file_with_odd_table_names_lists_and_reads(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    paths = prepare(tmp_path)
    with capture_output() as captured:
        shell.run_line_magic("xs_db", f"--file {paths['odd']}")
        shell.run_line_magic("xs_db", "")
    listing = captured.outputs[-1]
    assert 'a"b | 1' in listing.data["text/plain"] and "norowid | 1" in listing.data["text/plain"]
    with capture_output() as captured:
        result = shell.run_cell("%xs_db norowid")
    assert not result.success and captured.stderr.startswith("UsageError: the database could")


def test_quoted_paths_and_inputs_lose_their_quotes(shell: InteractiveShell, tmp_path: Path) -> None:
    path = tmp_path / "my notes.db"
    shell.run_line_magic("xs_db", f'--file "{path}"')
    assert magics(shell).db.path == str(path) and path.exists()
    with capture_output():
        result = shell.run_cell(
            '%%xanoscript -o --input "greeting=hello"\nresponse = $input.greeting\n'
        )
    assert result.result.raw == "hello"


@pytest.mark.parametrize("depth", [600, 900])
def test_json_nested_600_to_900_deep_displays_without_recursion_error(
    shell: InteractiveShell, depth: int
) -> None:
    nested = "[" * depth + '"x"' + "]" * depth
    shell.user_ns["nested"] = nested
    with capture_output() as captured:
        result = shell.run_cell(
            f"%%xanoscript --input x={nested}\nresponse = `$input.x|json_decode`\n"
        )
    assert "RecursionError" not in captured.stderr and "Traceback" not in captured.stderr
    if not result.success:  # the language may refuse such depth: one sentence then
        assert captured.stderr.startswith("UsageError: ") and captured.outputs == []
        return
    (output,) = captured.outputs
    text = output.data["text/plain"]
    assert "nested deeper than 64 levels" in text and "RecursionError" not in text
    for form in output.data.values():
        form.encode("utf-8")


@pytest.mark.parametrize(
    "cell",
    [
        'response = { s: "\\ud800" }\n',
        'response = `"[\\\\"\\\\udfff\\\\"]"|json_decode`\n',
        'response = { "\\udbff": 1 }\n',
    ],
    ids=["in a value", "through json_decode", "in a name"],
)
def test_a_lone_surrogate_is_sent_without_unicode_error(shell: InteractiveShell, cell: str) -> None:
    with capture_output() as captured:
        result = shell.run_cell(f"%%xanoscript\n{cell}")
    if not result.success:  # refused by the language: still one sentence, sendable
        assert captured.stderr.startswith("UsageError: ")
        captured.stderr.encode("utf-8")
        return
    (output,) = captured.outputs
    for form in output.data.values():
        form.encode("utf-8")  # what the kernel does before sending
    json.dumps(output.data, ensure_ascii=False).encode("utf-8")
    assert "\\ud" in output.data["text/plain"] or "\\\\ud" in output.data["text/plain"]


def test_leaving_an_in_memory_database_that_holds_rows_needs_reset(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    """Issue 24, destructive: `%xs_db --file :memory:` while in memory emptied every table
    without a word. Now it is refused, naming what would be dropped; --reset drops them."""
    shell.run_line_magic("xs_db", "--file :memory: --reset")
    with capture_output():
        shell.run_cell(f"%%xanoscript\n{ADD_ROW}")
        shell.run_cell(f"%%xanoscript\n{ADD_ROW}")
    for target in (":memory:", str(tmp_path / "new.db")):
        with capture_output() as captured:
            result = shell.run_cell(f"%xs_db --file {target}")
        message = str(result.error_in_exec)
        assert message == (
            "the in-memory database holds notes (2 rows); switching database drops them "
            "(nothing copies them to a file): add --reset to switch and drop them"
        )
        assert "Traceback" not in captured.stdout + captured.stderr
        magics = shell.magics_manager.registry["XanoScriptMagics"]
        assert magics.db.path is None and magics.db.tables() == {"notes": 2}  # kept
    assert not (tmp_path / "new.db").exists()
    with capture_output() as captured:
        result = shell.run_cell("%xs_db --reset")
    assert str(result.error_in_exec) == "--reset goes with --file: %xs_db --file :memory: --reset"
    shell.run_line_magic("xs_db", "--file :memory: --reset")
    assert shell.magics_manager.registry["XanoScriptMagics"].db.tables() == {}
