"""security.jws_encode / jws_decode: the RFC 7515 Appendix A.1 vector, Xano's header, round trips
checked by two independent libraries (PyJWT, which the kit uses, and jwcrypto)."""

from __future__ import annotations

import json
import time

import pytest

from xsk_nb.keygen import b64url_decode, b64url_encode
from xsk_nb.xanoscript import XanoScriptRuntimeError, run

# RFC 7515 Appendix A.1: the HS256 example's key (A.1.1) and its complete JWS (A.1.1, end).
RFC7515_A1_KEY = {
    "kty": "oct",
    "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
}
RFC7515_A1_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)
RFC7515_A1_CLAIMS = {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True}

DECODE = """\
query "jws-decode" verb=POST {
  input {
    text token { description = "JWT to verify" }
    json key { description = "JWK signing key" }
    int drift?=0
  }

  stack {
    security.jws_decode {
      token = $input.token
      key = $input.key
      signature_algorithm = "HS256"
      timeDrift = $input.drift
    } as $payload
  }

  response = $payload
}
"""

# Before the A.1 token's exp (2011-03-22 18:43:00 UTC), as the RFC's own readers check it.
BEFORE_EXP = 1300819379


def _decode(key: dict, **kwargs: object) -> object:
    inputs = {"token": RFC7515_A1_TOKEN, "key": json.dumps(key)}
    return run(DECODE, inputs, **kwargs).raw


def test_a1_token_verifies_with_the_appendix_key_at_a_time_before_exp() -> None:
    assert _decode(RFC7515_A1_KEY, now=BEFORE_EXP) == RFC7515_A1_CLAIMS


def test_a1_token_is_reported_expired_with_claim_checks_on() -> None:
    with pytest.raises(XanoScriptRuntimeError) as caught:
        _decode(RFC7515_A1_KEY)
    message = str(caught.value)
    assert message.startswith("line 9: security.jws_decode: the signature verifies, but")
    assert "expired at 2011-03-22 18:43:00 UTC" in message


def test_a1_token_passes_with_a_time_drift_reaching_back_to_2011() -> None:
    drift = int(time.time()) - 1300819380 + 3600
    assert (
        run(
            DECODE,
            {"token": RFC7515_A1_TOKEN, "key": json.dumps(RFC7515_A1_KEY), "drift": str(drift)},
        ).raw
        == RFC7515_A1_CLAIMS
    )


@pytest.mark.parametrize(
    "key",
    [
        {"kty": "oct", "k": RFC7515_A1_KEY["k"][:-2] + "Aw"},  # last byte changed
        {"kty": "oct", "k": "A" * 86},
    ],
)
def test_a1_token_fails_with_any_other_key(key: dict) -> None:
    with pytest.raises(XanoScriptRuntimeError, match="signature does not verify with this key"):
        _decode(key, now=BEFORE_EXP)


def test_a1_token_fails_once_its_payload_is_changed() -> None:
    header, _, signature = RFC7515_A1_TOKEN.split(".")
    forged = json.dumps({**RFC7515_A1_CLAIMS, "iss": "eve"}).encode()
    tampered = f"{header}.{b64url_encode(forged)}.{signature}"
    with pytest.raises(XanoScriptRuntimeError, match="signature does not verify"):
        run(DECODE, {"token": tampered, "key": json.dumps(RFC7515_A1_KEY)}, now=BEFORE_EXP)


ROUND_TRIP = """\
security.create_secret_key {
  bits = 512
  format = "object"
} as $key

security.jws_encode {
  headers = { "alg": "HS512" }
  claims = { user_id: "123", role: "admin" }
  key = $key
  signature_algorithm = "HS512"
  ttl = 3600
} as $token

security.jws_decode {
  token = $token
  key = $key
  signature_algorithm = "HS512"
  check_claims = { role: "admin" }
} as $claims
"""


