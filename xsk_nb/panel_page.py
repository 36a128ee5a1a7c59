"""The browser-only site's app page (``lite/panel.html``): the key panel with no Jupyter.

The page's own script starts a bare Pyodide (no JupyterLite, no kernel, no ipywidgets: they
tripled the time to the first card, issue 20), loads this package, makes one :class:`AppPage`,
puts :meth:`AppPage.controls_html` into the page and sends each control's event to a method
here. Each method answers with a JSON text, ``{"parts": {selector: change}}``: the page sets an
element's ``html``, a status line's ``text`` and ``kind``, a field's ``value`` or a box's
``checked``. Copy's answer also carries ``clipboard`` (the text, and the sentences for done and
failed), which the script writes to the clipboard and drops.

What each control does and says is :class:`~xsk_nb.panel_session.PanelSession`'s, the widget
panel's too; this module only turns it into the page's markup and answers.

The key stays in this page's Python (Pyodide's memory): the markup holds masked cards only, and
Save writes into :data:`~xsk_nb.envfile.BROWSER_MEMORY`, gone with the tab.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any

from xsk_nb import envfile
from xsk_nb.contract import ALLOWED_BITS
from xsk_nb.masking import APP
from xsk_nb.panel_session import (
    ALG_CHOICES,
    COPY_FAILED,
    COPY_HINT,
    COPY_LABELS,
    ENV_FILE_LABEL,
    ENV_NAME_LABEL,
    FIELD_DEFAULTS,
    GENERATE_LABEL,
    KID_CHOICES,
    PANEL_CSS,
    REPLACE_LABEL,
    SAVE_LABEL,
    SIZE_LABEL,
    PanelSession,
    Said,
    kid_note_html,
    size_line,
    size_tooltips,
    warm_up_statistics,
)

#: Where each answer's parts go: the selectors of :meth:`AppPage.controls_html`'s markup.
REPORT = ".xsk-report"
HISTORY = ".xsk-history"
USE_CASE = ".xsk-use-case"
KID_NOTE = ".xsk-kid-note"
REVEAL = ".xsk-reveal input"
GENERATE_STATUS = ".xsk-generate-message .xsk-status"
COPY_STATUS = ".xsk-copy-status"
SAVE_STATUS = ".xsk-save-message .xsk-status"
FIELDS = {"env_file": ".xsk-env-path input", "env_name": ".xsk-env-name input"}
#: The page's "none" choice of alg and kid (an <option>'s value is text).
NONE_VALUE = ""


def _status(said: Said) -> dict[str, str]:
    return {"text": said.text, "kind": said.kind}


def _answer(parts: dict[str, dict[str, Any]], **extra: Any) -> str:
    return json.dumps({"parts": parts, **extra})


def _choice(value: object) -> str | None:
    """An <option>'s text value as the choice it stands for: "" is None. Any other text is
    passed on as typed, for the key request to refuse in its own words."""
    return None if value in (NONE_VALUE, None) else str(value)


def _select(css: str, label: str, choices: tuple[tuple[str, str | None], ...]) -> str:
    options = "".join(
        f'<option value="{html.escape(value or NONE_VALUE)}">{html.escape(text)}</option>'
        for text, value in choices
    )
    return f'<label class="{css}"><span>{label}</span> <select>{options}</select></label>'


def _text_field(css: str, label: str, value: str) -> str:
    return (f'<label class="{css}"><span>{html.escape(label)}</span> '
            f'<input type="text" value="{html.escape(value)}" spellcheck="false" '
            'autocomplete="off"></label>')  # fmt: skip


def _checkbox(css: str, label: str) -> str:
    return f'<label class="{css}"><input type="checkbox"> <span>{html.escape(label)}</span></label>'


class AppPage:
    """The app page's panel: one per page, for the page's lifetime (its keys are its own)."""

    def __init__(self, bits: int = 2048) -> None:
        self.session = PanelSession(APP)
        self.bits = bits  # the size checked at first
        # Save's ".env" is in memory, and says so (envfile.in_page_memory): Pyodide's whole file
        # system is memory here, and this is the folder the kit's writer names as such.
        envfile.BROWSER_MEMORY.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chdir(envfile.BROWSER_MEMORY)
        warm_up_statistics()

    def controls_html(self) -> str:
        """The panel's markup: the widget panel's controls, classes and order, as plain HTML."""
        sizes = "".join(
            f'<label class="xsk-size-option" title="{html.escape(tip)}"><input type="radio" '
            f'name="xsk-bits" value="{size}"{" checked" if size == self.bits else ""}>'
            f"<span>{size}</span></label>"
            for size, tip in zip(ALLOWED_BITS, size_tooltips(), strict=True)
        )
        copy_buttons = "".join(
            f'<button type="button" class="widget-button xsk-copy-{what}">{label}</button>'
            for what, label in COPY_LABELS.items()
        )
        row = '<div class="xsk-row">{}</div>'.format
        status = '<div class="xsk-status" role="status"></div>'
        return (
            f"<style>{PANEL_CSS}</style>"
            '<div class="xsk-panel">'
            + row(
                '<div class="xsk-bits"><div class="xsk-size-group" role="radiogroup" '
                'aria-labelledby="xsk-size-legend"><span class="xsk-size-legend" '
                f'id="xsk-size-legend">{SIZE_LABEL}</span>{sizes}</div></div>'
            )
            + f'<div class="xsk-use-case"><span>{html.escape(size_line(self.bits))}</span></div>'
            + row(
                _select("xsk-alg", "alg", ALG_CHOICES)
                + _select("xsk-kid", "kid", KID_CHOICES)
                + '<div class="xsk-kid-note"></div>'
            )
            + row(
                '<button type="button" class="widget-button mod-primary xsk-generate">'
                f"{GENERATE_LABEL}</button>"
                + _checkbox("xsk-reveal", self.session.reveal_label)
                + f'<div class="xsk-generate-message">{status}</div>'
            )
            + '<div class="xsk-report"></div>'
            + f'<div class="xsk-copy"><div class="xsk-copy-box">{copy_buttons}</div>'
            + '<div class="xsk-status xsk-copy-status" role="status"></div>'
            + f'<p class="xsk-copy-hint">{html.escape(COPY_HINT)}</p></div>'
            + row(
                _text_field("xsk-env-path", ENV_FILE_LABEL, FIELD_DEFAULTS["env_file"])
                + _text_field("xsk-env-name", ENV_NAME_LABEL, FIELD_DEFAULTS["env_name"])
                + _checkbox("xsk-env-force", REPLACE_LABEL)
                + f'<button type="button" class="widget-button xsk-env-save">{SAVE_LABEL}</button>'
            )
            + f'<div class="xsk-save-message">{status}</div>'
            + '<div class="xsk-history"></div>'
            "</div>"
        )

    def choose_size(self, bits: int) -> str:
        """A size button was picked: its line of Xano's table and what HMAC does with it."""
        if bits not in ALLOWED_BITS:
            return _answer({})  # not one of the page's buttons: nothing to answer
        return _answer({USE_CASE: {"html": f"<span>{html.escape(size_line(bits))}</span>"}})

    def choose_kid(self, kid: str) -> str:
        """The kid choice changed: the thumbprint's note, or none."""
        return _answer({KID_NOTE: {"html": kid_note_html(_choice(kid))}})

    def generate(self, bits: int, alg: str, kid: str) -> str:
        """Generate: a new masked card (Reveal is cleared for every new key), its sentence, the
        history; the last copy and save sentences spoke of the previous key and are cleared."""
        said = self.session.generate(bits, _choice(alg), _choice(kid))
        if said.error:
            return _answer({GENERATE_STATUS: _status(said)})
        return _answer({
            REVEAL: {"checked": False},
            REPORT: {"html": self.session.card_html(revealed=False)},
            GENERATE_STATUS: _status(said),
            HISTORY: {"html": self.session.history_html()},
            COPY_STATUS: _status(Said()),
            SAVE_STATUS: _status(Said()),
        })  # fmt: skip

    def reveal(self, on: bool) -> str:
        """The Reveal box: the card shown or masked again, and the sentence about it."""
        on = on is True
        return _answer({
            REPORT: {"html": self.session.card_html(revealed=on)},
            GENERATE_STATUS: _status(self.session.card_said(revealed=on)),
        })  # fmt: skip

    def copy_key(self, what: str) -> str:
        """Copy JWK (``"jwk"``) or Copy k (``"k"``): the text for the clipboard and what to say
        once it is there or could not be; or the sentence why there is nothing to copy."""
        answer = self.session.copy_text(what)
        if answer is None:
            return _answer({})
        if isinstance(answer, Said):
            return _answer({COPY_STATUS: _status(answer)})
        text, done = answer
        return _answer({}, clipboard={"text": text, "done": done.text, "failed": COPY_FAILED})

    def save(self, env_file: str, env_name: str, force: bool) -> str:
        """Save key to .env: its sentence; a field that held a piece of a key is reset."""
        saved = self.session.save(env_file, env_name, force is True)
        parts: dict[str, dict[str, Any]] = {SAVE_STATUS: _status(saved.said)}
        if saved.cleared is not None:
            parts[FIELDS[saved.cleared]] = {"value": FIELD_DEFAULTS[saved.cleared]}
        return _answer(parts)
