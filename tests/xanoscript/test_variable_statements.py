"""Statements that change a $variable in place, each against Xano's skill document example
(xano-inc/cli@eb4d11d:.claude/skills/functions/<name>/SKILL.md), and masking through them."""

from __future__ import annotations

import pytest

from xsk_nb.xanoscript import XanoScriptError, run
from xsk_nb.xanoscript.variable_statements import VARIABLE_STATEMENTS

DOCUMENTED = [
    # math-add/SKILL.md "Basic Addition": base=10, add=5 -> result 15
    ("var $r { value = 10 }\nmath.add $r { value = 5 }\nresponse = $r\n", 15),
    # math-div/SKILL.md "Basic Division": base=100, divide=4 -> 25
    ("var $r { value = 100 }\nmath.div $r { value = 4 }\nresponse = $r\n", 25),
    ("var $r { value = 10 }\nmath.sub $r { value = 3 }\nresponse = $r\n", 7),
    ("var $r { value = 6 }\nmath.mul $r { value = 7 }\nresponse = $r\n", 42),
    ("var $r { value = 20 }\nmath.mod $r { value = 3 }\nresponse = $r\n", 2),
    # text-append/SKILL.md "Basic Usage": "Hello World!"
    (
        'var $g { value = "Hello" }\ntext.append $g {\n  value = " World"\n}\n'
        'text.append $g {\n  value = "!"\n}\nresponse = $g\n',
        "Hello World!",
    ),
    (
        'var $g { value = "World" }\ntext.prepend $g { value = "Hello " }\nresponse = $g\n',
        "Hello World",
    ),
    # text-trim/SKILL.md "Basic Usage": "   Hello World   " -> "Hello World"
    (
        'var $t { value = "   Hello World   " }\ntext.trim $t {\n  value = " "\n}\nresponse = $t\n',
        "Hello World",
    ),
    ('var $t { value = "xxabcxx" }\ntext.ltrim $t { value = "x" }\nresponse = $t\n', "abcxx"),
    ('var $t { value = "xxabcxx" }\ntext.rtrim $t { value = "x" }\nresponse = $t\n', "xxabc"),
    # text-contains/SKILL.md: case-sensitive; "error" does not match "ERROR"
    (
        'var $log { value = "ERROR: Connection failed" }\n'
        'text.contains $log { value = "ERROR" } as $a\n'
        'text.contains $log { value = "error" } as $b\n'
        'text.icontains $log { value = "error" } as $c\n'
        "response = [$a, $b, $c]\n",
        [True, False, True],
    ),
    ('var $s { value = "abc" }\ntext.starts_with $s { value = "ab" } as $r\nresponse = $r\n', True),
    ('var $s { value = "abc" }\ntext.ends_with $s { value = "bc" } as $r\nresponse = $r\n', True),
    (
        'var $s { value = "ABC" }\ntext.istarts_with $s { value = "ab" } as $r\nresponse = $r\n',
        True,
    ),
    ('var $s { value = "ABC" }\ntext.iends_with $s { value = "bc" } as $r\nresponse = $r\n', True),
    # array-push/SKILL.md "Basic Push": ["apple","banana"] + "cherry"
    (
        'var $f { value = ["apple", "banana"] }\n'
        'array.push $f {\n  value = "cherry"\n}\nresponse = $f\n',
        ["apple", "banana", "cherry"],
    ),
    ("var $f { value = [1, 2] }\narray.unshift $f { value = 0 }\nresponse = $f\n", [0, 1, 2]),
    # array-pop/SKILL.md "Basic Pop": {array: [apple, banana], removed: cherry}
    (
        'var $f { value = ["apple", "banana", "cherry"] }\narray.pop $f as $removed\n'
        "response = { array: $f, removed: $removed }\n",
        {"array": ["apple", "banana"], "removed": "cherry"},
    ),
    # array-shift/SKILL.md "Basic Shift": {array: [banana, cherry], first: apple}
    (
        'var $f { value = ["apple", "banana", "cherry"] }\narray.shift $f as $first\n'
        "response = { array: $f, first: $first }\n",
        {"array": ["banana", "cherry"], "first": "apple"},
    ),
    # array-pop/SKILL.md: "Returns null if the array is empty"; pop-discard: no as
    (
        "var $f { value = [] }\narray.pop $f as $r\narray.shift $f\nresponse = [$f, $r]\n",
        [[], None],
    ),
    # var-update: a path inside the variable
    (
        "var $o { value = { a: { b: 1 } } }\nvar.update $o.a.c { value = 2 }\nresponse = $o\n",
        {"a": {"b": 1, "c": 2}},
    ),
]


@pytest.mark.parametrize(("cell", "expected"), DOCUMENTED)
def test_each_statement_does_what_its_skill_document_shows(cell: str, expected: object) -> None:
    assert run(cell).raw == expected


def test_every_variable_statement_has_a_documented_case() -> None:
    used = {name for name in VARIABLE_STATEMENTS if any(f"{name} $" in c for c, _ in DOCUMENTED)}
    assert used == set(VARIABLE_STATEMENTS)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("math.add $nope { value = 1 }\n", "math.add $nope needs a var $nope before it"),
        ("var $x { value = 1 }\nmath.add $x { value = 1 } as $r\n", "has no `as $name`"),
        ('var $x { value = "a" }\ntext.contains $x { value = "a" }\n', "needs `as $name`"),
        ("var $x { value = 1 }\nmath.add $x { amount = 1 }\n", "takes one argument, value = ..."),
        ("var $x { value = [1] }\narray.pop $x { value = 1 }\n", "takes no arguments"),
        ("math.add $input { value = 1 }\n", "copy $input into one first"),
        ('var $x { value = "a" }\nmath.add $x { value = 1 }\n', "add works on numbers; got text"),
        ("var $x { value = [1] }\narray.merge $x { value = [2] }\n", "recommends api.lambda"),
        ("var $x { value = 1 }\nmath.frob $x { value = 1 }\n", "`math.frob $x` is not run here"),
        ("var $x { value = 1 }\nmath.div $x { value = 0 }\n", "math.div: division by zero"),
    ],
)
def test_mistakes_get_one_sentence(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert message in str(caught.value)


def test_key_material_stays_masked_through_every_statement() -> None:
    """Issue 19: masking must hold through every new statement (extend the leak tests)."""
    cell = (
        'security.create_secret_key { bits = 512 format = "object" } as $key\n'
        'var $t { value = "" }\ntext.append $t { value = $key.k|substr:0:5 }\n'
        'var $p { value = "x" }\ntext.prepend $p { value = $key.k|substr:5:5 }\n'
        "var $a { value = [] }\narray.push $a { value = $key.k|substr:10:5 }\n"
        "array.pop $a as $popped\n"
        'var $w { value = "  " ~ ($key.k|substr:15:5) }\ntext.trim $w { value = " " }\n'
        "var $n { value = 1 }\nmath.add $n { value = $key.k|strlen }\n"
        "var $o { value = {} }\nvar.update $o.deep { value = $key.k|substr:20:5 }\n"
        "response = { t: $t, p: $p, popped: $popped, w: $w, o: $o }\n"
    )
    response = run(cell)
    raw = response.raw
    shown = repr(response)
    for piece in (raw["t"], raw["p"][1:], raw["popped"], raw["w"], raw["o"]["deep"]):
        assert len(piece) == 5
        assert f'"{piece}"' not in shown
    assert response.masked["t"].startswith("‹hidden")
    # the object built from key material is masked member by member (its names too)
    assert all(value.startswith("‹hidden") for value in response.masked["o"].values())
