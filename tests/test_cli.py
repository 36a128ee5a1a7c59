"""The xsk-nb command line: outputs, exit codes, and one-line errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from leakcheck import key_pieces_in

from xsk_nb import cli
from xsk_nb.keygen import key_bytes


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xsk_nb", *args], capture_output=True, text=True, timeout=60
    )


def test_default_prints_masked_report() -> None:
    done = run_cli("--bits", "512")
    assert done.returncode == 0 and done.stderr == ""
    assert "512 bits, 64 bytes, k has 86 base64url characters" in done.stdout
    assert "‹hidden: 86 chars, key " in done.stdout


def test_json_is_machine_readable_and_masked() -> None:
    done = run_cli("--bits", "1024", "--json", "--alg", "HS384", "--kid")
    data = json.loads(done.stdout)
    assert (data["bits"], data["bytes"], data["revealed"]) == (1024, 128, False)
    assert data["jwk"]["alg"] == "HS384" and data["jwk"]["kid"]
    assert data["jwk"]["k"].startswith("‹hidden")


def test_reveal_prints_the_key_and_warns_on_stderr() -> None:
    done = run_cli("--bits", "2048", "--json", "--reveal")
    k = json.loads(done.stdout)["jwk"]["k"]
    assert len(key_bytes({"kty": "oct", "k": k})) == 256
    assert "warning" in done.stderr and not key_pieces_in(done.stderr, k)


def test_reveal_no_stats_prints_only_the_jwk() -> None:
    done = run_cli("--bits", "512", "--json", "--reveal", "--no-stats", "--use", "sig")
    jwk = json.loads(done.stdout)
    assert set(jwk) == {"kty", "k", "use"} and len(key_bytes(jwk)) == 64


def test_main_in_process_masks(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--bits", "4096"]) == 0
    assert "4096 bits, 512 bytes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bits", "256"], "bits must be one of 512, 1024, 2048 or 4096; got 256"),
        (["--bits", "x"], "got a str of 1 character"),
        (["--bits", "9" * 5000], "bits must be one of"),
        (["--format", "base64"], 'format must be "object", the only format'),
        (["--alg", "none"], "alg must be HS256, HS384 or HS512"),
        (["--use", "enc"], 'use must be "sig"'),
        (["--kid", "y" * 300], "kid must be"),
        (["--no-stats"], "--no-stats goes with --reveal --json"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--bits"], "expected one argument"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xsk-nb: error: "), done.stderr
    assert message in lines[0]


def test_console_script_is_installed() -> None:
    import shutil

    exe = shutil.which("xsk-nb", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run([exe, "--bits", "512"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "512 bits" in done.stdout
