"""Xano's timestamp filters: ``to_timestamp``, ``to_ms`` … ``to_days``, ``parse_timestamp``,
``format_timestamp``, ``transform_timestamp``, ``add_secs_to_timestamp``,
``add_ms_to_timestamp`` and the ``timestamp_*`` parts.

What Xano documents, and what each test checks (xano-inc/cli@eb4d11d
xanoscript-docs/xanoscript-ai-documentation-main/expression_guideline.md, "the guide",
"Date/Time/Timestamp Expressions", lines 695-750; xano-inc/xano-developer-mcp@c72a410
src/xanoscript_docs/syntax.md, "Date/Time Filters", lines 300-321):

* a timestamp is a number of **milliseconds** since the Unix epoch (the guide: ``to_timestamp``
  gives ``1758265200000``; ``to_seconds`` of the same moment ``1758265200``);
* ``to_ms``/``to_seconds``/``to_minutes``/``to_hours``/``to_days`` count whole units since the
  epoch (the guide: 29304420 minutes, 488407 hours, 20350 days for that moment);
* ``"2023-08-15 13:45:30"|parse_timestamp:"Y-m-d H:i:s":"America/Los_Angeles"`` is
  1692132330000; ``"1692132330000"|format_timestamp:"Y-m-d H:i:s":"America/New_York"`` is
  ``"2023-08-15 16:45:30"``; ``"2023-08-15T20:45:30.000Z"|transform_timestamp:"-7 days"``
  is 1691527530000; ``1691527530000|add_secs_to_timestamp:60`` is 1691527590000. The guide
  prints some of these results in quotes and others not; Xano's timestamp type is the number,
  so each is a number here;
* formats are PHP's ``date()`` letters (``Y-m-d H:i:s``): Xano runs on PHP, and every format in
  its documents is one (php.net/manual/en/datetime.format.php is the table below).

Messages never quote a value, a format or a zone name: any of them may come from a key.

What this kit does not read: PHP's ``strtotime`` words (``"next friday"``, ``monday``,
``"last day of this month"``). Xano reads them; no Python library reads them the same way, so
each is refused in one sentence naming what is read here, rather than guessed. ``"now"`` is the
run's clock, which ``%%xanoscript --now`` fixes so a result is reproducible.

Written by hand because no well-kept Python library formats or parses PHP's date letters (the
``phpdateformat``-style packages on PyPI are unmaintained); zoneinfo gives the time zones.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from xsk_nb.xanoscript.kinds import kind as _kind
from xsk_nb.xanoscript.limits import MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS

Clock = Callable[[], int]  # the run's "now", in milliseconds
Warn = Callable[[str], None]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_READ_HERE = (
    '"now", a timestamp in milliseconds, or an ISO 8601 date such as 2023-08-15, '
    "2023-08-15 13:45:30 or 2023-08-15T20:45:30.000Z"
)
_STRTOTIME_REFUSAL = (
    f"the value must be {_READ_HERE}; words such as \"next friday\" or monday are read by "
    "Xano's PHP (strtotime), not by this kit, which does not guess their meaning"
)
_OUT_OF_RANGE = "the timestamp is outside the years 1 to 9999, the range read here"
UTC_NOTE = "{name}: no time zone given, so UTC is used (Xano's examples always name one)"


def zone(name: str, value: Any) -> tzinfo | None:
    """The time zone named ``value`` (IANA, e.g. America/New_York, or UTC); None if not given."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name}'s time zone must be text such as \"UTC\" or \"America/New_York\"")
    if value.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    if not available_timezones():  # no system database and no tzdata package
        raise ValueError(
            "this Python has no time zone database (the browser-only site's has none), so only "
            "UTC is read here"
        )
    raise ValueError(
        'the time zone is not one this Python knows; use an IANA name such as "America/New_York", '
        'or "UTC"'
    )


def _or_utc(name: str, tz: tzinfo | None, warn: Warn) -> tzinfo:
    """``tz``, or UTC with :data:`UTC_NOTE` when the cell named none and the zone matters."""
    if tz is None:
        warn(UTC_NOTE.format(name=name))
        return timezone.utc
    return tz


def _checked(ms: int) -> int:
    if not MIN_TIMESTAMP_MS <= ms <= MAX_TIMESTAMP_MS:
        raise ValueError(_OUT_OF_RANGE)
    return ms


def _to_datetime(ms: int, tz: tzinfo) -> datetime:
    try:
        return (_EPOCH + timedelta(milliseconds=ms)).astimezone(tz)
    except OverflowError:  # within a day of the year 1 or 9999, in a zone that crosses it
        raise ValueError(_OUT_OF_RANGE) from None


