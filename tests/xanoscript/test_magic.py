"""%%xanoscript and %xs_db through a real InteractiveShell, output captured as a notebook would."""

from __future__ import annotations

import os
import tempfile
from typing import Any

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from shell import xanoscript_shell

from xanoscript.test_seed import SEED_API_KEY, SEED_BASIC, SEED_SMALL
from xsk_nb.xanoscript import Response
from xsk_nb.xanoscript.magic import XanoScriptMagics, register, unregister

shell = pytest.fixture(name="shell")(xanoscript_shell)


def run_cell(shell: InteractiveShell, cell: str) -> tuple[Any, Any]:
    with capture_output() as captured:
        result = shell.run_cell(cell, store_history=True)
    return result, captured


def test_the_seed_examples_run_as_cells_and_display_a_masked_response(shell: Any) -> None:
    for line, seed in [("", SEED_BASIC), ("", SEED_SMALL), ("--input user_id=3", SEED_API_KEY)]:
        result, captured = run_cell(shell, f"%%xanoscript {line}\n{seed}")
        assert result.success, captured.stderr
        (output,) = captured.outputs
        assert set(output.data) == {"text/plain", "text/html"}
        assert "‹hidden: " in output.data["text/plain"]
        assert result.result is None  # nothing in Out[] unless -o


def test_inputs_come_from_the_line_and_are_type_checked(shell: Any) -> None:
    result, captured = run_cell(shell, f"%%xanoscript -o --input bits=512\n{SEED_BASIC}")
    assert isinstance(result.result, Response)
    assert result.result.raw["bits"] == 512
    result, captured = run_cell(shell, f"%%xanoscript --input bits=huge\n{SEED_BASIC}")
    assert not result.success
    assert "UsageError: input bits must be an int, like 512; got 'huge'" in captured.stderr
    assert captured.outputs == []


def test_dash_o_returns_the_report_object_masked_in_out(shell: Any) -> None:
    result, captured = run_cell(shell, f"%%xanoscript -o\n{SEED_SMALL}")
    response = result.result
    assert isinstance(response, Response)
    assert shell.user_ns["_"] is response
    assert "‹hidden: 86 chars, key " in captured.stdout  # the displayhook printed its repr
    assert response.raw["k"] not in captured.stdout
    assert response.reveal().raw == response.raw


def test_dash_v_stores_the_report_without_displaying(shell: Any) -> None:
    result, captured = run_cell(shell, f"%%xanoscript -v made\n{SEED_SMALL}")
    assert result.success and result.result is None
    assert captured.outputs == [] and captured.stdout == ""
    assert isinstance(shell.user_ns["made"], Response)


def test_dash_v_refuses_a_name_that_is_not_a_variable(shell: Any) -> None:
    _, captured = run_cell(shell, f"%%xanoscript -v 1abc\n{SEED_SMALL}")
    assert "UsageError: -v needs a Python variable name: letters, digits" in captured.stderr
    assert "1abc" not in captured.stderr
    assert captured.outputs == []


def test_reveal_shows_the_key_under_a_visible_warning(shell: Any) -> None:
    result, captured = run_cell(shell, f"%%xanoscript --reveal -o\n{SEED_SMALL}")
    k = result.result.raw["k"]
    (revealed,) = captured.outputs
    for text in (revealed.data["text/plain"], revealed.data["text/html"]):
        assert k in text
        assert "saved with the notebook" in text


def test_warnings_and_the_seed_advice_are_in_the_report(shell: Any) -> None:
    _, captured = run_cell(shell, f"%%xanoscript --input user_id=1\n{SEED_API_KEY}")
    (output,) = captured.outputs
    for text in output.data.values():
        assert "lines 17, 25: slice is documented by Xano as an array filter" in text
        assert "never to expose secret keys in responses" in text
    assert captured.stderr == ""


def test_warnings_go_to_stderr_when_the_report_is_not_shown(shell: Any) -> None:
    _, captured = run_cell(shell, f"%%xanoscript -v kept --input user_id=1\n{SEED_API_KEY}")
    assert captured.stderr.startswith("warning: lines 17, 25: slice is documented by Xano")


@pytest.mark.parametrize(
    ("line", "cell", "message"),
    [
        ("", "security.nope {\n} as $x\n", "`security.nope` is not supported here"),
        ("", "response = { a: 1 // c\n}\n", "a // comment must be on a line of its own"),
        ("--input bits", SEED_BASIC, "--input takes NAME=VALUE, like --input bits=512"),
        ("--input bits=1 --input bits=2", SEED_BASIC, "--input bits is given twice"),
        (
            "--input bits=1000",
            SEED_BASIC,
            "line 7: security.create_secret_key: bits must be one of",
        ),
        ("--bogus", SEED_BASIC, "unrecognized arguments: --bogus"),
    ],
)
def test_mistakes_are_one_usage_error_without_traceback_or_output(
    shell: Any, line: str, cell: str, message: str
) -> None:
    result, captured = run_cell(shell, f"%%xanoscript {line}\n{cell}")
    assert not result.success
    assert "UsageError: " in captured.stderr and message in captured.stderr
    assert "Traceback" not in captured.stderr + captured.stdout
    assert captured.outputs == []


