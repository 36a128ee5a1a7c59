"""Statistics of many keys at once: vectorised with numpy when it is installed, else key by key.

numpy is optional (the ``stats`` extra) and imported only when called; without it (in the
browser-only site, say) :func:`batch_stats` computes the same numbers key by key through
:mod:`xsk_nb.nist` and :mod:`xsk_nb.stats` and returns tuples instead of arrays. Per key, the
same numbers as :func:`xsk_nb.stats.key_stats` and :mod:`xsk_nb.nist`. Over the
batch, what only a batch can show: the pooled 256-bin chi-square (it needs about 5 expected
counts per bin, 1,280+ bytes), SP 800-90B's most-common-value min-entropy, the distribution of
monobit p-values, repeated keys. The plain SP 800-22 monobit p-values of short keys take few
distinct values (51 at 512 bits) and are not uniform even for perfect keys, so the uniformity
check uses the randomized exact p-value P(|S| > s) + U P(|S| = s) instead.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xsk_nb.contract import describe_rejected, positive_int, validate_bits
from xsk_nb.keygen import key_bytes
from xsk_nb.nist import (
    LONGEST_RUN_M8_PROBABILITIES,
    LONGEST_RUN_MAX_BITS,
    LONGEST_RUN_MIN_BITS,
    block_frequency_test,
    igamc,
    longest_run_test,
    runs_test,
)
from xsk_nb.stats import (
    DEFAULT_ALPHA,
    binomial_two_sided_p,
    byte_entropy_and_distinct,
    expected_distinct_bytes,
    expected_shannon_entropy,
    validate_alpha,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    Column = np.ndarray | Sequence[float]

BLOCK_SIZE = 128  # SP 800-22 §2.2 block size M, as in xsk_nb.nist.block_frequency_test
#: SP 800-90B §6.3.1: the 99% upper confidence bound on the most common value's probability.
_MCV_Z = 2.576
#: The pooled 256-bin chi-square is valid with at least 5 expected counts per bin.
_MIN_EXPECTED_PER_BIN = 5


@dataclass(frozen=True, eq=False, repr=False)
class BatchStats:
    """Per-key statistics (one entry per key) and pooled statistics of a batch.

    The per-key fields are numpy arrays when numpy is installed, tuples when it is not.
    """

    n_keys: int
    n_bytes: int
    ones: Column  # ones count per key
    monobit_p: Column  # SP 800-22 erfc p-values; NOT uniform for short keys
    monobit_p_randomized: Column  # P(|S| > s) + U P(|S| = s), exact Binomial(n_bits, 1/2)
    runs_p: Column  # NaN where the prerequisite fails
    block_frequency_p: Column  # NaN below one 128-bit block
    longest_run_p: Column  # NaN outside 128 <= n_bits < 6272
    shannon: Column  # plug-in Shannon entropy, bits/byte
    distinct: Column  # distinct byte values
    pooled_chi_square: float  # 256 bins over all bytes pooled, 255 degrees of freedom
    pooled_chi_square_p: float  # NaN below 5 expected counts per bin (invalid)
    mcv_min_entropy: float  # SP 800-90B §6.3.1 over all bytes pooled, bits/byte
    duplicate_keys: int  # keys equal to an earlier key in the batch

    @property
    def n_bits(self) -> int:
        return 8 * self.n_bytes

    def __repr__(self) -> str:
        return (
            f"BatchStats(n_keys={self.n_keys}, n_bytes={self.n_bytes}, "
            f"pooled_chi_square={self.pooled_chi_square:.1f}, "
            f"mcv_min_entropy={self.mcv_min_entropy:.3f}, duplicate_keys={self.duplicate_keys})"
        )

    def summary(self, *, alpha: float = DEFAULT_ALPHA) -> dict[str, Any]:
        """JSON-able overview with the batch's checks; each falsely alarms at rate <= ~``alpha``.

        Every check is valid at any batch size, from one key on:

        - repeated keys, flagged only when the birthday bound C(k, 2) / 256^n_bytes is below
          ``alpha``;
        - the pooled monobit over all bits (erfc; exactly 0.85e-6 to 1.02e-6 at 1e-6);
        - the pooled 256-bin chi-square, only with 5+ expected counts per bin (else no P);
        - the uniformity of the randomized monobit p-values: exact Binomial(k, 1/10) tails
          per bin with a Bonferroni bound over the 10 bins (:func:`uniformity_p_value`),
          in place of SP 800-22 §4.2.2's chi-square, which over-alarms on small batches;
        - the mean Shannon entropy and mean distinct count, each with McDiarmid's bound on
          its lower tail (one byte changes a key's H by at most c_n = (log2 n + log2 e) / n
          and its distinct count by at most 1), in place of a normal approximation.
        """
        alpha = validate_alpha(alpha)
        k, n = self.n_keys, self.n_bytes
        total_bits = k * self.n_bits
        ones_total = int(sum(int(x) for x in self.ones))
        pooled_monobit_p = math.erfc(abs(2 * ones_total - total_bits) / math.sqrt(2 * total_bits))
        uniformity_p = uniformity_p_value(self.monobit_p_randomized)
        c_n = (math.log2(n) + math.log2(math.e)) / n  # largest change of H by one byte
        means: dict[str, dict[str, float]] = {}
        for name, values, (mean, sd), per_byte in (
            ("shannon", self.shannon, expected_shannon_entropy(n), c_n),
            ("distinct", self.distinct, expected_distinct_bytes(n), 1.0),
        ):
            observed = math.fsum(float(x) for x in values) / k
            shortfall = max(0.0, mean - observed)
            # McDiarmid over the k * n bytes, each moving the mean by at most per_byte / k.
            bound = math.exp(-2 * shortfall**2 * k / (n * per_byte**2))
            means[name] = {
                "mean": observed,
                "expected": mean,
                "sd_per_key": sd,
                "lower_tail_bound": bound,
            }

        birthday = math.comb(k, 2) / 2**self.n_bits  # int / int: no overflow
        defects = []
        if self.duplicate_keys and birthday < alpha:
            defects.append(f"keys equal to an earlier key in the batch: {self.duplicate_keys}")
        if pooled_monobit_p < alpha:
            defects.append(f"the bits are biased (pooled monobit p = {pooled_monobit_p:.2g})")
        if self.pooled_chi_square_p < alpha:  # False for NaN
            defects.append(
                f"the pooled byte histogram is uneven (p = {self.pooled_chi_square_p:.2g})"
            )
        if uniformity_p < alpha:
            defects.append(
                f"the keys' ones counts do not follow Binomial(n, 1/2) "
                f"(uniformity p = {uniformity_p:.2g})"
            )
        for name, label in (("shannon", "Shannon entropy"), ("distinct", "distinct bytes")):
            if means[name]["lower_tail_bound"] < alpha:
                defects.append(
                    f"mean {label} is too low ({means[name]['mean']:.3g} where a random "
                    f"batch shows {means[name]['expected']:.3g}; P <= "
                    f"{means[name]['lower_tail_bound']:.2g})"
                )

        def share_below(p: Any, level: float = 0.01) -> float | None:
            valid = [x for x in p if not math.isnan(x)]
            return sum(x < level for x in valid) / len(valid) if valid else None

        return {
            "n_keys": k,
            "n_bytes": n,
            "n_bits": self.n_bits,
            "mean_ones": {"mean": ones_total / k, "expected": self.n_bits / 2},
            "shannon": means["shannon"],
            "distinct": means["distinct"],
            "share_p_below_0.01": {
                "monobit": share_below(self.monobit_p),
                "monobit_randomized": share_below(self.monobit_p_randomized),
                "runs": share_below(self.runs_p),
                "block_frequency": share_below(self.block_frequency_p),
                "longest_run": share_below(self.longest_run_p),
            },
            "monobit_p_distinct_values": len({float(x) for x in self.monobit_p}),
            "monobit_randomized_uniformity_p": uniformity_p,
            "pooled_monobit_p": pooled_monobit_p,
            "pooled_chi_square": self.pooled_chi_square,
            "pooled_chi_square_p": _json_float(self.pooled_chi_square_p),
            "mcv_min_entropy": self.mcv_min_entropy,
            "duplicate_keys": self.duplicate_keys,
            "alpha": alpha,
            "defects": defects,
            "gross_defect": bool(defects),
        }


#: Bins of :func:`uniformity_p_value`, as in SP 800-22 §4.2.2.
UNIFORMITY_BINS = 10


def uniformity_p_value(p_values: Any) -> float:
    """Are p-values uniform on [0, 1)? An exact test, valid for any number of p-values.

    The values fall in 10 equal bins (as in SP 800-22 §4.2.2); under uniformity each bin's
    count is Binomial(k, 1/10). Each bin gets its exact two-sided p-value, and P = min(1,
    10 * smallest), the Bonferroni bound, so P < alpha with probability at most alpha for
    any k. (§4.2.2's chi-square on 9 degrees of freedom needs 5+ expected per bin and is
    approximate in its far tail: 5 perfect keys fall all in one bin with probability 1e-4,
    which gives chi^2 = 45 and P = 9.2e-7, so at alpha = 1e-6 it alarmed 100 times too
    often.) NaN p-values (tests that could not run) are left out.
    """
    values = [float(x) for x in p_values if not math.isnan(x)]
    if not values:
        raise ValueError("p_values must hold at least one p-value that is not NaN")
    counts = [0] * UNIFORMITY_BINS
    for value in values:
        counts[min(max(int(value * UNIFORMITY_BINS), 0), UNIFORMITY_BINS - 1)] += 1
    share = 1 / UNIFORMITY_BINS
    smallest = min(binomial_two_sided_p(c, len(values), share) for c in counts)
    return min(1.0, UNIFORMITY_BINS * smallest)


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else value


def require_numpy(what: str) -> Any:
    """numpy, or an ImportError that says which extra installs it."""
    from xsk_nb.optional import MissingExtra, import_optional

    try:
        return import_optional("numpy", what)
    except MissingExtra as error:
        raise MissingExtra(
            f"{error} (batch_stats runs without it, on a list of JWKs or bytes)", name="numpy"
        ) from None


def random_key_matrix(n_keys: int, bits: int) -> np.ndarray:
    """``n_keys`` keys of ``bits`` bits as rows of a uint8 array, all from secrets.token_bytes."""
    np = require_numpy("random_key_matrix")

    n_keys = positive_int(n_keys, "n_keys")
    n_bytes = validate_bits(bits) // 8
    raw = secrets.token_bytes(n_keys * n_bytes)
    return np.frombuffer(raw, dtype=np.uint8).reshape(n_keys, n_bytes).copy()


_ALLOWED_KEYS = "a 2-D uint8 array (n_keys, n_bytes) or a list of JWKs/bytes of equal length"


def _key_rows(keys: object) -> list[bytes]:
    """The keys as a list of equal-length byte strings (a list/tuple of JWKs or bytes)."""
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"keys must be {_ALLOWED_KEYS}; got {describe_rejected(keys)}")
    rows = [key_bytes(key) for key in keys]
    lengths = {len(row) for row in rows}
    if not rows or 0 in lengths:
        raise ValueError(f"keys must be {_ALLOWED_KEYS} with at least one key and one byte")
    if len(lengths) > 1:
        raise ValueError(f"keys must all have the same length; got {len(lengths)} lengths")
    return rows


def _key_matrix(keys: object) -> np.ndarray:
    import numpy as np

    if isinstance(keys, np.ndarray):
        if keys.dtype != np.uint8 or keys.ndim != 2:
            raise TypeError(f"keys must be {_ALLOWED_KEYS}; got a {keys.ndim}-D {keys.dtype} array")
        if keys.size == 0:
            raise ValueError(f"keys must be {_ALLOWED_KEYS} with at least one key and one byte")
        return keys
    rows = _key_rows(keys)
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), -1)


@lru_cache(maxsize=8)
def _monobit_tails(n_bits: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """For m = 0..n/2 with K ~ Binomial(n, 1/2): P(min(K, n-K) < m) and P(min(K, n-K) = m).

    Exact integer sums, each divided once (Python rounds int / int correctly).
    """
    below, equal, running = [], [], 0
    for m in range(n_bits // 2 + 1):
        count = math.comb(n_bits, m)
        below.append(2 * running / 2**n_bits)
        equal.append((count if 2 * m == n_bits else 2 * count) / 2**n_bits)
        running += count
    return tuple(below), tuple(equal)


def _longest_run_per_byte() -> list[int]:
    return [max(len(run) for run in format(v, "08b").split("0")) for v in range(256)]


def _numpy() -> Any:
    """numpy if it is installed, else None (the key-by-key path then runs)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _uniforms(rng: Any, count: int) -> list[float]:
    """``count`` draws of U on [0, 1) from ``rng`` (a numpy Generator or a random.Random)."""
    if isinstance(rng, random.Random):
        return [rng.random() for _ in range(count)]
    return [float(u) for u in rng.random(count)]


