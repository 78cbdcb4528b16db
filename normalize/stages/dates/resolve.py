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
    from dateutil.relativedelta import relativedelta

    sign = -1 if _direction(found) == "past" else 1
    delta = relativedelta()
    precision = "day" if found.phrase is not None else None
    for amount, unit in found.items:
        unit, amount = _whole(unit, amount)
        delta += _delta(unit, int(amount) * sign)
        precision = _finer(precision, _PRECISION[unit])
    if found.phrase is not None:
        step, phrase_precision = _phrase(found.phrase)
        delta += step
        if not found.items:
            precision = phrase_precision
    moment = _as_datetime(reference) + delta
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


def _delta(unit: str, n: int) -> Any:
    from dateutil.relativedelta import relativedelta

    if unit == "decade":
        return relativedelta(years=10 * n)
    if unit == "quarter":
        return relativedelta(months=3 * n)
    return relativedelta(**{unit + "s": n})


def _phrase(phrase: tuple[str, Any]) -> tuple[Any, str]:
    """`yesterday` → -1 day at day precision; `last month` → a month; `this year` and
    every other offset 0 → the reference's day; `last Monday` → that weekday."""
    from dateutil.relativedelta import relativedelta, weekday

    unit, offset = phrase
    if unit == "weekday":
        day, step = offset
        if step == 0:
            return relativedelta(weekday=weekday(day)(-1)), "day"
        nth = -1 if step < 0 else 1
        return relativedelta(days=-nth, weekday=weekday(day)(nth)), "day"
    if offset == 0:
        return relativedelta(), "day"
    return _delta(unit, offset), _PRECISION.get(unit, "day")


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
