"""The strength model: the seed's table and what HMAC does with each key size (FACTS.md §3)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pytest

from xsk_nb.strength import (
    HMAC_HASHES,
    RECOMMENDATIONS,
    hmac_fit,
    hmac_fits,
    recommended_bits,
    require_hmac_minimum,
    use_cases,
)


def test_the_seeds_table_row_by_row() -> None:
    rows = [(r.use_case, r.label) for r in RECOMMENDATIONS]
    assert rows == [
        ("Development/testing", "512"),
        ("Standard applications", "2048"),
        ("High security", "4096"),
        ("HMAC-SHA256", "256+"),
        ("HMAC-SHA512", "512+"),
    ]
    assert recommended_bits("standard applications") == 2048


def test_unknown_use_case_lists_the_table() -> None:
    with pytest.raises(ValueError, match='table\'s rows, "Development/testing", "Standard'):
        recommended_bits("banking")


# FACTS.md §3 table: "used as is" vs "hashed to N bits first".
@pytest.mark.parametrize(
    ("bits", "alg", "hashed", "effective"),
    [
        (512, "HS256", False, 512),
        (1024, "HS256", True, 256),
        (2048, "HS256", True, 256),
        (4096, "HS256", True, 256),
        (512, "HS384", False, 512),
        (1024, "HS384", False, 1024),
        (2048, "HS384", True, 384),
        (4096, "HS384", True, 384),
        (512, "HS512", False, 512),
        (1024, "HS512", False, 1024),
        (2048, "HS512", True, 512),
        (4096, "HS512", True, 512),
    ],
)
def test_pre_hashing_and_effective_strength(
    bits: int, alg: str, hashed: bool, effective: int
) -> None:
    fit = hmac_fit(bits, alg)
    assert fit.meets_minimum  # every seed size meets RFC 7518 §3.2
    assert fit.hashed_first is hashed
    assert fit.effective_bits == effective


@pytest.mark.parametrize("bits", [512, 1024, 2048, 4096])
@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_model_agrees_with_hmac_itself(bits: int, alg: str) -> None:
    """RFC 2104 §3: a key longer than the block is replaced by its hash; check it with hmac."""
    spec = HMAC_HASHES[alg]
    key = secrets.token_bytes(bits // 8)
    message = b"xsk-nb"
    direct = hmac.new(key, message, spec.hash_name).digest()
    via_hash = hmac.new(hashlib.new(spec.hash_name, key).digest(), message, spec.hash_name).digest()
    assert (direct == via_hash) is hmac_fit(bits, alg).hashed_first


@pytest.mark.parametrize(("bits", "alg"), [(128, "HS256"), (256, "HS384"), (384, "HS512")])
def test_short_keys_are_refused_by_rfc_7518_minimum(bits: int, alg: str) -> None:
    assert not hmac_fit(bits, alg).meets_minimum
    assert "too short" in hmac_fit(bits, alg).summary
    with pytest.raises(ValueError, match=rf"too short for {alg}: RFC 7518 §3.2 requires"):
        require_hmac_minimum(bits, alg)


def test_hmac_fits_lists_the_three_algorithms_in_order() -> None:
    assert [fit.alg for fit in hmac_fits(2048)] == ["HS256", "HS384", "HS512"]


@pytest.mark.parametrize(("alg", "error"), [("RS256", ValueError), (None, TypeError)])
def test_unknown_alg(alg: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="HS256, HS384 or HS512"):
        hmac_fit(512, alg)  # type: ignore[arg-type]


def test_use_cases_per_size_follow_the_seeds_table() -> None:
    assert use_cases(512) == "Development/testing; HMAC-SHA256 (256+); HMAC-SHA512 (512+)"
    assert "HMAC-SHA512 (512+)" in use_cases(1024)
    assert "High security" in use_cases(4096)
    assert use_cases(128) == "not in Xano's key-size table"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: hmac_fit("256", "HS256"), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fit(None, "HS256"), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fit(512.0, "HS256"), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fit(True, "HS256"), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fit(-5, "HS256"), ValueError, "key_bits must be a positive int"),
        (lambda: hmac_fit(0, "HS256"), ValueError, "key_bits must be a positive int"),
        (lambda: hmac_fits(None), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fits("2048"), TypeError, "key_bits must be a positive int"),
        (lambda: hmac_fits(-5), ValueError, "key_bits must be a positive int"),
        (lambda: use_cases(None), TypeError, "bits must be a positive int"),
        (lambda: recommended_bits(None), TypeError, "use_case must be a str"),
        (lambda: hmac_fit(512, "hs256"), ValueError, "alg must be one of HS256, HS384 or HS512"),
    ],
    ids=lambda v: getattr(v, "__name__", repr(v))[:20],
)
def test_wrong_arguments_get_a_sentence_naming_what_is_allowed(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        call()  # type: ignore[operator]
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text and "'<' not supported" not in text
    if "key_bits" in message:
        assert "512, 1024, 2048 or 4096" in text  # names what is meant


def test_a_pasted_key_is_never_echoed_by_the_strength_model() -> None:
    k = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"
    for call in (
        lambda: hmac_fit(512, k),
        lambda: recommended_bits(k),
        lambda: hmac_fit(k, "HS256"),
    ):
        with pytest.raises((TypeError, ValueError)) as caught:
            call()
        assert k[:8] not in str(caught.value)


def test_effective_bits_are_said_to_be_strength_against_key_recovery_not_forgery() -> None:
    # Issue 9 §2: SP 800-107 Rev. 1 §5.3.4's figure is the key's effective strength against key
    # recovery; forgery is another matter: a guessed tag is bounded by the tag length, and the
    # generic internal-collision forgery needs about 2^(n/2) tagged messages (RFC 2104 §6,
    # review W11). Every text says so.
    import xsk_nb.strength as strength

    for text in (strength.EFFECTIVE_BITS_MEANING, strength.__doc__, hmac_fit.__doc__):
        assert "key recovery" in text and "tag length" in text, text[:60]
        assert "2^(n/2) tagged messages" in " ".join(text.split()), text[:60]
        assert "SP 800-107 Rev. 1 §5.3.4" in " ".join(text.split())


def test_the_hash_table_has_exactly_the_contracts_algorithms() -> None:
    from xsk_nb.contract import ALLOWED_ALGS
    from xsk_nb.strength import HMAC_HASHES

    assert tuple(HMAC_HASHES) == ALLOWED_ALGS
