"""The key panel with no widget: what each control does and says, and the panel's style sheet.

Two front ends show the panel and share this module, so a rule or a sentence has one home:

- :mod:`xsk_nb.key_panel`, the ipywidgets panel (JupyterLab, Notebook, Voilà);
- the browser-only site's app page (``lite/panel.html``), which runs Python in a bare Pyodide
  with no Jupyter at all and asks :mod:`xsk_nb.panel_page` for the same actions.

A :class:`PanelSession` holds this session's keys (as :class:`~xsk_nb.report.KeyReport`s) and
answers each control with a :class:`Said`: one sentence for the status line beside it, an
error or not. No sentence holds key material; only :meth:`PanelSession.copy_text` returns a key,
for the clipboard.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from xsk_nb.contract import ALLOWED_BITS, validate_bits
from xsk_nb.masking import APP, NOTEBOOK, PANEL_REVEAL_WARNINGS, REVEAL_LABELS, check_view
from xsk_nb.report import DEFECT_PHRASE, FINE_PHRASE, KeyReport
from xsk_nb.request import KEY_PIECE, KeyRequest, RequestRefused, holds_key_piece
from xsk_nb.strength import HMAC_ALGORITHMS, hmac_fits, use_cases

REPLACE_LABEL = "replace existing"
ENV_FILE_LABEL = ".env file"
ENV_NAME_LABEL = "name"
SAVE_LABEL = "Save key to .env"
GENERATE_LABEL = "Generate"
SIZE_LABEL = "Key size"
#: The fields' first values, and what a field holding a piece of a key is reset to.
FIELD_DEFAULTS = {"env_file": ".env", "env_name": "JWT_SECRET"}
#: The choices beside the size: (label, value); None is "none".
ALG_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("no alg", None), *((name, name) for name in HMAC_ALGORITHMS),
)  # fmt: skip
KID_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("no kid", None), ("random", "random"), ("RFC 7638 thumbprint", "thumbprint"),
)  # fmt: skip
GENERATE_FIRST = "Generate a key first, then {action} it."
#: After the path, in the app (Voila): the file is not on the student's computer.
SAVED_ON_SERVER = "on the server that runs this app (not on your computer)"
#: The panel's controls, as the request's sentences name them.
PANEL_FLAGS = {"env_file": ENV_FILE_LABEL, "env_name": ENV_NAME_LABEL, "force": REPLACE_LABEL}
KEY_IN_FIELD = (
    "the {field} field held a piece of a key made in this session, so it was cleared; type a "
    "variable name such as JWT_SECRET and a file name such as .env"
)
NOT_SAVED = "Not saved: {reason}"
#: Shown beside the kid choice while the thumbprint is picked (review C8: as a tooltip it never
#: reached anyone). RFC 7638's thumbprint of an "oct" key is SHA-256 of a JSON text holding k.
KID_THUMBPRINT_NOTE = (
    "A thumbprint kid is a hash of the key: whoever sees it can test a guessed key against it."
)
GENERATED = "New {bits}-bit key {label}: masked below; Reveal or Copy it on purpose."
REVEALED = "Key {label} is shown below: untick Reveal to hide it again."
COPY_HINT = (
    "Copy JWK: the whole JSON object security.create_secret_key returns, for a Xano environment "
    "variable used as the key of security.jws_encode / jws_decode. Copy k: only the base64url "
    "secret, for a field that asks for it. What you copy is neither shown nor saved here."
)
COPIED = "Copied {what} of key {label} ({length} characters) to your clipboard."
COPY_FAILED = (
    "This page may not use the clipboard (it is not https or localhost): tick Reveal and "
    "select the key instead (one click selects all of it)."
)
COPY_WHAT = {"jwk": "the JWK JSON", "k": "k"}
COPY_LABELS = {"jwk": "Copy JWK", "k": "Copy k"}
#: A JavaScript function expression, ``async (text, host) => ok``: writes ``text`` to the
#: clipboard and says whether it is there. Where the Clipboard API is missing (a page that is
#: not a secure context) it falls back to a transient text area in ``host``, removed at once,
#: and execCommand("copy"). Both front ends' Copy buttons run it (the widget's ES module and the
#: site's app page, into which lite/build.py writes it).
WRITE_CLIPBOARD_JS = """async (text, host) => {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (error) { /* the fallback below */ }
  const area = document.createElement("textarea");
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  area.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
  area.value = text;
  host.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
  area.value = "";
  area.remove();
  return ok;
}"""

# The panel's style sheet, both front ends'. Kept short and scoped to .xsk-panel: wrap instead
# of truncating, and let labels grow.
PANEL_CSS = """
.xsk-panel{max-width:100%;min-width:0;box-sizing:border-box}
.xsk-panel.xsk-panel,.xsk-panel .xsk-row,.xsk-panel .xsk-report,.xsk-panel .xsk-copy,
.xsk-panel .xsk-save-message{margin-left:0;margin-right:0;box-sizing:border-box}
.xsk-panel .widget-html-content{line-height:1.4;min-width:0}
.xsk-panel .xsk-row{flex-wrap:wrap;gap:4px 8px;align-items:center;max-width:100%}
.xsk-panel .xsk-row>*{min-width:0;max-width:100%}
.xsk-panel .widget-inline-hbox{height:auto;min-height:var(--jp-widgets-inline-height,28px)}
.xsk-panel .widget-button{min-width:max-content;flex:0 0 auto}
.xsk-panel .widget-checkbox label{white-space:normal;overflow:visible;line-height:1.4}
.xsk-panel .widget-label{white-space:normal;overflow:visible;min-width:max-content}
.xsk-panel select,.xsk-panel input[type=text]{min-width:0;max-width:100%}
.xsk-panel .xsk-status{font-size:13px;margin:2px 0;min-height:0;
color:var(--jp-ui-font-color1,#1f1f1f);overflow-wrap:anywhere}
.xsk-panel .xsk-status:empty{display:none}
.xsk-panel .xsk-status[data-kind=ok]{border-left:4px solid var(--jp-success-color1,#2e7d32);
padding-left:6px}
.xsk-panel .xsk-status[data-kind=error]{border-left:4px solid var(--jp-error-color1,#c62828);
padding-left:6px;font-weight:bold}
.xsk-panel .xsk-copy-box{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center}
.xsk-panel .xsk-copy-box .widget-button{width:auto;padding:0 12px}
.xsk-panel .xsk-copy-hint{font-size:12px;margin:2px 0 6px;color:var(--jp-ui-font-color1,#1f1f1f);
overflow-wrap:anywhere;max-width:60em}
.xsk-panel .xsk-use-case{color:var(--jp-ui-font-color1,#1f1f1f);font-size:13px}
.xsk-panel .xsk-history{color:var(--jp-ui-font-color1,#1f1f1f)}
.xsk-panel button:focus-visible,.xsk-panel input:focus-visible,.xsk-panel select:focus-visible,
.xsk-panel summary:focus-visible,.xsk-panel .xsk-size-option:has(input:focus-visible){
outline:2px solid var(--jp-ui-font-color0,#000) !important;outline-offset:2px !important}
.xsk-panel .xsk-size-group{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.xsk-panel .xsk-size-legend{margin-right:4px;color:var(--jp-ui-font-color1,#1f1f1f);
font-size:var(--jp-widgets-font-size,13px)}
.xsk-panel .xsk-size-option{position:relative;display:inline-flex;align-items:center;
min-height:var(--jp-widgets-inline-height,28px);padding:0 14px;box-sizing:border-box;
border:1px solid var(--jp-border-color1,#bdbdbd);border-radius:2px;cursor:pointer;
background:var(--jp-layout-color2,#eee);color:var(--jp-ui-font-color1,#1f1f1f);
font-size:var(--jp-widgets-font-size,13px)}
.xsk-panel .xsk-size-option input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.xsk-panel .xsk-size-option:has(input:checked){background:#0d47a1;border-color:#0d47a1;
color:#fff;font-weight:bold}
.xsk-panel .widget-checkbox{align-items:center}
.xsk-panel .widget-checkbox .widget-label-basic{display:inline-flex;align-items:center}
.xsk-panel .widget-checkbox input[type=checkbox]{margin:0 6px 0 0;align-self:center}
.xsk-panel .xsk-kid-note{font-size:13px;color:var(--jp-ui-font-color1,#1f1f1f)}
.xsk-panel .xsk-kid-note:has(.widget-html-content:empty){display:none}
"""
PANEL_CSS = " ".join(PANEL_CSS.split())


@dataclass(frozen=True)
class Said:
    """A status line's sentence: ``text`` ("" clears the line), and whether it is an error."""

    text: str = ""
    error: bool = False

    @property
    def kind(self) -> str:
        """The status line's ``data-kind``: "", "ok" or "error"."""
        return ("error" if self.error else "ok") if self.text else ""


@dataclass(frozen=True)
class Saved:
    """What Save did: its sentence, and the field reset because it held a piece of a key
    (``"env_file"`` or ``"env_name"``, reset to :data:`FIELD_DEFAULTS`), if any."""

    said: Said
    cleared: str | None = None


class PanelSession:
    """This session's keys and what the panel's controls do with them.

    ``view`` is "notebook" or "app" (Voilà, the site's app page): it picks the wording.
    """

    def __init__(self, view: str = NOTEBOOK) -> None:
        self.view = APP if check_view(view) == APP else NOTEBOOK
        self.reports: list[KeyReport] = []  # newest last

    @property
    def report(self) -> KeyReport | None:
        """The newest key's report, or None before the first Generate."""
        return self.reports[-1] if self.reports else None

    @property
    def reveal_label(self) -> str:
        return REVEAL_LABELS[self.view]

    def generate(self, bits: int, alg: str | None, kid: str | None) -> Said:
        """Draw a new key with these options (a :class:`~xsk_nb.request.KeyRequest`, like the
        magic's): a refused option, or a failure once the key exists, is one error sentence."""
        request = KeyRequest(bits=bits, alg=alg, kid=kid)
        try:
            request = request.check()  # nothing drawn yet
        except RequestRefused as error:
            return Said(str(error), error=True)
        outcome = request.run(self._new_report)
        if outcome.failure is not None:
            return Said(outcome.failure, error=True)
        report: KeyReport = outcome.shown
        self.reports.append(report)
        return self.card_said(revealed=False)

    def _new_report(self, jwk: dict[str, str]) -> KeyReport:
        return KeyReport(jwk, view=self.view, drawn_with_secrets=True)

    def card_html(self, revealed: bool) -> str:
        """The newest key's card, masked, or shown with the panel's reveal warning ("" before
        the first key)."""
        report = self.report
        if report is None:
            return ""
        if not revealed:
            return report.to_html()
        shown = report.reveal()
        shown.reveal_warning = PANEL_REVEAL_WARNINGS[self.view]  # agreement A3
        return shown.to_html()

    def card_said(self, revealed: bool) -> Said:
        """The Generate status line's sentence about the card as it now is."""
        report = self.report
        if report is None:
            return Said()
        template = REVEALED if revealed else GENERATED
        return Said(template.format(bits=report.bits, label=report.label))

    def history_html(self) -> str:
        """The masked list of this session's keys ("" before the first)."""
        if not self.reports:
            return ""
        items = "".join(
            f"<li>{r.bits} bits · key {r.label} · "
            f"{DEFECT_PHRASE if r.stats.gross_defect else FINE_PHRASE}</li>"
            for r in self.reports
        )
        return f"<b>Keys this session</b> (masked):<ol>{items}</ol>"

    def copy_text(self, what: str) -> tuple[str, Said] | Said | None:
        """For Copy JWK (``"jwk"``) or Copy k (``"k"``): the text for the clipboard and the
        sentence once it is there; an error sentence before the first key; None for anything
        else (not a control's request: nothing to answer, nothing echoed)."""
        if not isinstance(what, str) or what not in COPY_WHAT:  # a list or dict is unhashable
            return None
        report = self.report
        if report is None:
            return Said(GENERATE_FIRST.format(action="copy"), error=True)
        jwk = report.jwk()
        text = json.dumps(jwk, separators=(",", ":")) if what == "jwk" else jwk["k"]
        done = COPIED.format(what=COPY_WHAT[what], label=report.label, length=len(text))
        return text, Said(done)

    def save(self, env_file: str, env_name: str, force: bool) -> Saved:
        """Save the newest key to the dotenv file: a :class:`~xsk_nb.request.KeyRequest`'s
        :meth:`~xsk_nb.request.KeyRequest.save` of the key on the card, so its checks, its
        writer (in the browser-only site the file stays in the page's memory) and its "saved"
        sentence are the magic's and the command line's. A field holding a piece of a key of
        this session is reset (so the piece leaves the page) and never echoed.
        """
        if self.report is None:
            return Saved(Said(NOT_SAVED.format(reason=GENERATE_FIRST.format(action="save")),
                              error=True))  # fmt: skip
        labels = {"env_name": ENV_NAME_LABEL, "env_file": ENV_FILE_LABEL}
        for field, text in (("env_name", env_name), ("env_file", env_file)):
            if self._holds_session_key_piece(text):
                reason = KEY_IN_FIELD.format(field=labels[field])
                return Saved(Said(NOT_SAVED.format(reason=reason), error=True), cleared=field)
        request = KeyRequest(
            bits=self.report.bits, env_file=env_file, env_name=env_name, force=force,
            saved_on=SAVED_ON_SERVER if self.view == APP else None, flags=PANEL_FLAGS,
        )  # fmt: skip
        try:
            outcome = request.save(self.report.jwk())
        except RequestRefused as error:
            return Saved(Said(NOT_SAVED.format(reason=_panel_wording(error)), error=True))
        if outcome.failure is not None:
            return Saved(Said(NOT_SAVED.format(reason=outcome.failure), error=True))
        return Saved(Said(outcome.sentence))

    def _holds_session_key_piece(self, text: object) -> bool:
        """True if ``text`` holds a piece of any key of this session (the request's rule)."""
        if not isinstance(text, str) or len(text) < KEY_PIECE:
            return False
        return any(holds_key_piece(text, report.jwk()["k"]) for report in self.reports)


def size_tooltips() -> list[str]:
    """Each size button's tooltip: its row of Xano's key-size table."""
    return [f"Xano's key-size table: {use_cases(size)}" for size in ALLOWED_BITS]


def size_line(bits: int) -> str:
    """The size buttons' line: Xano's label for the size, then what HMAC really does with it.

    The review (H9) found "High security" for 4096 beside badges that say it is hashed first:
    the kit's own reading follows Xano's words, computed from :func:`hmac_fits`.
    """
    fits = hmac_fits(validate_bits(bits))
    hashed = [fit.alg for fit in fits if fit.hashed_first]
    as_is = [fit.alg for fit in fits if not fit.hashed_first and fit.meets_minimum]
    parts = []
    if as_is:
        parts.append(f"{_and(as_is)} use{'s' if len(as_is) == 1 else ''} it as is")
    if hashed:
        parts.append(
            f"{_and(hashed)} hash{'es' if len(hashed) == 1 else ''} it first, so there it "
            "is no stronger than a 512-bit key"
        )
    return f"Xano's key-size table: {use_cases(bits)}. For HMAC: {'; '.join(parts)}."


def kid_note_html(kid: str | None) -> str:
    """The note beside the kid choice: the thumbprint's warning while it is picked, else ""."""
    return f"<span>{html.escape(KID_THUMBPRINT_NOTE)}</span>" if kid == "thumbprint" else ""


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _panel_wording(error: BaseException) -> str:
    """An error's sentence in the panel's words: its checkbox is "replace existing", not force.

    The .env writer speaks to API callers (``force=True``) and OS errors carry an errno prefix.
    """
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror}{where}."
    text = str(error)
    return re.sub(r"\b(?:use |pass )?force(?:=True)?\b", f'tick "{REPLACE_LABEL}"', text)


def warm_up_statistics() -> None:
    """Import the statistics now, not on the first Generate click."""
    import secrets

    from xsk_nb.stats import key_stats

    key_stats(secrets.token_bytes(64))  # random bytes, not a key: nothing kept
