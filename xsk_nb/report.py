"""One report object that turns a key and its statistics into every display form.

``KeyReport`` is the single place that renders a key: plain text (also its ``repr``), HTML
and a small PNG plot through ``_repr_mimebundle_``, and JSON through ``to_dict()``, so
IPython, the panel, the CLI and nbval see the same thing. Unless revealed, no form holds a
single key character: ``k`` is shown as its length and a session-local label (see
:mod:`xsk_nb.masking`). Knows nothing of Jupyter beyond the display protocol; matplotlib is
imported only when a plot is drawn.
"""

from __future__ import annotations

import html
import json
from functools import cached_property
from typing import TYPE_CHECKING, Any

from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.masking import key_label, masked
from xsk_nb.strength import HmacFit, hmac_fits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from xsk_nb.nist import TestResult
    from xsk_nb.stats import KeyStats, Statistic

REVEAL_WARNING = (
    "This output shows the full secret key. It will be saved with the notebook (and in its "
    "widget state): use a throwaway key, and clear this output before sharing."
)
MASK_NOTE = (
    "The key is hidden: outputs are saved with the notebook. Call .reveal() or use --reveal "
    "to show it on purpose. The statistics below leak at most a few bits; a per-key byte "
    "histogram or bit grid would leak most of the key, so none is shown."
)

P_VALUE_NOTE = "p-value; a random key gives any value in [0, 1]"
#: How each SP 800-22 test is titled in a report.
TEST_TITLES = {
    "monobit": "monobit test (SP 800-22 §2.1)",
    "block_frequency": "block frequency test (§2.2)",
    "runs": "runs test (§2.3)",
    "longest_run": "longest run of ones test (§2.4)",
}


