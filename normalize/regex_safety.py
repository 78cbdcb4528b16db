"""The one door for rule patterns: compiled with RE2, which cannot backtrack.

Rule files may come from untrusted repositories (a pre-commit hook), and Python's `re`
backtracks: `(a|aa)+$` takes exponential time. A checker that guesses which patterns are
dangerous always misses one, so every pattern a rule carries is compiled with RE2 (the
`google-re2` package), whose matching time is linear in the text. A construct RE2 does not
have (look-around, back references, possessive repeats) is refused at load time.

Patterns are written in Python's syntax and keep Python's Unicode meaning: `\\w`, `\\d` and
`\\s` match letters, digits and spaces of every script (RE2's own are ASCII), `\\uXXXX` and
`\\Z` work. `\\b` is refused: RE2's word boundary is ASCII-only, which would silently break
on Cyrillic (a kind may allow it, as RE2's ASCII boundary, with `KindSpec.ascii_boundaries`:
the place-context kinds, whose patterns are about Latin-letter words). `$` means the end of the text (Python also matches before a final newline).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import re2

from normalize import re2_large

# what Python's `\s` matches in a str pattern (str.isspace)
_SPACE = r"\t\n\x0b\f\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_WORD = r"\p{L}\p{N}_"
_OUTSIDE = {
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_INSIDE = {"d": r"\p{Nd}", "D": r"\P{Nd}", "w": _WORD, "s": _SPACE, "b": r"\x08"}
_HEX = {"x": 2, "u": 4, "U": 8}
_WHOLE = re2._Anchor.ANCHOR_BOTH
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_FOLDING = re2.Options()
_FOLDING.log_errors = False
_FOLDING.case_sensitive = False


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message says which construct and why."""


def translate(pattern: str, ascii_boundaries: bool = False) -> str:
    """A Python-syntax pattern in RE2's syntax, with Python's Unicode classes kept.

    `ascii_boundaries`: `\\b`/`\\B` are allowed and are RE2's (ASCII) word boundaries, for
    rule kinds whose patterns are about words in Latin letters (place-name context)."""
    out: list[str] = []
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\" and ascii_boundaries and pattern[i + 1 : i + 2] in ("b", "B"):
            piece, i = pattern[i : i + 2], i + 2
        elif char == "\\":
            piece, i = _escape(pattern, i, in_class=False)
        elif char == "[":
            piece, i = _char_class(pattern, i)
        elif char == "{" and re.match(r"\{,\d+\}", pattern[i : i + 12]):
            piece, i = "{0", i + 1  # Python's `{,n}` is `{0,n}`
        else:
            piece, i = char, i + 1
        out.append(piece)
    return "".join(out)


_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_WIDE = 16  # a repeat bound above this is widened by `widen_repeats`


def widen_repeats(pattern: str) -> str:
    """The pattern with each long counted repeat made open (`.{0,600}` → `.*`): it matches
    a superset of the lines, with a far smaller RE2 program (for prefilters that are then
    confirmed by the exact pattern)."""
    out: list[str] = []
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
            continue
        repeat = _REPEAT.match(pattern, i) if char == "{" else None
        if repeat is not None:
            low, comma, high = repeat.groups()
            top = (high or None) if comma else low
            if top is None or int(top) > _WIDE:
                out.append("*" if int(low or 0) == 0 else "+")
                i = repeat.end()
                continue
        out.append(char)
        i += 1
    return "".join(out)


_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+\)")


def required_text(pattern: str) -> str:
    """The longest run of plain characters in the pattern's top-level sequence: every match
    contains it, so a prefilter may look for it first (`"1920" in line`). A quantified
    character, an escape (but of punctuation), a class, a group, `.` and anchors end a run.
    '' when there is none or it cannot tell (an inline flag, a top-level `|`): always safe.
    """
    if _INLINE_FLAGS.search(pattern):
        return ""
    i, size, best, run = 0, len(pattern), "", ""
    while i < size:
        char = pattern[i]
        if char in "|)":
            return ""
        piece: str | None = None
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            piece = escaped if escaped and not escaped.isalnum() else None
            i += 2
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            i = _group_end(pattern, i)
            if i < 0:
                return ""
        else:
            piece = None if char in ".^$?*+" else char
            i += 1
        quantified = _quantifier_end(pattern, i)
        if quantified > i:
            piece, i = None, quantified
        run = run + piece if piece else ""
        best = max(best, run, key=len)
    return best


