"""The strength model: the seed's key-size table and what HMAC does with a key of each size.

Pure data and arithmetic; knows nothing of Jupyter. Sources: the seed's "Key Size
Recommendations" table; RFC 7518 §3.2 (minimum HMAC key sizes); RFC 2104 §3 and FIPS 198-1
(keys longer than the hash block size are hashed first); NIST SP 800-107 Rev. 1 §5.3.4 (the
effective strength of an HMAC key is min(strength of K, 2C), C the hash's internal state size).

"Effective bits" here is always the key's effective strength against key recovery, never
resistance to forgery: a guessed tag is right with chance 2^-(tag length), and the generic
internal-collision forgery of HMAC with an n-bit hash needs about 2^(n/2) tagged messages
(RFC 2104 §6; Preneel and van Oorschot, CRYPTO 1995): :data:`EFFECTIVE_BITS_MEANING`.
"""

from __future__ import annotations

from dataclasses import dataclass

from xsk_nb.contract import ALLOWED_ALGS, ALLOWED_BITS, describe_rejected, one_of, positive_int


@dataclass(frozen=True)
class Recommendation:
    """One row of the seed's key-size recommendations table."""

    use_case: str
    bits: int
    at_least: bool = False  # "256+" rows are minimums, not exact sizes

    @property
    def label(self) -> str:
        return f"{self.bits}+" if self.at_least else str(self.bits)


#: The seed's table, row by row, in its order.
RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation("Development/testing", 512),
    Recommendation("Standard applications", 2048),
    Recommendation("High security", 4096),
    Recommendation("HMAC-SHA256", 256, at_least=True),
    Recommendation("HMAC-SHA512", 512, at_least=True),
)


@dataclass(frozen=True)
class HashSpec:
    """The numbers of one HMAC hash that decide what happens to a key."""

    alg: str  # JOSE name (RFC 7518 §3.1)
    hash_name: str  # hashlib name
    output_bits: int  # also the RFC 7518 §3.2 minimum key size
    block_bits: int  # RFC 4868 §2.1: 512 for SHA-256, 1024 for SHA-384/512
    state_bits: int  # SP 800-107: internal state size C


HMAC_HASHES: dict[str, HashSpec] = {
    "HS256": HashSpec("HS256", "sha256", 256, 512, 256),
    "HS384": HashSpec("HS384", "sha384", 384, 1024, 512),
    "HS512": HashSpec("HS512", "sha512", 512, 1024, 512),
}
#: The algorithms are listed once, in :data:`xsk_nb.contract.ALLOWED_ALGS` (tests/test_strength.py
#: checks HMAC_HASHES has exactly those).
HMAC_ALGORITHMS: tuple[str, ...] = ALLOWED_ALGS


#: What "effective bits" means, for every text that shows the figure (report, lessons, docs).
#: Forgery (review W11): a guess succeeds with chance 2^-(tag length); the generic attack is an
#: internal collision, found after about 2^(n/2) tagged messages for an n-bit hash (the birthday
#: bound: RFC 2104 §6; B. Preneel and P. van Oorschot, "MDx-MAC and building fast MACs from hash
#: functions", CRYPTO 1995), so 2^128 for HS256.
EFFECTIVE_BITS_MEANING = (
    "effective bits: the key's effective strength against key recovery (NIST SP 800-107 "
    "Rev. 1 §5.3.4), not resistance to forgery, for which a guessed tag is bounded by the tag "
    "length and the generic internal-collision forgery needs about 2^(n/2) tagged messages "
    "for an n-bit hash, 2^128 for HS256 (RFC 2104 §6)"
)


@dataclass(frozen=True)
class HmacFit:
    """How a random key of ``key_bits`` fares as an HMAC key for ``alg``."""

    alg: str
    key_bits: int
    minimum_bits: int
    meets_minimum: bool
    block_bits: int
    hashed_first: bool
    #: The key's effective strength against key recovery, min(strength of K, 2C) (SP 800-107
    #: Rev. 1 §5.3.4); not resistance to forgery (tag length for a guess, about 2^(n/2)
    #: tagged messages for the generic internal-collision forgery: RFC 2104 §6).
    effective_bits: int

    @property
    def summary(self) -> str:
        if not self.meets_minimum:
            return f"too short: RFC 7518 §3.2 requires at least {self.minimum_bits} bits"
        if self.hashed_first:
            return (
                f"ok; longer than the {self.block_bits}-bit block, so HMAC hashes it "
                f"to {self.minimum_bits} bits first"
            )
        return "ok; used as is"


