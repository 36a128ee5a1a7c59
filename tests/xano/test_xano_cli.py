"""``xsk-nb xano env-set`` against the local HTTPS stand-in of Xano's Metadata API.

Each failure the user can meet is one sentence on stderr with its exit status, and the key
appears in exactly one place: the body of the PATCH request.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from dotenv import dotenv_values
from leakcheck import assert_no_key_material, key_pieces_in
from xano_standin import TOKEN, StandIn, write_profile

from xsk_nb.cli import main
from xsk_nb.masking import PLACEHOLDER_SECRET


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse's errors
        status = int(exit.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def sent_key(standin: StandIn) -> dict[str, str]:
    (patch,) = standin.patches()
    return json.loads(json.loads(patch.body)["env"]["value"])


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("xsk-nb: error: ")
    return lines[0]


def assert_only_in_patch_body(standin: StandIn, k: str, *texts: str) -> None:
    """The key's pieces appear in the PATCH body and nowhere else the process sent or printed."""
    (patch,) = standin.patches()
    assert key_pieces_in(patch.body.decode(), k)  # the scan below can find it
    for record in standin.requests:
        sent = record.raw() if record is not patch else record.raw().replace(
            patch.body.decode(), ""
        )
        assert_no_key_material(sent, k, f"{record.method} {record.path}")
    for text in texts:
        assert_no_key_material(text, k)


