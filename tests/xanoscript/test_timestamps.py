"""The timestamp filters (timestamps.py) as Xano documents them, and PHP's date letters.

Xano: xano-inc/cli@eb4d11d xanoscript-docs/xanoscript-ai-documentation-main/
expression_guideline.md, "Date/Time/Timestamp Expressions" ("the guide", lines 695-750), and
xano-inc/xano-developer-mcp@c72a410 src/xanoscript_docs/syntax.md ("Date/Time Filters", lines
300-321). PHP: php.net/manual/en/datetime.format.php (the letters) and
php.net/manual/en/datetime.modify.php (Example #2, "Beware when adding or subtracting months").
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from xsk_nb.xanoscript import XanoScriptError, run
from xsk_nb.xanoscript.timestamps import UTC_NOTE

NOW_SECONDS = 1_700_000_000  # 2023-11-14T22:13:20Z, the run's clock in these tests


def value(expression: str) -> object:
    return run(f"response = {expression}\n", now=NOW_SECONDS).raw


@pytest.mark.parametrize(
    ("expression", "documented"),
    [
        # the guide, line 724: parse_timestamp
        ('"2023-08-15 13:45:30"|parse_timestamp:"Y-m-d H:i:s":"America/Los_Angeles"',
         1692132330000),
        # the guide, line 734: format_timestamp
        ('"1692132330000"|format_timestamp:"Y-m-d H:i:s":"America/New_York"',
         "2023-08-15 16:45:30"),
        # the guide, line 739: transform_timestamp
        ('"2023-08-15T20:45:30.000Z"|transform_timestamp:"-7 days":"America/Los_Angeles"',
         1691527530000),
        # the guide, line 744: add_secs_to_timestamp
        ("1691527530000|add_secs_to_timestamp:60", 1691527590000),
        # the guide, lines 699-719: the same moment in each unit (its "next friday")
        ('1758265200000|to_ms:"America/Los_Angeles"', 1758265200000),
        ('1758265200000|to_seconds:"America/Los_Angeles"', 1758265200),
        ('1758265200000|to_minutes:"America/Los_Angeles"', 29304420),
        ('1758265200000|to_hours:"America/Los_Angeles"', 488407),
        ('1758265200000|to_days:"America/Los_Angeles"', 20350),
    ],
)  # fmt: skip
def test_each_documented_example_gives_xanos_result(expression: str, documented: object) -> None:
    assert value(expression) == documented


def test_now_is_the_runs_clock_in_milliseconds() -> None:
    """syntax.md line 306 (`"now"|to_timestamp`) and essentials.md line 416
    (`now|format_timestamp:"Y-m-d H:i:s":"UTC"`): now, as text or as the keyword."""
    assert value('"now"|to_timestamp') == value("now") == NOW_SECONDS * 1000
    assert value('now|format_timestamp:"Y-m-d H:i:s":"UTC"') == "2023-11-14 22:13:20"
    assert value('"now"|add_ms_to_timestamp:500') == NOW_SECONDS * 1000 + 500
    assert value('"now"|add_secs_to_timestamp:-60') == (NOW_SECONDS - 60) * 1000


def test_php_date_letters_write_as_php_documents() -> None:
    """php.net's date() page: `l jS \\of F Y h:i:s A` prints e.g. "Monday 8th of August 2005
    03:12:46 PM"; DATE_RFC2822 is "D, d M Y H:i:s O" and "c" is ISO 8601."""
    moment = int(datetime(2005, 8, 8, 15, 12, 46, tzinfo=timezone.utc).timestamp() * 1000)
    assert value(f'{moment}|format_timestamp:"l jS \\\\of F Y h:i:s A":"UTC"') == (
        "Monday 8th of August 2005 03:12:46 PM"
    )
    assert value(f'{moment}|format_timestamp:"c | r | U | N w z t L":"America/New_York"') == (
        "2005-08-08T11:12:46-04:00 | Mon, 08 Aug 2005 11:12:46 -0400 | 1123513966 | 1 1 219 31 0"
    )
    assert value(f'{moment}|format_timestamp:"e T P O Z I g G h H v":"America/New_York"') == (
        "America/New_York EDT -04:00 -0400 -14400 1 11 11 11 11 000"
    )


