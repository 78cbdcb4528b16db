"""The general reader: a small tokenizer and an interpreter of the tokens in one language.

Numbers, clock times, month and weekday names (CLDR, with abbreviations CLDR lacks found
by prefix or consonant skeleton), the rules' connecting words, day periods and zones.
No library reports what we need here: the precision the input had, whether the day/month
order was ambiguous, and which language's names matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from normalize.stages.dates.assemble import Parts, finish
from normalize.stages.dates.grammar import PHRASE_BASE, Grammar
from normalize.stages.dates.readings import Result, iso_offset
from normalize.stages.dates.words import fold, word_key

_NUMERIC = re.compile(
    r"(?<![\d:.,/-])(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,4})(?![\d:/-]|[.,]\d)\.?"
)
# a letter, or a mark that belongs to the letter before it (Indic vowel signs, Hebrew and
# Arabic points, combining accents NFKC could not compose: `ọjọ́`, `mɔ́ndɔ`, `मंगलवार`)
_LETTER = (
    r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    r"\u0670\u06d6-\u06ed\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
    r"\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
)
_TOKEN = re.compile(
    r"(?P<time>(?<![\d.])\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?![\d:]))"
    r"|(?P<htime>(?<![\d.])\d{1,2}\s?h\s?\d{2}(?:\s?min)?(?![\w]))"
    r"|(?P<dottime>(?<![\d.])\d{1,2}\.\d{2}(?![\d.]\d))"
    r"|(?P<offset>(?<=[\s(])[+-]\d{2}:?\d{2}(?!\d))"
    r"|(?P<tzname>(?<![\w/])[a-z]+/[a-z_]+(?:/[a-z_]+)?(?![\w/]))"
    rf"|(?P<number>\d+)(?P<suffix>-?{_LETTER}+)?"
    rf"|(?P<word>{_LETTER}+(?:[-.'’]{_LETTER}+)*\.?)"
    r"|(?P<punct>[,.;:/()\[\]|@–—\-\s'\"«»،]+)"
    r"|(?P<phrase>[\ue000-\uefff])"
    r"|(?P<other>.)"
)
_PLACEHOLDER = "\x00"


def read_general(
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
    plain = _tokenize(lowered, [])
    if plain is None and not grammar.phrases(language or "en")[0]:
        return None
    words = [t[1] for t in plain or () if t[0] == "word"]
    for lang in _candidate_languages(words, language, grammar):
        tokens = _with_phrases(lowered, lang, grammar) or plain
        if tokens is None:
            continue
        parts = _interpret(tokens, lang, grammar, fuzzy=lang in (language, "en"))
        if parts is None:
            continue
        if numeric is not None and not _apply_numeric(parts, numeric, day_first):
            return None
        result = finish(parts, text, reference, numeric is not None, lang if words else None)
        if result is not None or numeric is not None:
            return result
    return None


def _with_phrases(text: str, lang: str, grammar: Grammar) -> list[tuple[str, Any]] | None:
    """Tokens with the language's multi-word names (`по подне`) as one token each, or None
    when the text has none of them."""
    pattern, entries = grammar.phrases(lang)
    if pattern is None:
        return None
    found: list[Any] = []

    def one(m: re.Match[str]) -> str:
        found.append(entries[(m.lastindex or 1) - 1])
        return f" {chr(PHRASE_BASE + len(found) - 1)} "

    replaced = pattern.sub(one, text.replace("’", "'"))
    return _tokenize(replaced, found) if found else None


def _tokenize(text: str, phrases: list[Any]) -> list[tuple[str, Any]] | None:
    tokens: list[tuple[str, Any]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "suffix":
            kind = "number"
        if kind == "punct":
            continue
        if kind == "phrase":
            index = ord(m.group()) - PHRASE_BASE
            if index >= len(phrases):
                return None
            tokens.append(("entry", phrases[index]))
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


def _candidate_languages(words: list[str], language: str | None, grammar: Grammar) -> Iterator[str]:
    """The record's language first, then English, then every language knowing all words
    (looked up only when the first two have no reading: most dates stop at the first)."""
    first = [lang for lang in (language, "en") if lang]
    if not words:
        yield (first[:1] or ["*"])[0]
        return
    yield from first
    tried = set(first)
    for lang in _knowing_all(words, grammar):
        if lang not in tried:
            yield lang


def _knowing_all(words: list[str], grammar: Grammar) -> list[str]:
    index = grammar.index()
    universal = grammar.table("*")
    langs: set[str] | None = None
    for word in words:
        if word in universal:
            continue
        known = set(index.get(word, ())) | set(index.get(fold(word), ()))
        langs = known if langs is None else langs & known
    return [lang for lang in grammar.languages() if langs is None or lang in langs]


def _lookup(word: str, lang: str, grammar: Grammar, fuzzy: bool) -> tuple[str, Any] | None:
    for table in (grammar.table(lang), grammar.table("*")):
        entry = table.get(word) or table.get(fold(word))
        if entry is not None:
            return entry
    for prefix in grammar.prefixes(lang):  # a clitic written onto the word (he `בנובמבר`)
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            entry = _lookup(word[len(prefix) :], lang, grammar, fuzzy)
            if entry is not None and entry[0] in ("month", "weekday"):
                return entry
    if fuzzy and len(word) >= 3:
        return _fuzzy(word, lang, grammar)
    return None


def _fuzzy(word: str, lang: str, grammar: Grammar) -> tuple[str, Any] | None:
    """Abbreviations CLDR does not list: a prefix (`sept`, `верес`, `понед`), a consonant
    skeleton (`пнд`, `mrz`), or an inflected weekday (`середу`); only when unique.

    Every test needs the name's first letter, so only the names with it are looked at, and
    the answer is kept per language and word (tests/test_dates_speed.py holds the plain
    scan over all names it must agree with)."""
    key = fold(word)
    memo = grammar._fuzzy
    found = memo.get((lang, key), _UNSEEN)
    if found is _UNSEEN:
        if len(memo) >= _FUZZY_LIMIT:
            memo.clear()
        found = memo[(lang, key)] = _guess(key, grammar.names(lang).get(key[0], ()))
    return found  # type: ignore[no-any-return]


_UNSEEN = object()
_FUZZY_LIMIT = 4096


def _guess(key: str, names: Any) -> tuple[str, Any] | None:
    for test in (
        lambda n: n.startswith(key),
        lambda n: len(key) <= 5 and _subsequence(key, n),
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
) -> Parts | None:
    """The parts the tokens name in one language, or None when a token is not a date's."""
    parts = Parts()
    pending_hour: int | None = None  # a bare number waiting for `pm`
    for kind, value in tokens:
        if kind in ("word", "entry"):
            entry = value if kind == "entry" else _lookup(value, lang, grammar, fuzzy)
            if entry is None or not _word(parts, entry, pending_hour):
                return None
            pending_hour = None
        elif kind == "number":
            pending_hour = _number(parts, value, lang, grammar, fuzzy)
            if pending_hour == -1:
                return None
        else:
            pending_hour = None
            if not _clock(parts, kind, value):
                return None
    return parts


