"""frontmatter-timestamps on odd numbers: decimal, negative, zero, boolean, huge, digit strings.

Each value's finding is pinned (message, column span, fix), and no safe fix may drop a digit: a
fix is safe only if the value it writes is exactly the one the owner wrote (in milliseconds).
Date-like text (other separators, year last, written-out dates, fractions and offsets) is pinned the
same way, and `dates.read`'s reading of it (kind, moment, whether it has a time) is tabled too.
"""

import os
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from test_frontmatter_timestamps import dendron, findings

from notelint import dates

NO_FIX = None
RANGE = "as milliseconds, before 1990, so not a time a note was written; correct it by hand"
NOT_INT = "is not an integer; Dendron expects integer epoch milliseconds such as 1701259204127"
UNREAD = "cannot be read as a time; Dendron expects integer epoch milliseconds such as 1701259204127"
OBSIDIAN_ANY = "write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)"

# value as written -> (message, fix: None or (safe, replacement))
DENDRON = {
    "1701259204127.5": (f"created 1701259204127.5 {NOT_INT}", NO_FIX),  # half a millisecond: no integer form
    "1701259204.1275": (f"created 1701259204.1275 {NOT_INT}", NO_FIX),  # seconds, with a sub-millisecond digit
    "1701259204.5": ("created 1701259204.5 is a decimal number of seconds (2023-11-29T12:00:04.500Z), but Dendron "
                     "stores integer epoch milliseconds; write 1701259204500", (True, "1701259204500")),
    "1701259204127.0": ("created 1701259204127.0 is a decimal number of milliseconds (2023-11-29T12:00:04.127Z), but "
                        "Dendron stores integer epoch milliseconds; write 1701259204127", (True, "1701259204127")),
    # YAML 1.1 (PyYAML) reads an exponent without a sign as a string
    "1.7012592041275e12": (f"created 1.7012592041275e12 {UNREAD}", NO_FIX),
    "1.701259204127e+12": ("created 1.701259204127e+12 is a decimal number of milliseconds (2023-11-29T12:00:04.127Z), "
                           "but Dendron stores integer epoch milliseconds; write 1701259204127", (True, "1701259204127")),
    "1.7012592041275e+12": (f"created 1.7012592041275e+12 {NOT_INT}", NO_FIX),
    "-1000": (f"created -1000 is 1969-12-31T23:59:59Z {RANGE}", NO_FIX),
    "-1701259204127": (f"created -1701259204127 is 1916-02-03T11:59:55.873Z {RANGE}", NO_FIX),
    "0": (f"created 0 is 1970-01-01T00:00:00Z {RANGE}", NO_FIX),
    "true": ("created true is not a time (bool); Dendron expects integer epoch milliseconds such as 1701259204127", NO_FIX),
    "100000000000000000000000000000": ("created 100000000000000000000000000000 is beyond the year 9999 as milliseconds, "
                                       "more than a day in the future; correct it by hand", NO_FIX),
    "1e400": (f"created 1e400 {UNREAD}", NO_FIX),
    ".nan": (f"created .nan {NOT_INT}", NO_FIX),
    "-.inf": (f"created -.inf {NOT_INT}", NO_FIX),
    "'1701259204127'": ("created '1701259204127' is a string, not an integer: Dendron reads only a bare integer; write "
                        "1701259204127", (True, "1701259204127")),
    "'1701259204'": ("created '1701259204' is a string, not an integer, and looks like seconds: as milliseconds it is "
                     "1970-01-20; as seconds it is 2023-11-29T12:00:04Z; write 1701259204000", (True, "1701259204000")),
    "'1701259204127.5'": (f"created '1701259204127.5' {UNREAD}", NO_FIX),
    # digits to Python's str.isdigit, not to Dendron (JavaScript's Number reads none of them)
    "'²'": (f"created '²' {UNREAD}", NO_FIX),
    "'١٧٠١٢٥٩٢٠٤١٢٧'": (f"created '١٧٠١٢٥٩٢٠٤١٢٧' {UNREAD}", NO_FIX),
    "'０１２３'": (f"created '０１２３' {UNREAD}", NO_FIX),
}

