"""The language core, from Xano's documented examples.

Sources (Xano's public XanoScript documents, repository xano-inc/xano-developer-mcp):
essentials.md ("Variable Declaration", "Conditionals", "Loops", "Error Handling",
"Function Call", "Input Block Syntax", "String Concatenation", "Pagination"), syntax.md
("Operators", "Conditional Blocks", "Nullish Coalescing", "Parentheses and Filter Precedence",
"Preconditions"), functions.md (function blocks), syntax/functions.md (``-5|abs``).
"""

from __future__ import annotations

import pytest

from xsk_nb.xanoscript import XanoScriptError, XanoScriptSyntaxError, parse, run
from xsk_nb.xanoscript.interpreter import PreconditionFailed


def value(expression: str, inputs: dict[str, str] | None = None) -> object:
    return run(f"response = {expression}\n", inputs or {}).raw


# ---- var / var.update (essentials.md, "Variable Declaration") ---------------------------


def test_var_declares_each_documented_kind_of_value() -> None:
    cell = """\
var $name { value = "initial" }
var $count { value = 0 }
var $items { value = [] }
var $data { value = { key: "value" } }
"""
    assert run(cell).raw == {"name": "initial", "count": 0, "items": [], "data": {"key": "value"}}


def test_var_update_replaces_the_value_and_var_prefix_is_the_same_variable() -> None:
    cell = """\
var $total { value = 100 }
var.update $total { value = $var.total + 1 }
response = [$total, $var.total]
"""
    assert run(cell).raw == [101, 101]


def test_var_update_before_var_is_refused_before_running() -> None:
    with pytest.raises(XanoScriptError, match=r"var\.update \$x needs a var \$x before it"):
        run("var.update $x { value = 1 }\n")


@pytest.mark.parametrize("name", ["response", "auth", "input", "output", "this"])
def test_reserved_names_cannot_be_set(name: str) -> None:
    with pytest.raises(XanoScriptError, match=rf"\${name} is reserved"):
        run(f"var ${name} {{ value = 1 }}\n")


# ---- operators (syntax.md "Operators", essentials.md "String Concatenation") -------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("7 % 3", 1),
        ("7 / 2", 3.5),
        ("6 / 2", 3),
        ('"Hello, " ~ "Ada" ~ "!"', "Hello, Ada!"),
        ('"n=" ~ 5 ~ ", ok=" ~ true', "n=5, ok=true"),
        ("2 == 2", True),
        ('"a" != "b"', True),
        ("3 > 2 && 2 > 3", False),
        ("3 > 2 || 2 > 3", True),
        ("1 <= 1", True),
        ('"abc" < "abd"', True),
        ("!true", False),
        ("!null", True),
        ("1 == true", False),
        ("1 + 2 == 3 && 4 > 3", True),
        ("-3 + 5", 2),
        ("-5|abs", 5),  # syntax/functions.md: -5|abs is 5
        ("([10, 20, 30]|count) > 2", True),  # syntax.md: parentheses around the filter
    ],
)
def test_operators_and_their_precedence(expression: str, expected: object) -> None:
    assert value(expression) == expected


def test_nullish_coalescing_differs_from_or_as_documented() -> None:
    # syntax.md, "Nullish Coalescing": $count ?? 10 is 0; $count || 10 is 10
    cell = "var $count { value = 0 }\nresponse = [$count ?? 10, $count || 10, null ?? 10]\n"
    assert run(cell).raw == [0, 10, 10]


def test_ternary() -> None:
    assert value('3 > 2 ? "big" : "small"') == "big"
    assert value('null ? "a" : false ? "b" : "c"') == "c"


def test_filtered_values_in_parentheses_as_xano_advises() -> None:
    # syntax.md, "Parentheses and Filter Precedence"
    cell = 'var $data { value = [1, 2] }\nresponse = ("x"|to_upper) ~ ": " ~ ($data|json_encode)\n'
    assert run(cell).raw == "X: [1,2]"


