"""``security.create_curve_key`` as Xano documents it, with ``d`` masked as ``k`` is (issue 19).

Sources: xano-inc/cli@eb4d11d .claude/skills/functions/security-create-curve-key/SKILL.md
("Parameters": curve P-256, P-384 or P-521, format "object"; "Object Format Structure":
``{"kty": "EC", "crv": "P-256", "d": ..., "x": ..., "y": ...}``, "d  Private key (Base64URL
encoded) - KEEP SECRET"); docs.xano.com/xanoscript/function-reference/security, "Create
Elliptic Curve Key" (``security.create_curve_key { curve = "P-256" format = "object" } as
$crypto3``). Member sizes: RFC 7518 §6.2.1.2 and §6.2.2.1.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from shell import captured_texts, xanoscript_shell

from xsk_nb.keygen import b64url_decode
from xsk_nb.xanoscript import XanoScriptError, run

shell = pytest.fixture(name="shell")(xanoscript_shell)
#: The shared corpus of real XanoScript (issue 19), beside the checkout: ../shared from a
#: clone, ../../shared from a worktree.
CORPUS = next(
    (
        found
        for parent in Path(__file__).resolve().parents
        if (found := parent / "shared" / "xanoscript-corpus").is_dir()
    ),
    Path("/nonexistent"),
)
SCAN = 7
_CURVES = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
    "P-521": (ec.SECP521R1(), 66),
}


def key_cell(curve: str = "P-256") -> str:
    return f'security.create_curve_key {{\n  curve = "{curve}"\n  format = "object"\n}} as $key\n'


def assert_d_not_shown(d: str, texts: list[str]) -> None:
    for text in texts:
        found = [d[i : i + SCAN] for i in range(len(d) - SCAN + 1) if d[i : i + SCAN] in text]
        assert not found, f"{len(found)} pieces of d are shown"


def display_forms(shell: InteractiveShell, shown: Any) -> list[str]:
    formats, _ = shell.display_formatter.format(shown)
    return [*formats.values(), repr(shown), json.dumps(shown.masked, ensure_ascii=False)]


@pytest.mark.parametrize("curve", list(_CURVES))
def test_the_key_is_xanos_ec_jwk_and_x_y_are_d_times_g(curve: str) -> None:
    """The members and their order as the skill's "Object Format Structure" shows them; the
    public point checked with another implementation (cryptography's)."""
    key = run(key_cell(curve) + "response = $key\n").raw
    assert list(key) == ["kty", "crv", "d", "x", "y"]
    assert (key["kty"], key["crv"]) == ("EC", curve)
    named, size = _CURVES[curve]
    d, x, y = (int.from_bytes(b64url_decode(key[m]), "big") for m in ("d", "x", "y"))
    assert all(len(b64url_decode(key[m])) == size for m in ("d", "x", "y"))
    public = ec.derive_private_key(d, named).public_key().public_numbers()
    assert (public.x, public.y) == (x, y)


def test_two_keys_differ() -> None:
    raw = run(key_cell() + key_cell().replace("$key", "$other") + "response = [$key, $other]\n")
    assert raw.raw[0]["d"] != raw.raw[1]["d"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (key_cell("P-192"), 'curve must be "P-256", "P-384" or "P-521"; got a str of 5 characters'),
        (key_cell().replace('"object"', '"base64"'), 'format must be "object", the only format'),
    ],
)
def test_an_undocumented_curve_or_format_is_one_sentence(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError, match=message):
        run(cell)


def test_d_is_masked_everywhere(shell: InteractiveShell) -> None:
    cell = key_cell() + (
        "debug.log { value = $key }\n"
        "response = { key: $key, text: $key|json_encode, piece: `$key.d|slice:0:7` }\n"
    )
    with capture_output() as printed:
        response = run(cell)
    d = response.raw["key"]["d"]
    assert_d_not_shown(d, [*display_forms(shell, response), printed.stdout, printed.stderr])
    assert response.masked["piece"].startswith("‹hidden")
    assert response.masked["key"]["d"].startswith("‹")


