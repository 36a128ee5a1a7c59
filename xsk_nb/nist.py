"""Four NIST SP 800-22 Rev.1a tests that are valid at key lengths (512 to 4096 bits).

The frequency/monobit test (§2.1), the frequency test within a block (§2.2), the runs test
(§2.3) and the longest run of ones in a block (§2.4, M = 8). Each takes a bit string, a ``str``
of ``'0'``/``'1'`` characters or ``bytes`` (bits most significant first in each byte), and
returns a :class:`TestResult`. They accept any length, so the short worked examples printed in
SP 800-22 run too; the document recommends at least 100 bits for §2.1-§2.3 and 128 for §2.4.

A p-value is the probability that a truly random sequence gives a statistic at least this
extreme. SP 800-22 computes them with asymptotic formulas (erfc, the regularised upper
incomplete gamma function), so at these lengths they take few distinct values and are not
exactly uniform; see ``docs/statistics.md``. Pure Python: the incomplete gamma function is
:func:`igamc`, in closed form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xsk_nb.contract import describe_rejected, positive_int

#: SP 800-22 §2.4.2, M = 8: P(longest run <= 1), P(= 2), P(= 3), P(>= 4) in an 8-bit block.
#: Exact counts of 8-bit blocks out of 256 (55 have no "11", 149 no "111", 208 no "1111");
#: §3.4 prints them rounded to 0.2148, 0.3672, 0.2305, 0.1875.
LONGEST_RUN_M8_PROBABILITIES: tuple[float, ...] = (55 / 256, 94 / 256, 59 / 256, 48 / 256)
#: §2.4.2: the M = 8 table holds for 128 <= n < 6272 bits.
LONGEST_RUN_MIN_BITS = 128
LONGEST_RUN_MAX_BITS = 6272
#: §2.1.7, §2.2.7, §2.3.7: recommended minimum length of the sequence.
RECOMMENDED_MIN_BITS = 100


def igamc(a: float, x: float) -> float:
    """SP 800-22's igamc: the regularised upper incomplete gamma function Q(a, x), x >= 0.

    Only for a an integer or a half-integer (a = 1/2, 1, 3/2, ...), which is all SP 800-22
    ever needs (chi-square laws with k degrees of freedom have a = k/2), in closed form:

    - Q(m, x) = e^-x * sum_{j < m} x^j / j!;
    - Q(m + 1/2, x) = erfc(sqrt x) + e^-x * sum_{j < m} x^(j + 1/2) / Gamma(j + 3/2).

    Every term is positive (no cancellation) and computed in log space, so a far tail keeps
    its relative precision; it agrees with ``scipy.special.gammaincc`` to 1e-12 for every a
    from 1/2 to 128 (tested), the range the kit uses; the error grows for larger a (about
    5e-12 at a = 5000, 2e-11 at a = 20000).
    Written by hand because scipy has no Pyodide wheel that the browser-only site can load,
    and the kit's statistics must run there.
    """
    twice = 2 * a
    if isinstance(a, bool) or not float(twice).is_integer() or twice < 1:
        raise ValueError(
            "igamc needs a = 1/2, 1, 3/2, 2, ... (half the degrees of freedom); "
            f"got {describe_rejected(a)}"
        )
    if math.isnan(x) or x < 0:
        raise ValueError(f"igamc needs x >= 0; got {describe_rejected(x)}")
    if x == 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    log_x = math.log(x)
    if int(twice) % 2 == 0:  # a = m: terms x^j e^-x / Gamma(j + 1), j = 0 .. m - 1
        return math.fsum(math.exp(j * log_x - x - math.lgamma(j + 1)) for j in range(int(a)))
    # a = m + 1/2: erfc(sqrt x) plus terms x^(j + 1/2) e^-x / Gamma(j + 3/2), j = 0 .. m - 1
    total = math.erfc(math.sqrt(x))
    return total + math.fsum(
        math.exp((j + 0.5) * log_x - x - math.lgamma(j + 1.5)) for j in range(int(a - 0.5))
    )


@dataclass(frozen=True)
class TestResult:
    """One test on one bit string: its statistic and p-value (None when it could not run)."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    statistic: float
    p_value: float | None
    note: str = ""


def to_bit_string(bits: str | bytes | bytearray | memoryview) -> str:
    """``bits`` as a ``str`` of '0'/'1': a bit string as is, bytes most significant bit first.

    Errors name what is allowed and never echo the input (it may be a key).
    """
    if isinstance(bits, (bytes, bytearray, memoryview)):
        raw = bytes(bits)
        if not raw:
            raise ValueError("bits must be a non-empty str of '0'/'1' or non-empty bytes")
        return format(int.from_bytes(raw, "big"), f"0{8 * len(raw)}b")
    if isinstance(bits, str):
        if not bits:
            raise ValueError("bits must be a non-empty str of '0'/'1' or non-empty bytes")
        if bits.strip("01"):
            raise ValueError("bits as a str may hold only the characters '0' and '1'")
        return bits
    raise TypeError(f"bits must be a str of '0'/'1' or bytes; got {describe_rejected(bits)}")


def _short_note(n: int, minimum: int = RECOMMENDED_MIN_BITS) -> str:
    if n < minimum:
        return f"n = {n} is below the {minimum} bits SP 800-22 recommends; treat P loosely."
    return ""


def monobit_test(bits: str | bytes) -> TestResult:
    """Frequency (monobit) test, SP 800-22 §2.1: are ones and zeros about equally common?

    Statistic s_obs = |#ones - #zeros| / sqrt(n); P = erfc(s_obs / sqrt(2)).
    """
    text = to_bit_string(bits)
    n = len(text)
    s_obs = abs(2 * text.count("1") - n) / math.sqrt(n)
    return TestResult("monobit", s_obs, math.erfc(s_obs / math.sqrt(2)), _short_note(n))


