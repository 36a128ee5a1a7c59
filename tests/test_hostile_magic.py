"""Hostile lines for %xs_secret_key in a real IPython shell: one UsageError line each.

Every case asserts: a UsageError, exactly one line on stderr starting "UsageError: ", no
traceback, no output, no key drawn, no file written, and no piece of a pasted key echoed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from leakcheck import key_pieces_in
from shell import loaded_shell

from xsk_nb import keygen

PASTED = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM-b6g"

LINES = [
    "--bits ''",
    "--bits -512",
    "--bits 0",
    "--bits 0x200",
    "--bits 512.0",
    "--bits 5_12",
    "--bits ٥١٢",
    f"--bits {PASTED}",
    "--bits 512 --bits",
    "-b",
    "--format ''",
    "--format Object",
    f"--format {PASTED}",
    "--alg ''",
    "--alg none",
    "--alg HS1024",
    f"--alg {PASTED}",
    "--bits 512 --alg HS512 --use enc",
    "--use ''",
    "--use SIG",
    f"--use {PASTED}",
    # (IPython's line splitting drops an empty '' argument: "--kid ''" is "--kid", a random kid.)
    f"--kid {PASTED * 2}",
    "-v ''",
    "-v 'a b'",
    "-v 9lives",
    "-v def",
    "-v True",
    "-v await",
    f"-v {PASTED}",
    '--bits "512',
    "--kid 'abc",
    '-v "x',
    "--env-file",
    "--env-name",
    "--env-file ENV --env-name ''",
    "--env-file ENV --env-name 'A B'",
    "--env-file ENV --env-name JWT --reveal",
    "--env-file DIR --env-name JWT",
    "--force --bits 512",
    "--reveal --reveal --colour",
    "--",
    "-- --bits 512",
]


@pytest.fixture
def shell() -> InteractiveShell:
    return loaded_shell()


@pytest.fixture
def drawn(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every draw from secrets.token_bytes once the shell is loaded (keys and anything else)."""
    keys: list[bytes] = []
    real = keygen.secrets.token_bytes

    def recording(n: int) -> bytes:
        keys.append(real(n))
        return keys[-1]

    monkeypatch.setattr(keygen.secrets, "token_bytes", recording)
    return keys


@pytest.mark.parametrize("line", LINES, ids=[f"{i}" for i in range(len(LINES))])
def test_each_hostile_line_is_one_usage_error(
    shell: InteractiveShell, line: str, drawn: list[bytes], tmp_path: Path
) -> None:
    os.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    before = sorted(tmp_path.iterdir())
    line = line.replace("ENV", str(tmp_path / ".env")).replace("DIR", str(tmp_path / "folder"))
    with capture_output() as captured:
        result = shell.run_cell(f"%xs_secret_key {line}", store_history=False)
    assert isinstance(result.error_in_exec, UsageError), (line, result.error_in_exec)
    lines = captured.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("UsageError: "), captured.stderr
    assert "Traceback" not in captured.stdout + captured.stderr
    assert not captured.outputs and not captured.stdout
    assert drawn == []
    assert sorted(tmp_path.iterdir()) == before
    assert not key_pieces_in(captured.stderr, PASTED), captured.stderr
