"""The static checks (xsk_nb.xanoscript.checks) and the dispatch over node types: every node
type of nodes.Step and nodes.Expr has a case in the checker and the interpreter (issue 19,
"dispatch over node types with match and a test that every node type is handled")."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from xsk_nb.xanoscript import XanoScriptError, nodes, parse, run

EVERY_CONSTRUCT = """\
function "f" {
  input {
    int n?=1
  }
  stack {
    return { value = $input.n }
  }
  response = 0
}
var $a { value = [1, {b: -2}, null, true, now > 0] }
var.update $a { value = $a|count }
conditional {
  if ($a > 0 ? true : false) {
    var $c { value = !false }
  }
  else {
    var $c { value = false }
  }
}
foreach ([1]) {
  each as $i {
    var $x { value = [7][0] ?? $i }
  }
}
for (1) {
  each as $j {
    var $y { value = $j }
  }
}
while (false) {
  each {
    var $z { value = 1 }
  }
}
precondition (true) {
  error = "no"
}
switch ($a) {
  case (1) {
    var $s { value = 1 }
  } break
  default {
    var $s { value = 0 }
  }
}
try_catch {
  try {
    throw {
      name = "E"
      value = "v"
    }
  }
  catch {
    var $e { value = $error.name }
  }
}
function.run "f" { input = { n: 2 } } as $r
response = { a: $a, r: $r, e: $e }
"""


def _node_types(value: object, found: set[type]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            found.add(type(item))
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, (tuple, list)):
            stack.extend(item)


def test_every_node_type_is_built_by_the_parser_and_handled_when_run() -> None:
    script = parse(EVERY_CONSTRUCT)
    found: set[type] = set()
    _node_types(script, found)
    step_and_expr = {*typing.get_args(nodes.Step), *typing.get_args(nodes.Expr)}
    assert step_and_expr, "nodes.Step and nodes.Expr list the node types"
    assert step_and_expr <= found, f"not exercised: {step_and_expr - found}"
    response = run(EVERY_CONSTRUCT)  # each case runs (a missing one raises AssertionError)
    assert response.raw == {"a": 5, "r": 2, "e": "E"}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("response = $nope\n", "$nope is not defined here"),
        ("var $input { value = 1 }\n", "$input is reserved"),
        ("security.frob { a = 1 } as $x\n", "`security.frob` is not supported here"),
        ("response = 1|frobnicate\n", "unknown filter 'frobnicate'"),
    ],
)
def test_the_checks_refuse_before_anything_runs(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert message in str(caught.value)
