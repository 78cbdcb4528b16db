"""Which writing system a piece of text is in: cheap, table-driven, no language model."""

from __future__ import annotations

import re
from collections import Counter

# (script, regex of its letters); the first match of a character wins
_SCRIPT_LETTERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Latn", re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")),
    ("Cyrl", re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")),
    ("Grek", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Armn", re.compile(r"[\u0531-\u058f]")),
    ("Hebr", re.compile(r"[\u05d0-\u05ea]")),
    ("Arab", re.compile(r"[\u0620-\u06ff\u0750-\u077f]")),
    ("Geor", re.compile(r"[\u10a0-\u10ff\u2d00-\u2d2f]")),
    ("Hani", re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")),
    ("Hang", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
)


def script_counts(text: str) -> Counter[str]:
    """Letters per script."""
    counts: Counter[str] = Counter()
    for name, pattern in _SCRIPT_LETTERS:
        found = len(pattern.findall(text))
        if found:
            counts[name] = found
    return counts


def dominant_script(text: str, min_share: float = 0.0) -> str | None:
    """The script most letters are in, when it holds at least `min_share` of them."""
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return None
    name, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return name if count / total >= min_share else None
