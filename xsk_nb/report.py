"""One report object that turns a key and its statistics into every display form.

``KeyReport`` is the single place that renders a key: plain text (also its ``repr``) and an
HTML card through ``_repr_mimebundle_``, and JSON through ``to_dict()``, so IPython, the panel,
the CLI and nbval see the same thing. One row model (:class:`CardRows`) feeds the text and the
HTML forms. Unless revealed, no form holds a single key character: ``k`` is shown as its length
and a session-local label (see :mod:`xsk_nb.masking`, the home of every masking wording).

The card's visual (where each statistic falls for a random key of this length) is HTML and CSS
built here with the standard library: it shows wherever the HTML shows (JupyterLab, Voilà, the
panel, JupyterLite, a saved notebook) and costs microseconds. Its styles use JupyterLab's theme
variables, with fallbacks, so the dark theme reads as well as the light one.
"""

from __future__ import annotations

import html
import json
import math
import weakref
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from xsk_nb.disclosure import SHOWN_DECIMALS, SHOWN_INFORMATION_BITS, shown_value
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.masking import (
    MASK_NOTES,
    REVEAL_WARNING,
    REVEAL_WARNINGS,
    check_view,
    current_view,
    key_label,
    masked,
)
from xsk_nb.strength import HmacFit, hmac_fits

if TYPE_CHECKING:
    from xsk_nb.nist import TestResult
    from xsk_nb.stats import KeyStats, Statistic

__all__ = ["REVEAL_WARNING", "KeyReport"]  # REVEAL_WARNING: masking's, re-exported for callers

# --- what is shown, and how precisely -------------------------------------------------------
# The rounding rule and the leak figures have one home: xsk_nb.disclosure (SHOWN_DECIMALS,
# shown_value, SHOWN_INFORMATION_BITS), where docs/statistics.md computes them.


def shown_text(name: str, value: float | None) -> str:
    """``value`` of statistic ``name`` printed as shown: rounded, its decimals kept ("7.60")."""
    rounded = shown_value(name, value)
    kind = name if name in SHOWN_DECIMALS else "p_value"
    return "n/a" if rounded is None else f"{rounded:.{SHOWN_DECIMALS[kind]}f}"


LEAK_NOTE = (
    "What this card shows carries at most about {bits} bits of information about the key (see "
    "docs/statistics.md): harmless against a key of {key_bits} random bits. A per-byte or "
    "per-bit picture would carry far more, so none is shown."
)
P_VALUE_NOTE = (
    "p-values: each test's chance that a random key looks at least this extreme. At "
    "{key_bits} bits these discrete tests give lumpy p-values, not every value in [0, 1] "
    "equally often: P(monobit p = 1) = {p_one:.1%} (Binomial({key_bits}, ½): exactly half "
    "the bits set). The verdict flags only p below {alpha:g}."
)
EFFECTIVE_BITS_NOTE = (
    "Effective bits: the HMAC key's effective strength against key recovery "
    "(SP 800-107 Rev. 1 §5.3.4), not resistance to forgery, which the tag length bounds."
)
HMAC_SOURCES = "RFC 7518 §3.2, RFC 2104, SP 800-107 Rev. 1"
DESIGN_ENTROPY = "Design entropy: {bits} bits from secrets, the operating system's CSPRNG"
FINE_PHRASE = "no gross defect found"
DEFECT_PHRASE = "gross defect found: draw another key"

#: How each SP 800-22 test is titled in a report.
TEST_TITLES = {
    "monobit": "monobit test (SP 800-22 §2.1)",
    "block_frequency": "block frequency test (§2.2)",
    "runs": "runs test (§2.3)",
    "longest_run": "longest run of ones test (§2.4)",
    "bit_positions": "bit positions test (8 positions)",
}
STAT_TITLES = {"shannon": "Shannon entropy (bits/byte)", "distinct_bytes": "distinct byte values"}


