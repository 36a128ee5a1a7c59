"""The interpreter without IPython: inputs, expressions, filters, bare statements, the database."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest

from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, run

TYPES = """\
query "types" verb=POST {
  input {
    int n?=3 { description = "a number" }
    text name?="Ada"
    bool flag?=false
    decimal ratio?=0.5
    json extra?
  }
  stack {}
  response = { n: $input.n, name: $input.name, flag: $input.flag, ratio: $input.ratio,
               extra: $input.extra }
}
"""


def test_defaults_apply_when_no_input_is_given() -> None:
    assert run(TYPES).raw == {"n": 3, "name": "Ada", "flag": False, "ratio": 0.5, "extra": None}


def test_inputs_from_text_are_converted_to_their_declared_types() -> None:
    given = {"n": "-7", "name": "Grace", "flag": "true", "ratio": "2.25", "extra": '{"a": [1]}'}
    assert run(TYPES, given).raw == {
        "n": -7,
        "name": "Grace",
        "flag": True,
        "ratio": 2.25,
        "extra": {"a": [1]},
    }


def test_already_typed_inputs_are_checked_too() -> None:
    assert run(TYPES, {"n": 5}).raw["n"] == 5
    with pytest.raises(XanoScriptError, match="input n must be an int; got bool"):
        run(TYPES, {"n": True})


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('`"abcdef"|substr:1:3`', "bcd"),
        ('`"abcdef"|substr:-2`', "ef"),
        ('`"abcdef"|substr:0:-2`', "abcd"),
        ("`[1, 2, 3, 4]|slice:1:2`", [2, 3]),
        ("`[1, 2, 3]|count`", 3),
        ('`"héllo"|strlen`', 5),
        ('`"MiXed"|to_upper`', "MIXED"),
        ('`"MiXed"|to_lower`', "mixed"),
        ("`{ b: 1, a: [true, null] }|json_encode`", '{"b":1,"a":[true,null]}'),
        ('`"hi"|base64_encode`', base64.b64encode(b"hi").decode()),
        ('`"aGk="|base64_decode`', "hi"),
        ("`\"Bearer xyz\"|replace:'Bearer ':''|to_upper`", "XYZ"),
        ('`"  x  "|trim|strlen`', 1),
        ("`[3, 4]|first`", 3),
        ("`[3, 4]|last`", 4),
        ('`"[1,2]"|json_decode|count`', 2),
        ('"no backticks"|to_upper', "NO BACKTICKS"),
    ],
)
def test_filters(expression: str, expected: object) -> None:
    assert run(f"response = {expression}\n").raw == expected


def test_slice_on_text_runs_and_warns_that_substr_is_the_text_filter() -> None:
    response = run('response = `"abcdef"|slice:0:2`\n')
    assert response.raw == "ab"
    assert response.warnings == (
        "line 1: slice is documented by Xano as an array filter; for text it is substr "
        "(here slice on text runs as substr:offset:length)",
    )


def test_now_is_a_millisecond_timestamp() -> None:
    assert run("response = `now`\n", now=1_700_000_000.5).raw == 1_700_000_000_500
    assert run("response = now\n").raw > 1_600_000_000_000


def test_variables_fields_objects_arrays_and_literals() -> None:
    cell = """\
db.add "people" {
  data = { name: "Ada", tags: ["x", "y"], meta: { "born": 1815 } }
} as $person

response = {
  id: $person.id,
  tags: $person.tags,
  born: $person.meta.born,
  missing: $person.nope,
  literals: [1, -2.5, 'single', true, false, null]
}
"""
    assert run(cell).raw == {
        "id": 1,
        "tags": ["x", "y"],
        "born": 1815,
        "missing": None,
        "literals": [1, -2.5, "single", True, False, None],
    }


def test_bare_statements_without_response_return_every_variable() -> None:
    raw = run('security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n').raw
    assert list(raw) == ["key"]
    assert raw["key"]["kty"] == "oct"


def test_bare_statements_read_inputs_as_text() -> None:
    assert run("response = $input.word\n", {"word": "hello"}).raw == "hello"


def test_env_values_come_from_the_given_mapping() -> None:
    response = run("response = `$env.GREETING|strlen`\n", env={"GREETING": "hello there world"})
    assert response.raw == 17


def test_db_add_creates_the_table_adds_columns_and_stores_objects_as_json() -> None:
    db = NotebookDatabase()
    run('db.add "t" {\n  data = { a: 1 }\n} as $r\n', db=db)
    second = run('db.add "t" {\n  data = { a: 2, b: { c: [1] } }\n} as $r\nresponse = $r\n', db=db)
    assert second.raw == {"id": 2, "a": 2, "b": {"c": [1]}}
    assert db.rows("t") == [
        {"id": 1, "a": 1, "b": None},
        {"id": 2, "a": 2, "b": json.dumps({"c": [1]}, separators=(",", ":"))},
    ]


def test_db_can_live_in_a_file(tmp_path: pytest.TempPathFactory) -> None:
    path = str(tmp_path / "notebook.sqlite")  # type: ignore[operator]
    db = NotebookDatabase(path)
    run('db.add "t" {\n  data = { a: 1 }\n} as $r\n', db=db)
    db.close()
    assert NotebookDatabase(path).tables() == {"t": 1}


def test_comments_on_their_own_lines_are_fine_anywhere() -> None:
    cell = (
        '// first\nquery "q" verb=GET {\n  // inside\n  input {\n    // deeper\n  }\n'
        "\n   // x\n}\n// last"
    )
    assert run(cell).raw is None


def test_importing_the_package_loads_no_lark_joserfc_or_ipython() -> None:
    code = (
        "import sys, xsk_nb, xsk_nb.xanoscript; "
        "print(sorted(m for m in ('lark', 'joserfc', 'IPython') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_grammar_file_is_inside_the_package() -> None:
    from importlib import resources

    grammar = resources.files("xsk_nb.xanoscript").joinpath("grammar.lark")
    assert grammar.is_file()
