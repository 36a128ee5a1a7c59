"""xsk_nb.batch: the same per-key numbers as the per-key functions, and batch-only checks.

Checks on fresh random keys (from ``secrets``) use a false-alarm rate of 1e-6 each, as stated
per test; the numpy Generator only draws the U of the randomized p-values or a broken generator.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from xsk_nb.batch import BatchStats, batch_stats, random_key_matrix, uniformity_p_value
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.stats import key_stats

ALPHA = 1e-6


@pytest.mark.parametrize(("bits", "n_keys"), [(512, 300), (1024, 100), (2048, 100), (4096, 50)])
def test_per_key_results_equal_the_per_key_functions(bits: int, n_keys: int) -> None:
    keys = random_key_matrix(n_keys, bits)
    batch = batch_stats(keys, rng=np.random.default_rng(0))
    for i, row in enumerate(keys):
        data = row.tobytes()
        single = key_stats(data)
        assert batch.ones[i] == sum(bin(byte).count("1") for byte in data)
        for values, result in (
            (batch.monobit_p, single.monobit),
            (batch.runs_p, single.runs),
            (batch.block_frequency_p, single.block_frequency),
            (batch.longest_run_p, single.longest_run),
        ):
            if result.p_value is None:
                assert math.isnan(values[i]), result.name
            else:
                assert values[i] == pytest.approx(result.p_value, rel=1e-12), result.name
        assert batch.shannon[i] == pytest.approx(single.shannon.observed, rel=1e-13)
        assert batch.distinct[i] == single.distinct_bytes.observed


def test_nan_where_the_per_key_test_cannot_run() -> None:
    # Runs prerequisite fails for an all-ones key; 8 bytes are shorter than one 128-bit block
    # and than the 128 bits the longest-run test needs.
    batch = batch_stats(np.array([[255] * 8, [0, 255] * 4], dtype=np.uint8))
    assert math.isnan(batch.runs_p[0]) and not math.isnan(batch.runs_p[1])
    assert np.isnan(batch.block_frequency_p).all() and np.isnan(batch.longest_run_p).all()
    assert key_stats(bytes([255] * 8)).runs.p_value is None


def test_jwks_bytes_and_matrix_give_the_same_batch() -> None:
    jwks = [create_secret_key(512) for _ in range(20)]
    raw = [key_bytes(jwk) for jwk in jwks]
    matrix = np.frombuffer(b"".join(raw), dtype=np.uint8).reshape(20, 64)
    results = [batch_stats(keys, rng=np.random.default_rng(1)) for keys in (jwks, raw, matrix)]
    for other in results[1:]:
        for name in ("ones", "monobit_p_randomized", "shannon", "distinct", "longest_run_p"):
            np.testing.assert_array_equal(getattr(results[0], name), getattr(other, name))


def test_randomized_monobit_p_is_in_the_atom_of_its_ones_count() -> None:
    # p = P(|S| > s) + U P(|S| = s), S = 2 * ones - n ~ exact Binomial(n, 1/2): check the
    # bounds P(|S| > s) <= p < P(|S| >= s) from exact integer sums, at 512 bits.
    n = 512
    batch = batch_stats(random_key_matrix(200, n), rng=np.random.default_rng(2))
    for ones, p in zip(batch.ones, batch.monobit_p_randomized, strict=True):
        s = abs(2 * int(ones) - n)
        greater = sum(math.comb(n, k) for k in range(n + 1) if abs(2 * k - n) > s) / 2**n
        at_least = sum(math.comb(n, k) for k in range(n + 1) if abs(2 * k - n) >= s) / 2**n
        assert greater <= p < at_least


def test_randomized_monobit_p_values_of_10000_keys_are_uniform() -> None:
    # Under a perfect generator they are exactly uniform: the SP 800-22 §4.2.2 uniformity
    # P-value (10 bins) is below 1e-6 with probability 1e-6.
    batch = batch_stats(random_key_matrix(10_000, 512), rng=np.random.default_rng(3))
    assert uniformity_p_value(batch.monobit_p_randomized) > ALPHA


def test_plain_monobit_p_values_at_512_bits_take_few_values_and_fail_uniformity() -> None:
    # FACTS.md §5: about 51 distinct values at 512 bits. |S| is even; only 74 values of |S|
    # have P(|S| >= s) >= 1e-10, so more than 74 among 10,000 keys has probability < 1e-6.
    batch = batch_stats(random_key_matrix(10_000, 512), rng=np.random.default_rng(4))
    assert np.unique(batch.monobit_p).size <= 74
    # Their 10-bin histogram is far from flat: expected chi^2 about 412 on 9 degrees of
    # freedom, against 47 for P = 1e-6; so this fails only with negligible probability.
    assert uniformity_p_value(batch.monobit_p) < ALPHA


def test_a_random_batch_shows_no_defect_and_its_summary_is_json() -> None:
    # Six batch checks at 1e-6 each: a false alarm here has probability about 6e-6.
    batch = batch_stats(random_key_matrix(2_000, 2048), rng=np.random.default_rng(5))
    summary = batch.summary()
    assert summary["defects"] == [] and summary["gross_defect"] is False
    assert summary["n_keys"] == 2_000 and summary["n_bits"] == 2048
    json.dumps(summary, allow_nan=False)
    # 2000 * 256 bytes: 2000 expected per bin, so the pooled chi-square is valid.
    assert not math.isnan(batch.pooled_chi_square_p)
    # SP 800-90B §6.3.1 on 512,000 uniform bytes: p_hat ~ 1/256 + a few sd, so ~7.8 bits.
    assert 7.5 < batch.mcv_min_entropy < 8


def test_pooled_chi_square_needs_five_expected_counts_per_bin() -> None:
    # 10 keys of 64 bytes: 2.5 expected per bin, below 5 (FACTS.md §5): no p-value.
    batch = batch_stats(random_key_matrix(10, 512))
    assert math.isnan(batch.pooled_chi_square_p) and batch.pooled_chi_square > 0
    assert batch.summary()["pooled_chi_square_p"] is None


def test_mcv_min_entropy_follows_sp_800_90b() -> None:
    # One key of one repeated byte: p_hat = 1, p_u = 1, H = 0. Two values equally often in
    # 512 bytes: p_hat = 1/2, p_u = 1/2 + 2.576 sqrt(1/4 / 511), H = -log2(p_u).
    assert batch_stats(np.full((4, 64), 7, dtype=np.uint8)).mcv_min_entropy == 0
    half = np.tile(np.array([0, 255], dtype=np.uint8), (8, 32))
    p_u = 0.5 + 2.576 * math.sqrt(0.25 / 511)
    assert batch_stats(half).mcv_min_entropy == pytest.approx(-math.log2(p_u))


def test_a_repeated_byte_generator_is_flagged() -> None:
    # Each key is one random byte repeated: mean distinct count 1, E = 56.7.
    matrix = np.repeat(random_key_matrix(1_000, 512)[:, :1], 64, axis=1)
    summary = batch_stats(matrix).summary()
    assert summary["gross_defect"] and summary["distinct"]["mean"] == 1
    assert any("distinct bytes" in defect for defect in summary["defects"])


def test_a_biased_bit_generator_is_flagged() -> None:
    # Bits are 1 with probability 0.55: over 1,000 keys of 512 bits the pooled S is about
    # +51,200 where its sd is 716, so the pooled monobit P is far below 1e-6.
    bits = (np.random.default_rng(7).random((1_000, 512)) < 0.55).astype(np.uint8)
    summary = batch_stats(np.packbits(bits, axis=1)).summary()
    assert any("biased" in defect for defect in summary["defects"])


def test_a_key_repeated_across_the_batch_is_flagged() -> None:
    # Any repeat among 512-bit keys: the birthday bound C(1000, 2) / 2^512 is ~4e-149.
    keys = random_key_matrix(1_000, 512)
    keys[500] = keys[17]
    batch = batch_stats(keys)
    assert batch.duplicate_keys == 1
    summary = batch.summary()
    assert summary["defects"] == ["keys equal to an earlier key in the batch: 1"]
    # With 1-byte "keys", repeats are expected (bound C(300, 2) / 256 >> 1e-6): no flag.
    tiny = batch_stats(random_key_matrix(300, 512)[:, :1])
    assert tiny.duplicate_keys > 0
    assert not any("earlier key" in d for d in tiny.summary()["defects"])


def test_random_key_matrix_validates_and_shapes() -> None:
    keys = random_key_matrix(3, 1024)
    assert keys.shape == (3, 128) and keys.dtype == np.uint8
    with pytest.raises(ValueError, match="512, 1024, 2048 or 4096"):
        random_key_matrix(3, 1000)
    with pytest.raises(ValueError, match="positive int"):
        random_key_matrix(0, 512)
    with pytest.raises(TypeError, match="positive int"):
        random_key_matrix(2.0, 512)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keys", "error", "words"),
    [
        (np.zeros((2, 8), dtype=np.int64), TypeError, "uint8"),
        (np.zeros(8, dtype=np.uint8), TypeError, "2-D"),
        (np.zeros((0, 8), dtype=np.uint8), ValueError, "at least one key"),
        ([], ValueError, "at least one key"),
        ([b"\x01" * 8, b"\x02" * 9], ValueError, "same length"),
        ("c2VjcmV0", TypeError, "2-D uint8"),
    ],
)
def test_bad_keys_are_refused_with_a_sentence(keys, error, words) -> None:
    with pytest.raises(error, match=words):
        batch_stats(keys)


def test_rng_must_be_a_generator() -> None:
    with pytest.raises(TypeError, match=r"Generator, a random\.Random or None"):
        batch_stats(random_key_matrix(2, 512), rng=42)  # type: ignore[arg-type]


def test_repr_and_summary_hold_no_key_material() -> None:
    keys = random_key_matrix(5, 512)
    batch = batch_stats(keys)
    assert isinstance(batch, BatchStats)
    text = repr(batch) + json.dumps(batch.summary())
    for row in keys:
        assert row.tobytes().hex()[:16] not in text


def test_summary_alpha_must_be_a_rate() -> None:
    batch = batch_stats(random_key_matrix(2, 512))
    with pytest.raises(ValueError, match="alpha"):
        batch.summary(alpha=1.5)


def _partitions(total: int, parts: int, largest: int | None = None):  # -> Iterator[tuple]
    """Every way to write ``total`` as at most ``parts`` positive counts, largest first."""
    largest = total if largest is None else largest
    if total == 0:
        yield ()
        return
    if parts == 0:
        return
    for first in range(min(total, largest), 0, -1):
        for rest in _partitions(total - first, parts - 1, first):
            yield (first, *rest)


def exact_uniformity_false_alarm(n_values: int, alpha: float) -> float:
    """P(uniformity_p_value < alpha) for n uniform p-values, summed over every bin outcome.

    The counts of 10 equal bins are Multinomial(n, 1/10): each partition of n into at most 10
    counts stands for 10! / (empty bins! * prod(multiplicities!)) bin assignments, each with
    probability n! / prod(c!) / 10^n.
    """
    from collections import Counter

    total = 0.0
    for counts in _partitions(n_values, 10):
        values = [(bin_index + 0.5) / 10 for bin_index, c in enumerate(counts) for _ in range(c)]
        if uniformity_p_value(values) >= alpha:
            continue
        arrangements = math.factorial(10) // math.factorial(10 - len(counts))
        for multiplicity in Counter(counts).values():
            arrangements //= math.factorial(multiplicity)
        ways = math.factorial(n_values)
        for c in counts:
            ways //= math.factorial(c)
        total += arrangements * ways / 10**n_values
    return total


@pytest.mark.parametrize("n_values", [5, 10, 30])
@pytest.mark.parametrize("alpha", [1e-6, 1e-3, 0.05])
def test_the_uniformity_check_alarms_at_most_alpha_on_small_batches(
    n_values: int, alpha: float
) -> None:
    # Exact, by enumerating every bin outcome. SP 800-22 §4.2.2's chi-square alarmed on 5
    # perfect keys with probability 1e-4 at alpha = 1e-6 (all five in one bin: chi^2 = 45,
    # P = 9.2e-7): 100 times alpha.
    rate = exact_uniformity_false_alarm(n_values, alpha)
    assert rate <= alpha
    if alpha == 0.05:
        assert rate > 0  # the check does fire on small batches, within its budget


def test_the_mean_checks_are_mcdiarmid_bounds_that_reduce_to_the_per_key_check() -> None:
    # With one key, the batch's bound on the mean Shannon entropy is the per-key threshold
    # shannon_lower_bound(64, alpha): just below it is flagged, just above it is not.
    from xsk_nb.stats import shannon_lower_bound

    limit = shannon_lower_bound(64, ALPHA)
    template = batch_stats(random_key_matrix(1, 512), rng=np.random.default_rng(8))
    for shift, flagged in ((-1e-6, True), (1e-6, False)):
        fake = BatchStats(**{**vars(template), "shannon": np.array([limit + shift])})
        summary = fake.summary()
        assert any("Shannon" in d for d in summary["defects"]) is flagged
        assert (summary["shannon"]["lower_tail_bound"] < ALPHA) is flagged


def test_five_perfect_keys_and_one_key_are_valid_batches() -> None:
    # Every check holds at any size; 7 checks at <= ~1e-6: a false alarm here is ~7e-6.
    for n_keys in (1, 5):
        summary = batch_stats(random_key_matrix(n_keys, 512)).summary()
        assert summary["defects"] == [], summary["defects"]
        json.dumps(summary, allow_nan=False)


# --- numpy is optional: the key-by-key path gives the same results ---------------------------

_WITHOUT_NUMPY = """
import json, random, sys
sys.modules["numpy"] = None  # import numpy now fails, as in the browser-only site
sys.modules["scipy"] = None
from xsk_nb.batch import batch_stats
keys = [bytes.fromhex(h) for h in json.loads(sys.stdin.read())]
batch = batch_stats(keys, rng=random.Random(9))
assert type(batch.ones) is tuple
columns = {name: list(getattr(batch, name)) for name in COLUMNS}
pooled = {name: getattr(batch, name) for name in POOLED}
print(json.dumps({"columns": columns, "pooled": pooled, "summary": batch.summary()}))
"""
COLUMNS = (
    "ones",
    "monobit_p",
    "monobit_p_randomized",
    "runs_p",
    "block_frequency_p",
    "longest_run_p",
    "shannon",
    "distinct",
)
POOLED = ("pooled_chi_square", "pooled_chi_square_p", "mcv_min_entropy", "duplicate_keys")


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("bits", "n_keys"), [(512, 400), (4096, 30)])
def test_without_numpy_the_key_by_key_path_gives_the_same_batch(bits: int, n_keys: int) -> None:
    import random
    import subprocess
    import sys

    keys = [key_bytes(create_secret_key(bits)) for _ in range(n_keys)]
    keys[3] = bytes(bits // 8)  # a broken key too: runs prerequisite fails, p-values tiny
    keys[5] = keys[4]  # and a repeat
    code = f"COLUMNS = {COLUMNS!r}\nPOOLED = {POOLED!r}\n{_WITHOUT_NUMPY}"
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([key.hex() for key in keys]),
        capture_output=True,
        text=True,
        check=True,
    )
    plain = json.loads(out.stdout)
    vectorised = batch_stats(keys, rng=random.Random(9))
    assert isinstance(vectorised.ones, np.ndarray)
    for name in COLUMNS:
        got, want = plain["columns"][name], list(getattr(vectorised, name))
        assert len(got) == n_keys and all(
            _same(g, float(w)) for g, w in zip(got, want, strict=True)
        ), name
    for name in POOLED:
        assert _same(plain["pooled"][name], float(getattr(vectorised, name))), name
    summary = vectorised.summary()
    assert plain["summary"]["defects"] == summary["defects"]
    assert plain["summary"]["duplicate_keys"] == 1
    for name in ("monobit_randomized_uniformity_p", "pooled_monobit_p"):
        assert _same(plain["summary"][name], summary[name]), name


def test_rng_may_be_a_random_random_in_either_path() -> None:
    import random

    keys = random_key_matrix(20, 512)
    first = batch_stats(keys, rng=random.Random(3)).monobit_p_randomized
    again = batch_stats(list(keys.tobytes()[i * 64 : (i + 1) * 64] for i in range(20)),
                        rng=random.Random(3)).monobit_p_randomized  # fmt: skip
    np.testing.assert_array_equal(first, again)
