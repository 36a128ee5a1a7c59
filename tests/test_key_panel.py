"""The widget panel, driven as a student would: .value assignments and Button.click()."""

from __future__ import annotations

import html
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
from xsk_nb.contract import ALLOWED_BITS
from xsk_nb.key_panel import (
    COPY_HINT,
    REPLACE_LABEL,
    CopyControl,
    KeyPanel,
    StatusLine,
    copy_view,
    panel,
)
from xsk_nb.keygen import key_bytes


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
    assert p.save_message.kind == "ok"
    assert f"in {tmp_path / '.env'} (mode 600);" in p.save_message.text
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


@pytest.fixture
def browser_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Pyodide as the site runs it: the drive (the site's lasting storage) is the working folder."""
    from xsk_nb import envfile

    drive, memory = tmp_path / "drive", tmp_path / "memory"
    (drive / "notebooks").mkdir(parents=True)
    monkeypatch.setattr("sys.platform", "emscripten")
    monkeypatch.setattr(envfile, "BROWSER_DRIVE", drive)
    monkeypatch.setattr(envfile, "BROWSER_MEMORY", memory)
    monkeypatch.chdir(drive)
    return drive, memory


@pytest.mark.parametrize("view", ["notebook", "app"])
@pytest.mark.parametrize(
    ("typed", "kept_at"),
    [(".env", ".env"), ("notebooks/.env", "notebooks/.env"), ("{drive}/x.env", "x.env"),
     ("notebooks/../.env", ".env")],
)  # fmt: skip
def test_in_the_browser_only_site_save_keeps_the_key_in_the_page_memory_only(
    browser_site: tuple[Path, Path], view: str, typed: str, kept_at: str
) -> None:
    """Issue 20 item 1 / A4: nothing lands in the site's storage, and the message says so."""
    from xsk_nb.envfile import IN_PAGE_MEMORY
    from xsk_nb.request import saved_as

    drive, memory = browser_site
    p = panel(512, view=view)
    p.generate_button.click()
    p.env_path.value = typed.format(drive=drive)
    p.env_save.click()
    assert p.save_message.kind == "ok", p.save_message.text
    k = p.report.jwk()["k"]
    assert k in (memory / kept_at).read_text()
    assert not [f for f in drive.rglob("*") if f.is_file()], "the key reached the site's storage"
    # The request's one "saved" sentence, as the magic and the command line say it.
    assert p.save_message.text == (
        f"Saved key {p.report.label} (512 bits) "
        f"{saved_as('JWT_SECRET', (memory / kept_at).resolve())}, {IN_PAGE_MEMORY}; "
        "it is not shown here."
    )
    assert "memory only" in p.save_message.text and "server" not in p.save_message.text
    # A second save to the same name is refused as anywhere else, and the first one is kept.
    p.env_save.click()
    assert p.save_message.kind == "error" and "already set" in p.save_message.text


def test_in_the_browser_a_missing_folder_is_refused_not_made(
    browser_site: tuple[Path, Path],
) -> None:
    drive, memory = browser_site
    p = panel(512)
    p.generate_button.click()
    p.env_path.value = "no_such_dir/.env"
    p.env_save.click()
    assert p.save_message.kind == "error" and "does not exist" in p.save_message.text
    assert not (memory / "no_such_dir").exists() and not (drive / "no_such_dir").exists()


@pytest.mark.parametrize("view", ["notebook", "app"])
def test_wording_fits_the_view(view: str) -> None:
    p = panel(512, view=view)
    p.generate_button.click()
    p.reveal.value = True
    shown = p.report_view.value + p.reveal.description + p.use_case.value
    assert masking.PANEL_REVEAL_WARNINGS[view] in html.unescape(shown)
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


@pytest.mark.parametrize("field", ["env_name", "env_path"])
def test_a_piece_of_this_sessions_key_typed_in_a_field_is_refused_and_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    """Issue 24 leak 7: a 40-character piece of k as the name was saved and echoed."""
    from xsk_nb.panel_session import KEY_IN_FIELD, NOT_SAVED

    monkeypatch.chdir(tmp_path)
    p = panel(512)
    p.generate_button.click()
    older_k = p.report.jwk()["k"]
    p.generate_button.click()  # a key of this session, not only the newest one, is caught
    piece = older_k[5:45]
    getattr(p, field).value = piece
    p.env_save.click()
    assert p.save_message.kind == "error"
    assert p.save_message.text == NOT_SAVED.format(
        reason=KEY_IN_FIELD.format(field=getattr(p, field).description)
    )
    assert getattr(p, field).value in ("JWT_SECRET", ".env")
    for k in (older_k, p.report.jwk()["k"]):
        assert_no_key_material(synced_state(p), k, "widget state")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [{"copy": ["jwk"]}, {"copy": {"a": 1}}, {"copy": 1}, ["copy"], "copy", None, {"copy": b"k"}],
)
def test_copy_answers_a_hostile_front_end_with_nothing(
    content: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24: {'copy': ['jwk']} raised TypeError into an output."""
    p = panel(512)
    p.generate_button.click()
    messages = SentMessages(p.copy, monkeypatch)
    p.copy._handle_custom_msg(content, [])
    assert messages.sent == []


@pytest.mark.parametrize(
    "state", [{"key_count": "x"}, {"key_count": None}, {"hint": 5}, {"text": ["a"]}, {"kind": {}}]
)
def test_state_a_hostile_front_end_sends_is_dropped(state: dict[str, Any]) -> None:
    """Issue 24: a non-int key_count from the page raised TraitError."""
    p = panel(512)
    p.generate_button.click()
    before = (p.copy.key_count, p.copy.hint, p.generate_message.text)
    for widget in (p.copy, p.generate_message, p.save_message):
        widget.set_state(state)
    assert (p.copy.key_count, p.copy.hint, p.generate_message.text) == before


def test_the_panels_reveal_says_when_the_key_is_saved_with_the_notebook() -> None:
    """A3 / issue 20 item 7: widget state is saved only with Save Widget State Automatically."""
    p = panel(512, view="notebook")
    p.generate_button.click()
    assert "Save Widget State" in p.reveal.description
    p.reveal.value = True
    page = html.unescape(p.report_view.value)
    assert masking.REVEAL_WARNING_PANEL in page
    assert "Settings > Save Widget State Automatically" in masking.REVEAL_WARNING_PANEL
    assert "clear this output" not in page  # that would delete the panel
    assert p.generate_message.text == (
        f"Key {p.report.label} is shown below: untick Reveal to hide it again."
    )
    p.reveal.value = False
    assert "masked below" in p.generate_message.text


def test_a_panel_displayed_while_revealed_says_so_in_its_output_metadata() -> None:
    """A2: an output made while a key is revealed carries {"xsk_nb": {"revealed": true}}."""
    p = panel(512)
    assert isinstance(p._repr_mimebundle_(), dict)
    p.generate_button.click()
    p.reveal.value = True
    _bundle, metadata = p._repr_mimebundle_()
    assert metadata == {"xsk_nb": {"revealed": True}}


@pytest.mark.parametrize("bits", ALLOWED_BITS)
def test_the_size_line_says_what_hmac_does_with_the_size(bits: int) -> None:
    """UX review H9: "High security" for 4096 beside badges saying it is hashed first."""
    from xsk_nb.strength import hmac_fits

    p = panel(bits)
    line = html.unescape(p.use_case.value)
    hashed = [f.alg for f in hmac_fits(bits) if f.hashed_first]
    assert ("no stronger than a 512-bit key" in line) == bool(hashed)
    assert all(alg in line for alg in hashed)
    if bits == 512:
        assert "HS256, HS384 and HS512 use it as is" in line


def test_every_control_gets_a_visible_focus_ring() -> None:
    """UX review H5: a 2 px outline with an offset on :focus-visible (WCAG 2.4.7)."""
    from xsk_nb.panel_session import PANEL_CSS

    assert "button:focus-visible" in PANEL_CSS and "outline:2px solid" in PANEL_CSS
    assert "outline-offset:2px !important" in PANEL_CSS  # ipywidgets sets 1 px rings


def test_a_failure_once_the_key_exists_is_one_sentence_beside_generate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xsk_nb import panel_session

    seen: list[str] = []

    def broken(jwk: dict[str, str], **_kwargs: object) -> object:
        seen.append(jwk["k"])
        raise RuntimeError(jwk["k"])  # a careless message holding the key

    p = panel(512)
    monkeypatch.setattr(panel_session, "KeyReport", broken)
    assert p.generate() is None and p.reports == []
    assert p.generate_message.kind == "error"
    assert p.generate_message.text == (
        "could not build the key's report: an unexpected RuntimeError was raised; the key was "
        "discarded and not shown"
    )
    assert_no_key_material(p.generate_message.text + synced_state(p), seen[0], "the refusal")


def test_the_size_choice_takes_only_an_allowed_size_from_the_page() -> None:
    """The sizes are one radio group (review C9); the page may pick a size, nothing else."""
    from xsk_nb.key_panel import SizeChoice

    p = panel(1024)
    assert isinstance(p.bits, SizeChoice) and p.bits.options == [512, 1024, 2048, 4096]
    for bad in (256, "512", 512.0, True, None, [512]):
        p.bits.set_state({"value": bad})
        assert p.bits.value == 1024, bad
    p.bits.set_state({"options": [1], "value": 4096})
    assert p.bits.value == 4096 and p.bits.options == [512, 1024, 2048, 4096]
    with pytest.raises(ValueError, match="bits must be one of"):
        p.bits.value = 256
    assert "role" in p.bits._esm and "data-lm-suppress-shortcuts" in p.bits._esm


def test_the_thumbprint_caveat_is_text_beside_kid_while_it_is_picked() -> None:
    from xsk_nb.panel_session import KID_THUMBPRINT_NOTE

    p = panel()
    assert p.kid_note.value == ""
    p.kid.value = "thumbprint"
    assert KID_THUMBPRINT_NOTE in p.kid_note.value
    p.kid.value = "random"
    assert p.kid_note.value == ""


def test_no_html_widget_of_the_panel_has_a_null_tooltip() -> None:
    """ipywidgets writes a missing tooltip as title="null" on the hidden label (review C8)."""
    p = panel()
    html_widgets = [w for w in _all_widgets(p.container) if isinstance(w, widgets.HTML)]
    assert html_widgets and all(w.tooltip == "" for w in html_widgets)
