"""The words of relative dates in one locale, from CLDR's `date_fields` through babel.

CLDR gives, for every unit, the phrases `yesterday`, `last month` (offsets), and the
patterns `{0} days ago`, `in {0} hours`, `vor {0} Tagen`, `{0}天前` in every plural form
and width. A pattern's words that recur across most units are the direction markers
(`ago`, `in`, `vor`, `назад`, `через`); what is left is the unit's word (`days`, `Tagen`,
`дня`). Scripts written without spaces (`{0}天前`) are split the same way, by the ending
most units share (`前`). What CLDR lacks comes from the rules (`date-words`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from normalize.stages.dates.locales import babel_locale
from normalize.stages.dates.words import word_key

UNITS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")
WEEKDAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIRECTIONS = ("past", "future")

Meaning = tuple[Any, ...]  # ("unit", unit, dirs) ("mark", dir) ("phrase", unit, n) ("number", x)


@dataclass
class RelativeWords:
    """Piece of text → what it means, for one locale."""

    pieces: dict[str, Meaning] = field(default_factory=dict)

    def put(self, text: str, meaning: Meaning) -> None:
        key = " ".join(word_key(text).split())
        if not key:
            return
        old = self.pieces.get(key)
        if old is None or _RANK[meaning[0]] > _RANK[old[0]]:
            self.pieces[key] = meaning
        elif old[0] == meaning[0] == "unit" and old[1] == meaning[1]:
            self.pieces[key] = ("unit", old[1], old[2] | meaning[2])


_RANK = {"filler": 0, "number": 1, "mark": 2, "unit": 3, "amount": 4, "phrase": 5}


@cache
def cldr_relative_words(lang: str) -> dict[str, Meaning]:
    """The locale's relative pieces, through the derived-data cache."""
    from importlib.metadata import version

    from normalize import cache as derived

    return derived.cached(
        f"date-relative-{lang}", [lang, version("babel")], lambda: _from_babel(lang)
    )


def _from_babel(lang: str) -> dict[str, Meaning]:
    locale = babel_locale(lang)
    if locale is None:
        return {}
    try:
        fields = locale._data["date_fields"]
    except KeyError:
        return {}
    words = RelativeWords()
    for name, width_fields in _fields_by_base(fields).items():
        for entry in width_fields:
            for offset, text in dict(entry.get("relative", {})).items():
                if name in WEEKDAY_FIELDS:
                    words.put(text, ("phrase", "weekday", (WEEKDAY_FIELDS.index(name), offset)))
                else:
                    words.put(text, ("phrase", name, int(offset)))
    for direction in DIRECTIONS:
        _add_patterns(words, fields, direction)
    return words.pieces


def _fields_by_base(fields: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for key in fields:
        base = key.split("-")[0]
        if base in UNITS or base in WEEKDAY_FIELDS:
            found.setdefault(base, []).append(fields[key])
    return found


def _add_patterns(words: RelativeWords, fields: Any, direction: str) -> None:
    """Markers: the words most units' patterns share; units: what is left of each."""
    patterns: list[tuple[str, list[str]]] = []  # (unit, words without {0})
    for unit, width_fields in _fields_by_base(fields).items():
        if unit not in UNITS:
            continue
        for entry in width_fields:
            for text in dict(entry.get(direction, {})).values():
                split = text.replace("{0}", " {0} ").split()
                patterns.append((unit, [w for w in split if w != "{0}"]))
    units_of: dict[str, set[str]] = {}
    for unit, pattern_words in patterns:
        for word in pattern_words:
            units_of.setdefault(word, set()).add(unit)
    present = {unit for unit, _ in patterns}
    need = max(3, (len(present) + 1) // 2)
    markers = {w for w, units in units_of.items() if len(units) >= need}
    glued = _glued_suffixes(patterns, markers, need)
    for marker in markers | set(glued.values()):
        words.put(marker, ("mark", direction))
    for unit, pattern_words in patterns:
        rest = " ".join(w for w in pattern_words if w not in markers)
        if rest in glued:
            rest = rest[: -len(glued[rest])]
        if rest:
            words.put(rest, ("unit", unit, frozenset({direction})))


def _glued_suffixes(
    patterns: list[tuple[str, list[str]]], markers: set[str], need: int
) -> dict[str, str]:
    """For a direction with no marker word (`{0}天前`, `{0} दिवसांपूर्वी`): the ending most
    units share, per unit word that ends with it."""
    if markers:
        return {}
    rests = {(unit, " ".join(ws)) for unit, ws in patterns if ws and " " not in " ".join(ws)}
    counts: Counter[str] = Counter()
    for suffix in {r[i:] for _, r in rests for i in range(1, len(r))}:
        counts[suffix] = len({unit for unit, r in rests if r.endswith(suffix)})
    shared = [s for s, n in counts.items() if n >= need]
    found: dict[str, str] = {}
    for _, rest in rests:
        endings = [s for s in shared if rest.endswith(s) and len(s) < len(rest)]
        if endings:
            found[rest] = max(endings, key=len)
    return found