def _check_rng(rng: Any, np: Any) -> Any:
    if rng is None:
        return np.random.default_rng() if np is not None else random.Random()
    if isinstance(rng, random.Random) or (np is not None and isinstance(rng, np.random.Generator)):
        return rng
    raise TypeError(
        "rng must be a numpy.random.Generator, a random.Random or None; "
        f"got {describe_rejected(rng)}"
    )


def batch_stats(keys: Any, *, rng: Any = None) -> BatchStats:
    """Statistics of many keys of equal length; ``rng`` draws only the U of the randomized p.

    ``keys``: a 2-D uint8 numpy array (one key per row) or a list of JWKs/bytes. ``rng``: a
    numpy Generator or a :class:`random.Random` (same U values either way for the same
    ``random.Random``), or None for a fresh one. With numpy, the per-key numbers come from a
    few vectorised passes; without it, key by key (same results to 1e-12; tested).
    """
    np = _numpy()
    if np is None:
        return _batch_stats_per_key(_key_rows(keys), _check_rng(rng, None))
    return _batch_stats_numpy(_key_matrix(keys), _check_rng(rng, np), np)


def _pooled(pooled: Sequence[int], n_keys: int, n_bytes: int) -> tuple[float, float, float]:
    """Pooled 256-bin chi-square, its p-value (NaN below 5 expected) and MCV min-entropy."""
    total = n_keys * n_bytes
    expected_per_bin = total / 256
    chi_square = math.fsum((c - expected_per_bin) ** 2 for c in pooled) / expected_per_bin
    chi_square_p = (
        igamc(255 / 2, chi_square / 2) if expected_per_bin >= _MIN_EXPECTED_PER_BIN else math.nan
    )
    # SP 800-90B §6.3.1: p_u = min(1, p_hat + 2.576 sqrt(p_hat (1 - p_hat) / (L - 1))).
    p_hat = max(pooled) / total
    p_upper = (
        min(1.0, p_hat + _MCV_Z * math.sqrt(p_hat * (1 - p_hat) / (total - 1)))
        if total > 1
        else 1.0
    )
    return chi_square, chi_square_p, -math.log2(p_upper)


