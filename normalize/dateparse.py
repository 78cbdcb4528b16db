"""Date strings as scraped records carry them → ISO 8601 at the precision the input has.

Pure functions, no clock: relative and yearless forms resolve only against a reference
date the caller gives. Month and weekday names come from babel's CLDR data (built lazily,
once per process, into plain dicts so that a grammar pickles); the words around them
(`г.`, `roku`, `de`, ordinals, `am`/`pm`, zone abbreviations, `вчера`) come from the
rule files through `Grammar`. RFC 2822 goes through `email.utils`; everything else is a
small tokenizer, because no library reports what we need: the precision the input had,
whether the day/month order was ambiguous, and which language's names matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

FORMS = ("iso", "compact", "numeric", "textual", "rfc2822", "timestamp", "cjk", "relative")
PIVOT = 69  # two-digit years: 00–68 → 2000s, 69–99 → 1900s (the POSIX strptime rule)

# CLDR name tables: the languages the default grammar reads when the rules name none.
DEFAULT_NAME_LOCALES = (
    "en", "ru", "uk", "be", "bg", "pl", "cs", "sk", "sl", "hr", "sr", "de", "fr", "es",
    "it", "pt", "nl", "tr", "ro", "hu", "fi", "sv", "da", "nb", "el", "ka", "hy", "kk",
    "ar", "he", "zh", "ja", "ko", "lt", "lv", "et", "ca", "az", "uz", "id",
)  # fmt: skip


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


@dataclass(frozen=True, slots=True)
class NeedsReference:
    """A relative, yearless or time-only date: it resolves only against a reference date."""

    form: str  # relative, yearless, time
    text: str


Result = DateReading | NeedsReference | None


@dataclass
class Grammar:
    """Everything the parser knows besides its code: names, words, zones (from the rules).

    `words[lang]` maps a case-folded word to (kind, value): kind is `month` (1–12),
    `weekday` (0–6, Monday 0), `skip`, `relative` (day offset), `meridiem` (`am`/`pm`/`noon`/
    `midnight`), `zone` (an offset like `-04:00`) or `ordinal`. Language `*` applies to all.
    CLDR names are added lazily on first use, so building a Grammar is cheap and it pickles.
    """

    locales: tuple[str, ...] = DEFAULT_NAME_LOCALES
    extra: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)
    forms: frozenset[str] = frozenset(FORMS)
    _tables: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict, repr=False)
    _index: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _names: dict[str, list[tuple[str, tuple[str, Any]]]] = field(default_factory=dict, repr=False)
    # parse_date's answers for text (a pure function of the text, the options and this
    # grammar): dates repeat across records, and a record whose language changes is read again
    _parsed: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"locales": self.locales, "extra": self.extra, "forms": self.forms}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.locales, self.extra, self.forms = state["locales"], state["extra"], state["forms"]
        self._tables, self._index, self._names, self._parsed = {}, None, {}, {}

    def add(self, lang: str, key: str, kind: str, value: Any) -> None:
        """Teach the grammar a word (rule files call this through the dates stage)."""
        self.extra.setdefault(lang, {})[word_key(key)] = (kind, value)
        self._tables.pop(lang, None)
        self._names.pop(lang, None)
        self._index = None
        self._parsed.clear()

    def table(self, lang: str) -> dict[str, tuple[str, Any]]:
        """The words of one language: CLDR names, then the rules' words on top."""
        found = self._tables.get(lang)
        if found is None:
            found = dict(cldr_names(lang)) if lang in self.locales else {}
            for key, entry in self.extra.get(lang, {}).items():
                found[key] = entry
                found.setdefault(fold(key), entry)
            self._tables[lang] = found
        return found

    def names(self, lang: str) -> list[tuple[str, tuple[str, Any]]]:
        """Month and weekday names of a language, accent-folded, for abbreviation matching."""
        found = self._names.get(lang)
        if found is None:
            table = self.table(lang)
            found = [(fold(k), v) for k, v in table.items() if v[0] in ("month", "weekday")]
            found = [(k, v) for k, v in found if len(k) > 2]
            self._names[lang] = found
        return found

    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.locales, *(k for k in self.extra if k != "*")]))

    def index(self) -> dict[str, tuple[str, ...]]:
        """Word → the languages that know it (for strings in an undeclared language)."""
        if self._index is None:
            index: dict[str, list[str]] = {}
            for lang in self.languages():
                for key in self.table(lang):
                    index.setdefault(key, []).append(lang)
            self._index = {k: tuple(v) for k, v in index.items()}
        return self._index


