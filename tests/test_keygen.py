"""The seed's contract for create_secret_key, and every input a user can get wrong."""

from __future__ import annotations

import base64
import re
import secrets

import pytest
from leakcheck import assert_no_key_material

from xsk_nb import keygen
from xsk_nb.contract import ALLOWED_BITS, bits_from_text
from xsk_nb.keygen import b64url_decode, b64url_encode, create_secret_key, key_bytes, thumbprint

B64URL_NO_PAD = re.compile(r"[A-Za-z0-9_-]+\Z")
# FACTS.md §1: k lengths without padding for 512/1024/2048/4096 bits.
EXPECTED_K_LENGTH = {512: 86, 1024: 171, 2048: 342, 4096: 683}


@pytest.mark.parametrize("bits", ALLOWED_BITS)
def test_seed_contract_at_every_size(bits: int) -> None:
    jwk = create_secret_key(bits, "object")
    assert list(jwk) == ["kty", "k"]  # nothing else unless asked
    assert jwk["kty"] == "oct"
    assert B64URL_NO_PAD.match(jwk["k"]), "k must be base64url without padding"
    assert len(jwk["k"]) == EXPECTED_K_LENGTH[bits]
    assert len(key_bytes(jwk)) == bits // 8


def test_the_seeds_own_512_bit_sample_decodes_to_64_bytes() -> None:
    # The seed's "Generate 512-bit Key" example response.
    sample = (
        "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"
    )
    assert len(b64url_decode(sample)) == 64
    assert len(sample) == EXPECTED_K_LENGTH[512]


def test_format_defaults_to_object() -> None:
    assert create_secret_key(512)["kty"] == "oct"


@pytest.mark.parametrize("bits", ALLOWED_BITS)
def test_keys_are_unique(bits: int) -> None:
    keys = {create_secret_key(bits)["k"] for _ in range(2000)}
    assert len(keys) == 2000


def test_key_bytes_come_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fake_token_bytes(n: int) -> bytes:
        calls.append(n)
        return b"\x01" * n

    monkeypatch.setattr(keygen.secrets, "token_bytes", fake_token_bytes)
    jwk = create_secret_key(1024)
    assert calls == [128]
    assert key_bytes(jwk) == b"\x01" * 128


def test_every_byte_value_and_alphabet_character_occurs() -> None:
    # 2,000 keys of 512 bytes: P(some byte value absent) < 256 * (255/256)**1_024_000 ~ 0.
    seen_bytes: set[int] = set()
    seen_chars: set[str] = set()
    for _ in range(2000):
        jwk = create_secret_key(4096)
        seen_bytes.update(key_bytes(jwk))
        seen_chars.update(jwk["k"])
    assert seen_bytes == set(range(256))
    assert seen_chars == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


# --- hostile inputs: refused before any randomness is drawn ----------------------------------

BAD_BIT_VALUES = [256, 0, -512, 10**100, -(10**100), 513, 8192, 2047, 1, 128, 384, 2**4096]
BAD_BIT_TYPES = [
    True,
    False,
    512.0,
    2048.5,
    float("nan"),
    float("inf"),
    None,
    "512",
    b"512",
    [512],
    (512,),
    {512},
    {"bits": 512},
    object(),
    512j,
]



@pytest.mark.parametrize("bits", BAD_BIT_VALUES, ids=repr)
def test_bad_bit_values_are_value_errors(bits: int, no_randomness: None) -> None:
    with pytest.raises(
        ValueError, match=r"^bits must be one of 512, 1024, 2048 or 4096; got "
    ) as e:
        create_secret_key(bits)
    assert len(str(e.value)) < 120  # a huge int is described, not printed
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("bits", BAD_BIT_TYPES, ids=lambda v: type(v).__name__)
def test_bad_bit_types_are_type_errors(bits: object, no_randomness: None) -> None:
    with pytest.raises(TypeError, match=r"^bits must be an int, one of 512, 1024, 2048 or 4096"):
        create_secret_key(bits)  # type: ignore[arg-type]


def test_int_likes_such_as_numpy_integers_are_accepted() -> None:
    numpy = pytest.importorskip("numpy")
    assert len(key_bytes(create_secret_key(numpy.int64(512)))) == 64


@pytest.mark.parametrize("fmt", ["base64", "OBJECT", "", "object ", "jwk", "pem"])
def test_format_other_than_object_is_refused(fmt: str, no_randomness: None) -> None:
    with pytest.raises(ValueError, match=r'format must be "object", the only format'):
        create_secret_key(512, fmt)


