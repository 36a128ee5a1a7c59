"""The widget panel, driven as a student would: .value assignments and Button.click()."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import ipywidgets as widgets
import pytest
from leakcheck import assert_no_key_material

from xsk_nb.key_panel import KeyPanel, panel
from xsk_nb.keygen import ALLOWED_BITS, key_bytes


def synced_state(p: KeyPanel) -> str:
    """Everything the panel's widgets would save into the notebook's widget state."""
    states = {w.model_id: w.get_state() for w in _all_widgets(p.container)}
    return json.dumps(
        states, default=lambda v: bytes(v).hex() if isinstance(v, (bytes, memoryview)) else repr(v)
    )


def _all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    found = [root]
    for child in getattr(root, "children", ()):
        found += _all_widgets(child)
    return found


@pytest.mark.parametrize("bits", ALLOWED_BITS)
def test_each_size_generates_a_masked_report(bits: int) -> None:
    p = panel()
    p.bits.value = bits
    p.generate_button.click()
    assert p.report is not None and len(key_bytes(p.report.jwk())) == bits // 8
    assert f'data-bits="{bits}"' in p.report_view.value
    assert "xsk-masked-k" in p.report_view.value
    assert bytes(p.plot_view.value).startswith(b"\x89PNG")
    assert_no_key_material(synced_state(p), p.report.jwk()["k"], "widget state")
    assert_no_key_material(p._repr_mimebundle_(), p.report.jwk()["k"], "mimebundle")


def test_reveal_shows_the_key_and_unticking_hides_it_again() -> None:
    p = panel(512)
    p.generate_button.click()
    k = p.report.jwk()["k"]
    p.reveal.value = True
    assert k in p.report_view.value and "xsk-reveal-warning" in p.report_view.value
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


def test_save_to_env_uses_the_dotenv_path(tmp_path: Path) -> None:
    p = panel(512)
    p.env_save.click()
    assert "Generate a key first" in p.message.value
    p.generate_button.click()
    p.env_path.value = str(tmp_path / ".env")
    p.env_save.click()
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    assert p.report.jwk()["k"] in (tmp_path / ".env").read_text()
    assert "Saved key" in p.message.value
    assert_no_key_material(synced_state(p), p.report.jwk()["k"], "widget state")
    p.env_save.click()  # same name again: refused, visibly
    assert "already set" in p.message.value and "#a40000" in p.message.value
    p.env_name.value = "not a name"
    p.env_save.click()
    assert "env name must be a variable name" in p.message.value


def test_bad_panel_size_is_refused() -> None:
    with pytest.raises(ValueError, match="bits must be one of 512, 1024, 2048 or 4096"):
        panel(256)


def test_sizes_carry_the_seeds_use_cases() -> None:
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
        (p.reveal, "xsk-reveal"),
        (p.report_view, "xsk-report"),
        (p.message, "xsk-message"),
        (p.history, "xsk-history"),
        (p.env_save, "xsk-env-save"),
    ):
        assert css in widget._dom_classes


def test_saved_text_is_short_and_stable() -> None:
    p = panel()
    bundle = p._repr_mimebundle_()
    assert bundle["text/plain"] == "KeyPanel (0 keys; open in Jupyter to use it)"
    assert "application/vnd.jupyter.widget-view+json" in bundle
