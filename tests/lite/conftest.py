"""Fixtures for the browser-only site's checks: the built site served on 127.0.0.1, Chromium.

``make test`` builds the site first (``make lite``). Without Chromium, Playwright or a built
site these tests skip with a message saying how to enable them, unless ``XSK_REQUIRE_BROWSER=1``
(set by .ci/run), where that is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # litepage
sys.path.insert(0, str(HERE.parents[1] / "lite"))  # serve

import litepage  # noqa: E402
import serve  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: a real-browser test (Chromium via Playwright)")


def missing() -> str:
    """Why the site cannot be checked here, or "" when it can."""
    if litepage.chromium_path() is None:
        return "no Chromium at /usr/bin/chromium (apt-get install chromium, or set XSK_CHROMIUM)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (litepage.SITE / "index.html").is_file():
        return "no site in site/ (run `make lite`, as `make test` does)"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = missing()
    if not reason or os.environ.get("XSK_REQUIRE_BROWSER", "") == "1":
        return  # required: the lite_site fixture fails every test here with the reason
    mark = pytest.mark.skip(reason=f"browser-only site: {reason}")
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(mark)


@pytest.fixture(scope="session")
def lite_site() -> Iterator[serve.SiteServer]:
    reason = missing()
    if reason:
        pytest.fail(f"XSK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    with serve.serving(litepage.SITE) as server:
        yield server


@pytest.fixture(scope="session")
def lite_guard(lite_site: serve.SiteServer) -> litepage.NetworkGuard:
    """Counts every request of every page of the session; aborts the non-local ones."""
    return litepage.NetworkGuard(lite_site.base_url)


@pytest.fixture(scope="session")
def lite_browser(lite_site: serve.SiteServer, playwright_session: Any) -> Iterator[object]:
    path = litepage.chromium_path()
    assert path is not None
    with litepage.browser(path, playwright_session) as chromium:
        yield chromium


@pytest.fixture
def lite_page(lite_browser: object, lite_guard: litepage.NetworkGuard,
              request: pytest.FixtureRequest) -> Iterator[object]:
    """A page in a fresh profile (its own empty browser storage); a screenshot if the test fails."""
    context = litepage.guarded_context(lite_browser, lite_guard)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        yield page
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
            litepage.screenshot(page, f"FAILED-lite-{safe}.png")
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
