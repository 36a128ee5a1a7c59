"""Page drivers: JupyterLab, Voilà, the browser-only site (JupyterLite) and the key panel.

Readiness and results are read from the apps' own models (``window.jupyterapp``) or from the
panel's DOM, never from fixed sleeps (FACTS §8). Every panel driver takes a Playwright ``Page``
or a ``Frame`` (:func:`open_panel_app` returns the site's ``panel.html``'s main frame).
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from _browser.chromium import UI_TIMEOUT_MS, Chromium
from _browser.servers import NOTEBOOKS, REPO, Server

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Locator, Page

ARTIFACTS = REPO / "test-artifacts"
LAB_NOTEBOOK = "02_your_first_key.ipynb"
VOILA_NOTEBOOK = "key_panel.ipynb"
MAGIC_LINE = "%xs_secret_key --bits 512"  # notebook 1 runs it (the contract with notebooks/)
ALLOWED_BITS = (512, 1024, 2048, 4096)
K_CHARS = {512: 86, 1024: 171, 2048: 342, 4096: 683}  # FACTS §1: unpadded base64url lengths
# What lite/build.py published: notebooks/, or XSK_LITE_NOTEBOOKS when it was set for the build.
LITE_NOTEBOOKS = Path(os.environ.get("XSK_LITE_NOTEBOOKS") or NOTEBOOKS)
LESSON_GLOB = "0[0-9]_*.ipynb"  # the core-path lessons (issue 11)
PANEL_NOTEBOOK = "key_panel.ipynb"
# Pyodide's boot on a busy 2-core machine takes 10-40 s; a lesson's slowest cell a few seconds.
KERNEL_TIMEOUT_MS = 180_000
CELL_TIMEOUT_S = 120.0


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

REPORT_CARD = ".xsk-report .xsk-report-card"

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
    """Click the key size labelled ``bits`` (one radio of the size group) and wait until it is
    the chosen one."""
    radio = panel_root(page).locator(f".xsk-bits input[type=radio][value='{bits}']")
    panel_root(page).locator(f".xsk-bits .xsk-size-option:has(input[value='{bits}'])").click()
    page.wait_for_function("(r) => r.checked", arg=radio.element_handle())


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
    revealed = root.locator(f"{REPORT_CARD} .xsk-revealed-k")
    if on:
        revealed.first.wait_for()
    else:
        revealed.first.wait_for(state="detached")
        root.locator(f"{REPORT_CARD} .xsk-masked-k").first.wait_for()


def report_card(page: Page) -> Locator:
    return panel_root(page).locator(REPORT_CARD).first


def element_screenshot(locator: Locator, name: str) -> Path:
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


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot into test-artifacts/; never raises (a broken page must not hide
    the real failure)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)


# --------------------------------------------------------------------------- JupyterLite


def lessons() -> list[str]:
    """File names of the core-path lessons, in order: whatever matches ``0[0-9]_*.ipynb``."""
    return sorted(p.name for p in LITE_NOTEBOOKS.glob(LESSON_GLOB))



def open_lite_notebook(page: Page, base_url: str, name: str) -> float:
    """Open ``name`` in the site's JupyterLab; wait until its Pyodide kernel is idle.

    Returns the seconds from navigation to an idle kernel (the kernel's boot dominates).
    """
    started = time.monotonic()
    page.goto(f"{base_url}/lab/index.html?path={name}")
    page.wait_for_function(LAB_READY_JS, timeout=KERNEL_TIMEOUT_MS, polling=250)
    return time.monotonic() - started


def windowing_mode(page: Page) -> str:
    return str(page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.notebookConfig.windowingMode"))


_CELL_COUNT_JS = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"

_RUN_CELL_JS = """
async (index) => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  const cell = notebook.widgets[index];
  if (cell.model.type !== "code") return {code: false};
  await app.commands.execute("notebook:run-cell");
  return {code: true};
}
"""

_CELL_STATE_JS = """
(index) => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cell = w.content.widgets[index];
  const errors = [];
  const usage = [];
  const outputs = cell.model.outputs;  // markdown cells have none
  for (let i = 0; outputs && i < outputs.length; i++) {
    const out = outputs.get(i).toJSON();
    if (out.output_type === "error") errors.push(`${out.ename}: ${out.evalue}`);
    const text = Array.isArray(out.text) ? out.text.join("") : (out.text || "");
    if (out.name === "stderr" && text.includes("UsageError")) usage.push(text.trim());
  }
  return {
    done: Boolean(kernel && kernel.status === "idle" && cell.model.executionCount !== null
                  && cell.model.executionState !== "running"),
    errors,
    usage,
    source: cell.model.sharedModel.getSource().slice(0, 80),
  };
}
"""


@dataclass
class CellFailure:
    index: int
    source: str
    error: str


def run_cells_one_by_one(page: Page) -> list[CellFailure]:
    """Run every code cell of the open notebook in order, each waited for; the failures.

    A failure is an error output, or a magic's one-line ``UsageError`` (printed on stderr, no
    traceback) in a cell whose saved outputs had none: lessons show refusals on purpose, and
    those are saved with the lesson.
    """
    failures: list[CellFailure] = []
    count = int(page.evaluate(_CELL_COUNT_JS))
    saved_usage = [bool(page.evaluate(_CELL_STATE_JS, index)["usage"]) for index in range(count)]
    for index in range(count):
        if not page.evaluate(_RUN_CELL_JS, index)["code"]:
            continue
        deadline = time.monotonic() + CELL_TIMEOUT_S
        while True:
            state = page.evaluate(_CELL_STATE_JS, index)
            if state["done"]:
                break
            if time.monotonic() > deadline:
                failures.append(CellFailure(index, state["source"], "timed out"))
                return failures
            time.sleep(0.1)
        if state["errors"]:
            failures.append(CellFailure(index, state["source"], state["errors"][0][:300]))
        elif state["usage"] and not saved_usage[index]:
            failures.append(CellFailure(index, state["source"], state["usage"][0][:300]))
    return failures


_KERNEL_EXEC_JS = """
async (code) => {
  // Runs code in the notebook's kernel without a cell: nothing of it reaches the notebook.
  const shell = window.jupyterapp.shell;
  const widgets = [shell.currentWidget, ...Array.from(shell.widgets("main"))];
  const owner = widgets.find((w) => w && w.sessionContext && w.sessionContext.session);
  const kernel = owner.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  const chunks = [];
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") chunks.push(msg.content.text);
    if (msg.header.msg_type === "error") chunks.push(`ERROR ${msg.content.ename}`);
  };
  await future.done;
  return chunks.join("");
}
"""

# Every key a KeyReport in the kernel holds, minus those shown on purpose (a revealed twin).
_UNREVEALED_KEYS_PY = """
import gc as _gc, json as _json
from xsk_nb import KeyReport as _KR
_reports = [o for o in _gc.get_objects() if isinstance(o, _KR)]
_shown = {r.jwk()["k"] for r in _reports if r.revealed}
print(_json.dumps(sorted({r.jwk()["k"] for r in _reports} - _shown)))
"""


# Runs code in the site's app page's own Pyodide (panel.html has no kernel): its printed text.
_APP_PAGE_EXEC_JS = """
(code) => window.__xskPython.runPython(
  "import contextlib as _cl, io as _io\\n_out = _io.StringIO()\\n"
  + "with _cl.redirect_stdout(_out):\\n    exec(" + JSON.stringify(code) + ")\\n_out.getvalue()")
