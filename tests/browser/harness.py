"""The browser suites' drivers under their first names: a re-export of ``tests/_browser``.

The code lives in :mod:`_browser` (one home for Chromium, servers, page drivers and the leak
helper, issue 22 item 4); this module keeps ``import harness`` working for the suites in
tests/browser/ and bench/browser_bench.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the _browser package

from _browser.chromium import (
    CHROMIUM_FLAGS,
    HOW_TO_ENABLE,
    UI_TIMEOUT_MS,
    Chromium,
    browser_required,
    chromium_session,
    find_chromium,
    start_chromium,
)
from _browser.leaks import decode_k, key_fragments_in, long_b64url_runs
from _browser.pages import (
    ALLOWED_BITS,
    ARM_TIMER_JS,
    ARTIFACTS,
    K_CHARS,
    LAB_NOTEBOOK,
    LAB_READY_JS,
    MAGIC_LINE,
    VOILA_ERROR,
    VOILA_NOTEBOOK,
    check_windowing_off,
    choose_bits,
    click_generate,
    lab_add_cell_and_run,
    lab_code_cell,
    lab_left_area,
    lab_run_all,
    lab_save_and_read,
    lab_set_theme,
    new_page,
    next_frames,
    open_lab_and_run_all,
    open_lab_notebook,
    open_voila,
    panel_root,
    report_card,
    set_reveal,
    wait_generate_done,
    wait_lab_all_run,
    wait_lab_idle,
)
from _browser.pages import element_screenshot as screenshot
from _browser.pages import screenshot as page_screenshot
from _browser.servers import (
    BIN,
    NOTEBOOKS,
    REPO,
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    Server,
    copy_notebooks,
    free_port,
    isolated_env,
    lab_settings_dir,
    start_lab,
    start_voila,
    stop_process_group,
)

__all__ = [
    "ALLOWED_BITS", "ARM_TIMER_JS", "ARTIFACTS", "BIN", "CHROMIUM_FLAGS", "HOW_TO_ENABLE",
    "K_CHARS", "LAB_NOTEBOOK", "LAB_READY_JS", "MAGIC_LINE", "NOTEBOOKS", "REPO",
    "START_TIMEOUT_S", "STOP_TIMEOUT_S", "UI_TIMEOUT_MS", "VOILA_ERROR", "VOILA_NOTEBOOK",
    "Chromium", "Server", "browser_required", "check_windowing_off", "choose_bits",
    "chromium_session", "click_generate", "copy_notebooks", "decode_k", "find_chromium",
    "free_port", "isolated_env", "key_fragments_in", "lab_add_cell_and_run", "lab_code_cell",
    "lab_left_area", "lab_run_all", "lab_save_and_read", "lab_set_theme", "lab_settings_dir",
    "long_b64url_runs", "new_page", "next_frames", "open_lab_and_run_all", "open_lab_notebook",
    "open_voila", "page_screenshot", "panel_root", "report_card", "screenshot", "set_reveal",
    "start_chromium", "start_lab", "start_voila", "stop_process_group", "wait_generate_done",
    "wait_lab_all_run", "wait_lab_idle",
]  # fmt: skip