def test_pagination_arithmetic_from_essentials() -> None:
    cell = """\
query "items" verb=GET {
  input {
    int page?
    int limit?
  }
  stack {
    var $page { value = $input.page ?? 1 }
    var $limit { value = $input.limit ?? 20 }
    var $offset { value = ($page - 1) * $limit }
  }
  response = { page: $page, offset: $offset, pages: (45 / $limit)|ceil }
}
"""
    assert run(cell, {"page": "3"}).raw == {"page": 3, "offset": 40, "pages": 3}


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"a" + 1', r"\+ works on numbers; got text; to join text use ~"),
        ("1 / 0", "/ by zero"),
        ("{a: 1} ~ 1", "~ joins text, numbers and bools; got an object"),
        ('1 < "a"', "< compares two numbers or two texts; got a number and text"),
        ("1e308 * 10", r"\* gave a number too large for JSON"),
    ],
)
def test_operator_mistakes_are_one_sentence(expression: str, message: str) -> None:
    with pytest.raises(XanoScriptError, match=message):
        value(expression)


# ---- bracket indexing ---------------------------------------------------------------------


def test_bracket_indexing_of_arrays_objects_and_text() -> None:
    cell = """\
var $items { value = [{ name: "a" }, { name: "b" }] }
var $i { value = 1 }
response = {
  second: $items[$i].name,
  last: $items[-1].name,
  missing: $items[5],
  by_name: { k: 1 }["k"],
  char: "xyz"[0]
}
"""
    assert run(cell).raw == {"second": "b", "last": "b", "missing": None, "by_name": 1, "char": "x"}


# ---- conditional (syntax.md "Conditional Blocks") -----------------------------------------

CONDITIONAL = """\
query "status" verb=GET {
  input {
    text status
  }
  stack {
    conditional {
      if ($input.status == "success") {
        var $message { value = "All good!" }
      }
      elseif ($input.status == "pending") {
        var $message { value = "Please wait..." }
      }
      else {
        var $message { value = "Unknown status" }
      }
    }
  }
  response = $message
}
"""


@pytest.mark.parametrize(
    ("status", "message"),
    [("success", "All good!"), ("pending", "Please wait..."), ("other", "Unknown status")],
)
def test_conditional_runs_the_first_true_branch(status: str, message: str) -> None:
    assert run(CONDITIONAL, {"status": status}).raw == message


def test_a_variable_set_only_in_a_branch_that_did_not_run_is_named() -> None:
    cell = "conditional {\n  if (false) {\n    var $x { value = 1 }\n  }\n}\nresponse = $x\n"
    with pytest.raises(XanoScriptError, match=r"\$x has no value here"):
        run(cell)


# ---- loops (essentials.md "Loops") --------------------------------------------------------


def test_foreach_for_and_while_as_documented() -> None:
    cell = """\
var $names { value = [] }
foreach ([{ name: "a" }, { name: "b" }]) {
  each as $item {
    var.update $names { value = $names|push:$item.name }
  }
}
var $sum { value = 0 }
for (10) {
  each as $idx {
    var.update $sum { value = $sum + $idx }
  }
}
var $counter { value = 0 }
while ($counter < 10) {
  each {
    var.update $counter { value = $counter + 1 }
  }
}
response = { names: $names, sum: $sum, counter: $counter }
"""
    assert run(cell).raw == {"names": ["a", "b"], "sum": 45, "counter": 10}


def test_foreach_needs_an_array() -> None:
    with pytest.raises(XanoScriptError, match="foreach needs an array; got text"):
        run('foreach ("abc") {\n  each as $c {\n  }\n}\n')


# ---- precondition (syntax.md "Preconditions", essentials.md "Error Types") ---------------

PRECONDITION = """\
query "amount" verb=POST {
  input {
    int amount
  }
  stack {
    precondition ($input.amount > 0) {
      error_type = "inputerror"
      error = "Amount must be positive"
    }
  }
  response = $input.amount
}
"""


def test_precondition_passes_when_true() -> None:
    assert run(PRECONDITION, {"amount": "5"}).raw == 5


def test_precondition_stops_with_its_error_type_message_and_status() -> None:
    with pytest.raises(PreconditionFailed) as caught:
        run(PRECONDITION, {"amount": "0"})
    error = caught.value
    assert str(error) == (
        "line 6, column 5: precondition failed: Amount must be positive "
        "(error_type inputerror, HTTP 400)"
    )
    assert (error.error_type, error.status) == ("inputerror", 400)


def test_precondition_without_arguments_is_a_standard_error() -> None:
    with pytest.raises(PreconditionFailed, match=r"Precondition Failed \(error_type standard"):
        run("precondition (1 > 2)\n")