def _quantifier_end(pattern: str, i: int) -> int:
    """Past the quantifier at `i` (`?`, `*`, `+`, `{m,n}`, with `?` or `+`); else `i`."""
    if pattern.startswith(("?", "*", "+"), i):
        end = i + 1
    else:
        repeat = _REPEAT.match(pattern, i)
        if repeat is None:
            return i
        end = repeat.end()
    return end + 1 if pattern.startswith(("?", "+"), end) else end


def _group_end(pattern: str, i: int) -> int:
    """The index past the `)` that closes the group opened at `i`; -1 when none does."""
    depth, j = 0, i
    while j < len(pattern):
        char = pattern[j]
        if char == "\\":
            j += 2
            continue
        if char == "[":
            j = _class_end(pattern, j)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _class_end(pattern: str, i: int) -> int:
    """The index past the `]` that closes the class opened at `i` (the end when none)."""
    first = i + 2 if pattern.startswith("^", i + 1) else i + 1
    j = first
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "]" and j != first:
            return j + 1
        j += 1
    return len(pattern)


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """One `[…]`, from its `[` to past its `]`, translated."""
    negated = pattern.startswith("^", i + 1)
    first = i + 2 if negated else i + 1
    items: list[str] = []
    j = first
    while j < len(pattern):
        char = pattern[j]
        if char == "]" and j != first:  # a `]` first in a class is a literal
            return _class_text(items, negated), j + 1
        if char == "\\" and pattern[j + 1 : j + 2] in ("W", "S"):
            items.append("\\" + pattern[j + 1])
            j += 2
        elif char == "\\":
            piece, j = _escape(pattern, j, in_class=True)
            items.append(piece)
        else:
            items.append("\\[" if char == "[" else char)  # RE2 would read `[:alpha:]`
            j += 1
    raise PatternError("unterminated character class")


def _class_text(items: list[str], negated: bool) -> str:
    r"""`[…]` for RE2. `[^\W…]` (letters: `[^\W\d_]`) is written as the word class less
    the other items, which may be `\d`, `_` and characters that are not word characters."""
    if "\\S" in items or ("\\W" in items and not negated):
        raise PatternError("`\\W`/`\\S` inside a character class is supported only as `[^\\W…]`")
    if "\\W" not in items:
        return ("[^" if negated else "[") + "".join(items) + "]"
    rest = [item for item in items if item != "\\W"]
    digits = _INSIDE["d"] in rest
    underscore = "_" in rest
    others = [item for item in rest if item not in (_INSIDE["d"], "_")]
    if any(re.fullmatch(r"\w", item) for item in others if len(item) == 1) or any(
        len(item) > 1 for item in others
    ):
        raise PatternError("`[^\\W…]` may also hold only `\\d`, `_` and non-word characters")
    numbers = r"\p{Nl}\p{No}" if digits else r"\p{N}"
    return "[" + r"\p{L}" + numbers + ("" if underscore else "_") + "]"


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    following = pattern[i + 1 : i + 2]
    if not following:
        raise PatternError("a pattern cannot end with a backslash")
    table = _INSIDE if in_class else _OUTSIDE
    if following in table:
        return table[following], i + 2
    if following in "bB":
        raise PatternError(
            f"`\\{following}` (word boundary) is not supported: RE2's is ASCII-only; "
            "use a class such as [^\\w] or the start/end of the line"
        )
    if following in "123456789" and not in_class:
        raise PatternError("back references (\\1 …) are not supported")
    if following in _HEX:
        width = _HEX[following]
        digits = pattern[i + 2 : i + 2 + width]
        if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise PatternError(f"bad escape \\{following}{digits}")
        return f"\\x{{{digits}}}", i + 2 + width
    if following == "N" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 3)
        try:
            code = ord(unicodedata.lookup(pattern[i + 3 : end]))
        except KeyError:
            raise PatternError(f"unknown character name {pattern[i + 3 : end]!r}") from None
        return f"\\x{{{code:x}}}", end + 1
    return pattern[i : i + 2], i + 2


