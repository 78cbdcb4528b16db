"""dateparser for the long tail: a date the grammar has no reading for.

Optional (`pip install metanorm[fallback]`) and off unless a `date-fallback` rule turns it
on: it is imported only when a string reaches it. The language and the day/month order
come from our side (so `01.02.2022` keeps its locale's order and its warning path);
`get_date_data` reports the period, which gives the precision, and a relative result is
resolved against our reference, never against the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from normalize.stages.dates.readings import DateReading, Result

_PRECISION = {"year": ("%Y", "year"), "month": ("%Y-%m", "month"), "day": ("%Y-%m-%d", "day")}


@lru_cache(maxsize=64)
def _parser(language: str | None, day_first: bool, base: datetime | None) -> Any:
    """One DateDataParser per language, order and reference (building one costs
    milliseconds; listing pages share one reference)."""
    try:
        from dateparser.date import DateDataParser
    except ImportError:
        return None
    settings = {
        "DATE_ORDER": "DMY" if day_first else "MDY",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": base or datetime(1, 1, 1),
    }
    try:
        return DateDataParser(languages=[language] if language else None, settings=settings)
    except ValueError:  # a language dateparser does not know
        return None


def read(
    text: str, language: str | None, reference: date | datetime | None, day_first: bool | None
) -> Result:
    """dateparser's reading of text, at the period it reports, or None."""
    base = reference.replace(tzinfo=None) if isinstance(reference, datetime) else None
    if base is None and isinstance(reference, date):
        base = datetime(reference.year, reference.month, reference.day)
    parser = _parser(language, day_first is not False, base)
    if parser is None:
        return None
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    found = getattr(data, "date_obj", None)
    if found is None:
        return None
    if base is None and found.year < 100:
        return None  # the reading came from the placeholder base: it needs a reference
    period = data.period
    if period in _PRECISION:
        fmt, precision = _PRECISION[period]
        iso = found.strftime(fmt)
    else:
        iso, precision = found.strftime("%Y-%m-%dT%H:%M"), "minute"
        if found.second:
            iso, precision = found.strftime("%Y-%m-%dT%H:%M:%S"), "second"
    return DateReading(iso, "fallback", precision, language=data.locale)
