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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from xsk_nb.disclosure import (
    SHOWN_DECIMALS,
    SHOWN_INFORMATION_BITS,
    shown_information_bound,
    shown_value,
)
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.masking import (
    MASK_NOTES,
    NOT_SHOWN_UNSHOWABLE,
    PLACEHOLDER_RUN,
    REVEAL_WARNING,
    REVEAL_WARNINGS,
    check_view,
    current_view,
    key_label,
    masked,
    revealed_metadata,
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


#: What the card's rounded statistics tell about the key: an average over random keys (the
#: mutual information), not a bound for each card (the statistics review, wave 2, D3).
LEAK_NOTE = (
    "Averaged over random keys of {key_bits} bits, the rounded statistics on a card tell at "
    "most about {bits} bits about the key ({how}). One card can tell more, and the card of a "
    "key far from random (all zeros, text) can give the key away. A per-byte or per-bit "
    "picture would tell far more, so none is shown."
)
LEAK_NOTE_TINY = (
    "A key this short can be told apart by its card: the rounded statistics can tell as much "
    "as all {key_bits} of its bits ({how}). A per-byte or per-bit picture is not shown."
)
LEAK_HOW_TABLE = "computed in docs/statistics.md"
LEAK_HOW_BOUND = "the sum of what each shown value can tell, computed for this length"
LEAK_NOT_RANDOM = "This key is far from random, so that average does not apply to its card."
#: p-values (statistics review D5, teaching review W12): the four SP 800-22 tests' formulas
#: (erfc for monobit and runs, igamc for block frequency and longest run) are asymptotic
#: approximations of the chance: at 512 bits monobit |S| = 2 prints 0.930 where the exact chance
#: is 0.965 (tests/test_report.py), and in the far tail the review measured the longest-run
#: chance at up to 4.5 times the printed p. The bit
#: positions P = min(1, 8 * smallest exact binomial p) is a Bonferroni upper bound on the chance:
#: the exact chance is 1 - (1 - q)^8 <= 8q (stats.bit_positions_false_alarm; tests/test_report.py).
P_VALUE_NOTE = (
    "p-values: the four SP 800-22 tests' formulas (erfc for monobit and runs, igamc for block "
    "frequency and longest run) are asymptotic approximations of each test's chance that a "
    "random key looks at least this extreme; at these lengths they can be off by a few "
    "hundredths, and by several times in the far tail. The bit positions p is a Bonferroni "
    "upper bound on that chance (8 times the smallest of 8 exact binomial p-values), not the "
    "chance itself. At "
    "{key_bits} bits these discrete tests give lumpy p-values, not every value in [0, 1] "
    "equally often: P(monobit p = 1) = {p_one:.1%} (Binomial({key_bits}, ½): exactly half "
    "the bits set). The verdict flags only p below {alpha:g}."
)
EFFECTIVE_BITS_NOTE = (
    "Effective bits: the HMAC key's effective strength against key recovery "
    "(SP 800-107 Rev. 1 §5.3.4), not resistance to forgery: a guessed tag is bounded by the "
    "tag length, and the generic internal-collision forgery needs about 2^(n/2) tagged "
    "messages for an n-bit hash, 2^128 for HS256 (RFC 2104 §6)."
)
HMAC_SOURCES = "RFC 7518 §3.2, RFC 2104, SP 800-107 Rev. 1"
#: Said only of a key this kit drew (KeyReport.generate, the panel, the magic with
#: ``drawn_with_secrets=True``); a JWK from elsewhere gets DESIGN_ENTROPY_UNKNOWN (D4).
#: secrets reads os.urandom (Python's secrets and os.urandom docs): the operating system's CSPRNG,
#: or in the browser-only (Pyodide) site the browser's crypto.getRandomValues, which Emscripten's
#: getentropy calls; a CSPRNG in both places (teaching review W13).
DESIGN_ENTROPY = (
    "Design entropy: {bits} bits, drawn by xsk-nb from secrets, a CSPRNG (the operating "
    "system's; in the browser-only site, the browser's crypto.getRandomValues)"
)
DESIGN_ENTROPY_UNKNOWN = (
    "Design entropy: unknown to this card, which did not draw the key: a key's entropy is that "
    "of the generator that made it, and no statistic can measure it"
)
FINE_PHRASE = "passes every check"
DEFECT_PHRASE = "fails a check: draw another key"

# --- the card's first line: what a student should conclude -------------------------------------
CONCLUDE_DEFECT = (
    "Do not use this key: it fails a check that a random key fails with probability at most "
    "about {bound:.1g}, so treat it as not random. Draw a new key."
)
#: The same for a length whose false-alarm rate was not computed (only 512-4096 bits were).
CONCLUDE_DEFECT_OTHER = (
    "Do not use this key: it fails a check that random keys rarely fail, so treat it as not "
    "random. Draw a new key."
)
#: The sizes whose verdict false-alarm total was computed exactly (statistics review, wave 2).
VERDICT_RATE_COMPUTED_BITS = (512, 1024, 2048, 4096)
CONCLUDE_TOO_SHORT = (
    "Too short to sign with: {bits} bits is under the {minimum} bits RFC 7518 §3.2 requires "
    "for {alg}, the smallest HMAC. Draw a key of at least 512 bits."
)
CONCLUDE_USABLE = "Usable for {usable}: long enough, and no check found a defect."
CONCLUDE_NOT_FOR = " Too short for {short}."
CONCLUDE_HASHED = (
    " HMAC hashes a key this long first for {algs}, so there a 512-bit key is at least as "
    "strong."
)
#: The visual's red band (H7): says what red means without a frequency it cannot pin.
VISUAL_CAPTION = (
    "Where this key falls against a random {n_bits}-bit key: shaded, 1, 2 and 3 standard "
    "deviations around the mean; for p-values, red marks p below 0.01. A random key lands in "
    "the red now and then, so red alone is no defect: only p below {alpha:g} counts as one. "
    "The mark is this key."
)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def conclusion(stats: KeyStats, fits: tuple[HmacFit, ...]) -> str:
    """The card's first line: the one thing a student should take from it."""
    from xsk_nb.stats import VERDICT_CHECKS

    if stats.gross_defect:
        if stats.n_bits not in VERDICT_RATE_COMPUTED_BITS:
            return CONCLUDE_DEFECT_OTHER
        return CONCLUDE_DEFECT.format(bound=min(1.0, len(VERDICT_CHECKS) * stats.alpha))
    usable = [fit for fit in fits if fit.meets_minimum]
    if not usable:
        first = fits[0]
        return CONCLUDE_TOO_SHORT.format(bits=stats.n_bits, minimum=first.minimum_bits,
                                         alg=first.alg)  # fmt: skip
    text = CONCLUDE_USABLE.format(usable=_and([fit.alg for fit in usable]))
    short = [fit.alg for fit in fits if not fit.meets_minimum]
    if short:
        text += CONCLUDE_NOT_FOR.format(short=_and(short))
    hashed = [fit.alg for fit in usable if fit.hashed_first]
    if hashed:
        text += CONCLUDE_HASHED.format(algs=_and(hashed))
    return text


def leak_note(stats: KeyStats) -> str:
    """What the card's shown statistics tell about the key, for its length (any length)."""
    bits = SHOWN_INFORMATION_BITS.get(stats.n_bits)
    how = LEAK_HOW_TABLE
    if bits is None:
        bits, how = math.ceil(shown_information_bound(stats.n_bytes)), LEAK_HOW_BOUND
    if bits >= stats.n_bits:
        return LEAK_NOTE_TINY.format(key_bits=stats.n_bits, how=how)
    text = LEAK_NOTE.format(bits=bits, key_bits=stats.n_bits, how=how)
    return f"{text} {LEAK_NOT_RANDOM}" if stats.gross_defect else text


#: How each SP 800-22 test is titled in a report.
TEST_TITLES = {
    "monobit": "monobit test (SP 800-22 §2.1)",
    "block_frequency": "block frequency test (§2.2)",
    "runs": "runs test (§2.3)",
    "longest_run": "longest run of ones test (§2.4)",
    "bit_positions": "bit positions test (8 positions)",
}
STAT_TITLES = {"shannon": "Shannon entropy (bits/byte)", "distinct_bytes": "distinct byte values"}


@lru_cache(maxsize=32)
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
    badge: str  # "HS256 ✓ as is", "HS256 ✓ hashed to 256 bits", "HS512 ✗ too short"
    summary: str
    css: str  # "xsk-ok", "xsk-neutral" (hashed first: no gain) or "xsk-bad"


@dataclass(frozen=True)
class CardRows:
    """Everything a report says, once: the text and HTML forms only lay it out."""

    conclusion: str  # the first line: what a student should conclude
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
    ``drawn_with_secrets=True`` says the kit drew the key (:meth:`generate` sets it): only then
    does the card state a design entropy. Any oct JWK from 1 byte up is reported.
    """

    def __init__(
        self,
        jwk: dict[str, Any],
        *,
        revealed: bool = False,
        plot: bool = True,
        view: str | None = None,
        drawn_with_secrets: bool = False,
    ) -> None:
        raw = key_bytes(jwk)  # validates kty and k without showing them
        if not raw:
            raise ValueError("the JWK's k holds no bytes; a key needs at least 1 byte")
        self.bits = 8 * len(raw)
        _KEYS[self] = dict(jwk)
        self.label = key_label(jwk["k"])  # a session-local label, not the key
        self.revealed = bool(revealed)
        self.plot = bool(plot)
        self.view = current_view() if view is None else check_view(view)
        self.drawn_with_secrets = bool(drawn_with_secrets)
        self.reveal_warning: str | None = None  # a caller's own warning (the panel's Reveal)
        self.mask_note: str | None = None  # a caller's own mask note (inspect has no --reveal)

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
        jwk = create_secret_key(bits, format, **members)
        return cls(jwk, plot=plot, view=view, drawn_with_secrets=True)

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
        twin = KeyReport(_KEYS[self], revealed=revealed, plot=self.plot, view=view or self.view,
                         drawn_with_secrets=self.drawn_with_secrets)  # fmt: skip
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
        """The JWK as displayed: ``k`` masked unless this report is revealed.

        Every member name is shown as text; a value that is not JSON text, a number, a boolean
        or null (bytes, a list...) is not shown, and a value holding an 8-character piece of
        ``k`` is masked like ``k`` itself, revealed or not (only ``k`` is revealed on purpose).
        """
        jwk = _KEYS[self]
        k = jwk["k"]
        shown: dict[str, Any] = {}
        for name, value in jwk.items():
            if name == "k":
                shown["k"] = k if self.revealed else masked(k)
            elif isinstance(value, str):
                shown[str(name)] = PLACEHOLDER_RUN if _holds_piece(value, k) else value
            elif value is None or isinstance(value, (bool, int, float)):
                shown[str(name)] = value if _json_number(value) else NOT_SHOWN_UNSHOWABLE
            else:
                shown[str(name)] = NOT_SHOWN_UNSHOWABLE
        return shown

    def rows(self) -> CardRows:
        """The row model every display form is laid out from."""
        s = self.stats
        stat_rows = [_stat_row(name, getattr(s, name)) for name in ("shannon", "distinct_bytes")]
        stat_rows += [_test_row(getattr(s, name)) for name in TEST_TITLES]  # SP 800-22's, then ours
        hmac = tuple(_hmac_row(fit) for fit in self.hmac)
        if self.revealed:
            notice = self.reveal_warning or REVEAL_WARNINGS[self.view]
        else:
            notice = self.mask_note or MASK_NOTES[self.view]
        return CardRows(
            conclusion=conclusion(s, self.hmac),
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
            notice=notice,
            design_entropy=(
                DESIGN_ENTROPY.format(bits=s.design_entropy_bits)
                if self.drawn_with_secrets
                else DESIGN_ENTROPY_UNKNOWN
            ),
            stats=tuple(stat_rows),
            p_note=P_VALUE_NOTE.format(
                key_bits=s.n_bits, p_one=monobit_p_one(s.n_bits), alpha=s.alpha
            ),
            leak_note=leak_note(s),
            hmac=hmac,
        )

    # --- display forms ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the CLI's ``--json``; masked unless revealed; values as shown)."""
        rows = self.rows()
        s = self.stats
        return {
            "conclusion": rows.conclusion,
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
            rows.conclusion,
            f"{rows.title}: " + ", ".join(rows.sizes),
            f"HMAC fit: {badges}   Verdict: {rows.verdict_phrase}",
            "JWK: " + json.dumps(rows.jwk, ensure_ascii=False),
            ("WARNING: " if self.revealed else "") + rows.notice,
            "",
            f"Statistics, rounded as shown. {rows.design_entropy}.",
        ]
        stats_table = [("statistic", "this key", "random key")]
        stats_table += [(r.label, r.shown, r.expected) for r in rows.stats]
        lines += _text_table(stats_table, right=(1, 2))
        lines += [f"  {r.label}: {r.note}" for r in rows.stats if r.note]
        lines += [rows.p_note, f"Verdict: {rows.verdict}", rows.leak_note, ""]
        lines.append(f"HMAC fit ({HMAC_SOURCES}):")
        hmac_table = [("alg", "minimum bits", "effective bits", "what HMAC does with this key")]
        hmac_table += [
            (h.alg, str(h.minimum_bits), str(h.effective_bits), h.summary) for h in rows.hmac
        ]
        lines += _text_table(hmac_table, right=(1, 2))
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
            else f'"{e(name)}": {e(json.dumps(value, ensure_ascii=False))}'
            for name, value in rows.jwk.items()
        )
        notice = (
            f'<p class="xsk-reveal-warning" role="alert">⚠ {e(rows.notice)}</p>'
            if self.revealed
            else f'<p class="xsk-mask-note">{e(rows.notice)}</p>'
        )
        badges = "".join(
            f'<span class="xsk-badge {h.css}" '
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
        visual = _visual_html(rows.stats, s.n_bits, s.alpha) if self.plot else ""
        return (
            f'<div class="xsk-report-card" data-bits="{s.n_bits}" data-bytes="{s.n_bytes}">'
            f"<style>{CARD_CSS}</style>"
            f'<p class="xsk-conclusion {verdict_class}">{e(rows.conclusion)}</p>'
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
            f'<div class="xsk-scroll"><table class="xsk-hmac">'
            f"<caption>HMAC fit ({HMAC_SOURCES})</caption><thead><tr>"
            f'<th scope="col">alg</th><th scope="col" class="xsk-num">minimum bits</th>'
            f'<th scope="col" class="xsk-num">effective bits</th>'
            f'<th scope="col">what HMAC does with this key</th></tr></thead>'
            f"<tbody>{hmac_rows}</tbody></table></div>"
            f'<p class="xsk-effective-note">{e(EFFECTIVE_BITS_NOTE)}</p>'
            f"</details></div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        # No application/json here: JupyterLab ranks its JSON tree above HTML and would show a
        # tree instead of the report card. The JSON form is to_dict() (and the CLI's --json).
        data = {"text/plain": self.to_text(), "text/html": self.to_html()}
        if self.revealed:  # agreement A2: an output revealed on purpose says so in its metadata
            return data, revealed_metadata()
        return data

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
        state, css = "✗ too short", "xsk-bad"
    elif fit.hashed_first:  # usable, but the extra length buys nothing: not shown as a plus
        state, css = f"✓ hashed to {fit.minimum_bits} bits", "xsk-neutral"
    else:
        state, css = "✓ as is", "xsk-ok"
    return HmacRow(
        alg=fit.alg,
        minimum_bits=fit.minimum_bits,
        effective_bits=fit.effective_bits,
        ok=fit.meets_minimum,
        badge=f"{fit.alg} {state}",
        summary=fit.summary,
        css=css,
    )


def _holds_piece(text: str, k: str, piece: int = 8) -> bool:
    """True if ``text`` holds ``piece`` consecutive characters of ``k`` (or all of a shorter k)."""
    size = min(piece, len(k))
    return any(k[i : i + size] in text for i in range(len(k) - size + 1))


def _json_number(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _fit_dict(fit: HmacFit) -> dict[str, Any]:
    return {
        "alg": fit.alg,
        "minimum_bits": fit.minimum_bits,
        "meets_minimum": fit.meets_minimum,
        "hashed_first": fit.hashed_first,
        "effective_bits": fit.effective_bits,
        "summary": fit.summary,
    }


def _text_table(rows: Sequence[tuple[str, ...]], right: tuple[int, ...]) -> list[str]:
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


def _visual_html(rows: tuple[StatRow, ...], n_bits: int, alpha: float) -> str:
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
    caption = VISUAL_CAPTION.format(n_bits=n_bits, alpha=alpha)
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
font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:14px;line-height:1.45;
text-align:left;min-width:0}
.xsk-report-card p{margin:4px 0;text-align:left}
.xsk-report-card .xsk-summary{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.xsk-report-card .xsk-size{white-space:nowrap}
.xsk-report-card .xsk-badges{display:inline-flex;flex-wrap:wrap;gap:4px}
.xsk-report-card .xsk-badge,.xsk-report-card .xsk-verdict-phrase{display:inline-block;
border:1px solid var(--jp-border-color1,#999);border-radius:3px;padding:0 5px;
font-size:13px;white-space:nowrap}
.xsk-report-card .xsk-ok{border-color:var(--jp-success-color1,#2e7d32)}
.xsk-report-card .xsk-bad{border-color:var(--jp-error-color1,#c62828);font-weight:bold}
.xsk-report-card .xsk-neutral{border-color:var(--jp-border-color1,#999);border-style:dashed}
.xsk-report-card .xsk-conclusion{font-size:14px;font-weight:bold;border-left:4px solid
var(--jp-success-color1,#2e7d32);padding-left:6px}
.xsk-report-card .xsk-conclusion.xsk-bad{border-left-color:var(--jp-error-color1,#c62828)}
.xsk-report-card .xsk-scroll{max-width:100%;overflow-x:auto;contain:inline-size}
.xsk-report-card .xsk-hmac td:last-child{min-width:12em}
.xsk-report-card .xsk-masked-k{word-break:normal;overflow-wrap:normal;white-space:nowrap}
.xsk-report-card .xsk-jwk code{display:block;white-space:pre-wrap;overflow-wrap:anywhere;
word-break:break-all;font-family:var(--jp-code-font-family,monospace);font-size:13px;
background:var(--jp-layout-color2,#f3f3f3);color:inherit;padding:3px 5px;border-radius:3px}
.xsk-report-card .xsk-revealed-k{user-select:all;-webkit-user-select:all;
overflow-wrap:anywhere;word-break:break-all;outline:1px dashed var(--jp-warn-color1,#b26b00)}
.xsk-report-card .xsk-mask-note{color:var(--jp-content-font-color2,#4a4a4a);font-size:13px}
.xsk-report-card .xsk-reveal-warning{font-weight:bold;border-left:4px solid
var(--jp-error-color1,#c62828);padding-left:6px}
.xsk-report-card .xsk-visual{margin:6px 0;padding:0;max-width:52em}
.xsk-report-card figcaption{font-size:13px;color:var(--jp-content-font-color2,#4a4a4a)}
.xsk-report-card .xsk-vrow{display:grid;
grid-template-columns:minmax(0,min(14em,38%)) minmax(6em,1fr) 4.5em;
gap:8px;align-items:center;font-size:13px}
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
font-size:13px;max-width:100%;color:inherit;background:transparent}
.xsk-report-card.xsk-report-card table th,
.xsk-report-card.xsk-report-card table td{padding:2px 8px;text-align:left;
border:none;border-bottom:1px solid var(--jp-border-color2,#d0d0d0);vertical-align:top;
background:transparent;color:inherit}
.xsk-report-card.xsk-report-card table .xsk-num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
.xsk-report-card table th[scope=row]{font-weight:normal}
.xsk-report-card caption{text-align:left;font-weight:bold;padding:4px 0;color:inherit}
.xsk-report-card .xsk-row-note,.xsk-report-card .xsk-p-note,.xsk-report-card .xsk-leak-note,
.xsk-report-card .xsk-effective-note{font-size:13px;color:var(--jp-content-font-color2,#4a4a4a)}
"""
CARD_CSS = " ".join(CARD_CSS.split())
