"""Hostile cells: each is refused with one sentence, no traceback and no hang (issue 13's
hostile-cell suite; issue 14, "Every hostile input": the replace blow-up and 30 chained
doublings). The bounds are in :mod:`xsk_nb.xanoscript.limits`."""

from __future__ import annotations

import pytest

from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, run
from xsk_nb.xanoscript.errors import XanoScriptLimitError
from xsk_nb.xanoscript.limits import (
    MAX_CALL_DEPTH,
    MAX_LOOP_ITERATIONS,
    MAX_STEPS,
    MAX_VALUE_DEPTH,
    MAX_VALUE_SIZE,
    MAX_WORK,
)

KEY = 'security.create_secret_key {\n  bits = 4096\n  format = "object"\n} as $key\n'
A40K = "a" * 40_000


def loop(times: int, body: str, head: str = "") -> str:
    return f"{head}for ({times}) {{\n  each {{\n    {body}\n  }}\n}}\n"


# (cell, the sentence the refusal must hold)
HOSTILE: dict[str, tuple[str, str]] = {
    # issue 14: "a"|replace:"a":"<40k a>"|replace:... builds 1.6e9 characters
    "replace blow-up": (
        f'response = "a"|replace:"a":"{A40K}"|replace:"a":"{A40K}"\n',
        "line 1: replace would build a text of 1,600,000,000 characters; a value is limited "
        f"to {MAX_VALUE_SIZE:,} characters and members",
    ),
    # issue 14: 30 chained doublings
    "30 doublings of text": (
        loop(30, "var.update $s { value = $s ~ $s }", 'var $s { value = "ab" }\n'),
        "line 4: ~ would build a text of 1,048,576 characters",
    ),
    "30 doublings of a key": (
        loop(30, "var.update $s { value = $s ~ $s }", KEY + "var $s { value = $key.k }\n"),
        "~ would build a text of 1,398,784 characters",
    ),
    "30 doublings of an array (shared parts counted)": (
        loop(30, "var.update $s { value = [$s, $s] }", 'var $s { value = ["ab"] }\n'),
        f"line 4: an array built a value of more than {MAX_VALUE_SIZE:,} characters and members",
    ),
    "30 doublings by merge": (
        loop(30, "var.update $s { value = $s|merge:$s }", "var $s { value = [1] }\n"),
        "merge would build a value of 1,048,576 members",
    ),
    "doubling objects": (
        loop(30, "var.update $o { value = { a: $o, b: $o } }", "var $o { value = {} }\n"),
        "an object built a value of more than",
    ),
    "join of a grown list": (
        loop(
            3000,
            "var.update $l { value = $l|push:$s }",
            f'var $s {{ value = "{"y" * 2000}" }}\nvar $l {{ value = [] }}\n',
        ),
        f"the cell computed more than {MAX_WORK:,} characters and members in all",
    ),
    "unbounded while": (
        "while (true) {\n  each {\n    var $x { value = 1 }\n  }\n}\n",
        f"line 1, column 1: while would run more than {MAX_LOOP_ITERATIONS:,} times; that is "
        "the limit for one loop (does its condition ever become false?)",
    ),
    "while whose condition never changes": (
        "var $i { value = 0 }\nwhile ($i < 10) {\n  each {\n    var $j { value = $i }\n  }\n}\n",
        f"while would run more than {MAX_LOOP_ITERATIONS:,} times",
    ),
    "enormous for": (
        loop(10**15, ""),
        f"for would run more than {MAX_LOOP_ITERATIONS:,} times",
    ),
    "foreach over a huge generated array": (
        'var $l { value = "x"|replace:"x":"' + "ab" * 20_000 + '"|split:"" }\n'
        "foreach ($l) {\n  each as $c {\n  }\n}\n",
        f"foreach would run more than {MAX_LOOP_ITERATIONS:,} times",
    ),
    "nested loops": (
        loop(10_000, loop(10_000, "").replace("\n", "\n    ")),
        f"the cell ran {MAX_STEPS:,} statements and loop rounds; that is the limit for one run",
    ),
    "negative for": (loop(-1, ""), "for needs a whole number of times, 0 or more"),
    "recursion between functions": (
        'function "a" {\n  stack {\n    function.run "b" {} as $x\n  }\n}\n'
        'function "b" {\n  stack {\n    function.run "a" {} as $y\n  }\n}\n'
        'function.run "a" {} as $z\n',
        f"function.run nests more than {MAX_CALL_DEPTH} calls deep (a function that runs "
        "itself, directly or through another?)",
    ),
    "a function that runs itself": (
        'function "f" {\n  stack {\n    function.run "f" {} as $x\n  }\n}\n'
        'function.run "f" {} as $y\n',
        f"function.run nests more than {MAX_CALL_DEPTH} calls deep",
    ),
    # issue 14: a JSON string nested 600-900 deep through json_decode
    "json_decode 900 deep": (
        'response = "' + "[" * 900 + "]" * 900 + '"|json_decode\n',
        f"json_decode got JSON nested more than {MAX_VALUE_DEPTH} levels deep",
    ),
    "deep nesting built by a loop": (
        loop(100, "var.update $d { value = [$d] }", "var $d { value = [] }\n"),
        f"built a value nested more than {MAX_VALUE_DEPTH} levels deep",
    ),
    "deep brackets in the cell": ("response = " + "[" * 200 + "]" * 200 + "\n", "nests { [ and ("),
    "deep parentheses in the cell": ("response = " + "(" * 40 + "1" + ")" * 40 + "\n", "nests"),
    "long operator chain": (
        "response = " + " + ".join(["1"] * 3000) + "\n",
        "nests",
    ),
    "long filter chain": (
        'response = "a"' + "|to_upper" * 200 + "\n",
        "this expression nests more than 64 levels deep; split it into several var statements",
    ),
    "huge cell": ("// " + "x" * 200_000, "the cell has 200,003 characters; the limit is 100,000"),
    "huge number": ("response = " + "9" * 100 + "\n", "this number has 100 characters"),
    "integer overflow by squaring": (
        loop(100, "var.update $x { value = $x * $x }", "var $x { value = 2 }\n"),
        "* gave a number too large (beyond 2^63)",
    ),
    "decimal overflow": ("response = 1e308 * 10\n", "* gave a number too large for JSON"),
    "division by zero": ("response = 1 / 0\n", "line 1: / by zero"),
    "modulo by zero": ("response = 1 % 0\n", "line 1: % by zero"),
    "lone surrogate in a string": (
        'response = "\\ud800"\n',
        "line 1, column 12: this string holds half of a UTF-16 surrogate pair",
    ),
    "lone surrogate through json_decode": (
        "response = '\"\\\\ud800\"'|json_decode\n",
        "json_decode got a string holding half of a UTF-16 surrogate pair",
    ),
    "random_bytes too long": (
        "security.random_bytes { length = 100000000 } as $b\n",
        "length must be from 1 to 1024 bytes",
    ),
    "random_number out of range": (
        "security.random_number { min = 5, max = 1 } as $n\n",
        "min must not be above max",
    ),
    "round to 10**9 places": ("response = 1.5|round:1000000000\n", "round takes 0 to 15"),
    "to_int of a huge text": (
        'response = "' + "9" * 500 + '"|to_int\n',
        "to_int got text that does not begin with a number",
    ),
    "$env without a name": ("response = $env\n", "$env needs a field, like $env.name"),
    "unsupported construct": (
        'task "nightly" {\n}\n',
        "`task` is not supported here; this kit runs",
    ),
    "try_catch cannot catch a bound": (
        "try_catch {\n  try {\n    while (true) {\n      each {\n      }\n    }\n  }\n"
        "  catch {\n  }\n}\n",
        f"while would run more than {MAX_LOOP_ITERATIONS:,} times",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_cell_is_refused_with_one_sentence(name: str) -> None:
    cell, expected = HOSTILE[name]
    db = NotebookDatabase()
    with pytest.raises(XanoScriptError) as caught:
        run(cell, {"x": "1"}, db=db, env={})
    message = str(caught.value)
    assert expected in message
    first, *rest = message.splitlines()
    assert len(first) < 400 and len(rest) <= 2  # one sentence, at most the line and a caret
    assert "Traceback" not in message and "Error(" not in message
    assert db.tables() == {}


def test_there_are_at_least_thirty_hostile_cells() -> None:
    assert len(HOSTILE) >= 30


def test_the_bounds_leave_room_for_real_work() -> None:
    # A loop of a thousand rounds growing a list and a text runs to the end.
    cell = loop(
        1000,
        'var.update $l { value = $l|push:$i }\n    var.update $s { value = $s ~ "x" }',
        'var $l { value = [] }\nvar $s { value = "" }\nvar $i { value = 0 }\n',
    )
    raw = run(cell + "response = { n: $l|count, chars: $s|strlen }\n").raw
    assert raw == {"n": 1000, "chars": 1000}


def test_expression_filters_inside_each_other_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000 elements three deep would run the innermost expression 10^9 times (about half an
    hour): the runs of one cell are counted, here against a bound of 1,000 to keep the test
    short (limits.MAX_ELEMENT_RUNS is 1,000,000, about 2 s)."""
    from xsk_nb.xanoscript import limits

    monkeypatch.setattr(limits, "MAX_ELEMENT_RUNS", 1000)
    cell = (
        "var $a { value = 1|fill:0:100 }\n"
        "response = $a|map:($parent|map:($parent|filter:false))|count\n"
    )
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert "would run its expression more than 1,000 times in one cell" in str(caught.value)
    # within the bound, nested expression filters run to the end
    nested = "var $a { value = 1|fill:0:30 }\nresponse = $a|map:($parent|count)|sum\n"
    assert run(nested).raw == 900


def test_a_refused_run_leaves_the_database_untouched_after_the_refusal_point() -> None:
    db = NotebookDatabase()
    cell = 'db.add "t" {\n  data = { a: 1 }\n}\n' + HOSTILE["unbounded while"][0]
    with pytest.raises(XanoScriptError, match="while would run more than"):
        run(cell, db=db)
    assert db.tables() == {"t": 1}  # statements before the refusal ran, as in Xano


# ---- issue 24: resource use and the destructive switch ---------------------------------------


@pytest.mark.parametrize(
    ("statement", "what"),
    [
        ('security.create_secret_key { bits = 4096 format = "object" } as $k', "create_secret_key"),
        ("security.random_bytes { length = 1024 } as $b", "random_bytes"),
    ],
)
def test_the_random_bytes_a_cell_may_draw_are_bounded(statement: str, what: str) -> None:
    """4096-bit keys 90,000 times in nested loops ran past 60 s; random_bytes 1024 x 90,000
    died with MemoryError. Each draw is counted against MAX_RANDOM_BYTES_PER_RUN first."""
    from xsk_nb.xanoscript.limits import MAX_RANDOM_BYTES_PER_RUN

    cell = (
        "for (300) {\n  each as $i {\n    for (300) {\n      each as $j {\n"
        f"        {statement}\n      }}\n    }}\n  }}\n}}\nresponse = 1\n"
    )
    with pytest.raises(XanoScriptLimitError) as caught:
        run(cell)
    message = str(caught.value)
    assert message.startswith("line 5: security.")
    assert what in message
    assert f"more than {MAX_RANDOM_BYTES_PER_RUN:,} random bytes in one run" in message
