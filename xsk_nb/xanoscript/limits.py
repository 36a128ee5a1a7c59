"""Every bound a cell runs within: value size, nesting, loop counts, steps, call depth, random
bytes drawn, and (below) the sizes of cells, inputs, names, tokens and displays.

Every value a cell builds is measured (text characters plus array and object members, shared
parts counted as often as they appear, since that is how often a display or ``json_encode``
walks them), and text is measured *before* it is built where growth could be explosive
(``~``, ``replace``, ``join``). Past a bound the run stops with one sentence
(:class:`XanoScriptLimitError`), never a hang or a traceback.
"""

from __future__ import annotations

from typing import Any

from xsk_nb.xanoscript.binary import Binary
from xsk_nb.xanoscript.errors import XanoScriptLimitError

MAX_VALUE_SIZE = 1_000_000  # characters of text plus members of arrays and objects
MAX_VALUE_DEPTH = 64  # arrays and objects inside each other
MAX_LOOP_ITERATIONS = 10_000  # per foreach / for / while
MAX_STEPS = 100_000  # statements run in one cell, loops and functions included
MAX_CALL_DEPTH = 16  # function.run inside function.run
#: Characters and members of every value the run computes, added up: each computed value is
#: walked again to track key material, so this bounds the run's time as MAX_VALUE_SIZE bounds
#: its memory (a loop growing a list by push for 2,000 rounds stays within it).
MAX_WORK = 5_000_000
#: Runs of a map/filter/reduce/... expression, one per element, in one cell: nested expression
#: filters multiply (1,000 elements three deep is 10^9 runs), and each run costs about 2 us.
MAX_ELEMENT_RUNS = 1_000_000
#: Random bytes one run may draw (keys, random_bytes, passwords, UUIDs): 2,048 keys of 4096
#: bits. A loop drawing 4096-bit keys 90,000 times ran past 60 s and random_bytes 1024 x 90,000
#: died with MemoryError (issue 24); each draw is counted before it is made.
MAX_RANDOM_BYTES_PER_RUN = 1_048_576


# ---- every other bound of the runner, here so each has one home (issue 19); the module
# that applies it imports it from here
# a cell as written (parser.py)
MAX_CELL_CHARS = 100_000  # characters in one cell
MAX_NESTING = 32  # { } and ( ) inside each other, counted before parsing
# expressions (transformer.py)
MAX_NUMBER_CHARS = 24  # characters of one number literal
#: How deeply expressions may nest (operators, filters, brackets): deeper trees would exhaust
#: Python's stack while running, and no real endpoint comes near.
MAX_EXPR_DEPTH = 64
# inputs (inputs.py)
MAX_INPUT_CHARS = 10_000  # characters of one --input value
MAX_INPUTS = 50  # inputs given to one run
MAX_JSON_DEPTH = 32  # nesting of a json input
_MAX_INT_DIGITS = 18  # digits of an int input (stays below 2^63)
MAX_LIST_ITEMS = 1_000  # items of a `type[]` input
# statements (statements.py)
MAX_RANDOM_BOUND = 2**53  # exact in a JSON number read by JavaScript
MAX_RANDOM_BYTES = 1024  # one security.random_bytes
MAX_PASSWORD_CHARS = 256  # one security.create_password
#: Bytes one security.encrypt / decrypt / jwe_encode / jwe_decode works on: the AES here is
#: pure Python (aes.py, for the browser site), about a quarter of a second for 64 KiB.
MAX_CIPHER_BYTES = 65_536
# JWS (jose.py)
MAX_TTL_SECONDS = 10 * 366 * 24 * 3600  # a ttl of at most ten years
MAX_TOKEN_CHARS = 16_000  # characters of a token to decode
#: Timestamps (milliseconds since the epoch) a timestamp filter reads or makes: the years 1 to
#: 9999, the range of Python's datetime.
MIN_TIMESTAMP_MS = -62_135_596_800_000  # 0001-01-01T00:00:00Z
MAX_TIMESTAMP_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
# the notebook database (db.py)
MAX_IDENTIFIER_CHARS = 64  # characters of a table or field name
MAX_FIELDS = 64  # fields of one db.add
MAX_ROWS_SHOWN = 1000  # rows %xs_db shows
# db.query (interpreter.py)
#: How many rows db.query reads from one table of the notebook database.
MAX_QUERY_ROWS = 10_000
# what a display shows (redaction.py)
MAX_SHOWN_DEPTH = 64  # levels of a shown value
MAX_SHOWN_ITEMS = 10_000  # items of a shown value
#: Short tainted strings remembered for scrubbing quoted values out of error messages.
_MAX_REMEMBERED_PIECES = 10_000


