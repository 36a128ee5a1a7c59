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
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from xsk_nb.contract import ALLOWED_BITS, validate_bits
from xsk_nb.masking import current_view, revealed_metadata
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
    WRITE_CLIPBOARD_JS,
    PanelSession,
    Said,
    kid_note_html,
    size_line,
    size_tooltips,
    warm_up_statistics,
)
from xsk_nb.report import KeyReport

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
# to the clipboard (panel_session.WRITE_CLIPBOARD_JS) and dropped: it never enters a synced
# trait, the DOM's saved state or an output.
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
  const buttons = @@COPY_LABELS@@.map(([what, label]) => {
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

  const writeClipboard = @@WRITE_CLIPBOARD@@;
  model.on("msg:custom", async (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.error) { say(msg.error, "error"); return; }
    let text = msg.text;
    msg.text = null;
    const ok = await writeClipboard(text, el);
    text = null;
    say(ok ? msg.done : msg.failed, ok ? "ok" : "error");
  });
}
export default { render };
""".replace("@@WRITE_CLIPBOARD@@", WRITE_CLIPBOARD_JS).replace(
    "@@COPY_LABELS@@", json.dumps(list(COPY_LABELS.items()))
)


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

    def __init__(self, session: PanelSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._session = session
        self.on_msg(self._on_front_end_message)

    def _on_front_end_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        what = content.get("copy") if isinstance(content, dict) else None
        answer = self._session.copy_text(what)  # type: ignore[arg-type]  # checked there
        if answer is None:
            return  # not ours: nothing to answer, nothing echoed
        if isinstance(answer, Said):
            self.send({"error": answer.text})
            return
        text, done = answer
        self.send({"text": text, "done": done.text, "failed": COPY_FAILED})


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
    What each control does and says is a :class:`~xsk_nb.panel_session.PanelSession`'s (the
    site's app page shares it); this class lays out the widgets and forwards their events.
    """

    def __init__(self, bits: int = 2048, *, view: str | None = None) -> None:
        bits = validate_bits(bits)
        self.session = PanelSession(current_view() if view is None else view)
        label = {"description_width": "initial"}
        self.bits = SizeChoice(value=bits, tooltips=size_tooltips(), description=SIZE_LABEL,
                               layout=_auto())  # fmt: skip
        self.use_case = _html(layout=_auto())
        self.alg = widgets.Dropdown(
            options=list(ALG_CHOICES),
            index=0,  # a None-valued first option otherwise starts unselected: a blank box
            description="alg",
            style=label,
            layout=_auto(),
        )
        self.kid = widgets.Dropdown(
            options=list(KID_CHOICES), index=0, description="kid", style=label, layout=_auto()
        )
        self.kid_note = _html(layout=_auto(flex="1 1 12em"))
        self.generate_button = widgets.Button(
            description=GENERATE_LABEL, button_style="primary", layout=_auto()
        )
        self.generate_message = StatusLine(layout=_auto(flex="1 1 12em"))
        self.reveal = widgets.Checkbox(
            value=False, description=self.session.reveal_label, indent=False, layout=_auto()
        )
        self.report_view = _html(layout=widgets.Layout(width="100%", max_width="100%"))
        self.copy = CopyControl(self.session, layout=widgets.Layout(width="100%"))
        self.history = _html(layout=_auto())
        self.env_path = widgets.Text(
            value=FIELD_DEFAULTS["env_file"], description=ENV_FILE_LABEL, style=label,
            layout=_auto(flex="1 1 10em"),
        )  # fmt: skip
        self.env_name = widgets.Text(
            value=FIELD_DEFAULTS["env_name"], description=ENV_NAME_LABEL, style=label,
            layout=_auto(flex="1 1 10em"),
        )  # fmt: skip
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
        warm_up_statistics()

    @property
    def view(self) -> str:
        """The wording's view: "notebook" or "app" (the session's)."""
        return self.session.view

    @property
    def reports(self) -> list[KeyReport]:
        """This session's keys, newest last (the session's; never synced)."""
        return self.session.reports

    @property
    def report(self) -> KeyReport | None:
        """The newest key's report, or None before the first Generate."""
        return self.session.report

    def generate(self) -> KeyReport | None:
        """Draw a new key with the chosen options; the reveal box is cleared for every new key.

        A refused option or a failure once the key exists is one sentence beside Generate.
        """
        said = self.session.generate(self.bits.value, self.alg.value, self.kid.value)
        if said.error:
            _say(self.generate_message, said)
            return None
        if self.reveal.value:
            self.reveal.value = False  # triggers _render
        else:
            self._render()
        _say(self.generate_message, said)
        self.copy.key_count = len(self.reports)
        _say(self.save_message, Said())
        self.history.value = self.session.history_html()
        return self.report

    def save_to_env(self) -> None:
        """Save the newest key to the dotenv file (:meth:`PanelSession.save`); a field that held
        a piece of a key is reset, so the piece leaves the synced state."""
        saved = self.session.save(self.env_path.value, self.env_name.value, self.env_force.value)
        if saved.cleared is not None:
            field = self.env_path if saved.cleared == "env_file" else self.env_name
            field.value = FIELD_DEFAULTS[saved.cleared]
        _say(self.save_message, saved.said)

    def _render(self) -> None:
        self.report_view.value = self.session.card_html(self.reveal.value)

    def _on_reveal(self, _change: Any = None) -> None:
        self._render()
        if self.report is not None:  # the status line speaks of the card as it now is
            _say(self.generate_message, self.session.card_said(self.reveal.value))

    def _show_use_case(self, _change: Any = None) -> None:
        self.use_case.value = (
            f"<style>{PANEL_CSS}</style><span>{html.escape(size_line(self.bits.value))}</span>"
        )

    def _show_kid_note(self, _change: Any = None) -> None:
        self.kid_note.value = kid_note_html(self.kid.value)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.container._repr_mimebundle_(**kwargs)
        # The container's repr would list every child's value; keep the saved text short and stable.
        bundle["text/plain"] = f"KeyPanel ({len(self.reports)} keys; open in Jupyter to use it)"
        if self.reveal.value and self.report is not None:  # shown while revealed: A2
            return bundle, revealed_metadata()
        return bundle


def _say(line: StatusLine, said: Said) -> None:
    line.say(said.text, error=said.error)


def copy_view(report: KeyReport) -> widgets.VBox:
    """The copy control and the masked card of ``report`` (``%xs_secret_key --copy``)."""
    masked_report = KeyReport(report.jwk(), plot=report.plot, view=report.view)
    card = _html(masked_report.to_html(), layout=widgets.Layout(width="100%"))
    card.add_class("xsk-report")
    session = PanelSession()
    session.reports.append(masked_report)
    control = CopyControl(session, layout=widgets.Layout(width="100%"))
    control.add_class("xsk-copy")
    style = _html(f"<style>{PANEL_CSS}</style>", layout=widgets.Layout(height="0px"))
    box = widgets.VBox([style, control, card], layout=widgets.Layout(width="100%"))
    box.add_class("xsk-panel")
    return box


def panel(bits: int = 2048, *, view: str | None = None) -> KeyPanel:
    """A new :class:`KeyPanel` (display it as a cell's last expression)."""
    return KeyPanel(bits, view=view)
