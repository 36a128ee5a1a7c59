"""Fixtures for the xano env-set tests: the HTTPS stand-in, a private HOME, the drawn keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from xano_standin import StandIn

from xsk_nb import keygen
from xsk_nb.keygen import b64url_encode

_ENVIRONMENT = (
    "XANO_TOKEN", "XANO_PROFILE", "XANO_CONFIG", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
)  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME and working folder; no Xano or proxy settings from the real one."""
    folder = tmp_path / "home"
    folder.mkdir()
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.chdir(folder)
    return folder


def _standin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str | None) -> StandIn:
    folder = tmp_path / "standin"
    folder.mkdir()
    standin = StandIn(folder, mode=mode)
    monkeypatch.setenv("SSL_CERT_FILE", str(standin.ca_file))  # the client trusts its CA
    return standin


@pytest.fixture
def standin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path, request: pytest.FixtureRequest
) -> Iterator[StandIn]:
    """The stand-in, trusted through SSL_CERT_FILE; ``@pytest.mark.standin_mode("rate")``."""
    marker = request.node.get_closest_marker("standin_mode")
    with _standin(tmp_path, monkeypatch, marker.args[0] if marker else None) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "standin_mode(mode): make the Xano stand-in fail so")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every k drawn during the test (the real CSPRNG, recorded)."""
    keys: list[str] = []
    real = keygen.secrets.token_bytes

    def recording(n: int) -> bytes:
        raw = real(n)
        keys.append(b64url_encode(raw))
        return raw

    monkeypatch.setattr(keygen.secrets, "token_bytes", recording)
    return keys