class RulePattern:
    """A compiled rule pattern with the part of `re.Pattern`'s interface the stages use."""

    __slots__ = ("_regexp", "ascii_boundaries", "flags", "pattern")

    def __init__(self, pattern: str, ignore_case: bool = False, ascii_boundaries: bool = False):
        self.pattern = pattern  # as written (Python syntax)
        self.flags = re.IGNORECASE if ignore_case else 0
        self.ascii_boundaries = ascii_boundaries
        options = _FOLDING if ignore_case else _OPTIONS
        try:
            self._regexp = re2.compile(translate(pattern, ascii_boundaries), options)
        except re2.error as exc:
            raise PatternError(_reason(exc)) from None

    def __reduce__(self) -> tuple[type[RulePattern], tuple[str, bool, bool]]:
        return (RulePattern, (self.pattern, bool(self.flags), self.ascii_boundaries))

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RulePattern) and (other.pattern, other.flags) == (
            self.pattern,
            self.flags,
        )

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self._regexp.groupindex  # type: ignore[no-any-return]

    def matches_whole(self, text: str) -> bool:
        """Whether all of `text` matches: no match object built (the fast path of prefilters;
        it uses the binding's RE2 object directly)."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = _without_surrogates(text).encode("utf-8")
        return self._regexp._regexp.Match(_WHOLE, data, 0, len(data))[0][0] != -1  # type: ignore[no-any-return]

    def search(self, text: str, pos: int = 0) -> Any:
        if len(text) >= re2_large.LARGE:
            return self._call("search", text, False, pos)
        try:
            return self._regexp.search(text, pos)
        except UnicodeEncodeError:
            return self._regexp.search(_without_surrogates(text), pos)

    def fullmatch(self, text: str) -> Any:
        return self._call("fullmatch", text)

    def match(self, text: str, *span: int) -> Any:
        """As `re.Pattern.match`, with an optional start and end position."""
        return self._call("match", text, False, *span)

    def finditer(self, text: str, *span: int) -> Iterator[Any]:
        return iter(self._call("finditer", text, True, *span))

    def _call(self, method: str, text: str, listed: bool = False, *span: int) -> Any:
        """RE2 reads UTF-8: a text with a lone surrogate (from a JSON `\\ud800`) is matched
        with U+FFFD in its place, one character for one, so that spans index the text."""
        if len(text) >= re2_large.LARGE:  # encoded once for all calls (see re2_large)
            entry = re2_large.encoded(text)
            if entry is not None:
                found = re2_large.matches(self._regexp, re2_large.ANCHORS[method], entry, *span)
                return list(found) if listed else next(found, None)
        try:
            found = getattr(self._regexp, method)(text, *span)
            return list(found) if listed else found
        except UnicodeEncodeError:
            found = getattr(self._regexp, method)(_without_surrogates(text), *span)
            return list(found) if listed else found

    def sub(self, replacement: str, text: str) -> str:
        """Replace each match with a literal text (spans from RE2, pieces from `text`)."""
        pieces, last = [], 0
        for match in self.finditer(text):
            start, end = match.span()
            pieces += [text[last:start], replacement]
            last = end
        return "".join([*pieces, text[last:]]) if pieces else text

    def split(self, text: str) -> list[str]:
        """The text between matches (no groups kept, unlike `re.split` with groups)."""
        pieces, last = [], 0
        for match in self.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            pieces.append(text[last:start])
            last = end
        pieces.append(text[last:])
        return pieces


def _without_surrogates(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _reason(exc: Exception) -> str:
    message = exc.args[0] if exc.args else exc
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"RE2 cannot run this pattern: {message}"


def compile_rule_pattern(
    pattern: str, ignore_case: bool = False, ascii_boundaries: bool = False
) -> RulePattern:
    """The one way a rule's pattern is compiled (PatternError when RE2 cannot run it)."""
    return RulePattern(pattern, ignore_case, ascii_boundaries)


def pattern_problem(
    pattern: str, ignore_case: bool = False, ascii_boundaries: bool = False
) -> str | None:
    """Why a rule pattern is refused, or None when it compiles."""
    try:
        compile_rule_pattern(pattern, ignore_case, ascii_boundaries)
    except PatternError as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    return None
