"""The save guard in Chromium: a student prints a key, saves, and the file holds none of it.

JupyterLab is started as ``make lab`` starts it (``--config=jupyter_server_config.py``), on
127.0.0.1 with a random token, in a throw-away folder and per-user folders. The key appears
only in the page and in this test's memory; failure messages give counts, never key text.
Screenshots of the message (it shows only masked labels) go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from _browser import chromium as browsers
from _browser import pages, servers

from tests.leakcheck import key_pieces_in

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CODE = "from xsk_nb import create_secret_key\nprint(create_secret_key(512))"
K_IN_OUTPUT = re.compile(r"'k': '([A-Za-z0-9_-]{86})'")
THEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[servers.Server, Path]]:
    """JupyterLab as ``make lab`` starts it (the kit's server config), serving a folder with
    one empty notebook per theme; (the server, that folder)."""
    home = tmp_path_factory.mktemp("save-guard")
    folder = home / "work"
    folder.mkdir()
    for theme in THEMES:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell("")]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        nbformat.write(notebook, folder / f"student-{theme}.ipynb")
    server = servers.start_lab(folder, home, config=ROOT / "jupyter_server_config.py")
    try:
        yield server, folder
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(playwright_session: Any) -> Iterator[Any]:
    path = browsers.find_chromium()
    if path is None:
        why = "no Chromium: apt-get install chromium, or set XSK_CHROMIUM"
        if os.environ.get("XSK_REQUIRE_BROWSER") == "1":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    chromium = playwright_session.chromium.launch(executable_path=path,
                                                  args=list(browsers.LOCAL_ONLY_FLAGS))
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.mark.parametrize("theme", THEMES)
def test_a_printed_key_never_reaches_the_file_and_the_student_is_told(
    lab: tuple[servers.Server, Path], browser: Any, theme: str
) -> None:
    server, folder = lab
    saved = folder / f"student-{theme}.ipynb"
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    # A workspace of its own: the other theme's notebook is not restored beside this one.
    page.goto(f"{server.base_url}/lab/workspaces/{theme}/tree/{saved.name}?token={server.token}")
    editor = page.locator(".jp-Notebook .jp-Cell .cm-content").first
    editor.wait_for(timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=90_000)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext"
                           " && window.jupyterapp.shell.currentWidget.sessionContext.isReady",
                           timeout=90_000)
    editor.click()
    page.keyboard.insert_text(CODE)
    page.wait_for_function("document.querySelector('.jp-Cell .cm-content').innerText"
                           ".includes('create_secret_key(512)')", timeout=30_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-cell')")
    output = page.locator(".jp-OutputArea-output", has_text="'kty': 'oct'").first
    output.wait_for(timeout=180_000)
    found = K_IN_OUTPUT.search(output.inner_text())
    assert found is not None, "the key's output did not show a 512-bit k"
    k = found.group(1)

    pages.lab_set_theme(page, dark=theme == "dark")
    page.keyboard.press("Control+s")
    dialog = page.locator(".jp-Dialog-content", has_text="xsk-nb save guard")
    dialog.wait_for(timeout=30_000)
    message = dialog.inner_text()
    assert "the notebook was saved, with 1 secret(s) masked" in message
    assert "cell 1, output 1 (stdout)" in message and "not revealed on purpose" in message
    assert not key_pieces_in(message, k), "the message shows a piece of the key"
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.screenshot(path=ARTIFACTS / f"save-guard-message-1366-{theme}.png")
    page.set_viewport_size({"width": 400, "height": 800})
    dialog.screenshot(path=ARTIFACTS / f"save-guard-message-400-{theme}.png")

    on_disk = saved.read_text(encoding="utf-8")
    assert len(key_pieces_in(on_disk, k)) == 0, "the saved file holds pieces of the key"
    assert "‹hidden: 86 chars, key " in on_disk
    assert nbformat.reads(on_disk, as_version=4).cells[0].source == CODE
    page.close()