def test_precondition_error_type_must_be_a_documented_one() -> None:
    with pytest.raises(XanoScriptError, match="error_type must be one of standard, inputerror"):
        run('precondition (true) {\n  error_type = "oops"\n}\n')


# ---- debug.log ----------------------------------------------------------------------------


def test_debug_log_values_are_notes_of_the_response() -> None:
    response = run('debug.log { value = { a: 1 } }\ndebug.log { value = "hi" }\nresponse = 1\n')
    assert response.warnings == ('line 1: debug.log: {"a": 1}', 'line 2: debug.log: "hi"')
    assert 'debug.log: "hi"' in repr(response)


# ---- inputs: filters= , description, unquoted query names -----------------------------------


USERS = """\
query /users verb=POST {
  description = "Create a user"
  input {
    text name filters=trim|lower
    text? nickname? filters=max:5
    int quantity?=1 filters=min:0|max:100
  }
  stack {}
  response = { name: $input.name, nickname: $input.nickname, quantity: $input.quantity }
}
"""


def test_input_filters_change_text_in_order() -> None:
    # types.md: `text name filters=trim|lower`, `int quantity filters=min:0|max:100`
    script = parse(USERS)
    assert (script.name, script.verb, script.description) == ("/users", "POST", "Create a user")
    assert run(USERS, {"name": "  ADA "}).raw == {"name": "ada", "nickname": None, "quantity": 1}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"quantity": "101"}, "input quantity must be at most 100 (it is 101)"),
        ({"quantity": "-1"}, "input quantity must be at least 0 (it is -1)"),
        ({"nickname": "Adelaide"}, "input nickname must be at most 5 (its length is 8)"),
    ],
)
def test_input_filters_min_and_max_are_rules(inputs: dict[str, str], message: str) -> None:
    # types.md: `text bio? filters=max:500` is "Optional, max 500 chars"
    with pytest.raises(XanoScriptError) as caught:
        run(USERS, {"name": "a", **inputs})
    assert str(caught.value) == message


def test_an_unknown_input_filter_is_refused_with_the_list() -> None:
    cell = "query /q verb=GET {\n  input {\n    text t filters=shout\n  }\n}\n"
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert str(caught.value) == (
        "line 3, column 20: unknown input filter 'shout'; input filters here are trim, lower, "
        "upper, min, max (types.md)"
    )


def test_query_paths_with_parameters() -> None:
    assert parse("query /users/{user_id} verb=GET {\n}\n").name == "/users/{user_id}"


# ---- function blocks and function.run (essentials.md "Function Call") -------------------------

FUNCTIONS = """\
function "greet" {
  input {
    text name
    text greeting?="Hello"
  }
  stack {
    var $text { value = $input.greeting ~ ", " ~ $input.name ~ "!" }
  }
  response = $text
}

query "hello" verb=GET {
  input {
    text who
  }
  stack {
    function.run "greet" {
      input = { name: $input.who }
    } as $result
  }
  response = $result
}
"""


def test_a_query_runs_a_function_of_the_same_cell() -> None:
    assert run(FUNCTIONS, {"who": "Ada"}).raw == "Hello, Ada!"


def test_function_errors_say_which_function() -> None:
    cell = FUNCTIONS.replace("input = { name: $input.who }", "input = { nom: $input.who }")
    with pytest.raises(XanoScriptError) as caught:
        run(cell, {"who": "Ada"})
    assert str(caught.value) == (
        'line 17, column 5: in function "greet", its inputs: input nom is not declared by '
        "the function; its inputs: name, greeting"
    )


def test_function_run_of_an_unknown_function_lists_the_cell_s_functions() -> None:
    with pytest.raises(XanoScriptError, match='functions known: "greet"'):
        run(FUNCTIONS.replace('function.run "greet"', 'function.run "greeet"'), {"who": "x"})


def test_a_function_defined_twice_is_refused() -> None:
    block = 'function "f" {\n}\n'
    with pytest.raises(XanoScriptSyntaxError, match='function "f" is defined twice'):
        run(block + block)


# ---- switch, try_catch, throw, return (essentials.md "Switch", "Error Handling",
# "Early Return"; syntax.md "Try-Catch", "Throwing Errors") ------------------------------------

