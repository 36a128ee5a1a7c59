"""Servers and a browser for the real-browser checks; the tests and bench/browser_bench.py use it.

Everything here starts processes in their own process group and stops them by that group's id
(never by name), and points every per-user directory at a temporary folder so a run leaves
nothing in ``$HOME``. Playwright is imported only inside functions, so importing this module is
cheap and works where Playwright is missing (the tests then skip or fail with a clear message).

How it drives JupyterLab and Voilà follows the project's reference FACTS.md §8 (seen working on
this kind of machine): Debian's Chromium with its flags, readiness from ``window.jupyterapp``,
Run All from the Run menu, and waits on specific outputs, never fixed sleeps.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
BIN = Path(sys.executable).parent  # the venv's bin: jupyter, voila

LAB_NOTEBOOK = "02_your_first_key.ipynb"
VOILA_NOTEBOOK = "key_panel.ipynb"
MAGIC_LINE = "%xs_secret_key --bits 512"  # notebook 1 runs it (the contract with notebooks/)
ALLOWED_BITS = (512, 1024, 2048, 4096)
K_CHARS = {512: 86, 1024: 171, 2048: 342, 4096: 683}  # FACTS §1: unpadded base64url lengths

HOW_TO_ENABLE = (
    "real-browser tests need Chromium: apt-get install chromium, or set XSK_CHROMIUM to a "
    "Chromium binary (XSK_REQUIRE_BROWSER=1 turns this skip into a failure)"
)

# The flags FACTS §8 found necessary as root, headless, with no network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--window-size=1280,2400",
)

# Server start-up and browser timeouts, generous for a busy 2-core machine.
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
UI_TIMEOUT_MS = 60_000


# --------------------------------------------------------------------------- environment


def find_chromium() -> str | None:
    """``XSK_CHROMIUM`` when set (and only it), else Debian's ``/usr/bin/chromium``; None when
    that is not an executable file.
    """
    candidate = os.environ.get("XSK_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return None


def browser_required() -> bool:
    """``XSK_REQUIRE_BROWSER=1`` (set by .ci/run): a missing browser is a failure, not a skip."""
    return os.environ.get("XSK_REQUIRE_BROWSER", "") == "1"


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(home: Path) -> dict[str, str]:
    """The process environment with every per-user Jupyter/IPython directory under ``home``.

    Also writes the test-only JupyterLab configuration there:

    - ``labconfig/page_config.json`` disables the announcements ("news") plugin (FACTS §8);
    - ``lab-settings/overrides.json`` sets the notebook's ``windowingMode`` to ``none``, so every
      cell is rendered, not only the visible ones (FACTS §6; 4.6's default is
      ``contentVisibility``). JupyterLab 4.6 reads
      ``overrides.json`` only from ``LabApp.app_settings_dir`` (default
      ``<sys.prefix>/share/jupyter/lab/settings``, inside the venv, so not test-only); the
      lab server is therefore started with ``--LabApp.app_settings_dir`` pointing here.
      ``check_windowing_off`` verifies in the page that it took effect.
    """
    dirs = {
        "IPYTHONDIR": home / "ipython",
        "JUPYTER_CONFIG_DIR": home / "jupyter-config",
        "JUPYTER_DATA_DIR": home / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
        "MPLCONFIGDIR": home / "matplotlib",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    page_config = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(page_config), encoding="utf-8")
    settings = lab_settings_dir(home)
    settings.mkdir(exist_ok=True)
    overrides = {
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        # Save widget state into the notebook, so a test can check that it holds no key.
        "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
        "@jupyterlab/apputils-extension:notification": {
            "checkForUpdates": False,
            "fetchNews": "false",
        },
    }
    (settings / "overrides.json").write_text(json.dumps(overrides), encoding="utf-8")

    env = dict(os.environ)
    env.update({name: str(path) for name, path in dirs.items()})
    env["HOME"] = str(home)  # anything else that writes under ~ writes here
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def lab_settings_dir(home: Path) -> Path:
    return home / "lab-settings"


def copy_notebooks(dest: Path, source: Path = NOTEBOOKS) -> Path:
    """A temporary copy of ``notebooks/``: JupyterLab autosaves, and tests add cells."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


