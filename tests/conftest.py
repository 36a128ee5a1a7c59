"""Shared pytest set-up for tests/ (nbval's hooks for the notebooks: the root conftest.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "binder: installs binder/requirements.txt into a fresh virtual environment from PyPI "
        "(the slowest test; deselect with -m 'not binder')",
    )
