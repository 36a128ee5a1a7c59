"""The panel's words and actions with no widget (xsk_nb.panel_session), both front ends' rules.

The widget panel's behaviour through these is tested in tests/test_key_panel.py and the app
page's in tests/test_panel_page.py; here, what the two share and what only the session decides.
"""

from __future__ import annotations

import pytest
from leakcheck import assert_no_key_material

from xsk_nb.masking import APP, NOTEBOOK, PANEL_REVEAL_WARNINGS
from xsk_nb.panel_session import (
    GENERATED,
    REVEALED,
    WRITE_CLIPBOARD_JS,
    PanelSession,
    Said,
    size_line,
)


def test_a_said_sentence_has_the_status_lines_kind() -> None:
    assert [Said().kind, Said("done").kind, Said("no", error=True).kind] == ["", "ok", "error"]


@pytest.mark.parametrize("view", [NOTEBOOK, APP, "terminal"])
def test_a_session_speaks_as_a_notebook_or_an_app(view: str) -> None:
    assert PanelSession(view).view == (APP if view == APP else NOTEBOOK)


def test_an_unknown_view_is_refused_naming_the_allowed() -> None:
    with pytest.raises(ValueError, match="notebook"):
        PanelSession("web")


def test_the_card_and_its_sentence_follow_reveal() -> None:
    session = PanelSession(APP)
    assert session.card_html(revealed=True) == "" and session.card_said(revealed=False) == Said()
    assert session.history_html() == ""
    said = session.generate(512, None, None)
    report = session.report
    assert report is not None
    assert said == Said(GENERATED.format(bits=512, label=report.label))
    k = report.jwk()["k"]
    assert_no_key_material(session.card_html(revealed=False), k, "the masked card")
    shown = session.card_html(revealed=True)
    assert k in shown and PANEL_REVEAL_WARNINGS[APP] in shown
    assert session.card_said(revealed=True) == Said(REVEALED.format(label=report.label))
    assert not report.revealed  # revealing makes a twin; the session's report stays masked


def test_each_generate_adds_one_key_and_the_history_lists_them_masked() -> None:
    session = PanelSession()
    for bits in (512, 1024):
        session.generate(bits, None, None)
    assert [r.bits for r in session.reports] == [512, 1024]
    history = session.history_html()
    for report in session.reports:
        assert f"key {report.label}" in history
        assert_no_key_material(history, report.jwk()["k"], "the history")


def test_the_size_line_refuses_a_size_the_table_has_not() -> None:
    with pytest.raises(ValueError, match="512, 1024, 2048 or 4096"):
        size_line(300)


def test_the_clipboard_function_is_both_copy_buttons() -> None:
    from pathlib import Path

    from xsk_nb.key_panel import _COPY_ESM

    assert WRITE_CLIPBOARD_JS in _COPY_ESM
    page = (Path(__file__).resolve().parents[1] / "lite" / "panel.html").read_text("utf-8")
    assert "const writeClipboard = @@WRITE_CLIPBOARD@@;" in page  # lite/build.py writes it in
