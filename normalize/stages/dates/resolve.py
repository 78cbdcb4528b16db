"""Relative, yearless and time-only dates against a reference time, at the input's
precision: calendar arithmetic by dateutil's `relativedelta` (months and years keep the
day where it exists, weekdays step to the previous or next one)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from normalize.stages.dates.locales import period_hour
from normalize.stages.dates.readings import DateReading
from normalize.stages.dates.relative import Relative

# a unit's precision; fractions go to the next smaller unit (1.5 years → 18 months)
_PRECISION = {
    "decade": "year",
    "year": "year",
    "quarter": "month",
    "month": "month",
    "week": "day",
    "day": "day",
    "hour": "minute",
    "minute": "minute",
    "second": "minute",
}
_SMALLER = {
    "decade": ("year", 10),
    "year": ("month", 12),
    "quarter": ("month", 3),
    "month": ("day", 30),
    "week": ("day", 7),
    "day": ("hour", 24),
    "hour": ("minute", 60),
    "minute": ("second", 60),
}
UNITS = tuple(_PRECISION)
_ORDER = ("year", "month", "day", "minute")


def resolve(found: Relative, reference: date | datetime) -> DateReading | None:
    """The date `found` names, seen from `reference`; None when it needs a time of day
    the reference does not have (`2 hours ago` against a bare date)."""
    sign = -1 if _direction(found) == "past" else 1
    months, fixed = 0, timedelta()
    precision = "day" if found.phrase is not None else None
    for amount, unit in found.items:
        unit, amount = _whole(unit, amount)
        step_months, step = _step(unit, int(amount) * sign)
        months, fixed = months + step_months, fixed + step
        precision = _finer(precision, _PRECISION[unit])
    weekday_step = None
    if found.phrase is not None:
        (step_months, step), weekday_step, phrase_precision = _phrase(found.phrase)
        months, fixed = months + step_months, fixed + step
        if not found.items:
            precision = phrase_precision
    moment = _shifted(_as_datetime(reference), months, fixed, weekday_step)
    has_time = isinstance(reference, datetime)
    if found.hour is not None:
        if precision != "day":
            return None  # a time of day goes with a day (`yesterday at 5`, not `2 hours ago at 5`)
        hour = found.hour if found.period is None else period_hour(found.hour, found.period)
        if hour is None or not 0 <= hour <= 23 or not 0 <= found.minute <= 59:
            return None
        iso = _format(moment, "day") + f"T{hour:02d}:{found.minute:02d}"
        return DateReading(iso, "relative", "minute", relative=_describe(found))
    assert precision is not None
    if precision == "minute" and not has_time:
        return None
    iso = _format(moment, precision)
    if precision == "minute" and isinstance(reference, datetime) and reference.tzinfo:
        iso += _offset(reference)
    return DateReading(iso, "relative", precision, relative=_describe(found))


def _format(moment: datetime, precision: str) -> str:
    """ISO at a precision (by hand: strftime does not pad years before 1000)."""
    text = f"{moment.year:04d}"
    if precision != "year":
        text += f"-{moment.month:02d}"
    if precision in ("day", "minute"):
        text += f"-{moment.day:02d}"
    if precision == "minute":
        text += f"T{moment.hour:02d}:{moment.minute:02d}"
    return text


def _direction(found: Relative) -> str:
    """The text's direction word, else the past (`3 days`, `1 year 2 months`: listing ages)."""
    return found.direction or "past"


def _whole(unit: str, amount: float) -> tuple[str, float]:
    while amount != int(amount) and unit in _SMALLER:
        unit, factor = _SMALLER[unit]
        amount = round(amount * factor, 6)
    return unit, amount


def _step(unit: str, n: int) -> tuple[int, timedelta]:
    """A unit as calendar months (their length varies) and a fixed span (the rest)."""
    months = _MONTHS.get(unit)
    if months is not None:
        return months * n, timedelta()
    return 0, timedelta(**{unit + "s": n})


_MONTHS = {"decade": 120, "year": 12, "quarter": 3, "month": 1}


def _shifted(moment: datetime, months: int, fixed: timedelta, weekday_step: Any) -> datetime:
    """The calendar part by dateutil's relativedelta (the day kept where the month has it,
    else its last day), then the fixed span, then the step to a weekday."""
    if months or weekday_step is not None:
        from dateutil.relativedelta import relativedelta

        if months:
            moment = moment + relativedelta(months=months)
        moment = moment + fixed
        return moment + weekday_step if weekday_step is not None else moment
    return moment + fixed


def _phrase(phrase: tuple[str, Any]) -> tuple[tuple[int, timedelta], Any, str]:
    """`yesterday` → -1 day at day precision; `last month` → a month; `this year` and
    every other offset 0 → the reference's day; `last Monday` → that weekday (a
    relativedelta step: the day before or after, then the weekday on or past it)."""
    unit, offset = phrase
    if unit == "weekday":
        from dateutil.relativedelta import relativedelta, weekday

        day, step = offset
        if step == 0:
            return (0, timedelta()), relativedelta(weekday=weekday(day)(-1)), "day"
        nth = -1 if step < 0 else 1
        return (0, timedelta()), relativedelta(days=-nth, weekday=weekday(day)(nth)), "day"
    if offset == 0:
        return (0, timedelta()), None, "day"
    return _step(unit, offset), None, _PRECISION.get(unit, "day")


def _finer(a: str | None, b: str) -> str:
    if a is None:
        return b
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def _as_datetime(reference: date | datetime) -> datetime:
    if isinstance(reference, datetime):
        return reference.replace(tzinfo=None)
    return datetime(reference.year, reference.month, reference.day)


def _offset(reference: datetime) -> str:
    delta = reference.utcoffset() or timedelta()
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _describe(found: Relative) -> str:
    """How the text was read, for the record's audit: `3 day past`, `day -1`."""
    parts = [f"{amount:g} {unit}" for amount, unit in found.items]
    if found.items:
        parts.append(_direction(found))
    if found.phrase is not None:
        unit, offset = found.phrase
        parts.append(f"{unit} {offset:+d}" if unit != "weekday" else f"weekday {offset}")
    return " ".join(parts)
