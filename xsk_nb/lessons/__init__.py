"""Helpers for the teaching notebooks: self-checks, the attack lesson's wordlist and its
published public test key.

Pure standard library, so every lesson runs in a browser-only (Pyodide) kernel too.

A self-check compares a student's answer with a digest of the expected answer, so the check
cell can be read without giving the answer away, and it never raises: a missing or wrong
answer prints "not yet" and a hint. No quiz library does this from a plain Python kernel
without JavaScript or pandas (see docs/teaching-guide.md, "How the exercises are built").
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import re
import sys
from collections.abc import Callable
from importlib import resources

__all__ = ["answer_digest", "answer_form", "check", "common_jwt_secrets", "public_test_key_pem"]

CORRECT = "correct"
NOT_YET = "not yet"
#: How a verdict looks in a notebook (review C12: plain text was weak on a projector): a mark,
#: not only a colour, and colours that read on the light and the dark theme (a coloured bar
#: and a faint tint; the text keeps the theme's own colour).
_VERDICT_STYLE = {
    CORRECT: ("\u2713", "var(--jp-success-color1, #2e7d32)", "rgba(46, 125, 50, 0.12)"),
    NOT_YET: ("\u2717", "var(--jp-warn-color1, #e65100)", "rgba(230, 81, 0, 0.12)"),
}
#: A multiple-choice answer as students write it: "b", "B", "(b)", "b)", "b.".
_CHOICE = re.compile(r"\(?([A-Za-z])[).]?")
#: A number written as text: "256", "256.0", "-1.5e3".
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _number(value: object) -> float | None:
    """``value`` as a number when it is one (int, float, or a number written as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return float(value.strip())
    return None


def _canonical(value: object, places: int | None, unordered: bool = False) -> str:
    """One text form per answer, so that forms that are not the point compare equal: a number
    as int, float or text (256, 256.0, "256"), rounded to ``places`` when given; a choice as
    "b", "B" or "(b)"; a list or a tuple; with ``unordered``, the items in any order."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    number = _number(value)
    if number is not None:
        rounded = round(number, places if places is not None else 6)
        return repr(int(rounded)) if rounded == int(rounded) else repr(rounded)
    if isinstance(value, str):
        text = value.strip()
        choice = _CHOICE.fullmatch(text)
        return repr(choice.group(1).lower() if choice else text)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(item, places) for item in value]
        if unordered or isinstance(value, (set, frozenset)):
            items.sort()
        return "(" + ", ".join(items) + ")"
    return repr(value)


def answer_form(value: object) -> str:
    """What kind of answer ``value`` is, in words ("a list of 5 str", "a number", "a letter"),
    so that a check can say which form it wants without saying the answer."""
    if isinstance(value, bool):
        return "True or False"
    if _number(value) is not None:
        return "a number"
    if isinstance(value, str):
        return "a letter" if _CHOICE.fullmatch(value.strip()) else "a str"
    if isinstance(value, (list, tuple, set, frozenset)):
        kinds = {answer_form(item) for item in value}
        inner = kinds.pop() if len(kinds) == 1 else "values of mixed kinds"
        inner = {"a number": "numbers", "a letter": "letters", "a str": "str",
                 "True or False": "True/False"}.get(inner, inner.removeprefix("a "))  # fmt: skip
        return f"a list of {len(value)} {inner}" if value else "an empty list"
    if value is None:
        return "None (nothing was returned)"
    return f"a {type(value).__name__}"


def answer_digest(
    exercise: str, value: object, places: int | None = None, unordered: bool = False
) -> str:
    """The digest a check cell carries for ``value`` (for lesson authors)."""
    text = f"xsk-nb lesson {exercise}\n{_canonical(value, places, unordered)}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _importable(name: str) -> bool:
    if name in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _name_error_verdict(name: str, yours: tuple[str, ...], given: tuple[str, ...]) -> str:
    if name in yours:
        return (
            f"{NOT_YET}: `{name}` is not defined yet. Write it in the empty cell above, and run "
            "that cell (Shift+Enter) before this one; after a restart, run the cells above too."
        )
    if name in given:
        return (
            f"{NOT_YET}: `{name}` comes from a cell above that has not run in this session (a "
            "restarted kernel forgets everything). Run the cells above first (Run > Run All "
            "Above Selected Cell), then your cell, then this one."
        )
    if _importable(name):
        return (
            f"{NOT_YET}: your code uses the module `{name}` but it is not imported in this "
            f"session. Add `import {name}` at the top of your cell, or run the cells above."
        )
    return (
        f"{NOT_YET}: `{name}` is not defined in this session. If it is a name you chose, "
        "define it in your cell; if it comes from the lesson, run the cells above first."
    )


def check(
    exercise: str,
    answer: Callable[[], object],
    digest: str,
    hint: str,
    places: int | None = None,
    *,
    form: str | None = None,
    yours: str | tuple[str, ...] = (),
    given: str | tuple[str, ...] = (),
    unordered: bool = False,
    mistakes: dict[str, str] | None = None,
) -> None:
    """Say "correct", or "not yet" and why (in a notebook as a marked box); never raise.

    ``answer`` is a function of no arguments (``lambda: my_function(768)``), so that a name the
    student has not defined yet is reported as "not yet", not as a ``NameError``. ``yours``
    names what the student writes, ``given`` what the cells above define: a missing name is
    then told apart as "write it", "run the cells above" or "import it". ``form`` is the kind
    of answer wanted (:func:`answer_form` of the right answer); an answer of another kind is
    told which kind is wanted. ``mistakes`` maps the digest of a known wrong answer to a hint
    about that mistake. A check is formative: a small answer space (a letter, a small number)
    can be found by trying, so checks are for learning, never for grading.
    """
    yours = (yours,) if isinstance(yours, str) else tuple(yours)
    given = (given,) if isinstance(given, str) else tuple(given)
    try:
        value = answer()
    except NameError as error:
        verdict = _name_error_verdict(getattr(error, "name", None) or "a name", yours, given)
    except Exception as error:  # a student's code may raise anything; say which, not its text
        verdict = f"{NOT_YET}: your code raised {type(error).__name__}. Hint: {hint}"
    else:
        if value is Ellipsis:
            verdict = f"{NOT_YET}: replace the ... with your answer. Hint: {hint}"
        elif form is not None and answer_form(value) != form:
            verdict = f"{NOT_YET}: the check wants {form}; your answer is {answer_form(value)}."
        else:
            mine = answer_digest(exercise, value, places, unordered)
            if mine == digest:
                verdict = f"{CORRECT} ({exercise})"
            elif mistakes and mine in mistakes:
                verdict = f"{NOT_YET}. {mistakes[mine]}"
            else:
                verdict = f"{NOT_YET}. Hint: {hint}"
    _say(verdict)


def verdict_html(verdict: str) -> str:
    """The verdict as a notebook shows it: its mark (\u2713 or \u2717), then the same words."""
    mark, bar, tint = _VERDICT_STYLE[CORRECT if verdict.startswith(CORRECT) else NOT_YET]
    words = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(verdict, quote=False))
    kind = "correct" if verdict.startswith(CORRECT) else "not-yet"
    return (
        f'<div class="xsk-verdict xsk-verdict-{kind}" style="display:inline-block;'
        f"margin:2px 0;padding:4px 10px;border-left:6px solid {bar};background:{tint};"
        f'font-size:15px;line-height:1.4;color:inherit">'
        f'<b><span aria-hidden="true">{mark} </span>{words}</b></div>'
    )


def _say(verdict: str) -> None:
    """Show ``verdict``: in a notebook's kernel as a marked box (text/plain is the same
    words), anywhere else (a terminal, a script, a test) as one printed line."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    # ipykernel's and Pyodide's shells have a kernel; a terminal's or a bare one has not.
    if shell is None or getattr(shell, "kernel", None) is None:
        print(verdict)
        return
    # The shell's own publisher, as IPython.display does, with no import: the module stays
    # standard library only (a browser kernel loads it as it is).
    shell.display_pub.publish(data={"text/plain": verdict, "text/html": verdict_html(verdict)})


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


def public_test_key_pem() -> str:
    """A published ES256 public key as PEM text: RFC 7515 Appendix A.3's P-256 key (its ``x``
    and ``y``), for the algorithm-confusion demo. Public by design: the RFC prints it, and its
    private part too, so it must never verify anything real."""
    return resources.files(__package__).joinpath("rfc7515_a3_public_key.pem").read_text("ascii")
