"""Notebook 1 in a real JupyterLab, driven by Chromium as a student would use it (issue #5)."""

from __future__ import annotations

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
