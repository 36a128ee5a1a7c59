"""%xs_secret_key through a real IPython shell: outputs, flags, traits and every user mistake."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from leakcheck import assert_no_key_material
from shell import loaded_shell

from xsk_nb import keygen, masking
from xsk_nb.keygen import b64url_encode
from xsk_nb.report import REVEAL_WARNING, KeyReport


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    shell = loaded_shell()
    yield shell
    shell.run_line_magic("config", "XsMagics.default_bits = 2048")


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


def run(shell: InteractiveShell, cell: str):  # -> (ExecutionResult, CapturedIO)
    with capture_output() as captured:
        result = shell.run_cell(cell, store_history=True)
    return result, captured


def everything_shown(captured) -> str:  # type: ignore[no-untyped-def]
    parts = [captured.stdout, captured.stderr]
    for output in captured.outputs:
        parts += [repr(value) for value in output.data.values()]
    return "\n".join(parts)


def test_displays_a_masked_report(shell: InteractiveShell, drawn: list[str]) -> None:
    result, captured = run(shell, "%xs_secret_key --bits 512")
    assert result.success and result.result is None
    assert len(drawn) == 1 and len(captured.outputs) == 1
    data = captured.outputs[0].data
    assert {"text/plain", "text/html"} <= set(data)  # the visual is inside the HTML (issue 10)
    assert "512 bits, 64 bytes" in data["text/plain"]
    assert 'data-bits="512"' in data["text/html"]
    assert_no_key_material(everything_shown(captured), drawn[0])


def test_default_bits_is_a_configurable_trait(shell: InteractiveShell, drawn: list[str]) -> None:
    run(shell, "%config XsMagics.default_bits = 1024")
    _, captured = run(shell, "%xs_secret_key")
    assert 'data-bits="1024"' in captured.outputs[0].data["text/html"]
    run(shell, "%config XsMagics.default_bits = 256")  # refused by the trait (and logged)
    _, captured = run(shell, "%xs_secret_key")
    assert 'data-bits="1024"' in captured.outputs[0].data["text/html"]


def test_output_flag_returns_the_report_and_out_stays_masked(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    result, captured = run(shell, "%xs_secret_key -o -b 2048 --alg HS512")
    report = result.result
    assert isinstance(report, KeyReport) and report.jwk()["alg"] == "HS512"
    assert shell.user_ns["Out"][shell.execution_count - 1] is report
    assert report.jwk()["k"] == drawn[0]
    assert_no_key_material(everything_shown(captured), drawn[0])
    assert_no_key_material(repr(shell.user_ns["_"]), drawn[0])


def test_variable_flag_stores_without_displaying(shell: InteractiveShell, drawn: list[str]) -> None:
    result, captured = run(shell, "%xs_secret_key --bits 4096 -v my_key")
    assert result.result is None and not captured.outputs and not captured.stdout
    assert shell.user_ns["my_key"].bits == 4096


def test_reveal_shows_the_key_with_a_warning(shell: InteractiveShell, drawn: list[str]) -> None:
    _, captured = run(shell, "%xs_secret_key --bits 512 --reveal")
    data = captured.outputs[0].data
    assert drawn[0] in data["text/plain"] and drawn[0] in data["text/html"]
    assert REVEAL_WARNING in data["text/plain"]
    assert captured.outputs[0].metadata == {"xsk_nb": {"revealed": True}}  # agreement A2


def test_braces_expand_python_variables(shell: InteractiveShell, drawn: list[str]) -> None:
    shell.user_ns["size"] = 1024
    _, captured = run(shell, "%xs_secret_key --bits {size} --kid")
    html = captured.outputs[0].data["text/html"]
    assert 'data-bits="1024"' in html and '"kid"' in html


def test_env_file_saves_privately_and_shows_no_key(
    shell: InteractiveShell, drawn: list[str], tmp_path: Path
) -> None:
    target = tmp_path / ".env"
    _, captured = run(shell, f"%xs_secret_key --bits 512 --env-file {target} --env-name JWT_SECRET")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert drawn[0] in target.read_text()
    label = masking.key_label(drawn[0])
    assert captured.stdout == (
        f"Saved key {label} (512 bits) as JWT_SECRET in {target} (mode 600); it is not shown "
        "here.\n"
    )
    assert_no_key_material(everything_shown(captured), drawn[0])
    _, captured = run(shell, f"%xs_secret_key --bits 512 --env-file {target} --env-name JWT_SECRET")
    assert "already set" in captured.stderr and len(drawn) == 1  # refused before drawing
    run(shell, f"%xs_secret_key --bits 512 --env-file {target} --env-name JWT_SECRET --force")
    assert drawn[1] in target.read_text() and drawn[0] not in target.read_text()


MISTAKES = [
    ("--bits 256", "bits must be one of 512, 1024, 2048 or 4096; got 256"),
    ("--bits abc", "bits must be one of 512, 1024, 2048 or 4096; got a str of 3 characters"),
    ("--bits 1e3", "bits must be one of 512, 1024, 2048 or 4096"),
    ("--bits " + "9" * 400, "bits must be one of 512, 1024, 2048 or 4096"),
    ("--bits", "expected one argument"),
    ("--format base64", 'format must be "object", the only format'),
    ("--alg RS256", "alg must be HS256, HS384 or HS512"),
    ("--use enc", 'use must be "sig"'),
    ("--kid " + "x" * 200, "kid must be"),
    ("--colour red", "unrecognized arguments"),
    ("stray", "unrecognized arguments"),
    ("-v 1abc", "-v takes a Python variable name"),
    ("--env-file .env", "--env-file and --env-name go together"),
    ("--env-name JWT", "--env-file and --env-name go together"),
    ("--force", "--force only applies with --env-file"),
    ("--env-file ENV --env-name JWT --reveal", "--reveal does not go with --env-file"),
    ("--env-file ENV --env-name 1BAD", "env name must be a variable name"),
    ("--env-file /no/such/dir/.env --env-name JWT", "does not exist"),
    ("-v class", "-v takes a Python variable name that is not a keyword"),
    ("-v None", "-v takes a Python variable name that is not a keyword"),
    ("-v lambda", "-v takes a Python variable name that is not a keyword"),
    ('--bits "512', "the line has an unclosed quote"),
    ("--kid 'my id", "the line has an unclosed quote"),
]


@pytest.mark.parametrize(("flags", "message"), MISTAKES, ids=[m[0][:24] for m in MISTAKES])
def test_each_mistake_is_one_line_without_traceback_or_output(
    shell: InteractiveShell, drawn: list[str], tmp_path: Path, flags: str, message: str
) -> None:
    os.chdir(tmp_path)
    flags = flags.replace("ENV", str(tmp_path / ".env"))
    result, captured = run(shell, f"%xs_secret_key {flags}")
    assert isinstance(result.error_in_exec, UsageError)
    lines = captured.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("UsageError: "), captured.stderr
    assert message in lines[0]
    assert "Traceback" not in captured.stdout + captured.stderr
    assert not captured.outputs and not captured.stdout
    assert drawn == []  # nothing drawn, nothing half-written
    assert list(tmp_path.iterdir()) == []


def test_help_documents_every_flag(shell: InteractiveShell) -> None:
    doc = shell.find_line_magic("xs_secret_key").__doc__
    for flag in (
        "--bits",
        "--format",
        "--alg",
        "--kid",
        "--use",
        "--reveal",
        "-o",
        "-v",
        "--env-file",
        "--env-name",
        "--force",
    ):
        assert flag in doc, flag


def test_unload_and_reload(shell: InteractiveShell) -> None:
    shell.run_line_magic("unload_ext", "xsk_nb")
    assert shell.find_line_magic("xs_secret_key") is None
    shell.run_line_magic("load_ext", "xsk_nb")
    assert shell.find_line_magic("xs_secret_key") is not None
    shell.run_line_magic("reload_ext", "xsk_nb")
    assert shell.find_line_magic("xs_secret_key") is not None


# A 512-bit k as a user might paste it (with a "-", so it is not a Python name either).
PASTED_K = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM-b6g"


@pytest.mark.parametrize(
    "flags",
    [
        f"--bits {PASTED_K}",
        f"--format {PASTED_K}",
        f"--alg {PASTED_K}",
        f"--use {PASTED_K}",
        f"--kid {PASTED_K * 2}",
        f"-v {PASTED_K}",
        f"-v 1{PASTED_K.replace('-', '_')}",
        f"--env-file .env --env-name {PASTED_K}",
    ],
    ids=lambda flags: flags.split()[0],
)
def test_a_key_pasted_into_any_flag_is_refused_without_echo(
    shell: InteractiveShell, drawn: list[str], tmp_path: Path, flags: str
) -> None:
    os.chdir(tmp_path)
    result, captured = run(shell, f"%xs_secret_key {flags}")
    assert isinstance(result.error_in_exec, UsageError)
    assert len(captured.stderr.strip().splitlines()) == 1
    assert_no_key_material(everything_shown(captured), PASTED_K)
    assert drawn == [] and list(tmp_path.iterdir()) == []


@pytest.fixture
def verbose(shell: InteractiveShell) -> Iterator[InteractiveShell]:
    """%xmode Verbose: a traceback would print every frame's locals (a key among them)."""
    run(shell, "%xmode Verbose")
    yield shell
    run(shell, "%xmode Context")