def test_x_and_y_are_shown() -> None:
    """The public point is not secret (the skill's "Public key only (for sharing)"). Text
    built from the whole key (``$key|json_encode``) holds d, so x and y shown after it in the
    same cell are masked too, as part of it: more is hidden, never less."""
    response = run(key_cell() + "response = { key: $key, public: { x: $key.x, y: $key.y } }\n")
    assert response.masked["public"] == response.raw["public"]
    assert response.masked["key"]["x"] == response.raw["key"]["x"]


def test_d_in_an_error_message_is_masked() -> None:
    with pytest.raises(XanoScriptError) as caught:
        run(key_cell() + 'throw {\n  name = "E"\n  value = $key.d\n}\n')
    assert "‹" in str(caught.value)
    text = str(caught.value)
    assert not any(len(word) >= 40 and word.isascii() for word in text.split())


def test_d_stored_by_db_add_is_masked_by_xs_db(shell: InteractiveShell) -> None:
    """The skill's "Store Key Pair in Database" example stores the whole key."""
    shell.run_line_magic("xs_db", "--file :memory:")
    cell = key_cell() + (
        'db.add "signing_keys" {\n  data = { name: "k1", private_key: $key, d: $key.d }\n}'
        " as $row\nresponse = $key\n"
    )
    with capture_output() as captured:
        shell.run_cell(f"%%xanoscript -v xs_curve_out\n{cell}")
        shell.run_cell("%xs_db signing_keys")
    texts = captured_texts(captured)
    key = shell.user_ns.pop("xs_curve_out").raw
    table = texts[-2]  # the %xs_db table's text/plain
    assert "k1" in table and "‹hidden" in table
    assert_d_not_shown(key["d"], texts)


def test_an_ec_jwk_given_as_an_input_has_d_masked() -> None:
    key = run(key_cell() + "response = $key\n").raw
    response = run("input {\n  json jwk\n}\nresponse = $input.jwk\n", {"jwk": json.dumps(key)})
    assert response.raw["d"] == key["d"]
    assert_d_not_shown(key["d"], [repr(response), json.dumps(response.masked)])


@pytest.mark.parametrize(
    "name", ["11_curve_key_p256", "12_curve_key_split", "47_docs_create_curve_key"]
)
def test_the_corpus_curve_snippets_run(name: str) -> None:
    path = CORPUS / f"{name}.xs"
    if not path.exists():
        pytest.skip("the shared XanoScript corpus is not beside this checkout")
    body = "\n".join(line for line in path.read_text().split("\n") if not line.startswith("//@ "))
    raw = run(body, {"curve": "P-256"} if name.startswith("11") else None).raw
    key = {
        "11": lambda: raw["key"],
        "12": lambda: raw["private_key"],
        "47": lambda: raw["crypto3"],
    }[name[:2]]()
    assert (
        key["kty"] == "EC" and key["crv"] == "P-256" and set(key) == {"kty", "crv", "d", "x", "y"}
    )
    if name.startswith("12"):  # the skill's public half: the same x, y and no d
        assert raw["public_key"] == {m: key[m] for m in ("kty", "crv", "x", "y")}


# ---- ES256/384/512 in security.jws_encode / jws_decode ---------------------------------
# xano-inc/cli@eb4d11d .claude/skills/functions/security-jws-encode/SKILL.md, the algorithm
# table ("ES256 | EC (P-256) | ECDSA with P-256", ES384 P-384, ES512 P-521); the curve-key
# skill's "Use with JWS/JWE" and "security.jws_decode - Verify signatures with EC public key".
# Signatures: RFC 7518 §3.4 (r and s, each of the curve's size). Checked with jwcrypto.
_ES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
PUBLIC = "var $pub { value = { kty: $key.kty, crv: $key.crv, x: $key.x, y: $key.y } }\n"