def _randomized(ones: int, n: int, u: float) -> float:
    below, equal = _monobit_tails(n)
    nearer = min(ones, n - ones)
    return below[nearer] + u * equal[nearer]


def _batch_stats_per_key(rows: list[bytes], rng: random.Random) -> BatchStats:
    """The key-by-key path (no numpy): the functions of xsk_nb.nist and xsk_nb.stats."""
    n_keys, n_bytes = len(rows), len(rows[0])
    n = 8 * n_bytes
    uniforms = _uniforms(rng, n_keys)
    ones: list[int] = []
    distinct: list[int] = []
    monobit: list[float] = []
    randomized: list[float] = []
    runs: list[float] = []  # NaN where a test cannot run
    block: list[float] = []
    longest: list[float] = []
    shannon: list[float] = []
    pooled = [0] * 256
    for row, u in zip(rows, uniforms, strict=True):
        count = int.from_bytes(row, "big").bit_count()
        ones.append(count)
        monobit.append(math.erfc(abs(2 * count - n) / math.sqrt(2 * n)))
        randomized.append(_randomized(count, n, u))
        for column, result in (
            (runs, runs_test(row)),
            (block, block_frequency_test(row, BLOCK_SIZE)),
            (longest, longest_run_test(row)),
        ):
            column.append(math.nan if result.p_value is None else result.p_value)
        entropy, seen = byte_entropy_and_distinct(row)
        shannon.append(entropy)
        distinct.append(seen)
        for value in row:
            pooled[value] += 1
    chi_square, chi_square_p, mcv = _pooled(pooled, n_keys, n_bytes)
    return BatchStats(
        n_keys=n_keys,
        n_bytes=n_bytes,
        ones=tuple(ones),
        monobit_p=tuple(monobit),
        monobit_p_randomized=tuple(randomized),
        runs_p=tuple(runs),
        block_frequency_p=tuple(block),
        longest_run_p=tuple(longest),
        shannon=tuple(shannon),
        distinct=tuple(distinct),
        pooled_chi_square=chi_square,
        pooled_chi_square_p=chi_square_p,
        mcv_min_entropy=mcv,
        duplicate_keys=n_keys - len(set(rows)),
    )


