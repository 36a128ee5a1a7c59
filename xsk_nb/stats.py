"""One key's statistics, each beside what a truly random key of the same length shows.

A key's entropy belongs to its generator (here :mod:`secrets`, a CSPRNG: the operating system's,
or in the browser-only site the browser's ``crypto.getRandomValues``),
not to the string: statistics on one key can only flag gross failures, and NIST SP 800-22
says no set of statistical tests can certify a generator. So every number here stands beside
its exact expectation for uniform random bytes, and the verdict never claims more.

The expectations are exact, not simulated: plug-in Shannon entropy through the binomial and
trinomial laws of byte counts, distinct byte values through the occupancy law. Pure Python;
the NIST tests' incomplete gamma function has exact closed forms in math (no scipy needed).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from xsk_nb.contract import describe_rejected, positive_int
from xsk_nb.keygen import key_bytes
from xsk_nb.nist import (
    TestResult,
    block_frequency_test,
    longest_run_test,
    monobit_test,
    runs_test,
)

DEFAULT_ALPHA = 1e-6
#: Terms of the count laws below exp(-115) (about 1e-50) are dropped: far below double rounding.
_LOG_CUTOFF = -115.0
#: Above this many bytes the exact occupancy law (O(n * 256) work) gives way to a bound.
_EXACT_DISTINCT_MAX_BYTES = 4096

LEAKS_SHANNON = (
    "Shown to 2 decimals, it tells on average 3.8 to 4.8 bits about the key (512 to 4096 bits; "
    "computed in docs/statistics.md); a per-key byte histogram would reveal 15-44% of it."
)
LEAKS_DISTINCT = (
    "Shown as an integer, it tells on average 3.2 to 4.4 bits about the key (512 to 4096 bits; "
    "computed in docs/statistics.md); a per-key byte histogram would reveal 15-44% of it."
)
#: The checks behind ``KeyStats.gross_defect``: together they falsely alarm at most about 7 alpha.
VERDICT_CHECKS: tuple[str, ...] = (
    "monobit",
    "runs",
    "block_frequency",
    "longest_run",
    "distinct byte values",
    "Shannon entropy",
    "bit_positions",
)
# Said of any key that passes, including one from a weak generator: it names no source as fact.
FINE_VERDICT = (
    "no gross defect found; statistics cannot certify a key: its entropy is that of the "
    "generator that made it (xsk-nb draws from secrets, a CSPRNG)"
)


@dataclass(frozen=True)
class Statistic:
    """One number beside what a truly random key of the same length shows."""

    name: str
    observed: float
    expected: float
    sd: float
    maximum: float
    unit: str
    leaks: str

    @property
    def z(self) -> float:
        """(observed - expected) / sd; 0 when both agree and the sd is 0."""
        diff = self.observed - self.expected
        if self.sd > 0:
            return diff / self.sd
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)


@dataclass(frozen=True)
class KeyStats:
    """A key's statistics and a verdict that never claims more than statistics can say."""

    n_bytes: int
    n_bits: int
    b64url_length: int
    design_entropy_bits: int  # = n_bits: bits drawn from the CSPRNG
    shannon: Statistic  # plug-in Shannon entropy, bits/byte
    distinct_bytes: Statistic  # number of distinct byte values
    monobit: TestResult
    runs: TestResult
    block_frequency: TestResult
    longest_run: TestResult
    bit_positions: TestResult  # not SP 800-22: the 8 bit positions across the bytes
    alpha: float  # the false-alarm rate each check of the verdict uses
    gross_defect: bool
    verdict: str

    @property
    def tests(self) -> tuple[TestResult, TestResult, TestResult, TestResult]:
        return (self.monobit, self.runs, self.block_frequency, self.longest_run)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: lengths, statistics and verdict; no key material."""
        out = asdict(self)
        for name in ("shannon", "distinct_bytes"):
            out[name]["z"] = getattr(self, name).z
        for name in ("monobit", "runs", "block_frequency", "longest_run", "bit_positions"):
            if math.isnan(out[name]["statistic"]):
                out[name]["statistic"] = None  # JSON has no NaN
        return out


#: The longest input the statistics take (1 MiB): their exact laws cost O(n) or more, and a
#: key is at most 512 bytes; a larger n would only make a call run for hours.
MAX_N_BYTES = 1 << 20


def _check_n_bytes(n_bytes: object) -> int:
    n = positive_int(n_bytes, "n_bytes", such_as="a key length in bytes (64 to 512)")
    if n > MAX_N_BYTES:
        raise ValueError(
            f"n_bytes must be at most {MAX_N_BYTES} (1 MiB); got {describe_rejected(n)}"
        )
    return n


def max_shannon_entropy(n_bytes: int) -> float:
    """The most plug-in entropy n bytes can show: log2(n) bits/byte below 256 bytes, else 8."""
    return min(math.log2(_check_n_bytes(n_bytes)), 8.0)


def _binomial_support(n: int, p: float) -> list[tuple[int, float]]:
    """(k, P(K = k)) for K ~ Binomial(n, p), 0 < p < 1, leaving out terms below exp(-115)."""
    log_p, log_q, head = math.log(p), math.log1p(-p), math.lgamma(n + 1)

    def log_pmf(k: int) -> float:
        return head - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_p + (n - k) * log_q

    mode = min(n, int((n + 1) * p))
    out = []
    for step in (-1, 1):
        k = mode if step == -1 else mode + 1
        while 0 <= k <= n and (lp := log_pmf(k)) > _LOG_CUTOFF:
            out.append((k, math.exp(lp)))
            k += step
    return out


def binomial_tail(k: int, n: int, p: float, *, upper: bool = False) -> float:
    """P(X <= k), or P(X >= k) with ``upper=True``, for X ~ Binomial(n, p), 0 < p < 1.

    Exact terms C(n, j) p^j (1 - p)^(n - j) (through lgamma) summed from ``k`` away from the
    mode until they no longer change the sum, so a far tail costs a few dozen terms and keeps
    its relative precision (1e-12 or better); a tail that holds the mode is 1 minus the other.
    """
    if upper:
        return binomial_tail(n - k, n, 1 - p)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    log_p, log_q, head = math.log(p), math.log1p(-p), math.lgamma(n + 1)

    def pmf(j: int) -> float:
        return math.exp(
            head - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * log_p + (n - j) * log_q
        )

    def away(start: int, step: int) -> float:
        total, j = 0.0, start
        while 0 <= j <= n:
            term = pmf(j)
            total += term
            if term <= total * 1e-17:
                break
            j += step
        return total

    mode = int((n + 1) * p)
    return away(k, -1) if k < mode else max(0.0, 1.0 - away(k + 1, 1))


def binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """Two-sided exact p-value of a Binomial(n, p) count k: min(1, 2 min(P(X <= k), P(X >= k))).

    For p = 1/2 this is exactly P(|2X - n| >= |2k - n|).
    """
    return min(1.0, 2 * min(binomial_tail(k, n, p), binomial_tail(k, n, p, upper=True)))


@lru_cache(maxsize=8)
def _half_binomial_two_sided(n: int) -> tuple[float, ...]:
    """P(|2X - n| >= |2c - n|) for X ~ Binomial(n, 1/2), c = 0..n: exact integer sums."""
    below, running = [], 0
    for c in range(n + 1):
        running += math.comb(n, c)
        below.append(running)  # 2^n P(X <= c)
    whole = 2**n
    return tuple(min(1.0, 2 * below[min(c, n - c)] / whole) for c in range(n + 1))


def bit_positions_test(data: bytes) -> TestResult:
    """Is each of the 8 bit positions of a byte set about half the time across the key's bytes?

    Not an SP 800-22 test: a check with power against text used as a key, which the four
    SP 800-22 tests lack at 512 bits (printable ASCII, and base64url text, always has bit 7
    clear). For position j (7 = most significant), the ones count over the n bytes is
    Binomial(n, 1/2) for a random key; each position gets its exact two-sided p-value, and
    P = min(1, 8 * smallest), the Bonferroni bound over the 8 positions, so a random key gets
    P < alpha with probability at most alpha (exactly: :func:`bit_positions_false_alarm`).
    The statistic is the largest |2 * ones_j - n| over the positions.
    """
    n = len(data)
    if n == 0:
        raise ValueError("data must hold at least 1 byte")
    value = int.from_bytes(data, "big")
    counts = [(value & int.from_bytes(bytes([1 << j]) * n, "big")).bit_count() for j in range(8)]
    if n <= _EXACT_DISTINCT_MAX_BYTES:
        table = _half_binomial_two_sided(n)
        smallest = min(table[c] for c in counts)
    else:
        smallest = min(binomial_two_sided_p(c, n, 0.5) for c in counts)
    widest = max(abs(2 * c - n) for c in counts)
    return TestResult("bit_positions", float(widest), min(1.0, 8 * smallest))


def bit_positions_false_alarm(n_bytes: int, alpha: float) -> float:
    """Exact probability that a uniform random key of ``n_bytes`` gets bit-positions P < alpha.

    The 8 positions' counts are independent Binomial(n, 1/2) for uniform bytes, so this is
    1 - (1 - q)^8 with q = P(8 * p_j < alpha) summed over the counts that give it.
    """
    n = _check_n_bytes(n_bytes)
    alpha = validate_alpha(alpha)
    q = (
        sum(math.comb(n, c) for c in range(n + 1) if 8 * binomial_two_sided_p(c, n, 0.5) < alpha)
        / 2**n
    )
    return 1 - (1 - q) ** 8


def expected_shannon_entropy(n_bytes: int) -> tuple[float, float]:
    """Exact (mean, sd) of the plug-in Shannon entropy (bits/byte) of n uniform random bytes.

    H = sum over the 256 byte values of f(C_v), f(c) = -(c/n) log2(c/n), C_v ~ Binomial(n, 1/256).
    E[H] = 256 E[f(C)]; E[H^2] = 256 E[f(C)^2] + 256 * 255 E[f(C_1) f(C_2)], where
    (C_1, C_2) is trinomial: C_1 ~ Binomial(n, 1/256), then C_2 ~ Binomial(n - C_1, 1/255).
    """
    return _expected_shannon_entropy(_check_n_bytes(n_bytes))


@lru_cache(maxsize=64)
def _expected_shannon_entropy(n: int) -> tuple[float, float]:
    def f(c: int) -> float:
        return -(c / n) * math.log2(c / n) if c else 0.0

    first = second = pair = 0.0
    for a, pa in _binomial_support(n, 1 / 256):
        fa = f(a)
        first += pa * fa
        second += pa * fa * fa
        if fa and a < n:
            pair += pa * fa * sum(pb * f(b) for b, pb in _binomial_support(n - a, 1 / 255))
    mean = 256 * first
    variance = 256 * second + 256 * 255 * pair - mean * mean
    return mean, math.sqrt(max(variance, 0.0))


def expected_distinct_bytes(n_bytes: int) -> tuple[float, float]:
    """Exact (mean, sd) of the number of distinct byte values among n uniform random bytes.

    E[D] = 256 (1 - q^n), q = 255/256; Var[D] = 256 q^n (1 - q^n) + 256 * 255 (r^n - q^(2n)),
    r = 254/256 (the chance that two given values are both absent).
    """
    n = _check_n_bytes(n_bytes)
    absent = (255 / 256) ** n
    both_absent = (254 / 256) ** n
    variance = 256 * absent * (1 - absent) + 256 * 255 * (both_absent - absent * absent)
    return 256 * (1 - absent), math.sqrt(max(variance, 0.0))


@lru_cache(maxsize=16)
def _distinct_cdf(n: int) -> tuple[float, ...]:
    """Exact P(D <= d), d = 0..256, for n uniform bytes: a Markov chain over bytes drawn."""
    probs = [0.0] * 257
    probs[0] = 1.0
    for _ in range(n):
        for d in range(256, 0, -1):
            probs[d] = probs[d] * d / 256 + probs[d - 1] * (257 - d) / 256
        probs[0] = 0.0
    cdf, total = [], 0.0
    for p in probs:
        total += p
        cdf.append(total)
    return tuple(cdf)


def distinct_lower_tail(observed: int, n_bytes: int) -> float:
    """P(D <= observed) for n uniform random bytes: exact up to 4096 bytes, a bound above.

    Above 4096 bytes it is McDiarmid's bound exp(-2 t^2 / n), t = E[D] - observed: changing one
    byte changes D by at most 1.
    """
    n = _check_n_bytes(n_bytes)
    if n <= _EXACT_DISTINCT_MAX_BYTES:
        return min(_distinct_cdf(n)[min(max(observed, 0), 256)], 1.0)
    shortfall = expected_distinct_bytes(n)[0] - observed
    return 1.0 if shortfall <= 0 else math.exp(-2 * shortfall * shortfall / n)


def shannon_lower_bound(n_bytes: int, alpha: float) -> float:
    """An entropy (bits/byte) a random key falls below with probability at most ``alpha``.

    McDiarmid's inequality: moving one byte from value a to value b changes sum c log2 c by
    the difference of two increments g(c+1) - g(c), g(c) = c log2 c, each in [0, log2 n +
    log2 e], so H changes by at most c_n = (log2 n + log2 e) / n. Hence
    P(H <= E[H] - t) <= exp(-2 t^2 / (n c_n^2)) = alpha at t = c_n sqrt(n ln(1/alpha) / 2).
    Conservative (a 64-byte key is flagged only below about 3.3 bits/byte) but never wrong.
    """
    n = _check_n_bytes(n_bytes)
    c_n = (math.log2(n) + math.log2(math.e)) / n
    return expected_shannon_entropy(n)[0] - c_n * math.sqrt(n * math.log(1 / alpha) / 2)


def byte_entropy_and_distinct(data: bytes) -> tuple[float, int]:
    """Plug-in Shannon entropy (bits/byte) and the number of distinct byte values."""
    n = len(data)
    counts = [c for c in (data.count(v) for v in range(256)) if c]
    return sum(c / n * math.log2(n / c) for c in counts), len(counts)


def validate_alpha(alpha: object) -> float:
    """``alpha`` as a float if it is a false-alarm rate strictly between 0 and 1; else raise."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"alpha must be a float between 0 and 1; got {describe_rejected(alpha)}")
    if not 0 < alpha < 1:
        raise ValueError(
            f"alpha must be a float between 0 and 1 (exclusive); got {describe_rejected(alpha)}"
        )
    return float(alpha)


