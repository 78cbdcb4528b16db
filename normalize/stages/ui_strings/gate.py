"""Which lines a block may start at or a pattern may match: one cheap regex pass first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from normalize.regex_safety import (
    PatternError,
    RulePattern,
    compile_rule_pattern,
    required_text,
    widen_repeats,
)

if TYPE_CHECKING:
    from normalize.stages.ui_strings.scope import LineRule


@dataclass(frozen=True)
class Gate:
    """Which lines a block may start at or a pattern may match: a cheap superset.

    The first line of a match fullmatches one of a few head patterns (a pattern rule's own,
    a block's steps up to its first required one). They are combined into one alternation
    per required piece of text (`1920` for the trailers; most patterns need none).
    A line is a candidate when it holds the piece and fullmatches the alternation, so the
    regexes that scan a whole line (`.{0,600}?…`) run only where the piece is.
    """

    plain: RulePattern | None  # the heads that need no piece of text
    guarded: tuple[tuple[str, RulePattern], ...]  # (piece, heads that need it)

    def candidates(self, lines: list[str]) -> list[int]:
        """The indexes of the candidate lines, in order."""
        if not self.guarded and self.plain is not None:
            fullmatch = self.plain.matches_whole
            return [i for i, line in enumerate(lines) if fullmatch(line)]
        found: set[int] = set()
        if self.plain is not None:
            fullmatch = self.plain.matches_whole
            found.update(i for i, line in enumerate(lines) if fullmatch(line))
        for piece, pattern in self.guarded:
            fullmatch = pattern.matches_whole
            found.update(i for i, line in enumerate(lines) if piece in line and fullmatch(line))
        return sorted(found)


_MIN_PIECE = 3  # a shorter piece of text is not worth a pass of its own over the lines


def build_gate(blocks: tuple[LineRule, ...], patterns: tuple[LineRule, ...]) -> Gate | None:
    """The gate of these rules; None when a pattern cannot join an alternation."""
    heads: list[RulePattern] = [p.steps[0][0] for p in patterns]
    for block in blocks:
        for pattern, optional in block.steps:
            heads.append(pattern)
            if not optional:
                break
    groups: dict[str, list[str]] = {}
    for pattern in sorted(heads, key=lambda p: len(_required_text(p))):
        part = _alternative(pattern)
        if part is None:
            return None
        needed = _required_text(pattern)
        if len(needed) < _MIN_PIECE:
            needed = ""
        shared = next((piece for piece in groups if piece and piece in needed), needed)
        groups.setdefault(shared, []).append(part)
    try:
        compiled = {
            piece: compile_rule_pattern(widen_repeats("|".join(parts)))  # a superset: cheaper
            for piece, parts in groups.items()
        }
    except PatternError:
        return None
    plain = compiled.pop("", None)
    return Gate(plain, tuple(compiled.items()))


def _required_text(pattern: RulePattern) -> str:
    """Text every match contains ('' when case is ignored: `in` would miss other cases)."""
    return "" if pattern.flags & re.IGNORECASE else required_text(pattern.pattern)


def _alternative(pattern: RulePattern) -> str | None:
    """The pattern as a group that can sit beside others, or None when it cannot.

    Flags set inside the pattern and back references would change meaning in an alternation.
    """
    own_flags = pattern.flags
    source = _without_group_names(pattern.pattern)
    if source is None:
        return None
    try:  # an inline flag, e.g. `(?i)` at the start, applies to its group only in RE2
        compile_rule_pattern(f"(?:{source})")
    except PatternError:
        return None
    return f"(?{'i' if own_flags else ''}:{source})"


def _without_group_names(source: str) -> str | None:
    """`(?P<name>…)` → `(?:…)`, so patterns can share one regex; None for back references."""
    out: list[str] = []
    i, size, in_class = 0, len(source), False
    while i < size:
        char = source[i]
        if char == "\\":
            following = source[i + 1 : i + 2]
            if not in_class and following and following in "123456789":
                return None
            out.append(source[i : i + 2])
            i += 2
        elif in_class:
            in_class = char != "]"
            out.append(char)
            i += 1
        elif char == "[":
            in_class = True
            i += 1
            lead = "^" if source.startswith("^", i) else ""
            i += len(lead)
            if source.startswith("]", i):  # a `]` first in a class is a literal
                lead += "]"
                i += 1
            out.append("[" + lead)
        elif source.startswith("(?P<", i):
            end = source.find(">", i)
            if end < 0:
                return None
            out.append("(?:")
            i = end + 1
        elif source.startswith(("(?P=", "(?("), i):
            return None
        else:
            out.append(char)
            i += 1
    return "".join(out)
