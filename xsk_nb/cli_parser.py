"""What every ``xsk-nb`` sub-command shares: exit statuses, the one-line parser, the bits type.

Its own module so that the sub-commands in their own modules (``inspect``, ``xano``, ``scan``)
and :mod:`xsk_nb.cli`, which registers them, import it without importing each other.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, NoReturn

from xsk_nb.contract import bits_from_text, describe_rejected

EXIT_ENVIRONMENT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a process killed by SIGPIPE

class CommandError(Exception):
    """A refusal to report as one line on stderr with an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


_OPTION_LIKE = re.compile(r"--?[A-Za-z][A-Za-z0-9-]{0,30}\Z")


def _shown_values(values: Sequence[str]) -> str:
    """Option-like words as they are; any other value described by
    :func:`~xsk_nb.contract.describe_rejected` (never echoed: it may be a pasted key)."""
    return " and ".join(
        value if _OPTION_LIKE.match(value) else describe_rejected(value) for value in values
    )


def _without_values(message: str) -> str:
    """argparse's own messages, with the user's values described, not repeated."""
    choice = re.match(
        r"(?P<head>.*?)invalid choice: (?P<value>.*) \(choose from (?P<allowed>.*)\)\Z", message
    )
    if choice:
        try:
            given = describe_rejected(ast.literal_eval(choice["value"]))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            given = "not shown"
        return f"{choice['head']}invalid choice ({given}); choose from {choice['allowed']}"
    ambiguous = re.match(r"ambiguous option: (?P<option>.*?) could match (?P<rest>.*)\Z", message)
    if ambiguous:
        option = ambiguous["option"].split("=", 1)[0]
        option = option if _OPTION_LIKE.match(option) else "an option (not shown)"
        return f"ambiguous option: {option} could match {ambiguous['rest']}"
    return message


class OneLineParser(argparse.ArgumentParser):
    """One line on stderr and exit 2; never repeats a value the user typed (it may be a key)."""

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {_shown_values(extras)}")
        return parsed

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"xsk-nb: error: {_without_values(message)}\n")

    def _print_message(self, message: str, file: Any = None) -> None:
        """argparse's, except that a failed write of --help or --version to stdout is an
        error (argparse ignores it and exits 0): it reaches :func:`main` as an OSError."""
        if not message:
            return
        if file is None or file is sys.stderr:
            with suppress(AttributeError, OSError, ValueError):  # stderr closed: say nothing
                (file or sys.stderr).write(message)
            return
        write_stdout(message)


def bits_type(text: str) -> int:
    try:
        return bits_from_text(text)
    except ValueError as error:  # argparse reports ArgumentTypeError's text as is
        raise argparse.ArgumentTypeError(str(error)) from None


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
