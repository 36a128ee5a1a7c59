"""The panel notebook served by Voilà, driven by Chromium as a student would use it (issue #5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import checks
import harness
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
checks.skip_module_unless_browser()


def test_panel_shows_no_error_output(voila_page: Page) -> None:
    """The app rendered the panel and nothing else went wrong while its notebook ran."""
    assert voila_page.locator(".xsk-panel").count() == 1
    errors = voila_page.locator(harness.VOILA_ERROR)
    assert errors.count() == 0, errors.all_inner_texts()


@pytest.mark.parametrize("bits", harness.ALLOWED_BITS)
def test_panel_key_size(voila_page: Page, voila_server: harness.Server, bits: int) -> None:
    """Pick a size, Generate, read the masked report, reveal (right length), hide (gone)."""
    # Voilà's page is only the app, so the whole body is searched; its token is ours.
    checks.key_size_round_trip(
        voila_page, bits, "body", (voila_server.token,), artifact=f"voila-panel-{bits}.png"
    )


def test_panel_controls(voila_page: Page) -> None:
    """Runs after the clicks above, once every widget update has reached the page."""
    checks.check_panel_controls(voila_page)