def word_key(word: str) -> str:
    """How words are compared: NFKC, case-folded, dots dropped, one kind of apostrophe."""
    return unicodedata.normalize("NFKC", word).casefold().replace(".", "").replace("’", "'")


def fold(key: str) -> str:
    """The key without accents (`giovedi`, `fevrier`, `marz`), a second chance to match."""
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def cldr_names(lang: str) -> dict[str, tuple[str, Any]]:
    """Month and weekday names of one locale (see `_cldr_names_from_babel`), kept in the
    derived-data cache: reading babel's locale data costs time and ~40 MB of memory."""
    from importlib.metadata import version

    from normalize import cache as derived

    # one cache name per locale: the cache keeps a few entries per name, not one per locale
    return derived.cached(
        f"date-names-{lang}", [lang, version("babel")], lambda: _cldr_names_from_babel(lang)
    )


def _cldr_names_from_babel(lang: str) -> dict[str, tuple[str, Any]]:
    """Month and weekday names of one locale from babel: wide and abbreviated, format
    (genitive) and stand-alone (nominative); months win over weekdays on a clash."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, tuple[str, Any]] = {}

    def put(name: str, entry: tuple[str, Any]) -> None:
        key = word_key(name).strip()
        if not key or (len(key) < 2 and ord(key) < 0x2E80):
            return  # single Latin/Cyrillic letters (hu `V`) would match stray initials
        for variant in (key, fold(key)):
            if variant and (variant not in names or names[variant][0] == "weekday"):
                names[variant] = entry

    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.days[context][width].items():
                put(name, ("weekday", int(number)))
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                put(name, ("month", int(number)))
    return names


@cache
def cldr_day_first(tag: str) -> bool | None:
    """Whether the locale's short date pattern puts the day before the month
    (`ru` dd.MM.y → True, `en_US` M/d/yy → False); None for an unknown locale."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    pattern = re.sub(r"'[^']*'", "", locale.date_formats["short"].pattern)
    d, m = pattern.find("d"), pattern.find("M")
    if d < 0 or m < 0:
        return None
    return d < m


# ---- fast paths -----------------------------------------------------------------------

_ISO = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?"
)
_YEAR = re.compile(r"[12]\d{3}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+[+-]\d{4}"
)
_CJK = re.compile(
    r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?:\s*(\d{1,2})\s*[日일])?"
    r"(?:\s*(?:\([^)]*\)|（[^）]*）|[^\d\s]{0,3}))?"
    r"(?:\s*(\d{1,2})\s*[:時时시]\s*(\d{2})\s*分?)?\s*"
)