def _outputs_of(shell: InteractiveShell, cell: str) -> tuple[object, str]:
    result, captured = run(shell, cell)
    _, later = run(shell, "%tb")  # the last traceback, printed on request
    return result.error_in_exec, everything_shown(captured) + everything_shown(later)


def test_a_dangling_symlink_env_file_is_one_sentence_in_verbose_mode(
    verbose: InteractiveShell, drawn: list[str], tmp_path: Path
) -> None:
    target = tmp_path / ".env"
    target.symlink_to(tmp_path / "missing")
    error, shown = _outputs_of(
        verbose, f"%xs_secret_key --bits 512 --env-file {target} --env-name JWT"
    )
    assert isinstance(error, UsageError)
    assert shown.count("UsageError: ") >= 1 and "Traceback" not in shown
    for k in drawn:
        assert_no_key_material(shown, k)
    assert not (tmp_path / "missing").exists()


def test_an_os_error_after_the_key_is_drawn_is_one_sentence_in_verbose_mode(
    verbose: InteractiveShell, drawn: list[str]
) -> None:
    # /proc/self is a folder, but nothing can be created in it: the write itself fails.
    error, shown = _outputs_of(
        verbose, "%xs_secret_key --bits 512 --env-file /proc/self/xsk.env --env-name JWT"
    )
    assert isinstance(error, UsageError) and "Traceback" not in shown
    assert "UsageError: " in shown
    for k in drawn:
        assert_no_key_material(shown, k)


