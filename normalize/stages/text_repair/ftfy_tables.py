"""What ftfy's steps act on, read from ftfy's own tables (for the gate's proofs)."""

from __future__ import annotations

import re
from typing import Any


def cyrillic_pairs_unrepairable(chardata: Any) -> bool:
    """True when no single-byte encoding ftfy tries can re-decode two Cyrillic letters in a
    row as UTF-8: those that can write А-я write them as bytes 0xC0-0xFF, so two in a row are
    a UTF-8 lead byte without its continuation, which no repair of spaces, `?` or 0x1A bytes
    can mend."""
    return not any(
        chardata.possible_encoding(letter, encoding) and letter.encode(encoding)[0] < 0xC0
        for encoding in chardata.CHARMAP_ENCODINGS
        for letter in map(chr, range(0x410, 0x450))  # А-я, as _CYRILLIC_PAIR
    )


def fixer_triggers(chardata: Any) -> dict[str, set[str]]:
    """The characters each of ftfy's character fixes acts on (it changes no other line)."""
    return {
        "fix_c1_controls": {chr(i) for i in range(0x80, 0xA0)},
        "fix_latin_ligatures": {chr(i) for i in chardata.LIGATURES},
        "fix_character_width": {chr(i) for i in chardata.WIDTH_MAP},
        "uncurl_quotes": pattern_chars(chardata.SINGLE_QUOTE_RE.pattern)
        | pattern_chars(chardata.DOUBLE_QUOTE_RE.pattern),
        "fix_line_breaks": set("\r\u2028\u2029\x85"),
        "fix_surrogates": {chr(i) for i in range(0xD800, 0xE000)},
        "remove_terminal_escapes": {"\x1b"},
        "remove_control_chars": {chr(i) for i in chardata.CONTROL_CHARS},
    }


def char_class(chars: set[str]) -> re.Pattern[str]:
    if not chars:
        return re.compile(r"(?!x)x")
    ordered = sorted(chars)
    parts = []
    start = prev = ordered[0]
    for ch in ordered[1:]:
        if ord(ch) == ord(prev) + 1:
            prev = ch
            continue
        parts.append(range_of(start, prev))
        start = prev = ch
    parts.append(range_of(start, prev))
    return re.compile("[" + "".join(parts) + "]")


def range_of(first: str, last: str) -> str:
    def esc(c: str) -> str:
        return f"\\U{ord(c):08x}" if ord(c) > 0xFFFF else f"\\u{ord(c):04x}"

    return esc(first) if first == last else esc(first) + "-" + esc(last)


def pattern_chars(pattern: str) -> set[str]:
    """Non-ASCII characters a regex pattern mentions, ranges expanded (an over-approximation)."""
    chars = {c for c in pattern if ord(c) > 0x7F}
    for match in re.finditer(r"([^\x00-\x7f])-([^\x00-\x7f])", pattern):
        low, high = ord(match.group(1)), ord(match.group(2))
        if low <= high:
            chars.update(chr(i) for i in range(low, high + 1))
    return chars