SWITCH = """\
query "status" verb=GET {
  input {
    text status
  }
  stack {
    switch ($input.status) {
      case ("active") {
        var $message { value = "User is active" }
      } break
      case ("pending") {
        var $message { value = "User is pending" }
      } break
      default {
        var $message { value = "Unknown status" }
      }
    }
  }
  response = $message
}
"""


@pytest.mark.parametrize(
    ("status", "message"),
    [("active", "User is active"), ("pending", "User is pending"), ("x", "Unknown status")],
)
def test_switch_runs_the_matching_case_or_default(status: str, message: str) -> None:
    assert run(SWITCH, {"status": status}).raw == message


TRY_CATCH = """\
var $log { value = [] }
try_catch {
  try {
    var.update $log { value = $log|push:"try" }
    throw {
      name = "ValidationError"
      value = "Custom error message"
    }
    var.update $log { value = $log|push:"not reached" }
  }
  catch {
    var.update $log { value = $log|push:"catch" }
  }
  finally {
    var.update $log { value = $log|push:"finally" }
  }
}
response = $log
"""


def test_try_catch_runs_catch_on_a_thrown_error_then_finally() -> None:
    assert run(TRY_CATCH).raw == ["try", "catch", "finally"]


def test_an_uncaught_throw_stops_with_its_name_and_value() -> None:
    with pytest.raises(XanoScriptError) as caught:
        run('throw {\n  name = "ValidationError"\n  value = "Custom error message"\n}\n')
    assert str(caught.value) == "line 1, column 1: throw ValidationError: Custom error message"


def test_try_catch_catches_a_failed_precondition() -> None:
    cell = (
        'var $r { value = "ok" }\ntry_catch {\n  try {\n    precondition (false)\n  }\n'
        '  catch {\n    var.update $r { value = "caught" }\n  }\n}\nresponse = $r\n'
    )
    assert run(cell).raw == "caught"


def test_return_stops_the_stack_early_with_its_value() -> None:
    # essentials.md, "Early Return": conditional { if ($input.skip) { return { value = null } } }
    cell = """\
query "guard" verb=GET {
  input {
    bool skip?=false
  }
  stack {
    conditional {
      if ($input.skip) {
        return { value = null }
      }
    }
    var $result { value = "ran" }
  }
  response = $result
}
"""
    assert run(cell).raw == "ran"
    assert run(cell, {"skip": "true"}).raw is None


def test_return_inside_a_function_answers_for_the_function() -> None:
    cell = (
        'function "f" {\n  stack {\n    for (5) {\n      each as $i {\n'
        "        conditional {\n          if ($i == 3) {\n            return { value = $i }\n"
        "          }\n        }\n      }\n    }\n  }\n  response = -1\n}\n"
        'function.run "f" {} as $r\nresponse = $r\n'
    )
    assert run(cell).raw == 3


def test_throw_and_return_need_their_documented_arguments() -> None:
    with pytest.raises(XanoScriptSyntaxError, match=r"throw takes name = \.\.\. value = \.\.\."):
        run('throw {\n  value = "x"\n}\n')
    with pytest.raises(XanoScriptSyntaxError, match=r"return takes value = \.\.\."):
        run("return { val = 1 }\n")


# ---- refusals that name the feature (issue 13, item 4) ---------------------------------------


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "group {\n  stack {\n  }\n}\n",
            "line 1, column 1: `group` is not supported here; this kit runs query, function, "
            "var, var.update, conditional, foreach, for, while, precondition, switch",
        ),
        (
            'security.create_auth_token {\n  table = "user"\n} as $t\n',
            "`security.create_auth_token` is not supported here: it needs a Xano table",
        ),
    ],
)
def test_unsupported_constructs_are_named(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(cell, {"s": "a"})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("var $x = 1\n", "line 1, column 8: unexpected '='; expected '{' (a variable is set "),
        (
            "var $x { value = 1 }\nconditional {\n  if ($x) {\n  }\n  else if ($x) {\n  }\n}\n",
            "line 5, column 8: unexpected 'if'; expected '{' (XanoScript writes elseif, one word)",
        ),
        ("if (true) {\n}\n", "(if, elseif and else go inside conditional {"),
        (
            "foreach ([1]) {\n  var $y { value = 1 }\n}\n",
            "line 2, column 3: unexpected 'var'; expected 'each' (a loop's body is an each block",
        ),
        ("var $x { value = 1 + }\n", "line 1, column 22: unexpected '}'; expected a value"),
    ],
)
def test_syntax_errors_say_what_xanoscript_expects(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptSyntaxError) as caught:
        run(cell)
    assert message in str(caught.value)
    assert "DQ_STRING" not in str(caught.value) and "RBRACE" not in str(caught.value)


