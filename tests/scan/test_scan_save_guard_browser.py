"""The save guard in Chromium: a student prints a key, saves, and the file holds none of it.

JupyterLab is started as ``make lab`` starts it (``--config=jupyter_server_config.py``), on
127.0.0.1 with a random token, in a throw-away folder and per-user folders. The key appears
only in the page and in this test's memory; failure messages give counts, never key text.
Screenshots of the message (it shows only masked labels) go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.leakcheck import key_pieces_in

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("XSK_CHROMIUM") or "/usr/bin/chromium"
CODE = "from xsk_nb import create_secret_key\nprint(create_secret_key(512))"
K_IN_OUTPUT = re.compile(r"'k': '([A-Za-z0-9_-]{86})'")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lab_env(home: Path, theme: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
    for name in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        (home / name.lower()).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / name.lower())
    labconfig = home / "jupyter_config_dir" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    settings = home / "lab-settings"
    settings.mkdir(exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:themes": {"theme": theme}}))
    env.update(HOME=str(home), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1",
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    return env


@pytest.fixture
def lab(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    """(url of student.ipynb, its path on disk), served as `make lab` serves notebooks/."""
    theme = request.param
    folder = tmp_path / "work"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "student.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    log = (tmp_path / "lab.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--ip=127.0.0.1", "--allow-root",
         f"--config={ROOT / 'jupyter_server_config.py'}", "--no-browser", f"--port={port}",
         "--port-retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={folder}",
         f"--LabApp.app_settings_dir={tmp_path / 'home' / 'lab-settings'}",
         "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True"],
        cwd=folder, env=_lab_env(tmp_path / "home", theme), stdout=log, stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not start: " +
                                (tmp_path / "lab.log").read_text(errors="replace")[-2000:])
                time.sleep(0.5)
        yield f"{base}/lab/tree/student.ipynb?token={token}", folder / "student.ipynb"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server this fixture started, and its kernel
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def browser(playwright_session: Any) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("XSK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set XSK_CHROMIUM")
    chromium = playwright_session.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.mark.parametrize("lab", ["JupyterLab Light", "JupyterLab Dark"], indirect=True)
def test_a_printed_key_never_reaches_the_file_and_the_student_is_told(
    lab: tuple[str, Path], browser: Any
) -> None:
    url, saved = lab
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
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

    page.keyboard.press("Control+s")
    dialog = page.locator(".jp-Dialog-content", has_text="xsk-nb save guard")
    dialog.wait_for(timeout=30_000)
    message = dialog.inner_text()
    assert "the notebook was saved, with 1 secret(s) masked" in message
    assert "cell 1, output 1 (stdout)" in message and "not revealed on purpose" in message
    assert not key_pieces_in(message, k), "the message shows a piece of the key"
    theme = "dark" if page.evaluate("document.body.dataset.jpThemeLight") == "false" else "light"
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.screenshot(path=ARTIFACTS / f"save-guard-message-1366-{theme}.png")
    page.set_viewport_size({"width": 400, "height": 800})
    dialog.screenshot(path=ARTIFACTS / f"save-guard-message-400-{theme}.png")

    on_disk = saved.read_text(encoding="utf-8")
    assert len(key_pieces_in(on_disk, k)) == 0, "the saved file holds pieces of the key"
    assert "‹hidden: 86 chars, key " in on_disk
    assert nbformat.reads(on_disk, as_version=4).cells[0].source == CODE
    page.close()
