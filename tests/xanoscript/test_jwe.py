"""security.jwe_encode / jwe_decode (xsk_nb.xanoscript.jwe): xano-inc/cli@eb4d11d
.claude/skills/functions/security-jwe-encode/SKILL.md ("the encode skill") and
security-jwe-decode/SKILL.md ("the decode skill"); RFC 7516 and RFC 7518 §4.4, §5.3. Tokens are
checked against jwcrypto both ways."""

from __future__ import annotations

import base64
import json
import secrets

import pytest

from xsk_nb.keygen import b64url_encode
from xsk_nb.xanoscript import XanoScriptError, run
from xsk_nb.xanoscript.jwe import HEADER_NOTE

jwk = pytest.importorskip("jwcrypto.jwk")
jwe_lib = pytest.importorskip("jwcrypto.jwe")

NOW = 1_768_108_197  # the decode skill's example iat (line 67)

# Snippet 20, verbatim (the encode skill, lines 69-99).
ENCODE = """\
query "jwe-encode" verb=GET {
  input {
    text secret_data { description = "Data to encrypt" }
    int ttl?=3600 { description = "TTL in seconds" }
  }

  stack {
    // Generate encryption key
    security.create_secret_key {
      bits = 512
      format = "object"
    } as $key

    security.jwe_encode {
      headers = { "alg": "A256KW" }
      claims = {
        data: $input.secret_data
      }
      key = $key
      key_algorithm = "A256KW"
      content_algorithm = "A256GCM"
      ttl = $input.ttl
    } as $token
  }

  response = {
    token: $token,
    key: $key,
    expires_in: $input.ttl
  }
}
"""

# The decode skill's "Basic Decryption", lines 42-62.
DECODE = """\
query "jwe-decode" verb=POST {
  input {
    text token { description = "JWE token to decrypt" }
    json key { description = "JWK encryption key" }
  }

  stack {
    security.jwe_decode {
      token = $input.token
      key = $input.key
      key_algorithm = "A256KW"
      content_algorithm = "A256GCM"
      timeDrift = 60
    } as $payload
  }

  response = {
    decrypted: true,
    payload: $payload
  }
}
"""