def key_stats(jwk_or_bytes: dict[str, Any] | bytes, *, alpha: float = DEFAULT_ALPHA) -> KeyStats:
    """Statistics of one key (an oct JWK or its bytes) beside their exact expectations.

    ``gross_defect`` is True when one of the seven :data:`VERDICT_CHECKS` fires: a NIST test's
    p-value is below ``alpha`` (the runs p-value is computed even when SP 800-22's
    prerequisite fails, so a sticky source cannot hide behind it), the key shows far fewer
    distinct bytes or far less entropy than a random key could at rate ``alpha``, or a bit
    position is set far too rarely or too often across the bytes (text used as a key). At
    alpha = 1e-6 and 512-4096 bits the seven checks together falsely alarm on a random key at
    most about 6.3e-6 (exact laws, docs/statistics.md): the entropy, distinct and bit-position
    checks at most alpha each, the monobit erfc p-value 0.85e-6 to 1.02e-6, and the longest-run
    check alone up to 2.04e-6 (512 bits), so no single check is "at most alpha".
    """
    alpha = validate_alpha(alpha)
    data = key_bytes(jwk_or_bytes)
    n = len(data)
    if n == 0:
        raise ValueError("the key must hold at least 1 byte")
    entropy, distinct = byte_entropy_and_distinct(data)
    shannon = Statistic(
        "Shannon entropy (plug-in)",
        entropy,
        *expected_shannon_entropy(n),
        max_shannon_entropy(n),
        "bits/byte",
        LEAKS_SHANNON,
    )
    distinct_bytes = Statistic(
        "distinct byte values",
        float(distinct),
        *expected_distinct_bytes(n),
        float(min(n, 256)),
        "values of 256",
        LEAKS_DISTINCT,
    )
    tests = (monobit_test(data), runs_test(data), block_frequency_test(data),
             longest_run_test(data))  # fmt: skip
    positions = bit_positions_test(data)

    reasons = [
        f"{t.name} p = {t.p_value:.2g} < {alpha:g}"
        for t in (*tests, positions)
        if t.p_value is not None and t.p_value < alpha
    ]
    if tests[1].p_value is None and tests[1].note.startswith("Prerequisite failed"):
        # SP 800-22 skips the runs test here, yet the prerequisite fails already at monobit
        # P ~ 6e-5, where the monobit check does not fire: the runs P still counts.
        anyway = runs_test(data, require_prerequisite=False).p_value
        if anyway is not None and anyway < alpha:
            reasons.append(
                f"runs p = {anyway:.2g} < {alpha:g} (computed although SP 800-22's "
                "prerequisite on the share of ones failed)"
            )
    tail = distinct_lower_tail(distinct, n)
    if tail < alpha:
        reasons.append(
            f"{distinct} distinct byte values (a random key shows "
            f"{distinct_bytes.expected:.1f}; P(this few) = {tail:.2g})"
        )
    if entropy < shannon_lower_bound(n, alpha):
        reasons.append(
            f"Shannon entropy {entropy:.2f} bits/byte (a random key shows {shannon.expected:.2f})"
        )
    return KeyStats(
        n_bytes=n,
        n_bits=8 * n,
        b64url_length=(4 * n + 2) // 3,
        design_entropy_bits=8 * n,
        shannon=shannon,
        distinct_bytes=distinct_bytes,
        monobit=tests[0],
        runs=tests[1],
        block_frequency=tests[2],
        longest_run=tests[3],
        bit_positions=positions,
        alpha=alpha,
        gross_defect=bool(reasons),
        verdict=defect_verdict(reasons, alpha) if reasons else FINE_VERDICT,
    )


def defect_verdict(reasons: list[str], alpha: float) -> str:
    """The verdict when checks fire: what fired, and how rare that is for a random key.

    Stated as the bound it is: a key from a working generator fails one of the
    :data:`VERDICT_CHECKS` with probability at most about len(VERDICT_CHECKS) * alpha (at
    alpha = 1e-6 the exact total is at most 6.3e-6 for 512-4096 bits; one check alone, the
    longest run, reaches 2.04e-6, so no per-check figure is claimed), and never above 1.
    """
    checks = len(VERDICT_CHECKS)
    bound = min(1.0, checks * alpha)
    return (
        f"gross defect: {'; '.join(reasons)}. A key from a working generator fails one of "
        f"these {checks} checks with probability at most about {bound:.1g}: treat it as made "
        "by a broken generator and do not use it"
    )
