"""xsk_nb.xanoscript.inputs: how a given value becomes an input, declared or not."""

from __future__ import annotations

import pytest

from xsk_nb.xanoscript import run
from xsk_nb.xanoscript.inputs import UNDECLARED_INPUT_RULE, read_undeclared

#: xano-inc/xano-developer-mcp@c72a410 src/xanoscript_docs/essentials.md L69 ("Conditionals"),
#: copied verbatim into the corpus as 38_mcp_conditionals: with age 15 the status is "teen".
ESSENTIALS_CONDITIONALS = """\
conditional {
  if ($input.age >= 18) {
    var $status { value = "adult" }
  }
  elseif ($input.age >= 13) {
    var $status { value = "teen" }
  }
  else {
    var $status { value = "child" }
  }
}
"""


@pytest.mark.parametrize(
    ("given", "read"),
    [("15", 15), ("-2", -2), ("2.5", 2.5), ("1e3", 1000.0), ("true", True), ("false", False)],
)
def test_a_number_or_bool_given_to_a_cell_without_declarations_is_read_as_one(
    given: str, read: object
) -> None:
    value = read_undeclared(given)
    assert value == read and type(value) is type(read)


@pytest.mark.parametrize(
    "given", ["hello", "007", "15 kg", "True", "null", "[1]", "NaN", "1" * 19, " 15", ""]
)
def test_anything_else_given_to_a_cell_without_declarations_stays_text(given: str) -> None:
    assert read_undeclared(given) == given


def test_the_essentials_conditional_fragment_gives_teen_for_age_15_and_says_how() -> None:
    response = run(ESSENTIALS_CONDITIONALS, {"age": "15"})
    assert response.raw == {"status": "teen"}
    assert response.warnings == (f"--input: {UNDECLARED_INPUT_RULE}",)


def test_text_given_to_a_cell_without_declarations_adds_no_note() -> None:
    response = run("response = $input.word\n", {"word": "hello"})
    assert response.raw == "hello" and response.warnings == ()


def test_a_declared_text_input_keeps_digits_as_text() -> None:
    script = 'query "q" verb=GET {\n  input {\n    text code\n  }\n  stack {}\n'
    script += "  response = $input.code\n}\n"
    assert run(script, {"code": "15"}).raw == "15"
