"""xsk_nb.lessons: the lessons' self-checks and the attack lesson's wordlist."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from xsk_nb.lessons import answer_digest, check, common_jwt_secrets

MODULE = Path(__file__).resolve().parent.parent / "xsk_nb" / "lessons" / "__init__.py"


def test_a_self_check_never_raises_and_never_shows_the_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    digest = answer_digest("9.9", [86, 171])
    check("9.9", lambda: [86, 171], digest, hint="round up")
    check("9.9", lambda: [85, 171], digest, hint="round up")
    check("9.9", lambda: undefined_name, digest, hint="round up")  # type: ignore[name-defined]  # noqa: F821
    check("9.9", lambda: 1 / 0, digest, hint="round up")
    check("9.9", lambda: ..., digest, hint="round up")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "correct (9.9)"
    assert [line.split(":")[0].split(".")[0] for line in lines[1:]] == ["not yet"] * 4
    assert "`undefined_name` is not defined yet" in lines[2]
    assert "ZeroDivisionError" in lines[3]
    assert all("round up" in line for line in lines[1:2] + lines[3:])
    assert not any("86" in line or "171" in line for line in lines)


def test_an_exception_message_from_student_code_is_never_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def leaky() -> None:
        raise ValueError("k=AAAA-student-key-material")

    check("9.9", leaky, answer_digest("9.9", 1), hint="h")
    assert "AAAA" not in capsys.readouterr().out


def test_digests_are_per_exercise_and_tolerate_rounding_and_the_case_of_a_choice() -> None:
    assert answer_digest("9.8", [86, 171]) != answer_digest("9.9", [86, 171])
    assert answer_digest("9.7", "B") == answer_digest("9.7", " b")
    assert answer_digest("9.7", "Secret") != answer_digest("9.7", "secret")
    assert answer_digest("9.6", 0.123456, places=3) == answer_digest("9.6", 0.1234, places=3)
    assert answer_digest("9.6", 0.124, places=3) != answer_digest("9.6", 0.123, places=3)
    assert answer_digest("9.5", (1, 2)) == answer_digest("9.5", [1, 2])
    assert answer_digest("9.4", True) != answer_digest("9.4", 1)


def test_the_attack_wordlist_is_a_few_thousand_guesses_with_the_well_known_weak_secrets() -> None:
    words = common_jwt_secrets()
    assert 1000 <= len(words) <= 10_000
    assert len(set(words)) == len(words)
    assert {"secret", "your-256-bit-secret", "Secret123"} <= set(words)


def test_the_module_imports_only_the_standard_library_so_a_browser_kernel_can_load_it() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
