"""Hostile inputs to the core API: every refusal is one sentence naming what is allowed.

Each case passes one wrong value to one argument of a public function and asserts: a
TypeError or ValueError (never another exception, never a hang), one line, no piece of a
pasted key in the message, and no randomness drawn from ``secrets``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from leakcheck import key_pieces_in

from xsk_nb.contract import bits_from_text, validate_bits
from xsk_nb.disclosure import shown_value
from xsk_nb.keygen import b64url_decode, create_secret_key, key_bytes, thumbprint
from xsk_nb.nist import block_frequency_test, igamc, monobit_test, runs_test
from xsk_nb.stats import (
    distinct_lower_tail,
    expected_distinct_bytes,
    expected_shannon_entropy,
    key_stats,
    shannon_lower_bound,
)
from xsk_nb.strength import hash_spec, hmac_fit, hmac_fits, recommended_bits, use_cases

# A 512-bit k as a user might paste it into the wrong place.
PASTED = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"
JWK = {"kty": "oct", "k": "AAECAwQFBgcICQoLDA0ODw"}

NOT_AN_INT = [None, True, 2.0, math.nan, math.inf, "512", PASTED, b"512", [512], {"b": 1}, 1j]
NOT_POSITIVE = [0, -1, -(10**100)]
NOT_A_STR = [None, True, 5, 2.5, b"HS256", ["HS256"], {"alg": "HS256"}, object()]
BAD_STRINGS = ["", " ", "x" * 100_000, PASTED, "\x00", "\ud800", "HS256\n", "é" * 50]

CASES: list[tuple[str, Callable[[Any], object], list[object]]] = [
    ("bits", lambda v: create_secret_key(v), [*NOT_AN_INT, *NOT_POSITIVE, 513, 10**100]),
    ("format", lambda v: create_secret_key(512, v), [*NOT_A_STR, *BAD_STRINGS]),
    ("alg", lambda v: create_secret_key(512, alg=v), [*NOT_A_STR[1:], *BAD_STRINGS]),
    ("use", lambda v: create_secret_key(512, use=v), [*NOT_A_STR[1:], *BAD_STRINGS]),
    ("kid", lambda v: create_secret_key(512, kid=v), [*NOT_A_STR[1:], "", PASTED * 2, "a\nb"]),
    ("bits", bits_from_text, [*NOT_A_STR, *BAD_STRINGS, "-512", "1" * 13, "٥١٢"]),
    ("bits", validate_bits, [*NOT_AN_INT, *NOT_POSITIVE]),
    ("hash_name", lambda v: thumbprint(JWK, v), [*NOT_A_STR, *BAD_STRINGS, "md5"]),
    ("k", b64url_decode, [*NOT_A_STR, PASTED + "=", "A", "AB", PASTED + "+"]),
    ("the JWK", key_bytes, [{"kty": "RSA", "k": PASTED}, {"kty": "oct"}, {}]),
    ("expected", key_bytes, [None, 5, PASTED, [PASTED]]),
    ("key_bits", lambda v: hmac_fit(v, "HS256"), [*NOT_AN_INT, *NOT_POSITIVE]),
    ("key_bits", hmac_fits, [*NOT_AN_INT, *NOT_POSITIVE]),
    ("alg", lambda v: hmac_fit(512, v), [*NOT_A_STR, *BAD_STRINGS, "hs256", "RS256"]),
    ("alg", hash_spec, [*NOT_A_STR, *BAD_STRINGS]),
    ("bits", use_cases, [*NOT_AN_INT, *NOT_POSITIVE]),
    ("use_case", recommended_bits, [*NOT_A_STR, *BAD_STRINGS]),
    ("alpha", lambda v: key_stats(bytes(64), alpha=v), [None, True, "0.01", 0, 1, -1, math.nan]),
    ("n_bytes", expected_shannon_entropy, [*NOT_AN_INT, *NOT_POSITIVE, 10**9, 10**100]),
    ("n_bytes", expected_distinct_bytes, [*NOT_AN_INT, *NOT_POSITIVE, 10**100]),
    ("n_bytes", lambda v: distinct_lower_tail(3, v), [*NOT_AN_INT, *NOT_POSITIVE]),
    ("n_bytes", lambda v: shannon_lower_bound(v, 1e-6), [*NOT_AN_INT, *NOT_POSITIVE]),
    ("bits", monobit_test, [None, 5, "", "0102", PASTED, b"", [1, 0]]),
    ("bits", runs_test, [None, "", "2", PASTED]),
    ("block_size", lambda v: block_frequency_test(b"\x01" * 64, v), [*NOT_AN_INT, 0, -128]),
    ("igamc", lambda v: igamc(v, 1.0), [0.25, 0, -0.5, math.nan, math.inf]),
    ("name", lambda v: shown_value(v, 0.5), ["", PASTED, "k"]),
]
FLAT = [(name, call, value) for name, call, values in CASES for value in values]



def test_the_suite_is_large() -> None:
    assert len(FLAT) >= 150


@pytest.mark.parametrize(
    ("name", "call", "value"),
    FLAT,
    ids=[f"{i}-{name}-{type(value).__name__}" for i, (name, _, value) in enumerate(FLAT)],
)
def test_one_sentence_naming_what_is_allowed(
    name: str, call: Callable[[Any], object], value: object, no_randomness: None
) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        call(value)
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 300, message[:300]
    assert name in message, message
    assert not key_pieces_in(message, PASTED), message
    assert caught.value.__cause__ is None
