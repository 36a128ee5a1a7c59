"""The browser-only site (issue 11) in Debian's Chromium, with nothing but 127.0.0.1 reachable.

Every core-path lesson (``notebooks/0[0-9]_*.ipynb``) is opened in the site's JupyterLab and run
cell by cell in Pyodide, and then saved: what the browser keeps must hold no character of any key
the kernel made and did not reveal on purpose. The key panel's Generate must show a masked report
card. Every request any page made is counted; none may go anywhere but the local site server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import litepage
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from serve import SiteServer

pytestmark = pytest.mark.browser

LESSONS = litepage.lessons()


def test_there_are_lessons_to_run() -> None:
    assert LESSONS, f"no notebooks/{litepage.LESSON_GLOB}"


def assert_saved_notebook_holds_no_key(page: Page) -> int:
    """Save the open notebook to the browser's storage, read it back, look for every key.

    Returns how many keys were looked for.
    """
    keys = litepage.unrevealed_keys(page)
    saved = litepage.save_and_read_back(page)
    json.loads(saved)  # a notebook, not an error page
    for k in keys:
        pieces = litepage.key_fragments_in(saved, k)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of a masked key in the saved notebook"
    return len(keys)


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_cell_by_cell_and_saves_no_key(
    lite_site: SiteServer, lite_page: Page, lite_guard: litepage.NetworkGuard, lesson: str
) -> None:
    foreign_before = len(lite_guard.foreign)
    litepage.open_notebook(lite_page, lite_site.base_url, lesson)
    assert litepage.windowing_mode(lite_page) == "none"  # every cell rendered for the driver
    failures = litepage.run_cells_one_by_one(lite_page)
    assert not failures, "\n".join(
        f"cell {f.index} ({f.source.splitlines()[0] if f.source else ''!r}): {f.error}"
        for f in failures
    )
    assert_saved_notebook_holds_no_key(lite_page)
    assert lite_guard.foreign[foreign_before:] == []


def test_panel_generate_shows_a_masked_report_and_saves_no_key(
    lite_site: SiteServer, lite_page: Page, lite_guard: litepage.NetworkGuard
) -> None:
    litepage.open_notebook(lite_page, lite_site.base_url, litepage.PANEL_NOTEBOOK)
    failures = litepage.run_cells_one_by_one(lite_page)
    assert not failures, failures
    litepage.wait_for_panel(lite_page)
    card = litepage.click_generate(lite_page)
    masked = litepage.MASKED_K.search(card)
    assert masked, card[:300]
    assert lite_page.locator(".xsk-panel .xsk-revealed-k").count() == 0
    keys = assert_saved_notebook_holds_no_key(lite_page)
    assert keys >= 1  # the panel's key was looked for
    assert lite_guard.foreign == []


def test_no_request_left_the_machine(lite_guard: litepage.NetworkGuard) -> None:
    """Runs last (file order): every page of this module asked only the local site server."""
    assert lite_guard.served > 0
    assert lite_guard.foreign == [], lite_guard.foreign[:10]