def text_size_check(size: int, what: str, line: int | None = None) -> None:
    """Refuse text of ``size`` characters before it is built."""
    if size > MAX_VALUE_SIZE:
        raise XanoScriptLimitError(
            f"{what} would build a text of {size:,} characters; a value is limited to "
            f"{MAX_VALUE_SIZE:,} characters and members",
            line,
        )


def members_check(count: int, what: str) -> None:
    """Refuse an array or object of ``count`` members before it is built."""
    if count > MAX_VALUE_SIZE:
        raise XanoScriptLimitError(
            f"{what} would build a value of {count:,} members; a value is limited to "
            f"{MAX_VALUE_SIZE:,} characters and members"
        )


class Meter:
    """Measures values (memoised by identity: values are never changed once built)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, int, int]] = {}  # id -> (value, size, depth)
        self.work = 0
        self.drawn = 0  # random bytes drawn so far
        self.element_runs = 0  # expression-filter runs so far

    def draw(self, count: int, what: str) -> None:
        """Count ``count`` random bytes about to be drawn; refuse past the run's budget."""
        self.drawn += count
        if self.drawn > MAX_RANDOM_BYTES_PER_RUN:
            raise XanoScriptLimitError(
                f"{what} would draw more than {MAX_RANDOM_BYTES_PER_RUN:,} random bytes in one "
                "run (2,048 keys of 4096 bits); that is the limit for one cell"
            )

    def element_run(self, what: str) -> None:
        """Count one run of an expression filter's expression; refuse past MAX_ELEMENT_RUNS."""
        self.element_runs += 1
        if self.element_runs > MAX_ELEMENT_RUNS:
            raise XanoScriptLimitError(
                f"{what} would run its expression more than {MAX_ELEMENT_RUNS:,} times in one "
                "cell (expression filters inside each other multiply); that is the limit"
            )

    def charge(self, value: Any, what: str) -> None:
        """Add ``value``'s size to the run's work; refuse the run past MAX_WORK."""
        self.check(value, what)
        self.work += max(self.measure(value)[0], 1)
        if self.work > MAX_WORK:
            raise XanoScriptLimitError(
                f"the cell computed more than {MAX_WORK:,} characters and members in all; "
                "that is the limit for one run"
            )

    def measure(self, value: Any) -> tuple[int, int]:
        """(size, depth) of ``value``; iterative, so any nesting is safe to measure."""
        if isinstance(value, (str, Binary)):  # a binary value counts its bytes
            return len(value), 0
        if not isinstance(value, (list, dict)):
            return 1, 0
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1], known[2]
        # post-order walk without recursion
        stack: list[tuple[Any, bool]] = [(value, False)]
        while stack:
            item, done = stack.pop()
            members = list(item.values()) + list(item.keys()) if isinstance(item, dict) else item
            if not done:
                stack.append((item, True))
                for member in members:
                    if isinstance(member, (list, dict)):
                        seen = self._known.get(id(member))
                        if seen is None or seen[0] is not member:
                            stack.append((member, False))
                continue
            size, depth = 1, 0
            for member in members:  # scalars inline: this runs once per member per value
                if isinstance(member, (str, Binary)):
                    size += len(member)
                elif isinstance(member, (list, dict)):
                    member_size, member_depth = self.measure_flat(member)
                    size += member_size
                    depth = max(depth, member_depth)
                    if size > MAX_VALUE_SIZE or depth + 1 > MAX_VALUE_DEPTH:
                        break
                else:
                    size += 1
            self._known[id(item)] = (item, size, depth + 1)
        return self._known[id(value)][1], self._known[id(value)][2]

    def measure_flat(self, value: Any) -> tuple[int, int]:
        if isinstance(value, (str, Binary)):
            return len(value), 0
        if isinstance(value, (list, dict)):
            known = self._known.get(id(value))
            if known is not None and known[0] is value:
                return known[1], known[2]
            return self.measure(value)
        return 1, 0

    def check(self, value: Any, what: str, line: int | None = None) -> Any:
        """``value``, refused if it is bigger or deeper than the bounds allow."""
        size, depth = self.measure(value)
        if size > MAX_VALUE_SIZE:
            raise XanoScriptLimitError(
                f"{what} built a value of more than {MAX_VALUE_SIZE:,} characters and members; "
                "that is the limit for one value",
                line,
            )
        if depth > MAX_VALUE_DEPTH:
            raise XanoScriptLimitError(
                f"{what} built a value nested more than {MAX_VALUE_DEPTH} levels deep; "
                "that is the limit",
                line,
            )
        return value
