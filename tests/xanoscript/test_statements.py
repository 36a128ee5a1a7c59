"""The ``security.*`` family as Xano documents it (issue 13, item 2).

docs.xano.com/xanoscript/function-reference/security ("Generate UUID":
`security.create_uuid as $myVariable`); xano-inc/xano-developer-mcp,
src/xanoscript_docs/integrations/utilities.md ("Random Generation":
`security.random_number { min = 1, max = 100 }`, `security.random_bytes { length = 32 }`);
the function's reference (the seed) for `create_secret_key`'s only documented format, "object".
"""

from __future__ import annotations

import re
import uuid

import pytest

from xsk_nb.xanoscript import XanoScriptError, run
from xsk_nb.xanoscript.statements import BASE64_FORMAT_REFUSAL, NOT_RUN_HERE


def test_create_uuid_is_a_random_version_4_uuid() -> None:
    raw = run("security.create_uuid as $a\nsecurity.create_uuid as $b\n").raw
    for text in raw.values():
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", text
        )
    assert raw["a"] != raw["b"]


def test_random_number_stays_within_min_and_max_both_included() -> None:
    cell = "security.random_number { min = 1, max = 3 } as $n\nresponse = $n\n"
    seen = {run(cell).raw for _ in range(200)}
    # each value is missed by 200 draws with probability (2/3)^200 < 1e-35
    assert seen == {1, 2, 3}


def test_random_number_needs_whole_numbers() -> None:
    with pytest.raises(XanoScriptError, match="min must be a whole number"):
        run("security.random_number { min = 1.5, max = 3 } as $n\n")


def test_random_bytes_are_hex_masked_like_a_key_with_a_note() -> None:
    response = run("security.random_bytes { length = 32 } as $bytes\nresponse = $bytes\n")
    assert re.fullmatch(r"[0-9a-f]{64}", response.raw)
    assert response.raw not in repr(response)
    assert response.raw[:8] not in repr(response) + response._repr_html_()
    assert any("random_bytes, encrypt and base64_decode" in w for w in response.warnings)
    assert any("return binary in Xano" in w for w in response.warnings)


def test_create_secret_key_base64_format_is_refused_with_the_true_reason() -> None:
    """docs.xano.com/xanoscript/function-reference/security, "Create Secret Key": format is
    "either object or base64", but nothing says what base64 returns; the seed's reference
    documents only "object". The refusal says both (issue 19, wrong result 7)."""
    cell = 'security.create_secret_key {\n  bits = 512\n  format = "base64"\n} as $key\n'
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert str(caught.value) == f"line 1: security.create_secret_key: {BASE64_FORMAT_REFUSAL}"
    assert '"either object or base64"' in BASE64_FORMAT_REFUSAL
    assert 'documents only "object"' in BASE64_FORMAT_REFUSAL
    assert "not documented" not in BASE64_FORMAT_REFUSAL


