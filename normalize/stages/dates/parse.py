"""`parse_date`: one date value → a reading, with the forms tried cheapest first.

Fixed forms (ISO, compact, RFC 2822, CJK, timestamps) need no options; the general reader
takes the language and the day/month order; relative dates are read in the language's
CLDR words and resolved against the reference; dateparser, when installed and enabled,
reads what is left. Answers for text are memoized per grammar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from normalize.stages.dates.fallback import read as read_fallback
from normalize.stages.dates.forms import (
    CJK,
    YEAR,
    from_timestamp,
    normalize_text,
    read_cjk,
    read_compact,
    read_iso,
    read_rfc2822,
)
from normalize.stages.dates.grammar import Grammar
from normalize.stages.dates.reader import read_general
from normalize.stages.dates.readings import DateReading, NeedsReference, Result
from normalize.stages.dates.relative import (
    read_relative,
    relative_key,
    relative_languages,
    says_relative,
)
from normalize.stages.dates.resolve import resolve
from normalize.stages.dates.words import word_key


def parse_date(
    value: Any,
    *,
    day_first: bool | None = None,
    language: str | None = None,
    reference: date | datetime | None = None,
    grammar: Grammar | None = None,
) -> Result:
    """Read one date value.

    `day_first` decides an ambiguous numeric date (None: day first, the majority
    convention, still flagged as ambiguous); `language` is the record's primary language
    subtag, tried first for month and weekday names. Returns a DateReading, a
    NeedsReference for relative/yearless input without `reference`, or None.
    """
    grammar = grammar if grammar is not None else default_grammar()
    if type(value) is not str:
        return _parse_value(value, day_first, language, reference, grammar)
    # text is memoized (a pure function of it, the options and the grammar): first what the
    # fixed forms make of it, whatever the options; then, for the rest, the general reading
    memo = grammar._parsed
    fixed = memo.get(value, _UNSEEN)
    if fixed is _UNSEEN:
        fixed = _memo(memo, value, _fixed_forms(value, grammar))
    if not isinstance(fixed, _Open):
        return fixed
    key = (fixed.text, day_first, language, reference)
    found = memo.get(key, _UNSEEN)
    if found is _UNSEEN:
        found = _memo(memo, key, _open(fixed.text, day_first, language, reference, grammar))
    return found


@dataclass(frozen=True, slots=True)
class _Open:
    """Text no fixed form reads: the general reader decides, with the options."""

    text: str


_UNSEEN: Any = object()
_PARSED_LIMIT = 4096


def _memo(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memo) >= _PARSED_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _parse_value(
    value: Any,
    day_first: bool | None,
    language: str | None,
    reference: date | datetime | None,
    grammar: Grammar,
) -> Result:
    """A value that is not text: a date, a timestamp, a number written as digits."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, datetime):
        return read_iso(value.isoformat())
    if isinstance(value, date):
        return DateReading(value.isoformat(), "iso", "day")
    if isinstance(value, int | float):
        if "timestamp" in grammar.forms and abs(value) >= 1e8:
            return from_timestamp(value)
        if isinstance(value, int):
            return parse_date(str(value), day_first=day_first, language=language, grammar=grammar)
        return None
    if not isinstance(value, str):
        return None
    fixed = _fixed_forms(value, grammar)  # a str subclass: read without the memo
    if not isinstance(fixed, _Open):
        return fixed
    return _open(fixed.text, day_first, language, reference, grammar)


def _open(
    text: str,
    day_first: bool | None,
    language: str | None,
    reference: date | datetime | None,
    grammar: Grammar,
) -> Result:
    """Text the fixed forms do not read: the general reader, then the relative one, then
    dateparser for the long tail (when enabled)."""
    relative = "relative" in grammar.forms
    if relative and language and says_relative(text, language, grammar):
        # a word only the relative reader knows: the general one would fail on it
        found = _relative(text, language, reference, grammar)
        if found is None:
            found = read_general(text, day_first, language, reference, grammar)
    else:
        found = read_general(text, day_first, language, reference, grammar)
        if found is None and relative:
            found = _relative(text, language, reference, grammar)
    if found is None and grammar.fallback and language and any(c.isalpha() for c in text):
        # numbers alone stay ours (their order is the record's locale's, and warned), and
        # so does text in an undeclared language (dateparser would try all of its own)
        found = read_fallback(text, language, reference, day_first)
    return found


def _relative(
    text: str, language: str | None, reference: date | datetime | None, grammar: Grammar
) -> Result:
    """A relative date in the record's language (else English, else the rules' locales)."""
    key = relative_key(text)
    for lang in [language] if language else relative_languages(key, grammar):
        found = read_relative(key, lang, grammar)
        if found is None:
            continue
        if reference is None:
            return NeedsReference("relative", text)
        # None: the reference lacks the time of day the text needs (`2 hours ago`)
        return resolve(found, reference) or NeedsReference("relative", text)
    return None


def _cjk_period(word: str, grammar: Grammar) -> Any:
    """A day period written before a CJK time (`晚`, `下午`, `오후`), from the grammar."""
    for lang in ("zh", "ja", "ko", "*"):
        entry = grammar.table(lang).get(word_key(word))
        if entry is not None and entry[0] == "meridiem":
            return entry[1]
    return None


def _fixed_forms(value: str, grammar: Grammar) -> Result | _Open:
    """What the forms that need no options (ISO, compact, RFC 2822, CJK) make of text."""
    text = normalize_text(value)
    if not text or len(text) > 120:
        return None
    forms = grammar.forms
    if text[0].isdigit():
        if "iso" in forms:
            reading = read_iso(text)
            if reading is not None:
                return reading
            if YEAR.fullmatch(text):
                return DateReading(text, "iso", "year")
        if "compact" in forms and (reading := read_compact(text)) is not None:
            return reading
    if "cjk" in forms and ("年" in text or "년" in text) and (m := CJK.fullmatch(text)):
        return read_cjk(m, lambda word: _cjk_period(word, grammar))
    if "rfc2822" in forms and (reading := read_rfc2822(text)) is not None:
        return reading
    return _Open(text)


def parse_reference(value: Any) -> date | datetime | None:
    """A reference date from the command line, a hint or a record field (ISO, or a
    timestamp); None when it cannot be read."""
    if isinstance(value, datetime | date):
        return value
    if value is None:
        return None
    reading = parse_date(value, grammar=_REFERENCE_GRAMMAR)
    if not isinstance(reading, DateReading):
        return None
    try:
        if reading.precision == "day":
            return date.fromisoformat(reading.iso)
        if reading.precision in ("minute", "second"):
            return datetime.fromisoformat(reading.iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None


_REFERENCE_GRAMMAR = Grammar(locales=(), forms=frozenset({"iso", "timestamp"}))


def default_grammar() -> Grammar:
    """The default rules' grammar (rules/dates.yaml: the locales, the words CLDR lacks),
    for direct use of `parse_date`; built on first use."""
    if not _DEFAULT:
        from normalize.ruleset import load_ruleset
        from normalize.stages.dates.rules import compile

        _DEFAULT.append(compile(load_ruleset()).grammar)
    return _DEFAULT[0]


_DEFAULT: list[Grammar] = []


def same_instant(a: str, b: str) -> bool:
    """Two ISO values are the same reading (`Z` = `+00:00`, `T14:05` = `T14:05:00`)."""
    if a == b:
        return True
    if "T" not in a or "T" not in b:
        return False
    try:
        x = datetime.fromisoformat(a.replace("Z", "+00:00"))
        y = datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False
    return x == y and (x.tzinfo is None) == (y.tzinfo is None)