# --------------------------------------------------------------------------- processes


@dataclass
class Server:
    """A Jupyter server process in its own process group."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    token: str
    log_path: Path
    _log: Any = field(repr=False, default=None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        stop_process_group(self.proc)
        if self._log is not None:
            self._log.close()
            self._log = None


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group led by ``proc`` (its own pid), then SIGKILL what remains.

    Jupyter servers shut their kernels down on SIGTERM; the group kill also reaps a kernel or a
    Chromium renderer that outlives its parent.
    """
    pgid = proc.pid  # started with start_new_session=True: the group id is the pid
    for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, STOP_TIMEOUT_S)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing else is left in its group.
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        break
    if proc.poll() is None:
        proc.wait(timeout=STOP_TIMEOUT_S)


def _spawn(
    cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path
) -> tuple[subprocess.Popen[bytes], Any]:
    log = open(log_path, "wb")  # noqa: SIM115 - closed by Server.stop
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, log


def _wait_http_ok(server: Server, path: str, timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll ``path`` until it answers 200, failing early (with the log) if the server died."""
    url = f"{server.base_url}{path}"
    headers = {"Authorization": f"token {server.token}"}
    deadline = time.monotonic() + timeout_s
    last_error = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=5
            ) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} not ready at {url} ({last_error}):\n{server.log_tail()}")


def start_lab(root_dir: Path, home: Path) -> Server:
    """``jupyter lab`` on 127.0.0.1, a free port and a random token, serving ``root_dir``."""
    env = isolated_env(home)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--allow-root",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.app_settings_dir={lab_settings_dir(home)}",
        "--LabApp.news_url=None",
        "--ServerApp.open_browser=False",
    ]
    log_path = home / "jupyter-lab.log"
    proc, log = _spawn(cmd, cwd=root_dir, env=env, log_path=log_path)
    server = Server("jupyter lab", proc, port, token, log_path, log)
    try:
        _wait_http_ok(server, "/api/status")
    except BaseException:
        server.stop()
        raise
    return server


def start_voila(notebook: Path, home: Path) -> Server:
    """``voila NB`` on 127.0.0.1, a free port and a random token; cwd is the notebook's folder."""
    env = isolated_env(home)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "voila"),
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--VoilaConfiguration.show_tracebacks=True",  # a failing cell says why in the page
    ]
    log_path = home / "voila.log"
    proc, log = _spawn(cmd, cwd=notebook.parent, env=env, log_path=log_path)
    server = Server("voila", proc, port, token, log_path, log)
    try:
        # Voilà has no /api/status (FACTS §8); its static files answer once it listens,
        # without starting a kernel the way a GET of "/" would.
        _wait_port(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_port(server: Server, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} not listening on {server.port}:\n{server.log_tail()}")


@dataclass
class Chromium:
    """Debian's Chromium, started by us in its own process group and driven over CDP.

    Launching it ourselves (rather than ``playwright.chromium.launch``) gives us its process id,
    so it is stopped by that id even when Playwright's connection is broken.
    """

    proc: subprocess.Popen[bytes]
    browser: Browser
    profile: Path

    def stop(self) -> None:
        with suppress(Exception):  # the connection may already be gone; kill anyway
            self.browser.close()
        stop_process_group(self.proc)


def start_chromium(playwright: Playwright, executable: str, profile: Path) -> Chromium:
    profile.mkdir(parents=True, exist_ok=True)
    active_port_file = profile / "DevToolsActivePort"
    active_port_file.unlink(missing_ok=True)
    cmd = [
        executable,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",  # Chromium picks a free port and writes it down
        "about:blank",
    ]
    log_path = profile.parent / "chromium.log"
    log = open(log_path, "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "HOME": str(profile.parent)},
    )
    log.close()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not active_port_file.is_file() or not active_port_file.read_text().strip():
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Chromium exited with {proc.returncode}:\n{tail}")
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        cdp_port = int(active_port_file.read_text().split()[0])
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp_port}")
    except BaseException:
        stop_process_group(proc)
        raise
    return Chromium(proc, browser, profile)