def _batch_stats_numpy(matrix: np.ndarray, rng: Any, np: Any) -> BatchStats:
    """The vectorised path. The special functions (erfc, igamc) run per value from math."""
    erfc = np.frompyfunc(math.erfc, 1, 1)
    n_keys, n_bytes = matrix.shape
    n = 8 * n_bytes
    bits = np.unpackbits(matrix, axis=1)  # most significant bit first, as in xsk_nb.nist
    ones = bits.sum(axis=1, dtype=np.int64)

    # §2.1 monobit, and the randomized exact p-value of the same statistic.
    monobit_p = erfc(np.abs(2 * ones - n) / math.sqrt(2 * n)).astype(float)
    below, equal = (np.asarray(t) for t in _monobit_tails(n))
    nearer = np.minimum(ones, n - ones)
    randomized = below[nearer] + np.asarray(_uniforms(rng, n_keys)) * equal[nearer]

    # §2.3 runs, NaN where the prerequisite |pi - 1/2| < 2/sqrt(n) fails or all bits agree.
    pi = ones / n
    runs = 1 + (bits[:, 1:] != bits[:, :-1]).sum(axis=1)
    valid = (np.abs(pi - 0.5) < 2 / math.sqrt(n)) & (ones > 0) & (ones < n)
    spread = np.where(valid, pi * (1 - pi), 1.0)
    runs_z = np.abs(runs - 2 * n * spread) / (2 * math.sqrt(2 * n) * spread)
    runs_p = np.where(valid, erfc(runs_z).astype(float), np.nan)

    # §2.2 block frequency with M = 128.
    n_blocks = n // BLOCK_SIZE
    if n_blocks:
        block_ones = bits[:, : n_blocks * BLOCK_SIZE].reshape(n_keys, n_blocks, BLOCK_SIZE)
        share = block_ones.sum(axis=2) / BLOCK_SIZE
        chi_square = 4 * BLOCK_SIZE * ((share - 0.5) ** 2).sum(axis=1)
        block_p = np.frompyfunc(igamc, 2, 1)(n_blocks / 2, chi_square / 2).astype(float)
    else:
        block_p = np.full(n_keys, np.nan)

    # §2.4 longest run of ones with M = 8: one block per byte.
    if LONGEST_RUN_MIN_BITS <= n < LONGEST_RUN_MAX_BITS:
        longest = np.asarray(_longest_run_per_byte())[matrix]
        classes = np.clip(longest, 1, 4) - 1
        counts = (classes[:, :, None] == np.arange(4)).sum(axis=1)
        expected = n_bytes * np.asarray(LONGEST_RUN_M8_PROBABILITIES)
        statistic = (((counts - expected) ** 2) / expected).sum(axis=1) / 2
        longest_p = np.frompyfunc(igamc, 2, 1)(1.5, statistic).astype(float)
    else:
        longest_p = np.full(n_keys, np.nan)

    # Byte counts per key (Shannon, distinct) and pooled (chi-square, MCV).
    offsets = 256 * np.arange(n_keys)[:, None]
    per_key = np.bincount((matrix + offsets).ravel(), minlength=256 * n_keys)
    per_key = per_key.reshape(n_keys, 256)
    shannon = (per_key / n_bytes * np.log2(n_bytes / np.maximum(per_key, 1))).sum(axis=1)
    distinct = (per_key > 0).sum(axis=1)
    pooled = [int(c) for c in per_key.sum(axis=0)]
    chi_square_all, chi_square_p, mcv = _pooled(pooled, n_keys, n_bytes)

    return BatchStats(
        n_keys=n_keys,
        n_bytes=n_bytes,
        ones=ones,
        monobit_p=monobit_p,
        monobit_p_randomized=randomized,
        runs_p=runs_p,
        block_frequency_p=block_p,
        longest_run_p=longest_p,
        shannon=shannon,
        distinct=distinct,
        pooled_chi_square=chi_square_all,
        pooled_chi_square_p=chi_square_p,
        mcv_min_entropy=mcv,
        duplicate_keys=int(n_keys - np.unique(matrix, axis=0).shape[0]),
    )
