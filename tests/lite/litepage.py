"""The site suite's drivers under their first names: a re-export of ``tests/_browser``.

The browser-only site (issue 11) runs in Debian's Chromium with nothing but 127.0.0.1 reachable:
:data:`_browser.chromium.LOCAL_ONLY_FLAGS` and :class:`_browser.chromium.NetworkGuard`. The code
lives in :mod:`_browser`; this module keeps ``import litepage`` working for tests/lite/ and
bench/lite_bench.py.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the _browser package

from _browser.chromium import (
    LOCAL_ONLY_FLAGS,
    SERVICE_WORKER_EVENTS,
    UI_TIMEOUT_MS,
    NetworkGuard,
    chromium_session,
    guarded_context,
)
from _browser.chromium import find_chromium as chromium_path
from _browser.leaks import key_fragments_in
from _browser.pages import (
    ARTIFACTS,
    CELL_TIMEOUT_S,
    KERNEL_TIMEOUT_MS,
    LESSON_GLOB,
    MASKED_K,
    PANEL_NOTEBOOK,
    REPORT_CARD,
    CellFailure,
    lessons,
    open_panel_app,
    run_cells_one_by_one,
    save_and_read_back,
    screenshot,
    unrevealed_keys,
    wait_for_panel,
    wait_for_panel_app,
    windowing_mode,
)
from _browser.pages import LITE_NOTEBOOKS as NOTEBOOKS
from _browser.pages import generate_and_read_card as click_generate
from _browser.pages import open_lite_notebook as open_notebook
from _browser.servers import FIRST_VISIT_BUDGET, REPO, SITE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright


@contextmanager
def browser(executable: str, playwright: Playwright | None = None) -> Iterator[Browser]:
    """Debian's Chromium, resolving only 127.0.0.1, in a temporary profile; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="xsk-lite-chromium-") as home, chromium_session(
        executable, Path(home) / "profile", playwright, LOCAL_ONLY_FLAGS
    ) as chromium:
        yield chromium.browser


__all__ = [
    "ARTIFACTS", "CELL_TIMEOUT_S", "FIRST_VISIT_BUDGET", "KERNEL_TIMEOUT_MS", "LESSON_GLOB",
    "LOCAL_ONLY_FLAGS",
    "MASKED_K", "NOTEBOOKS", "PANEL_NOTEBOOK", "REPO", "REPORT_CARD", "SERVICE_WORKER_EVENTS",
    "SITE", "UI_TIMEOUT_MS", "CellFailure", "NetworkGuard", "browser", "chromium_path",
    "click_generate", "guarded_context", "key_fragments_in", "lessons", "open_notebook",
    "open_panel_app", "run_cells_one_by_one", "save_and_read_back", "screenshot",
    "unrevealed_keys", "wait_for_panel", "wait_for_panel_app", "windowing_mode",
]  # fmt: skip