def test_the_documented_no_brace_form_parses() -> None:
    # docs.xano.com/xanoscript/function-reference/security: `security.create_uuid as $myVariable`
    raw = run("security.create_uuid as $myVariable\n").raw
    assert len(raw["myVariable"]) == 36


def test_arguments_may_be_separated_by_commas() -> None:
    # utilities.md: `security.random_number { min = 1, max = 100 } as $random`
    raw = run("security.random_number { min = 1, max = 1 } as $random\nresponse = $random\n").raw
    assert raw == 1


def test_no_syntax_error_names_a_parser_token() -> None:
    # Every prefix of a real cell that fails to parse says what XanoScript expects, in its
    # own words: never a grammar terminal such as RBRACE, DQ_STRING or $END.
    import re

    source = (
        FUNCTIONS
        + CONDITIONAL.replace('query "status"', "// q")
        + USERS.replace("query /users", "// u")
    )
    words = re.compile(r"\b(?!GET|POST|PUT|PATCH|DELETE|JSON|UTF)[A-Z][A-Z_]{2,}\b|\$END")
    checked = 0
    for end in range(1, len(source), 7):
        try:
            parse(source[:end])
        except XanoScriptSyntaxError as error:
            first = str(error).splitlines()[0]
            assert not words.search(first), first
            assert first.startswith("line ") or first.startswith("the cell"), first
            checked += 1
    assert checked > 100


def test_the_parts_of_a_query_without_its_header_run_as_a_cell() -> None:
    # essentials.md, "Variable Access Rules" shows input { } and statements as a fragment
    cell = """\
input {
  text name
  int age
}
stack {
  var $greeting { value = "Hello, " ~ $input.name }
  var $is_adult { value = $input.age >= 18 }
}
response = { greeting: $greeting, adult: $is_adult }
"""
    assert run(cell, {"name": "Ada", "age": "36"}).raw == {"greeting": "Hello, Ada", "adult": True}
    with pytest.raises(XanoScriptError, match="input age \\(int\\) is required"):
        run(cell, {"name": "Ada"})


def test_a_query_and_bare_statements_together_are_refused_at_the_statement() -> None:
    cell = 'query "q" verb=GET {\n}\nvar $x { value = 1 }\n'
    with pytest.raises(XanoScriptSyntaxError) as caught:
        run(cell)
    assert str(caught.value).startswith(
        "line 3, column 1: a cell holds either one query block or bare statements, not both"
    )


TYPED = """\
query "typed" verb=POST {
  input {
    email contact filters=trim|lower
    uuid session_id?
    timestamp created_at?
    date birth_date?
  }
  stack {}
  response = { contact: $input.contact, session: $input.session_id,
               created: $input.created_at, born: $input.birth_date }
}
"""


