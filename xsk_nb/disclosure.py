"""What a report card discloses: the display rounding, and what the shown statistics tell.

A report card shows each statistic rounded (:data:`SHOWN_DECIMALS`, :func:`shown_value`): the
one home of that rule. :func:`shown_information` computes how much the shown values tell about
a uniform random key (exactly where a law is known, else by simulating keys with numpy), and
:func:`byte_histogram_leak` what a per-key byte histogram would reveal; docs/statistics.md
explains both, and :data:`SHOWN_INFORMATION_BITS` keeps the result as data for the card.

Moved out of :mod:`xsk_nb.stats` (one key's statistics) so that module does not import
:mod:`xsk_nb.batch`; this one imports both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xsk_nb.contract import describe_rejected, one_of, positive_int, validate_bits
from xsk_nb.stats import (
    _binomial_support,
    _check_n_bytes,
    _distinct_cdf,
    binomial_two_sided_p,
    max_shannon_entropy,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from xsk_nb.stats import KeyStats

#: Decimals the report shows and saves: the one home of this rule. Enough for a learner to
#: compare a value with its expectation; more would only make each report card a fingerprint
#: of its key (at full precision every one of 20,000 sampled 512-bit keys had its own card).
SHOWN_DECIMALS: dict[str, int] = {"shannon": 2, "distinct_bytes": 0, "p_value": 2}
#: The statistics a report shows, in order: every one counts in :func:`shown_information`.
SHOWN_STATISTICS: tuple[str, ...] = (
    "shannon",
    "distinct_bytes",
    "monobit",
    "runs",
    "block_frequency",
    "longest_run",
    "bit_positions",
)
#: Keys and seed of the simulation behind :func:`shown_information` (docs/statistics.md).
SHOWN_SIMULATION_KEYS = 20_000
SHOWN_SIMULATION_SEED = 20_260_114


#: What a report card's shown statistics tell about a random key, jointly at most, in whole bits
#: (the "jointly at most" column of docs/statistics.md, rounded up): kept as data because the
#: computation (:func:`shown_information`) takes seconds; tests/test_stats.py recomputes it.
SHOWN_INFORMATION_BITS: dict[int, int] = {512: 35, 1024: 37, 2048: 38, 4096: 38}


def shown_value(name: str, value: float | None) -> float | int | None:
    """``value`` of the statistic ``name`` as a report shows and saves it (SHOWN_DECIMALS).

    p-values and the Shannon entropy are rounded to 2 decimals, the distinct count is an int;
    a test that could not run (None or NaN) stays None.
    """
    if value is None or math.isnan(value):
        return None
    if name == "distinct_bytes":
        return int(value)
    if name not in SHOWN_STATISTICS:
        raise ValueError(
            f"name must be one of {one_of(SHOWN_STATISTICS)}; got {describe_rejected(name)}"
        )
    decimals = SHOWN_DECIMALS["shannon" if name == "shannon" else "p_value"]
    return round(float(value), decimals)


def shown_values(stats: KeyStats) -> dict[str, float | int | None]:
    """Every statistic of ``stats`` as a report shows and saves it, in SHOWN_STATISTICS order."""
    raw = {
        "shannon": stats.shannon.observed,
        "distinct_bytes": stats.distinct_bytes.observed,
        **{t.name: t.p_value for t in (*stats.tests, stats.bit_positions)},
    }
    return {name: shown_value(name, raw[name]) for name in SHOWN_STATISTICS}


def _entropy_bits(probabilities: Iterable[float]) -> float:
    return -math.fsum(p * math.log2(p) for p in probabilities if p > 0)


def _shown_distribution(pairs: Iterable[tuple[float | int | None, float]]) -> dict[Any, float]:
    out: dict[Any, float] = {}
    for value, probability in pairs:
        out[value] = out.get(value, 0.0) + probability
    return out


def _exact_shown_entropies(n_bytes: int) -> dict[str, float]:
    """Exact entropy (bits) of the shown monobit p, distinct count and bit-positions p."""
    n_bits = 8 * n_bytes
    whole = 2**n_bits
    monobit = _shown_distribution(
        (shown_value("monobit", math.erfc(abs(2 * k - n_bits) / math.sqrt(2 * n_bits))),
         math.comb(n_bits, k) / whole)
        for k in range(n_bits + 1)
    )  # fmt: skip
    cdf = _distinct_cdf(n_bytes)
    distinct = [cdf[0], *(cdf[d] - cdf[d - 1] for d in range(1, 257))]
    # Bit positions: 8 independent Binomial(n, 1/2) counts; P = min(1, 8 * smallest p_j).
    per_position = _shown_distribution(
        (binomial_two_sided_p(c, n_bytes, 0.5), math.comb(n_bytes, c) / 2**n_bytes)
        for c in range(n_bytes + 1)
    )
    levels = sorted(per_position)  # the values one p_j can take, ascending
    at_least, running = {}, 1.0
    for level in levels:  # P(p_j >= level)
        at_least[level] = running
        running -= per_position[level]
    smallest = {  # P(min_j p_j = level) = P(all >= level) - P(all > level)
        level: at_least[level] ** 8 - (at_least[level] - per_position[level]) ** 8
        for level in levels
    }
    positions = _shown_distribution(
        (shown_value("bit_positions", min(1.0, 8 * level)), p) for level, p in smallest.items()
    )
    return {
        "monobit": _entropy_bits(monobit.values()),
        "distinct_bytes": _entropy_bits(distinct),
        "bit_positions": _entropy_bits(positions.values()),
    }


@dataclass(frozen=True)
class ShownInformation:
    """How much the shown statistics of a random key tell about it, in bits (see docs)."""

    bits: int
    per_statistic: dict[str, float]  # entropy of each shown value = what it tells about the key
    exact: tuple[str, ...]  # statistics whose figure is exact; the others are simulated
    joint_at_most: float  # the sum of the per-statistic figures (an upper bound)
    joint_simulated: float  # plug-in entropy of the whole shown card over the simulated keys
    unique_cards: float  # share of simulated keys whose shown card no other key shared
    simulated_keys: int
    histogram_leak_bits: float  # a per-key byte histogram: 8n - E[log2(n! / prod c!)]
    histogram_leak_fraction: float


def byte_histogram_leak(n_bytes: int) -> float:
    """Exact mean bits a per-key byte histogram reveals about n uniform random bytes.

    Given the 256 counts c_v, the key is one of n! / prod(c_v!) equally likely orderings, so
    the histogram leaves log2(n! / prod c_v!) bits hidden and reveals 8n minus that. Each
    C_v ~ Binomial(n, 1/256), so E[log2 prod c_v!] = 256 E[log2 C!] exactly.
    """
    n = _check_n_bytes(n_bytes)
    log2_factorial = math.lgamma(n + 1) / math.log(2)
    mean_log2_counts = 256 * math.fsum(
        p * math.lgamma(c + 1) / math.log(2) for c, p in _binomial_support(n, 1 / 256)
    )
    return 8 * n - (log2_factorial - mean_log2_counts)


def shown_information(
    bits: int,
    *,
    n_keys: int = SHOWN_SIMULATION_KEYS,
    seed: int = SHOWN_SIMULATION_SEED,
) -> ShownInformation:
    """What a report card's shown statistics tell about a uniform random key of ``bits``.

    A shown value V is a function of the key K, so what it tells about the key is
    I(K; V) = H(V), the entropy of its distribution over random keys. Exact for the monobit
    p-value (Binomial(n, 1/2)), the distinct count (the occupancy law) and the bit-positions
    p-value (8 independent binomials); the Shannon entropy and the runs, block-frequency and
    longest-run p-values by the plug-in entropy of ``n_keys`` keys from a numpy Generator
    seeded with ``seed`` (needs numpy, the ``stats`` extra). Jointly: at most the sum, and at
    least about the plug-in entropy of the whole card over the simulated keys (a plug-in
    estimate is biased low, and cannot exceed log2(n_keys)).
    """
    from xsk_nb.batch import batch_stats, require_numpy  # numpy: only for this simulation

    np = require_numpy("shown_information")

    n_bytes = validate_bits(bits) // 8
    n_keys = positive_int(n_keys, "n_keys")
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 256, size=(n_keys, n_bytes), dtype=np.uint8)
    batch = batch_stats(matrix, rng=rng)
    position_ones = np.unpackbits(matrix[:, :, None], axis=2).sum(axis=1)  # keys x 8
    position_p = [binomial_two_sided_p(c, n_bytes, 0.5) for c in range(n_bytes + 1)]
    smallest = np.asarray(position_p)[position_ones].min(axis=1)
    columns = {
        "shannon": batch.shannon,
        "distinct_bytes": batch.distinct,
        "monobit": batch.monobit_p,
        "runs": batch.runs_p,
        "block_frequency": batch.block_frequency_p,
        "longest_run": batch.longest_run_p,
        "bit_positions": np.minimum(1.0, 8 * smallest),
    }
    shown = {
        name: [shown_value(name, float(v)) for v in columns[name]] for name in SHOWN_STATISTICS
    }

    def plug_in(values: Iterable[Any]) -> tuple[float, dict[Any, int]]:
        counts: dict[Any, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return _entropy_bits(c / n_keys for c in counts.values()), counts

    exact = _exact_shown_entropies(n_bytes)
    per_statistic = {
        name: exact[name] if name in exact else plug_in(shown[name])[0] for name in SHOWN_STATISTICS
    }
    joint, cards = plug_in(zip(*(shown[name] for name in SHOWN_STATISTICS), strict=True))
    leak = byte_histogram_leak(n_bytes)
    return ShownInformation(
        bits=8 * n_bytes,
        per_statistic=per_statistic,
        exact=tuple(name for name in SHOWN_STATISTICS if name in exact),
        joint_at_most=math.fsum(per_statistic.values()),
        joint_simulated=joint,
        unique_cards=sum(1 for c in cards.values() if c == 1) / n_keys,
        simulated_keys=n_keys,
        histogram_leak_bits=leak,
        histogram_leak_fraction=leak / (8 * n_bytes),
    )


# --- What a card's rounded statistics can tell about a key of any length ---------------------
#: Above this many bytes the exact entropy of the shown monobit p (a sum over 8n + 1 counts of
#: big binomials) gives way to the count of values it can show, a looser but exact bound.
_EXACT_SHOWN_MAX_BYTES = 512


def shown_information_bound(n_bytes: int) -> float:
    """An upper bound (bits) on what a card's rounded statistics tell, on average, about a
    uniform random key of ``n_bytes``, for any length from 1 byte: no simulation, no numpy.

    What the card shows is a function V of the key, so it tells I(K; V) = H(V) bits on
    average, and H(V) <= sum of H(V_i) over the shown values. Each H(V_i) is at most
    log2 of the number of values V_i can take: 101 for a p-value shown to 2 decimals, plus
    "n/a"; 100 * max + 1 for the entropy shown to 2 decimals on [0, max]. For the monobit p,
    the distinct count and the bit-positions P, H(V_i) is computed exactly from their laws
    (up to 512 bytes). Never more than the key's own 8 * n_bytes bits.
    """
    n = _check_n_bytes(n_bytes)
    return _shown_information_bound(n)


@lru_cache(maxsize=32)
def _shown_information_bound(n: int) -> float:
    p_value_levels = 10 ** SHOWN_DECIMALS["p_value"] + 2  # 0.00 .. 1.00, and "n/a"
    shannon_levels = int(max_shannon_entropy(n) * 10 ** SHOWN_DECIMALS["shannon"]) + 1
    bound = {name: math.log2(p_value_levels) for name in SHOWN_STATISTICS}
    bound["shannon"] = math.log2(shannon_levels)
    bound["distinct_bytes"] = math.log2(min(n, 256))
    if n <= _EXACT_SHOWN_MAX_BYTES:
        bound.update(_exact_shown_entropies(n))
    return min(float(8 * n), math.fsum(bound.values()))
