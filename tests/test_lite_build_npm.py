"""lite/build.py without npm on PATH: one sentence saying what to install, not a traceback."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[1] / "lite" / "build.py"


def test_missing_npm_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("lite_build_under_test", BUILD)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(build, "NPM_CACHE", tmp_path / "npm")
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder with no npm in it
    with pytest.raises(SystemExit) as stopped:
        build.npm_tarball("0.0.0")
    message = str(stopped.value.code)
    assert message.startswith("make lite needs npm (Node.js's package manager)")
    assert "apt-get install npm" in message and "\n" not in message
