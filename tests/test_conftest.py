"""The shared fixtures of tests/conftest.py do what the suites rely on."""

from __future__ import annotations

import pytest

HANG_GUARD_SECONDS = 30  # tests/conftest.py's (a module named conftest is not importable)


def test_hang_guard_attaches_pytest_timeouts_guard(
    hang_guard: None, request: pytest.FixtureRequest
) -> None:
    marker = request.node.get_closest_marker("timeout")
    assert marker is not None, "pytest-timeout's guard was not attached"
    assert marker.args == (HANG_GUARD_SECONDS,) and marker.kwargs == {"method": "signal"}
    assert request.config.pluginmanager.hasplugin("timeout")


def test_no_randomness_fails_a_draw(no_randomness: None) -> None:
    from xsk_nb import create_secret_key

    with pytest.raises(AssertionError, match="randomness was drawn for a refused input"):
        create_secret_key(512)