@pytest.mark.parametrize("function", sorted(NOT_RUN_HERE))
def test_functions_that_cannot_run_here_are_refused_naming_what_to_use(function: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(f"{function} {{\n}} as $x\n")
    message = str(caught.value)
    assert message.startswith(f"line 1, column 1: `{function}` is not supported here: ")
    assert " use " in message


def test_jws_round_trip_still_runs_through_the_new_interpreter() -> None:
    cell = """\
security.create_secret_key {
  bits = 512
  format = "object"
} as $key
security.jws_encode {
  claims = { sub: "42" }
  key = $key
  signature_algorithm = "HS256"
} as $token
security.jws_decode {
  token = $token
  key = $key
  signature_algorithm = "HS256"
} as $claims
response = { sub: $claims.sub, header: $token|split:"."|first }
"""
    # Xano's sample HS256 tokens begin eyJhbGciOiJIUzI1NiJ9, i.e. {"alg":"HS256"} (issue 13)
    assert run(cell).raw == {"sub": "42", "header": "eyJhbGciOiJIUzI1NiJ9"}


PASSWORD = """\
security.create_password {
  character_count = 16
  require_lowercase = true
  require_uppercase = true
  require_digit = true
  require_symbol = true
} as $password
response = $password
"""


def test_create_password_has_its_length_and_every_required_class_and_is_masked() -> None:
    for _ in range(50):  # the required classes are placed by construction, not by chance
        response = run(PASSWORD)
        password = response.raw
        assert len(password) == 16
        assert any(c.islower() for c in password) and any(c.isupper() for c in password)
        assert any(c.isdigit() for c in password)
        assert any(not c.isalnum() for c in password)
        assert password not in repr(response) and password[:8] not in repr(response)


def test_create_password_symbol_whitelist_and_bounds() -> None:
    cell = PASSWORD.replace(
        "require_symbol = true", 'require_symbol = true\n  symbol_whitelist = "#"'
    )
    assert "#" in run(cell).raw
    with pytest.raises(XanoScriptError, match="character_count must be from 4 to 256; got 3"):
        run(PASSWORD.replace("16", "3"))


# ---- api.request ---------------------------------------------------------------------------
# Xano's try-catch skill (xano-inc/cli@eb4d11d .claude/skills/functions/try-catch/SKILL.md
# line 301): "api.request does NOT throw on HTTP error status codes (404, 500). It only throws on
# network failures or timeouts." A cell sends nothing, so every request fails as a network
# failure does, and a try_catch's fallback runs as it would in Xano.

ESSENTIALS_ERROR_HANDLING = """\
precondition ($input.id > 0) {
  error_type = "inputerror"
  error = "ID must be positive"
}
try_catch {
  try {
    api.request {
      url = "https://api.example.com/risky"
      method = "GET"
    } as $result
  }
  catch {
    debug.log { value = "Request failed, using fallback" }
    var $result { value = { response: { result: null } } }
  }
}
throw {
  name = "ValidationError"
  value = "Custom error message"
}
"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fails the test if anything opens a connection or looks up a host."""
    import socket

    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("the kit tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_essentials_error_handling_runs_its_fallback_and_throws_as_documented(
    no_network: list[object],
) -> None:
    """xano-developer-mcp@c72a410 essentials.md L194 ("Error Handling"): the request fails, the
    catch logs its fallback, and the cell ends with the ValidationError it throws."""
    with pytest.raises(XanoScriptError) as caught:
        run(ESSENTIALS_ERROR_HANDLING, {"id": 1})
    assert str(caught.value) == "line 17, column 1: throw ValidationError: Custom error message"
    assert no_network == []


def test_a_caught_request_gives_error_with_the_reason_and_a_note_on_its_fields(
    no_network: list[object],
) -> None:
    from xsk_nb.xanoscript.interpreter import FAILED_STATEMENT_ERROR_NOTE
    from xsk_nb.xanoscript.statements import API_REQUEST_NOT_SENT

    cell = """\
try_catch {
  try {
    api.request {
      url = "https://httpbin.org/status/200"
      method = "GET"
      timeout = 10
    } as $api_response
  }
  catch {
    var $caught { value = $error }
  }
}
response = $caught
"""
    response = run(cell)
    assert response.raw["message"] == f"api.request: {API_REQUEST_NOT_SENT}"
    assert "throws only on network failures and timeouts" in API_REQUEST_NOT_SENT
    assert any(FAILED_STATEMENT_ERROR_NOTE in note for note in response.warnings)
    assert no_network == []


def test_a_request_outside_try_catch_stops_the_cell_with_one_sentence(
    no_network: list[object],
) -> None:
    cell = 'api.request {\n  url = "https://example.com/"\n  method = "POST"\n} as $r\n'
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert str(caught.value).startswith("line 1: api.request: the request was not sent: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            'url = "https://example.com/"\n  method = "FETCH"',
            "method must be GET, POST, PUT, DELETE or PATCH",
        ),
        ('url = 42\n  method = "GET"', "url must be text"),
        ('url = "https://example.com/"', "api.request needs method"),
    ],
)
def test_a_wrong_request_argument_names_what_is_allowed(arguments: str, message: str) -> None:
    """Parameters as xano-inc/cli@eb4d11d api-request/SKILL.md lists them: url (text) and method
    (GET, POST, PUT, DELETE, PATCH) required."""
    with pytest.raises(XanoScriptError, match=re.escape(message)):
        run(f"api.request {{\n  {arguments}\n}} as $r\n")


def test_a_key_in_the_url_or_headers_never_appears_in_the_failure() -> None:
    cell = """\
security.create_secret_key { bits = 512, format = "object" } as $key
try_catch {
  try {
    api.request {
      url = "https://example.com/?key=" ~ $key.k
      method = "GET"
      headers = ["Authorization: Bearer " ~ $key.k]
    } as $r
  }
  catch {
    var $caught { value = $error }
  }
}
response = { error: $caught, key: $key }
"""
    response = run(cell)
    key = response.raw["key"]["k"]
    shown = repr(response) + response._repr_html_() + repr(response.raw["error"])
    assert key not in shown and key[:12] not in shown