def test_encoded_token_decodes_to_the_same_claims_and_jwcrypto_accepts_it() -> None:
    from jwcrypto import jwk, jwt

    raw = run(ROUND_TRIP).raw
    claims = raw["claims"]
    assert claims["user_id"] == "123" and claims["role"] == "admin"
    assert claims["exp"] - claims["iat"] == 3600 and claims["nbf"] == claims["iat"]
    key = jwk.JWK(kty="oct", k=str(raw["key"]["k"]))
    direct = jwt.JWT(jwt=str(raw["token"]), key=key, algs=["HS512"])
    assert json.loads(direct.claims) == claims
    assert json.loads(direct.header) == {"alg": "HS512"}


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_the_header_is_what_xano_writes_alg_and_no_typ(alg: str) -> None:
    source = ROUND_TRIP.replace('headers = { "alg": "HS512" }\n  ', "").replace("HS512", alg)
    token = run(source).raw["token"]
    header = token.split(".")[0]
    assert header == b64url_encode(json.dumps({"alg": alg}, separators=(",", ":")).encode())
    if alg == "HS256":  # Xano's skill document's sample token begins with exactly this
        assert token.startswith("eyJhbGciOiJIUzI1NiJ9.")


def test_extra_headers_are_kept_after_alg() -> None:
    source = ROUND_TRIP.replace('headers = { "alg": "HS512" }', 'headers = { kid: "k1", x: 1 }')
    header = run(source).raw["token"].split(".")[0]
    assert json.loads(b64url_decode(header)) == {"alg": "HS512", "kid": "k1", "x": 1}


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_a_text_key_is_used_as_the_hmac_secret_bytes(alg: str) -> None:
    import jwt

    source = f"""\
security.jws_encode {{
  claims = {{ sub: "1" }}
  key = $env.JWT_SECRET
  signature_algorithm = "{alg}"
}} as $token
"""
    secret = "a-text-secret-that-is-long-enough-for-every-hs-alg-0123456789abcdef"
    token = run(source, env={"JWT_SECRET": secret}).raw["token"]
    assert jwt.decode(str(token), secret.encode(), algorithms=[alg]) == {"sub": "1"}


def test_check_claims_mismatch_fails_clearly() -> None:
    source = ROUND_TRIP.replace(
        'check_claims = { role: "admin" }', 'check_claims = { role: "root" }'
    )
    with pytest.raises(XanoScriptRuntimeError, match="claim 'role' does not equal"):
        run(source)


def test_a_key_shorter_than_rfc7518_allows_signs_with_a_note_as_xano_does() -> None:
    """docs.xano.com/xanoscript/function-reference/security, "JWS Encode", signs with
    key = "signing_key" (88 bits); RFC 7518 §3.2 asks 256 for HS256. The kit signs as Xano
    does and says so (issue 19, item 9); the token verifies with the UTF-8 bytes of the key."""
    import base64
    import hashlib
    import hmac

    response = run(
        'security.jws_encode {\n  headers = { "alg": "HS256" }\n  claims = { "user_id": "123" }'
        '\n  key = "signing_key"\n  signature_algorithm = "HS256"\n  ttl = 3600\n}'
        " as $signed_token\n"
    )
    token = response.raw["signed_token"]
    head, body, signature = token.split(".")
    mac = hmac.new(b"signing_key", f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64encode(mac).rstrip(b"=").decode() == signature
    note = next(w for w in response.warnings if "too short for HS256" in w)
    assert "RFC 7518 §3.2 requires at least 256 bits" in note
    assert "Xano signs with it anyway" in note


def test_a_key_given_as_json_text_gets_a_note() -> None:
    """Issue 21 §1: xano-inc/cli@2b369b5 security-jws-encode/SKILL.md says keys must be JWK
    objects; xano-developer-mcp@c72a410 security.md passes $env.JWT_SECRET as it is."""
    import json

    jwk = {"kty": "oct", "k": "A" * 43}
    cell = (
        "security.jws_encode {\n  claims = { sub: 1 }\n  key = $env.K\n"
        '  signature_algorithm = "HS256"\n} as $t\n'
    )
    response = run(cell, env={"K": json.dumps(jwk)})
    assert any("key is JSON text, not an object" in w for w in response.warnings)
    assert any("xano-inc/cli@2b369b5" in w for w in response.warnings)
    plain = run(cell, env={"K": "x" * 40})
    assert not any("JSON text" in w for w in plain.warnings)


def test_rsa_algorithms_name_the_supported_ones() -> None:
    """ES256/384/512 run since issue 19 (tests/xanoscript/test_curve.py); RSA stays refused."""
    source = ROUND_TRIP.replace('"HS512"', '"RS256"')
    with pytest.raises(
        XanoScriptRuntimeError, match="use HS256, HS384, HS512, ES256, ES384 or ES512"
    ):
        run(source)
