"""What a date string says (`DateReading`), or that it needs a reference (`NeedsReference`),
and the small checks and formatters every reader shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

FORMS = (
    "iso",
    "compact",
    "numeric",
    "textual",
    "rfc2822",
    "timestamp",
    "cjk",
    "relative",
    "fallback",
)
PIVOT = 69  # two-digit years: 00–68 → 2000s, 69–99 → 1900s (the POSIX strptime rule)
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date string says: the ISO value and how it was read."""

    iso: str
    form: str  # one of FORMS
    precision: str  # year, month, day, minute, second
    ambiguous: bool = False  # both day/month orders were valid and the locale decided
    day_first: bool | None = None  # the order used for a numeric date
    alternative: str | None = None  # the other reading, when ambiguous
    weekday_mismatch: str | None = None  # the date's real weekday, when the input said another
    language: str | None = None  # whose month/weekday names matched
    relative: str | None = None  # for a resolved relative/yearless/time-only form: which


@dataclass(frozen=True, slots=True)
class NeedsReference:
    """A relative, yearless or time-only date: it resolves only against a reference date."""

    form: str  # relative, yearless, time
    text: str


Result = DateReading | NeedsReference | None


def with_changes(reading: DateReading, **changes: Any) -> DateReading:
    values = {name: getattr(reading, name) for name in DateReading.__slots__}
    values.update(changes)
    return DateReading(**values)


def iso_offset(text: str | None) -> str:
    """`+0300`, `+03`, `+03:00`, `Z` → the ISO form (`Z` kept: it is canonical already)."""
    if not text:
        return ""
    if text == "Z":
        return "Z"
    digits = text[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{text[0]}{digits[:2]}:{digits[2:]}"


def fmt_time(hour: int, minute: int, second: int | None, offset: str) -> tuple[str, str]:
    """`T14:05`, `T14:05:09+03:00` and the precision it has (minute or second).

    The second is the finest precision a canonical date has: a fraction written after it
    (`10:49:41,502`, `11:23:34.578`) is dropped, as the readers drop it."""
    text = f"T{hour:02d}:{minute:02d}"
    precision = "minute"
    if second is not None:
        text += f":{second:02d}"
        precision = "second"
    return text + offset, precision


def valid_time(hour: int, minute: int, second: int | None) -> bool:
    return 0 <= hour <= 23 and 0 <= minute <= 59 and (second is None or 0 <= second <= 60)


def valid_offset(offset: str) -> bool:
    if offset in ("", "Z"):
        return True
    return int(offset[1:3]) <= 23 and int(offset[4:6]) <= 59


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def full_year(year: int, digits: int) -> int:
    """A two-digit year in its century (PIVOT); longer years as written."""
    if digits > 2:
        return year
    return year + (1900 if year >= PIVOT else 2000)
