"""RE2 over a large text: its UTF-8 made once, not on every call.

RE2 reads UTF-8, and the `re2` binding encodes the whole `str` (and counts its characters
up to the start position) on every call. A stage that tries a pattern at each of a text's
mentions (`pattern.match(text, at)`) then costs mentions × the text's size: a 1 MB English
field with a thousand place names took 24 s in the places stage alone. For a text of at
least `LARGE` characters, the pattern door (`regex_safety.RulePattern`) matches here
instead: the text is encoded once, with the byte offset of every `STEP`th character, so a
position costs at most `STEP` characters of counting. A text is encoded once it has had
`AFTER_CALLS` calls (a few scans of a field are left to the binding), and the last `KEPT`
texts are held (a stage alternates between a text and its lower-cased copy); `forget()`
drops them when a stage is done (`Normalizer` calls it), so none outlives its stage.
Spans, groups and the match objects are the binding's own (`re2._Match`), so results are
those of `re2` itself.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from typing import Any

import re2
from re2 import _re2

LARGE = 1 << 16  # characters; shorter texts go the binding's own way
STEP = 1024  # characters between two recorded byte offsets
KEPT = 2
AFTER_CALLS = 8  # a text is encoded on its eighth call: fewer cost no more than 8 scans
_NULL_SPAN = (-1, -1)


class Encoded:
    """A text's UTF-8 and the byte offset of every `STEP`th character."""

    __slots__ = ("ascii", "data", "marks", "text")

    def __init__(self, text: str, data: bytes | bytearray, marks: list[int] | None) -> None:
        self.text = text
        self.data = data
        self.marks = marks  # None: ASCII, a character is a byte
        self.ascii = marks is None

    @classmethod
    def of(cls, text: str) -> Encoded | None:
        """None when the text has a lone surrogate (the door's own way replaces them)."""
        if text.isascii():
            return cls(text, text.encode("ascii"), None)
        marks, data = [], bytearray()
        try:  # a piece at a time: `str.encode` makes room for 3 bytes a character first
            for i in range(0, len(text), STEP):
                marks.append(len(data))
                data += text[i : i + STEP].encode("utf-8")
        except UnicodeEncodeError:
            return None
        if len(text) % STEP == 0:
            marks.append(len(data))  # the end of the text is a mark too
        return cls(text, data, marks)

    def byte(self, char: int) -> int:
        if self.marks is None:
            return char
        base = self.marks[char // STEP]
        return base + _re2.CharLenToBytes(self.data, base, char % STEP)

    def char(self, byte: int) -> int:
        if self.marks is None:
            return byte
        index = bisect.bisect_right(self.marks, byte) - 1
        return index * STEP + _re2.BytesToCharLen(self.data, self.marks[index], byte)


_kept: list[Encoded] = []
_calls: dict[tuple[int, int], int] = {}  # (identity, length) of texts not kept → calls
_lock = threading.Lock()


def encoded(text: str) -> Encoded | None:
    """The text's encoding once it has had `AFTER_CALLS` calls (None: match it the
    binding's way). A text matched a few times (the scans of a field by a few rules) is
    never held: its calls are only counted, by identity, with no reference to it (a new
    text at a freed one's address is merely encoded a little early)."""
    with _lock:
        for entry in _kept:
            if entry.text is text:
                return entry
        key = (id(text), len(text))
        calls = _calls.get(key, 0) + 1
        if calls < AFTER_CALLS:
            if len(_calls) >= 8:
                _calls.clear()
            _calls[key] = calls
            return None
        _calls.pop(key, None)
    made = Encoded.of(text)
    if made is not None:
        with _lock:
            _kept.insert(0, made)
            del _kept[KEPT:]
    return made


def forget() -> None:
    """Drop the texts held (a stage is done)."""
    with _lock:
        _kept.clear()
        _calls.clear()


def matches(
    regexp: Any, anchor: Any, entry: Encoded, pos: int | None = None, endpos: int | None = None
) -> Iterator[Any]:
    """`re2._Regexp._match` over an encoded text: the same matches, the same objects."""
    text, data = entry.text, entry.data
    pos = 0 if pos is None else max(0, min(pos, len(text)))
    endpos = len(text) if endpos is None else max(0, min(endpos, len(text)))
    if pos > endpos:
        return
    at, end = entry.byte(pos), entry.byte(endpos)
    while True:
        spans = regexp._regexp.Match(anchor, data, at, end)
        if spans[0] == _NULL_SPAN:
            break
        found = [s if s == _NULL_SPAN else (entry.char(s[0]), entry.char(s[1])) for s in spans]
        yield re2._Match(regexp, text, pos, endpos, found)
        if at == end:
            break
        if at == spans[0][1]:  # an empty match: step over one character
            at += 1 if entry.ascii else _re2.CharLenToBytes(data, at, 1)
        else:
            at = spans[0][1]


ANCHORS = {
    "match": re2._Anchor.ANCHOR_START,
    "fullmatch": re2._Anchor.ANCHOR_BOTH,
    "search": re2._Anchor.UNANCHORED,
    "finditer": re2._Anchor.UNANCHORED,
}