def es_cell(algorithm: str, decode_with: str = "$pub") -> str:
    return (
        key_cell(_ES[algorithm])
        + f'security.jws_encode {{\n  claims = {{ sub: "1" }}\n  key = $key\n'
        f'  signature_algorithm = "{algorithm}"\n  ttl = 60\n}} as $token\n'
        + PUBLIC
        + f"security.jws_decode {{\n  token = $token\n  key = {decode_with}\n"
        f'  signature_algorithm = "{algorithm}"\n}} as $claims\n'
        "response = { token: $token, claims: $claims, key: $key }\n"
    )


@pytest.mark.parametrize("algorithm", list(_ES))
def test_es_tokens_sign_with_d_verify_with_x_y_and_jwcrypto_agrees(algorithm: str) -> None:
    from jwcrypto import jwk, jws

    response = run(es_cell(algorithm), now=1_700_000_000)
    raw = response.raw
    assert raw["claims"] == {
        "sub": "1",
        "iat": 1_700_000_000,
        "nbf": 1_700_000_000,
        "exp": 1_700_000_060,
    }
    header = json.loads(b64url_decode(raw["token"].split(".")[0]))
    assert header == {"alg": algorithm}  # Xano writes no typ (as for HS256)
    public = jwk.JWK(**{m: raw["key"][m] for m in ("kty", "crv", "x", "y")})
    checked = jws.JWS()
    checked.deserialize(raw["token"])
    checked.verify(public)  # raises if the signature is wrong
    assert response.masked["token"] == raw["token"]  # signed with d, it does not show d
    assert_d_not_shown(raw["key"]["d"], [repr(response)])


def test_a_token_jwcrypto_signed_decodes_and_a_changed_one_does_not() -> None:
    from jwcrypto import jwk, jwt

    key = jwk.JWK.generate(kty="EC", crv="P-256")
    token = jwt.JWT(header={"alg": "ES256"}, claims={"sub": "7"})
    token.make_signed_token(key)
    text = token.serialize()
    public = json.loads(key.export_public())
    cell = (
        "input {\n  text token\n  json pub\n}\n"
        "security.jws_decode {\n  token = $input.token\n  key = $input.pub\n"
        '  signature_algorithm = "ES256"\n} as $claims\nresponse = $claims\n'
    )
    assert run(cell, {"token": text, "pub": json.dumps(public)}).raw == {"sub": "7"}
    head, body, signature = text.split(".")
    # the first character of the signature carries six bits of r (the last one carries only
    # two, and a changed last character can be non-canonical base64url instead of wrong)
    changed = f"{head}.{body}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    with pytest.raises(XanoScriptError, match="the signature does not verify"):
        run(cell, {"token": changed, "pub": json.dumps(public)})


RSA_CELL = (
    'security.jws_encode {\n  claims = {}\n  key = "k"\n  signature_algorithm = "RS256"\n} as $t\n'
)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (es_cell("ES256").replace('"P-256"', '"P-384"'), "ES256 needs a key on curve P-256"),
        (es_cell("ES256", decode_with='"signing_key"'), "ES256 needs an EC JWK object"),
        (RSA_CELL, "RSA signatures are not run here"),
    ],
    ids=["wrong-curve", "text-key", "rsa"],
)
def test_es_refusals_are_one_sentence(cell: str, message: str) -> None:
    with pytest.raises(XanoScriptError, match=message):
        run(cell)


def test_the_public_half_cannot_sign() -> None:
    cell = (
        key_cell()
        + PUBLIC
        + (
            'security.jws_encode {\n  claims = {}\n  key = $pub\n  signature_algorithm = "ES256"\n'
            "} as $t\n"
        )
    )
    with pytest.raises(
        XanoScriptError, match="ES256 signs with the private key: the JWK needs its d"
    ):
        run(cell)