@lru_cache(maxsize=8)
def monobit_p_one(n_bits: int) -> float:
    """P(monobit p-value = 1) for ``n_bits`` random bits: exactly n/2 ones, C(n, n/2) / 2^n."""
    return math.comb(n_bits, n_bits // 2) / 2**n_bits if n_bits % 2 == 0 else 0.0


# --- the row model ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StatRow:
    """One statistic of the key: its label, its rounded value, and where a random key lands."""

    key: str  # "shannon", "distinct_bytes", "monobit", ...
    label: str
    value: float | int | None  # rounded by shown_value; None when the test could not run
    shown: str  # the value as printed ("5.74", "56", "p = 0.42", "n/a")
    expected: str  # what a random key of this length shows ("5.766 ± 0.077", "0 to 1")
    note: str  # a test's own note (e.g. a failed prerequisite), or ""
    low: float  # the visual's scale
    high: float
    bands: tuple[tuple[float, float], ...]  # shaded ranges on that scale, widest first
    rare: tuple[float, float] | None  # a range where a random key rarely lands (p < 0.01)


@dataclass(frozen=True)
class HmacRow:
    """One HMAC algorithm's fit, as a badge on the summary line and a row of the table."""

    alg: str
    minimum_bits: int
    effective_bits: int
    ok: bool
    badge: str  # "HS256 ✓ as is", "HS512 ✓ hashed first", "HS512 ✗ too short"
    summary: str


@dataclass(frozen=True)
class CardRows:
    """Everything a report says, once: the text and HTML forms only lay it out."""

    title: str  # "Secret key a1b2c3"
    sizes: tuple[str, str, str]  # "512 bits", "64 bytes", "86 base64url characters"
    verdict_phrase: str
    verdict: str
    gross_defect: bool
    jwk: dict[str, Any]  # as shown: k masked unless revealed
    notice: str  # the mask note or the reveal warning
    design_entropy: str
    stats: tuple[StatRow, ...]
    p_note: str
    leak_note: str
    hmac: tuple[HmacRow, ...]


# The key lives here, not in the report's instance __dict__ (vars(report) must not show it).
_KEYS: weakref.WeakKeyDictionary[KeyReport, dict[str, Any]] = weakref.WeakKeyDictionary()


class KeyReport:
    """A secret key with its statistics and HMAC fit, displayed masked unless revealed.

    ``view`` picks the wording ("notebook", "app" or "terminal", see :mod:`xsk_nb.masking`);
    by default it is detected where the report is made. ``plot=False`` leaves the visual out.
    """

    def __init__(
        self,
        jwk: dict[str, Any],
        *,
        revealed: bool = False,
        plot: bool = True,
        view: str | None = None,
    ) -> None:
        self.bits = 8 * len(key_bytes(jwk))  # validates kty and k without showing them
        _KEYS[self] = dict(jwk)
        self.label = key_label(jwk["k"])  # a session-local label, not the key
        self.revealed = bool(revealed)
        self.plot = bool(plot)
        self.view = current_view() if view is None else check_view(view)

    @classmethod
    def generate(
        cls,
        bits: int,
        format: str = "object",
        *,
        plot: bool = True,
        view: str | None = None,
        **members: Any,
    ) -> KeyReport:
        """Create a key with :func:`xsk_nb.create_secret_key` and wrap it in a report."""
        return cls(create_secret_key(bits, format, **members), plot=plot, view=view)

    # --- explicit access to the secret -------------------------------------------------
    def jwk(self) -> dict[str, Any]:
        """The full JWK, key included (an explicit call: nothing displays it for you)."""
        return dict(_KEYS[self])

    def reveal(self) -> KeyReport:
        """A report of the same key whose every display form shows the full key."""
        return self._twin(revealed=True)

    def in_view(self, view: str) -> KeyReport:
        """The same report worded for ``view`` ("notebook", "app" or "terminal")."""
        return self._twin(revealed=self.revealed, view=check_view(view))

    def _twin(self, *, revealed: bool, view: str | None = None) -> KeyReport:
        twin = KeyReport(_KEYS[self], revealed=revealed, plot=self.plot, view=view or self.view)
        if "stats" in self.__dict__:  # reuse statistics already computed
            twin.stats = self.stats
        return twin

    # --- derived facts ------------------------------------------------------------------
    @cached_property
    def stats(self) -> KeyStats:
        from xsk_nb.stats import key_stats

        return key_stats(_KEYS[self])

    @property
    def hmac(self) -> tuple[HmacFit, ...]:
        return hmac_fits(self.bits)

    def shown_jwk(self) -> dict[str, Any]:
        """The JWK as displayed: ``k`` masked unless this report is revealed."""
        shown = dict(_KEYS[self])
        if not self.revealed:
            shown["k"] = masked(shown["k"])
        return shown

    def rows(self) -> CardRows:
        """The row model every display form is laid out from."""
        s = self.stats
        stat_rows = [_stat_row(name, getattr(s, name)) for name in ("shannon", "distinct_bytes")]
        stat_rows += [_test_row(getattr(s, name)) for name in TEST_TITLES]  # SP 800-22's, then ours
        leak = LEAK_NOTE.format(bits=SHOWN_INFORMATION_BITS[s.n_bits], key_bits=s.n_bits)
        return CardRows(
            title=f"Secret key {self.label}",
            sizes=(
                f"{s.n_bits} bits",
                f"{s.n_bytes} bytes",
                f"{s.b64url_length} base64url characters",
            ),
            verdict_phrase=DEFECT_PHRASE if s.gross_defect else FINE_PHRASE,
            verdict=s.verdict,
            gross_defect=s.gross_defect,
            jwk=self.shown_jwk(),
            notice=(REVEAL_WARNINGS if self.revealed else MASK_NOTES)[self.view],
            design_entropy=DESIGN_ENTROPY.format(bits=s.design_entropy_bits),
            stats=tuple(stat_rows),
            p_note=P_VALUE_NOTE.format(
                key_bits=s.n_bits, p_one=monobit_p_one(s.n_bits), alpha=s.alpha
            ),
            leak_note=leak,
            hmac=tuple(_hmac_row(fit) for fit in self.hmac),
        )

    # --- display forms ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the CLI's ``--json``; masked unless revealed; values as shown)."""
        rows = self.rows()
        s = self.stats
        return {
            "jwk": rows.jwk,
            "revealed": self.revealed,
            "label": self.label,
            "bits": s.n_bits,
            "bytes": s.n_bytes,
            "base64url_length": s.b64url_length,
            "stats": {row.key: row.value for row in rows.stats},
            "verdict": rows.verdict,
            "gross_defect": rows.gross_defect,
            "hmac": [_fit_dict(fit) for fit in self.hmac],
        }

    def to_text(self) -> str:
        rows = self.rows()
        badges = "  ".join(f"[{h.badge}]" for h in rows.hmac)
        lines = [
            f"{rows.title}: " + ", ".join(rows.sizes),
            f"HMAC fit: {badges}   Verdict: {rows.verdict_phrase}",
            "JWK: " + json.dumps(rows.jwk, ensure_ascii=False),
            ("WARNING: " if self.revealed else "") + rows.notice,
            "",
            f"Statistics, rounded as shown. {rows.design_entropy}.",
        ]
        table = [("statistic", "this key", "random key")]
        table += [(r.label, r.shown, r.expected) for r in rows.stats]
        lines += _text_table(table, right=(1, 2))
        lines += [f"  {r.label}: {r.note}" for r in rows.stats if r.note]
        lines += [rows.p_note, f"Verdict: {rows.verdict}", rows.leak_note, ""]
        lines.append(f"HMAC fit ({HMAC_SOURCES}):")
        table = [("alg", "minimum bits", "effective bits", "what HMAC does with this key")]
        table += [(h.alg, str(h.minimum_bits), str(h.effective_bits), h.summary) for h in rows.hmac]
        lines += _text_table(table, right=(1, 2))
        lines.append(EFFECTIVE_BITS_NOTE)
        return "\n".join(lines)

    def to_html(self) -> str:
        rows = self.rows()
        e = html.escape
        s = self.stats
        k_class = "xsk-revealed-k" if self.revealed else "xsk-masked-k"
        members = ", ".join(
            f'"{e(name)}": "<span class="{k_class}">{e(str(value))}</span>"'
            if name == "k"
            else f'"{e(name)}": "{e(str(value))}"'
            for name, value in rows.jwk.items()
        )
        notice = (
            f'<p class="xsk-reveal-warning" role="alert">⚠ {e(rows.notice)}</p>'
            if self.revealed
            else f'<p class="xsk-mask-note">{e(rows.notice)}</p>'
        )
        badges = "".join(
            f'<span class="xsk-badge {"xsk-ok" if h.ok else "xsk-bad"}" '
            f'title="{e(h.summary)}">{e(h.badge)}</span>'
            for h in rows.hmac
        )
        verdict_class = "xsk-bad" if rows.gross_defect else "xsk-ok"
        stat_rows = "".join(
            f'<tr><th scope="row">{e(r.label)}</th><td class="xsk-num">{e(r.shown)}</td>'
            f'<td class="xsk-num">{e(r.expected)}</td></tr>'
            + (f'<tr><td colspan="3" class="xsk-row-note">{e(r.note)}</td></tr>' if r.note else "")
            for r in rows.stats
        )
        hmac_rows = "".join(
            f'<tr><th scope="row">{h.alg}</th><td class="xsk-num">{h.minimum_bits}</td>'
            f'<td class="xsk-num">{h.effective_bits}</td><td>{e(h.summary)}</td></tr>'
            for h in rows.hmac
        )
        visual = _visual_html(rows.stats, s.n_bits) if self.plot else ""
        return (
            f'<div class="xsk-report-card" data-bits="{s.n_bits}" data-bytes="{s.n_bytes}">'
            f"<style>{CARD_CSS}</style>"
            f'<div class="xsk-summary"><b class="xsk-title">{e(rows.title)}</b> '
            + " ".join(f'<span class="xsk-size">{e(size)}</span>' for size in rows.sizes)
            + f' <span class="xsk-badges">{badges}</span> '
            f'<span class="xsk-verdict-phrase {verdict_class}">{e(rows.verdict_phrase)}</span>'
            f"</div>"
            f'<p class="xsk-jwk"><code>{{{members}}}</code></p>{notice}{visual}'
            f'<details class="xsk-details"><summary>Statistics, verdict and HMAC fit</summary>'
            f"<p>{e(rows.design_entropy)}.</p>"
            f'<table class="xsk-stats"><thead><tr><th scope="col">statistic</th>'
            f'<th scope="col" class="xsk-num">this key</th>'
            f'<th scope="col" class="xsk-num">random key</th></tr></thead>'
            f"<tbody>{stat_rows}</tbody></table>"
            f'<p class="xsk-p-note">{e(rows.p_note)}</p>'
            f'<p class="xsk-verdict">Verdict: {e(rows.verdict)}</p>'
            f'<p class="xsk-leak-note">{e(rows.leak_note)}</p>'
            f'<table class="xsk-hmac"><caption>HMAC fit ({HMAC_SOURCES})</caption><thead><tr>'
            f'<th scope="col">alg</th><th scope="col" class="xsk-num">minimum bits</th>'
            f'<th scope="col" class="xsk-num">effective bits</th>'
            f'<th scope="col">what HMAC does with this key</th></tr></thead>'
            f"<tbody>{hmac_rows}</tbody></table>"
            f'<p class="xsk-effective-note">{e(EFFECTIVE_BITS_NOTE)}</p>'
            f"</details></div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # No application/json here: JupyterLab ranks its JSON tree above HTML and would show a
        # tree instead of the report card. The JSON form is to_dict() (and the CLI's --json).
        return {"text/plain": self.to_text(), "text/html": self.to_html()}

    def __repr__(self) -> str:
        return self.to_text()

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a KeyReport holds a secret and is not picklable; use .jwk() explicitly")


# --- rows -------------------------------------------------------------------------------------
def _stat_row(key: str, stat: Statistic) -> StatRow:
    value = shown_value(key, stat.observed)
    shown = shown_text(key, stat.observed)
    places = 3 if key == "shannon" else 1
    low = stat.expected - 4 * stat.sd
    high = min(stat.expected + 4 * stat.sd, stat.maximum)
    bands = tuple(
        (stat.expected - width * stat.sd, stat.expected + width * stat.sd) for width in (3, 2, 1)
    )
    return StatRow(
        key=key,
        label=STAT_TITLES[key],
        value=value,
        shown=shown,
        expected=f"{stat.expected:.{places}f} ± {stat.sd:.{places}f}",
        note="",
        low=low,
        high=high,
        bands=bands,
        rare=None,
    )


def _test_row(test: TestResult) -> StatRow:
    value = shown_value(test.name, test.p_value)
    shown = "n/a" if value is None else f"p = {shown_text(test.name, test.p_value)}"
    return StatRow(
        key=test.name,
        label=TEST_TITLES.get(test.name, test.name),
        value=value,
        shown=shown,
        expected="p from 0 to 1",
        note=test.note,
        low=0.0,
        high=1.0,
        bands=(),
        rare=(0.0, 0.01),
    )


def _hmac_row(fit: HmacFit) -> HmacRow:
    if not fit.meets_minimum:
        state = "✗ too short"
    elif fit.hashed_first:
        state = "✓ hashed first"
    else:
        state = "✓ as is"
    return HmacRow(
        alg=fit.alg,
        minimum_bits=fit.minimum_bits,
        effective_bits=fit.effective_bits,
        ok=fit.meets_minimum,
        badge=f"{fit.alg} {state}",
        summary=fit.summary,
    )


def _fit_dict(fit: HmacFit) -> dict[str, Any]:
    return {
        "alg": fit.alg,
        "minimum_bits": fit.minimum_bits,
        "meets_minimum": fit.meets_minimum,
        "hashed_first": fit.hashed_first,
        "effective_bits": fit.effective_bits,
        "summary": fit.summary,
    }


def _text_table(rows: list[tuple[str, ...]], right: tuple[int, ...]) -> list[str]:
    """Rows as aligned columns: labels left, the columns in ``right`` right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


# --- the visual ---------------------------------------------------------------------------------
def _percent(value: float, low: float, high: float) -> float:
    """Where ``value`` sits on [low, high], in percent, clamped, to 0.1 (no finer than shown)."""
    if high <= low:
        return 50.0
    return round(min(max((value - low) / (high - low), 0.0), 1.0) * 100, 1)


def _visual_html(rows: tuple[StatRow, ...], n_bits: int) -> str:
    """One line per statistic: the range a random key lands in, and this key's rounded value.

    Scalars only, positioned from the rounded values the card prints: no per-byte or per-bit
    picture (it would leak the key), and no position finer than the printed number.
    """
    lines = []
    for row in rows:
        marks = []
        for band_low, band_high in row.bands:
            left = _percent(band_low, row.low, row.high)
            width = round(_percent(band_high, row.low, row.high) - left, 1)
            marks.append(f'<span class="xsk-band" style="left:{left}%;width:{width}%"></span>')
        if row.rare is not None:
            left = _percent(row.rare[0], row.low, row.high)
            width = round(_percent(row.rare[1], row.low, row.high) - left, 1)
            marks.append(f'<span class="xsk-rare" style="left:{left}%;width:{width}%"></span>')
        if row.value is not None:
            at = _percent(float(row.value), row.low, row.high)
            marks.append(f'<span class="xsk-marker" style="left:{at}%"></span>')
        lines.append(
            f'<div class="xsk-vrow"><span class="xsk-vlabel">{html.escape(row.label)}</span>'
            f'<span class="xsk-track" aria-hidden="true">{"".join(marks)}</span>'
            f'<span class="xsk-vvalue">{html.escape(row.shown)}</span></div>'
        )
    caption = (
        f"Where this key falls against a random {n_bits}-bit key: shaded, 1, 2 and 3 standard "
        "deviations around the mean, or for p-values the rarest 1%; the mark is this key."
    )
    return (
        f'<figure class="xsk-visual"><figcaption>{html.escape(caption)}</figcaption>'
        f"{''.join(lines)}</figure>"
    )


#: The card's styles: scoped to .xsk-report-card, colours from JupyterLab's theme variables
#: (with light fallbacks for pages without them), so light and dark themes both read well.
CARD_CSS = """
.xsk-report-card{color:var(--jp-content-font-color1,#1f1f1f);
background:var(--jp-layout-color1,#fff);border:1px solid var(--jp-border-color2,#d0d0d0);
border-radius:4px;padding:6px 10px;margin:2px 0;max-width:100%;box-sizing:border-box;
font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:13px;line-height:1.45;
text-align:left;min-width:0}
.xsk-report-card p{margin:4px 0;text-align:left}
.xsk-report-card .xsk-summary{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.xsk-report-card .xsk-size{white-space:nowrap}
.xsk-report-card .xsk-badges{display:inline-flex;flex-wrap:wrap;gap:4px}
.xsk-report-card .xsk-badge,.xsk-report-card .xsk-verdict-phrase{display:inline-block;
border:1px solid var(--jp-border-color1,#999);border-radius:3px;padding:0 5px;
font-size:12px;white-space:nowrap}
.xsk-report-card .xsk-ok{border-color:var(--jp-success-color1,#2e7d32)}
.xsk-report-card .xsk-bad{border-color:var(--jp-error-color1,#c62828);font-weight:bold}
.xsk-report-card .xsk-jwk code{display:block;white-space:pre-wrap;overflow-wrap:anywhere;
word-break:break-all;font-family:var(--jp-code-font-family,monospace);font-size:12px;
background:var(--jp-layout-color2,#f3f3f3);color:inherit;padding:3px 5px;border-radius:3px}
.xsk-report-card .xsk-revealed-k{user-select:all;-webkit-user-select:all;
overflow-wrap:anywhere;word-break:break-all;outline:1px dashed var(--jp-warn-color1,#b26b00)}
.xsk-report-card .xsk-mask-note{color:var(--jp-content-font-color2,#4a4a4a);font-size:12px}
.xsk-report-card .xsk-reveal-warning{font-weight:bold;border-left:4px solid
var(--jp-error-color1,#c62828);padding-left:6px}
.xsk-report-card .xsk-visual{margin:6px 0;padding:0;max-width:52em}
.xsk-report-card figcaption{font-size:11px;color:var(--jp-content-font-color2,#4a4a4a)}
.xsk-report-card .xsk-vrow{display:grid;grid-template-columns:minmax(0,14em) minmax(4em,1fr)
4.5em;gap:8px;align-items:center;font-size:12px}
.xsk-report-card .xsk-vlabel{overflow-wrap:anywhere}
.xsk-report-card .xsk-vvalue{text-align:right;font-variant-numeric:tabular-nums}
.xsk-report-card .xsk-track{position:relative;height:10px;border-radius:2px;
background:var(--jp-layout-color2,#eee);border:1px solid var(--jp-border-color2,#d0d0d0)}
.xsk-report-card .xsk-band,.xsk-report-card .xsk-rare,.xsk-report-card .xsk-marker{
position:absolute;top:0;bottom:0}
.xsk-report-card .xsk-band{background:var(--jp-brand-color1,#1976d2);opacity:.22}
.xsk-report-card .xsk-rare{background:var(--jp-error-color1,#c62828);opacity:.35}
.xsk-report-card .xsk-marker{width:3px;margin-left:-1px;
background:var(--jp-content-font-color0,#000)}
.xsk-report-card details summary{cursor:pointer;font-weight:bold;margin:4px 0}
.xsk-report-card table{border-collapse:collapse;table-layout:auto;margin:4px 0;
font-size:12px;max-width:100%;color:inherit;background:transparent}
.xsk-report-card table th,.xsk-report-card table td{padding:2px 8px;text-align:left;
border:none;border-bottom:1px solid var(--jp-border-color2,#d0d0d0);vertical-align:top;
background:transparent;color:inherit}
.xsk-report-card table .xsk-num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
.xsk-report-card table th[scope=row]{font-weight:normal}
.xsk-report-card caption{text-align:left;font-weight:bold;padding:4px 0;color:inherit}
.xsk-report-card .xsk-row-note,.xsk-report-card .xsk-p-note,.xsk-report-card .xsk-leak-note,
.xsk-report-card .xsk-effective-note{font-size:12px;color:var(--jp-content-font-color2,#4a4a4a)}
"""
CARD_CSS = " ".join(CARD_CSS.split())