def _part(token: str, index: int) -> dict[str, object]:
    part = token.split(".")[index]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def _key(bits: int = 256) -> dict[str, str]:
    return {"kty": "oct", "k": b64url_encode(secrets.token_bytes(bits // 8))}


def test_xanos_example_makes_a_five_part_token_with_its_documented_header() -> None:
    """The encode skill, line 36 ("five parts separated by dots") and line 101 (the token
    begins eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIi: {"alg":"A256KW","enc":"A256GCM")."""
    response = run(ENCODE, {"secret_data": "s"}, now=NOW)
    token = response.raw["token"]
    assert token.count(".") == 4
    assert token.startswith("eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NN")
    assert _part(token, 0) == {"alg": "A256KW", "enc": "A256GCM"}
    assert response.raw["expires_in"] == 3600
    # the 512-bit key's reduction is not documented by Xano: the note says so plainly
    (note,) = [w for w in response.warnings if "first 256 bits" in w]
    assert "Xano does not document" in note and "RFC 7518 §4.4" in note
    # Xano's token goes on after "enc" ("...R0NNIi" is `","` then more); the kit's header
    # ends there ("...R0NNIn0"), and a note says where the two part, counting from 1
    assert token[:41] == "eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNI"
    assert token[41] != "i"
    assert any(HEADER_NOTE in w for w in response.warnings)
    assert "42nd character" in HEADER_NOTE
    # the token is shown (ciphertext); the key is not
    shown = repr(response) + response._repr_html_()
    assert token in shown and response.raw["key"]["k"] not in shown


def test_jwcrypto_opens_the_kits_token_with_the_same_key() -> None:
    key = _key(256)
    cell = ENCODE.replace(
        'security.create_secret_key {\n      bits = 512\n      format = "object"\n    } as $key',
        "var $key { value = $input.key }",
    )
    cell = cell.replace("    int ttl?=3600", "    json key\n    int ttl?=3600")
    token = run(cell, {"secret_data": "s", "key": json.dumps(key)}, now=NOW).raw["token"]
    opened = jwe_lib.JWE()
    opened.deserialize(token, key=jwk.JWK(**key))
    claims = json.loads(opened.payload)
    # with a ttl the claims gain iat, nbf and exp (the decode skill, lines 64-69, 158-166)
    assert claims == {"data": "s", "iat": NOW, "nbf": NOW, "exp": NOW + 3600}


def test_the_kit_opens_jwcryptos_token_like_the_decode_skill() -> None:
    key = _key(256)
    claims = {"data": "my-sensitive-data", "iat": NOW, "nbf": NOW, "exp": NOW + 3600}
    made = jwe_lib.JWE(json.dumps(claims), json.dumps({"alg": "A256KW", "enc": "A256GCM"}))
    made.add_recipient(jwk.JWK(**key))
    token = made.serialize(compact=True)
    response = run(DECODE, {"token": token, "key": json.dumps(key)}, now=NOW + 10)
    assert response.raw == {"decrypted": True, "payload": claims}  # lines 63-71


def test_a_longer_key_uses_its_first_bits_both_ways() -> None:
    """An inference (Xano does not document it): jwcrypto with the first 256 bits agrees."""
    raw = secrets.token_bytes(64)
    key = {"kty": "oct", "k": b64url_encode(raw)}
    short = jwk.JWK(kty="oct", k=b64url_encode(raw[:32]))
    made = jwe_lib.JWE(json.dumps({"a": 1}), json.dumps({"alg": "A256KW", "enc": "A256GCM"}))
    made.add_recipient(short)
    response = run(DECODE, {"token": made.serialize(compact=True), "key": json.dumps(key)})
    assert response.raw["payload"] == {"a": 1}
    assert any("Xano does not document" in w for w in response.warnings)


@pytest.mark.parametrize(
    ("alg", "enc", "bits"), [("A128KW", "A128GCM", 128), ("A192KW", "A192GCM", 192)]
)
def test_the_other_documented_algorithms_round_trip(alg: str, enc: str, bits: int) -> None:
    """The encode skill, lines 48-62: A128KW/A192KW/A256KW and A128GCM/A192GCM/A256GCM."""
    cell = f"""\
var $key {{ value = $input.key }}
security.jwe_encode {{ headers = {{}} claims = {{ n: 1 }} key = $key key_algorithm = "{alg}"
  content_algorithm = "{enc}" ttl = 0 }} as $token
security.jwe_decode {{ token = $token key = $key key_algorithm = "{alg}"
  content_algorithm = "{enc}" }} as $claims
response = $claims
"""
    key = _key(bits)
    assert run(cell, {"key": json.dumps(key)}).raw == {"n": 1}  # ttl 0: no time claims


def _decode(token: str, key: dict[str, str], extra: str = "") -> str:
    return (
        (
            f"security.jwe_decode {{ token = $input.token key = $input.key key_algorithm = "
            f'"A256KW" content_algorithm = "A256GCM" {extra} }} as $c\nresponse = $c\n'
        )
        .replace("$input.token", json.dumps(token))
        .replace("$input.key", "$env.KEY|json_decode")
    )


def _token(key: dict[str, str], claims: dict[str, object]) -> str:
    made = jwe_lib.JWE(json.dumps(claims), json.dumps({"alg": "A256KW", "enc": "A256GCM"}))
    made.add_recipient(jwk.JWK(**key))
    return str(made.serialize(compact=True))


@pytest.mark.parametrize(
    ("claims", "extra", "message"),
    [  # the decode skill, "Error Handling", lines 150-156
        ({"exp": NOW - 100}, "", "the token decrypts, but the token expired"),
        ({"nbf": NOW + 100}, "", "the token decrypts, but the token is not valid before"),
        ({"user_id": 1}, "check_claims = { user_id: 2 }", "does not equal the value check_claims"),
    ],
)
def test_claims_are_checked_as_for_jws(claims: dict[str, object], extra: str, message: str) -> None:
    key = _key()
    with pytest.raises(XanoScriptError, match=message):
        run(_decode(_token(key, claims), key, extra), env={"KEY": json.dumps(key)}, now=NOW)


def test_a_wrong_key_or_a_changed_token_fails_without_quoting_anything() -> None:
    key, other = _key(), _key()
    token = _token(key, {"a": 1})
    for bad_key, bad_token in ((other, token), (key, token[:-4] + "AAAA")):
        with pytest.raises(XanoScriptError, match="does not decrypt with this key") as caught:
            run(_decode(bad_token, bad_key), env={"KEY": json.dumps(bad_key)})
        assert bad_key["k"] not in str(caught.value) and bad_key["k"][:8] not in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('key_algorithm = "A256KW"', 'key_algorithm = "RSA-OAEP"'),
            'key_algorithm must be "A128KW"',
        ),
        (
            ('content_algorithm = "A256GCM"', 'content_algorithm = "A256CBC-HS512"'),
            'content_algorithm must be "A128GCM"',
        ),
        (('headers = { "alg": "A256KW" }', 'headers = { "zip": "DEF" }'), "may not hold zip"),
        (
            ('headers = { "alg": "A256KW" }', 'headers = { "alg": "A128KW" }'),
            "headers alg and key_algorithm must agree",
        ),
    ],
)
def test_refusals_name_what_is_allowed(change: tuple[str, str], message: str) -> None:
    with pytest.raises(XanoScriptError, match=message):
        run(ENCODE.replace(*change), {"secret_data": "s"})


def test_a_key_shorter_than_the_wrap_size_is_refused() -> None:
    key = _key(128)
    with pytest.raises(
        XanoScriptError, match=r"A256KW needs a key of 256 bits \(RFC 7518 §4.4\); this key has 128"
    ):
        run(_decode(_token(_key(), {"a": 1}), key), env={"KEY": json.dumps(key)})


def test_every_argument_of_jwe_encode_is_required_as_documented() -> None:
    """The encode skill, lines 27-32: headers and ttl are "Required: Yes"."""
    cell = ENCODE.replace("      ttl = $input.ttl\n", "")
    with pytest.raises(XanoScriptError, match="ttl"):
        run(cell, {"secret_data": "s"})


def test_claims_holding_the_key_make_a_masked_token() -> None:
    cell = ENCODE.replace("data: $input.secret_data", "data: $key.k")
    response = run(cell, {"secret_data": "s"})
    assert response.raw["token"] not in repr(response)
