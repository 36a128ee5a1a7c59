"""Debian's Chromium for the tests and benchmarks: found, started, guarded, stopped.

Chromium is started by us in its own process group and driven over CDP by Playwright
(``connect_over_cdp``), so it is stopped by that group's id even when Playwright's connection is
broken; never ``playwright install``. The flags are FACTS §8's, found necessary as root, headless,
with no network. For the browser-only site, :data:`LOCAL_ONLY_FLAGS` adds a host resolver that
knows only 127.0.0.1 and :class:`NetworkGuard` aborts and records any other request.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from _browser.servers import START_TIMEOUT_S, stop_process_group

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright, Route

HOW_TO_ENABLE = (
    "real-browser tests need Chromium: apt-get install chromium, or set XSK_CHROMIUM to a "
    "Chromium binary (XSK_REQUIRE_BROWSER=1 turns this skip into a failure)"
)

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
#: The browser-only site's acceptance (issue 11): nothing but 127.0.0.1 resolves.
LOCAL_ONLY_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",)
UI_TIMEOUT_MS = 60_000
#: Playwright's switch that lets routing see the requests of JupyterLite's service worker too;
#: read when Playwright starts, so tests/conftest.py sets it before its sync_playwright().
SERVICE_WORKER_EVENTS = "PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"


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


def browser_missing() -> str:
    """Why no real-browser check can run here, or "" when one can."""
    import importlib.util

    if find_chromium() is None:
        return f"no Chromium at /usr/bin/chromium ({HOW_TO_ENABLE})"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return ""


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


def start_chromium(
    playwright: Playwright, executable: str, profile: Path, extra_flags: tuple[str, ...] = ()
) -> Chromium:
    profile.mkdir(parents=True, exist_ok=True)
    active_port_file = profile / "DevToolsActivePort"
    active_port_file.unlink(missing_ok=True)
    cmd = [
        executable,
        *CHROMIUM_FLAGS,
        *extra_flags,
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
    executable: str,
    profile: Path,
    playwright: Playwright | None = None,
    extra_flags: tuple[str, ...] = (),
) -> Iterator[Chromium]:
    """One Chromium, stopped on exit (also on failure), driven by ``playwright`` or by a
    Playwright of its own (only one sync Playwright can run at a time in a process: the test
    session shares one, the ``playwright_session`` fixture of tests/conftest.py)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        os.environ.setdefault(SERVICE_WORKER_EVENTS, "1")
        with (
            sync_playwright() as own,
            chromium_session(executable, profile, own, extra_flags) as chromium,
        ):
            yield chromium
        return
    chromium = start_chromium(playwright, executable, profile, extra_flags)
    try:
        yield chromium
    finally:
        chromium.stop()


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


def guarded_context(
    chromium: Browser, guard: NetworkGuard, viewport: dict[str, int] | None = None
) -> BrowserContext:
    """A fresh profile (empty IndexedDB) whose every request goes through ``guard``."""
    context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 2400})
    context.set_default_timeout(UI_TIMEOUT_MS)
    context.route("**/*", guard.handle)
    return context
