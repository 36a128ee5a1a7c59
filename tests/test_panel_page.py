"""The site's app page's Python side (xsk_nb.panel_page), as its script drives it.

lite/panel.html calls an :class:`AppPage`'s methods with what its controls hold and applies each
JSON answer; these tests do the same in CPython, with Pyodide's file system imitated as in
tests/test_key_panel.py (``sys.platform`` "emscripten", the drive and the memory folders in a
temporary folder). tests/lite/test_panel_html.py runs the real page in Chromium.
"""

from __future__ import annotations

import html
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from leakcheck import assert_no_key_material

from xsk_nb import panel_page
from xsk_nb.contract import ALLOWED_BITS
from xsk_nb.envfile import IN_PAGE_MEMORY
from xsk_nb.keygen import key_bytes
from xsk_nb.masking import APP, PANEL_REVEAL_WARNINGS, REVEAL_LABELS
from xsk_nb.panel_page import AppPage
from xsk_nb.panel_session import (
    COPY_LABELS,
    FIELD_DEFAULTS,
    GENERATE_FIRST,
    GENERATE_LABEL,
    KEY_IN_FIELD,
    KID_THUMBPRINT_NOTE,
    NOT_SAVED,
    SAVE_LABEL,
    size_line,
)
from xsk_nb.strength import HMAC_ALGORITHMS

PAGE_SCRIPT = Path(__file__).resolve().parents[1] / "lite" / "panel.html"
#: A PyProxy's own members (Pyodide's ``pyodide.ffi.PyProxy`` and its callable/iterable kinds):
#: ``app.copy`` from JavaScript is PyProxy.copy, not the Python method of that name, so the
#: page's methods must be named apart from these.
PYPROXY_MEMBERS = {
    "apply", "bind", "call", "callKwargs", "callRelaxed", "callWithOptions", "captureThis",
    "copy", "destroy", "toJs", "toString", "type", "length", "get", "set", "has", "delete",
    "next", "then", "catch", "finally", "shallowCopyToJavascript",
}  # fmt: skip


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPage:
    """An AppPage in an imitated Pyodide: its working folder and memory under ``tmp_path``."""
    from xsk_nb import envfile

    monkeypatch.setattr("sys.platform", "emscripten")
    monkeypatch.setattr(envfile, "BROWSER_DRIVE", tmp_path / "drive")
    monkeypatch.setattr(envfile, "BROWSER_MEMORY", tmp_path / "memory")
    monkeypatch.chdir(tmp_path)  # restored after the test, whatever AppPage changes
    return AppPage()


def parts(answer: str) -> dict[str, dict[str, Any]]:
    decoded = json.loads(answer)
    assert set(decoded) <= {"parts", "clipboard"}, decoded
    return dict(decoded["parts"])


def controls(app: AppPage) -> BeautifulSoup:
    return BeautifulSoup(app.controls_html(), "html.parser")


def test_every_part_an_answer_names_is_one_element_of_the_markup(app: AppPage) -> None:
    soup = controls(app)
    for selector in (panel_page.REPORT, panel_page.HISTORY, panel_page.USE_CASE,
                     panel_page.KID_NOTE, panel_page.REVEAL, panel_page.GENERATE_STATUS,
                     panel_page.COPY_STATUS, panel_page.SAVE_STATUS,
                     *panel_page.FIELDS.values()):  # fmt: skip
        assert len(soup.select(f".xsk-panel {selector}")) == 1, selector
    for status in soup.select(".xsk-status"):
        assert status.get("role") == "status" and not status.get_text()


def test_the_controls_are_the_widget_panels(app: AppPage) -> None:
    soup = controls(app)
    radios = soup.select(".xsk-bits [role=radiogroup] input[type=radio]")
    assert [int(r["value"]) for r in radios] == list(ALLOWED_BITS)
    assert [r["value"] for r in radios if r.has_attr("checked")] == ["2048"]
    assert all(label.get("title") for label in soup.select(".xsk-size-option"))
    assert soup.select_one(".xsk-use-case").get_text() == size_line(2048)
    assert [o["value"] for o in soup.select(".xsk-alg option")] == ["", *HMAC_ALGORITHMS]
    assert [o["value"] for o in soup.select(".xsk-kid option")] == ["", "random", "thumbprint"]
    assert soup.select_one("button.xsk-generate").get_text() == GENERATE_LABEL
    assert soup.select_one(".xsk-reveal").get_text().strip() == REVEAL_LABELS[APP]
    assert soup.select_one("button.xsk-env-save").get_text() == SAVE_LABEL
    assert [b.get_text() for b in soup.select(".xsk-copy-box button")] == list(COPY_LABELS.values())
    assert [i["value"] for i in soup.select(".xsk-row input[type=text]")] == [".env", "JWT_SECRET"]
    assert not soup.select('[title="null"]')


def test_the_page_script_calls_only_methods_of_the_app_page() -> None:
    """Every ``ask("name", ...)`` of lite/panel.html is a method here, and none is a name a
    PyProxy answers itself (``app.copy`` was PyProxy.copy: Copy did nothing)."""
    called = set(re.findall(r'ask\("(\w+)"', PAGE_SCRIPT.read_text(encoding="utf-8")))
    assert called == {"choose_size", "choose_kid", "generate", "reveal", "copy_key", "save"}
    for name in called:
        assert callable(getattr(AppPage, name)), name
    assert not called & PYPROXY_MEMBERS


def test_starting_the_page_puts_its_working_folder_in_memory(app: AppPage, tmp_path: Path) -> None:
    memory = tmp_path / "memory"
    assert Path.cwd() == memory and stat.S_IMODE(memory.stat().st_mode) == 0o700


