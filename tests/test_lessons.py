"""xsk_nb.lessons: the lessons' self-checks and the attack lesson's wordlist."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from xsk_nb.lessons import answer_digest, answer_form, check, common_jwt_secrets

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
    assert "`undefined_name` is not defined in this session" in lines[2]
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


def test_a_missing_name_is_told_apart_as_write_it_run_the_cells_above_or_import_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    digest = answer_digest("9.9", True)
    checks = dict(yours="accepts", given=("token", "key"), hint="h", form="True or False")
    check("9.9", lambda: accepts(token), digest, **checks)  # type: ignore[name-defined]  # noqa: F821
    check("9.9", lambda: token, digest, **checks)  # type: ignore[name-defined]  # noqa: F821
    check("9.9", lambda: hashlib.sha256, digest, **checks)  # noqa: F821
    said = capsys.readouterr().out.splitlines()
    # Mine to write; set by a cell above (a restarted kernel: `token` is also a stdlib module,
    # and must not be taken for one); a module to import.
    assert "`accepts` is not defined yet. Write it in the empty cell above" in said[0]
    assert "`token` comes from a cell above" in said[1] and "Run the cells above" in said[1]
    assert "`import hashlib`" in said[2]
    assert all(line.startswith("not yet") for line in said)


def test_equivalent_forms_are_accepted_where_the_form_is_not_the_point(
    capsys: pytest.CaptureFixture[str],
) -> None:
    number, letter = answer_digest("9.3", 256), answer_digest("9.2", "b")
    names = answer_digest("9.1", ["api_key", "key_id"], unordered=True)
    for value in (256, 256.0, "256", " 256 "):
        check("9.3", lambda v=value: v, number, hint="h", form="a number")
    for value in ("b", "B", "(b)", "b)", " b. "):
        check("9.2", lambda v=value: v, letter, hint="h", form="a letter")
    for value in (["key_id", "api_key"], ("api_key", "key_id"), {"key_id", "api_key"}):
        check("9.1", lambda v=value: v, names, hint="h", form="a list of 2 str", unordered=True)
    said = capsys.readouterr().out.splitlines()
    assert said == ["correct (9.3)"] * 4 + ["correct (9.2)"] * 5 + ["correct (9.1)"] * 3
    ordered = answer_digest("9.1", ["key_id", "api_key"])
    assert ordered != answer_digest("9.1", ["api_key", "key_id"])


def test_an_answer_of_another_form_is_told_the_form_wanted_and_a_known_mistake_its_own_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    digest = answer_digest("9.9", ["AA", "AAE"])
    mistakes = {answer_digest("9.9", ["AA==", "AAE="]): "Drop the padding."}
    common = dict(hint="three rules", form="a list of 2 str", yours="b64url", mistakes=mistakes)
    check("9.9", lambda: [b"AA", b"AAE"], digest, **common)
    check("9.9", lambda: ["AA==", "AAE="], digest, **common)
    check("9.9", lambda: ["AB", "AAE"], digest, **common)
    said = capsys.readouterr().out.splitlines()
    assert said == [
        "not yet: the check wants a list of 2 str; your answer is a list of 2 bytes.",
        "not yet. Drop the padding.",
        "not yet. Hint: three rules",
    ]
    assert [answer_form(v) for v in (256.0, "c", True, [1, 2.5], None)] == [
        "a number", "a letter", "True or False", "a list of 2 numbers",
        "None (nothing was returned)",
    ]  # fmt: skip


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


def test_the_public_test_key_is_rfc_7515_appendix_a3s_p256_public_key() -> None:
    import base64

    from xsk_nb.keygen import b64url_decode
    from xsk_nb.lessons import public_test_key_pem

    # RFC 7515 A.3.1's JWK: x and y of the P-256 point. A SubjectPublicKeyInfo for P-256 is a
    # fixed 26-byte DER prefix (RFC 5480 §2: id-ecPublicKey, secp256r1) and 04 || x || y.
    x = b64url_decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
    y = b64url_decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
    der = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200") + b"\x04" + x + y
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    pem = "\n".join(["-----BEGIN PUBLIC KEY-----", *lines, "-----END PUBLIC KEY-----"]) + "\n"
    assert public_test_key_pem() == pem
    ec = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ec")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    point = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
    ).public_key()  # raises unless (x, y) is on the curve
    assert point.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode() == pem


def test_a_verdict_in_a_notebook_has_a_mark_and_the_same_words() -> None:
    """Review C12: "correct" and "not yet" differ by a mark (and a colour), not colour alone."""
    from xsk_nb.lessons import verdict_html

    good = verdict_html("correct (3.2)")
    bad = verdict_html("not yet: `answer_3_2` is not defined yet <b>")
    assert '<span aria-hidden="true">\u2713 </span>correct (3.2)' in good
    assert '<span aria-hidden="true">\u2717 </span>not yet' in bad
    assert "<code>answer_3_2</code>" in bad and "&lt;b&gt;" in bad  # escaped, names as code
    assert "xsk-verdict-correct" in good and "xsk-verdict-not-yet" in bad
    assert "color:inherit" in good  # the text keeps the theme's colour, light or dark


def test_outside_a_kernel_a_verdict_is_one_printed_line(capsys: pytest.CaptureFixture[str]) -> None:
    check("9.9", lambda: 1, answer_digest("9.9", 1), hint="one")
    assert capsys.readouterr().out == "correct (9.9)\n"
