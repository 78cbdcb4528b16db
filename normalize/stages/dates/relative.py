"""Relative dates: `2 часа назад`, `vor 3 Tagen`, `in 2 weeks`, `Вчера, 17:22`, `позавчера`,
`1 year, 2 months ago`, `today at 9 pm`, in every CLDR locale.

The text is cut into the locale's pieces (`relative_words` from CLDR, the rules' words on
top) by one pattern per locale, longest piece first; numbers, clock times and day periods
come from the general grammar. What the pieces say is a list of (amount, unit), a
direction, an offset phrase (`yesterday`, `last month`) and maybe a time of day;
`resolve` turns that into a date at the precision of the finest unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from normalize.stages.dates.grammar import Grammar
from normalize.stages.dates.relative_words import Meaning, cldr_relative_words
from normalize.stages.dates.words import word_key

# letters of scripts written without spaces may follow a piece directly (`小时前`)
_GLUED = r"\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF"
_BOUNDARY = rf"(?![^\W\d_{_GLUED}])"
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_GAP = re.compile(r"[\s,;:()–—/]*")


@dataclass
class Relative:
    """What a relative date says, before it is resolved against a reference."""

    items: list[tuple[float, str]] = field(default_factory=list)  # (amount, unit)
    direction: str | None = None  # past, future
    phrase: tuple[str, Any] | None = None  # (unit, offset) of `yesterday`, `last month`
    hour: int | None = None
    minute: int = 0
    period: Any = None  # a day period for the hour
    shift: int | None = None  # `last`, `next` waiting for its unit
    phrase_count: int = 0


def relative_table(grammar: Grammar, lang: str) -> tuple[re.Pattern[str], dict[str, Meaning]]:
    """The locale's pieces and one pattern that cuts a text into them (built once)."""
    cache = grammar._relative
    found = cache.get(lang)
    if found is None:
        pieces = dict(cldr_relative_words(lang)) if lang != "*" else {}
        for source in ("*", lang):
            for key, (kind, value) in grammar.relative_extra.get(source, {}).items():
                meaning = _rule_meaning(kind, value)
                if meaning is not None:
                    pieces[key] = meaning
        for key, (kind, value) in [*grammar.table(lang).items(), *grammar.table("*").items()]:
            if kind == "meridiem" and key not in pieces:
                pieces[key] = ("period", value)
            elif kind == "skip" and key not in pieces:
                pieces[key] = ("filler", None)
        words = sorted(pieces, key=lambda k: (-len(k), k))
        # a stem may be followed by its glued ending; every other piece ends a word
        alternatives = "|".join(
            re.escape(w) + ("" if pieces[w][0] == "stem" or not w[-1].isalnum() else _BOUNDARY)
            for w in words
        )
        pattern = re.compile(
            rf"(?P<time>{_TIME})|(?P<number>{_NUMBER})|(?P<piece>{alternatives or '(?!)'})"
        )
        found = cache[lang] = (pattern, pieces)
    return found


def _rule_meaning(kind: str, value: Any) -> Meaning | None:
    if kind == "rel-unit":
        return ("unit", value)
    if kind == "rel-mark":
        return ("mark", value)
    if kind == "shift":
        return ("shift", value)
    if kind == "rel-phrase":
        return ("phrase", value[0], value[1])
    if kind in ("number", "amount", "filler"):
        return (kind, value)
    if kind == "meridiem":
        return ("period", value)
    return None


def relative_key(text: str) -> str:
    """The text as pieces are keyed: `word_key` but the dots of `10.75` kept, one space."""
    kept = _DECIMAL.sub("\x00", text)
    return " ".join(word_key(kept).replace("\x00", ".").split())


_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def read_relative(text: str, lang: str, grammar: Grammar) -> Relative | None:
    """What a text (`relative_key`) says as a relative date in `lang`, or None."""
    pattern, pieces = relative_table(grammar, lang)
    tokens: list[tuple[str, Any]] = []
    position = _GAP.match(text, 0).end()  # type: ignore[union-attr]
    while position < len(text):
        m = pattern.match(text, position)
        if m is None:
            return None
        if m.lastgroup == "piece":
            meaning = pieces[m.group()]
            tokens.append(("unit", meaning[1]) if meaning[0] == "stem" else meaning)
        elif m.lastgroup == "time":
            tokens.append(("time", tuple(int(x) for x in m.group().split(":")[:2])))
        else:
            tokens.append(("number", float(m.group().replace(",", "."))))
        position = _GAP.match(text, m.end()).end()  # type: ignore[union-attr]
    return _interpret(tokens)


def _interpret(tokens: list[tuple[Any, ...]]) -> Relative | None:
    found = Relative()
    pending: float | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token[0]
        index += 1
        if kind == "number":
            if pending is not None:
                return None
            pending = token[1]
        elif kind == "amount":
            if pending is not None:
                return None
            amount, unit = token[1]
            found.items.append((float(amount), unit))
        elif kind == "unit":
            amount = pending
            if amount is None and index < len(tokens) and tokens[index][0] == "number":
                follows = tokens[index + 1][0] if index + 1 < len(tokens) else None
                if follows != "unit":  # a unit written before its number (`siku 5`)
                    amount = tokens[index][1]
                    index += 1
            if amount is None and found.shift is not None:
                found.phrase, found.shift = (token[1], found.shift), None
                if found.phrase_count > 0:
                    return None
                found.phrase_count += 1
                continue
            found.items.append((1.0 if amount is None else amount, token[1]))
            pending = None
        elif kind == "shift":
            if pending is not None or found.shift is not None:
                return None
            if found.items and index >= 2 and tokens[index - 2][0] == "unit":
                unit = found.items.pop()[1]  # the unit before its shift (`mjesec prošli`)
                found.phrase_count += 1
                found.phrase = (unit, token[1])
            else:
                found.shift = token[1]
        elif kind == "mark":
            if found.direction not in (None, token[1]):
                return None
            found.direction = token[1]
        elif kind == "phrase" and pending is not None:
            if not _counted_phrase(found, token, pending):
                return None
            pending = None
        elif kind == "phrase":
            if found.phrase is not None:
                return None
            found.phrase_count += 1
            found.phrase = (token[1], token[2])
        else:
            if not _clock(found, token, pending):
                return None
            if kind == "period":
                pending = None
    if pending is not None or found.shift is not None or not (found.items or found.phrase):
        return None
    return found


def _counted_phrase(found: Relative, token: tuple[Any, ...], count: float) -> bool:
    """A number before `last year` (id `4 tahun lalu`): 4 years in that direction."""
    unit, offset = token[1], token[2]
    if unit == "weekday" or offset not in (-1, 1):
        return False
    direction = "past" if offset < 0 else "future"
    if found.direction not in (None, direction):
        return False
    found.direction = direction
    found.items.append((count, unit))
    return True


def _clock(found: Relative, token: tuple[Any, ...], pending: float | None) -> bool:
    """A time of day (`17:22`, `9 pm`) or a filler word; False for anything else."""
    kind = token[0]
    if kind == "filler":
        return pending is None
    if kind == "time":
        if found.hour is not None:
            return False
        found.hour, found.minute = token[1]
        return True
    if kind == "period":
        if found.hour is None and pending is not None and pending == int(pending):
            found.hour = int(pending)
        found.period = token[1]
        return found.hour is not None
    return False
