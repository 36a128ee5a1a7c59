"""Notebook 1 in a real JupyterLab, driven by Chromium as a student would use it (issue #5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import checks
import harness
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
checks.skip_module_unless_browser()

# Where to look for key material before reveal (see checks.assert_no_long_b64url_runs): the cell
# that holds the panel (input and outputs), and every output of the notebook except deliberate
# reveals, which carry the report's warning (notebook 1 reveals a throwaway key on purpose).
PANEL_CELL = ".jp-NotebookPanel .jp-Cell:has(.xsk-panel)"
OUTPUTS = ".jp-NotebookPanel .jp-OutputArea-output:not(:has(.xsk-reveal-warning))"
USAGE_ERROR = "UsageError: bits must be one of 512, 1024, 2048 or 4096; got 256"


def test_test_server_renders_every_cell(lab_page: Page) -> None:
    """The test-only settings override turned JupyterLab's notebook windowing off."""
    assert harness.check_windowing_off(lab_page) == "none"


def test_magic_output_is_a_masked_report(lab_page: Page) -> None:
    """``%xs_secret_key --bits 512`` shows a masked 512-bit report outside the panel."""
    cell = harness.lab_code_cell(lab_page, harness.MAGIC_LINE)
    cell.scroll_into_view_if_needed()  # where a student would look (and a failure screenshot)
    outputs = cell.locator(".jp-OutputArea-output")
    rendered_as = outputs.evaluate_all("els => els.map(el => el.className)")
    cards = outputs.locator(".xsk-report-card")
    assert cards.count() == 1, f"no HTML report in the magic's output; rendered as {rendered_as}"
    checks.check_report_card(cards.first, 512)


def test_outputs_hold_no_key_unless_revealed_with_a_warning(lab_page: Page) -> None:
    """After Run All, no output shows key material except deliberate, warned reveals."""
    checks.assert_no_long_b64url_runs(lab_page, OUTPUTS)
    revealed = lab_page.locator(".jp-OutputArea-output:has(.xsk-revealed-k)")
    for output in revealed.all():
        assert output.locator(".xsk-reveal-warning").count() == 1


@pytest.mark.parametrize("bits", harness.ALLOWED_BITS)
def test_panel_key_size(lab_page: Page, bits: int) -> None:
    """Pick a size, Generate, read the masked report, reveal (right length), hide (gone)."""
    checks.key_size_round_trip(lab_page, bits, PANEL_CELL, (), artifact=f"lab-panel-{bits}.png")


def test_wrong_magic_call_shows_one_line_usage_error(lab_page: Page) -> None:
    cell = harness.lab_add_cell_and_run(lab_page, "%xs_secret_key --bits 256")
    output = cell.locator(".jp-OutputArea-output")
    output.first.wait_for()
    harness.wait_lab_idle(lab_page)
    assert output.count() == 1
    assert output.first.inner_text().strip() == USAGE_ERROR
    assert cell.locator('[data-mime-type="application/vnd.jupyter.error"]').count() == 0


def test_panel_controls(lab_page: Page) -> None:
    """Runs after the clicks above, once every widget update has reached the page."""
    checks.check_panel_controls(lab_page)


# --------------------------------------------------------------------------- issue 10

SIZES = [(1366, 768), (400, 800)]
# Below this width a student closes the file browser (at 400 px it leaves the notebook ~20 px).
NARROW = 600
OUTPUT_AREA = ".jp-OutputArea-output"


@pytest.fixture
def sized(lab_page: Page, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The Lab page at the test's viewport size, put back to the tall default afterwards."""
    width, height = request.param
    lab_page.set_viewport_size({"width": width, "height": height})
    harness.lab_left_area(lab_page, open_=width > NARROW)
    yield lab_page
    lab_page.set_viewport_size({"width": 1280, "height": 2400})
    harness.lab_left_area(lab_page, open_=True)


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["1366x768", "400x800"])
def test_every_control_fits_the_viewport(sized: Page) -> None:
    checks.check_controls_fit(sized, sized.viewport_size["width"])


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["1366x768", "400x800"])
def test_save_and_refusal_show_beside_save(sized: Page) -> None:
    checks.check_save_messages(sized, app=False)


