"""The ipywidgets panel: generate, inspect, reveal, copy and save keys without typing.

An adapter like the magic: it turns clicks into calls of the core and shows the same
``KeyReport``. No synced widget trait holds key material unless the reveal box is ticked
(widget state can be saved into the notebook). Copy sends the key to the browser in one custom
comm message that is never stored (see :class:`CopyControl`). The panel is composed of widgets:
it owns a container and forwards ``_repr_mimebundle_`` to it.

Layout: every row is a wrapping flex box and no control has a fixed width, so at 400 px every
control stays whole; each action's result shows in a status line right after its control,
which scrolls itself into view when it changes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from xsk_nb.contract import ALLOWED_BITS, validate_bits
from xsk_nb.masking import (
    APP,
    NOTEBOOK,
    PANEL_REVEAL_WARNINGS,
    REVEAL_LABELS,
    check_view,
    current_view,
    revealed_metadata,
)
from xsk_nb.report import DEFECT_PHRASE, FINE_PHRASE, KeyReport
from xsk_nb.request import KEY_PIECE, KeyRequest, RequestRefused, holds_key_piece
from xsk_nb.strength import HMAC_ALGORITHMS, hmac_fits, use_cases

REPLACE_LABEL = "replace existing"
ENV_FILE_LABEL = ".env file"
ENV_NAME_LABEL = "name"
SAVE_LABEL = "Save key to .env"
GENERATE_FIRST = "Generate a key first, then {action} it."
#: After the path, in the app (Voila, panel.html): the file is not on the student's computer.
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

# Kept short and scoped to .xsk-panel: wrap instead of truncating, and let labels grow.
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

# The status line's front end: shows its text and brings it into view when it changes.
_STATUS_ESM = """
function render({ model, el }) {
  const line = document.createElement("div");
  line.className = "xsk-status";
  line.setAttribute("role", "status");
  el.appendChild(line);
  const show = (scroll) => {
    line.textContent = model.get("text");
    line.dataset.kind = model.get("kind");
    if (scroll && line.textContent) line.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  model.on("change:text", () => show(true));
  model.on("change:kind", () => show(true));
  show(false);
}
export default { render };
"""

# The size choice's front end (review C9): one native radio group, so the four sizes are one Tab
# stop and the arrow keys move the choice within the group. data-lm-suppress-shortcuts keeps
# JupyterLab's command-mode keys (ArrowDown: the next cell) from acting on a key pressed here.
_SIZE_ESM = """
let groups = 0;
function render({ model, el }) {
  const group = document.createElement("div");
  group.className = "xsk-size-group";
  group.setAttribute("role", "radiogroup");
  group.setAttribute("data-lm-suppress-shortcuts", "true");
  const legend = document.createElement("span");
  legend.className = "xsk-size-legend";
  legend.id = `xsk-size-legend-${++groups}-${Math.random().toString(36).slice(2, 8)}`;
  legend.textContent = model.get("description");
  group.setAttribute("aria-labelledby", legend.id);
  group.appendChild(legend);
  const name = `${legend.id}-radio`;
  const inputs = model.get("options").map((size, at) => {
    const label = document.createElement("label");
    label.className = "xsk-size-option";
    const tip = model.get("tooltips")[at];
    if (tip) label.title = tip;
    const input = document.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = String(size);
    input.addEventListener("change", () => {
      if (input.checked) { model.set("value", size); model.save_changes(); }
    });
    const text = document.createElement("span");
    text.textContent = String(size);
    label.append(input, text);
    group.appendChild(label);
    return input;
  });
  // Arrow keys stay in the group: the radios' own behaviour, never the page's or the notebook's.
  group.addEventListener("keydown", (event) => {
    if (event.key.startsWith("Arrow")) event.stopPropagation();
  });
  const show = () => {
    for (const input of inputs) input.checked = Number(input.value) === model.get("value");
  };
  model.on("change:value", show);
  show();
  el.appendChild(group);
}
export default { render };
"""

# The copy control's front end. The key arrives in one custom message (msg:custom), is written
# to the clipboard and dropped: it never enters a synced trait, the DOM's saved state or an
# output. Where the Clipboard API is missing (a page that is not a secure context) it falls back
# to a transient, immediately removed text area and execCommand("copy").
_COPY_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "xsk-copy-box";
  const status = document.createElement("div");
  status.className = "xsk-status xsk-copy-status";
  status.setAttribute("role", "status");
  const say = (text, kind) => {
    status.textContent = text;
    status.dataset.kind = kind;
    status.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  const buttons = [["jwk", "Copy JWK"], ["k", "Copy k"]].map(([what, label]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `jupyter-button widget-button xsk-copy-${what}`;
    button.textContent = label;
    button.addEventListener("click", () => model.send({ copy: what }));
    box.appendChild(button);
    return button;
  });
  const hint = document.createElement("p");
  hint.className = "xsk-copy-hint";
  hint.textContent = model.get("hint");
  model.on("change:hint", () => { hint.textContent = model.get("hint"); });
  // A new key: the last copy message spoke of the previous one.
  model.on("change:key_count", () => { status.textContent = ""; status.dataset.kind = ""; });
  el.append(box, status, hint);

  const fallback = (text) => {
    const area = document.createElement("textarea");
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
    area.value = text;
    el.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    area.value = "";
    area.remove();
    return ok;
  };
  model.on("msg:custom", async (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.error) { say(msg.error, "error"); return; }
    let text = msg.text;
    msg.text = null;
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (error) { ok = false; }
    if (!ok) ok = fallback(text);
    text = null;
    say(ok ? msg.done : msg.failed, ok ? "ok" : "error");
  });
}
export default { render };
"""


class _KernelOwnedState:
    """A widget whose synced traits only the kernel sets: a front end's update is dropped.

    A hostile or broken front end sending ``{"key_count": "x"}`` raised ``TraitError`` into an
    output; these widgets take no state from the page, so nothing is answered at all.
    """

    def set_state(self, sync_data: dict[str, Any]) -> None:
        return None


class StatusLine(_KernelOwnedState, anywidget.AnyWidget):
    """A one-line message next to a control; it scrolls into view when it changes.

    Its text never holds key material (paths, names, labels and sentences only).
    """

    _esm = _STATUS_ESM
    text = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("").tag(sync=True)  # "", "ok" or "error"

    def say(self, text: str, *, error: bool = False) -> None:
        with self.hold_sync():
            self.kind = ("error" if error else "ok") if text else ""
            self.text = text


class SizeChoice(anywidget.AnyWidget):
    """The key size as one radio group: ``value`` is one of ``options`` (bits).

    The page may change ``value`` (that is the student's choice), but only to one of the
    options; any other update from the front end is dropped, as for the kernel-owned widgets.
    """

    _esm = _SIZE_ESM
    value = traitlets.Int(2048).tag(sync=True)
    options = traitlets.List(traitlets.Int(), default_value=list(ALLOWED_BITS)).tag(sync=True)
    tooltips = traitlets.List(traitlets.Unicode()).tag(sync=True)
    description = traitlets.Unicode("Key size").tag(sync=True)

    @traitlets.validate("value")
    def _one_of_the_options(self, proposal: Any) -> int:
        return validate_bits(proposal["value"])

    def set_state(self, sync_data: dict[str, Any]) -> None:
        value = sync_data.get("value") if isinstance(sync_data, dict) else None
        if type(value) is int and value in self.options:
            super().set_state({"value": value})


class CopyControl(_KernelOwnedState, anywidget.AnyWidget):
    """ "Copy JWK" and "Copy k" buttons that put a key on the clipboard without a trace.

    The front end asks (``{"copy": "jwk" | "k"}``); the answer carries the key in one custom
    comm message (``Widget.send``), which the front end writes to the clipboard and drops.
    No trait of this widget ever holds key material, so saved widget state cannot either.
    anywidget (not a plain ipywidgets widget) because a front-end handler for the custom message
    is needed, and anywidget ships it as a small ES module with no build step, in JupyterLab,
    Notebook 7 and Voilà alike.
    """

    _esm = _COPY_ESM
    hint = traitlets.Unicode(COPY_HINT).tag(sync=True)
    key_count = traitlets.Int(0).tag(sync=True)  # bumped by each new key: clears the message

    def __init__(self, source: Callable[[], KeyReport | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._source = source
        self.on_msg(self._on_front_end_message)

    def _on_front_end_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        what = content.get("copy") if isinstance(content, dict) else None
        if not isinstance(what, str) or what not in COPY_WHAT:  # a list or dict is unhashable
            return  # not ours: nothing to answer, nothing echoed
        report = self._source()
        if report is None:
            self.send({"error": GENERATE_FIRST.format(action="copy")})
            return
        jwk = report.jwk()
        text = json.dumps(jwk, separators=(",", ":")) if what == "jwk" else jwk["k"]
        self.send(
            {
                "text": text,
                "done": COPIED.format(what=COPY_WHAT[what], label=report.label, length=len(text)),
                "failed": COPY_FAILED,
            }
        )


def _row(*children: widgets.Widget) -> widgets.HBox:
    box = widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap", width="100%"))
    box.add_class("xsk-row")
    return box


def _html(value: str = "", **kwargs: Any) -> widgets.HTML:
    """An HTML widget whose hidden label has no ``title="null"`` (ipywidgets writes a missing
    tooltip as the text "null", a stray tooltip; review C8)."""
    return widgets.HTML(value, tooltip="", **kwargs)


def _auto(**extra: str) -> widgets.Layout:
    """A layout that takes its content's width, may shrink to the row, and never overflows it."""
    return widgets.Layout(width="auto", max_width="100%", **extra)


class KeyPanel:
    """A key generator panel for students. Display it as a notebook cell's last expression.

    ``view`` ("notebook" or "app") picks the wording; by default it is detected (Voilà is an app).
    """

    def __init__(self, bits: int = 2048, *, view: str | None = None) -> None:
        bits = validate_bits(bits)
        view = current_view() if view is None else check_view(view)
        self.view = APP if view == APP else NOTEBOOK
        self.reports: list[KeyReport] = []  # this session's keys, newest last (not synced)
        label = {"description_width": "initial"}
        self.bits = SizeChoice(
            value=bits,
            tooltips=[f"Xano's key-size table: {use_cases(size)}" for size in ALLOWED_BITS],
            layout=_auto(),
        )
        self.use_case = _html(layout=_auto())
        self.alg = widgets.Dropdown(
            options=[("no alg", None), *((name, name) for name in HMAC_ALGORITHMS)],
            index=0,  # a None-valued first option otherwise starts unselected: a blank box
            description="alg",
            style=label,
            layout=_auto(),
        )
        self.kid = widgets.Dropdown(
            options=[("no kid", None), ("random", "random"), ("RFC 7638 thumbprint", "thumbprint")],
            index=0,
            description="kid",
            style=label,
            layout=_auto(),
        )
        self.kid_note = _html(layout=_auto(flex="1 1 12em"))
        self.generate_button = widgets.Button(
            description="Generate", button_style="primary", layout=_auto()
        )
        self.generate_message = StatusLine(layout=_auto(flex="1 1 12em"))
        self.reveal = widgets.Checkbox(
            value=False, description=REVEAL_LABELS[self.view], indent=False, layout=_auto()
        )
        self.report_view = _html(layout=widgets.Layout(width="100%", max_width="100%"))
        self.copy = CopyControl(lambda: self.report, layout=widgets.Layout(width="100%"))
        self.history = _html(layout=_auto())
        self.env_path = widgets.Text(
            value=".env", description=ENV_FILE_LABEL, style=label, layout=_auto(flex="1 1 10em")
        )
        self.env_name = widgets.Text(
            value="JWT_SECRET", description=ENV_NAME_LABEL, style=label,
            layout=_auto(flex="1 1 10em"),
        )
        self.env_force = widgets.Checkbox(
            value=False, description=REPLACE_LABEL, indent=False, layout=_auto()
        )
        self.env_save = widgets.Button(description=SAVE_LABEL, layout=_auto())
        self.save_message = StatusLine(layout=widgets.Layout(width="100%"))

        for widget, css in (
            (self.bits, "xsk-bits"),
            (self.alg, "xsk-alg"),
            (self.kid, "xsk-kid"),
            (self.generate_button, "xsk-generate"),
            (self.generate_message, "xsk-generate-message"),
            (self.reveal, "xsk-reveal"),
            (self.report_view, "xsk-report"),
            (self.copy, "xsk-copy"),
            (self.history, "xsk-history"),
            (self.env_path, "xsk-env-path"),
            (self.env_name, "xsk-env-name"),
            (self.env_force, "xsk-env-force"),
            (self.env_save, "xsk-env-save"),
            (self.save_message, "xsk-save-message"),
            (self.use_case, "xsk-use-case"),
            (self.kid_note, "xsk-kid-note"),
        ):
            widget.add_class(css)
        self.container = widgets.VBox(
            [
                _row(self.bits),
                self.use_case,
                _row(self.alg, self.kid, self.kid_note),
                _row(self.generate_button, self.reveal, self.generate_message),
                self.report_view,
                self.copy,
                _row(self.env_path, self.env_name, self.env_force, self.env_save),
                self.save_message,
                self.history,
            ],
            layout=widgets.Layout(width="100%", max_width="100%"),
        )
        self.container.add_class("xsk-panel")

        self.bits.observe(self._show_use_case, names="value")
        self.kid.observe(self._show_kid_note, names="value")
        self.generate_button.on_click(lambda _button: self.generate())
        self.reveal.observe(self._on_reveal, names="value")
        self.env_save.on_click(lambda _button: self.save_to_env())
        self._show_use_case()
        _warm_up_statistics()

    @property
    def report(self) -> KeyReport | None:
        """The newest key's report, or None before the first Generate."""
        return self.reports[-1] if self.reports else None

    def generate(self) -> KeyReport | None:
        """Draw a new key with the chosen options; the reveal box is cleared for every new key.

        The key is a :class:`xsk_nb.request.KeyRequest`'s, like the magic's: a refused option or
        a failure once the key exists is one sentence beside Generate.
        """
        request = KeyRequest(bits=self.bits.value, alg=self.alg.value, kid=self.kid.value)
        try:
            request = request.check()  # nothing drawn yet
        except RequestRefused as error:
            self.generate_message.say(str(error), error=True)
            return None
        outcome = request.run(self._new_report)
        if outcome.failure is not None:
            self.generate_message.say(outcome.failure, error=True)
            return None
        report: KeyReport = outcome.shown
        self.reports.append(report)
        if self.reveal.value:
            self.reveal.value = False  # triggers _render
        else:
            self._render()
        self.generate_message.say(GENERATED.format(bits=report.bits, label=report.label))
        self.copy.key_count = len(self.reports)
        self.save_message.say("")
        self.history.value = (
            "<b>Keys this session</b> (masked):<ol>"
            + "".join(
                f"<li>{r.bits} bits · key {r.label} · "
                f"{DEFECT_PHRASE if r.stats.gross_defect else FINE_PHRASE}</li>"
                for r in self.reports
            )
            + "</ol>"
        )
        return report

    def _new_report(self, jwk: dict[str, str]) -> KeyReport:
        return KeyReport(jwk, view=self.view, drawn_with_secrets=True)

    def save_to_env(self) -> None:
        """Save the newest key to the dotenv file: a :class:`~xsk_nb.request.KeyRequest`'s
        :meth:`~xsk_nb.request.KeyRequest.save` of the key on the card, so its checks, its
        writer (in the browser-only site the file stays in the page's memory) and its "saved"
        sentence are the magic's and the command line's.
        """
        if self.report is None:
            self.save_message.say(NOT_SAVED.format(reason=GENERATE_FIRST.format(action="save")),
                                  error=True)  # fmt: skip
            return
        for field, default in ((self.env_name, "JWT_SECRET"), (self.env_path, ".env")):
            if self._holds_session_key_piece(field.value):
                field.value = default  # the piece leaves the synced state; it is never echoed
                reason = KEY_IN_FIELD.format(field=field.description)
                self.save_message.say(NOT_SAVED.format(reason=reason), error=True)
                return
        request = KeyRequest(
            bits=self.report.bits, env_file=self.env_path.value, env_name=self.env_name.value,
            force=self.env_force.value, saved_on=SAVED_ON_SERVER if self.view == APP else None,
            flags=PANEL_FLAGS,
        )  # fmt: skip
        try:
            outcome = request.save(self.report.jwk())
        except RequestRefused as error:
            self.save_message.say(NOT_SAVED.format(reason=_panel_wording(error)), error=True)
            return
        if outcome.failure is not None:
            self.save_message.say(NOT_SAVED.format(reason=outcome.failure), error=True)
            return
        self.save_message.say(outcome.sentence)

    def _holds_session_key_piece(self, text: object) -> bool:
        """True if ``text`` holds a piece of any key of this session (the request's rule)."""
        if not isinstance(text, str) or len(text) < KEY_PIECE:
            return False
        return any(holds_key_piece(text, report.jwk()["k"]) for report in self.reports)

    def _render(self) -> None:
        report = self.report
        if report is None:
            self.report_view.value = ""
            return
        if self.reveal.value:
            shown = report.reveal()
            shown.reveal_warning = PANEL_REVEAL_WARNINGS[self.view]  # agreement A3
        else:
            shown = report
        self.report_view.value = shown.to_html()

    def _on_reveal(self, _change: Any = None) -> None:
        self._render()
        report = self.report
        if report is not None:  # the status line speaks of the card as it now is
            template = REVEALED if self.reveal.value else GENERATED
            self.generate_message.say(template.format(bits=report.bits, label=report.label))

    def _show_use_case(self, _change: Any = None) -> None:
        self.use_case.value = (
            f"<style>{PANEL_CSS}</style><span>{html.escape(size_line(self.bits.value))}</span>"
        )

    def _show_kid_note(self, _change: Any = None) -> None:
        shown = self.kid.value == "thumbprint"
        self.kid_note.value = f"<span>{html.escape(KID_THUMBPRINT_NOTE)}</span>" if shown else ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.container._repr_mimebundle_(**kwargs)
        # The container's repr would list every child's value; keep the saved text short and stable.
        bundle["text/plain"] = f"KeyPanel ({len(self.reports)} keys; open in Jupyter to use it)"
        if self.reveal.value and self.report is not None:  # shown while revealed: A2
            return bundle, revealed_metadata()
        return bundle


def size_line(bits: int) -> str:
    """The size buttons' line: Xano's label for the size, then what HMAC really does with it.

    The review (H9) found "High security" for 4096 beside badges that say it is hashed first:
    the kit's own reading follows Xano's words, computed from :func:`hmac_fits`.
    """
    fits = hmac_fits(bits)
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


def _warm_up_statistics() -> None:
    """Import the statistics (scipy's incomplete gamma) now, not on the first Generate click."""
    import secrets

    from xsk_nb.stats import key_stats

    key_stats(secrets.token_bytes(64))  # random bytes, not a key: nothing kept


def copy_view(report: KeyReport) -> widgets.VBox:
    """The copy control and the masked card of ``report`` (``%xs_secret_key --copy``)."""
    masked_report = KeyReport(report.jwk(), plot=report.plot, view=report.view)
    card = _html(masked_report.to_html(), layout=widgets.Layout(width="100%"))
    card.add_class("xsk-report")
    control = CopyControl(lambda: masked_report, layout=widgets.Layout(width="100%"))
    control.add_class("xsk-copy")
    style = _html(f"<style>{PANEL_CSS}</style>", layout=widgets.Layout(height="0px"))
    box = widgets.VBox([style, control, card], layout=widgets.Layout(width="100%"))
    box.add_class("xsk-panel")
    return box


def panel(bits: int = 2048, *, view: str | None = None) -> KeyPanel:
    """A new :class:`KeyPanel` (display it as a cell's last expression)."""
    return KeyPanel(bits, view=view)
