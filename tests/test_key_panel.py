"""The widget panel, driven as a student would: .value assignments and Button.click()."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from leakcheck import assert_no_key_material
from shell import loaded_shell

from xsk_nb import masking
from xsk_nb.key_panel import (
    COPY_HINT,
    REPLACE_LABEL,
    CopyControl,
    KeyPanel,
    StatusLine,
    copy_view,
    panel,
)
from xsk_nb.keygen import ALLOWED_BITS, key_bytes


def synced_state(root: KeyPanel | widgets.Widget) -> str:
    """Everything the widgets would save into the notebook's widget state."""
    top = root.container if isinstance(root, KeyPanel) else root
    states = {w.model_id: w.get_state() for w in _all_widgets(top)}
    return json.dumps(
        states, default=lambda v: bytes(v).hex() if isinstance(v, (bytes, memoryview)) else repr(v)
    )


def _all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    found = [root]
    for child in getattr(root, "children", ()):
        found += _all_widgets(child)
    return found


class SentMessages:
    """Records what a widget sends to the front end in custom messages (Widget.send)."""

    def __init__(self, widget: widgets.Widget, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[dict[str, Any]] = []
        monkeypatch.setattr(widget, "send", lambda content, buffers=None: self.sent.append(content))


def click_copy(control: CopyControl, what: str) -> None:
    """What the front end's Copy button does: a custom message {"copy": what} to the kernel."""
    control._handle_custom_msg({"copy": what}, [])


@pytest.mark.parametrize("bits", ALLOWED_BITS)
def test_each_size_generates_a_masked_report(bits: int) -> None:
    p = panel(view="notebook")
    p.bits.value = bits
    p.generate_button.click()
    assert p.report is not None and len(key_bytes(p.report.jwk())) == bits // 8
    assert f'data-bits="{bits}"' in p.report_view.value
    for css in ("xsk-masked-k", "xsk-visual"):
        assert f'class="{css}"' in p.report_view.value
    assert f"key {p.report.label}" in p.generate_message.text  # the result, next to Generate
    assert_no_key_material(synced_state(p), p.report.jwk()["k"], "widget state")
    assert_no_key_material(p._repr_mimebundle_(), p.report.jwk()["k"], "mimebundle")


def test_reveal_shows_the_key_and_unticking_hides_it_again() -> None:
    p = panel(512, view="notebook")
    p.generate_button.click()
    k = p.report.jwk()["k"]
    p.reveal.value = True
    assert k in p.report_view.value and 'class="xsk-reveal-warning"' in p.report_view.value
    p.reveal.value = False
    assert_no_key_material(synced_state(p), k, "widget state after hiding")


def test_a_new_key_is_never_shown_revealed() -> None:
    p = panel(512)
    p.generate_button.click()
    p.reveal.value = True
    p.generate_button.click()
    assert p.reveal.value is False
    assert_no_key_material(synced_state(p), p.report.jwk()["k"], "widget state")


def test_alg_and_kid_choices_reach_the_key() -> None:
    p = panel(1024)
    p.alg.value, p.kid.value = "HS384", "random"
    p.generate_button.click()
    jwk = p.report.jwk()
    assert jwk["alg"] == "HS384" and jwk["kid"]


def test_history_lists_every_key_masked() -> None:
    p = panel(512)
    for _ in range(3):
        p.generate_button.click()
    assert len(p.reports) == 3
    for report in p.reports:
        assert report.label in p.history.value
        assert_no_key_material(p.history.value, report.jwk()["k"], "history")


def test_save_reports_the_absolute_path_next_to_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    p = panel(512, view="notebook")
    p.env_save.click()
    assert "Generate a key first" in p.save_message.text and p.save_message.kind == "error"
    p.generate_button.click()
    p.env_save.click()  # the default ".env", relative to the kernel's folder
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    assert p.report.jwk()["k"] in (tmp_path / ".env").read_text()
    assert f"in {tmp_path / '.env'};" in p.save_message.text and p.save_message.kind == "ok"
    assert "server" not in p.save_message.text
    assert_no_key_material(synced_state(p), p.report.jwk()["k"], "widget state")


def test_a_refused_save_says_why_in_the_panels_words(tmp_path: Path) -> None:
    p = panel(512)
    p.generate_button.click()
    p.env_path.value = str(tmp_path / ".env")
    p.env_save.click()
    before = (tmp_path / ".env").read_text()
    p.generate_button.click()
    p.env_save.click()  # same name again: refused, visibly, in the checkbox's words
    message = p.save_message.text
    assert message.startswith("Not saved:") and p.save_message.kind == "error"
    assert f'"{REPLACE_LABEL}"' in message and "force" not in message
    assert (tmp_path / ".env").read_text() == before  # nothing half-written
    assert p.env_force.description == REPLACE_LABEL
    p.env_force.value = True
    p.env_save.click()
    assert p.save_message.kind == "ok" and p.report.jwk()["k"] in (tmp_path / ".env").read_text()
    p.env_name.value = "not a name"
    p.env_save.click()
    assert "env name must be a variable name" in p.save_message.text
    p.env_name.value = "OTHER"
    p.env_path.value = str(tmp_path / "missing" / ".env")
    p.env_save.click()
    assert p.save_message.kind == "error" and "Traceback" not in p.save_message.text


def test_in_an_app_view_save_says_the_file_is_on_the_server(tmp_path: Path) -> None:
    p = panel(512, view="app")
    p.generate_button.click()
    p.env_path.value = str(tmp_path / ".env")
    p.env_save.click()
    assert "on the server that runs this app" in p.save_message.text
    assert str(tmp_path / ".env") in p.save_message.text


@pytest.mark.parametrize("view", ["notebook", "app"])
def test_in_the_browser_only_site_save_says_the_file_is_in_the_tab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    """Under Pyodide the file lives in the tab's memory: neither "server" nor a lasting file."""
    monkeypatch.setattr("sys.platform", "emscripten")
    p = panel(512, view=view)
    p.generate_button.click()
    p.env_path.value = str(tmp_path / ".env")
    p.env_save.click()
    assert p.save_message.kind == "ok"
    assert "inside this browser tab's Python" in p.save_message.text
    assert "server" not in p.save_message.text


@pytest.mark.parametrize("view", ["notebook", "app"])
def test_wording_fits_the_view(view: str) -> None:
    p = panel(512, view=view)
    p.generate_button.click()
    p.reveal.value = True
    shown = p.report_view.value + p.reveal.description + p.use_case.value
    assert masking.REVEAL_WARNINGS[view] in shown.replace("&#x27;", "'")
    if view == "app":
        assert "saved with the notebook" not in shown and ".reveal()" not in shown
    assert "Seed's" not in shown


@pytest.mark.parametrize(("what", "expected"), [("jwk", "jwk"), ("k", "k")])
def test_copy_sends_the_key_once_and_keeps_no_trace(
    what: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = panel(512)
    messages = SentMessages(p.copy, monkeypatch)
    click_copy(p.copy, what)
    assert messages.sent == [{"error": "Generate a key first, then copy it."}]
    p.generate_button.click()
    click_copy(p.copy, what)
    jwk = p.report.jwk()
    sent = messages.sent[-1]
    want = json.dumps(jwk, separators=(",", ":")) if expected == "jwk" else jwk["k"]
    assert sent["text"] == want
    if expected == "jwk":
        assert json.loads(sent["text"]) == jwk
    assert p.report.label in sent["done"] and jwk["k"] not in sent["done"] + sent["failed"]
    assert_no_key_material(synced_state(p), jwk["k"], "widget state after copy")
    assert_no_key_material(p._repr_mimebundle_(), jwk["k"], "mimebundle after copy")


def test_copy_ignores_messages_that_are_not_a_copy_request(monkeypatch: pytest.MonkeyPatch) -> None:
    p = panel(512)
    p.generate_button.click()
    messages = SentMessages(p.copy, monkeypatch)
    for content in ({"copy": "everything"}, {"copy": None}, {}, {"other": 1}):
        p.copy._handle_custom_msg(content, [])
    assert messages.sent == []


def test_copy_says_which_xano_wants_where() -> None:
    control = panel(512).copy
    assert control.hint == COPY_HINT
    assert "Copy JWK" in COPY_HINT and "Copy k" in COPY_HINT and "jws_encode" in COPY_HINT


def test_copy_view_holds_only_the_copy_control_and_the_masked_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xsk_nb.report import KeyReport

    report = KeyReport.generate(512).reveal()
    view = copy_view(report)
    assert [type(w).__name__ for w in view.children] == ["HTML", "CopyControl", "HTML"]
    card = next(w for w in view.children if "xsk-report" in w._dom_classes)
    assert 'class="xsk-masked-k"' in card.value and 'class="xsk-revealed-k"' not in card.value
    control = next(w for w in view.children if isinstance(w, CopyControl))
    messages = SentMessages(control, monkeypatch)
    click_copy(control, "k")
    assert messages.sent[-1]["text"] == report.jwk()["k"]
    assert_no_key_material(synced_state(view), report.jwk()["k"], "copy view state")


def test_magic_copy_flag_shows_the_copy_view(monkeypatch: pytest.MonkeyPatch) -> None:
    from xsk_nb import keygen

    drawn: list[bytes] = []
    real = keygen.secrets.token_bytes
    monkeypatch.setattr(keygen.secrets, "token_bytes", lambda n: drawn.append(real(n)) or drawn[-1])
    shell: InteractiveShell = loaded_shell()
    with capture_output() as captured:
        result = shell.run_cell("%xs_secret_key --bits 512 --copy", store_history=False)
    assert result.success and len(captured.outputs) == 1
    data = captured.outputs[0].data
    assert "application/vnd.jupyter.widget-view+json" in data
    k = keygen.b64url_encode(drawn[-1])
    assert_no_key_material(repr(data), k, "--copy output")


def test_status_lines_hold_no_key_and_scroll_into_view() -> None:
    p = panel(512)
    assert isinstance(p.generate_message, StatusLine) and isinstance(p.save_message, StatusLine)
    assert "scrollIntoView" in str(p.save_message._esm)  # the front end brings it into view


def test_controls_wrap_and_never_have_a_fixed_width() -> None:
    """At 400 px every control must stay whole: no fixed pixel widths, rows that wrap."""
    p = panel()
    rows = [w for w in p.container.children if isinstance(w, widgets.HBox)]
    assert rows and all(row.layout.flex_flow == "row wrap" for row in rows)
    for widget in _all_widgets(p.container):
        width = widget.layout.width or ""
        assert not width.endswith("px"), (type(widget).__name__, width)


def test_bad_panel_size_is_refused() -> None:
    with pytest.raises(ValueError, match="bits must be one of 512, 1024, 2048 or 4096"):
        panel(256)


def test_sizes_carry_the_use_cases() -> None:
    p = panel()
    assert "Development/testing" in p.bits.tooltips[0]
    p.bits.value = 4096
    assert "High security" in p.use_case.value


def test_css_classes_for_browser_tests() -> None:
    p = panel()
    assert "xsk-panel" in p.container._dom_classes
    for widget, css in (
        (p.bits, "xsk-bits"),
        (p.generate_button, "xsk-generate"),
        (p.generate_message, "xsk-generate-message"),
        (p.reveal, "xsk-reveal"),
        (p.report_view, "xsk-report"),
        (p.copy, "xsk-copy"),
        (p.history, "xsk-history"),
        (p.env_save, "xsk-env-save"),
        (p.save_message, "xsk-save-message"),
    ):
        assert css in widget._dom_classes


def test_saved_text_is_short_and_stable() -> None:
    p = panel()
    bundle = p._repr_mimebundle_()
    assert bundle["text/plain"] == "KeyPanel (0 keys; open in Jupyter to use it)"
    assert "application/vnd.jupyter.widget-view+json" in bundle
