"""Per whitespace-separated chunk, everything detection sums over a sample, computed once."""

from __future__ import annotations

import re

from normalize.stages.language.evidence import WORD_RE
from normalize.stages.language.lexicon import Lexicon, words_of
from normalize.stages.language.profiles import LANE_BITS, Model
from normalize.stages.language.scripts import SCRIPTS

_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DROP_ASCII = str.maketrans("", "", _ASCII_LETTERS)

# Per chunk: its packed n-gram costs with its letters per script in lanes above them; what
# dropping its ASCII letters takes off the costs; its clues for alphabet evidence (telling
# letters, alphabet words) as written and without ASCII letters; whether it holds letters
# (1), is a punctuation mark left alone (-1: the trace of a word lost upstream), or neither
# (0); its text; its words' packed lexicon costs, and what dropping its ASCII letters takes
# off them.
Chunk = tuple[int, int, str, tuple[str, ...], str, tuple[str, ...], int, str, int, int]

# Debris: a chunk with markup or code characters, a path (`/html/head`, two slashes), or
# letters joined by `.` or `:` (a URL, a domain, `og:title`) is no evidence of the language
# around it. One slash between words (`and/or`) is prose.
DEBRIS = re.compile(r"[\\@=<>{}\[\]|_]|://|^/|/.*/|[^\W\d_][.:][^\W\d_]")


class Chunks:
    """Everything detection sums over a sample, per whitespace-separated chunk of raw text.

    Whitespace maps to a space in langdetect's normalization, deletes in script counting,
    lower-cases to itself and ends every `\\w+` word, so each sum over a sample (n-gram
    costs, script letters, telling letters, alphabet words) is the sum over its chunks; a
    chunk's share is a pure function of the chunk, computed once and cached (bounded: when
    full, the cache starts over).
    """

    LIMIT = 50_000

    def __init__(
        self,
        model: Model,
        telling: frozenset[str],
        words: frozenset[str],
        lexicon: Lexicon | None = None,
    ) -> None:
        self.model = model
        self.lexicon = lexicon
        self.script_shift = self.script_shift_of(model)
        self.costs_mask = (1 << self.script_shift) - 1
        self.telling = telling
        self.words = words
        # per-chunk letter counts add up only for single letters that are not whitespace
        self.exact = all(len(ch) == 1 and not ch.isspace() for ch in telling)
        # lower-cased ASCII stays ASCII: such chunks have clues only if some clue is ASCII
        self.ascii_clues = any(ch.isascii() for ch in telling) or any(w.isascii() for w in words)
        # a chunk with none of these characters has no clues
        clue_chars = sorted(set(telling).union(*words))
        self.clue_chars = re.compile(
            "[" + "".join(map(re.escape, clue_chars)) + "]" if clue_chars else "(?!)"
        )
        self.cache: dict[str, Chunk] = {}

    def of(self, words: list[str]) -> list[Chunk]:
        """The chunks of a split sample, in order."""
        cache = self.cache
        try:
            return list(map(cache.__getitem__, words))
        except KeyError:  # some chunk is new
            get, build = cache.get, self._build
            return [get(word) or build(word) for word in words]

    @staticmethod
    def script_shift_of(model: Model) -> int:
        """Where the script-count lanes begin, above the costs and the n-gram count."""
        return LANE_BITS * (len(model.languages) + 1)

    def _build(self, chunk: str) -> Chunk:
        debris = DEBRIS.search(chunk) is not None
        entry = (*self._entry(chunk, debris), _kind(chunk), chunk, *self._words(chunk, debris))
        cache = self.cache
        if len(cache) >= self.LIMIT:
            cache.clear()
        cache[chunk] = entry
        return entry

    def _entry(
        self, chunk: str, debris: bool
    ) -> tuple[int, int, str, tuple[str, ...], str, tuple[str, ...]]:
        """A chunk's costs and clues (none for debris)."""
        if debris:
            return (0, 0, "", (), "", ())
        model = self.model
        packed = model.packed(chunk)
        value = packed + SCRIPTS.lanes(chunk, self.script_shift)
        if chunk.isascii():  # without its letters, ASCII is all spaces to langdetect
            if self.ascii_clues:
                clues = self._clues(chunk)
                entry = (value, packed, *clues, *self._clues(chunk.translate(DROP_ASCII)))
            else:
                entry = (value, packed, "", (), "", ())
        else:
            clues = self._clues(chunk)
            rest = _without_ascii_letters(chunk)
            if rest is None:
                entry = (value, 0, *clues, *clues)
            else:
                entry = (value, packed - model.packed(rest), *clues, *self._clues(rest))
        return entry

    def _words(self, chunk: str, debris: bool) -> tuple[int, int]:
        """The chunk's words' lexicon costs, and the share of its words with ASCII letters
        (none for debris, or without a lexicon)."""
        lexicon = self.lexicon
        if lexicon is None or debris:
            return 0, 0
        costs = lexicon.packed(words_of(chunk))
        if chunk.isascii():
            return costs, costs
        if not _ASCII_LETTER_RE.search(chunk):
            return costs, 0
        return costs, costs - lexicon.packed(words_of(chunk.translate(DROP_ASCII)))

    def _clues(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The telling letters and alphabet words of a text, lower-cased."""
        lower = text.lower()
        if not self.exact or not self.clue_chars.search(lower):
            return _NO_CLUES
        telling = self.telling
        letters = "".join([ch for ch in lower if ch in telling])
        words = self.words
        found = tuple([w for w in WORD_RE.findall(lower) if w in words]) if words else ()
        return letters, found


_NO_CLUES: tuple[str, tuple[str, ...]] = ("", ())
# Punctuation standing alone (` , `, ` . `, `«»`): prose puts it after a word, never alone;
# dashes stand alone in prose and are left out.
_ORPHAN = re.compile(r"[,.;:!?«»()\"'“”„]+")


def _kind(chunk: str) -> int:
    """1 for a chunk with letters, -1 for lone punctuation, else 0 (numbers, dashes)."""
    if any(ch.isalpha() for ch in chunk):
        return 1
    return -1 if _ORPHAN.fullmatch(chunk) else 0


_ASCII_LETTER_RE = re.compile("[A-Za-z]")


def _without_ascii_letters(text: str) -> str | None:
    """The text with ASCII letters deleted, or None when it has none."""
    return text.translate(DROP_ASCII) if _ASCII_LETTER_RE.search(text) else None
