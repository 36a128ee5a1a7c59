"""Issue 18 item 4: ``xsk-nb --jwk > key.jwk`` into a file others can read is warned about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o600, False)])
@pytest.mark.parametrize("option", ["--jwk", "--k-only"])
def test_a_key_file_others_can_read_gets_a_warning_naming_its_mode(
    tmp_path: Path, mode: int, warned: bool, option: str
) -> None:
    target = tmp_path / "key.jwk"
    target.touch()
    os.chmod(target, mode)
    with target.open("w") as stdout:
        done = subprocess.run([sys.executable, "-m", "xsk_nb", "--bits", "512", option],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0
    sentence = ("xsk-nb: warning: the key goes into a file with mode 644, which other users "
                "can read; run chmod 600 on it now, and umask 077 before the next one")
    assert (sentence in done.stderr.splitlines()) is warned
    assert target.stat().st_size > 0


def test_a_pipe_gets_no_mode_warning() -> None:
    done = subprocess.run([sys.executable, "-m", "xsk_nb", "--bits", "512", "--k-only"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and "mode" not in done.stderr