def hash_spec(alg: str) -> HashSpec:
    """The :class:`HashSpec` of ``alg``; ``ValueError`` names the allowed algorithms."""
    if not isinstance(alg, str):
        raise TypeError(
            f"alg must be a str, one of {one_of(HMAC_ALGORITHMS)}; got {describe_rejected(alg)}"
        )
    try:
        return HMAC_HASHES[alg]
    except KeyError:
        raise ValueError(
            f"alg must be one of {one_of(HMAC_ALGORITHMS)}; got {describe_rejected(alg)}"
        ) from None


def _key_bits(key_bits: object) -> int:
    """``key_bits`` as an int if it is a positive key size in bits; else one sentence."""
    return positive_int(
        key_bits, "key_bits", such_as=f"a key size in bits such as {one_of(ALLOWED_BITS)}"
    )


def hmac_fit(key_bits: int, alg: str) -> HmacFit:
    """RFC 7518 minimum, pre-hashing and effective key strength for one key size.

    ``effective_bits`` is the key's effective strength against key recovery (SP 800-107
    Rev. 1 §5.3.4), not resistance to forgery: a guessed tag is bounded by the tag length, and
    the generic internal-collision forgery needs about 2^(n/2) tagged messages for an n-bit hash
    (RFC 2104 §6).

    ``key_bits`` is any positive int (sizes below the RFC 7518 minimum give ``meets_minimum``
    False); anything else is a ``TypeError``/``ValueError`` naming what is allowed.
    """
    key_bits = _key_bits(key_bits)
    spec = hash_spec(alg)
    hashed = key_bits > spec.block_bits
    key_strength = spec.output_bits if hashed else key_bits
    return HmacFit(
        alg=spec.alg,
        key_bits=key_bits,
        minimum_bits=spec.output_bits,
        meets_minimum=key_bits >= spec.output_bits,
        block_bits=spec.block_bits,
        hashed_first=hashed,
        effective_bits=min(key_strength, 2 * spec.state_bits),
    )


def hmac_fits(key_bits: int) -> tuple[HmacFit, ...]:
    """:func:`hmac_fit` for HS256, HS384 and HS512, in that order."""
    key_bits = _key_bits(key_bits)
    return tuple(hmac_fit(key_bits, alg) for alg in HMAC_ALGORITHMS)


def require_hmac_minimum(key_bits: int, alg: str) -> None:
    """``ValueError`` if a ``key_bits`` key is shorter than RFC 7518 §3.2 allows for ``alg``."""
    fit = hmac_fit(key_bits, alg)
    if not fit.meets_minimum:
        raise ValueError(
            f"a {key_bits}-bit key is too short for {alg}: RFC 7518 §3.2 requires at least "
            f"{fit.minimum_bits} bits"
        )


def use_cases(bits: int) -> str:
    """The seed's use cases a key of ``bits`` matches exactly or meets as a minimum ("256+")."""
    bits = positive_int(bits, "bits", such_as=f"a key size such as {one_of(ALLOWED_BITS)}")
    exact = [r.use_case for r in RECOMMENDATIONS if not r.at_least and r.bits == bits]
    minimums = [
        f"{r.use_case} ({r.label})" for r in RECOMMENDATIONS if r.at_least and bits >= r.bits
    ]
    return "; ".join(exact + minimums) if exact or minimums else "not in Xano's key-size table"


def recommended_bits(use_case: str) -> int:
    """The seed's recommended size for a use case (case-insensitive)."""
    names = one_of((row.use_case for row in RECOMMENDATIONS), quoted=True)
    if not isinstance(use_case, str):
        raise TypeError(
            f"use_case must be a str, one of {names}; got {describe_rejected(use_case)}"
        )
    for row in RECOMMENDATIONS:
        if row.use_case.lower() == use_case.lower():
            return row.bits
    raise ValueError(
        f"use_case must be one of the table's rows, {names}; got {describe_rejected(use_case)}"
    )