@pytest.mark.parametrize(
    ("start", "change", "expected"),
    [
        ("2000-12-31", "+1 month", "2001-01-31"),  # php.net DateTime::modify, Example #2
        ("2001-01-31", "+1 month", "2001-03-03"),  # ... "Beware": February rolls over
        ("2024-01-31", "+1 month", "2024-03-02"),  # a leap year
        ("2023-08-15", "+2 weeks 3 days", "2023-09-01"),
        ("2023-08-15", "-1 year", "2022-08-15"),
    ],
)
def test_month_and_year_terms_roll_over_as_php_does(start: str, change: str, expected: str) -> None:
    moved = value(f'"{start}"|transform_timestamp:"{change}":"UTC"')
    assert value(f'{moved}|format_timestamp:"Y-m-d":"UTC"') == expected


def test_days_keep_the_wall_clock_across_a_daylight_saving_change() -> None:
    """PHP's relative days move the local date and keep the local time: in New York, 12:00 on
    2023-03-11 plus 1 day is 12:00 on 2023-03-12, 23 hours later (DST began that night)."""
    noon = value('"2023-03-11 12:00:00"|to_timestamp:"America/New_York"')
    later = value(f'{noon}|transform_timestamp:"+1 day":"America/New_York"')
    assert value(f'{later}|format_timestamp:"Y-m-d H:i T":"America/New_York"') == (
        "2023-03-12 12:00 EDT"
    )
    assert later - noon == 23 * 3_600_000  # type: ignore[operator]
    assert value(f'{noon}|transform_timestamp:"+24 hours":"America/New_York"') == (
        noon + 24 * 3_600_000  # type: ignore[operator]
    )


def test_the_timestamp_parts_read_in_the_named_zone() -> None:
    """syntax.md "Timestamp Parts": day_of_week counts 0 = Sunday."""
    moment = 1692132330000  # 2023-08-15T20:45:30Z, a Tuesday; 16:45 in New York
    parts = {
        name: value(f'{moment}|timestamp_{name}:"America/New_York"')
        for name in ("year", "month", "day_of_month", "hour", "minute", "day_of_week")
    }
    assert parts == {"year": 2023, "month": 8, "day_of_month": 15, "hour": 16, "minute": 45,
                     "day_of_week": 2}  # fmt: skip


def test_a_missing_time_zone_is_utc_with_a_note_only_where_it_matters() -> None:
    response = run('response = "2023-08-15 00:00:00"|to_timestamp\n')
    assert response.raw == 1692057600000
    assert any(UTC_NOTE.format(name="to_timestamp") in note for note in response.warnings)
    assert not run("response = 1692057600000|to_seconds\n").warnings


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"next friday"|to_timestamp:"America/Los_Angeles"',
         'words such as "next friday" or monday are read by Xano\'s PHP (strtotime), not by'),
        ('"monday"|add_ms_to_timestamp:500', "the value must be \"now\", a timestamp in "),
        ('1692132330000|transform_timestamp:"last day of this month"',
         'the change must be terms such as "-7 days"'),
        ('1692132330000|format_timestamp:"Y":"Mars/Base"',
         "the time zone is not one this Python knows; use an IANA name"),
        ('1692132330000|format_timestamp:"B"',
         "the format has a PHP letter that is not written here (B, X, x)"),
        ('"15/08/2023"|parse_timestamp:"d/m/Y Q"',
         "the format has a PHP letter that is not read here; the letters this kit reads are"),
        ('"15/08/2023"|parse_timestamp:"Y-m-d"', "the text does not match the format"),
        ("true|to_timestamp", "to_timestamp works on a timestamp or a date; got a bool"),
        ('1|add_secs_to_timestamp:"a"', "add_secs_to_timestamp adds a number"),
        ("999999999999999999|format_timestamp:\"Y\"", "outside the years 1 to 9999"),
        ('"9999-12-31"|transform_timestamp:"+1 day"', "outside the years 1 to 9999"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_refused_in_one_sentence(expression: str, message: str) -> None:
    with pytest.raises(XanoScriptError) as caught:
        value(expression)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_key_given_to_a_timestamp_filter_is_never_quoted() -> None:
    cell = """\
security.create_secret_key { bits = 512, format = "object" } as $key
try_catch {
  try {
    var $when { value = ($key.k|substr:0:12)|to_timestamp:($key.k|substr:12:12) }
  }
  catch {
    var $caught { value = $error }
  }
}
response = { error: $caught, key: $key }
"""
    response = run(cell)
    key = response.raw["key"]["k"]
    message = response.raw["error"]["message"]
    # 12 random base64url characters recur by chance in this text with probability < 1e-17
    assert key[:12] not in message and key[12:24] not in message
    assert key[:12] not in repr(response) + response._repr_html_()
