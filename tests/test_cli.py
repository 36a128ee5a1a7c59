"""The xsk-nb command line: outputs, exit codes, and one-line errors on stderr."""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values
from leakcheck import key_pieces_in

from xsk_nb import cli
from xsk_nb.keygen import key_bytes


def run_cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xsk_nb", *args], capture_output=True, text=True, timeout=60,
        **kwargs,
    )  # fmt: skip


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xsk-nb: error: "), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_default_prints_masked_report() -> None:
    done = run_cli("--bits", "512")
    assert done.returncode == 0 and done.stderr == ""
    assert "512 bits, 64 bytes" in done.stdout and "86 base64url characters" in done.stdout
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


def test_jwk_prints_only_the_jwk_and_warns() -> None:
    done = run_cli("--bits", "1024", "--jwk", "--alg", "HS384", "--kid")
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1  # one line: the compact JSON, nothing else
    jwk = json.loads(done.stdout)
    assert set(jwk) == {"kty", "k", "alg", "kid"} and len(key_bytes(jwk)) == 128
    assert done.stdout == json.dumps(jwk, separators=(",", ":")) + "\n"
    assert "warning" in done.stderr and not key_pieces_in(done.stderr, jwk["k"])


def test_k_only_prints_only_k() -> None:
    done = run_cli("--bits", "512", "--k-only", "--alg", "HS256")
    assert done.returncode == 0 and "warning" in done.stderr
    k = done.stdout.removesuffix("\n")
    assert "\n" not in k and len(key_bytes({"kty": "oct", "k": k})) == 64


