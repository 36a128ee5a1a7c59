"""``%xs_xano_env`` through a real IPython shell, against the HTTPS stand-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from leakcheck import assert_no_key_material
from shell import loaded_shell
from xano_standin import TOKEN, StandIn, write_profile


@pytest.fixture
def shell() -> InteractiveShell:
    return loaded_shell()


def run(shell: InteractiveShell, cell: str):  # -> (ExecutionResult, CapturedIO)
    with capture_output() as captured:
        result = shell.run_cell(cell, store_history=True)
    return result, captured


def test_sets_the_variable_and_shows_only_the_masked_label(
    shell: InteractiveShell, standin: StandIn, home: Path, drawn: list[str]
) -> None:
    write_profile(home, standin.origin)
    result, captured = run(shell, "%xs_xano_env JWT_SECRET --tenant my-tenant --bits 512")
    assert result.success and result.result is None
    (patch,) = standin.patches()
    k = json.loads(json.loads(patch.body)["env"]["value"])["k"]
    assert k == drawn[0] and len(k) == 86
    assert "key = $env.JWT_SECRET|json_decode" in captured.stdout
    assert "‹hidden: 86 chars, key " in captured.stdout
    assert_no_key_material(captured.stdout + captured.stderr, k)
    assert captured.outputs == []
    assert all(k not in repr(value) for value in shell.user_ns.values())


def test_the_token_is_asked_with_getpass_when_none_is_set(
    shell: InteractiveShell, standin: StandIn, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profile(home, standin.origin, token=None)
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return TOKEN

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    result, captured = run(shell, "%xs_xano_env JWT_SECRET --sandbox")
    assert result.success, captured.stderr
    assert len(prompts) == 1 and "not saved" in prompts[0]
    assert TOKEN not in captured.stdout + captured.stderr
    assert len(standin.patches()) == 1


@pytest.mark.parametrize(("line", "expected"), [
    ("JWT_SECRET --tenant my-tenant", "Xano refused the token (401)"),
    ("DATABASE_URL --tenant my-tenant", "DATABASE_URL is already set"),
    ("JWT_SECRET --tenant my-tenant --bits 256", "bits must be one of"),
    ("JWT_SECRET", "give exactly one of --tenant NAME or --sandbox"),
])  # fmt: skip
def test_refusals_are_one_usage_error_sentence(
    shell: InteractiveShell, standin: StandIn, home: Path, no_randomness: None, line: str,
    expected: str,
) -> None:  # fmt: skip
    token = "wrong-token" if "401" in expected else TOKEN
    write_profile(home, standin.origin, token=token)
    result, captured = run(shell, f"%xs_xano_env {line}")
    assert not result.success
    assert type(result.error_in_exec).__name__ == "UsageError"
    assert expected in str(result.error_in_exec)
    assert "Traceback" not in captured.stdout + captured.stderr
    assert token not in str(result.error_in_exec)
    assert standin.patches() == []