def test_generate_shows_a_masked_card_and_clears_what_spoke_of_the_last_key(app: AppPage) -> None:
    changed = parts(app.generate(512, "", ""))
    report = app.session.report
    assert report is not None and len(key_bytes(report.jwk())) == 64
    assert changed[panel_page.REVEAL] == {"checked": False}
    assert 'class="xsk-masked-k"' in changed[panel_page.REPORT]["html"]
    assert changed[panel_page.GENERATE_STATUS]["kind"] == "ok"
    assert f"key {report.label}" in changed[panel_page.GENERATE_STATUS]["text"]
    assert f"key {report.label}" in changed[panel_page.HISTORY]["html"]
    assert changed[panel_page.COPY_STATUS] == changed[panel_page.SAVE_STATUS] == {
        "text": "", "kind": ""
    }  # fmt: skip
    assert_no_key_material(changed, report.jwk()["k"], "the generate answer")


def test_generate_passes_alg_and_kid_and_an_empty_choice_is_none(app: AppPage) -> None:
    app.generate(1024, "HS384", "random")
    jwk = app.session.report.jwk()
    assert jwk["alg"] == "HS384" and jwk["kid"]
    app.generate(1024, "", "")
    assert set(app.session.report.jwk()) == {"kty", "k"}


@pytest.mark.parametrize(("bits", "alg"), [(300, ""), (512, "RS256"), ("2048", "")])
def test_a_refused_choice_is_one_sentence_beside_generate_and_draws_nothing(
    app: AppPage, bits: Any, alg: str
) -> None:
    changed = parts(app.generate(bits, alg, ""))
    assert list(changed) == [panel_page.GENERATE_STATUS]
    assert changed[panel_page.GENERATE_STATUS]["kind"] == "error"
    assert app.session.reports == []


def test_reveal_shows_the_key_with_the_apps_warning_and_hides_it_again(app: AppPage) -> None:
    app.generate(512, "", "")
    k = app.session.report.jwk()["k"]
    shown = parts(app.reveal(True))
    assert k in shown[panel_page.REPORT]["html"]
    assert PANEL_REVEAL_WARNINGS[APP] in shown[panel_page.REPORT]["html"]
    hidden = parts(app.reveal(False))
    assert_no_key_material(hidden, k, "the answer once Reveal is unticked")
    assert parts(app.reveal("yes"))[panel_page.REPORT] == hidden[panel_page.REPORT]  # True only


def test_copy_gives_the_clipboard_exactly_the_jwk_or_k(app: AppPage) -> None:
    before = parts(app.copy_key("k"))
    assert before[panel_page.COPY_STATUS] == {
        "text": GENERATE_FIRST.format(action="copy"), "kind": "error"
    }  # fmt: skip
    app.generate(512, "", "")
    jwk = app.session.report.jwk()
    for what, text in (("jwk", json.dumps(jwk, separators=(",", ":"))), ("k", jwk["k"])):
        answer = json.loads(app.copy_key(what))
        assert answer["parts"] == {} and answer["clipboard"]["text"] == text
        assert f"({len(text)} characters)" in answer["clipboard"]["done"]
        assert_no_key_material(answer["clipboard"]["done"], jwk["k"], "the done sentence")
    for hostile in ("x", ["k"], None, {"copy": "k"}):
        assert json.loads(app.copy_key(hostile)) == {"parts": {}}  # type: ignore[arg-type]


def test_save_keeps_the_key_in_the_page_memory_and_says_so(app: AppPage, tmp_path: Path) -> None:
    assert parts(app.save(".env", "JWT_SECRET", False))[panel_page.SAVE_STATUS]["text"] == (
        NOT_SAVED.format(reason=GENERATE_FIRST.format(action="save"))
    )
    app.generate(512, "", "")
    said = parts(app.save(".env", "JWT_SECRET", False))[panel_page.SAVE_STATUS]
    assert said["kind"] == "ok" and IN_PAGE_MEMORY in said["text"], said
    assert "server" not in said["text"]
    assert app.session.report.jwk()["k"] in (tmp_path / "memory" / ".env").read_text()
    again = parts(app.save(".env", "JWT_SECRET", False))[panel_page.SAVE_STATUS]
    assert again["kind"] == "error" and '"replace existing"' in again["text"]
    assert parts(app.save(".env", "JWT_SECRET", True))[panel_page.SAVE_STATUS]["kind"] == "ok"


@pytest.mark.parametrize(("field", "label"), [("env_name", "name"), ("env_file", ".env file")])
def test_a_piece_of_a_key_typed_in_a_field_is_refused_and_the_field_reset(
    app: AppPage, field: str, label: str
) -> None:
    app.generate(512, "", "")
    piece = app.session.report.jwk()["k"][:20]
    typed = {"env_file": ".env", "env_name": "JWT_SECRET", field: piece}
    changed = parts(app.save(typed["env_file"], typed["env_name"], False))
    assert changed[panel_page.SAVE_STATUS]["text"] == NOT_SAVED.format(
        reason=KEY_IN_FIELD.format(field=label)
    )
    assert changed[panel_page.FIELDS[field]] == {"value": FIELD_DEFAULTS[field]}
    assert_no_key_material(changed, app.session.report.jwk()["k"], "the refusal")


def test_the_size_line_and_the_kid_note_follow_the_choices(app: AppPage) -> None:
    for bits in ALLOWED_BITS:
        assert parts(app.choose_size(bits))[panel_page.USE_CASE]["html"] == (
            f"<span>{html.escape(size_line(bits))}</span>"
        )
    assert parts(app.choose_size(300)) == {}
    assert KID_THUMBPRINT_NOTE in parts(app.choose_kid("thumbprint"))[panel_page.KID_NOTE]["html"]
    assert parts(app.choose_kid("random"))[panel_page.KID_NOTE] == {"html": ""}