def test_env_file_saves_privately_and_never_shows_the_key(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    done = run_cli("--bits", "512", "--env-file", str(env), "--env-name", "JWT_SECRET")
    assert done.returncode == 0 and done.stderr == ""
    # The label is the key's session label (masking.key_label): 6 hex digits, not the key.
    assert re.fullmatch(
        rf"Saved key [0-9a-f]{{6}} \(512 bits\) as JWT_SECRET in {re.escape(str(env))} "
        r"\(mode 600\); it is not shown here\.\n",
        done.stdout,
    ), done.stdout
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    k = json.loads(dotenv_values(env)["JWT_SECRET"])["k"]
    assert len(key_bytes({"kty": "oct", "k": k})) == 64 and not key_pieces_in(done.stdout, k)

    before = env.read_bytes()
    again = run_cli("--bits", "512", "--env-file", str(env), "--env-name", "JWT_SECRET")
    assert again.returncode == 2 and again.stdout == ""
    assert "already set" in one_error_line(again) and env.read_bytes() == before

    forced = run_cli("--env-file", str(env), "--env-name", "JWT_SECRET", "--force", "--json")
    assert forced.returncode == 0
    record = json.loads(forced.stdout)
    assert re.fullmatch(r"[0-9a-f]{6}", record.pop("label"))  # the session label, as in text
    assert record == {
        "saved": str(env), "name": "JWT_SECRET", "bits": 2048, "mode": "0600"
    }  # fmt: skip
    assert env.read_bytes() != before


def test_env_file_goes_through_the_same_refusals_as_the_api(tmp_path: Path) -> None:
    link = tmp_path / ".env"
    link.symlink_to(tmp_path / "elsewhere")
    done = run_cli("--env-file", str(link), "--env-name", "JWT")
    assert done.returncode == 2 and "is a symlink" in one_error_line(done)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = run_cli("--env-file", str(fifo), "--env-name", "JWT")  # the timeout guards a hang
    assert done.returncode == 2 and "FIFO" in one_error_line(done)
    loose = tmp_path / "loose.env"
    loose.write_text("A=1\n")
    os.chmod(loose, 0o644)
    done = run_cli("--env-file", str(loose), "--env-name", "JWT")
    assert done.returncode == 2 and "chmod 600" in one_error_line(done)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env", "fifo", "loose.env"]
    assert loose.read_text() == "A=1\n"


def test_closed_pipe_is_one_line_and_status_141() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written, as with head -c1
    try:
        done = subprocess.run(
            [sys.executable, "-m", "xsk_nb", "--bits", "512"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.returncode == cli.EXIT_BROKEN_PIPE == 141
    assert "broken pipe" in one_error_line(done)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_one_line_and_status_1() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "xsk_nb", "--bits", "512"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert "the disk is full" in one_error_line(done)


def test_an_encoding_that_cannot_show_the_report_is_one_line() -> None:
    done = run_cli("--bits", "512", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 1 and "PYTHONIOENCODING=utf-8" in one_error_line(done)


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _all_parsers(sub)
    return found


def test_every_flag_and_subcommand_has_help_with_an_example() -> None:
    parsers = _all_parsers(cli.build_parser())
    for parser in parsers:
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert "e.g." in (choice.help or ""), f"{parser.prog} {choice.dest}"
                continue
            assert "e.g." in (action.help or ""), (
                f"{parser.prog} {action.option_strings or action.dest}"
            )
    for parser in parsers:
        assert "example" in parser.format_help().lower(), parser.prog


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
        (["--jwk", "--json"], "not allowed with argument"),
        (["--jwk", "--k-only"], "not allowed with argument"),
        (["--k-only", "--kid"], "--k-only prints only k"),
        (["--env-file", ".env"], "--env-file and --env-name go together"),
        (["--env-name", "X"], "--env-file and --env-name go together"),
        (["--force"], "--force only applies with --env-file"),
        (["--env-file", ".e", "--env-name", "X", "--jwk"], "--jwk does not go with --env-file"),
        (["--env-file", ".e", "--env-name", "X", "--reveal"], "--reveal does not go with"),
        (["--env-file", "/no/such/dir/.env", "--env-name", "X"], "does not exist"),
        (["--env-file", ".e", "--env-name", "1X"], "env name must be a variable name"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--bits"], "expected one argument"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert message in one_error_line(done)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_console_script_is_installed() -> None:
    import shutil

    exe = shutil.which("xsk-nb", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run([exe, "--bits", "512"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "512 bits" in done.stdout


# --- jwks new / rotate -------------------------------------------------------------------------


def test_jwks_new_and_rotate_keep_tokens_verifiable(tmp_path: Path) -> None:
    import jwt

    path = tmp_path / "keys.json"
    done = run_cli("jwks", "new", str(path), "--keep", "1")
    assert done.returncode == 0 and done.stderr == ""
    first = json.loads(path.read_text())["keys"][0]
    assert done.stdout.startswith(f"Wrote a key set to {path} (mode 600): 1 key of 512 bits")
    assert first["kid"] in done.stdout and not key_pieces_in(done.stdout, first["k"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = jwt.encode({"sub": "u"}, key_bytes(first), "HS256", headers={"kid": first["kid"]})

    done = run_cli("jwks", "rotate", str(path))
    assert done.returncode == 0 and "2 key(s)" in done.stdout
    keys = json.loads(path.read_text())["keys"]
    assert [k["kid"] for k in keys][1] == first["kid"]  # the old key still verifies
    assert jwt.decode(token, key_bytes(keys[1]), algorithms=["HS256"]) == {"sub": "u"}

    done = run_cli("jwks", "rotate", str(path))
    assert done.returncode == 0 and f"dropped kid {first['kid']}" in done.stdout
    assert first["kid"] not in {k["kid"] for k in json.loads(path.read_text())["keys"]}
    assert not key_pieces_in(done.stdout, first["k"])


def test_jwks_new_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    assert run_cli("jwks", "new", str(path)).returncode == 0
    before = path.read_bytes()
    done = run_cli("jwks", "new", str(path), "--bits", "1024")
    assert done.returncode == 2 and "already exists" in one_error_line(done)
    assert path.read_bytes() == before
    done = run_cli("jwks", "new", str(path), "--bits", "1024", "--alg", "HS512", "--force")
    assert done.returncode == 0 and "1024 bits, HS512" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jwks"], "required: ACTION"),
        (["jwks", "frob"], "invalid choice"),
        (["jwks", "new"], "required: FILE"),
        (["jwks", "new", "k.json", "--keep", "-1"], "must be a whole number from 0 to 64"),
        (["jwks", "new", "k.json", "--keep", "65"], "must be a whole number from 0 to 64"),
        (["jwks", "new", "k.json", "--bits", "256"], "bits must be one of"),
        (["jwks", "new", "k.json", "--alg", "none"], "alg must be"),
        (["--jwk", "jwks", "new", "k.json"], "does not apply to jwks"),
        (["jwks", "rotate", "missing.json"], "does not exist; make one with xsk-nb jwks new"),
        (["jwks", "new", "no/such/dir/k.json"], "does not exist"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_jwks_bad_arguments_exit_2_and_write_nothing(
    args: list[str], message: str, tmp_path: Path
) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert message in one_error_line(done)
    assert list(tmp_path.iterdir()) == []


def test_jwks_rotate_refuses_unusable_files_and_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    os.chmod(bad, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(bad)
    loose = tmp_path / "loose.json"
    assert run_cli("jwks", "new", str(loose)).returncode == 0
    os.chmod(loose, 0o644)
    before = {p.name: p.read_bytes() for p in (bad, loose)}
    for path, message in ((bad, "is not JSON"), (link, "symlink"), (loose, "chmod 600")):
        done = run_cli("jwks", "rotate", str(path))
        assert done.returncode == 2 and message in one_error_line(done)
    assert {p.name: p.read_bytes() for p in (bad, loose)} == before


# --- options mean one thing wherever they are written (issue 21 §2) ---------------------------

#: Where an option is written: not at all, before "jwks", after "new", or both.
PLACES = ("absent", "before", "after", "both")


def _placed(option: list[str], place: str) -> tuple[list[str], list[str]]:
    return (
        option if place in ("before", "both") else [],
        option if place in ("after", "both") else [],
    )


def _jwks_new(before: list[str], after: list[str], path: Path, capsys: Any) -> tuple[int, str]:
    status = cli.main([*before, "jwks", "new", str(path), *after])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("bits_place", PLACES)
@pytest.mark.parametrize("alg_place", PLACES)
@pytest.mark.parametrize("force_place", PLACES)
def test_jwks_new_honours_bits_alg_and_force_wherever_written(
    bits_place: str, alg_place: str, force_place: str, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "k.json"
    if force_place != "absent":
        assert cli.main(["jwks", "new", str(path)]) == 0  # force has something to replace
        capsys.readouterr()
    bits_before, bits_after = _placed(["--bits", "1024"], bits_place)
    alg_before, alg_after = _placed(["--alg", "HS512"], alg_place)
    force_before, force_after = _placed(["--force"], force_place)
    status, err = _jwks_new(
        [*bits_before, *alg_before, *force_before], [*bits_after, *alg_after, *force_after],
        path, capsys,
    )  # fmt: skip
    assert status == 0, err
    key = json.loads(path.read_text())["keys"][0]
    assert len(key_bytes(key)) * 8 == (512 if bits_place == "absent" else 1024)
    assert key["alg"] == ("HS256" if alg_place == "absent" else "HS512")


@pytest.mark.parametrize(
    ("before", "after", "sentence"),
    [
        (["--bits", "1024"], ["--bits", "2048"], "--bits is given twice, before and after"),
        (["--alg", "HS384"], ["--alg", "HS512"], "--alg is given twice, before and after"),
    ],
)
def test_two_different_values_of_one_option_are_refused(
    before: list[str], after: list[str], sentence: str, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "k.json"
    with pytest.raises(SystemExit) as exit_:
        _jwks_new(before, after, path, capsys)
    assert exit_.value.code == 2 and not path.exists()
    assert sentence in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--bits", "1024"], ["--alg", "HS512"], ["--force"]])
def test_rotate_refuses_a_size_alg_or_force_before_the_action(
    option: list[str], tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "k.json"
    assert cli.main(["jwks", "new", str(path)]) == 0
    before = path.read_bytes()
    with pytest.raises(SystemExit) as exit_:
        cli.main([*option, "jwks", "rotate", str(path)])
    assert exit_.value.code == 2 and path.read_bytes() == before
    assert f"{option[0]} does not apply to jwks rotate" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option",
    [["--format", "object"], ["--kid", "v1"], ["--use", "sig"], ["--json"], ["--reveal"]],
)
def test_single_key_options_before_jwks_are_refused_by_name(
    option: list[str], tmp_path: Path, capsys: Any
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([*option, "jwks", "new", str(tmp_path / "k.json")])
    assert exit_.value.code == 2 and not (tmp_path / "k.json").exists()
    err = capsys.readouterr().err
    assert f"{option[0]} is an option of a single key and does not apply to jwks" in err


@pytest.mark.parametrize(
    ("argv", "bits", "alg"),
    [([], 2048, None), (["--bits", "1024"], 1024, None), (["--alg", "HS512", "-b", "512"], 512,
     "HS512")],
)  # fmt: skip
def test_the_key_command_keeps_its_defaults(
    argv: list[str], bits: int, alg: str | None, capsys: Any
) -> None:
    assert cli.main([*argv, "--reveal", "--json", "--no-stats"]) == 0
    jwk = json.loads(capsys.readouterr().out)
    assert len(key_bytes(jwk)) * 8 == bits and jwk.get("alg") == alg


def test_version_prints_the_packages_version() -> None:
    import xsk_nb

    done = run_cli("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"xsk-nb {xsk_nb.__version__}\n", "")


# --- a key printed into a file others can read -------------------------------------------------


@pytest.mark.parametrize("mode", ["--jwk", "--k-only", "--reveal"])
def test_a_key_into_a_file_others_can_read_warns_naming_the_mode(
    mode: str, tmp_path: Path
) -> None:
    loose, private = tmp_path / "loose.out", tmp_path / "private.out"
    for path, bits in ((loose, 0o644), (private, 0o600)):
        path.touch()
        path.chmod(bits)
        with path.open("w") as out:
            done = subprocess.run(
                [sys.executable, "-m", "xsk_nb", "--bits", "512", mode],
                stdout=out, stderr=subprocess.PIPE, text=True, timeout=60,
            )  # fmt: skip
        assert done.returncode == 0, done.stderr
        warned = "the output is a file others can read (mode 644)" in done.stderr
        assert warned == (path is loose), done.stderr
        assert "chmod 600" in done.stderr or path is private
    masked = run_cli("--bits", "512")  # nothing revealed: no warning at all
    assert masked.stderr == ""


# --- a closed or full stdout (issue 24) -------------------------------------------------------

OUTPUT_MODES = [
    [], ["--json"], ["--jwk"], ["--k-only"], ["--reveal"], ["--reveal", "--json", "--no-stats"],
    ["--env-file", "x.env", "--env-name", "JWT"], ["jwks", "new", "k.json"], ["--help"],
    ["--version"], ["jwks", "--help"],
]  # fmt: skip


def _closed_stdout(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run xsk-nb with file descriptor 1 closed, as ``xsk-nb ... >&-`` does."""
    return subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "xsk_nb", "--bits", "512",
         *argv] if "jwks" not in argv else
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "xsk_nb", *argv],
        stderr=subprocess.PIPE, text=True, timeout=60, cwd=cwd,
    )  # fmt: skip


@pytest.mark.parametrize("argv", OUTPUT_MODES, ids=" ".join)
def test_a_closed_stdout_is_one_sentence_exit_1_and_nothing_written(
    argv: list[str], tmp_path: Path
) -> None:
    done = _closed_stdout(argv, tmp_path)
    assert done.returncode == 1
    assert one_error_line(done) == (
        "xsk-nb: error: the standard output is closed, so nothing could be shown; nothing was "
        "done (to discard the output, redirect it to /dev/null)"
    )
    assert list(tmp_path.iterdir()) == []  # no key file the user was not told about


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("argv", "done_note"),
    [
        (["--help"], None),
        (["--version"], None),
        (["--bits", "512", "--jwk"], None),
        (
            ["--env-file", "x.env", "--env-name", "JWT"],
            "; the key was saved as JWT in x.env (not shown)",
        ),
        (["jwks", "new", "k.json"], "; the key set was written to k.json"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_a_full_stdout_says_what_was_done_and_exits_1(
    argv: list[str], done_note: str | None, tmp_path: Path
) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "xsk_nb", *argv],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    *warnings, line = done.stderr.strip().splitlines()  # --jwk warns first that it reveals
    assert all(w.startswith("xsk-nb: warning: ") for w in warnings), done.stderr
    assert line.startswith("xsk-nb: error: could not write the output: the disk is full"), line
    if done_note is None:
        assert list(tmp_path.iterdir()) == []
    else:  # the file was written before its confirmation failed: kept, and said so
        assert line.endswith(done_note), line
        written = argv[1] if argv[0] == "--env-file" else argv[2]
        assert [p.name for p in tmp_path.iterdir()] == [written]


def test_help_into_a_closed_pipe_is_status_141() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "xsk_nb", "--help"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.returncode == 141 and "broken pipe" in one_error_line(done)


def test_rotating_a_file_with_a_5000_digit_number_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    assert run_cli("jwks", "new", str(path)).returncode == 0
    data = json.loads(path.read_text())
    text = json.dumps(data).replace('"keys"', '"n": ' + "9" * 5000 + ', "keys"', 1)
    path.write_text(text)
    before = path.read_bytes()
    done = run_cli("jwks", "rotate", str(path))
    assert done.returncode == 2 and path.read_bytes() == before
    line = one_error_line(done)
    assert "holds a number too long to read (more than 4300 digits)" in line, line
    assert "Exceeds the limit" not in line


def test_jwks_remove_drops_a_leaked_key_now_and_refuses_the_current_one(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    assert run_cli("jwks", "new", str(path), "--keep", "2").returncode == 0
    leaked = json.loads(path.read_text())["keys"][0]["kid"]
    done = run_cli("jwks", "remove", str(path), "--", leaked)  # "--": a kid may begin with "-"
    assert done.returncode == 2 and "rotate first" in one_error_line(done)
    assert run_cli("jwks", "rotate", str(path)).returncode == 0
    before = path.read_bytes()
    done = run_cli("jwks", "remove", str(path), "no-such-kid")
    assert done.returncode == 2 and "no key of this set has kid" in one_error_line(done)
    assert path.read_bytes() == before
    done = run_cli("jwks", "remove", str(path), "--", leaked)
    assert done.returncode == 0, done.stderr
    assert f"Removed kid {leaked}" in done.stdout and "1 key(s) left" in done.stdout
    assert leaked not in {k["kid"] for k in json.loads(path.read_text())["keys"]}