def _word(parts: Parts, entry: tuple[str, Any], pending_hour: int | None) -> bool:
    what, val = entry
    if what == "month":
        if parts.month is not None and parts.month != val:
            return False
        parts.month = val
    elif what == "weekday":
        parts.weekday = val
    elif what == "meridiem":
        if val in ("noon", "midnight"):
            if parts.hour is None:
                parts.hour, parts.minute = (12 if val == "noon" else 0), 0
            return True
        if parts.hour is None and pending_hour is not None:
            parts.numbers.pop()
            parts.hour, parts.minute = pending_hour, 0
        if parts.hour is None and parts.dottime is None:
            return False
        parts.meridiem = val
    elif what == "zone":
        parts.offset = val
    elif what not in ("ordinal", "skip"):
        return False
    return True


def _number(
    parts: Parts, value: tuple[str, str | None], lang: str, grammar: Grammar, fuzzy: bool
) -> int | None:
    """A number (with its suffix: `1st`, `5pm`, `12-mär`); the hour it may be for a
    following `pm`, None, or -1 when it cannot be part of a date."""
    digits, suffix = value
    ordinal = False
    if suffix:
        entry = _lookup(word_key(suffix.lstrip("-")), lang, grammar, fuzzy)
        if entry is None:
            return -1
        if entry[0] == "ordinal":
            ordinal = True
        elif entry[0] == "meridiem" and len(digits) <= 2:
            parts.hour, parts.minute, parts.meridiem = int(digits), 0, entry[1]
            return None
        elif entry[0] == "month":  # `12-mär-2014`, `2015-кві-12`
            parts.numbers.append((int(digits), len(digits), False))
            if parts.month is not None and parts.month != entry[1]:
                return -1
            parts.month = entry[1]
            return None
        elif entry[0] != "skip":
            return -1
    parts.numbers.append((int(digits), len(digits), ordinal))
    return int(digits) if len(digits) <= 2 and not ordinal else None


def _clock(parts: Parts, kind: str, value: str) -> bool:
    """Times (`14:05:09`, `14h05`, `5.45`), offsets and IANA zone names."""
    if kind in ("time", "htime"):
        if parts.hour is not None and parts.meridiem is None:
            return False
        nums = re.findall(r"\d+", value)
        parts.hour, parts.minute = int(nums[0]), int(nums[1])
        if kind == "time" and len(nums) >= 3:
            parts.second = int(nums[2])
    elif kind == "dottime":
        h, mi = value.split(".")
        if parts.dottime is not None:
            return False
        parts.dottime = (int(h), int(mi))
    elif kind == "offset":
        parts.offset = iso_offset(value)
    elif kind == "tzname":
        parts.zone_name = value
    return True


def _apply_numeric(parts: Parts, m: re.Match[str], day_first: bool | None) -> bool:
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