def test_documented_input_types_check_their_values() -> None:
    # types.md, "Primitive Types": email, uuid, timestamp (epoch ms or ISO), date (YYYY-MM-DD)
    raw = run(
        TYPED,
        {
            "contact": " Ada@Example.com ",
            "session_id": "9BCC06A9-9782-4859-A69F-778A7F28D666",
            "created_at": "2025-01-31T12:00:00Z",
            "birth_date": "1815-12-10",
        },
    ).raw
    assert raw == {
        "contact": "ada@example.com",
        "session": "9bcc06a9-9782-4859-a69f-778a7f28d666",
        "created": 1_738_324_800_000,
        "born": "1815-12-10",
    }
    assert run(TYPED, {"contact": "a@b.io", "created_at": "1700000000000"}).raw["created"] == (
        1_700_000_000_000
    )


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"contact": "not-an-email"}, "input contact must be an email address, like"),
        ({"contact": "a@b.io", "session_id": "nope"}, "input session_id must be a UUID, like"),
        ({"contact": "a@b.io", "birth_date": "10/12/1815"}, "must be a date, YYYY-MM-DD"),
        ({"contact": "a@b.io", "created_at": "yesterday"}, "must be a timestamp: milliseconds"),
    ],
)
def test_documented_input_types_refuse_wrong_values(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(XanoScriptError, match=message):
        run(TYPED, inputs)


LISTS = """\
query "tags" verb=POST {
  input {
    text[] tags filters=trim
    int[] ids?
  }
  stack {}
  response = { tags: $input.tags, ids: $input.ids, n: $input.tags|count }
}
"""


def test_array_inputs_take_a_json_array_of_the_type() -> None:
    # types.md: "Arrays use type[] syntax" (`text[] tags`)
    assert run(LISTS, {"tags": '[" a ", "b"]', "ids": "[1, 2]"}).raw == {
        "tags": ["a", "b"],
        "ids": [1, 2],
        "n": 2,
    }


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"tags": "a,b"}, 'input tags must be an array of text, like ["a","b"] or [1,2]'),
        ({"tags": "[]", "ids": '["x"]'}, "input ids[0] must be an int, like 512; got 'x'"),
    ],
)
def test_array_inputs_refuse_other_values(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(LISTS, inputs)
    assert str(caught.value) == message


# ---- issue 19: what real files write -------------------------------------------------------


HELLO_FUNCTION = """\
function hello {
  input {
    text name?="world"
  }
  stack {
  }
  response = "hello " ~ $input.name
}
"""


def test_a_cell_of_one_function_runs_it_with_its_inputs() -> None:
    """xano-developer-mcp functions.md: a function runs with its inputs and returns its
    response; `function hello {` unquoted, as in xano-inc/xanoscript-examples@ad595e2:
    helloworld/function/hello.xs (its response is "hello")."""
    assert run(HELLO_FUNCTION).raw == "hello world"
    response = run(HELLO_FUNCTION, {"name": "Ada"})
    assert response.raw == "hello Ada"
    assert response.title == 'XanoScript response of function "hello"'


def test_a_function_cell_refuses_an_undeclared_input_and_asks_for_a_required_one() -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(HELLO_FUNCTION, {"nme": "x"})
    assert "input nme is not declared by the function; its inputs: name" in str(caught.value)
    cell = 'function "f" {\n  input {\n    int n\n  }\n  stack {}\n  response = $input.n\n}\n'
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert "input n (int) is required: give it with --input n=VALUE" in str(caught.value)
    assert run(cell, {"n": "4"}).raw == 4


def test_a_cell_of_several_functions_says_which_to_run() -> None:
    cell = (
        'function "a" {\n  stack {}\n  response = 1\n}\n'
        'function "b" {\n  stack {}\n  response = 2\n}\n'
    )
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert 'only function blocks ("a", "b")' in str(caught.value)
    assert run(cell + 'function.run "b" as $r\nresponse = $r\n').raw == 2


def test_unquoted_query_names_and_var_without_dollar() -> None:
    """`query all_items verb=GET {` and docs.xano.com's Create Variable example
    (function-reference/data-manipulation/variables): `var variableName { value = "Hello
    world" }`."""
    cell = (
        'query all_items verb=GET {\n  stack {\n    var greeting { value = "Hello world" }\n'
        "  }\n  response = $greeting\n}\n"
    )
    assert run(cell).raw == "Hello world"
    assert run('var variableName {\n  value = "Hello world"\n}\n').raw == {
        "variableName": "Hello world"
    }


def test_object_members_named_like_keywords_on_new_lines_without_commas() -> None:
    cell = "var $o { value = {\n  a: 1\n  input: 2\n  stack: 3\n  response: 4\n} }\nresponse = $o\n"
    assert run(cell).raw == {"a": 1, "input": 2, "stack": 3, "response": 4}


PRECONDITION_UNAUTHORIZED = """\
query "precondition-unauthorized" verb=GET {
  input {
    text token?
  }
  stack {
    precondition ($input.token != "") {
      error_type = "unauthorized"
      error = "Authentication required"
    }
    precondition ($input.token == "secret123") {
      error_type = "unauthorized"
      error = "Invalid token"
    }
    var $result {
      value = {authenticated: true, message: "Access granted"}
    }
  }
  response = $result
}
"""


@pytest.mark.parametrize(
    ("inputs", "message"),
    [({}, "Authentication required"), ({"token": "wrong"}, "Invalid token")],
)
def test_xanos_tested_unauthorized_endpoint(inputs: dict[str, str], message: str) -> None:
    """xano-inc/cli@eb4d11d:.claude/skills/functions/precondition/SKILL.md, Example 5, "Tested
    in API": no token -> 401 "Authentication required"; token=wrong -> 401 "Invalid token";
    token=secret123 -> {authenticated: true, ...}. An absent optional text is null (input/
    SKILL.md: "" and a missing field differ) and `null != ""` is false, as the test shows."""
    with pytest.raises(PreconditionFailed) as caught:
        run(PRECONDITION_UNAUTHORIZED, inputs)
    assert caught.value.status == 401
    assert caught.value.error_type == "unauthorized"
    assert f"precondition failed: {message} (error_type unauthorized, HTTP 401)" in str(
        caught.value
    )
    granted = run(PRECONDITION_UNAUTHORIZED, {"token": "secret123"}).raw
    assert granted == {"authenticated": True, "message": "Access granted"}


def test_null_equals_empty_text_with_a_note() -> None:
    response = run('response = [null == "", "" == null, null != "", null == 0, "" == 0]\n')
    assert response.raw == [True, True, False, False, False]
    assert any('`null == ""` is true here, as in Xano' in w for w in response.warnings)


# ---- $error inside catch (xano-inc/cli@eb4d11d try-catch/SKILL.md, "The $error Object") -----


def test_error_in_catch_from_a_precondition() -> None:
    """ "From precondition": {code: ERROR_FATAL, message: <its error>, name: Exception,
    result: ""}; the skill's Example 1 with should_fail=true."""
    cell = (
        'try_catch {\n  try {\n    precondition (false) {\n      error = "Intentional error '
        'triggered"\n    }\n  }\n  catch {\n    var $e { value = $error }\n  }\n}\n'
        "response = $e\n"
    )
    assert run(cell).raw == {
        "code": "ERROR_FATAL",
        "message": "Intentional error triggered",
        "name": "Exception",
        "result": "",
    }


def test_error_in_catch_from_a_throw() -> None:
    """ "From throw": {code: ERROR_CODE_THROWN_ERROR, message: "Throw Error Statement", name,
    result: the value} (throw/SKILL.md, "Accessing Error Data")."""
    cell = (
        'try_catch {\n  try {\n    throw {\n      name = "Test"\n      value = "My message"\n'
        "    }\n  }\n  catch {\n    var $e { value = $error }\n  }\n}\nresponse = $e\n"
    )
    assert run(cell).raw == {
        "code": "ERROR_CODE_THROWN_ERROR",
        "message": "Throw Error Statement",
        "name": "Test",
        "result": "My message",
    }


def test_error_code_by_error_type_and_a_note_where_undocumented() -> None:
    cell = (
        'try_catch {\n  try {\n    precondition (false) {\n      error_type = "{t}"\n'
        '      error = "x"\n    }\n  }\n  catch {\n    var $e { value = $error.code }\n  }\n}\n'
        "response = $e\n"
    )
    assert run(cell.replace("{t}", "notfound")).raw == "ERROR_CODE_NOT_FOUND"
    assert run(cell.replace("{t}", "unauthorized")).raw == "ERROR_CODE_UNAUTHORIZED"
    denied = run(cell.replace("{t}", "accessdenied"))
    assert denied.raw is None
    assert any("not documented by Xano" in w for w in denied.warnings)


def test_a_thrown_key_piece_stays_masked_through_error() -> None:
    cell = (
        'security.create_secret_key { bits = 512 format = "object" } as $key\n'
        'try_catch {\n  try {\n    throw {\n      name = "E"\n      value = $key.k|substr:0:6\n'
        "    }\n  }\n  catch {\n    var $e { value = $error.result }\n  }\n}\nresponse = $e\n"
    )
    response = run(cell)
    assert len(response.raw) == 6
    assert response.raw not in repr(response)


def test_auth_is_null_in_a_notebook_with_a_note() -> None:
    """essentials.md's `precondition ($auth.id != null)` fails as for a request without a
    signed-in user; xano-developer-mcp syntax.md's tier example keeps its default."""
    with pytest.raises(PreconditionFailed):
        run("precondition ($auth.id != null)\n")
    cell = (
        "var $tier_limit { value = 100 }\nconditional {\n"
        '  if ($auth.tier == "premium") {\n    var.update $tier_limit { value = 1000 }\n  }\n'
        "}\nresponse = $tier_limit\n"
    )
    response = run(cell)
    assert response.raw == 100
    assert any("$auth is null here" in w for w in response.warnings)
