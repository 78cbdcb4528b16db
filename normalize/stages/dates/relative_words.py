"""The words of relative dates in one locale, from CLDR's `date_fields` through babel.

CLDR gives, for every unit, the phrases `yesterday`, `last month` (offsets), and the
patterns `{0} days ago`, `in {0} hours`, `vor {0} Tagen`, `{0}天前` in every plural form
and width. A pattern's words that recur across most units are the direction markers
(`ago`, `in`, `vor`, `назад`, `через`); what is left is the unit's word (`days`, `Tagen`,
`дня`). Scripts written without spaces (`{0}天前`) are split the same way, by the ending
most units share (`前`). What CLDR lacks comes from the rules (`date-words`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from normalize.stages.dates.locales import babel_locale, known_locale, script_family
from normalize.stages.dates.words import word_key

# a pattern without {0} is itself a count (`לפני יומיים`, he "two days ago")
_CATEGORY_COUNT = {"zero": 0, "one": 1, "two": 2}
# letters of scripts written without spaces between words
GLUED = "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
UNITS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")
WEEKDAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIRECTIONS = ("past", "future")

Meaning = tuple[Any, ...]  # ("unit", unit) ("mark", dir) ("phrase", unit, n) ("number", x)


@dataclass
class RelativeWords:
    """Piece of text → what it means, for one locale."""

    pieces: dict[str, Meaning] = field(default_factory=dict)

    def put(self, text: str, meaning: Meaning) -> None:
        key = " ".join(word_key(text).split())
        if not key:
            return
        old = self.pieces.get(key)
        if old is not None and {old[0], meaning[0]} == {"phrase", "unit"}:
            phrase, unit = (old, meaning) if old[0] == "phrase" else (meaning, old)
            self.pieces[key] = (*phrase[:3], unit[1])  # `ora`: now, or hours after a number
        elif old is None or _RANK[meaning[0]] > _RANK[old[0]]:
            self.pieces[key] = meaning


_RANK = {
    "filler": 0,
    "number": 1,
    "shift": 2,
    "mark": 3,
    "unit": 4,
    "stem": 5,  # a unit's word, also before a glued direction ending (`წუთ` of `წუთში`)
    "amount": 6,
    "phrase": 7,
}


@cache
def cldr_relative_words(lang: str) -> dict[str, Meaning]:
    """The locale's relative pieces, through the derived-data cache."""
    if not known_locale(lang):
        return {}
    from importlib.metadata import version

    from normalize import cache as derived

    return derived.cached(
        f"date-relative-{lang}", [lang, version("babel")], lambda: _from_babel(lang)
    )


def _from_babel(lang: str) -> dict[str, Meaning]:
    """The pieces of a language in each of its scripts; the main script wins a clash."""
    pieces: dict[str, Meaning] = {}
    for tag in reversed(script_family(lang)):
        pieces.update(_locale_pieces(tag))
    return pieces


def _locale_pieces(lang: str) -> dict[str, Meaning]:
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
    carried: dict[str, set[Any]] = {}  # unit words whose patterns have no direction word
    for direction in DIRECTIONS:
        _add_patterns(words, fields, direction, carried)
    for rest, readings in carried.items():
        if len(readings) == 1:
            ((unit, direction),) = readings
            words.put(rest, ("unit", unit, direction))
        else:
            words.put(rest, ("unit", min(readings)[0]))
    _add_durations(words, locale)
    _add_shifts(words, fields)
    return words.pieces


def _add_durations(words: RelativeWords, locale: Any) -> None:
    """The unit names CLDR counts durations with (`1 hodina`, `11 Monate`, `سنة`): the
    forms a list of units (`1 rok, 1 měsíc, 1 týden`) is written in."""
    try:
        patterns = locale._data["unit_patterns"]
    except KeyError:
        return
    for unit in (*UNITS, "decade"):
        for width in dict(patterns.get(f"duration-{unit}", {})).values():
            for category, text in dict(width).items():
                if category == "per" or not isinstance(text, str):
                    continue
                rest = text.replace("{0}", " ").strip()
                if "{0}" in text and rest and " " not in rest:
                    words.put(rest, ("unit", unit))


