"""Ukrainian romanization by the national standard (Cabinet of Ministers resolution 55, 2010).

The table is rule data (`place-romanize` in rules/places/romanize_uk.yaml): letters, the
word-initial forms (`Є Ї Й Ю Я` → `Ye Yi Y Yu Ya`, elsewhere `ie i i iu ia`), letter pairs
(`зг` → `zgh`, so `Згурський` → `Zghurskyi`) and what is dropped (the soft sign, the
apostrophe). A letter's case carries over to what it becomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normalize.ruleset import RuleSet

_APOSTROPHES = "'’ʼ"


@dataclass(frozen=True)
class Romanizer:
    rule_id: str
    letters: dict[str, str]
    initial: dict[str, str]
    pairs: dict[str, str]
    drop: frozenset[str]

    def romanize(self, text: str, title: bool = False) -> str:
        """`text` in Latin letters; `title` capitalises each word (place names)."""
        out: list[str] = []
        at_start = True
        i = 0
        while i < len(text):
            char = text[i]
            low = char.lower()
            if low in self.drop:
                i += 1
                continue
            pair = text[i : i + 2].lower()
            if pair in self.pairs:
                latin, width = self.pairs[pair], 2
            elif at_start and low in self.initial:
                latin, width = self.initial[low], 1
            elif low in self.letters:
                latin, width = self.letters[low], 1
            else:
                latin, width = char, 1
            if char != low and latin:
                whole_word_upper = text[i : i + 2].isupper() and len(text[i : i + 2]) == 2
                latin = latin.upper() if whole_word_upper else latin[0].upper() + latin[1:]
            elif title and at_start and latin:
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
            at_start = not (char.isalpha() or char in _APOSTROPHES)
            i += width
        return "".join(out)


def build_romanizer(ruleset: RuleSet, language: str = "uk") -> Romanizer | None:
    for rule in ruleset.of_kind("place-romanize"):
        spec: Any = rule.spec
        if spec["language"] == language:
            return Romanizer(
                rule.id,
                {k.lower(): v for k, v in spec["letters"].items()},
                {k.lower(): v for k, v in spec.get("initial", {}).items()},
                {k.lower(): v for k, v in spec.get("pairs", {}).items()},
                frozenset(spec.get("drop", [])),
            )
    return None