def block_frequency_test(bits: str | bytes, block_size: int = 128) -> TestResult:
    """Frequency test within a block, SP 800-22 §2.2: is each M-bit block about half ones?

    N = n // M blocks (leftover bits are ignored); chi^2 = 4M * sum (pi_i - 1/2)^2;
    P = igamc(N/2, chi^2/2). §2.2.7 recommends n >= 100, M >= 20, M > n/100 and N < 100;
    M = 128 gives 4 to 32 blocks for 512- to 4096-bit keys.
    """
    block_size = positive_int(block_size, "block_size", such_as="128")
    text = to_bit_string(bits)
    n_blocks = len(text) // block_size
    if n_blocks == 0:
        return TestResult(
            "block_frequency",
            math.nan,
            None,
            f"Needs at least one block of {block_size} bits; got {len(text)} bits.",
        )
    shares = (text.count("1", i * block_size, (i + 1) * block_size) / block_size
              for i in range(n_blocks))  # fmt: skip
    chi_square = 4 * block_size * sum((share - 0.5) ** 2 for share in shares)
    p = igamc(n_blocks / 2, chi_square / 2)
    return TestResult("block_frequency", chi_square, p, _short_note(len(text)))


def _transitions(text: str) -> int:
    """How many adjacent pairs of bits differ."""
    value = int(text, 2)
    return ((value ^ (value >> 1)) & ((1 << (len(text) - 1)) - 1)).bit_count()


def runs_test(bits: str | bytes, *, require_prerequisite: bool = True) -> TestResult:
    """Runs test, SP 800-22 §2.3: do ones and zeros alternate as often as chance says?

    V_n(obs) is the number of runs; P = erfc(|V - 2n pi (1 - pi)| / (2 sqrt(2n) pi (1 - pi))).
    Prerequisite (§2.3.4 step 2): |pi - 1/2| < tau = 2/sqrt(n). When it fails SP 800-22 does
    not perform the test (P is None here). That does not mean the monobit test has failed:
    the prerequisite fails from |S|/sqrt(n) >= 4 (monobit P about 6e-5), far above a 1e-6
    threshold. With ``require_prerequisite=False`` P is computed anyway (from the observed pi),
    which is what :func:`xsk_nb.stats.key_stats` does for its verdict, so a too-regular or
    too-sticky key cannot hide behind a failed prerequisite.
    """
    text = to_bit_string(bits)
    n = len(text)
    ones = text.count("1")
    pi = ones / n
    runs = float(_transitions(text) + 1)
    tau = 2 / math.sqrt(n)
    if ones in (0, n):
        return TestResult("runs", runs, None, "Every bit is the same, so P is undefined.")
    note = _short_note(n)
    if abs(pi - 0.5) >= tau:
        # The share itself is not given: to 4 decimals it would pin the key's ones count.
        note = "Prerequisite failed: the share of ones is not within 2/sqrt(n) of 1/2."
        if require_prerequisite:
            return TestResult("runs", runs, None, note)
        note += " P was computed anyway, from the observed share."
    spread = 2 * n * pi * (1 - pi)
    p = math.erfc(abs(runs - spread) / (2 * math.sqrt(2 * n) * pi * (1 - pi)))
    return TestResult("runs", runs, p, note)


def longest_run_class_counts(text: str) -> tuple[int, int, int, int]:
    """How many 8-bit blocks have a longest run of ones <= 1, = 2, = 3, >= 4 (§2.4.4 step 2)."""
    counts = [0, 0, 0, 0]
    for start in range(0, len(text) - len(text) % 8, 8):
        longest = max(len(run) for run in text[start : start + 8].split("0"))
        counts[min(max(longest, 1), 4) - 1] += 1
    return counts[0], counts[1], counts[2], counts[3]


def chi_square_statistic(counts: tuple[int, ...], probabilities: tuple[float, ...]) -> float:
    """Pearson's sum (observed - N p)^2 / (N p) over the classes."""
    total = sum(counts)
    return sum(
        (c - total * p) ** 2 / (total * p) for c, p in zip(counts, probabilities, strict=True)
    )


def longest_run_test(bits: str | bytes) -> TestResult:
    """Longest run of ones in a block, SP 800-22 §2.4, with M = 8 (128 <= n < 6272 bits).

    N = n // 8 blocks; chi^2 over the classes <= 1, 2, 3, >= 4 with the exact probabilities
    55/256, 94/256, 59/256, 48/256; P = igamc(3/2, chi^2/2). Longer strings (n >= 6272) need
    M = 128 and are not supported: P is None, since keys here are at most 4096 bits.
    """
    text = to_bit_string(bits)
    n = len(text)
    if n < LONGEST_RUN_MIN_BITS:
        note = f"Needs at least {LONGEST_RUN_MIN_BITS} bits (SP 800-22 §2.4.7); got {n}."
        return TestResult("longest_run", math.nan, None, note)
    if n >= LONGEST_RUN_MAX_BITS:
        note = f"Only M = 8 (n < {LONGEST_RUN_MAX_BITS} bits) is implemented; got {n} bits."
        return TestResult("longest_run", math.nan, None, note)
    counts = longest_run_class_counts(text)
    chi_square = chi_square_statistic(counts, LONGEST_RUN_M8_PROBABILITIES)
    return TestResult("longest_run", chi_square, igamc(1.5, chi_square / 2))