@contextmanager
def chromium_session(
    executable: str, profile: Path, playwright: Playwright | None = None
) -> Iterator[Chromium]:
    """One Chromium, stopped on exit (also on failure), driven by ``playwright`` or by a
    Playwright of its own (only one sync Playwright can run at a time in a process: the test
    session shares one, the ``playwright_session`` fixture of tests/conftest.py)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as own, chromium_session(executable, profile, own) as chromium:
            yield chromium
        return
    chromium = start_chromium(playwright, executable, profile)
    try:
        yield chromium
    finally:
        chromium.stop()


def next_frames(page: Page) -> None:
    """Wait two animation frames: layout and scrolling caused by the last change are done."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def new_page(chromium: Chromium) -> Page:
    # Tall enough that the whole panel (report and plot) fits on screen for its screenshot:
    # JupyterLab scrolls the notebook inside its own panel, so an element screenshot cannot
    # show what lies outside the window.
    context = chromium.browser.new_context(viewport={"width": 1280, "height": 2400})
    # The panel's Copy writes to the clipboard; the tests read it back (issue 10).
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    return page


# --------------------------------------------------------------------------- JupyterLab

# FACTS §8: the toolbar's idle indicator can say idle before the page has a kernel connection;
# these four conditions together made 19 of 19 runs pass. tests/lite waits on it too.
LAB_READY_JS = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w || !w.context || !w.sessionContext || !w.content) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return Boolean(
    w.context.isReady && w.sessionContext.isReady && kernel &&
    kernel.connectionStatus === "connected" && kernel.status === "idle"
  );
}
"""

_LAB_IDLE_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return Boolean(kernel && kernel.connectionStatus === "connected" && kernel.status === "idle"
    && w.content.widgets.every(cell => !cell.model.executionState
                                       || cell.model.executionState === "idle"));
}
"""


def open_lab_notebook(page: Page, server: Server, notebook: str) -> None:
    """Open ``notebook`` in JupyterLab and wait until its session and kernel are ready and idle."""
    page.goto(f"{server.base_url}/lab/tree/{notebook}?token={server.token}")
    page.wait_for_function(LAB_READY_JS, timeout=UI_TIMEOUT_MS, polling=200)


def open_lab_and_run_all(page: Page, server: Server, notebook: str = LAB_NOTEBOOK) -> None:
    """Open notebook 1, Run All, and wait for every cell, the magic's output and the panel."""
    open_lab_notebook(page, server, notebook)
    lab_run_all(page)
    wait_lab_all_run(page)
    lab_code_cell(page, MAGIC_LINE).locator(".jp-OutputArea-output").first.wait_for()
    panel_root(page).locator(".xsk-generate").wait_for()


def check_windowing_off(page: Page) -> str:
    """The open notebook's windowing mode (the overrides file must have made it ``none``)."""
    return str(
        page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.notebookConfig.windowingMode"
        )
    )


def lab_run_all(page: Page) -> None:
    """Run > Run All Cells, through the menu as a student would (FACTS §8)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()


_LAB_RUN_STATE_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const code = w.content.widgets.filter(cell => cell.model.type === "code");
  const errors = code.flatMap(cell => {
    const outputs = cell.model.outputs;
    const found = [];
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs.get(i).toJSON();
      if (out.output_type === "error") found.push(`${out.ename}: ${out.evalue}`);
    }
    return found;
  });
  const done = Boolean(kernel && kernel.status === "idle" && code.every(
    cell => cell.model.executionCount !== null && cell.model.executionState !== "running"));
  return {done, errors};
}
"""