@pytest.mark.parametrize("fmt", [None, 1, b"object", ["object"]], ids=repr)
def test_format_of_wrong_type_is_a_type_error(fmt: object, no_randomness: None) -> None:
    with pytest.raises(TypeError, match=r'format must be the str "object"'):
        create_secret_key(512, fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("members", "error", "message"),
    [
        ({"alg": "HS999"}, ValueError, "alg must be HS256, HS384 or HS512"),
        ({"alg": "RS256"}, ValueError, "alg must be HS256, HS384 or HS512"),
        ({"alg": "hs256"}, ValueError, "alg must be HS256, HS384 or HS512"),
        ({"alg": 256}, TypeError, "alg must be HS256, HS384, HS512 or None"),
        ({"use": "enc"}, ValueError, 'use must be "sig"'),
        ({"use": True}, TypeError, 'use must be "sig" or None'),
        ({"kid": ""}, ValueError, "kid must be"),
        ({"kid": "x" * 129}, ValueError, "kid must be"),
        ({"kid": "bad\nkid"}, ValueError, "kid must be"),
        ({"kid": 7}, TypeError, "kid must be"),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_bad_optional_members(
    members: dict[str, object], error: type[Exception], message: str, no_randomness: None
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        create_secret_key(512, **members)  # type: ignore[arg-type]


# --- optional members -------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_alg_and_use_are_added_on_request(alg: str) -> None:
    jwk = create_secret_key(512, alg=alg, use="sig")
    assert (jwk["alg"], jwk["use"]) == (alg, "sig")


def test_random_kid_is_fresh_and_unrelated_to_the_key() -> None:
    first, second = create_secret_key(512, kid="random"), create_secret_key(512, kid="random")
    assert first["kid"] != second["kid"]
    assert first["kid"] != thumbprint(first)
    assert first["kid"] not in first["k"]
    assert len(base64.urlsafe_b64decode(first["kid"] + "==")) == 16  # 128 random bits


def test_thumbprint_kid_only_on_explicit_request() -> None:
    jwk = create_secret_key(512, kid="thumbprint")
    assert jwk["kid"] == thumbprint({"kty": "oct", "k": jwk["k"]})


def test_literal_kid_is_used_as_given() -> None:
    assert create_secret_key(512, kid="api-key-2026")["kid"] == "api-key-2026"


def test_thumbprint_matches_joserfc() -> None:
    from joserfc.jwk import OctKey

    jwk = create_secret_key(2048)
    assert thumbprint(jwk) == OctKey.import_key(jwk).thumbprint()


def test_thumbprint_follows_rfc_7638_member_order() -> None:
    import hashlib

    jwk = {"kty": "oct", "k": "AAEC", "alg": "HS256"}  # alg is not part of an oct thumbprint
    digest = hashlib.sha256(b'{"k":"AAEC","kty":"oct"}').digest()
    assert thumbprint(jwk) == b64url_encode(digest)


# --- base64url and key_bytes --------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 63, 64, 65, 256, 512])
def test_b64url_round_trip(n: int) -> None:
    raw = secrets.token_bytes(n)
    text = b64url_encode(raw)
    assert "=" not in text and "+" not in text and "/" not in text
    assert b64url_decode(text) == raw


@pytest.mark.parametrize("text", ["AB=", "AB+/", "A", "AB C", "ABé", "AB\n"])
def test_b64url_decode_refuses_non_canonical_text_without_echoing_it(text: str) -> None:
    with pytest.raises(ValueError) as error:
        b64url_decode(text)
    assert repr(text) not in str(error.value)


def test_b64url_decode_refuses_stray_bits() -> None:
    with pytest.raises(ValueError, match="stray bits"):
        b64url_decode("AB")  # 'B' leaves non-zero padding bits


@pytest.mark.parametrize(
    ("value", "error"),
    [({"kty": "RSA", "k": "AAAA"}, ValueError), ({"kty": "oct"}, ValueError), ("AAAA", TypeError)],
)
def test_key_bytes_refuses_what_is_not_an_oct_key(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        key_bytes(value)  # type: ignore[arg-type]


# Every argument of the API that takes text, given a pasted key: the refusal names what is
# allowed and holds no piece of the key.
def _pasted_key_refusals(k: str) -> list[tuple[str, object]]:
    return [
        ("bits", lambda: create_secret_key(k)),
        ("format", lambda: create_secret_key(512, k)),
        ("alg", lambda: create_secret_key(512, alg=k)),
        ("use", lambda: create_secret_key(512, use=k)),
        ("kid", lambda: create_secret_key(512, kid=k + k)),  # too long to be a kid
        ("kid", lambda: create_secret_key(512, kid=k + "\n")),  # not printable
        ("hash_name", lambda: thumbprint({"kty": "oct", "k": "AAAA"}, k)),
        ("bits", lambda: bits_from_text(k)),
        ("bits", lambda: bits_from_text(" " + k[:10])),
    ]


@pytest.mark.parametrize("case", range(9))
def test_refusals_never_echo_a_pasted_key(case: int, no_randomness: None) -> None:
    k = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"
    name, call = _pasted_key_refusals(k)[case]
    with pytest.raises((ValueError, TypeError)) as error:
        call()  # type: ignore[operator]
    message = str(error.value)
    assert message.startswith(f"{name} must be "), message
    assert "\n" not in message
    assert_no_key_material(message, k)
    assert k[:4] not in message