def test_xs_db_lists_tables_and_shows_rows_masked(shell: Any) -> None:
    shell.run_line_magic("xs_db", "--file :memory:")
    result, _ = run_cell(shell, f"%%xanoscript -o --input user_id=9\n{SEED_API_KEY}")
    k = result.result.raw["api_key"]
    result, captured = run_cell(shell, "%xs_db")
    (listing,) = captured.outputs
    assert "api_keys | 1" in listing.data["text/plain"]
    result, captured = run_cell(shell, "%xs_db api_keys")
    (rows,) = captured.outputs
    text = rows.data["text/plain"]
    assert "id | user_id | key_id | key_secret | created_at" in text
    assert "‹hidden: first 16 chars of key " in text and "‹hidden: 342 chars, key " in text
    for shown in rows.data.values():
        assert k[:8] not in shown and k[-8:] not in shown
    result, captured = run_cell(shell, "%xs_db nosuch")
    assert "UsageError: there is no table 'nosuch'; tables: api_keys" in captured.stderr


def test_xs_db_file_keeps_rows_across_magics_instances(shell: Any, tmp_path: Any) -> None:
    path = tmp_path / "nb.sqlite"
    shell.run_line_magic("xs_db", f"--file {path}")
    run_cell(shell, f"%%xanoscript --input user_id=1\n{SEED_API_KEY}")
    shell.run_line_magic("xs_db", "--file :memory:")
    assert path.exists()
    other = XanoScriptMagics(shell)
    other.db_path = str(path)
    assert other.db.tables() == {"api_keys": 1}


def test_unregister_removes_both_magics(shell: Any) -> None:
    unregister(shell)
    assert "xanoscript" not in shell.magics_manager.magics["cell"]
    assert "xs_db" not in shell.magics_manager.magics["line"]
    register(shell)
    assert "xanoscript" in shell.magics_manager.magics["cell"]


@pytest.mark.parametrize(
    ("imported", "not_loaded"),
    [("xsk_nb.xanoscript.magic", "xsk_nb.magic"), ("xsk_nb.magic", "xsk_nb.xanoscript.magic")],
)
def test_the_two_magic_modules_do_not_import_each_other(imported: str, not_loaded: str) -> None:
    import subprocess
    import sys

    code = f"import sys, {imported}; print({not_loaded!r} in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"


def test_load_ext_registers_both_magic_classes_and_unload_removes_both() -> None:
    import xsk_nb

    shell = InteractiveShell.instance()
    xsk_nb.unload_ipython_extension(shell)
    assert "xs_secret_key" not in shell.magics_manager.magics["line"]
    assert "xanoscript" not in shell.magics_manager.magics["cell"]
    xsk_nb.load_ipython_extension(shell)
    assert "xs_secret_key" in shell.magics_manager.magics["line"]
    assert "xs_db" in shell.magics_manager.magics["line"]
    assert "xanoscript" in shell.magics_manager.magics["cell"]


def docstring_cells(doc: str) -> list[str]:
    """The runnable ``%%xanoscript`` examples in a docstring: from the magic's line to the
    first blank or parenthesised line."""
    lines = [line[12:] if line.startswith(" " * 12) else line.strip() for line in doc.splitlines()]
    cells, current = [], None
    for line in lines:
        if line.startswith("%%xanoscript"):
            current = [line]
            cells.append(current)
        elif current is not None and (not line.strip() or line.startswith("(")):
            current = None
        elif current is not None:
            current.append(line)
    return ["\n".join(cell) + "\n" for cell in cells]


def test_the_docstring_examples_run(shell: Any) -> None:
    doc = XanoScriptMagics.xanoscript.__doc__
    cells = docstring_cells(doc)
    assert len(cells) == 4
    for cell in cells[:3]:  # the fourth names the seed's query, run elsewhere
        result, captured = run_cell(shell, cell)
        assert result.success, captured.stderr
    assert isinstance(shell.user_ns["made"], Response)
    assert '"2026-01-01 10:00 CET"' in captured.outputs[0].data["text/plain"]  # as it says


@pytest.mark.parametrize("package", ["lark", "jwt"])
def test_without_the_lab_extra_a_cell_says_which_extra_to_install(
    shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch, package: str
) -> None:
    """Issue 21 §2: with IPython but no [lab], %%xanoscript ended in a raw
    ModuleNotFoundError traceback; now one sentence names the extra."""
    import builtins
    import sys

    from xsk_nb.xanoscript import parser

    real_import = builtins.__import__

    def without(name: str, *args: object, **kwargs: object) -> object:
        if name == package or name.startswith(package + "."):
            raise ModuleNotFoundError(f"No module named {package!r}")
        return real_import(name, *args, **kwargs)

    parser._lark.cache_clear()
    monkeypatch.delitem(sys.modules, package, raising=False)
    monkeypatch.setattr(builtins, "__import__", without)
    cell = (
        'security.jws_encode {\n  claims = { a: 1 }\n  key = "x"\n'
        '  signature_algorithm = "HS256"\n} as $t\n'
    )
    if package == "jwt":
        monkeypatch.setattr(builtins, "__import__", real_import)
        parser.parse(cell)  # the grammar loads first, then lark stays importable
        monkeypatch.setattr(builtins, "__import__", without)
    with capture_output() as captured:
        result = shell.run_cell(f"%%xanoscript\n{cell}")
    message = str(result.error_in_exec)
    assert "a %%xanoscript cell needs " in message and "pip install 'xsk-nb[notebook]'" in message
    assert "Traceback" not in captured.stdout + captured.stderr
    parser._lark.cache_clear()


