"""Drive the browser-only site (``site/``, built by ``make lite``) in Debian's Chromium.

Used by tests/lite/test_lite.py and bench/lite_bench.py. Chromium is launched by Playwright from
``/usr/bin/chromium`` (``executable_path``, never a downloaded browser) with a host resolver that
resolves nothing but 127.0.0.1, and every request whose host is not the local site server is
aborted and recorded in :class:`NetworkGuard`: the site must need nothing from elsewhere.

JupyterLite has no server: the notebooks, the kernel (Pyodide in a Web Worker) and the files a
student saves (in the browser's IndexedDB) all live in the page. Readiness and results are read
from JupyterLab's own models (``window.jupyterapp``), never from fixed sleeps.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

# The JupyterLab readiness check is the browser tests' (one home): tests/browser/harness.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from harness import LAB_READY_JS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "site"
# What lite/build.py published: notebooks/, or XSK_LITE_NOTEBOOKS when it was set for the build.
NOTEBOOKS = Path(os.environ.get("XSK_LITE_NOTEBOOKS") or REPO / "notebooks")
ARTIFACTS = REPO / "test-artifacts"
LESSON_GLOB = "0[0-9]_*.ipynb"  # the core-path lessons (issue 11)
PANEL_NOTEBOOK = "key_panel.ipynb"

# FACTS §8's flags, plus a resolver that knows only 127.0.0.1 (issue 11's acceptance).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)

# Pyodide's boot on a busy 2-core machine takes 10-20 s; a lesson's slowest cell a few seconds.
KERNEL_TIMEOUT_MS = 180_000
CELL_TIMEOUT_S = 120.0
UI_TIMEOUT_MS = 60_000


def chromium_path() -> str | None:
    candidate = os.environ.get("XSK_CHROMIUM") or "/usr/bin/chromium"
    return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None


def lessons() -> list[str]:
    """File names of the core-path lessons, in order: whatever matches ``0[0-9]_*.ipynb``."""
    return sorted(p.name for p in NOTEBOOKS.glob(LESSON_GLOB))


@dataclass
class NetworkGuard:
    """Lets requests to the local site through; aborts and records every other one."""

    local_origin: str
    served: int = 0
    foreign: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.local_origin:
            self.served += 1
            route.continue_()
        elif parts.scheme in ("data", "blob"):
            route.continue_()  # made in the page itself, never a network request
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")


#: Playwright's switch that lets routing see the requests of JupyterLite's service worker too;
#: read when Playwright starts, so it is set before any sync_playwright() of the process.
SERVICE_WORKER_EVENTS = "PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"


@contextmanager
def browser(executable: str, playwright: Playwright | None = None) -> Iterator[Browser]:
    """Debian's Chromium through ``playwright`` (or a Playwright of its own); closed, with its
    processes, on exit."""
    if playwright is None:
        os.environ.setdefault(SERVICE_WORKER_EVENTS, "1")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as own, browser(executable, own) as chromium:
            yield chromium
        return
    chromium = playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )
    try:
        yield chromium
    finally:
        chromium.close()


def guarded_context(chromium: Browser, guard: NetworkGuard) -> BrowserContext:
    """A fresh profile (empty IndexedDB) whose every request goes through ``guard``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 2400})
    context.set_default_timeout(UI_TIMEOUT_MS)
    context.route("**/*", guard.handle)
    return context


# --------------------------------------------------------------------------- JupyterLab

def open_notebook(page: Page, base_url: str, name: str) -> float:
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
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
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


def unrevealed_keys(page: Page) -> list[str]:
    """The k of every key the kernel made and never revealed (read outside any cell)."""
    out = str(page.evaluate(_KERNEL_EXEC_JS, _UNREVEALED_KEYS_PY)).strip()
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


def key_fragments_in(text: str, k: str, size: int = 8) -> list[str]:
    return sorted({k[i : i + size] for i in range(len(k) - size + 1) if k[i : i + size] in text})


# --------------------------------------------------------------------------- the panel

REPORT_CARD = ".xsk-report .xsk-report-card"

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


def wait_for_panel(page: Page, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    """Until the panel's Generate button shows (its model came over the kernel's comm)."""
    state = page.wait_for_function(_PANEL_STATE_JS, timeout=timeout_ms, polling=250).json_value()
    if state != "ready":
        raise AssertionError(f"the panel did not render: {str(state)[:600]}")


def click_generate(page: Page) -> str:
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


def open_panel_app(page: Page, base_url: str, page_name: str) -> float:
    """Open the site's panel page (it forwards to the REPL app running the panel); wait until the
    panel's Generate button shows. Returns the seconds from navigation to a usable panel."""
    started = time.monotonic()
    page.goto(f"{base_url}/{page_name}")
    wait_for_panel(page)
    return time.monotonic() - started


MASKED_K = re.compile(r"‹hidden: (\d+) chars, key [0-9a-f]{6}›")


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with suppress(Exception):  # a broken page must not hide the real failure
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
