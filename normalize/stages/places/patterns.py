"""Regular expressions of rule data matched over a record's texts cheaply.

The patterns are written in lower case. Which rules' patterns match a text anywhere is one
pass of an RE2 set of all of them (`PatternSet`), case-insensitive (no lower-cased copy of
a big text is made); whether one covers a given mention is looked for in the lower-cased
window around it only, and only in a text where they match somewhere: RE2's binding
encodes all the text it is given at every call, so a call per mention over a 5 KB article
cost more than the rest of the stage (see bench/places_speed.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from normalize.regex_safety import RulePattern, compile_rule_pattern, translate

_NEAR = 80  # characters either side of a mention that its near patterns see
_LEADING_LITERAL = re.compile(r"^(?:\\b)?([a-z][a-z ]+)(.?)")


@dataclass(frozen=True)
class RecordPatterns:
    """One rule's patterns: all of them as one slot of the context's `PatternSet` (where
    they match anywhere), and by the plain text each begins with (`\\btexas\\b` where `texas`
    stands; patterns of one beginning are one regex) for the window around a mention."""

    slot: int  # its place in the context's `PatternSet`
    led: tuple[tuple[str, RulePattern], ...]  # (plain beginning, its patterns)
    others: tuple[RulePattern, ...]  # patterns with no plain beginning: scanned

    @classmethod
    def of(cls, patterns: Iterable[str], sources: list[str]) -> RecordPatterns | None:
        """The patterns, their alternation added to `sources` (the future `PatternSet`)."""
        patterns = list(patterns)
        if not patterns:
            return None
        by_literal: dict[str, list[str]] = {}
        others = []
        for pattern in patterns:
            lead = _LEADING_LITERAL.match(pattern)
            literal = lead.group(1) if lead else ""
            if lead and lead.group(2) in ("?", "*", "{"):
                literal = literal[:-1]  # `nikolaye?v`: the `e` may be absent
            if len(literal) >= 2:
                by_literal.setdefault(literal, []).append(pattern)
            else:
                others.append(compile_rule_pattern(pattern, ascii_boundaries=True))
        led = tuple(
            (literal, compile_rule_pattern(alternation(group), False, True))
            for literal, group in sorted(by_literal.items())
        )
        sources.append(alternation(patterns))
        return cls(len(sources) - 1, led, tuple(others))

    def over(self, text: str, start: int, end: int) -> bool:
        """Whether a match covers the mention at start:end, looked for in the lower-cased
        window around it (with one character beyond either side, for `\\b`)."""
        low, high = max(0, start - _NEAR), min(len(text), end + _NEAR)
        outer = max(0, low - 1)
        said = text[outer : high + 1]
        window = said.lower()
        if len(window) != len(said):
            return False  # lower-casing moved positions (`İ`): no reliable span
        low, high, start, end = low - outer, high - outer, start - outer, end - outer
        for literal, pattern in self.led:
            if window.startswith(literal, start):
                match = pattern.match(window, start, high)
                if match and match.end() > start:
                    return True
            elif literal in window[low:high] and _covers(pattern, window, low, high, start, end):
                return True
        return any(_covers(p, window, low, high, start, end) for p in self.others)


class PatternSet:
    """Which of several rule patterns (Python syntax, ASCII `\\b`, any letter case) match a
    text anywhere: one RE2 set, one pass over the text's UTF-8 bytes. Translated by the RE2
    door's `translate`; built on first use (a copy keeps the sources and builds again)."""

    def __init__(self, sources: Iterable[str]) -> None:
        self.sources = tuple(sources)
        self._set: Any = None

    def __reduce__(self) -> tuple[type[PatternSet], tuple[tuple[str, ...]]]:
        return (PatternSet, (self.sources,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PatternSet) and other.sources == self.sources

    def __hash__(self) -> int:
        return hash(self.sources)

    def matched(self, text: str) -> frozenset[int]:
        """The slots whose patterns match somewhere in `text`."""
        if not self.sources:
            return frozenset()
        if self._set is None:
            self._set = _compile_set(self.sources)
        found = self._set.Match(text.encode("utf-8", "surrogatepass"))
        return frozenset(found) if found else frozenset()


def _compile_set(sources: tuple[str, ...]) -> Any:
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    matcher = re2.Set.SearchSet(options)
    for source in sources:
        matcher.Add(translate(source, ascii_boundaries=True))
    matcher.Compile()
    return matcher


def alternation(patterns: list[str]) -> str:
    """Several patterns as one (each a group of its own)."""
    return "|".join(f"(?:{p})" for p in patterns)


def _covers(pattern: RulePattern, text: str, low: int, high: int, start: int, end: int) -> bool:
    return any(m.start() < end and m.end() > start for m in pattern.finditer(text, low, high))