OBSIDIAN = {
    "1701259204127.5": (f"created 1701259204127.5 is not a date (float); {OBSIDIAN_ANY}", NO_FIX),
    "-1000": (f"created -1000 cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
    "0": (f"created 0 cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
    "true": (f"created true is not a date (bool); {OBSIDIAN_ANY}", NO_FIX),
    "1701259204": ("created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), which Obsidian shows as a "
                   "number, not a date; write 2023-11-29T12:00:04 (UTC)", (True, "2023-11-29T12:00:04")),
    # Date & time holds whole seconds: writing it drops the 127 ms, so that fix is unsafe
    "1701259204127": ("created 1701259204127 is a Unix time in milliseconds (2023-11-29T12:00:04.127Z), which Obsidian "
                      "shows as a number, not a date; write 2023-11-29T12:00:04 (UTC) (Date & time has whole seconds: "
                      "the 127 ms would be dropped, so only `fix --unsafe-fixes` writes it)", (False, "2023-11-29T12:00:04")),
    "1701259204000": ("created 1701259204000 is a Unix time in milliseconds (2023-11-29T12:00:04Z), which Obsidian "
                      "shows as a number, not a date; write 2023-11-29T12:00:04 (UTC)", (True, "2023-11-29T12:00:04")),
    "'١٧٠١٢٥٩٢٠٤١٢٧'": (f"created '١٧٠١٢٥٩٢٠٤١٢٧' cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
}


def _created(value: str, flavor: str):
    [f] = [f for f in findings(dendron(created=value), flavor) if f.line == 6]  # `created: ` is line 6
    return f


@pytest.mark.parametrize("flavor, value", [("dendron", v) for v in DENDRON] + [("obsidian", v) for v in OBSIDIAN])
def test_an_odd_timestamp_value_is_reported_where_it_is_written(flavor, value):
    message, fix = (DENDRON if flavor == "dendron" else OBSIDIAN)[value]
    f = _created(value, flavor)
    assert f.message == message
    assert (f.line, f.column, f.end_line, f.end_column) == (6, 10, 6, 10 + len(value))  # the value, quotes included
    assert (None if f.fix is None else (f.fix.safe, [e.replacement for e in f.fix.edits])) == (
        None if fix is None else (fix[0], [fix[1]]))


@pytest.mark.parametrize("value", [v for v in DENDRON if not v.startswith(("'", ".", "-.")) and v not in ("true", "1e400")])
def test_no_safe_dendron_fix_changes_the_number_written(value):
    """The milliseconds a safe fix writes are exactly the value written, in its unit: no digit dropped."""
    f = _created(value, "dendron")
    if f.fix is None or not f.fix.safe:
        return
    [edit] = f.fix.edits
    written = Decimal(value)
    assert Decimal(edit.replacement) in (written, written * 1000)


# --------------------------------------------------------------------------- date-like text
# Obsidian: a value as written -> (message, replacement a safe fix writes, or None for no fix)
WRITTEN_OUT = "a written-out date (obsidian-linter's `dddd, MMMM Do YYYY` style), which Obsidian reads as text"
YEAR_LAST = "a date with the year last (Obsidian's Date needs `YYYY-MM-DD`)"
SPACED = "a date and time separated by a space (Obsidian's Date & time needs a `T`)"
OBSIDIAN_TEXT = {
    "2023/11/29": ("created 2023/11/29 is a date written with `/` (Obsidian's Date needs `YYYY-MM-DD`); write 2023-11-29",
                   "2023-11-29"),
    "2023.11.29": ("created 2023.11.29 is a date written with `.` (Obsidian's Date needs `YYYY-MM-DD`); write 2023-11-29",
                   "2023-11-29"),
    "2023-11-29 18:30:05": (f"created `2023-11-29 18:30:05` is {SPACED}; write 2023-11-29T18:30:05", "2023-11-29T18:30:05"),
    "2023-11-29_18:30": (f"created 2023-11-29_18:30 is {SPACED}; write 2023-11-29T18:30:00", "2023-11-29T18:30:00"),
    # year last: the number above 12 is the day, whichever side it is on; 12 and below is no clue
    "29/11/2023": (f"created 29/11/2023 is {YEAR_LAST}; write 2023-11-29", "2023-11-29"),
    "11/29/2023": (f"created 11/29/2023 is {YEAR_LAST}; write 2023-11-29", "2023-11-29"),
    "13/05/2023": (f"created 13/05/2023 is {YEAR_LAST}; write 2023-05-13", "2023-05-13"),
    "13/12/2023": (f"created 13/12/2023 is {YEAR_LAST}; write 2023-12-13", "2023-12-13"),
    "05/13/2023": (f"created 05/13/2023 is {YEAR_LAST}; write 2023-05-13", "2023-05-13"),
    "12/13/2023": (f"created 12/13/2023 is {YEAR_LAST}; write 2023-12-13", "2023-12-13"),
    "29.11.2023": (f"created 29.11.2023 is {YEAR_LAST}; write 2023-11-29", "2023-11-29"),
    "12/05/2023": (f"created 12/05/2023 is ambiguous (day and month cannot be told apart in `12/05/2023`); {OBSIDIAN_ANY}",
                   None),
    "05/12/2023": (f"created 05/12/2023 is ambiguous (day and month cannot be told apart in `05/12/2023`); {OBSIDIAN_ANY}",
                   None),
    "31/02/2023": (f"created 31/02/2023 is not a real date (day is out of range for month); {OBSIDIAN_ANY}", None),
    # obsidian-linter's written-out dates: am/pm, 12 am is midnight, the weekday must agree
    "November 29th 2023": (f"created `November 29th 2023` is {WRITTEN_OUT}; write 2023-11-29", "2023-11-29"),
    "Wednesday, November 29th 2023, 1:00:00 pm": (
        f"created `Wednesday, November 29th 2023, 1:00:00 pm` is {WRITTEN_OUT}; write 2023-11-29T13:00:00",
        "2023-11-29T13:00:00"),
    "November 29th 2023, 11:59:59 PM": (
        f"created `November 29th 2023, 11:59:59 PM` is {WRITTEN_OUT}; write 2023-11-29T23:59:59", "2023-11-29T23:59:59"),
    "November 29 2023, 12:30 am": (f"created `November 29 2023, 12:30 am` is {WRITTEN_OUT}; write 2023-11-29T00:30:00",
                                   "2023-11-29T00:30:00"),
    "November 29 2023, 12:30 pm": (f"created `November 29 2023, 12:30 pm` is {WRITTEN_OUT}; write 2023-11-29T12:30:00",
                                   "2023-11-29T12:30:00"),
    "November 29 2023, 9:05 am": (f"created `November 29 2023, 9:05 am` is {WRITTEN_OUT}; write 2023-11-29T09:05:00",
                                  "2023-11-29T09:05:00"),
    "November 29 2023, 14:05": (f"created `November 29 2023, 14:05` is {WRITTEN_OUT}; write 2023-11-29T14:05:00",
                                "2023-11-29T14:05:00"),
    "November 29 2023, 13:00 pm": (f"created `November 29 2023, 13:00 pm` is not a real date (hour 13 with pm); "
                                   f"{OBSIDIAN_ANY}", None),
    "November 29 2023, 0:30 am": (f"created `November 29 2023, 0:30 am` is not a real date (hour 0 with am); {OBSIDIAN_ANY}",
                                  None),
    "Monday, November 29th 2023": ("created `Monday, November 29th 2023` is ambiguous (2023-11-29 is a Wednesday, not a "
                                   f"Monday); {OBSIDIAN_ANY}", None),
    "Friday, February 30th 2023": ("created `Friday, February 30th 2023` is not a real date (day is out of range for "
                                   f"month); {OBSIDIAN_ANY}", None),
    "Someday, November 29th 2023": (f"created `Someday, November 29th 2023` cannot be read as a date; {OBSIDIAN_ANY}", None),
    "Smarch 29th 2023": (f"created `Smarch 29th 2023` cannot be read as a date; {OBSIDIAN_ANY}", None),
}


@pytest.mark.parametrize("value", OBSIDIAN_TEXT)
def test_a_date_written_another_way_is_named_and_rewritten_for_obsidian(value):
    message, replacement = OBSIDIAN_TEXT[value]
    f = _created(value, "obsidian")
    assert f.message == message
    assert (f.line, f.column, f.end_line, f.end_column) == (6, 10, 6, 10 + len(value))
    assert (None if f.fix is None else (f.fix.safe, [e.replacement for e in f.fix.edits])) == (
        None if replacement is None else (True, [replacement]))


DENDRON_ISO = "is an ISO date and time, but Dendron stores integer epoch milliseconds"
# Dendron: an ISO date and time -> (message, the epoch milliseconds fix writes); the fraction and the offset count
DENDRON_TEXT = {
    "'2023-11-29T12:00:04.5Z'": (f"created '2023-11-29T12:00:04.5Z' {DENDRON_ISO}: 2023-11-29T12:00:04.500Z is "
                                 "1701259204500; write 1701259204500", "1701259204500"),
    "'2023-11-29T12:00:04.123456789+05:30'": (
        f"created '2023-11-29T12:00:04.123456789+05:30' {DENDRON_ISO}: 2023-11-29T06:30:04.123Z is 1701239404123; "
        "write 1701239404123", "1701239404123"),
    "2023-11-29T12:00:04-03:30": (f"created 2023-11-29T12:00:04-03:30 {DENDRON_ISO}: 2023-11-29T15:30:04Z is "
                                  "1701271804000; write 1701271804000", "1701271804000"),
    "'2023-11-29T12:00:04+0530'": (f"created '2023-11-29T12:00:04+0530' {DENDRON_ISO}: 2023-11-29T06:30:04Z is "
                                   "1701239404000; write 1701239404000", "1701239404000"),
    "'2023-11-29T12:00:04-0015'": (f"created '2023-11-29T12:00:04-0015' {DENDRON_ISO}: 2023-11-29T12:15:04Z is "
                                   "1701260104000; write 1701260104000", "1701260104000"),
    "'2023-11-29T12:00'": (f"created '2023-11-29T12:00' {DENDRON_ISO}: 2023-11-29T12:00:00Z (read in UTC) is "
                           "1701259200000; write 1701259200000", "1701259200000"),
    "'2023-02-30T12:00:04+05:30'": ("created '2023-02-30T12:00:04+05:30' is not a real date (day is out of range for "
                                    "month); write integer epoch milliseconds such as 1701259204127", None),
    # an integer in microseconds: as milliseconds it is past what a date can hold
    "1701259204127000": ("created 1701259204127000 looks like microseconds: as milliseconds it is beyond the year 9999; "
                         "as microseconds it is 2023-11-29T12:00:04.127Z; write 1701259204127", "1701259204127"),
    "-100000000000000000000": ("created -100000000000000000000 is before the year 1 as milliseconds, before 1990, so not "
                               "a time a note was written; correct it by hand", None),
    "631151999999": ("created 631151999999 is 1989-12-31T23:59:59.999Z as milliseconds, before 1990, so not a time a "
                     "note was written; correct it by hand", None),
}


@pytest.mark.parametrize("value", DENDRON_TEXT)
def test_an_iso_time_becomes_the_exact_epoch_milliseconds_for_dendron(value):
    message, replacement = DENDRON_TEXT[value]
    f = _created(value, "dendron")
    assert f.message == message
    assert (None if f.fix is None else [e.replacement for e in f.fix.edits]) == (
        None if replacement is None else [replacement])


def test_the_first_millisecond_of_1990_is_a_plausible_time():
    assert findings(dendron(created=str(dates.FLOOR_MS))) == []


NOW = 1701259204127


def test_a_value_exactly_a_day_ahead_is_not_the_future_and_a_millisecond_more_is(monkeypatch):
    monkeypatch.setattr(dates, "now_ms", lambda: NOW)
    assert findings(dendron(updated=str(NOW + dates.DAY_MS))) == []
    [f] = findings(dendron(updated=str(NOW + dates.DAY_MS + 1)))
    assert f.message == ("updated 1701345604128 is 2023-11-30T12:00:04.128Z as milliseconds, more than a day in the "
                         "future; correct it by hand")


def test_a_value_ten_minutes_short_of_a_day_ahead_of_the_real_clock_is_not_the_future():
    now = time.time_ns() // 1_000_000  # the clock itself, not notelint's reading of it
    assert findings(dendron(updated=str(now + dates.DAY_MS - 600_000))) == []


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset to change the process's local zone")
def test_an_epoch_value_is_written_in_the_configured_zone_whatever_the_machine_zone():
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        [f] = [f for f in findings(dendron(created="1701259204"), "obsidian", timezone="Asia/Tokyo") if f.line == 6]
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert f.message == ("created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), which Obsidian shows as a "
                         "number, not a date; write 2023-11-29T21:00:04 (Asia/Tokyo)")
    assert [e.replacement for e in f.fix.edits] == ["2023-11-29T21:00:04"]


# dates.read: what a text means (its contract with the rule: kind, moment, whether it has a time)
READINGS = {
    "2023-11-29": dates.Reading("date", datetime(2023, 11, 29), False),
    " 2023-11-29 ": dates.Reading("date", datetime(2023, 11, 29), False),
    "2023-11-29T12:00": dates.Reading("datetime", datetime(2023, 11, 29, 12, 0), True),
    "2023-11-29T12:00:04.5": dates.Reading("datetime", datetime(2023, 11, 29, 12, 0, 4, 500_000), True),
    "2023-11-29T12:00:04.000001": dates.Reading("datetime", datetime(2023, 11, 29, 12, 0, 4, 1), True),
    "2023-11-29T12:00:04Z": dates.Reading("datetime", datetime(2023, 11, 29, 12, 0, 4, tzinfo=UTC), True),
    "2023-11-29T12:00:04-03:30": dates.Reading(
        "datetime", datetime(2023, 11, 29, 12, 0, 4, tzinfo=timezone(-timedelta(hours=3, minutes=30))), True),
    "2023-11-29 18:30": dates.Reading("other", datetime(2023, 11, 29, 18, 30), True, SPACED),
    "2023/11/29": dates.Reading("other", datetime(2023, 11, 29), False,
                                "a date written with `/` (Obsidian's Date needs `YYYY-MM-DD`)"),
    "29/11/2023": dates.Reading("other", datetime(2023, 11, 29), False, YEAR_LAST),
    "11/29/2023": dates.Reading("other", datetime(2023, 11, 29), False, YEAR_LAST),
    "12/05/2023": dates.Reading("ambiguous", problem="day and month cannot be told apart in `12/05/2023`"),
    "November 29th 2023, 12:30 am": dates.Reading("other", datetime(2023, 11, 29, 0, 30), True, WRITTEN_OUT),
    "Monday, November 29th 2023": dates.Reading("ambiguous", problem="2023-11-29 is a Wednesday, not a Monday"),
    "November 29 2023, 13:00 pm": dates.Reading("impossible", problem="hour 13 with pm"),
    "2023-13-01": dates.Reading("impossible", problem="month must be in 1..12"),
    "1701259204127": dates.Reading("epoch"),
    "yesterday": None,
}


@pytest.mark.parametrize("text", READINGS)
def test_a_date_like_text_is_read_as_what_it_means(text):
    assert dates.read(text) == READINGS[text]