"""


def unrevealed_keys(page: Page | Frame) -> list[str]:
    """The k of every key the kernel (or the app page's Python) made and never revealed (read
    outside any cell)."""
    app_page = bool(page.evaluate("() => Boolean(window.__xskPython)"))
    code = _APP_PAGE_EXEC_JS if app_page else _KERNEL_EXEC_JS
    out = str(page.evaluate(code, _UNREVEALED_KEYS_PY)).strip()
    if not out.startswith("["):
        raise AssertionError(f"could not list the kernel's keys: {out[:200]}")
    return list(json.loads(out.splitlines()[-1]))


_SAVE_AND_READ_JS = """
async () => {
  const app = window.jupyterapp;
  const w = app.shell.currentWidget;
  await w.context.save();
  const model = await app.serviceManager.contents.get(w.context.path, {content: true});
  return JSON.stringify(model.content);
}
"""


def save_and_read_back(page: Page) -> str:
    """Save the open notebook (to the browser's storage) and read it back through JupyterLite's
    contents API: the JSON a student's browser keeps."""
    return str(page.evaluate(_SAVE_AND_READ_JS))


# --------------------------------------------------------------------------- the panel

_PANEL_STATE_JS = """
() => {
  const button = document.querySelector(".xsk-panel .xsk-generate");
  if (button && button.offsetParent !== null) return "ready";
  const failed = document.querySelector(
    '[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error, '
    + '[data-mime-type="application/vnd.jupyter.stderr"]');
  return failed ? `error: ${failed.innerText}` : "";
}
"""


def wait_for_panel(page: Page | Frame, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    """Until the panel's Generate button shows (its model came over the kernel's comm)."""
    state = page.wait_for_function(_PANEL_STATE_JS, timeout=timeout_ms, polling=250).json_value()
    if state != "ready":
        raise AssertionError(f"the panel did not render: {str(state)[:600]}")


def generate_and_read_card(page: Page | Frame) -> str:
    """Click Generate and wait for a report card different from any shown before; its text."""
    panel = page.locator(".xsk-panel").first
    before = panel.locator(".xsk-report").inner_html()
    panel.locator(".xsk-generate").click()
    page.wait_for_function(
        """(before) => {
             const report = document.querySelector(".xsk-panel .xsk-report");
             const failed = document.querySelector(
               '.xsk-panel .xsk-status[data-kind="error"]');
             return (report && report.innerHTML !== before
                     && report.querySelector(".xsk-report-card")) || failed;
           }""",
        arg=before,
        timeout=UI_TIMEOUT_MS,
        polling=250,
    )
    error = panel.locator('.xsk-status[data-kind="error"]')
    if error.count() and error.first.inner_text().strip():
        raise AssertionError(f"Generate failed: {error.first.inner_text()[:400]}")
    return panel.locator(REPORT_CARD).first.inner_text()


def open_panel_app(page: Page, base_url: str, page_name: str) -> Frame:
    """Open the site's app page ``panel.html``; wait until the panel's Generate button shows
    (the page's own Pyodide runs the panel); return the page's frame."""
    page.goto(f"{base_url}/{page_name}")
    return wait_for_panel_app(page)


def wait_for_panel_app(page: Page) -> Frame:
    """Until the app page ``panel.html``, already loading in ``page``, shows its panel (or
    says it could not start: then fail with its sentence); the page's frame."""
    state = page.wait_for_function(
        """() => document.body.classList.contains("xsk-ready") ? "ready"
                 : document.body.classList.contains("xsk-failed")
                   ? `failed: ${document.getElementById("stage").textContent}` : "" """,
        timeout=KERNEL_TIMEOUT_MS, polling="raf",  # at once: the bench times what follows
    ).json_value()
    if state != "ready":
        raise AssertionError(f"panel.html did not start: {str(state)[:600]}")
    wait_for_panel(page.main_frame, UI_TIMEOUT_MS)
    return page.main_frame


MASKED_K = re.compile(r"‹hidden: (\d+) chars, key [0-9a-f]{6}›")