def wait_lab_all_run(page: Page, timeout_s: float = 120.0) -> None:
    """After Run All: every code cell has run and the kernel is idle; fail at once on an error.

    Waits on the notebook's own model, not on a sleep or the toolbar's idle indicator.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(_LAB_RUN_STATE_JS)
        if state["errors"]:
            raise AssertionError(f"a cell raised: {state['errors'][0][:300]}")
        if state["done"]:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"not every cell ran within {timeout_s:.0f} s")
        time.sleep(0.2)


def wait_lab_idle(page: Page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """The kernel is idle and no cell is queued or running."""
    page.wait_for_function(_LAB_IDLE_JS, timeout=timeout_ms, polling=200)


def lab_code_cell(page: Page, source: str) -> Locator:
    """The first code cell whose whole input is ``source`` (one line)."""
    editor = page.locator(".cm-content", has_text=re.compile(rf"^\s*{re.escape(source)}\s*$"))
    return page.locator(".jp-NotebookPanel .jp-CodeCell").filter(has=editor).first


def lab_add_cell_and_run(page: Page, source: str) -> Locator:
    """Append a code cell at the end of the notebook, type ``source`` into it, Shift+Enter.

    Returns a locator for the new cell.
    """
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    count = cells.count()
    cells.nth(count - 1).locator(".jp-InputPrompt").click()  # select the last cell
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("b")  # insert a cell below, it becomes active in command mode
    new_cell = cells.nth(count)
    new_cell.wait_for()
    page.keyboard.press("Enter")  # edit mode
    new_cell.locator(".cm-content").wait_for()
    page.keyboard.type(source)
    page.keyboard.press("Shift+Enter")
    return new_cell


# --------------------------------------------------------------------------- Voilà


VOILA_ERROR = (
    '[data-mime-type="application/vnd.jupyter.error"], '
    '[data-mime-type="application/vnd.jupyter.stderr"]'
)

_VOILA_STATE_JS = """
(error) => {
  const button = document.querySelector(".xsk-panel .xsk-generate");
  if (button && button.offsetParent !== null) return "ready";
  const failed = document.querySelector(error);
  return failed ? `error: ${failed.innerText}` : "";
}
"""


def open_voila(page: Page, server: Server, query: str = "") -> None:
    """Load the Voilà app and wait until the panel's Generate button is on screen.

    Voilà has no ``window.jupyterapp``; a widget view exists only once its model arrived over
    the kernel's comm, so a visible Generate button means the kernel connection is live. A cell
    error (Voilà runs with tracebacks shown) fails at once with its text. ``query`` is added to
    the URL, e.g. ``"&theme=dark"``.
    """
    page.goto(f"{server.base_url}/?token={server.token}{query}")
    state = page.wait_for_function(
        _VOILA_STATE_JS, arg=VOILA_ERROR, timeout=120_000, polling=200
    ).json_value()
    if state != "ready":
        raise AssertionError(f"the Voilà app failed: {str(state)[:600]}")


# --------------------------------------------------------------------------- the panel

_REPORT_CARD = ".xsk-report .xsk-report-card"

# Installs a click listener and a MutationObserver in the page, so the time from the click on
# Generate to the new report in the DOM is measured by the page's own clock.
ARM_TIMER_JS = """
(root) => {
  const button = root.querySelector(".xsk-generate");
  const report = root.querySelector(".xsk-report");
  const before = report.innerHTML;
  const probe = {clickAt: null, renderedAt: null};
  window.__xskProbe = probe;
  button.addEventListener("click", () => { probe.clickAt = performance.now(); },
                          {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (probe.clickAt !== null && report.innerHTML !== before
        && report.querySelector(".xsk-report-card")) {
      probe.renderedAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(report, {childList: true, subtree: true, characterData: true,
                            attributes: true});
}
"""


def panel_root(page: Page) -> Locator:
    return page.locator(".xsk-panel").first


def choose_bits(page: Page, bits: int) -> None:
    """Click the key-size toggle labelled ``bits`` and wait until it is the selected one."""
    button = panel_root(page).locator(".xsk-bits button", has_text=re.compile(rf"^\s*{bits}\s*$"))
    button.click()
    button.and_(page.locator(".mod-active")).wait_for()


def click_generate(page: Page) -> float:
    """Click Generate; wait for a new report card; return click-to-render in ms (page clock)."""
    root = panel_root(page)
    root.evaluate(ARM_TIMER_JS)
    root.locator(".xsk-generate").click()
    page.wait_for_function(
        "() => window.__xskProbe && window.__xskProbe.renderedAt !== null",
        timeout=UI_TIMEOUT_MS,
        polling="raf",
    )
    probe = page.evaluate("() => window.__xskProbe")
    return float(probe["renderedAt"] - probe["clickAt"])


def wait_generate_done(page: Page) -> None:
    """Wait until the panel's history lists the key on show: Generate has finished (the report
    comes first, then the plot, then the history), so the next click starts from a quiet panel.
    """
    masked = report_card(page).locator(".xsk-masked-k").inner_text()
    label = re.search(r"key ([0-9a-f]{6})", masked)
    if label is None:
        raise AssertionError(f"no key label in the masked k: {masked!r}")
    panel_root(page).locator(".xsk-history", has_text=f"key {label.group(1)}").wait_for()


def set_reveal(page: Page, on: bool) -> None:
    """Tick or untick the reveal checkbox, then wait until the report shows the new state."""
    root = panel_root(page)
    box = root.locator(".xsk-reveal input[type=checkbox]")
    if box.is_checked() != on:
        box.click()
    revealed = root.locator(f"{_REPORT_CARD} .xsk-revealed-k")
    if on:
        revealed.first.wait_for()
    else:
        revealed.first.wait_for(state="detached")
        root.locator(f"{_REPORT_CARD} .xsk-masked-k").first.wait_for()


def report_card(page: Page) -> Locator:
    return panel_root(page).locator(_REPORT_CARD).first


# --------------------------------------------------------------------------- leak checks

# A run of base64url characters at least as long as half the shortest k (86 chars): any
# fragment long enough to matter. Masked output must hold none belonging to the key.
LONG_B64URL = re.compile(r"[A-Za-z0-9_-]{43,}")


def long_b64url_runs(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Runs of 43+ base64url characters in ``text``, minus those inside an ``allowed`` string."""
    return [run for run in LONG_B64URL.findall(text) if not any(run in ok for ok in allowed)]


def key_fragments_in(text: str, k: str, size: int = 8) -> list[str]:
    """Every ``size``-character substring of ``k`` that occurs in ``text``."""
    return sorted({k[i : i + size] for i in range(len(k) - size + 1) if k[i : i + size] in text})


def decode_k(k: str) -> bytes:
    """base64url without padding (RFC 7515 §2) to bytes; raises on anything else."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", k):
        raise ValueError(f"not unpadded base64url ({len(k)} characters)")  # no key text shown
    return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))


def screenshot(locator: Locator, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    locator.screenshot(path=str(path))
    return path


def lab_save_and_read(page: Page, server: Server, notebook: str = LAB_NOTEBOOK) -> str:
    """Save the open notebook (File > Save, with widget state: see ``isolated_env``) and return
    the saved file's text, read back through the server's contents API."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=UI_TIMEOUT_MS
    )
    url = f"{server.base_url}/api/contents/{notebook}?content=1&type=file&format=text"
    request = urllib.request.Request(url, headers={"Authorization": f"token {server.token}"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return str(json.loads(resp.read())["content"])


def lab_set_theme(page: Page, dark: bool) -> None:
    """Switch JupyterLab's theme and wait until the page says it is applied."""
    theme = "JupyterLab Dark" if dark else "JupyterLab Light"
    page.evaluate(
        "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light",
        arg="false" if dark else "true",
        timeout=UI_TIMEOUT_MS,
    )


def lab_left_area(page: Page, open_: bool) -> None:
    """Open or close JupyterLab's left sidebar (the file browser), then let layout settle."""
    page.evaluate(
        "(open) => { const shell = window.jupyterapp.shell;"
        " if (open) shell.expandLeft(); else shell.collapseLeft(); }",
        open_,
    )
    next_frames(page)