def _to_ms(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def read(name: str, value: Any, tz: tzinfo | None, now: Clock, warn: Warn) -> int:
    """``value`` as a timestamp in milliseconds: a number is one already; text is ``"now"``,
    digits, or an ISO 8601 date (a date without an offset is in ``tz``, else UTC)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} works on a timestamp or a date; got {_kind(value)}")
    if isinstance(value, (int, float)):
        return _checked(int(value))
    if not isinstance(value, str):
        raise TypeError(f"{name} works on a timestamp or a date; got {_kind(value)}")
    text = value.strip()
    if text.lower() == "now":
        return now()
    if re.fullmatch(r"-?\d{1,16}", text):
        return _checked(int(text))
    iso = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise ValueError(_STRTOTIME_REFUSAL) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_or_utc(name, tz, warn))
    return _checked(_to_ms(moment))


def moment_ms(name: str, text: str) -> int:
    """A moment a person types (``%%xanoscript --now``): as :func:`read`, UTC without an
    offset, and "now" refused (it is the clock being fixed)."""
    wanted = (
        "give an ISO 8601 moment such as 2026-01-01T09:00:00Z (UTC without an offset) or "
        "milliseconds since the epoch"
    )
    if text.strip().lower() == "now":
        raise ValueError(wanted)
    try:
        return read(name, text, timezone.utc, lambda: 0, lambda note: None)
    except ValueError as error:
        if str(error) == _OUT_OF_RANGE:
            raise
        raise ValueError(wanted) from None


# ---- PHP's date() letters (php.net/manual/en/datetime.format.php) ----------------------------


def _offset(moment: datetime, colon: bool) -> str:
    seconds = int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{minutes:02d}"


def _suffix(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _zone_name(moment: datetime) -> str:
    key = getattr(moment.tzinfo, "key", None)
    return str(key) if key else "UTC"


_LETTERS: dict[str, Callable[[datetime], str]] = {
    "d": lambda m: f"{m.day:02d}",
    "D": lambda m: m.strftime("%a"),
    "j": lambda m: str(m.day),
    "l": lambda m: m.strftime("%A"),
    "N": lambda m: str(m.isoweekday()),
    "S": lambda m: _suffix(m.day),
    "w": lambda m: str(m.isoweekday() % 7),
    "z": lambda m: str(m.timetuple().tm_yday - 1),
    "W": lambda m: f"{m.isocalendar()[1]:02d}",
    "F": lambda m: m.strftime("%B"),
    "m": lambda m: f"{m.month:02d}",
    "M": lambda m: m.strftime("%b"),
    "n": lambda m: str(m.month),
    "t": lambda m: str(calendar.monthrange(m.year, m.month)[1]),
    "L": lambda m: "1" if calendar.isleap(m.year) else "0",
    "o": lambda m: str(m.isocalendar()[0]),
    "Y": lambda m: str(m.year),
    "y": lambda m: f"{m.year % 100:02d}",
    "a": lambda m: "am" if m.hour < 12 else "pm",
    "A": lambda m: "AM" if m.hour < 12 else "PM",
    "g": lambda m: str(m.hour % 12 or 12),
    "G": lambda m: str(m.hour),
    "h": lambda m: f"{m.hour % 12 or 12:02d}",
    "H": lambda m: f"{m.hour:02d}",
    "i": lambda m: f"{m.minute:02d}",
    "s": lambda m: f"{m.second:02d}",
    "u": lambda m: f"{m.microsecond:06d}",
    "v": lambda m: f"{m.microsecond // 1000:03d}",
    "e": _zone_name,
    "I": lambda m: "1" if m.dst() else "0",
    "O": lambda m: _offset(m, colon=False),
    "P": lambda m: _offset(m, colon=True),
    "p": lambda m: "Z" if not m.utcoffset() else _offset(m, colon=True),
    "T": lambda m: m.tzname() or "UTC",
    "Z": lambda m: str(int(m.utcoffset().total_seconds())),  # type: ignore[union-attr]
    "c": lambda m: m.strftime("%Y-%m-%dT%H:%M:%S") + _offset(m, colon=True),
    "r": lambda m: m.strftime("%a, %d %b %Y %H:%M:%S ") + _offset(m, colon=False),
    "U": lambda m: str(int((m - _EPOCH).total_seconds() // 1)),
}
#: PHP letters with a meaning this kit does not compute (Swatch time, expanded years).
_NOT_FORMATTED = "BXx"
_NOT_FORMATTED_SHOWN = ", ".join(_NOT_FORMATTED)  # named as the rule, not as the cell wrote it


def format_moment(moment: datetime, pattern: str) -> str:
    """``moment`` written with PHP's date() letters; a backslash makes the next one literal,
    and any other character is copied, as in PHP."""
    out: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _NOT_FORMATTED:
            raise ValueError(
                f"the format has a PHP letter that is not written here ({_NOT_FORMATTED_SHOWN}); "
                f"the letters this kit writes are {''.join(_LETTERS)} (a backslash makes a "
                "letter literal)"
            )
        else:
            out.append(_LETTERS[char](moment) if char in _LETTERS else char)
    return "".join(out)


# parse_timestamp: PHP's letters as strptime directives, for the letters a date is read from
_PARSE_DIRECTIVES = {
    "Y": "%Y", "y": "%y", "m": "%m", "n": "%m", "d": "%d", "j": "%d", "H": "%H", "G": "%H",
    "h": "%I", "g": "%I", "i": "%M", "s": "%S", "A": "%p", "a": "%p", "M": "%b", "F": "%B",
    "D": "%a", "l": "%A", "u": "%f", "O": "%z", "P": "%z",
}  # fmt: skip


def parse_moment(text: str, pattern: str, tz: tzinfo) -> int:
    """``text`` read with PHP's date() letters (the ones in :data:`_PARSE_DIRECTIVES`)."""
    directives: list[str] = []
    escaped = False
    for char in pattern:
        if escaped or not char.isalpha():
            directives.append("%%" if char == "%" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _PARSE_DIRECTIVES:
            directives.append(_PARSE_DIRECTIVES[char])
        else:
            raise ValueError(
                "the format has a PHP letter that is not read here; the letters this kit "
                f"reads are {''.join(_PARSE_DIRECTIVES)}"
            )
    try:
        moment = datetime.strptime(text, "".join(directives))
    except ValueError:
        raise ValueError("the text does not match the format") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return _checked(_to_ms(moment))


# ---- transform_timestamp: PHP's relative "+N unit" terms ------------------------------------

_UNITS = {
    "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "hour": "hours", "hours": "hours",
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "fortnight": "fortnights", "fortnights": "fortnights",
    "month": "months", "months": "months", "year": "years", "years": "years",
}  # fmt: skip
_TERM = re.compile(r"\s*([+-]?)\s*(\d{1,9})\s*([a-z]+)\s*", re.IGNORECASE)
_RELATIVE_READ = 'terms such as "-7 days", "+1 hour" or "+2 weeks 3 days"'


def transform(ms: int, change: str, tz: tzinfo) -> int:
    """``ms`` moved by PHP's relative terms: seconds, minutes and hours as elapsed time; days,
    weeks, months and years on the wall clock of ``tz``, and a month past its last day rolls
    over as PHP's does (January 31 + 1 month is March 3, or 2 in a leap year)."""
    position = 0
    terms: list[tuple[int, str]] = []
    while position < len(change):
        match = _TERM.match(change, position)
        unit = _UNITS.get(match.group(3).lower()) if match else None
        if match is None or unit is None or match.end() == position:
            raise ValueError(
                f"the change must be {_RELATIVE_READ}; words such as \"last day of this month\" "
                "are read by Xano's PHP (strtotime), not by this kit, which does not guess them"
            )
        amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        terms.append((amount, unit))
        position = match.end()
    if not terms:
        raise ValueError(f"the change must be {_RELATIVE_READ}")
    try:
        return _moved(ms, terms, tz)
    except OverflowError:  # a wall clock past the year 9999
        raise ValueError(_OUT_OF_RANGE) from None


def _moved(ms: int, terms: list[tuple[int, str]], tz: tzinfo) -> int:
    moment = _to_datetime(ms, tz)
    elapsed = timedelta()
    for amount, unit in terms:
        if unit in ("seconds", "minutes", "hours"):
            elapsed += timedelta(**{unit: amount})
            continue
        wall = moment.replace(tzinfo=None)
        if unit in ("days", "weeks", "fortnights"):
            days = amount * {"days": 1, "weeks": 7, "fortnights": 14}[unit]
            wall += timedelta(days=days)
        else:
            months = amount * (12 if unit == "years" else 1)
            index = wall.year * 12 + wall.month - 1 + months
            year, month = divmod(index, 12)
            if not 1 <= year <= 9999:
                raise ValueError(_OUT_OF_RANGE)
            # PHP keeps the day number and rolls a day past the month's end into the next month
            first = wall.replace(year=year, month=month + 1, day=1)
            wall = first + timedelta(days=wall.day - 1)
        moment = wall.replace(tzinfo=tz)
    # elapsed time is added to the instant, not the wall clock (aware + timedelta is wall time)
    return _checked(_to_ms(moment) + elapsed // timedelta(milliseconds=1))


# ---- the filters ----------------------------------------------------------------------------

Args = tuple[Any, ...]


def _zone_arg(name: str, args: Args, index: int) -> tzinfo | None:
    return zone(name, args[index] if len(args) > index else None)


def _text_arg(name: str, args: Args, index: int, what: str) -> str:
    if len(args) <= index or not isinstance(args[index], str):
        raise TypeError(f"{name}'s {what} must be text")
    return args[index]


def _counter(unit_ms: int) -> Callable[[Any, Args, Warn, Clock], int]:
    def count(value: Any, args: Args, warn: Warn, now: Clock) -> int:
        name = _COUNT_NAMES[unit_ms]
        return read(name, value, _zone_arg(name, args, 0), now, warn) // unit_ms

    return count


_COUNT_NAMES = {1: "to_ms", 1000: "to_seconds", 60_000: "to_minutes", 3_600_000: "to_hours",
                86_400_000: "to_days"}  # fmt: skip


def _to_timestamp(value: Any, args: Args, warn: Warn, now: Clock) -> int:
    return read("to_timestamp", value, _zone_arg("to_timestamp", args, 0), now, warn)


def _parse_timestamp(value: Any, args: Args, warn: Warn, now: Clock) -> int:
    if not isinstance(value, str):
        raise TypeError(f"parse_timestamp works on text; got {_kind(value)}")
    pattern = _text_arg("parse_timestamp", args, 0, "format")
    tz = _or_utc("parse_timestamp", _zone_arg("parse_timestamp", args, 1), warn)
    return parse_moment(value, pattern, tz)


def _format_timestamp(value: Any, args: Args, warn: Warn, now: Clock) -> str:
    pattern = _text_arg("format_timestamp", args, 0, "format")
    tz = _or_utc("format_timestamp", _zone_arg("format_timestamp", args, 1), warn)
    ms = read("format_timestamp", value, tz, now, warn)
    return format_moment(_to_datetime(ms, tz), pattern)


def _transform_timestamp(value: Any, args: Args, warn: Warn, now: Clock) -> int:
    change = _text_arg("transform_timestamp", args, 0, "change")
    tz = _or_utc("transform_timestamp", _zone_arg("transform_timestamp", args, 1), warn)
    moment = read("transform_timestamp", value, tz, now, warn)
    return transform(moment, change, tz)


def _adder(name: str, unit_ms: int) -> Callable[[Any, Args, Warn, Clock], int]:
    def add(value: Any, args: Args, warn: Warn, now: Clock) -> int:
        amount = args[0]
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise TypeError(f"{name} adds a number (negative values are ok); got {_kind(amount)}")
        ms = read(name, value, None, now, warn)
        return _checked(ms + int(amount * unit_ms))

    return add


def _part(name: str, pick: Callable[[datetime], int]) -> Callable[[Any, Args, Warn, Clock], int]:
    def part(value: Any, args: Args, warn: Warn, now: Clock) -> int:
        tz = _or_utc(name, _zone_arg(name, args, 0), warn)
        return pick(_to_datetime(read(name, value, tz, now, warn), tz))

    return part


#: The timestamp parts (syntax.md "Timestamp Parts"): day_of_week counts 0 = Sunday.
_PARTS: dict[str, Callable[[datetime], int]] = {
    "year": lambda m: m.year, "month": lambda m: m.month, "day_of_month": lambda m: m.day,
    "hour": lambda m: m.hour, "minute": lambda m: m.minute,
    "day_of_week": lambda m: m.isoweekday() % 7,
}  # fmt: skip

#: name: (function, fewest arguments, most arguments, usage)
TIMESTAMP_FILTERS: dict[str, tuple[Callable[[Any, Args, Warn, Clock], Any], int, int, str]] = {
    "to_timestamp": (_to_timestamp, 0, 1, "to_timestamp:timezone"),
    **{name: (_counter(unit), 0, 1, f"{name}:timezone") for unit, name in _COUNT_NAMES.items()},
    "parse_timestamp": (_parse_timestamp, 1, 2, "parse_timestamp:format:timezone"),
    "format_timestamp": (_format_timestamp, 1, 2, "format_timestamp:format:timezone"),
    "transform_timestamp": (_transform_timestamp, 1, 2, "transform_timestamp:change:timezone"),
    **{
        f"add_{unit}_to_timestamp": (
            _adder(f"add_{unit}_to_timestamp", unit_ms), 1, 1, f"add_{unit}_to_timestamp:{unit}"
        )
        for unit, unit_ms in (("secs", 1000), ("ms", 1))
    },
    **{
        f"timestamp_{part}": (_part(f"timestamp_{part}", pick), 0, 1, f"timestamp_{part}:timezone")
        for part, pick in _PARTS.items()
    },
}

#: The family in one phrase, for the list of filters a refusal names.
FAMILY = (
    "(to_timestamp, to_ms/to_seconds/to_minutes/to_hours/to_days, parse_timestamp, "
    "format_timestamp, transform_timestamp, add_secs_to_timestamp, add_ms_to_timestamp, "
    "timestamp_year/month/day_of_month/hour/minute/day_of_week)"
)
