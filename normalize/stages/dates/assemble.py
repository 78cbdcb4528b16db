"""From what the tokens said (`Parts`) to a reading: which number is the day and which the
year, the hour a day period gives, and the reference a yearless or time-only date needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from normalize.stages.dates.locales import period_hour
from normalize.stages.dates.readings import (
    WEEKDAYS_EN,
    DateReading,
    NeedsReference,
    Result,
    fmt_time,
    full_year,
    valid_date,
    valid_offset,
    valid_time,
)


@dataclass
class Parts:
    """What the tokens of a date said, before the numbers are assigned."""

    year: int | None = None
    year_digits: int = 0
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int = 0
    second: int | None = None
    offset: str = ""
    meridiem: object = None  # a day period: (from, before) hours, or noon/midnight
    zone_name: str | None = None  # an IANA zone (`europe/kyiv`), read by dateutil.tz
    numbers: list[tuple[int, int, bool]] = field(default_factory=list)  # value, digits, ordinal
    dottime: tuple[int, int] | None = None
    ambiguous: bool = False
    day_first: bool | None = None
    alternative: tuple[int, int, int] | None = None


def finish(
    parts: Parts, text: str, reference: date | datetime | None, had_numeric: bool, lang: str | None
) -> Result:
    """The reading the parts make, or NeedsReference, or None when they make no date."""
    if not had_numeric and not _assign_numbers(parts):
        return None
    if not _settle_time(parts):
        return None
    if parts.month is None:
        if parts.hour is not None and parts.year is None and parts.day is None:
            if reference is None:
                return NeedsReference("time", text)
            base = _ref_date(reference)
            return _build(parts, base.year, base.month, base.day, "relative", lang, "time")
        bare_year = parts.year is not None and parts.year_digits == 4  # `de 1939`, `roku 2020`
        if bare_year and parts.hour is None and parts.day is None and parts.weekday is None:
            return DateReading(f"{parts.year:04d}", "textual", "year", language=lang)
        return None
    if parts.year is None:
        if parts.day is None:
            return None
        if reference is None:
            return NeedsReference("yearless", text)
        base = _ref_date(reference)
        year = base.year
        if valid_date(year, parts.month, parts.day) and date(year, parts.month, parts.day) > base:
            year -= 1
        return _build(parts, year, parts.month, parts.day, "relative", lang, "yearless")
    year = full_year(parts.year, parts.year_digits)
    form = "numeric" if had_numeric else "textual"
    if parts.day is None:
        if parts.hour is not None or parts.weekday is not None:
            return None
        return DateReading(f"{year:04d}-{parts.month:02d}", form, "month", language=lang)
    return _build(parts, year, parts.month, parts.day, form, lang)


def _assign_numbers(parts: Parts) -> bool:
    """Numbers around a month name: a 4-digit or > 31 one is the year, the other the day."""
    nums = parts.numbers
    if len(nums) > 2:
        return False
    years = [n for n in nums if (n[1] >= 3 or n[0] > 31) and not n[2]]
    days = [n for n in nums if n not in years]
    if len(years) > 1:
        return False
    if len(days) == 2 and not years:
        second = days[1]
        if second[2]:
            return False
        years, days = [second], [days[0]]
    if len(days) > 1:
        return False
    if years:
        parts.year, parts.year_digits = years[0][0], years[0][1]
    if days:
        parts.day = days[0][0]
    return True


def _settle_time(parts: Parts) -> bool:
    """The hour a day period gives (`8` 晚上 → 20, `12 am` → 0); the time must be valid."""
    if parts.dottime is not None:
        if parts.hour is not None:
            return False
        parts.hour, parts.minute = parts.dottime
    if parts.hour is not None and parts.meridiem is not None:
        hour = period_hour(parts.hour, parts.meridiem)
        if hour is None:
            return False
        parts.hour = hour
    if parts.hour is not None and not valid_time(parts.hour, parts.minute, parts.second):
        return False
    return not parts.offset or valid_offset(parts.offset)


def _build(
    parts: Parts,
    year: int,
    month: int,
    day: int,
    form: str,
    lang: str | None,
    relative: str | None = None,
) -> Result:
    if not valid_date(year, month, day) or not 1 <= year <= 9999:
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    precision = "day"
    if parts.hour is not None:
        offset: str | None = parts.offset
        if parts.zone_name is not None:
            offset = _zone_offset(parts.zone_name, datetime(year, month, day, parts.hour))
        if offset is None:
            return None
        time, precision = fmt_time(parts.hour, parts.minute, parts.second, offset)
        iso += time
    mismatch = None
    real = date(year, month, day).weekday()
    if parts.weekday is not None and parts.weekday != real:
        mismatch = WEEKDAYS_EN[real]
    alternative = None
    if parts.ambiguous and parts.alternative is not None:
        ay, am, ad = parts.alternative
        ay = full_year(ay, parts.year_digits)
        if valid_date(ay, am, ad):
            alternative = f"{ay:04d}-{am:02d}-{ad:02d}"
    return DateReading(
        iso,
        form,
        precision,
        ambiguous=alternative is not None,
        day_first=parts.day_first,
        alternative=alternative,
        weekday_mismatch=mismatch,
        language=lang,
        relative=relative,
    )


def _zone_offset(name: str, moment: datetime) -> str | None:
    """The offset of an IANA zone (`Europe/Kyiv`) at that moment, from dateutil.tz."""
    from dateutil import tz

    zone = tz.gettz(
        "/".join("_".join(w.capitalize() for w in p.split("_")) for p in name.split("/"))
    )
    offset = zone.utcoffset(moment) if zone is not None else None
    if offset is None:
        return None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _ref_date(reference: date | datetime) -> date:
    return reference.date() if isinstance(reference, datetime) else reference
