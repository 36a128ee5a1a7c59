"""The ipywidgets panel: generate, inspect, reveal and save keys without typing.

An adapter like the magic: it turns clicks into calls of the core and shows the same
``KeyReport``. No synced widget trait holds key material unless the reveal box is ticked
(widget state can be saved into the notebook). The panel is composed of widgets: it owns a
container and forwards ``_repr_mimebundle_`` to it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from xsk_nb.envfile import save_jwk_to_env
from xsk_nb.keygen import ALLOWED_BITS, validate_bits
from xsk_nb.report import KeyReport
from xsk_nb.strength import HMAC_ALGORITHMS, use_cases


class KeyPanel:
    """A key generator panel for students. Display it as a notebook cell's last expression."""

    def __init__(self, bits: int = 2048) -> None:
        bits = validate_bits(bits)
        self.reports: list[KeyReport] = []  # this session's keys, newest last (not synced)
        self.bits = widgets.ToggleButtons(
            options=[(str(size), size) for size in ALLOWED_BITS],
            value=bits,
            tooltips=[use_cases(size) for size in ALLOWED_BITS],
            description="Key size",
        )
        self.use_case = widgets.HTML()
        self.alg = widgets.Dropdown(
            options=[("no alg", None), *((name, name) for name in HMAC_ALGORITHMS)],
            index=0,  # a None-valued first option otherwise starts unselected: a blank box
            description="alg",
        )
        self.kid = widgets.Dropdown(
            options=[
                ("no kid", None),
                ("random kid", "random"),
                ("RFC 7638 thumbprint (leaks a hash of the key)", "thumbprint"),
            ],
            index=0,
            description="kid",
        )
        self.generate_button = widgets.Button(description="Generate", button_style="primary")
        self.reveal = widgets.Checkbox(
            value=False,
            description="Reveal key (it will be saved with the notebook)",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.message = widgets.HTML()
        self.report_view = widgets.HTML()
        # Hidden until the first plot: an empty Image shows a broken-image icon.
        self.plot_view = widgets.Image(
            format="png", layout=widgets.Layout(max_width="520px", display="none")
        )
        self.history = widgets.HTML()
        self.env_path = widgets.Text(value=".env", description=".env file")
        self.env_name = widgets.Text(value="JWT_SECRET", description="name")
        self.env_force = widgets.Checkbox(
            value=False,
            description="replace existing",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.env_save = widgets.Button(
            description="Save key to .env", layout=widgets.Layout(width="auto")
        )

        for widget, css in (
            (self.bits, "xsk-bits"),
            (self.alg, "xsk-alg"),
            (self.kid, "xsk-kid"),
            (self.generate_button, "xsk-generate"),
            (self.reveal, "xsk-reveal"),
            (self.message, "xsk-message"),
            (self.report_view, "xsk-report"),
            (self.plot_view, "xsk-plot"),
            (self.history, "xsk-history"),
            (self.env_path, "xsk-env-path"),
            (self.env_name, "xsk-env-name"),
            (self.env_force, "xsk-env-force"),
            (self.env_save, "xsk-env-save"),
            (self.use_case, "xsk-use-case"),
        ):
            widget.add_class(css)
        self.container = widgets.VBox(
            [
                widgets.HBox([self.bits]),
                self.use_case,
                widgets.HBox([self.alg, self.kid]),
                widgets.HBox([self.generate_button, self.reveal]),
                self.message,
                self.report_view,
                self.plot_view,
                widgets.HBox([self.env_path, self.env_name, self.env_force, self.env_save]),
                self.history,
            ]
        )
        self.container.add_class("xsk-panel")

        self.bits.observe(self._show_use_case, names="value")
        self.generate_button.on_click(lambda _button: self.generate())
        self.reveal.observe(lambda _change: self._render(), names="value")
        self.env_save.on_click(lambda _button: self.save_to_env())
        self._show_use_case()

    @property
    def report(self) -> KeyReport | None:
        """The newest key's report, or None before the first Generate."""
        return self.reports[-1] if self.reports else None

    def generate(self) -> KeyReport | None:
        """Draw a new key with the chosen options; the reveal box is cleared for every new key."""
        try:
            report = KeyReport.generate(self.bits.value, alg=self.alg.value, kid=self.kid.value)
        except (ValueError, TypeError) as error:
            self._say(str(error), error=True)
            return None
        self.reports.append(report)
        self._say("")
        if self.reveal.value:
            self.reveal.value = False  # triggers _render
        else:
            self._render()
        self.plot_view.value = report.png()
        self.plot_view.layout.display = None
        self.history.value = (
            "<b>Keys this session</b> (masked):<ol>"
            + "".join(
                f"<li>{r.bits} bits · key {r.label} · "
                f"{html.escape(r.stats.verdict.split(';')[0])}</li>"
                for r in self.reports
            )
            + "</ol>"
        )
        return report

    def save_to_env(self) -> None:
        """Save the newest key to the dotenv file, through the same code as ``--env-file``."""
        if self.report is None:
            self._say("Generate a key first, then save it.", error=True)
            return
        try:
            path = save_jwk_to_env(
                self.report.jwk(),
                self.env_path.value,
                self.env_name.value,
                force=self.env_force.value,
            )
        except (ValueError, TypeError, OSError) as error:
            self._say(str(error), error=True)
            return
        self._say(
            f"Saved key {self.report.label} as {self.env_name.value} in {path}; "
            "it is not shown here."
        )

    def _render(self) -> None:
        report = self.report
        if report is None:
            self.report_view.value = ""
            return
        shown = report.reveal() if self.reveal.value else report
        self.report_view.value = shown.to_html()

    def _show_use_case(self, _change: Any = None) -> None:
        self.use_case.value = (
            f"<i>Seed's key-size table: {html.escape(use_cases(self.bits.value))}</i>"
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#a40000" if error else "#1b5e20"
        self.message.value = (
            f'<span style="color:{color}">{html.escape(text)}</span>' if text else ""
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.container._repr_mimebundle_(**kwargs)
        # The container's repr would list every child's value; keep the saved text short and stable.
        bundle["text/plain"] = f"KeyPanel ({len(self.reports)} keys; open in Jupyter to use it)"
        return bundle


def panel(bits: int = 2048) -> KeyPanel:
    """A new :class:`KeyPanel` (display it as a cell's last expression)."""
    return KeyPanel(bits)
