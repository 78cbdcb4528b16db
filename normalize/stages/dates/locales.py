"""CLDR data through babel, one locale at a time, built when a record first needs it.

Month and weekday names, day periods (`AM`, `по подне`, `晚上` with the hours CLDR's day
period rules give them) and the short date pattern's day/month order. Reading babel's
locale data costs time and memory, so each table is built once per process and kept in
the derived-data cache (`normalize.cache`) for the next process.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from normalize.stages.dates.words import fold, word_key

Entry = tuple[str, Any]  # (kind, value): month 1–12, weekday 0–6, meridiem (from, before)

AM, PM = (0, 12), (12, 24)
_FIXED_PERIODS = {"am": AM, "pm": PM, "noon": "noon", "midnight": "midnight"}


def babel_locale(tag: str) -> Any:
    """babel's Locale for a tag (`ru`, `en-US`, `sr_Latn`), or None when CLDR has none."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    for name in (tag, get_global("language_aliases").get(tag)):
        try:
            return Locale.parse(name.replace("-", "_")) if name else None
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


_TAG = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?")


@cache
def known_locale(lang: str) -> bool:
    """Whether babel has CLDR data for the tag (a record may declare anything), under
    its own name or a CLDR alias (`tl` → fil, `iw` → he, `mo` → ro)."""
    if not _TAG.fullmatch(lang):
        return False
    from babel import localedata
    from babel.core import get_global

    alias = get_global("language_aliases").get(lang)
    return bool(localedata.exists(lang) or (alias and localedata.exists(alias)))


@cache
def script_family(lang: str) -> tuple[str, ...]:
    """A bare language and its CLDR script variants (`sr` → sr, sr_Latn; `zh` → zh,
    zh_Hant): a record declares `sr` or `uz` whichever alphabet it is written in."""
    if "_" in lang or "-" in lang:
        return (lang,)
    from babel.localedata import locale_identifiers

    variants = sorted(
        tag
        for tag in locale_identifiers()
        if tag.startswith(lang + "_") and tag.count("_") == 1 and len(tag) == len(lang) + 5
    )
    return (lang, *variants)


@cache
def cldr_names(lang: str) -> dict[str, Entry]:
    """Names of one locale (see `_cldr_names_from_babel`), through the derived-data cache."""
    if not known_locale(lang):
        return {}
    from importlib.metadata import version

    from normalize import cache as derived

    # one cache name per locale: the cache keeps a few entries per name, not one per locale
    return derived.cached(
        f"date-names-{lang}", [lang, version("babel")], lambda: _cldr_names_from_babel(lang)
    )


def _cldr_names_from_babel(lang: str) -> dict[str, Entry]:
    """The names of a language in each of its scripts; the main script wins a clash."""
    names: dict[str, Entry] = {}
    for tag in reversed(script_family(lang)):
        names.update(_locale_names(tag))
    return names


def _locale_names(lang: str) -> dict[str, Entry]:
    """Month and weekday names (wide and abbreviated, format and stand-alone), then day
    periods; months win over weekdays and both over day periods on a clash."""
    locale = babel_locale(lang)
    if locale is None:
        return {}
    names: dict[str, Entry] = {}
    rank = {"meridiem": 0, "weekday": 1, "month": 2}

    def put(name: str, entry: Entry) -> None:
        key = word_key(name).strip()
        if not key or (len(key) < 2 and ord(key) < 0x2E80):
            return  # single Latin/Cyrillic letters (hu `V`) would match stray initials
        for variant in (key, fold(key)):
            old = names.get(variant)
            if variant and (old is None or _overrides(old[0], entry[0], rank)):
                names[variant] = entry

    for period, name in _day_period_names(locale):
        put(name, ("meridiem", period))
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.days[context][width].items():
                put(name, ("weekday", int(number)))
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                put(name, ("month", int(number)))
    return names


def _overrides(old: str, new: str, rank: dict[str, int]) -> bool:
    return rank[old] < rank[new] or old == new != "month"


def _day_period_names(locale: Any) -> list[tuple[Any, str]]:
    """(period, name): am/pm as (0, 12)/(12, 24), noon/midnight by name, and the locale's
    flexible periods (`morning1`, `evening1`) as the hours its day period rules give."""
    try:
        rules = locale._data["day_period_rules"].get(None) or {}
    except KeyError:
        rules = {}
    hours: dict[str, Any] = dict(_FIXED_PERIODS)
    for name, spans in rules.items():
        span = spans[0] if spans else {}
        if name not in hours and "from" in span and "before" in span:
            hours[name] = (span["from"] // 3600, span["before"] // 3600)
    found: list[tuple[Any, str]] = []
    flexible: list[tuple[Any, str]] = []
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide", "narrow"):
            for name, text in locale.day_periods[context][width].items():
                if name in hours and isinstance(text, str):
                    target = found if name in _FIXED_PERIODS else flexible
                    target.append((hours[name], text))
    return flexible + found  # am/pm last: they win a clash with a flexible period's name


def period_hour(hour: int, period: Any) -> int | None:
    """The 24-hour hour of `hour` written with a day period (`8` 晚上 → 20, `12` am → 0)."""
    if period == "noon":
        return 12 if hour in (0, 12) else None
    if period == "midnight":
        return 0 if hour in (0, 12) else None
    start, before = period
    candidates = [hour % 12, hour % 12 + 12] if hour <= 12 else [hour]
    for candidate in candidates:
        inside = start <= candidate < before if start < before else not before <= candidate < start
        if inside:
            return candidate
    if hour > 12:
        return None
    later = start >= 12 or (start < before and (start + before) / 2 > 12)
    return candidates[1] if later else candidates[0]


@cache
def cldr_day_first(tag: str) -> bool | None:
    """Whether the locale's short date pattern puts the day before the month
    (`ru` dd.MM.y → True, `en_US` M/d/yy → False); None for an unknown locale."""
    locale = babel_locale(tag)
    if locale is None:
        return None
    pattern = re.sub(r"'[^']*'", "", locale.date_formats["short"].pattern)
    d, m = pattern.find("d"), pattern.find("M")
    if d < 0 or m < 0:
        return None
    return d < m