@pytest.mark.parametrize(
    "failure",
    [
        OSError(28, "No space left on device"),
        PermissionError(13, "Permission denied", ".env"),
        ValueError("the env file is a FIFO; give a regular file"),
        TypeError("boom"),
        RuntimeError("unexpected"),
        "key-in-message",
    ],
    ids=lambda f: type(f).__name__ if not isinstance(f, str) else f,
)
def test_every_error_of_the_env_writer_is_one_sentence_with_no_key(
    verbose: InteractiveShell,
    drawn: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: object,
) -> None:
    def failing_writer(jwk: dict[str, str], *_args: object, **_kwargs: object) -> Path:
        if failure == "key-in-message":
            raise ValueError(f"cannot write {jwk}")  # a careless message holding the key
        raise failure  # type: ignore[misc]

    monkeypatch.setattr("xsk_nb.envfile.save_jwk_to_env", failing_writer)
    error, shown = _outputs_of(
        verbose, f"%xs_secret_key --bits 512 --env-file {tmp_path / '.env'} --env-name JWT"
    )
    assert isinstance(error, UsageError) and "Traceback" not in shown
    assert len(drawn) == 1
    assert_no_key_material(shown, drawn[0])
    if isinstance(failure, OSError):
        assert f"could not save the key to the --env-file: {failure.strerror}" in shown
    elif isinstance(failure, ValueError):
        assert str(failure) in shown


def test_the_docstring_examples_run_as_described(
    shell: InteractiveShell, drawn: list[str], tmp_path: Path
) -> None:
    os.chdir(tmp_path)
    doc = shell.find_line_magic("xs_secret_key").__doc__
    examples = [
        line.strip() for line in doc.splitlines() if line.strip().startswith("%xs_secret_key -")
    ]
    assert len(examples) == 3
    for example in examples:
        result, captured = run(shell, example)
        assert result.success, (example, captured.stderr)
        assert_no_key_material(everything_shown(captured), drawn[-1])
    assert shell.user_ns["signing_key"].jwk()["alg"] == "HS256"
    assert "kid" in shell.user_ns["signing_key"].jwk()
    assert drawn[-1] in (tmp_path / ".env").read_text()
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    assert "%config XsMagics.default_bits = 4096" in doc


