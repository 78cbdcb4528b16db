"""Which writing system a piece of text is in: cheap, table-driven, no language model."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import cast

from normalize.memo import Lazy

# (script, regex of its letters); the first match of a character wins (they do not overlap:
# `dominant_script`'s byte shortcut counts every letter once)
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


_PIECE = 1 << 16  # characters of a large text looked at at a time (no copy of it whole)


def script_counts(text: str) -> Counter[str]:
    """Letters per script. (`findall` lists a string per letter: a large text is counted
    a piece at a time; each pattern is one letter, so the pieces add up.)"""
    counts: Counter[str] = Counter()
    for name, pattern in _SCRIPT_LETTERS:
        if len(text) <= _PIECE:
            found = len(pattern.findall(text))
        else:
            found = sum(len(pattern.findall(text, i, i + _PIECE)) for i in _starts(text))
        if found:
            counts[name] = found
    return counts


def _starts(text: str) -> range:
    return range(0, len(text), _PIECE)


def dominant_script(text: str, min_share: float = 0.0) -> str | None:
    """The script most letters are in, when it holds at least `min_share` of them."""
    settled = _settled_by_bytes(text, min_share)
    if settled is not _UNSETTLED:
        return cast("str | None", settled)
    return dominant_by_counting(text, min_share)


def dominant_by_counting(text: str, min_share: float = 0.0) -> str | None:
    """`dominant_script` by counting every script's letters (its reference and fallback)."""
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return None
    name, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return name if count / total >= min_share else None


_NONE = "o"  # a UTF-8 lead of characters that are no letter of any script
_FEW = 4  # a lead byte whose characters are one script's letters but for at most this many


def _build_utf8_leads() -> tuple[bytes, dict[str, tuple[bytes, ...]]]:
    """What the UTF-8 byte that starts a character tells, derived from `_SCRIPT_LETTERS`.

    For each lead of a 1- or 2-byte character (U+0000–U+07FF): `o` when no character it
    starts is a letter; the script's index (a digit) when they all are that script's letters
    but for a few that are no letters (listed, to be subtracted: `×` and `÷` among the
    Latin-1 letters); else `.`. (The scripts' letter sets do not overlap.)
    """
    chars = "".join(map(chr, range(0x800)))
    script_of: dict[str, int] = {}
    for index, (_, pattern) in enumerate(_SCRIPT_LETTERS):
        for char in pattern.findall(chars):
            if script_of.setdefault(char, index) != index:
                return b"." * 256, {}  # overlapping scripts: no shortcut
    table = bytearray(b"." * 256)
    others: dict[str, list[bytes]] = {}
    for lead in [*range(0x80), *range(0xC2, 0xE0)]:
        first = lead if lead < 0x80 else (lead & 0x1F) << 6
        block = [chr(c) for c in range(first, first + (1 if lead < 0x80 else 64))]
        found = {script_of[c] for c in block if c in script_of}
        rest = [c.encode() for c in block if c not in script_of]
        if not found:
            table[lead] = ord(_NONE)
        elif len(found) == 1 and len(rest) <= _FEW:
            mark = str(found.pop())
            table[lead] = ord(mark)
            others.setdefault(mark, []).extend(rest)
    return bytes(table), {mark: tuple(rest) for mark, rest in sorted(others.items())}


_utf8_leads = Lazy(_build_utf8_leads)
_UNSETTLED = object()


def _settled_by_bytes(text: str, min_share: float) -> object:
    """The answer of `dominant_script` when byte counts settle it, else `_UNSETTLED`.

    One `bytes.translate` of the UTF-8 text and a few counts (a regex scan per script
    costs ~100 µs on a 5 KB text) give, per script, a lower bound of its letters (those
    whose lead byte tells the script) and an upper bound of all letters (every character
    but those known to be none). A script whose lower bound reaches `min_share` of that
    bound has more than half of the letters when `min_share` > 0.5, so it is the one `max`
    picks, and the regexes need not run.
    """
    if min_share <= 0.5:
        return _UNSETTLED
    table, others = _utf8_leads()
    in_leads: Callable[[bytes], int]
    in_data: Callable[[bytes], int]
    if len(text) <= _PIECE:
        data = text.encode("utf-8", "surrogatepass")
        in_leads, in_data = data.translate(table).count, data.count
    else:
        in_leads, in_data = _counts_in_pieces(text, table, others)
    most = len(text) - in_leads(_NONE.encode())  # letters of all scripts, at most
    if most <= 0:
        return None
    for mark, rest in others.items():  # Latin first, then Cyrillic: the likeliest answers
        least = in_leads(mark.encode())
        if least / most >= min_share:
            least -= sum(map(in_data, rest))
            if least > 0 and least / most >= min_share:
                return _SCRIPT_LETTERS[int(mark)][0]
    return _UNSETTLED


def _counts_in_pieces(
    text: str, table: bytes, others: dict[str, tuple[bytes, ...]]
) -> tuple[Callable[[bytes], int], Callable[[bytes], int]]:
    """The counts `_settled_by_bytes` asks for, of a large text a piece of whole characters
    at a time (counts of lead bytes and of whole characters add up): no UTF-8 copy of it."""
    leads: Counter[bytes] = Counter()
    sequences: Counter[bytes] = Counter()
    for i in _starts(text):
        data = text[i : i + _PIECE].encode("utf-8", "surrogatepass")
        marks = data.translate(table)
        for mark in (_NONE, *others):
            leads[mark.encode()] += marks.count(mark.encode())
        for rest in others.values():
            for sequence in rest:
                sequences[sequence] += data.count(sequence)
    return leads.__getitem__, sequences.__getitem__