class KeyReport:
    """A secret key with its statistics and HMAC fit, displayed masked unless revealed."""

    def __init__(self, jwk: dict[str, Any], *, revealed: bool = False, plot: bool = True) -> None:
        self.bits = 8 * len(key_bytes(jwk))  # validates kty and k without showing them
        self._jwk = dict(jwk)
        self.revealed = bool(revealed)
        self.plot = bool(plot)

    @classmethod
    def generate(cls, bits: int, format: str = "object", **members: Any) -> KeyReport:
        """Create a key with :func:`xsk_nb.create_secret_key` and wrap it in a report."""
        return cls(create_secret_key(bits, format, **members))

    # --- explicit access to the secret -------------------------------------------------
    def jwk(self) -> dict[str, Any]:
        """The full JWK, key included (an explicit call: nothing displays it for you)."""
        return dict(self._jwk)

    def reveal(self) -> KeyReport:
        """A report of the same key whose every display form shows the full key."""
        twin = KeyReport(self._jwk, revealed=True, plot=self.plot)
        if "stats" in self.__dict__:  # reuse statistics already computed
            twin.stats = self.stats
        return twin

    # --- derived facts ------------------------------------------------------------------
    @cached_property
    def stats(self) -> KeyStats:
        from xsk_nb.stats import key_stats

        return key_stats(self._jwk)

    @property
    def label(self) -> str:
        """A short session-local label that tells keys apart without revealing them."""
        return key_label(self._jwk["k"])

    @property
    def hmac(self) -> tuple[HmacFit, ...]:
        return hmac_fits(self.bits)

    def shown_jwk(self) -> dict[str, Any]:
        """The JWK as displayed: ``k`` masked unless this report is revealed."""
        shown = dict(self._jwk)
        if not self.revealed:
            shown["k"] = masked(self._jwk["k"])
        return shown

    # --- display forms ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the CLI's ``--json``; masked unless revealed)."""
        s = self.stats
        return {
            "jwk": self.shown_jwk(),
            "revealed": self.revealed,
            "label": self.label,
            "bits": s.n_bits,
            "bytes": s.n_bytes,
            "base64url_length": s.b64url_length,
            "stats": s.as_dict(),
            "hmac": [_fit_dict(fit) for fit in self.hmac],
        }

    def to_text(self) -> str:
        s = self.stats
        lines = [
            f"Secret key {self.label}: {s.n_bits} bits, {s.n_bytes} bytes, "
            f"k has {s.b64url_length} base64url characters",
            "JWK: " + json.dumps(self.shown_jwk(), ensure_ascii=False),
        ]
        lines.append(("WARNING: " + REVEAL_WARNING) if self.revealed else MASK_NOTE)
        lines.append(
            f"Design entropy: {s.design_entropy_bits} bits from the operating system's CSPRNG "
            "(Python's secrets)"
        )
        lines.append("")
        lines.append(
            f"{'statistic':<34}{'observed':>10}  {'random key: mean (sd)':>22}  {'max':>7}"
        )
        for stat in (s.shannon, s.distinct_bytes):
            lines.append(
                f"{_stat_title(stat):<40}{_num(stat.observed):>10}  "
                f"{_num(stat.expected) + ' (' + _num(stat.sd) + ')':>22}  {_num(stat.maximum):>7}"
            )
        for test in s.tests:
            lines.append(f"{_test_title(test):<40}{_p(test.p_value):>10}  {'any p in [0, 1]':>22}")
        lines.append(f"Verdict: {s.verdict}")
        lines.append("")
        lines.append("HMAC fit (RFC 7518 §3.2, RFC 2104, SP 800-107):")
        for fit in self.hmac:
            lines.append(
                f"  {fit.alg}: minimum {fit.minimum_bits} bits, effective {fit.effective_bits} "
                f"bits; {fit.summary}"
            )
        return "\n".join(lines)

    def to_html(self) -> str:
        s = self.stats
        e = html.escape
        k_class = "xsk-revealed-k" if self.revealed else "xsk-masked-k"
        shown = self.shown_jwk()
        members = ", ".join(
            f'"{e(name)}": "<span class="{k_class}">{e(value)}</span>"'
            if name == "k"
            else f'"{e(name)}": "{e(str(value))}"'
            for name, value in shown.items()
        )
        notice = (
            f'<p class="xsk-reveal-warning" style="color:#a40000;font-weight:bold">'
            f"⚠ {e(REVEAL_WARNING)}</p>"
            if self.revealed
            else f'<p class="xsk-mask-note" style="color:#555">{e(MASK_NOTE)}</p>'
        )
        stat_rows = "".join(
            f"<tr><td>{e(_stat_title(st))}</td><td>{_num(st.observed)}</td>"
            f"<td>{_num(st.expected)} ({_num(st.sd)})</td><td>{_num(st.maximum)}</td></tr>"
            for st in (s.shannon, s.distinct_bytes)
        )
        test_rows = "".join(
            f"<tr><td>{e(_test_title(t))}</td><td>{_p(t.p_value)}</td>"
            f"<td colspan=2>{e(t.note) or P_VALUE_NOTE}</td></tr>"
            for t in s.tests
        )
        hmac_rows = "".join(
            f"<tr><td>{fit.alg}</td><td>{fit.minimum_bits}</td><td>{fit.effective_bits}</td>"
            f"<td>{e(fit.summary)}</td></tr>"
            for fit in self.hmac
        )
        return (
            f'<div class="xsk-report-card" data-bits="{s.n_bits}" data-bytes="{s.n_bytes}">'
            f"<p><b>Secret key {e(self.label)}</b>: {s.n_bits} bits, {s.n_bytes} bytes, "
            f"k has {s.b64url_length} base64url characters</p>"
            f"<p><code>{{{members}}}</code></p>{notice}"
            f"<p>Design entropy: {s.design_entropy_bits} bits from the operating system's "
            f"CSPRNG (Python's <code>secrets</code>).</p>"
            f'<table class="xsk-stats"><tr><th>statistic</th><th>observed</th>'
            f"<th>random key: mean (sd)</th><th>max</th></tr>{stat_rows}{test_rows}</table>"
            f'<p class="xsk-verdict">Verdict: {e(s.verdict)}</p>'
            f'<table class="xsk-hmac"><tr><th>alg</th><th>minimum bits</th>'
            f"<th>effective bits</th><th>what HMAC does with this key</th></tr>{hmac_rows}</table>"
            f"</div>"
        )

    def figure(self) -> Figure:
        """Where each statistic falls for a random key of this length (scalars only).

        Each row shows the expected value with 1, 2 and 3 standard-deviation bands, or the
        [0, 1] range of a p-value with the conventional 1% region shaded, and a marker at this
        key's value. No per-byte or per-bit picture: those would leak the key.
        """
        from matplotlib.figure import Figure

        s = self.stats
        fig = Figure(figsize=(6.4, 4.4), dpi=80, layout="constrained")
        axes = fig.subplots(2 + len(s.tests), 1)
        for ax, stat in zip(axes, (s.shannon, s.distinct_bytes), strict=False):
            _band_row(ax, stat)
        for ax, test in zip(axes[2:], s.tests, strict=True):
            _p_row(ax, _test_title(test), test.p_value)
        fig.suptitle(f"{s.n_bits}-bit key {self.label} against a random key of its length", size=9)
        return fig

    def png(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # No application/json here: JupyterLab ranks its JSON tree above HTML and would show a
        # tree instead of the report card. The JSON form is to_dict() (and the CLI's --json).
        bundle: dict[str, Any] = {"text/plain": self.to_text(), "text/html": self.to_html()}
        if self.plot:
            bundle["image/png"] = self.png()
        return bundle

    def __repr__(self) -> str:
        return self.to_text()

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a KeyReport holds a secret and is not picklable; use .jwk() explicitly")


def _stat_title(stat: Statistic) -> str:
    return f"{stat.name} ({stat.unit})" if stat.unit else stat.name


def _test_title(test: TestResult) -> str:
    return TEST_TITLES.get(test.name, test.name)


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"


def _p(p_value: float | None) -> str:
    return "n/a" if p_value is None else f"p={p_value:.3f}"


def _fit_dict(fit: HmacFit) -> dict[str, Any]:
    return {
        "alg": fit.alg,
        "minimum_bits": fit.minimum_bits,
        "meets_minimum": fit.meets_minimum,
        "hashed_first": fit.hashed_first,
        "effective_bits": fit.effective_bits,
        "summary": fit.summary,
    }


def _band_row(ax: Any, stat: Statistic) -> None:
    for width, shade in ((3, "#eeeeee"), (2, "#dddddd"), (1, "#c8c8c8")):
        ax.axvspan(stat.expected - width * stat.sd, stat.expected + width * stat.sd, color=shade)
    ax.axvline(stat.expected, color="#777777", linewidth=1)
    ax.plot([stat.observed], [0.5], marker="v", color="#1f77b4", markersize=9)
    span = max(4 * stat.sd, abs(stat.observed - stat.expected) * 1.1)
    ax.set_xlim(stat.expected - span, min(stat.expected + span, stat.maximum + stat.sd))
    _style_row(ax, _stat_title(stat))


def _p_row(ax: Any, name: str, p_value: float | None) -> None:
    ax.axvspan(0, 0.01, color="#f4cccc")  # the conventional 1% region; the verdict uses 1e-6
    if p_value is not None:
        ax.plot([p_value], [0.5], marker="v", color="#1f77b4", markersize=9)
    ax.set_xlim(0, 1)
    _style_row(ax, name if p_value is not None else f"{name} (n/a)")


def _style_row(ax: Any, title: str) -> None:
    ax.set_yticks([])
    ax.set_ylim(0, 1)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(title, size=8, loc="left", pad=2)
