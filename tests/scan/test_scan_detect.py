"""The detector's rules on their own: what is key material and what is not."""

from __future__ import annotations

import json
import secrets

import pytest

import xsk_nb
from xsk_nb.scan import detect
from xsk_nb.scan.findings import EXAMPLE, LEAK, PUBLISHED_EXAMPLE_KEYS


def test_every_key_the_kit_makes_looks_random() -> None:
    # looks_random misfires on a random 86-character base64url string with probability below
    # 1e-9 (no digit: (54/64)^86 = 4e-7, and a second class missing too: below 1e-30; words
    # or an 8-character run: below 1e-10), so on 4 x 250 keys below 1e-6.
    for bits in xsk_nb.ALLOWED_BITS:
        for _ in range(250):
            assert detect.looks_random(xsk_nb.create_secret_key(bits)["k"])


@pytest.mark.parametrize("prefix", ["kd_pdnc-", "65-wlx", "lf_8_W6p", "ab-", "x_yz-1234_"])
def test_a_key_that_starts_with_short_words_still_looks_random(prefix: str) -> None:
    # About 1 key in 13,000 the kit makes starts like these (23 in 300,000 drawn): the words
    # rule once read them as words joined by - or _, and the scanner missed the key.
    k = xsk_nb.create_secret_key(512)["k"]
    assert detect.looks_random(prefix + k[len(prefix):])
    assert detect.looks_random(k[: -len(prefix)] + prefix)


@pytest.mark.parametrize("value", [
    "base64url-encoded-key-material",  # the reference's placeholder
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",  # SHA-256 hex
    "123e4567-e89b-42d3-a456-426614174000",  # a UUID
    "correct-horse-battery-staple-0123456789",  # words
    "abcdefghijklmnopqrstuvwxyz0123456789",  # a run
    "AAECAwQFBgcICQoLDA0ODw",  # bytes 0, 1, 2, ...
])
def test_what_is_not_random(value: str) -> None:
    assert not detect.looks_random(value)


def test_masked_placeholders_are_never_key_material() -> None:
    from xsk_nb import masking

    k = xsk_nb.create_secret_key(512)["k"]
    texts = [
        json.dumps({"kty": "oct", "k": masking.masked(k)}),
        f"JWT_SECRET={masking.masked(k)}",
        masking.PLACEHOLDER_KEY_PREFIX.format(n=16, label=masking.key_label(k)),
        repr(xsk_nb.KeyReport(xsk_nb.create_secret_key(512))),
        xsk_nb.KeyReport(xsk_nb.create_secret_key(4096)).to_text(),
    ]
    assert [detect.find(text) for text in texts] == [[]] * len(texts)


def test_published_examples_and_their_edited_copies() -> None:
    for k in PUBLISHED_EXAMPLE_KEYS:
        hits = detect.find(json.dumps({"kty": "oct", "k": k}))
        assert [hit.status for hit in hits] == [EXAMPLE]
        edited = k[:-1] + ("A" if k[-1] != "A" else "B")
        assert [hit.status for hit in detect.find(f'K = "{edited}"')] == [EXAMPLE]


def test_a_token_signed_with_the_rfc_example_key_is_an_example() -> None:
    import jwt

    k = next(iter(PUBLISHED_EXAMPLE_KEYS))
    token = jwt.encode({"iss": "joe"}, detect._b64url_decode(k), algorithm="HS256")
    [hit] = detect.find(token)
    assert hit.status == EXAMPLE and "signed with a published example key" in hit.detail


def test_python_names_are_not_secrets_but_literals_are() -> None:
    code = 'JWT_SECRET = os.environ["JWT_SECRET"]\nsigning_key = SIGNING_KEY_FROM_VAULT\n'
    assert detect.find(code, code=True) == []
    literal = secrets.token_urlsafe(32)
    [hit] = detect.find(f'signing_key = "{literal}"\n', code=True)
    assert hit.status == LEAK and hit.detail == "assigned to signing_key"


def test_private_members_only_count_in_private_keys() -> None:
    public_ec = {"kty": "EC", "crv": "P-256", "x": secrets.token_urlsafe(32),
                 "y": secrets.token_urlsafe(32)}
    assert detect.find(json.dumps(public_ec)) == []
    rsa_like = {"kty": "RSA", "n": "x", "e": "AQAB", "d": secrets.token_urlsafe(64)}
    [hit] = detect.find(json.dumps(rsa_like))
    assert hit.detail == "private member 'd' of a RSA key"


def test_a_weak_secret_counts_in_dotenv_only() -> None:
    assert [h.detail for h in detect.find("JWT_SECRET=secret\n", dotenv=True)] == [
        "assigned to JWT_SECRET; a weak secret from a public list"]
    assert detect.find("JWT_SECRET=secret\n") == []
