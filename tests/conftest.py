"""Shared pytest set-up for tests/ (nbval's hooks for the notebooks: the root conftest.py)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "binder: installs binder/requirements.txt into a fresh virtual environment from PyPI "
        "(the slowest test; deselect with -m 'not binder')",
    )
    config.addinivalue_line(
        "markers",
        "wheel: builds the wheel and installs it into fresh virtual environments (slow; "
        "deselect with -m 'not wheel')",
    )


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


#: How long one hostile-input case may take before the guard fails it.
HANG_GUARD_SECONDS = 30


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail a case that hangs instead of hanging the run (a guard, not a timing assertion):
    the hostile-input suites use it as ``pytestmark = pytest.mark.usefixtures("hang_guard")``."""

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the case did not finish within {HANG_GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def no_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if a key is drawn: a refused input must be refused before any randomness."""
    from xsk_nb import keygen

    def refuse(*_args: object) -> bytes:
        raise AssertionError("randomness was drawn for a refused input")

    monkeypatch.setattr(keygen.secrets, "token_bytes", refuse)
    monkeypatch.setattr(keygen.secrets, "token_urlsafe", refuse)
