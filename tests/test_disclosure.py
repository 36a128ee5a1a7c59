"""xsk_nb.disclosure: what a report card shows (the rounding rule) and what that tells about
the key, each figure of docs/statistics.md recomputed.

The recomputation (shown_information for 4 sizes x 20,000 keys) takes seconds: the tests that
need it are marked ``slow`` and share one module-scoped fixture, so it runs once per session
(``-m "not slow"`` leaves them out of a quick loop; ``make test`` runs them). Its result is kept
in pytest's cache under a digest of every source it depends on (the statistics modules, the
Python and numpy versions), so a later run recomputes it only after one of them changed;
``pytest --cache-clear`` (or ``-p no:cacheprovider``) recomputes it regardless. The simulation
is seeded, so a recomputation gives the same figures.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from xsk_nb.disclosure import (
    SHOWN_DECIMALS,
    SHOWN_INFORMATION_BITS,
    SHOWN_STATISTICS,
    ShownInformation,
    byte_histogram_leak,
    shown_information,
    shown_value,
    shown_values,
)
from xsk_nb.keygen import create_secret_key
from xsk_nb.stats import LEAKS_DISTINCT, LEAKS_SHANNON, binomial_two_sided_p, key_stats

DOCS = Path(__file__).resolve().parent.parent / "docs" / "statistics.md"

#: What shown_information's figures depend on: these modules' sources and the versions.
_SOURCES = ("contract", "nist", "stats", "batch", "disclosure")


def _inputs_digest() -> str:
    digest = hashlib.sha256(f"{sys.version}|numpy {np.__version__}".encode())
    for name in _SOURCES:
        digest.update((DOCS.parent.parent / "xsk_nb" / f"{name}.py").read_bytes())
    return digest.hexdigest()[:24]


@pytest.fixture(scope="module")
def shown_by_size(request: pytest.FixtureRequest) -> dict[int, ShownInformation]:
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    key = f"xsk_nb/shown_information/{_inputs_digest()}"
    stored = cache.get(key, None) if cache is not None else None
    if stored is not None:
        return {
            int(bits): ShownInformation(**{**fields, "exact": tuple(fields["exact"])})
            for bits, fields in stored.items()
        }
    computed = {bits: shown_information(bits) for bits in (512, 1024, 2048, 4096)}
    if cache is not None:
        cache.set(key, {str(b): dataclasses.asdict(i) for b, i in computed.items()})
    return computed


def test_the_cached_figures_are_the_computation() -> None:
    # What the cache stores and gives back is the dataclass itself, float for float.
    info = shown_information(512, n_keys=200)
    fields = dataclasses.asdict(info)
    back = json.loads(json.dumps(fields))
    assert ShownInformation(**{**back, "exact": tuple(back["exact"])}) == info


@pytest.mark.slow
def test_the_docs_leak_table_is_the_computation(shown_by_size: dict) -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## What the shown statistics tell about the key", 1)[1]
    rows = [line for line in section.splitlines() if re.match(r"\| \d{3,4} \|", line)]
    assert [int(row.split("|")[1]) for row in rows] == [512, 1024, 2048, 4096]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        info = shown_by_size[int(cells[0])]
        expected = [f"{info.per_statistic[name]:.1f}" for name in SHOWN_STATISTICS]
        expected += [
            f"{info.joint_at_most:.1f}",
            f"{100 * info.unique_cards:.2f}%",
            f"{info.histogram_leak_bits:.1f} bits ({100 * info.histogram_leak_fraction:.1f}%)",
        ]
        assert cells[1:] == expected, cells[0]
    # The figures the issue measured for a byte histogram: 44%, 33%, 23%, 15% (rounded).
    shares = [round(100 * shown_by_size[b].histogram_leak_fraction) for b in sorted(shown_by_size)]
    assert shares == [44, 33, 23, 15]
    assert "leak at most a few bits" not in text and "would leak most of the key" not in text
    unique = f"{100 * shown_by_size[512].unique_cards:.2f}% of the 20,000 simulated 512-bit cards"
    assert unique in " ".join(text.split())


@pytest.mark.slow
def test_the_leak_sentences_state_the_computed_ranges(shown_by_size: dict) -> None:
    for name, sentence in (("shannon", LEAKS_SHANNON), ("distinct_bytes", LEAKS_DISTINCT)):
        figures = [round(info.per_statistic[name], 1) for info in shown_by_size.values()]
        assert f"tells on average {min(figures)} to {max(figures)} bits" in sentence, name
        shares = [round(100 * i.histogram_leak_fraction) for i in shown_by_size.values()]
        assert f"{min(shares)}-{max(shares)}%" in sentence


@pytest.mark.slow
def test_the_exact_figures_agree_with_a_seeded_simulation(shown_by_size: dict) -> None:
    # Plug-in entropy of 20,000 simulated shown values, for the three exact figures at 512
    # bits: its sd is about 0.01 bit and its bias below 0.01, so 0.06 is over 5 sd.
    rng = np.random.default_rng(11)
    keys = rng.integers(0, 256, size=(20_000, 64), dtype=np.uint8)
    ones = np.unpackbits(keys, axis=1).sum(axis=1)
    positions = np.unpackbits(keys[:, :, None], axis=2).sum(axis=1)
    table = [binomial_two_sided_p(c, 64, 0.5) for c in range(65)]
    simulated = {
        "monobit": [math.erfc(abs(2 * int(k) - 512) / 32) for k in ones],
        "distinct_bytes": [len(set(row.tobytes())) for row in keys],
        "bit_positions": [min(1.0, 8 * min(table[c] for c in row)) for row in positions],
    }
    for name, values in simulated.items():
        shown = [shown_value(name, v) for v in values]
        counts = np.unique(np.asarray(shown, dtype=float), return_counts=True)[1] / len(shown)
        plug_in = float(-(counts * np.log2(counts)).sum())
        assert plug_in == pytest.approx(shown_by_size[512].per_statistic[name], abs=0.06), name
    assert shown_by_size[512].exact == ("distinct_bytes", "monobit", "bit_positions")


def test_byte_histogram_leak_is_exact_for_tiny_keys() -> None:
    # One byte: its histogram is the byte itself (8 bits). Two bytes: the histogram leaves
    # 1 bit (which came first) unless both are equal (probability 1/256): 16 - 255/256.
    assert byte_histogram_leak(1) == pytest.approx(8.0, abs=1e-12)
    assert byte_histogram_leak(2) == pytest.approx(16 - 255 / 256, abs=1e-12)


def test_shown_values_round_as_the_report_shows() -> None:
    assert SHOWN_DECIMALS == {"shannon": 2, "distinct_bytes": 0, "p_value": 2}
    stats = key_stats(create_secret_key(512))
    shown = shown_values(stats)
    assert list(shown) == list(SHOWN_STATISTICS)
    assert shown["shannon"] == round(stats.shannon.observed, 2)
    assert shown["distinct_bytes"] == int(stats.distinct_bytes.observed)
    assert isinstance(shown["distinct_bytes"], int)
    assert shown["monobit"] == round(stats.monobit.p_value, 2)
    assert shown_value("runs", None) is None and shown_value("runs", math.nan) is None
    with pytest.raises(ValueError, match="name must be one of shannon, distinct_bytes"):
        shown_value("k", 0.5)




@pytest.mark.slow
def test_the_report_cards_leak_figure_is_the_computation(shown_by_size: dict) -> None:
    """The card's "at most about N bits" is the docs' "jointly at most", rounded up."""
    for bits, info in shown_by_size.items():
        assert SHOWN_INFORMATION_BITS[bits] == math.ceil(info.joint_at_most), bits
