"""Fixtures for the real-browser checks: servers, Chromium, and pages ready for a student.

Without Chromium every test here is skipped with a message saying how to enable them, unless
``XSK_REQUIRE_BROWSER=1`` (set by .ci/run), where a missing browser is a failure. Each server and
the browser run in their own process group and are stopped by that id, also when a test fails.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# `import harness` works under any --import-mode and from bench/browser_bench.py alike.
sys.path.insert(0, str(Path(__file__).parent))

import checks
import harness

if TYPE_CHECKING:
    from playwright.sync_api import Page


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: a real-browser test (Chromium via Playwright)")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Chromium's path. Without one the test modules skip at collection (checks.py), unless
    ``XSK_REQUIRE_BROWSER=1``: then every browser test fails here with the reason.
    """
    reason = checks.browser_missing()
    if reason:
        pytest.fail(f"XSK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    return str(harness.find_chromium())


@pytest.fixture(scope="session")
def chromium(
    chromium_executable: str, tmp_path_factory: pytest.TempPathFactory, playwright_session: Any
) -> Iterator[harness.Chromium]:
    profile = tmp_path_factory.mktemp("chromium") / "profile"
    with harness.chromium_session(chromium_executable, profile, playwright_session) as browser:
        yield browser


@pytest.fixture(scope="session")
def notebooks_dir() -> Path:
    """The notebooks to serve: ``notebooks/``, or ``XSK_BROWSER_NOTEBOOKS`` when debugging."""
    return Path(os.environ.get("XSK_BROWSER_NOTEBOOKS", harness.NOTEBOOKS))


def _need_notebook(folder: Path, name: str) -> None:
    if not (folder / name).is_file():
        pytest.fail(f"{folder / name} is missing", pytrace=False)


@pytest.fixture(scope="module")
def lab_server(
    chromium: harness.Chromium, notebooks_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[harness.Server]:
    _need_notebook(notebooks_dir, harness.LAB_NOTEBOOK)
    home = tmp_path_factory.mktemp("lab")
    root = harness.copy_notebooks(home / "notebooks", notebooks_dir)
    server = harness.start_lab(root, home)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def voila_server(
    chromium: harness.Chromium, notebooks_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[harness.Server]:
    _need_notebook(notebooks_dir, harness.VOILA_NOTEBOOK)
    home = tmp_path_factory.mktemp("voila")
    root = harness.copy_notebooks(home / "notebooks", notebooks_dir)
    server = harness.start_voila(root / harness.VOILA_NOTEBOOK, home)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_page(chromium: harness.Chromium, lab_server: harness.Server) -> Iterator[Page]:
    """Notebook 1 open in JupyterLab, all cells run, the magic's report and the panel shown."""
    yield from _opened_page(chromium, harness.open_lab_and_run_all, lab_server, "lab")


@pytest.fixture(scope="module")
def voila_page(chromium: harness.Chromium, voila_server: harness.Server) -> Iterator[Page]:
    """The panel notebook rendered by Voilà, its Generate button on screen."""
    yield from _opened_page(chromium, harness.open_voila, voila_server, "voila")


def _opened_page(
    chromium: harness.Chromium, open_page: Any, server: harness.Server, name: str
) -> Iterator[Page]:
    """A new page opened by ``open_page``; a screenshot if opening fails; closed at the end."""
    page = harness.new_page(chromium)
    try:
        open_page(page, server)
    except BaseException:
        _screenshot(page, f"FAILED-{name}-setup.png")
        page.context.close()
        raise
    try:
        yield page
    finally:
        page.context.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """A full-page screenshot in test-artifacts/ when a browser test fails (it may show a
    revealed throwaway test key if the failure came while Reveal was ticked)."""
    yield
    if not request.node.stash.get(_CALL_FAILED, False):
        return
    for name in ("lab_page", "voila_page"):
        if name in request.fixturenames:
            page = request.getfixturevalue(name)
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
            _screenshot(page, f"FAILED-{safe}.png")


def _screenshot(page: Page, name: str) -> None:
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with suppress(Exception):  # a broken page must not hide the real failure
        page.screenshot(path=str(harness.ARTIFACTS / name), full_page=True)
