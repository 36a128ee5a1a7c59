"""Helpers for the teaching notebooks: self-checks and the attack lesson's wordlist.

Pure standard library, so every lesson runs in a browser-only (Pyodide) kernel too.

A self-check compares a student's answer with a digest of the expected answer, so the check
cell can be read without giving the answer away, and it never raises: a missing or wrong
answer prints "not yet" and a hint. No quiz library does this from a plain Python kernel
without JavaScript or pandas (see docs/teaching-guide.md, "How the exercises are built").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources

__all__ = ["answer_digest", "check", "common_jwt_secrets"]

CORRECT = "correct"
NOT_YET = "not yet"


def _canonical(value: object, places: int | None) -> str:
    """One text form per answer: floats rounded to ``places``, strings trimmed, a one-letter
    choice ("B" or "b") lower-cased."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float) or (places is not None and isinstance(value, int)):
        return repr(round(float(value), places if places is not None else 6))
    if isinstance(value, str):
        text = value.strip()
        return repr(text.lower() if len(text) == 1 else text)
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_canonical(item, places) for item in value) + ")"
    return repr(value)


def answer_digest(exercise: str, value: object, places: int | None = None) -> str:
    """The digest a check cell carries for ``value`` (for lesson authors)."""
    text = f"xsk-nb lesson {exercise}\n{_canonical(value, places)}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def check(
    exercise: str,
    answer: Callable[[], object],
    digest: str,
    hint: str,
    places: int | None = None,
) -> None:
    """Print "correct", or "not yet" with ``hint``; never raise.

    ``answer`` is a function of no arguments (``lambda: my_function(768)``), so that a name the
    student has not defined yet is reported as "not yet", not as a ``NameError``.
    """
    try:
        value = answer()
    except NameError as error:
        missing = getattr(error, "name", None) or "a name"
        verdict = f"{NOT_YET}: `{missing}` is not defined yet; write it in the empty cell above."
    except Exception as error:  # a student's code may raise anything; say which, not its text
        verdict = f"{NOT_YET}: your code raised {type(error).__name__}. Hint: {hint}"
    else:
        if value is Ellipsis:
            verdict = f"{NOT_YET}: replace the ... with your answer. Hint: {hint}"
        elif answer_digest(exercise, value, places) == digest:
            verdict = f"{CORRECT} ({exercise})"
        else:
            verdict = f"{NOT_YET}. Hint: {hint}"
    print(verdict)


def common_jwt_secrets() -> list[str]:
    """The attack lesson's wordlist: weak HMAC secrets as they appear in tutorials and defaults.

    ``jwt_secrets.txt`` holds the base words; each is tried as written and with the variations
    people commonly add (capitalised, upper case, digits, years, "!"), a few thousand guesses.
    """
    text = resources.files(__package__).joinpath("jwt_secrets.txt").read_text(encoding="utf-8")
    words = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    suffixes = ("", "1", "12", "123", "1234", "!", "_key", "-key", "2023", "2024", "2025", "2026")
    seen: dict[str, None] = {}
    for word in words:
        for form in (word, word.capitalize(), word.upper()):
            for suffix in suffixes:
                seen.setdefault(form + suffix, None)
    return list(seen)