def _offset(text: str | None) -> str:
    """`+0300`, `+03`, `+03:00`, `Z` → the ISO form (`Z` kept: it is canonical already)."""
    if not text:
        return ""
    if text == "Z":
        return "Z"
    digits = text[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{text[0]}{digits[:2]}:{digits[2:]}"


def _fmt_time(
    hour: int, minute: int, second: int | None, frac: str | None, offset: str
) -> tuple[str, str]:
    text = f"T{hour:02d}:{minute:02d}"
    precision = "minute"
    if second is not None:
        text += f":{second:02d}"
        precision = "second"
        if frac:
            text += "." + frac
    return text + offset, precision


def _valid_time(hour: int, minute: int, second: int | None) -> bool:
    return 0 <= hour <= 23 and 0 <= minute <= 59 and (second is None or 0 <= second <= 60)


def _valid_offset(offset: str) -> bool:
    if offset in ("", "Z"):
        return True
    return int(offset[1:3]) <= 23 and int(offset[4:6]) <= 59


def _iso(text: str) -> DateReading | None:
    m = _ISO.fullmatch(text)
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, off = m.groups()
    if d is None:
        if not 1 <= int(mo) <= 12:
            return None
        return DateReading(f"{y}-{mo}", "iso", "month")
    if not _valid_date(int(y), int(mo), int(d)):
        return None
    iso = f"{y}-{mo}-{d}"
    if hh is None:
        return DateReading(iso, "iso", "day")
    second = int(ss) if ss is not None else None
    offset = _offset(off)
    if not _valid_time(int(hh), int(mi), second) or not _valid_offset(offset):
        return None
    time, precision = _fmt_time(int(hh), int(mi), second, frac, offset)
    return DateReading(iso + time, "iso", precision)


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _rfc2822(text: str) -> DateReading | None:
    if not _RFC2822.fullmatch(text):
        return None
    import email.utils  # only here: it pulls in socket and more (start-up time)

    parts = email.utils.parsedate_tz(text)
    if parts is None or parts[9] is None:
        return None
    y, mo, d, hh, mi, ss = parts[:6]
    if not _valid_date(y, mo, d) or not _valid_time(hh, mi, ss):
        return None
    has_seconds = text.count(":") >= 2
    sign = "-" if parts[9] < 0 else "+"
    minutes = abs(parts[9]) // 60
    offset = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    time, precision = _fmt_time(hh, mi, ss if has_seconds else None, None, offset)
    reading = DateReading(f"{y:04d}-{mo:02d}-{d:02d}{time}", "rfc2822", precision)
    given = text[:3].lower() if "," in text else ""
    real = date(y, mo, d).weekday()
    if given in _RFC_DAYS and _RFC_DAYS.index(given) != real:
        return _with(reading, weekday_mismatch=_WEEKDAYS_EN[real])
    return reading


_RFC_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _with(reading: DateReading, **changes: Any) -> DateReading:
    values = {name: getattr(reading, name) for name in DateReading.__slots__}
    values.update(changes)
    return DateReading(**values)


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
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return DateReading(text + "+00:00", "timestamp", "second")


# ---- the tokenizer for everything else ----------------------------------------------------

_NUMERIC = re.compile(
    r"(?<![\d:.,/-])(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,4})(?![\d:/-]|[.,]\d)\.?"
)
_TOKEN = re.compile(
    r"(?P<time>(?<![\d.])\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?![\d:]))"
    r"|(?P<htime>(?<![\d.])\d{1,2}\s?h\s?\d{2}(?:\s?min)?(?![\w]))"
    r"|(?P<dottime>(?<![\d.])\d{1,2}\.\d{2}(?![\d.]\d))"
    r"|(?P<offset>(?<=[\s(])[+-]\d{2}:?\d{2}(?!\d))"
    r"|(?P<number>\d+)(?P<suffix>-?[^\W\d_]+)?"
    r"|(?P<word>[^\W\d_]+(?:[-.'’][^\W\d_]+)*\.?)"
    r"|(?P<punct>[,.;:/()\[\]|@–—\-\s'\"«»]+)"
    r"|(?P<other>.)"
)
_PLACEHOLDER = "\x00"


@dataclass
class _Parts:
    year: int | None = None
    year_digits: int = 0
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int = 0
    second: int | None = None
    frac: str | None = None
    offset: str = ""
    meridiem: str | None = None
    relative: int | None = None
    numbers: list[tuple[int, int, bool]] = field(default_factory=list)  # value, digits, ordinal
    dottime: tuple[int, int] | None = None
    ambiguous: bool = False
    day_first: bool | None = None
    alternative: tuple[int, int, int] | None = None


def normalize_text(value: str) -> str:
    """NFKC, every Unicode digit as ASCII, format characters (RTL marks) and NBSP gone."""
    if value.isascii():
        return value.strip()  # NFKC leaves ASCII alone; no other digits, no format characters
    text = unicodedata.normalize("NFKC", value)
    text = "".join(
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )
    return text.strip()


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
        found = _memo(memo, key, _general(fixed.text, day_first, language, reference, grammar))
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
        return _iso(value.isoformat())
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
    return _general(fixed.text, day_first, language, reference, grammar)


def _fixed_forms(value: str, grammar: Grammar) -> Result | _Open:
    """What the forms that need no options (ISO, compact, RFC 2822, CJK) make of text."""
    text = normalize_text(value)
    if not text or len(text) > 120:
        return None
    forms = grammar.forms
    if "iso" in forms:
        reading = _iso(text)
        if reading is not None:
            return reading
        if _YEAR.fullmatch(text):
            return DateReading(text, "iso", "year")
    if "compact" in forms and (m := _COMPACT.fullmatch(text)):
        y, mo, d = (int(g) for g in m.groups())
        if 1800 <= y <= 2200 and _valid_date(y, mo, d):
            return DateReading(f"{y:04d}-{mo:02d}-{d:02d}", "compact", "day")
        return None
    if "rfc2822" in forms and (reading := _rfc2822(text)) is not None:
        return reading
    if "cjk" in forms and (m := _CJK.fullmatch(text)):
        return _cjk(m)
    return _Open(text)


def _cjk(m: re.Match[str]) -> DateReading | None:
    y, mo, d, hh, mi = m.groups()
    if d is None:
        if not 1 <= int(mo) <= 12:
            return None
        return DateReading(f"{int(y):04d}-{int(mo):02d}", "cjk", "month")
    if not _valid_date(int(y), int(mo), int(d)):
        return None
    iso = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if hh is not None:
        if not _valid_time(int(hh), int(mi), None):
            return None
        time, precision = _fmt_time(int(hh), int(mi), None, None, "")
        return DateReading(iso + time, "cjk", precision)
    return DateReading(iso, "cjk", "day")


def _general(
    text: str,
    day_first: bool | None,
    language: str | None,
    reference: date | datetime | None,
    grammar: Grammar,
) -> Result:
    lowered = text.casefold()
    numeric = None
    if "numeric" in grammar.forms:
        found = list(_NUMERIC.finditer(lowered))
        if len(found) > 1:
            return None
        if found:
            numeric = found[0]
            lowered = lowered[: numeric.start()] + f" {_PLACEHOLDER} " + lowered[numeric.end() :]
    tokens = _tokenize(lowered)
    if tokens is None:
        return None
    words = [t[1] for t in tokens if t[0] == "word"]
    for lang in _candidate_languages(words, language, grammar):
        parts = _interpret(tokens, lang, grammar, fuzzy=lang in (language, "en"))
        if parts is None:
            continue
        if numeric is not None and not _apply_numeric(parts, numeric, day_first):
            return None
        result = _finish(parts, text, reference, numeric is not None, lang if words else None)
        if result is not None or numeric is not None:
            return result
    return None


def _tokenize(text: str) -> list[tuple[str, Any]] | None:
    tokens: list[tuple[str, Any]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "suffix":
            kind = "number"
        if kind == "punct":
            continue
        if kind == "other":
            if m.group() == _PLACEHOLDER:
                tokens.append(("numeric", None))
                continue
            return None
        if kind == "number":
            tokens.append(("number", (m.group("number"), m.group("suffix"))))
        elif kind == "word":
            tokens.append(("word", word_key(m.group())))
        else:
            tokens.append((kind or "", m.group()))
    return tokens


def _candidate_languages(words: list[str], language: str | None, grammar: Grammar) -> list[str]:
    """The record's language first, then English, then every language knowing all words."""
    first = [lang for lang in (language, "en") if lang]
    if not words:
        return first[:1] or ["*"]
    index = grammar.index()
    universal = grammar.table("*")
    langs: set[str] | None = None
    for word in words:
        if word in universal:
            continue
        known = set(index.get(word, ())) | set(index.get(fold(word), ()))
        langs = known if langs is None else langs & known
    rest = [lang for lang in grammar.languages() if langs is None or lang in langs]
    return list(dict.fromkeys([*first, *rest]))


def _lookup(word: str, lang: str, grammar: Grammar, fuzzy: bool) -> tuple[str, Any] | None:
    for table in (grammar.table(lang), grammar.table("*")):
        entry = table.get(word) or table.get(fold(word))
        if entry is not None:
            return entry
    if fuzzy and len(word) >= 3:
        return _fuzzy(word, lang, grammar)
    return None


def _fuzzy(word: str, lang: str, grammar: Grammar) -> tuple[str, Any] | None:
    """Abbreviations CLDR does not list: a prefix (`sept`, `верес`, `понед`), a consonant
    skeleton (`пнд`, `mrz`), or an inflected weekday (`середу`); only when unique."""
    key = fold(word)
    names = grammar.names(lang)
    for test in (
        lambda n: n.startswith(key),
        lambda n: len(key) <= 5 and n[0] == key[0] and _subsequence(key, n),
        lambda n: len(key) >= 5 and n.startswith(key[:-1]),
    ):
        hits = {v for n, v in names if test(n)}
        if len(hits) == 1:
            return hits.pop()
        if hits:
            return None
    return None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _interpret(
    tokens: list[tuple[str, Any]], lang: str, grammar: Grammar, fuzzy: bool
) -> _Parts | None:
    parts = _Parts()
    pending_hour: int | None = None  # a bare number waiting for `pm`
    for kind, value in tokens:
        if kind == "word":
            entry = _lookup(value, lang, grammar, fuzzy)
            if entry is None:
                return None
            what, val = entry
            if what == "month":
                if parts.month is not None and parts.month != val:
                    return None
                parts.month = val
            elif what == "weekday":
                parts.weekday = val
            elif what == "meridiem":
                if val in ("noon", "midnight"):
                    if parts.hour is None:
                        parts.hour, parts.minute = (12 if val == "noon" else 0), 0
                    continue
                if parts.hour is None and pending_hour is not None:
                    parts.numbers.pop()
                    parts.hour, parts.minute = pending_hour, 0
                if parts.hour is None and parts.dottime is None:
                    return None
                parts.meridiem = val
            elif what == "zone":
                parts.offset = val
            elif what == "relative":
                parts.relative = val
            elif what == "ordinal":
                continue
            elif what != "skip":
                return None
            pending_hour = None
            continue
        pending_hour = None
        if kind == "number":
            digits, suffix = value
            ordinal = False
            if suffix:
                entry = _lookup(word_key(suffix.lstrip("-")), lang, grammar, fuzzy)
                if entry is None:
                    return None
                if entry[0] == "ordinal":
                    ordinal = True
                elif entry[0] == "meridiem" and len(digits) <= 2:
                    parts.hour, parts.minute, parts.meridiem = int(digits), 0, entry[1]
                    continue
                elif entry[0] == "month":  # `12-mär-2014`, `2015-кві-12`
                    parts.numbers.append((int(digits), len(digits), False))
                    if parts.month is not None and parts.month != entry[1]:
                        return None
                    parts.month = entry[1]
                    continue
                elif entry[0] != "skip":
                    return None
            parts.numbers.append((int(digits), len(digits), ordinal))
            if len(digits) <= 2 and not ordinal:
                pending_hour = int(digits)
        elif kind in ("time", "htime"):
            if parts.hour is not None and parts.meridiem is None:
                return None
            nums = re.findall(r"\d+", value)
            parts.hour, parts.minute = int(nums[0]), int(nums[1])
            if kind == "time" and len(nums) >= 3:
                parts.second = int(nums[2])
                parts.frac = nums[3] if len(nums) > 3 else None
        elif kind == "dottime":
            h, mi = value.split(".")
            if parts.dottime is not None:
                return None
            parts.dottime = (int(h), int(mi))
        elif kind == "offset":
            parts.offset = _offset(value)
        elif kind == "numeric":
            continue
    return parts


def _apply_numeric(parts: _Parts, m: re.Match[str], day_first: bool | None) -> bool:
    """Day, month and year from `28.01.2022`, `01/28/22`, `2022/01/28`, `26. 10.21`."""
    if parts.month is not None or parts.numbers:
        return False
    a, b, c = m.group(1), m.group(3), m.group(4)
    if len(a) == 4:
        if len(c) > 2:
            return False
        parts.year, parts.year_digits, parts.month, parts.day = int(a), 4, int(b), int(c)
        return True
    if len(c) not in (2, 4) or len(a) > 2:
        return False
    x, y = int(a), int(b)
    parts.year, parts.year_digits = int(c), len(c)
    if x > 12 and y > 12:
        return False
    if x > 12 or y > 12:
        first = x > 12
        parts.day_first = first
    elif x == y:
        first = True
    else:
        first = day_first if day_first is not None else True
        parts.ambiguous = True
        parts.day_first = first
    parts.day, parts.month = (x, y) if first else (y, x)
    if parts.ambiguous:
        parts.alternative = (parts.year, parts.day, parts.month)
    return True


def _full_year(year: int, digits: int) -> int:
    if digits > 2:
        return year
    return year + (1900 if year >= PIVOT else 2000)


def _finish(
    parts: _Parts, text: str, reference: date | datetime | None, had_numeric: bool, lang: str | None
) -> Result:
    # numbers around a month name: a 4-digit or > 31 one is the year, the other the day
    if not had_numeric:
        nums = parts.numbers
        if len(nums) > 2:
            return None
        years = [n for n in nums if (n[1] >= 3 or n[0] > 31) and not n[2]]
        days = [n for n in nums if n not in years]
        if len(years) > 1:
            return None
        if len(days) == 2 and not years:
            second = days[1]
            if second[2]:
                return None
            years, days = [second], [days[0]]
        if len(days) > 1:
            return None
        if years:
            parts.year, parts.year_digits = years[0][0], years[0][1]
        if days:
            parts.day = days[0][0]
    if parts.dottime is not None:
        if parts.hour is not None:
            return None
        parts.hour, parts.minute = parts.dottime
    if parts.hour is not None and parts.meridiem in ("am", "pm"):
        if not 1 <= parts.hour <= 12:
            return None
        parts.hour = parts.hour % 12 + (12 if parts.meridiem == "pm" else 0)
    if parts.hour is not None and not _valid_time(parts.hour, parts.minute, parts.second):
        return None
    if parts.offset and not _valid_offset(parts.offset):
        return None
    if parts.relative is not None:
        if parts.month is not None or parts.numbers:
            return None
        if reference is None:
            return NeedsReference("relative", text)
        base = _ref_date(reference) + timedelta(days=parts.relative)
        return _build(parts, base.year, base.month, base.day, "relative", lang)
    if parts.month is None:
        if parts.hour is not None and parts.year is None and parts.day is None:
            if reference is None:
                return NeedsReference("time", text)
            base = _ref_date(reference)
            return _build(parts, base.year, base.month, base.day, "relative", lang)
        return None
    if parts.year is None:
        if parts.day is None:
            return None
        if reference is None:
            return NeedsReference("yearless", text)
        base = _ref_date(reference)
        year = base.year
        if _valid_date(year, parts.month, parts.day) and date(year, parts.month, parts.day) > base:
            year -= 1
        return _build(parts, year, parts.month, parts.day, "relative", lang)
    year = _full_year(parts.year, parts.year_digits)
    form = "numeric" if had_numeric else "textual"
    if parts.day is None:
        if parts.hour is not None or parts.weekday is not None:
            return None
        return DateReading(f"{year:04d}-{parts.month:02d}", form, "month", language=lang)
    return _build(parts, year, parts.month, parts.day, form, lang)


def _build(parts: _Parts, year: int, month: int, day: int, form: str, lang: str | None) -> Result:
    if not _valid_date(year, month, day) or not 1 <= year <= 9999:
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    precision = "day"
    if parts.hour is not None:
        time, precision = _fmt_time(
            parts.hour, parts.minute, parts.second, parts.frac, parts.offset
        )
        iso += time
    mismatch = None
    real = date(year, month, day).weekday()
    if parts.weekday is not None and parts.weekday != real:
        mismatch = _WEEKDAYS_EN[real]
    alternative = None
    if parts.ambiguous and parts.alternative is not None:
        ay, am, ad = parts.alternative
        ay = _full_year(ay, parts.year_digits)
        if _valid_date(ay, am, ad):
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
    )


def _ref_date(reference: date | datetime) -> date:
    return reference.date() if isinstance(reference, datetime) else reference


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
    """CLDR names only (no rule-file words): for direct use and tests of this module."""
    return _DEFAULT


def grammar_from_words(entries: Iterable[tuple[str, str, str, Any]], **kwargs: Any) -> Grammar:
    """A grammar from (language, word, kind, value) entries."""
    grammar = Grammar(**kwargs)
    for lang, word, kind, value in entries:
        grammar.add(lang, word, kind, value)
    return grammar


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


_DEFAULT = Grammar()
