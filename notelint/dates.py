"""Timestamps as notes write them: Dendron's epoch milliseconds and Obsidian's Date
(`YYYY-MM-DD`) and Date & time (`YYYY-MM-DDTHH:MM:SS`) properties.

Everything here works on the value *as written* (the YAML scalar's source text), because
PyYAML turns `2023-11-29` into a `date` and `1701259204.5` into a float, losing what the
user typed. Readings say what a value means, so messages can show both interpretations.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

DAY_MS = 86_400_000
FLOOR_MS = 631_152_000_000  # 1990-01-01T00:00:00Z: older values are not note times
# how to turn a value in another unit into milliseconds: (unit, multiply, divide)
UNITS = (("seconds", 1000, 1), ("microseconds", 1, 1000), ("nanoseconds", 1, 1_000_000))

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# what Obsidian's Date & time property writes, optionally with seconds, a fraction, an offset
ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?(Z|[+-]\d{2}:?\d{2})?")
SPACED_DATETIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ _](\d{1,2}):(\d{2})(?::(\d{2}))?")
YMD_OTHER = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
# obsidian-linter's default `dddd, MMMM Do YYYY, h:mm:ss a`
MOMENT = re.compile(
    r"(?:(?P<wd>[a-z]+),?\s+)?(?P<mon>[a-z]+)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>am|pm)?)?",
    re.IGNORECASE,
)
EPOCH = re.compile(r"[0-9]{9,19}")  # ASCII digits: `int()` would also read `١٧٠١…` as a number


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def plausible_ms(ms: int, now: int | None = None) -> bool:
    """Between 1990 and a day from now: a time a note could have been written."""
    return FLOOR_MS <= ms <= (now if now is not None else now_ms()) + DAY_MS


def iso_utc(ms: int) -> str:
    """`2023-11-29T12:00:04Z`, or a plain description when the year is out of range."""
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    except OverflowError:
        return "beyond the year 9999" if ms > 0 else "before the year 1"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment.microsecond == 0 and ms % 1000 == 0 else (
        moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z")


def iso_day(ms: int) -> str:
    try:
        return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).strftime("%Y-%m-%d")
    except OverflowError:
        return "beyond the year 9999" if ms > 0 else "before the year 1"


@dataclass
class UnitGuess:
    unit: str
    ms: int  # the value converted to milliseconds (floored for finer units)
    exact: bool  # converting loses nothing


def guess_unit(value: int, now: int | None = None) -> UnitGuess | None:
    """For an integer that is not a plausible millisecond time: the unit in which it is one."""
    for unit, mul, div in UNITS:
        ms = value * mul // div
        if plausible_ms(ms, now):
            return UnitGuess(unit, ms, (value * mul) % div == 0)
    return None


@dataclass
class Reading:
    """What a date-like text means.

    `kind`: "date" or "datetime" (Obsidian's own formats), "other" (a recognised format
    Obsidian does not read as a date), "impossible" (date-shaped but not a real date),
    "ambiguous" (day and month cannot be told apart, or the weekday disagrees),
    "epoch" (a bare number). `moment` is naive unless the text had an offset.
    """

    kind: str
    moment: datetime | None = None
    has_time: bool = False
    described: str = ""  # e.g. "obsidian-linter's `dddd, MMMM Do YYYY` format"
    problem: str = ""  # for impossible/ambiguous


def read(text: str) -> Reading | None:
    """Read a date-like text; None when it does not look like a date at all."""
    text = text.strip()
    if m := ISO_DATE.fullmatch(text):
        return _make("date", m.group(1), m.group(2), m.group(3))
    if m := ISO_DATETIME.fullmatch(text):
        y, mo, d, h, mi, s, frac, off = m.groups()
        reading = _make("datetime", y, mo, d, h, mi, s or "0", frac)
        if reading.moment is not None and off:
            reading.moment = reading.moment.replace(tzinfo=_offset(off))
        return reading
    if m := SPACED_DATETIME.fullmatch(text):
        r = _make("other", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6) or "0")
        r.described = "a date and time separated by a space (Obsidian's Date & time needs a `T`)"
        return r
    if m := YMD_OTHER.fullmatch(text):
        r = _make("other", m.group(1), m.group(3), m.group(4))
        r.described = f"a date written with `{m.group(2)}` (Obsidian's Date needs `YYYY-MM-DD`)"
        return r
    if m := DMY.fullmatch(text):
        a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if a > 12 >= b:
            r = _make("other", year, str(b), str(a))
        elif b > 12 >= a:
            r = _make("other", year, str(a), str(b))
        else:
            return Reading("ambiguous", problem=f"day and month cannot be told apart in `{text}`")
        r.described = "a date with the year last (Obsidian's Date needs `YYYY-MM-DD`)"
        return r
    if m := MOMENT.fullmatch(text):
        return _moment(m, text)
    if EPOCH.fullmatch(text):
        return Reading("epoch")
    return None


def _make(kind: str, y, mo, d, h=None, mi=None, s=None, frac=None) -> Reading:
    try:
        if h is None:
            return Reading(kind, datetime(int(y), int(mo), int(d)), False)
        micro = int((frac or "0").ljust(6, "0")) if frac else 0
        return Reading(kind, datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro), True)
    except ValueError as exc:
        return Reading("impossible", problem=str(exc))


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    from datetime import timezone

    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _moment(m: re.Match, text: str) -> Reading | None:
    month = m.group("mon").lower()
    if month not in MONTHS:
        return None
    wd = (m.group("wd") or "").lower()
    if wd and wd not in WEEKDAYS:
        return None
    hour = m.group("h")
    if hour is not None and m.group("ampm"):
        h = int(hour)
        if not 1 <= h <= 12:
            return Reading("impossible", problem=f"hour {h} with {m.group('ampm')}")
        hour = str(h % 12 + (12 if m.group("ampm").lower() == "pm" else 0))
    r = _make("other", m.group("year"), str(MONTHS.index(month) + 1), m.group("day"), hour, m.group("m"),
              m.group("s") or "0")
    if r.moment is not None and wd and WEEKDAYS[r.moment.weekday()] != wd:
        return Reading("ambiguous", problem=f"{r.moment:%Y-%m-%d} is a {WEEKDAYS[r.moment.weekday()].title()}, not a {wd.title()}")
    r.described = "a written-out date (obsidian-linter's `dddd, MMMM Do YYYY` style), which Obsidian reads as text"
    return r


def to_ms(moment: datetime, zone: tzinfo) -> int:
    """Epoch milliseconds; a naive moment is read in `zone`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)


def from_ms(ms: int, zone: tzinfo) -> datetime:
    """The naive local time of epoch milliseconds in `zone`."""
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).astimezone(zone).replace(tzinfo=None)


def format_date(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def format_datetime(moment: datetime) -> str:
    return f"{format_date(moment)}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
