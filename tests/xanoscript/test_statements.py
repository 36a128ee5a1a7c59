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
