"""The second teaching review's W8, W9, W11, W12 and W13 in the docs, the card and the strength
model: each corrected sentence, pinned beside the computation or source it rests on."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import pytest

from xsk_nb import report, stats, strength
from xsk_nb.nist import LONGEST_RUN_M8_PROBABILITIES, chi_square_statistic, igamc

ROOT = Path(__file__).resolve().parents[1]
STATISTICS = ROOT / "docs" / "statistics.md"
GUIDE = ROOT / "docs" / "teaching-guide.md"


def flat(text: str) -> str:
    return " ".join(text.split())


def test_w8_the_worked_example_states_what_was_computed_not_what_the_manual_prints() -> None:
    counts = (4, 9, 3, 0)  # §2.4.8's class counts (tests/test_nist.py finds them in its bits)
    exact = chi_square_statistic(counts, LONGEST_RUN_M8_PROBABILITIES)
    table = chi_square_statistic(counts, (0.2148, 0.3672, 0.2305, 0.1875))  # §3.4, rounded
    got = [round(exact, 6), round(igamc(1.5, exact / 2), 6)]
    got += [round(table, 6), round(igamc(1.5, table / 2), 6)]
    assert got == [4.882457, 0.180609, 4.882605, 0.180598]
    doc = flat(STATISTICS.read_text(encoding="utf-8"))
    assert (
        "chi^2 = 4.882457 and P = 0.180609 with the exact probabilities, and chi^2 = 4.882605 "
        "and P = 0.180598 with the four-decimal table" in doc
    )
    assert "We could not check which of these the manual itself prints" in doc
    assert "prints chi^2" not in doc and "but P = 0.180598" not in doc


def test_w9_the_statistics_notes_cite_no_file_outside_the_repository() -> None:
    doc = STATISTICS.read_text(encoding="utf-8")
    assert "FACTS.md" not in doc and "shared/reference" not in doc
    for cited in sorted(set(re.findall(r"`((?:tests|docs|xsk_nb)/[\w./-]+)`", doc))):
        assert (ROOT / cited).exists(), cited
    sd_256 = stats.expected_shannon_entropy(256)[1]
    assert round(sd_256, 5) == 0.05244 and "0.05244 exactly" in doc


def test_w11_forgery_names_the_generic_internal_collision_bound() -> None:
    # RFC 2104 §6 / Preneel-van Oorschot: an internal collision after about 2^(n/2) messages.
    n = strength.HMAC_HASHES["HS256"].output_bits
    assert n // 2 == 128
    for text in (strength.EFFECTIVE_BITS_MEANING, report.EFFECTIVE_BITS_NOTE):
        assert "2^(n/2) tagged messages" in text and "2^128 for HS256" in text, text
        assert "RFC 2104 §6" in text and "tag length" in text
        assert "which the tag length bounds" not in text
        assert "which is bounded by the tag length" not in text
    assert "Preneel and van Oorschot" in (strength.__doc__ or "")


@pytest.mark.parametrize("alpha", [1e-6, 1e-3, 0.05, 0.5])
def test_w12_the_bit_positions_p_is_an_upper_bound_on_the_chance(alpha: float) -> None:
    # The exact chance that a random 64-byte key gets P < alpha is 1 - (1 - q)^8 <= 8q <= alpha:
    # P = min(1, 8 * smallest) over-states the chance (Bonferroni), never under-states it.
    exact = stats.bit_positions_false_alarm(64, alpha)
    assert exact <= alpha
    if alpha >= 0.05:
        assert exact < 0.9 * alpha  # an upper bound, not the chance itself


def test_w12_the_card_calls_the_formulas_approximations_and_the_bit_positions_p_a_bound() -> None:
    note = report.P_VALUE_NOTE
    assert "erfc for monobit and runs, igamc for block frequency and longest run" in note
    assert "are asymptotic approximations of each test's chance" in note
    assert "The bit positions p is a Bonferroni upper bound on that chance" in note
    # monobit at 512 bits, |S| = 2: erfc prints 0.930, the exact chance is 0.965
    n = 512
    assert round(math.erfc(2 / math.sqrt(2 * n)), 3) == 0.930
    assert round(1 - math.comb(n, n // 2) / 2**n, 3) == 0.965


def test_w13_the_csprng_is_named_so_it_is_true_in_the_browser_only_site_too() -> None:
    texts = {
        "card": report.DESIGN_ENTROPY,
        "verdict": stats.FINE_VERDICT,
        "statistics.md": flat(STATISTICS.read_text(encoding="utf-8")),
        "guide": flat(GUIDE.read_text(encoding="utf-8")),
    }
    for where, text in texts.items():
        assert "the OS CSPRNG" not in text, where
        assert "reads the operating system's CSPRNG" not in text, where
    for where in ("card", "statistics.md", "guide"):
        assert "crypto.getRandomValues" in texts[where], where
    assert "secrets, a CSPRNG" in texts["verdict"]


# --- the statistics review (statistics-wave2.md) D8-D10 ---------------------------------------


def test_d8_a_random_keys_run_count_is_512_5_on_average_and_501_505_in_the_gap() -> None:
    # E[runs | m ones in n bits] = 1 + 2 m (n - m) / n: checked by enumerating every 10-bit
    # string, then evaluated at n = 1024 over the gap 64 <= |m - 512| < 79 (the runs
    # prerequisite fails, the monobit check does not fire).
    from itertools import pairwise, product

    def runs(bits: tuple[int, ...]) -> int:
        return 1 + sum(a != b for a, b in pairwise(bits))

    n = 10
    for m in range(n + 1):
        strings = [s for s in product((0, 1), repeat=n) if sum(s) == m]
        mean = sum(runs(s) for s in strings) / len(strings)
        assert mean == pytest.approx(1 + 2 * m * (n - m) / n, rel=1e-12)
    n = 1024
    unconditional = (
        sum(math.comb(n, m) * Fraction(n + 2 * m * (n - m), n) for m in range(n + 1)) / 2**n
    )
    assert unconditional == Fraction(1025, 2)  # 1 + (n - 1) / 2 = 512.5, exactly
    gap = [m for m in range(n + 1) if 64 <= abs(m - 512) < 79]
    in_gap = [1 + 2 * m * (n - m) / n for m in gap]
    assert (math.floor(min(in_gap)), round(max(in_gap))) == (501, 505)
    doc = flat(STATISTICS.read_text(encoding="utf-8"))
    assert "a random key makes 512.5 on average (1 + 1023/2) and 501-505 when it has" in doc
    assert "a random key makes about 505" not in doc


def test_d9_with_one_key_the_batch_distinct_bound_is_weaker_than_the_per_key_check() -> None:
    from xsk_nb.batch import DEFAULT_ALPHA
    from xsk_nb.stats import distinct_lower_tail, expected_distinct_bytes

    n, mean = 64, expected_distinct_bytes(64)[0]
    per_key = max(d for d in range(257) if distinct_lower_tail(d, n) < DEFAULT_ALPHA)
    # The batch's McDiarmid bound at k = 1: exp(-2 t^2 / n), t = E[D] - D (batch.py).
    batch = max(d for d in range(257) if math.exp(-2 * max(0.0, mean - d) ** 2 / n) < DEFAULT_ALPHA)
    assert (DEFAULT_ALPHA, batch, per_key) == (1e-6, 35, 44)
    doc = flat(STATISTICS.read_text(encoding="utf-8"))
    assert "it flags D ≤ 35, where the per-key check, exact, flags D ≤ 44" in doc
    assert "with one key it is exactly the per-key threshold." not in doc


def test_d10_igamcs_stated_accuracy_names_the_range_the_tests_cover() -> None:
    from tests.test_nist import test_igamc_equals_scipy_gammaincc_to_1e_12 as checked

    largest = max(max(mark.args[1]) for mark in checked.pytestmark if mark.name == "parametrize")
    assert largest / 2 == 128  # the tests check a up to 128 (twice_a up to 256)
    doc = flat(igamc.__doc__ or "")
    assert "to 1e-12 for every a from 1/2 to 128 (tested)" in doc
