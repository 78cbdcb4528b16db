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
from normalize.stages.dates.words import fold, word_key

# letters of scripts written without spaces may follow a piece directly (`小时前`)
_GLUED = r"\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF"
_WORD_GOES_ON = re.compile(rf"[^\W\d_{_GLUED}]")
_CLOCK_OR_NUMBER = re.compile(r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)|(?P<number>\d+(?:[.,]\d+)?)")
_GAP = re.compile(r"[\s,;:()–—/]*")
_WORDS = re.compile(r"[\s,;:()–—/]+")


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


def relative_table(grammar: Grammar, lang: str) -> tuple[int, dict[str, Meaning]]:
    """The locale's pieces (CLDR's, the rules' on top) and the longest one's length."""
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
        found = cache[lang] = (max(map(len, pieces), default=0), pieces)
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


def relative_languages(key: str, grammar: Grammar) -> list[str]:
    """For text in an undeclared language: English, then the rules' locales that know one
    of its words (an index over their pieces, built once)."""
    index = grammar._relative.get("\x00index")
    if index is None:
        index = {}
        for lang in grammar.locales:
            for piece in relative_table(grammar, lang)[1]:
                for word in piece.split():
                    index.setdefault(word, []).append(lang)
        grammar._relative["\x00index"] = index
    found = [lang for word in _WORDS.split(key) for lang in index.get(word, ())]
    return list(dict.fromkeys(["en", *found]))


def says_relative(text: str, lang: str, grammar: Grammar) -> bool:
    """A cheap first check of which reader applies: a word of the text is one of the
    language's relative pieces (`назад`, `Tagen`, `ago`) and no name the general reader
    knows in the language, in English or in every language."""
    pieces = relative_table(grammar, lang)[1]
    tables = (grammar.table(lang), grammar.table("en"), grammar.table("*"))
    for word in _WORDS.split(word_key(text)):
        meaning = pieces.get(word)
        if meaning is None or meaning[0] in ("number", "filler", "period"):
            continue
        if not any(word in table or fold(word) in table for table in tables):
            return True
    return False


def relative_key(text: str) -> str:
    """The text as pieces are keyed: `word_key` but the dots of `10.75` kept, one space."""
    kept = _DECIMAL.sub("\x00", text)
    return " ".join(word_key(kept).replace("\x00", ".").split())


_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def read_relative(text: str, lang: str, grammar: Grammar) -> Relative | None:
    """What a text (`relative_key`) says as a relative date in `lang`, or None: the text
    cut into the locale's pieces, longest first, a piece ending where a word ends."""
    longest, pieces = relative_table(grammar, lang)
    tokens: list[tuple[Any, ...]] = []
    position = _GAP.match(text, 0).end()  # type: ignore[union-attr]
    while position < len(text):
        m = _CLOCK_OR_NUMBER.match(text, position)
        if m is not None:
            if m.lastgroup == "time":
                tokens.append(("time", tuple(int(x) for x in m.group().split(":")[:2])))
            else:
                tokens.append(("number", float(m.group().replace(",", "."))))
            end = m.end()
        else:
            end = _piece_end(text, position, longest, pieces)
            if end < 0:
                return None
            piece = text[position:end]
            meaning = pieces[piece]
            if meaning[0] == "stem":
                meaning = ("unit", meaning[1])
            tokens.append((*meaning, piece) if meaning[0] == "unit" else meaning)
        position = _GAP.match(text, end).end()  # type: ignore[union-attr]
    return _Interpreter(tokens).run()


def _piece_end(text: str, start: int, longest: int, pieces: dict[str, Meaning]) -> int:
    """Where the longest piece at `start` ends, or -1."""
    for end in range(min(len(text), start + longest), start, -1):
        meaning = pieces.get(text[start:end])
        if meaning is None:
            continue
        if meaning[0] == "stem" or not text[end - 1].isalnum() or end == len(text):
            return end
        if not _WORD_GOES_ON.match(text, end):
            return end
    return -1


class _Interpreter:
    """Walks the tokens once: counts go with the unit after them (or before, `siku 5`),
    `last`/`next` with their unit, a time of day with a day."""

    def __init__(self, tokens: list[tuple[Any, ...]]) -> None:
        self.tokens = tokens
        self.index = 0
        self.pending: float | None = None
        self.found = Relative()
        self.carried: set[str] = set()  # directions the unit words themselves carry

    def run(self) -> Relative | None:
        found = self.found
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            self.index += 1
            step = getattr(self, "_" + token[0], None)
            if step is None or not step(token):
                return None
        if self.pending is not None or found.shift is not None:
            return None
        if not (found.items or found.phrase):
            return None
        if found.direction is None and len(self.carried) == 1:
            found.direction = self.carried.pop()
        return found

    def _number(self, token: tuple[Any, ...]) -> bool:
        if self.pending is not None:
            return False
        self.pending = token[1]
        return True

    def _amount(self, token: tuple[Any, ...]) -> bool:
        count, unit = token[1]
        self.found.items.append((count if self.pending is None else self.pending, unit))
        self.pending = None
        return True

    def _unit(self, token: tuple[Any, ...]) -> bool:
        found, amount = self.found, self.pending
        tokens, index = self.tokens, self.index
        if amount is None and index < len(tokens) and tokens[index][0] == "number":
            follows = tokens[index + 1][0] if index + 1 < len(tokens) else None
            if follows != "unit":  # a unit written before its number (`siku 5`)
                amount = tokens[index][1]
                self.index += 1
        if amount is None and found.shift is not None:
            return self._set_phrase((token[1], found.shift))
        if amount is None and len(token[-1]) <= 2:
            return True  # a one- or two-letter unit (`a`, `h`) counts only after a number
        if len(token) == 4:
            self.carried.add(token[2])
        found.items.append((1.0 if amount is None else amount, token[1]))
        self.pending = None
        return True

    def _shift(self, token: tuple[Any, ...]) -> bool:
        found = self.found
        if self.pending is not None or found.shift is not None:
            return False
        if found.items and self.index >= 2 and self.tokens[self.index - 2][0] == "unit":
            return self._set_phrase((found.items.pop()[1], token[1]))  # `mjesec prošli`
        found.shift = token[1]
        return True

    def _set_phrase(self, phrase: tuple[str, Any]) -> bool:
        found = self.found
        if found.phrase is not None:
            return False
        found.phrase, found.shift = phrase, None
        return True

    def _mark(self, token: tuple[Any, ...]) -> bool:
        if self.found.direction not in (None, token[1]):
            return False
        self.found.direction = token[1]
        return True

    def _phrase(self, token: tuple[Any, ...]) -> bool:
        if self.pending is None:
            return self._set_phrase((token[1], token[2]))
        if len(token) == 4:  # `ora` after a number is hours, not `now`
            self.found.items.append((self.pending, token[3]))
        elif not _counted_phrase(self.found, token, self.pending):
            return False
        self.pending = None
        return True

    def _filler(self, token: tuple[Any, ...]) -> bool:
        return True

    def _time(self, token: tuple[Any, ...]) -> bool:
        if self.found.hour is not None:
            return False
        self.found.hour, self.found.minute = token[1]
        return True

    def _period(self, token: tuple[Any, ...]) -> bool:
        found, pending = self.found, self.pending
        if found.hour is None and pending is not None and pending == int(pending):
            found.hour, self.pending = int(pending), None
        found.period = token[1]
        return found.hour is not None


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