def _add_shifts(words: RelativeWords, fields: Any) -> None:
    """`last month`, `next week`: the word beside a known unit word shifts that unit, so
    `last` and `next` also go with the unit's other forms the rules add."""
    for name, width_fields in _fields_by_base(fields).items():
        if name not in UNITS:
            continue
        for entry in width_fields:
            for offset, text in dict(entry.get("relative", {})).items():
                parts = word_key(text).split()
                if offset == 0 or len(parts) != 2:
                    continue
                for index, part in enumerate(parts):
                    meaning = words.pieces.get(part)
                    if (
                        meaning is not None
                        and meaning[0] in ("unit", "stem")
                        and meaning[1] == name
                    ):
                        words.put(parts[1 - index], ("shift", int(offset)))


def _fields_by_base(fields: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for key in fields:
        base = key.split("-")[0]
        if base in UNITS or base in WEEKDAY_FIELDS:
            found.setdefault(base, []).append(fields[key])
    return found


def _add_patterns(
    words: RelativeWords, fields: Any, direction: str, carried: dict[str, set[Any]]
) -> None:
    """Markers: the words most units' patterns share; units: what is left of each."""
    patterns: list[tuple[str, list[str]]] = []  # (unit, words without {0})
    counted: list[tuple[str, str, int]] = []  # `לפני יומיים`: the plural form is the count
    for unit, width_fields in _fields_by_base(fields).items():
        if unit not in UNITS:
            continue
        for entry in width_fields:
            for category, text in dict(entry.get(direction, {})).items():
                bare = text.replace("({0})", "").strip()
                if "{0}" not in bare and category in _CATEGORY_COUNT:
                    counted.append((bare, unit, _CATEGORY_COUNT[category]))
                    continue
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
    for marker in set(glued.values()):
        words.put(marker, ("mark", direction))
    for _, pattern_words in patterns:
        for run in _runs(pattern_words, markers):
            words.put(run, ("mark", direction))
    for unit, pattern_words in patterns:
        rest = " ".join(w for w in pattern_words if w not in markers)
        if rest in glued:
            words.put(rest[: -len(glued[rest])], ("stem", unit))
        elif rest and rest == " ".join(pattern_words):
            carried.setdefault(rest, set()).add((unit, direction))  # `{0} տարուց`: no marker
        elif rest:
            words.put(rest, ("unit", unit))
    for text, unit, count in counted:
        rest = " ".join(w for w in text.split() if w not in markers)
        words.put(rest, ("amount", (count, unit)))
        for run in _runs(text.split(), markers):
            words.put(run, ("mark", direction))


def _runs(pattern_words: list[str], markers: set[str]) -> list[str]:
    """The marker words of a pattern as the phrases they form (`il y a`, `si wo va yi`)."""
    runs: list[list[str]] = [[]]
    for word in pattern_words:
        if word in markers:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def _glued_suffixes(
    patterns: list[tuple[str, list[str]]], markers: set[str], need: int
) -> dict[str, str]:
    """Endings that mark the direction inside the unit's word (`{0}天前`, `{0} წუთში`,
    `{0} दिवसांमध्ये`): shared by most units and by most of their forms; per unit word
    that ends with one, the longest."""
    rests = set()
    for unit, pattern_words in patterns:
        rest = [w for w in pattern_words if w not in markers]
        if len(rest) == 1:
            rests.add((unit, rest[0]))
    if not rests:
        return {}
    counts: Counter[str] = Counter()
    for suffix in {r[i:] for _, r in rests for i in range(1, len(r))}:
        counts[suffix] = len({unit for unit, r in rests if r.endswith(suffix)})
    shared = []
    for suffix, units in counts.items():
        forms = sum(r.endswith(suffix) for _, r in rests)
        long_enough = len(suffix) >= 2 or re.match(GLUED, suffix) is not None
        if units >= need and forms >= 0.7 * len(rests) and long_enough:
            shared.append(suffix)
    found: dict[str, str] = {}
    for _, word in rests:
        endings = [s for s in shared if word.endswith(s) and len(s) < len(word)]
        if endings:
            found[word] = max(endings, key=len)
    return found