def test_the_help_says_masking_follows_data_not_control_flow() -> None:
    """Issue 24, leak 8: a boolean oracle rebuilds a key through control flow; the kit says
    plainly, in %%xanoscript? and the module docs, that masking follows data only."""
    import inspect

    from xsk_nb.xanoscript import redaction
    from xsk_nb.xanoscript.magic import XanoScriptMagics

    help_text = " ".join(inspect.getdoc(XanoScriptMagics.xanoscript).split())
    assert " ".join(redaction.FOLLOWS_DATA_NOT_CONTROL_FLOW.split()) in help_text
    assert "FOLLOWS_DATA_NOT_CONTROL_FLOW" in (redaction.__doc__ or "")


def test_a_boolean_oracle_shows_the_key_as_documented() -> None:
    """The documented limit, pinned: comparing each character with the alphabet in a
    conditional spells the key out (control flow is not tracked)."""
    from xsk_nb.xanoscript import run

    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    cell = (
        'security.create_secret_key { bits = 512 format = "object" } as $key\n'
        f'var $letters {{ value = "{alphabet}"|split:"" }}\nvar $out {{ value = "" }}\n'
        'foreach ($key.k|split:"") {\n  each as $c {\n    foreach ($letters) {\n'
        "      each as $a {\n        conditional {\n          if ($c == $a) {\n"
        '            var.update $out { value = $out ~ $a ~ "." }\n          }\n        }\n'
        "      }\n    }\n  }\n}\nresponse = { k: $key.k, out: $out }\n"
    )
    response = run(cell)
    assert response.raw["out"].replace(".", "") == response.raw["k"]
    assert response.masked["k"].startswith("‹hidden")
    # the limit the help text states: the key, spelled out by control flow, is shown (the
    # window backstop catches only runs of 8 key characters; the dots break every run)
    assert response.raw["out"] in repr(response)


def test_function_run_finds_a_function_file_run_in_an_earlier_cell(
    shell: InteractiveShell,
) -> None:
    """Issue 19, rank 2: a pasted function file is run with its inputs, and function.run of
    it from another cell works (Xano calls a workspace function from any query:
    xano-developer-mcp functions.md)."""
    function = (
        "function greet {\n  input {\n    text name\n  }\n  stack {}\n"
        '  response = "hi " ~ $input.name\n}\n'
    )
    with capture_output():
        shell.run_cell(f"%%xanoscript --input name=Ada -v first\n{function}")
        shell.run_cell(
            '%%xanoscript -v second\nfunction.run "greet" { input = { name: "Bo" } } as $r\n'
            "response = $r\n"
        )
    assert shell.user_ns["first"].raw == "hi Ada"
    assert shell.user_ns["second"].raw == "hi Bo"
    with capture_output():
        result = shell.run_cell('%%xanoscript\nfunction.run "nope" as $r\n')
    assert 'functions known: "greet"' in str(result.error_in_exec)


def test_now_fixes_the_clock_so_timestamps_repeat(shell: Any) -> None:
    """--now: the same cell gives the same timestamps (issue 19, item 5: reproducible results)."""
    cell = (
        "%%xanoscript -o --now 2026-01-01T09:00:00Z\n"
        'response = { ms: now, text: now|format_timestamp:"Y-m-d H:i T":"Europe/Paris" }\n'
    )
    first, _ = run_cell(shell, cell)
    second, _ = run_cell(shell, cell)
    assert first.result.raw == second.result.raw == {
        "ms": 1_767_258_000_000,  # 2026-01-01T09:00:00Z, in Xano's milliseconds
        "text": "2026-01-01 10:00 CET",
    }
    millis, _ = run_cell(shell, "%%xanoscript -o --now 1700000000000\nresponse = now\n")
    assert millis.result.raw == 1_700_000_000_000


@pytest.mark.parametrize("when", ["tomorrow", "now", "2026-13-01"])
def test_now_refuses_a_moment_it_cannot_read_in_one_sentence(shell: Any, when: str) -> None:
    result, captured = run_cell(shell, f"%%xanoscript --now {when}\nresponse = 1\n")
    assert not result.success
    assert (
        "UsageError: --now: give an ISO 8601 moment such as 2026-01-01T09:00:00Z (UTC without "
        "an offset) or milliseconds since the epoch" in captured.stderr
    )
    assert "Traceback" not in captured.stderr and captured.outputs == []