def test_sets_a_tenant_variable_sent_only_in_the_patch_body(
    standin: StandIn, home: Path, drawn: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    status, out, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 0, err
    # exactly the Xano CLI's requests: the list (is the name free?), then the PATCH
    assert [(r.method, r.path) for r in standin.requests] == [
        ("GET", "/api:meta/workspace/1/tenant/my-tenant/env_key"),
        ("PATCH", "/api:meta/workspace/1/tenant/my-tenant/env/JWT_SECRET"),
    ]
    for record in standin.requests:
        assert record.headers["authorization"] == f"Bearer {TOKEN}"
        assert record.headers["accept"] == "application/json"
    patch = standin.patches()[0]
    assert patch.headers["content-type"] == "application/json"
    body = json.loads(patch.body)
    assert set(body) == {"env"} and body["env"]["name"] == "JWT_SECRET"
    jwk = sent_key(standin)
    assert jwk == {"kty": "oct", "k": drawn[0]} and len(drawn) == 1
    assert len(jwk["k"]) == 342  # 2048 bits, the default
    assert standin.tenants["1"]["my-tenant"]["JWT_SECRET"] == body["env"]["value"]
    assert_only_in_patch_body(standin, jwk["k"], out, err)
    assert TOKEN not in out + err
    assert err == ""
    shape = re.escape(PLACEHOLDER_SECRET).replace(r"\{n\}", "342").replace(
        r"\{label\}", "[0-9a-f]{6}"
    )
    assert re.search(shape, out)
    assert "key = $env.JWT_SECRET|json_decode" in out
    assert "Set JWT_SECRET in tenant 'my-tenant' of workspace 1" in out


def test_sandbox_with_key_options(
    standin: StandIn, home: Path, drawn: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin, workspace=None)
    argv = ["xano", "env-set", "JWT_SECRET", "--sandbox", "--bits", "512", "--alg", "HS256"]
    status, out, err = run([*argv, "--kid", "v1"], capsys)
    assert status == 0, err
    assert [(r.method, r.path) for r in standin.requests] == [
        ("GET", "/api:meta/sandbox/env_key"),
        ("PATCH", "/api:meta/sandbox/env/JWT_SECRET"),
    ]
    assert sent_key(standin) == {"kty": "oct", "k": drawn[0], "alg": "HS256", "kid": "v1"}
    assert len(drawn[0]) == 86
    assert "in the sandbox" in out and "kid v1" in out
    assert_only_in_patch_body(standin, drawn[0], out, err)


def test_an_existing_name_is_refused_before_a_key_is_drawn(
    standin: StandIn, home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    status, out, err = run(["xano", "env-set", "DATABASE_URL", "--tenant", "my-tenant"], capsys)
    assert status == 2 and out == ""
    line = one_line(err)
    assert "DATABASE_URL is already set in tenant 'my-tenant'" in line and "--force" in line
    assert standin.patches() == []
    assert standin.tenants["1"]["my-tenant"]["DATABASE_URL"] == "postgres://db"
    assert "postgres://db" not in err  # the existing value is never shown


def test_force_replaces_an_existing_name(
    standin: StandIn, home: Path, drawn: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    argv = ["xano", "env-set", "DATABASE_URL", "--tenant", "my-tenant", "--force"]
    status, out, err = run(argv, capsys)
    assert status == 0, err
    assert out.startswith("Replaced DATABASE_URL")
    assert sent_key(standin)["k"] == drawn[0]


def test_also_env_file_saves_the_same_key_with_mode_0600(
    standin: StandIn, home: Path, drawn: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant", "--also-env-file", ".env"]
    status, out, err = run(argv, capsys)
    assert status == 0, err
    env = home / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert json.loads(dotenv_values(env)["JWT_SECRET"]) == sent_key(standin)
    assert "saved as JWT_SECRET in" in out
    assert_only_in_patch_body(standin, drawn[0], out, err)


def test_also_env_file_already_holding_the_name_is_refused_before_anything_is_sent(
    standin: StandIn, home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    env = home / ".env"
    env.write_text("JWT_SECRET=old\n")
    env.chmod(0o600)
    argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant", "--also-env-file", ".env"]
    status, _, err = run(argv, capsys)
    assert status == 2 and "already set" in one_line(err)
    assert standin.requests == [] and env.read_text() == "JWT_SECRET=old\n"


def test_no_profile(home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "t"], capsys)
    assert status == 2 and out == ""
    line = one_line(err)
    assert "no Xano CLI profile" in line and "credentials.yaml does not exist" in line
    assert "xano profile create" in line


@pytest.mark.parametrize("how", ["option", "environment"])
def test_profile_chosen_by_option_or_xano_profile_and_file_by_config(
    standin: StandIn, home: Path, how: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = write_profile(home / "elsewhere", standin.origin, name="work")
    path.write_text("default: nowhere\n" + path.read_text())
    argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"]
    if how == "option":
        argv += ["-p", "work", "-c", str(path)]
    else:
        monkeypatch.setenv("XANO_PROFILE", "work")
        monkeypatch.setenv("XANO_CONFIG", str(path))
    status, _, err = run(argv, capsys)
    assert status == 0, err
    assert len(standin.patches()) == 1


def test_missing_profile_name_lists_the_ones_there(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, "https://x.example", name="work")
    status, _, err = run(["xano", "env-set", "J", "--tenant", "t", "-p", "play"], capsys)
    assert status == 2
    line = one_line(err)
    assert "profile 'play' is not in" in line and "it has: work" in line
    assert TOKEN not in line


def test_invalid_yaml_names_the_line_but_never_quotes_the_file(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_profile(home, "https://x.example")
    path.write_text(f"profiles:\n  default:\n    access_token: {TOKEN}\n   bad: [\n")
    status, _, err = run(["xano", "env-set", "J", "--tenant", "t"], capsys)
    assert status == 2
    line = one_line(err)
    assert "is not valid YAML (line" in line
    assert TOKEN not in line and "bad" not in line


def test_xano_token_takes_precedence_over_the_profile(
    standin: StandIn, home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    write_profile(home, standin.origin, token="stale-token")
    monkeypatch.setenv("XANO_TOKEN", TOKEN)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 0, err


def test_no_token_anywhere(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_profile(home, "https://x.example", token=None)
    status, _, err = run(["xano", "env-set", "J", "--tenant", "t"], capsys)
    assert status == 2 and "no Xano token: set XANO_TOKEN" in one_line(err)


def test_bad_token_401(
    standin: StandIn, home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin, token="wrong-token")
    status, out, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 1 and out == ""
    line = one_line(err)
    assert "Xano refused the token (401)" in line and "expired" in line
    assert "wrong-token" not in line and "Invalid token" not in line
    assert standin.patches() == []


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (["--tenant", "no-such-tenant"], "Xano has no tenant 'no-such-tenant' of workspace 1"),
        (["--tenant", "my-tenant", "-w", "7"], "Xano has no tenant 'my-tenant' of workspace 7"),
    ],
)
def test_no_such_tenant_404(
    standin: StandIn, home: Path, no_randomness: None, where: list[str], expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    write_profile(home, standin.origin)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", *where], capsys)
    assert status == 1
    line = one_line(err)
    assert expected in line and "(404)" in line and "nothing was sent or set" in line
    assert standin.patches() == []


def test_network_down(
    home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_profile(home, f"https://127.0.0.1:{port}")
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 1
    line = one_line(err)
    assert "127.0.0.1 refused the connection (is the network up?)" in line


def test_tls_failure_untrusted_certificate(
    standin: StandIn, home: Path, no_randomness: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.delenv("SSL_CERT_FILE")  # the stand-in's CA is not trusted now
    monkeypatch.setenv("SSL_CERT_DIR", str(home))  # nor anything else
    monkeypatch.setenv("SSL_CERT_FILE", str(home / "none.pem"))
    write_profile(home, standin.origin)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 1
    line = one_line(err)
    assert "the TLS certificate of 127.0.0.1 could not be verified" in line
    assert standin.requests == []


@pytest.mark.standin_mode("rate")
def test_rate_limit_429(
    standin: StandIn, home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 1
    assert "limiting the rate of requests (429): wait 7 s and try again" in one_line(err)


@pytest.mark.parametrize(("mode", "fate"), [
    ("echo", "its answer is not shown"),
    ("server", "whether the variable was set is unknown"),
])  # fmt: skip
def test_an_error_answer_repeating_the_key_is_never_shown(
    tmp_path: Path, home: Path, drawn: list[str], mode: str, fate: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from conftest import _standin

    with _standin(tmp_path, monkeypatch, mode) as standin:
        write_profile(home, standin.origin)
        argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"]
        status, out, err = run([*argv, "--also-env-file", ".env"], capsys)
    assert status == 1 and out == ""
    assert fate in one_line(err)
    assert_only_in_patch_body(standin, drawn[0], out, err)
    assert not (home / ".env").exists()  # nothing saved when Xano did not take it


@pytest.mark.standin_mode("redirect")
def test_a_redirect_is_not_followed(
    standin: StandIn, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 1 and "redirect (302), which is not followed" in one_line(err)
    assert len(standin.requests) == 1


@pytest.mark.parametrize("origin", [
    "http://127.0.0.1:8080", "ftp://x.example", "https://user:pw@x.example",
    "https://x.example/api:meta", "x.example",
])  # fmt: skip
def test_only_https_origins(
    home: Path, origin: str, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, origin)
    status, _, err = run(["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant"], capsys)
    assert status == 2
    assert "the Xano instance origin must be" in one_line(err) and "https://" in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["J"], "one of the arguments --tenant --sandbox is required"),
    (["J", "--tenant", "t", "--sandbox"], "not allowed with argument"),
    (["not a name", "--sandbox"], "env name must be a variable name"),
    (["J", "--sandbox", "--bits", "256"], "bits must be one of 512, 1024, 2048 or 4096"),
    (["J", "--sandbox", "--alg", "HS999"], "alg must be HS256, HS384 or HS512"),
    (["J", "--tenant", "t", "-w", "one"], "the workspace id is a whole number"),
])  # fmt: skip
def test_bad_options_are_one_sentence_and_nothing_is_sent(
    standin: StandIn, home: Path, argv: list[str], expected: str, no_randomness: None,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    write_profile(home, standin.origin)
    status, out, err = run(["xano", "env-set", *argv], capsys)
    assert status == 2 and out == ""
    assert expected in one_line(err)
    assert standin.requests == []


def test_key_options_before_env_set_are_refused_not_ignored(
    standin: StandIn, home: Path, no_randomness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_profile(home, standin.origin)
    status, _, err = run(["--bits", "512", "xano", "env-set", "J", "--sandbox"], capsys)
    expected = "--bits before xano does not apply to it; give xano's own options after it"
    assert status == 2 and expected in one_line(err)
    assert standin.requests == []


def test_instance_and_workspace_options_need_no_profile(
    standin: StandIn, home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("XANO_TOKEN", TOKEN)
    argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant", "-w", "1"]
    status, _, err = run([*argv, "--instance", standin.origin], capsys)
    assert status == 0, err
    assert len(standin.patches()) == 1


def test_a_save_failing_after_the_patch_says_the_variable_was_set(
    standin: StandIn, home: Path, drawn: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    def full_disk(*_args: object, **_kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xsk_nb.envfile.save_jwk_to_env", full_disk)
    write_profile(home, standin.origin)
    argv = ["xano", "env-set", "JWT_SECRET", "--tenant", "my-tenant", "--also-env-file", ".env"]
    status, out, err = run(argv, capsys)
    assert status == 1 and out == ""
    assert one_line(err) == (
        "xsk-nb: error: could not save the key to the --also-env-file: No space left on device; "
        "the key was sent to Xano as JWT_SECRET in tenant 'my-tenant' of workspace 1 but is not "
        "shown; run again with --force to set a new key in both"
    )
    assert_only_in_patch_body(standin, drawn[0], out, err)