def test_copy_puts_the_key_on_the_clipboard_and_nowhere_else(
    lab_page: Page, lab_server: harness.Server
) -> None:
    """Copy JWK and Copy k, then the notebook saved with widget state holds no piece of k."""
    k = checks.check_copy(lab_page, 512)
    saved = harness.lab_save_and_read(lab_page, lab_server)
    notebook = json.loads(saved)
    states = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    assert len(states["state"]) > 10, "widget state was not saved: the check would prove nothing"
    assert any(s["model_name"] == "AnyModel" for s in states["state"].values())
    pieces = harness.key_fragments_in(saved, k)
    assert not pieces, f"{len(pieces)} 8-char piece(s) of the copied key in the saved notebook"


@pytest.mark.parametrize("sized", [(400, 800)], indirect=True, ids=["400x800"])
def test_a_revealed_key_stays_inside_the_output_area(sized: Page) -> None:
    checks.check_reveal_stays_inside(sized, OUTPUT_AREA)


def test_screenshots_light_and_dark(lab_page: Page) -> None:
    """test-artifacts/lab-panel-{light,dark}-{1366,400}.png on every run (masked keys only)."""
    harness.click_generate(lab_page)
    harness.wait_generate_done(lab_page)
    narrow = lambda width: harness.lab_left_area(lab_page, open_=width > NARROW)  # noqa: E731
    try:
        shots = checks.panel_screenshots(lab_page, "lab-panel", "light", narrow)
        harness.lab_set_theme(lab_page, dark=True)
        shots += checks.panel_screenshots(lab_page, "lab-panel", "dark", narrow)
    finally:
        harness.lab_set_theme(lab_page, dark=False)
        lab_page.set_viewport_size({"width": 1280, "height": 2400})
        harness.lab_left_area(lab_page, open_=True)
    assert all(shot.stat().st_size > 1000 for shot in shots)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_panel_has_no_serious_accessibility_violation(lab_page: Page, dark: bool) -> None:
    try:
        harness.lab_set_theme(lab_page, dark=dark)
        violations = checks.serious_axe_violations(lab_page)
    finally:
        harness.lab_set_theme(lab_page, dark=False)
    assert not violations, violations


def test_magic_copy_shows_only_the_copy_control_and_a_masked_card(
    lab_page: Page, lab_server: harness.Server
) -> None:
    """``%xs_secret_key --copy``: Copy k puts the 512-bit key on the clipboard; the cell shows a
    masked card, and the notebook saved with widget state holds no piece of the key."""
    cell = harness.lab_add_cell_and_run(lab_page, "%xs_secret_key --bits 512 --copy")
    button = cell.locator("button.xsk-copy-k")
    button.wait_for()
    harness.wait_lab_idle(lab_page)
    checks.check_report_card(cell.locator(".xsk-report-card").first, 512)
    assert cell.locator(".xsk-generate, .xsk-env-save").count() == 0  # only the copy control
    lab_page.evaluate("() => navigator.clipboard.writeText('')")
    button.click()
    cell.locator(".xsk-copy-status", has_text="Copied").wait_for()
    k = checks.read_clipboard(lab_page)
    lab_page.evaluate("() => navigator.clipboard.writeText('')")
    assert len(k) == harness.K_CHARS[512] and len(harness.decode_k(k)) == 64
    saved = harness.lab_save_and_read(lab_page, lab_server)
    pieces = harness.key_fragments_in(saved, k)
    assert not pieces, f"{len(pieces)} 8-char piece(s) of the copied key in the saved notebook"
    assert not harness.key_fragments_in(checks.whole_page(lab_page), k)


# --------------------------------------------------------------------------- issue 20


def test_checkboxes_sit_beside_their_labels(lab_page: Page) -> None:
    checks.check_checkboxes_beside_their_labels(lab_page)


def test_no_null_tooltip_and_the_thumbprint_caveat_is_shown(lab_page: Page) -> None:
    checks.check_no_null_tooltip(lab_page)
    checks.check_kid_note(lab_page)


ACTIVE_CELL_JS = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"


def test_arrow_keys_on_the_sizes_stay_in_the_panel(lab_page: Page) -> None:
    """In command mode an arrow key moved to the next cell (review C9); in the size group it
    moves the choice and the notebook's active cell stays where it is."""
    harness.panel_root(lab_page).locator(".xsk-size-option").first.click()
    before = lab_page.evaluate(ACTIVE_CELL_JS)
    checks.check_sizes_are_one_radio_group(lab_page)
    assert lab_page.evaluate(ACTIVE_CELL_JS) == before
