"""Shared pytest set-up for tests/ (nbval's hooks for the notebooks: the root conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """The one sync Playwright of the test session, shared by tests/browser and tests/lite.

    A second ``sync_playwright()`` cannot start while one runs ("using Playwright Sync API
    inside the asyncio loop"), and both folders keep a browser open for the whole session.
    """
    # Read when Playwright starts: lets tests/lite's routing see its service worker's requests
    # (litepage.SERVICE_WORKER_EVENTS; set here because this Playwright starts first).
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


#: How long one hostile-input case may take before pytest-timeout fails it (a guard against a
#: hang, not a timing assertion).
HANG_GUARD_SECONDS = 30


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the ``hang_guard`` fixture gets pytest-timeout's guard of
    :data:`HANG_GUARD_SECONDS` (signal method: the case fails, the run goes on), unless it
    sets its own ``@pytest.mark.timeout``. New suites may use the marker directly.

    tests/test_bench.py's tests move to the end: they check the benchmarks' smoke runs, which
    :func:`pytest_collection_finish` starts in the background (tests/bench_smoke.py)."""
    items[:] = sorted(items, key=lambda item: item.path.name == "test_bench.py")  # stable
    for item in items:
        if "hang_guard" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "timeout"
        ):
            item.add_marker(pytest.mark.timeout(HANG_GUARD_SECONDS, method="signal"))


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.path.name == "test_bench.py" for item in session.items):
        import bench_smoke

        bench_smoke.start()


def pytest_sessionfinish() -> None:
    import bench_smoke

    bench_smoke.stop()


@pytest.fixture
def hang_guard() -> None:
    """Kept by name for the suites that use it (``pytestmark =
    pytest.mark.usefixtures("hang_guard")``): the guard itself is pytest-timeout's, added by
    :func:`pytest_collection_modifyitems` above."""


@pytest.fixture
def no_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if a key is drawn: a refused input must be refused before any randomness."""
    from xsk_nb import keygen

    def refuse(*_args: object) -> bytes:
        raise AssertionError("randomness was drawn for a refused input")

    monkeypatch.setattr(keygen.secrets, "token_bytes", refuse)
    monkeypatch.setattr(keygen.secrets, "token_urlsafe", refuse)
