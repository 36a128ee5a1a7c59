"""A real ``xsk-nb xano env-set`` process: scan all it wrote, printed and sent for the key.

The process runs with its own HOME and working folder; after it ends, every file under them
(except the ``--also-env-file`` it was asked to write), its stdout and stderr, its command
line, and every request the stand-in received (the PATCH's body aside) are searched for any
8-character piece of the key Xano received.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from leakcheck import assert_no_key_material, key_pieces_in
from xano_standin import TOKEN, StandIn, write_profile

ROOT = Path(__file__).resolve().parents[2]


def run_process(home: Path, standin: StandIn, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "SSL_CERT_FILE": str(standin.ca_file),
        "NO_PROXY": "127.0.0.1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [sys.executable, "-m", "xsk_nb", "xano", "env-set", *argv]
    return subprocess.run(
        command, cwd=home, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def files_under(folder: Path, skip: set[Path]) -> dict[Path, str]:
    return {
        path: path.read_bytes().decode("utf-8", "replace")
        for path in folder.rglob("*")
        if path.is_file() and path not in skip
    }


@pytest.mark.parametrize("mode", [None, "echo"])
def test_the_key_is_only_in_the_patch_body(
    tmp_path: Path, home: Path, mode: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import _standin

    with _standin(tmp_path, monkeypatch, mode) as standin:
        write_profile(home, standin.origin)
        argv = ("JWT_SECRET", "--tenant", "my-tenant", "--kid", "--also-env-file", ".env")
        done = run_process(home, standin, *argv)
    assert done.returncode == (0 if mode is None else 1), done.stderr
    (patch,) = standin.patches()
    value = json.loads(patch.body)["env"]["value"]
    k = json.loads(value)["k"]
    assert key_pieces_in(patch.body.decode(), k)
    env_file = home / ".env"
    if mode is None:
        assert key_pieces_in(env_file.read_text(), k)  # asked for: the one file allowed
    else:
        assert not env_file.exists()
    for where, text in {
        "stdout": done.stdout,
        "stderr": done.stderr,
        "argv": " ".join(done.args),
        **{str(path): text for path, text in files_under(home, {env_file}).items()},
        **{
            f"{r.method} {r.path}": r.raw().replace(r.body.decode(), "") if r is patch else r.raw()
            for r in standin.requests
        },
    }.items():
        assert_no_key_material(text, k, where)
        assert TOKEN not in text or where.endswith("credentials.yaml") or " /api:meta/" in where
