"""Malformed and hostile cells: each gives its one clear message, before anything runs."""

from __future__ import annotations

import pytest

from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, XanoScriptSyntaxError, run

KEY = 'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'
QUERY_BITS = 'query "q" verb=GET {\n  input {\n    int bits?=512\n  }\n}\n'

# (cell, inputs, a piece the message must hold)
CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "unclosed brace": (
        'query "q" verb=GET {\n  stack {\n' + KEY,
        {},
        "line 6, column 10: the cell ended too early: a { is not closed (a } is missing)",
    ),
    "one brace too many": (
        KEY + "}\n",
        {},
        "line 5, column 1: unexpected '}' (is there one } too many?)",
    ),
    "unknown input type": (
        'query "q" verb=GET {\n  input {\n    integer bits?=512\n  }\n}\n',
        {},
        "line 3, column 5: unknown input type 'integer' (XanoScript writes int, not integer); "
        "use int, text, bool, decimal, email, uuid, timestamp, date or json",
    ),
    "missing as": (
        KEY.replace(" as $key", ""),
        {},
        "line 1, column 1: security.create_secret_key needs `as $name` after its closing }",
    ),
    "as without $": (
        KEY.replace("$key", "key"),
        {},
        "line 4, column 6: unexpected 'key'; expected a $variable",
    ),
    "comment at the end of a statement": (
        KEY.replace("bits = 512", "bits = 512 // small"),
        {},
        "line 2, column 14: a // comment must be on a line of its own",
    ),
    "bad bits": (
        KEY.replace("512", "1000"),
        {},
        "line 1: security.create_secret_key: bits must be one of 512, 1024, 2048 or 4096; got 1000",
    ),
    "bits as text": (
        KEY.replace("512", '"512"'),
        {},
        "bits must be an int, one of 512, 1024, 2048 or 4096; got a str of 3 characters",
    ),
    "format other than object": (
        KEY.replace('"object"', '"base64"'),
        {},
        'format "base64" is listed by docs.xano.com\'s Create Secret Key table',
    ),
    "function that cannot run here": (
        KEY.replace("create_secret_key", "create_rsa_key"),
        {},
        "line 1, column 1: `security.create_rsa_key` is not supported here: "
        "use security.create_curve_key for a public-key pair, or security.create_secret_key "
        "with HS256/384/512",
    ),
    "unknown function": (
        KEY.replace("security.create_secret_key", "security.create_rsa"),
        {},
        "line 1, column 1: `security.create_rsa` is not supported here; this kit runs "
        "security.create_secret_key, security.create_curve_key, security.jws_encode, "
        "security.jws_decode, security.create_uuid",
    ),
    "group construct": (
        'var $s { value = "a" }\ngroup {\n  stack {\n  }\n}\n',
        {},
        "line 2, column 1: `group` is not supported here; this kit runs query, function, var",
    ),
    "undefined variable": (
        KEY + "response = $keys\n",
        {},
        "line 5: $keys is not defined here; variables defined so far: $key",
    ),
    "variable used before it is set": (
        'db.add "t" {\n  data = { k: $key.k }\n} as $r\n' + KEY,
        {},
        "line 2: $key is not defined here; variables defined so far: none yet",
    ),
    "enormous cell": (
        "// " + "x" * 200_000,
        {},
        "the cell has 200,003 characters; the limit is 100,000",
    ),
    "deep nesting": (
        "response = " + "[" * 100 + "]" * 100,
        {},
        "nests { [ and ( more than 32 levels deep",
    ),
    "enormous number": (KEY.replace("512", "9" * 5000), {}, "this number has 5000 characters"),
    "unknown filter": (
        KEY + "response = `$key.k|upper`\n",
        {},
        "line 5, column 20: unknown filter 'upper': did you mean to_upper?",
    ),
    "filter without its argument": (
        KEY + "response = `$key.k|substr`\n",
        {},
        "substr takes 1 to 2 arguments",
    ),
    "count on text": (
        KEY + "response = `$key.k|count`\n",
        {},
        "count works on arrays and objects; for the length of text use strlen",
    ),
    "missing argument": (
        KEY.replace('  format = "object"\n', ""),
        {},
        "needs format = ...; it takes bits, format",
    ),
    "unknown argument": (
        KEY.replace('format = "object"', 'format = "object"\n  alg = "HS256"'),
        {},
        "line 4, column 3: security.create_secret_key has no argument 'alg'; it takes bits, format",
    ),
    "argument given twice": (
        KEY.replace('format = "object"', 'format = "object"\n  bits = 1024'),
        {},
        "line 4, column 3: bits is given twice",
    ),
    "unclosed string": (
        KEY.replace('"object"', '"object'),
        {},
        "line 3, column 12: this string is not closed on its line",
    ),
    "unclosed backtick": (
        KEY + "response = `$key.k|strlen\n",
        {},
        "the cell ended too early; expected '`'",
    ),
    "unknown verb": (
        'query "q" verb=FETCH {\n}\n',
        {},
        "verb must be one of GET, POST, PUT, PATCH, DELETE",
    ),
    "db.add without a table": (
        "db.add {\n  data = { a: 1 }\n} as $r\n",
        {},
        'db.add needs a table name: db.add "table" { ... }',
    ),
    "hostile table name": (
        'db.add "x; DROP TABLE y" {\n  data = { a: 1 }\n} as $r\n',
        {},
        "table name 'x; DROP TABLE y' must be",
    ),
    "unset environment variable": (
        "response = $env.XSK_SURELY_NOT_SET\n",
        {},
        "$env.XSK_SURELY_NOT_SET is not set",
    ),
    "field of text": (
        KEY + "response = $key.k.x\n",
        {},
        "line 5: $key.k is text; it has no field 'x'",
    ),
    "reserved variable name": (KEY.replace("$key", "$input"), {}, "$input is reserved"),
    "input of the wrong type": (
        QUERY_BITS,
        {"bits": "abc"},
        "input bits must be an int, like 512; got 'abc'",
    ),
    "undeclared input": (
        QUERY_BITS,
        {"bitz": "512"},
        "input bitz is not declared by the query; its inputs: bits",
    ),
    "missing required input": (
        'query "q" verb=GET {\n  input {\n    int user_id\n  }\n}\n',
        {},
        "input user_id (int) is required: give it with --input user_id=VALUE",
    ),
    "enormous input": (
        'query "q" verb=GET {\n  input {\n    text t\n  }\n}\n',
        {"t": "x" * 20_000},
        "input t is 20000 characters long; the limit is 10000",
    ),
    "enormous int input": (QUERY_BITS, {"bits": "9" * 5000}, "input bits has 5000 digits"),
    "deeply nested json input": (
        'query "q" verb=GET {\n  input {\n    json t\n  }\n}\n',
        {"t": "[" * 5000 + "]" * 5000},
        "input t nests more than 32 levels deep",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_bad_cell_gives_its_one_message(name: str) -> None:
    cell, inputs, expected = CASES[name]
    db = NotebookDatabase()
    with pytest.raises(XanoScriptError) as caught:
        run(cell, inputs, db=db, env={})
    message = str(caught.value)
    assert expected in message
    assert "Traceback" not in message
    assert len(message) < 900  # the longest lists the 70 filters
    assert db.tables() == {}  # refused before anything was stored


def test_there_are_at_least_fifteen_cases() -> None:
    assert len(CASES) >= 15


def test_syntax_errors_show_the_line_with_a_caret() -> None:
    with pytest.raises(XanoScriptSyntaxError) as caught:
        run(KEY.replace("bits = 512", "bits = 512 // small"))
    error = caught.value
    assert (error.line, error.column) == (2, 14)
    excerpt = str(error).splitlines()[1:]
    assert excerpt == ["      bits = 512 // small", "                 ^"]


def test_a_refused_cell_creates_no_key_first() -> None:
    # The unknown function comes after a valid create_secret_key: nothing runs at all.
    cell = (
        KEY
        + 'db.add "t" {\n  data = { k: $key.k }\n} as $r\n'
        + KEY.replace("create_secret_key", "nope")
    )
    db = NotebookDatabase()
    with pytest.raises(
        XanoScriptError, match=r"line 8, column 1: `security\.nope` is not supported here"
    ):
        run(cell, db=db)
    assert db.tables() == {}


def test_bare_statements_say_how_to_give_a_missing_input() -> None:
    with pytest.raises(XanoScriptError) as caught:
        run("response = $input.word\n")
    assert str(caught.value) == (
        "line 1: $input.word is not a declared input (inputs: none); declare it in input { }, "
        "or give it with --input word=VALUE"
    )


def test_comparing_a_text_input_with_a_number_says_to_declare_the_input() -> None:
    """xano-developer-mcp essentials.md "Conditionals" ($input.age >= 18) pasted as bare
    statements, given text that is not a plain number: the sentence says how to get one."""
    from xsk_nb.xanoscript import XanoScriptError, run

    with pytest.raises(XanoScriptError) as caught:
        run("response = $input.age >= 18\n", {"age": "15 years"})
    assert "declare it, e.g. input { int age }, to have Xano's conversion" in str(caught.value)
    declared = run("input {\n  int age\n}\nresponse = $input.age >= 13\n", {"age": "15"})
    assert declared.raw is True
