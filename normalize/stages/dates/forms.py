"""The forms that need no options: ISO 8601, compact and spaced ISO, RFC 2822, CJK,
Unix timestamps. Each returns a reading or None; the general reader takes the rest."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from normalize.stages.dates.locales import period_hour
from normalize.stages.dates.readings import (
    WEEKDAYS_EN,
    DateReading,
    fmt_time,
    iso_offset,
    valid_date,
    valid_offset,
    valid_time,
    with_changes,
)

_ISO = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?"
)
YEAR = re.compile(r"[12]\d{3}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# basic-format ISO: 20030925T104941, 20030925T10, and the digits alone 199709020908
_COMPACT_TIME = re.compile(r"(\d{8})(?:T(\d{2}(?:\d{2}(?:\d{2})?)?)|(\d{4}(?:\d{2})?))")
_SPACED = re.compile(r"(\d{4}) (\d{2}) (\d{2})")
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+[+-]\d{4}"
)
CJK = re.compile(
    r"(?:[^\d\s]{1,4}\s*)?"  # a weekday before the date (周六, 星期六)
    r"(?P<y>\d{4})\s*[年년]\s*(?P<mo>\d{1,2})\s*[月월](?:\s*(?P<d>\d{1,2})\s*[日일]?)?"
    r"(?:\s*(?:\([^)]*\)|（[^）]*）))?\s*(?P<period>[^\d\s():]{1,3})?"
    r"(?:\s*(?P<h>\d{1,2})\s*[:時时시]\s*(?P<mi>\d{2})\s*分?(?:\s*:?\s*(?P<s>\d{2})\s*秒?)?)?\s*"
)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script
_RFC_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def normalize_text(value: str) -> str:
    """NFKC, every Unicode digit as ASCII, format characters (RTL marks) and NBSP gone."""
    if value.isascii():
        return value.strip()  # NFKC leaves ASCII alone; no other digits, no format characters
    text = unicodedata.normalize("NFKC", value)
    if text.isprintable() and not _OTHER_DIGIT.search(text):
        return text.strip()  # no format character (those are not printable), ASCII digits
    text = "".join(
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )
    return text.strip()


def read_iso(text: str) -> DateReading | None:
    m = _ISO.fullmatch(text)
    if not m:
        return None
    y, mo, d, hh, mi, ss, _fraction, off = m.groups()
    if d is None:
        if not 1 <= int(mo) <= 12:
            return None
        return DateReading(f"{y}-{mo}", "iso", "month")
    if not valid_date(int(y), int(mo), int(d)):
        return None
    iso = f"{y}-{mo}-{d}"
    if hh is None:
        return DateReading(iso, "iso", "day")
    second = int(ss) if ss is not None else None
    offset = iso_offset(off)
    if not valid_time(int(hh), int(mi), second) or not valid_offset(offset):
        return None
    time, precision = fmt_time(int(hh), int(mi), second, offset)
    return DateReading(iso + time, "iso", precision)


def read_compact(text: str) -> DateReading | None:
    """`20220128`, `2003 09 25`, and with a time `20030925T104941`, `199709020908`
    (dateutil's isoparse reads the basic format once the `T` is in place)."""
    if m := (_COMPACT.fullmatch(text) or _SPACED.fullmatch(text)):
        y, mo, d = (int(g) for g in m.groups())
        if 1800 <= y <= 2200 and valid_date(y, mo, d):
            return DateReading(f"{y:04d}-{mo:02d}-{d:02d}", "compact", "day")
        return None
    m = _COMPACT_TIME.fullmatch(text)
    if m is None or not 1800 <= int(text[:4]) <= 2200:
        return None
    from dateutil.parser import isoparse

    day, clock = m.group(1), m.group(2) or m.group(3)
    try:
        moment = isoparse(f"{day}T{clock}")
    except ValueError:
        return None
    seconds = moment.second if len(clock) == 6 else None
    time, precision = fmt_time(moment.hour, moment.minute, seconds, "")
    return DateReading(moment.date().isoformat() + time, "compact", precision)


def read_rfc2822(text: str) -> DateReading | None:
    if not _RFC2822.fullmatch(text):
        return None
    import email.utils  # only here: it pulls in socket and more (start-up time)

    parts = email.utils.parsedate_tz(text)
    if parts is None or parts[9] is None:
        return None
    y, mo, d, hh, mi, ss = parts[:6]
    if not valid_date(y, mo, d) or not valid_time(hh, mi, ss):
        return None
    has_seconds = text.count(":") >= 2
    sign = "-" if parts[9] < 0 else "+"
    minutes = abs(parts[9]) // 60
    offset = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    time, precision = fmt_time(hh, mi, ss if has_seconds else None, offset)
    reading = DateReading(f"{y:04d}-{mo:02d}-{d:02d}{time}", "rfc2822", precision)
    given = text[:3].lower() if "," in text else ""
    real = date(y, mo, d).weekday()
    if given in _RFC_DAYS and _RFC_DAYS.index(given) != real:
        return with_changes(reading, weekday_mismatch=WEEKDAYS_EN[real])
    return reading


def read_cjk(m: re.Match[str], period_of: Callable[[str], Any]) -> DateReading | None:
    """年 月 日 dates, with a time (`21時40分`, `8:00`) and the day period before it
    (`晚` 8:00 → 20:00; `period_of` looks the word up in the grammar)."""
    y, mo, d, hh, mi, ss = (m.group(k) for k in ("y", "mo", "d", "h", "mi", "s"))
    if d is None:
        if not 1 <= int(mo) <= 12 or hh is not None:
            return None
        return DateReading(f"{int(y):04d}-{int(mo):02d}", "cjk", "month")
    if not valid_date(int(y), int(mo), int(d)):
        return None
    iso = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if hh is None:
        return DateReading(iso, "cjk", "day")
    hour: int | None = int(hh)
    period = period_of(m.group("period")) if m.group("period") else None
    if period is not None:
        hour = period_hour(int(hh), period)
    second = int(ss) if ss is not None else None
    if hour is None or not valid_time(hour, int(mi), second):
        return None
    time, precision = fmt_time(hour, int(mi), second, "")
    return DateReading(iso + time, "cjk", precision)


def from_timestamp(value: float) -> DateReading | None:
    """Unix seconds (10 digits) or milliseconds (13 digits) → UTC, at second precision."""
    try:
        seconds = float(value)
    except OverflowError:  # an integer too large for a float is no timestamp
        return None
    if 1e11 <= abs(seconds) < 1e14:
        seconds /= 1000
    elif not 1e8 <= abs(seconds) < 1e11:
        return None
    try:
        moment = datetime(1970, 1, 1) + timedelta(seconds=seconds)
    except OverflowError:
        return None
    # milliseconds dropped: the second is a canonical date's finest precision
    return DateReading(moment.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "timestamp", "second")
