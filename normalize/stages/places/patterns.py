"""Regular expressions of rule data matched over a whole text cheaply: behind plain-text finds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NEAR = 80  # characters either side of a mention that its near patterns see
_LEADING_LITERAL = re.compile(r"^(?:\\b)?([a-z][a-z ]+)(.?)")


@dataclass(frozen=True)
class RecordPatterns:
    """Patterns matched over a whole (lower-cased) text, each tried only where the plain text
    it begins with stands (`\\btexas\\b` where `texas` is; patterns of one beginning are one
    regex): a C-level `find` spares regex scans, which cost about a millisecond per pattern
    on a 5 KB article (see bench/places_speed.py)."""

    led: tuple[tuple[str, re.Pattern[str]], ...]  # (plain beginning, its patterns)
    others: tuple[re.Pattern[str], ...]  # patterns with no plain beginning: scanned

    @classmethod
    def of(cls, patterns: Iterable[str]) -> RecordPatterns | None:
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
                others.append(re.compile(pattern))
        if not by_literal and not others:
            return None
        led = tuple(
            (literal, re.compile("|".join(f"(?:{p})" for p in group)))
            for literal, group in sorted(by_literal.items())
        )
        return cls(led, tuple(others))

    def spans(self, lowered: str, first: bool = False) -> list[tuple[int, int]]:
        """Where the patterns match (only whether, with `first`)."""
        found: list[tuple[int, int]] = []
        for literal, pattern in self.led:
            at = lowered.find(literal)
            while at >= 0:
                match = pattern.match(lowered, at)
                if match:
                    found.append(match.span())
                    if first:
                        return found
                at = lowered.find(literal, at + 1)
        for pattern in self.others:
            for match in pattern.finditer(lowered):
                found.append(match.span())
                if first:
                    return found
        return found

    def search(self, lowered: str) -> bool:
        return bool(self.spans(lowered, first=True))

    def over(self, lowered: str, start: int, end: int) -> bool:
        """Whether a match covers the mention at start:end (looked for around it only)."""
        low, high = max(0, start - _NEAR), min(len(lowered), end + _NEAR)
        for literal, pattern in self.led:
            if lowered.startswith(literal, start):
                match = pattern.match(lowered, start, high)
                if match and match.end() > start:
                    return True
            elif literal in lowered[low:high] and _covers(pattern, lowered, low, high, start, end):
                return True
        return any(_covers(p, lowered, low, high, start, end) for p in self.others)


def _covers(pattern: re.Pattern[str], text: str, low: int, high: int, start: int, end: int) -> bool:
    return any(m.start() < end and m.end() > start for m in pattern.finditer(text, low, high))