def test_an_os_error_while_checking_the_env_file_is_one_sentence(
    shell: InteractiveShell, drawn: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_args: object, **_kwargs: object) -> Path:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".env"))

    monkeypatch.setattr("xsk_nb.envfile.check_env_target", unreadable)
    result, captured = run(
        shell, f"%xs_secret_key --env-file {tmp_path / '.env'} --env-name JWT_SECRET"
    )
    assert isinstance(result.error_in_exec, UsageError)
    assert captured.stderr.strip() == (
        "UsageError: could not read the --env-file: Permission denied"
    )
    assert drawn == []


def test_a_failure_while_drawing_the_report_is_one_sentence_in_verbose_mode(
    verbose: InteractiveShell, drawn: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_html(self: KeyReport) -> str:
        key = self.jwk()  # a local holding the key, as a verbose traceback would print it
        raise RuntimeError(f"cannot draw {len(key)}")

    monkeypatch.setattr(KeyReport, "to_html", broken_html)
    error, shown = _outputs_of(verbose, "%xs_secret_key --bits 512")
    assert isinstance(error, UsageError) and "Traceback" not in shown
    assert "could not build the key's report: an unexpected RuntimeError" in shown
    assert_no_key_material(shown, drawn[0])


# --- what --copy goes with (issue 24), and revealed outputs' metadata (A2) --------------------


def test_copy_shows_the_copy_control_and_a_masked_card(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    result, captured = run(shell, "%xs_secret_key --bits 512 --copy")
    assert result.success and len(captured.outputs) == 1
    data = captured.outputs[0].data
    assert "application/vnd.jupyter.widget-view+json" in data  # a widget, not a VBox repr
    assert_no_key_material(everything_shown(captured), drawn[0])


def test_copy_with_v_keeps_the_report_and_still_shows_the_copy_control(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    result, captured = run(shell, "%xs_secret_key --bits 512 --copy -v kept")
    assert result.success and result.result is None
    assert shell.user_ns["kept"].jwk()["k"] == drawn[0]
    assert len(captured.outputs) == 1
    assert "application/vnd.jupyter.widget-view+json" in captured.outputs[0].data
    assert_no_key_material(everything_shown(captured), drawn[0])


@pytest.mark.parametrize(
    ("flags", "sentence"),
    [
        ("--copy -o", "--copy and -o do not go together: -o returns the report instead of "),
        ("--copy --reveal", "--copy and --reveal do not go together: --copy keeps the key out"),
    ],
)
def test_copy_with_o_or_reveal_is_refused_before_a_draw(
    shell: InteractiveShell, drawn: list[str], flags: str, sentence: str
) -> None:
    result, captured = run(shell, f"%xs_secret_key --bits 512 {flags}")
    assert isinstance(result.error_in_exec, UsageError) and drawn == []
    assert captured.stderr.startswith(f"UsageError: {sentence}")
    assert captured.outputs == []


def test_copy_without_the_lab_extra_is_one_sentence_naming_it(
    shell: InteractiveShell, drawn: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "xsk_nb.key_panel", raising=False)
    monkeypatch.setitem(sys.modules, "anywidget", None)  # as if not installed
    result, captured = run(shell, "%xs_secret_key --bits 512 --copy")
    assert isinstance(result.error_in_exec, UsageError) and drawn == []
    assert captured.stderr.strip() == (
        "UsageError: %xs_secret_key --copy needs anywidget: pip install 'xsk-nb[notebook]'"
    )


def test_a_revealed_output_carries_the_revealed_metadata(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    _, captured = run(shell, "%xs_secret_key --bits 512 --reveal")
    (output,) = captured.outputs
    assert output.metadata == {"xsk_nb": {"revealed": True}}
    assert drawn[0] in output.data["text/plain"]
    _, masked = run(shell, "%xs_secret_key --bits 512")
    assert "xsk_nb" not in (masked.outputs[0].metadata or {})


def test_o_and_v_without_copy_keep_their_meaning(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    result, captured = run(shell, "%xs_secret_key --bits 512 -o")
    assert isinstance(result.result, KeyReport) and result.result.jwk()["k"] == drawn[0]
    result, captured = run(shell, "%xs_secret_key --bits 512 -v only -o")
    assert result.result is None and captured.outputs == []  # -v wins: stored, shown nowhere
    assert shell.user_ns["only"].jwk()["k"] == drawn[1]
