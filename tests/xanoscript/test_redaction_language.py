"""Key material stays masked through every new construct (issue 13, item 5): a slice, a
concatenation, a hash, a JSON encoding, a loop variable, a debug.log, a var, an index, an
operator, a function's result. Each display form is scanned for any 8 characters of the key
and every derived value is checked to be shown as a placeholder."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xsk_nb.xanoscript import Response, XanoScriptError, run

KEY = 'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'


def shown(response: Response) -> list[str]:
    """Every form a notebook shows or saves of a response."""
    return [
        repr(response),
        response._repr_html_(),
        json.dumps(response.masked, ensure_ascii=False),
        *response.warnings,
    ]


def assert_no_piece(secret: str, texts: list[str], size: int = 8) -> None:
    for text in texts:
        for start in range(len(secret) - size + 1):
            assert secret[start : start + size] not in text


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


CONSTRUCTS: dict[str, str] = {
    "var": "var $v { value = $key.k }\nresponse = { k: $key.k, v: $v }\n",
    "var.update with ~": (
        'var $v { value = "Bearer " }\nvar.update $v { value = $v ~ $key.k }\n'
        "response = { k: $key.k, v: $v }\n"
    ),
    "short slices": (
        "response = { k: $key.k, a: $key.k|substr:0:3, b: $key.k|slice:3:2, c: $key.k[5] }\n"
    ),
    "concatenation of pieces": (
        'response = { k: $key.k, v: ($key.k|substr:0:4) ~ "-" ~ ($key.k|substr:4:4) }\n'
    ),
    "hash and hmac": (
        'response = { k: $key.k, h: $key.k|sha256, m: "msg"|hmac_sha256:$key.k, '
        "five: $key.k|md5|substr:0:5 }\n"
    ),
    "json_encode of a list of pieces": (
        "response = { k: $key.k, j: [$key.k|substr:0:7, $key.k|substr:7:7]|json_encode }\n"
    ),
    "split into characters": 'response = { k: $key.k, chars: $key.k|split:"" }\n',
    "foreach loop variable": (
        'var $out { value = [] }\nforeach ($key.k|split:"") {\n  each as $c {\n'
        "    var.update $out { value = $out|push:$c }\n  }\n}\n"
        'response = { k: $key.k, out: $out, joined: $out|join:"" }\n'
    ),
    "for loop index into the key": (
        'var $out { value = "" }\nfor (20) {\n  each as $i {\n'
        "    var.update $out { value = $out ~ $key.k[$i] }\n  }\n}\n"
        "response = { k: $key.k, out: $out }\n"
    ),
    "conditional, ternary and ??": (
        "conditional {\n  if (($key.k|strlen) > 10) {\n    var $v { value = $key.k|substr:2:6 }\n"
        "  }\n}\nresponse = { k: $key.k, v: $v, t: true ? $key.k : 1, n: null ?? $key.k }\n"
    ),
    "object built by set and merge": (
        'response = { k: $key.k, o: {}|set:"secret":$key.k|merge:{ x: 1 }, '
        'g: { s: $key.k }|get:"s" }\n'
    ),
    "function result": (
        'function "prefix" {\n  input {\n    text t\n  }\n  stack {}\n'
        "  response = $input.t|substr:0:6\n}\n"
        'function.run "prefix" { input = { t: $key.k } } as $p\n'
        "response = { k: $key.k, p: $p }\n"
    ),
    "to_text, base64 and upper": (
        "response = { k: $key.k, b: $key.k|substr:0:3|base64_encode, "
        "u: $key.k|substr:0:2|to_upper }\n"
    ),
}


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_derived_values_are_masked_in_every_display_form(name: str) -> None:
    response = run(KEY + CONSTRUCTS[name])
    secret = response.raw["k"]
    assert_no_piece(secret, shown(response))
    # every text value but the literal ones is shown as a placeholder, never as itself
    for leaf in leaves(response.masked):
        if isinstance(leaf, str) and leaf not in ("", "-"):
            assert leaf.startswith("‹"), (name, leaf)
    for leaf in leaves(response.raw):  # and no raw text appears quoted in any display
        if isinstance(leaf, str) and len(leaf) > 1:  # one letter can be a JSON key, like "k"
            for text in shown(response):
                assert json.dumps(leaf) not in text


def test_debug_log_of_key_material_is_masked() -> None:
    cell = KEY + (
        "debug.log { value = $key.k }\ndebug.log { value = $key.k|substr:0:4 }\n"
        'debug.log { value = { token: "Bearer " ~ $key.k } }\nresponse = "done"\n'
    )
    response = run(cell.replace('response = "done"', "response = $key.k"))
    (log_k, log_piece, log_object) = [w for w in response.warnings if "debug.log" in w]
    assert "‹hidden: 86 chars, key " in log_k
    assert "‹hidden: first 4 chars of key" in log_piece
    assert "‹hidden:" in log_object
    assert_no_piece(response.raw, shown(response))


def test_precondition_messages_built_from_a_key_are_scrubbed() -> None:
    cell = KEY + 'precondition (false) {\n  error = "bad key " ~ $key.k\n}\n'
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    message = str(caught.value)
    # the error text is computed from the key, so it is key material as a whole: its
    # placeholder is shown, never its characters
    assert message.startswith("line 5, column 1: precondition failed: ‹hidden: 94 chars, ~ of ")
    assert message.endswith("› (error_type standard, HTTP 500)")
    assert "bad key" not in message


def test_env_values_stay_secret_through_operators_and_loops() -> None:
    secret = "correct-horse-battery-staple-0123456789"
    cell = (
        'var $parts { value = $env.JWT_SECRET|split:"-" }\n'
        "var $n { value = 0 }\n"
        "foreach ($parts) {\n  each as $p {\n    var.update $n { value = $n + 1 }\n  }\n}\n"
        "response = { parts: $parts, first: $parts|first, n: $n, "
        'joined: $parts|join:"+" }\n'
    )
    response = run(cell, env={"JWT_SECRET": secret})
    assert response.raw["n"] == 5
    for piece in ("correct", "horse", "battery", "staple", "0123456789"):
        for text in shown(response):
            assert f'"{piece}"' not in text
    assert_no_piece(secret, shown(response))
