"""Word forms: a lexicon lists one form of a word, a page writes another.

A button says `Share`, `Shared`, `Sharing`; `Printen` where the lexicon has `print`;
`tercihlerini` (Turkish: your preferences) where it has `tercihler`. Listing every form
never ends, so a lexicon gives, as data, how its language inflects:

- `endings`: inflection endings. A word and a listed word are the same word when they are
  equal once an ending is taken off each (twice at most: an enclitic, then the verb
  ending, `suscríbete` → `suscrib`), with at least `min_root` letters left and accents
  set aside (`suscríb` = `suscrib`).
- `suffix_letters` (agglutinative languages): a word may be a listed word (of `min_root`
  letters or more) with up to this many letters added.

Stems written with `*` in the word lists still match any word that starts with them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

_ROUNDS = 2  # endings taken off one after the other, at most
_MAX_MEMO = 65536  # words whose answer a word set remembers; then it starts again


def fold(word: str) -> str:
    """Case-folded, with the Turkish `İ` folding to `i` (`casefold` leaves a combining dot)."""
    return word.casefold().replace("i\u0307", "i")


def plain(word: str) -> str:
    """The word without its accents (`suscríbete` → `suscribete`, `й` → `и`)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Morphology:
    """How one language's words inflect (see the module's docstring)."""

    endings: frozenset[str]
    ending_lengths: tuple[int, ...]  # longest first
    min_root: int
    suffix_letters: int

    @classmethod
    def of(cls, endings: list[str], min_root: int = 4, suffix_letters: int = 0) -> Morphology:
        folded = frozenset(plain(fold(e.strip())) for e in endings if e.strip())
        lengths = tuple(sorted({len(e) for e in folded}, reverse=True))
        return cls(folded, lengths, min_root, suffix_letters)

    @property
    def idle(self) -> bool:
        return not self.endings and not self.suffix_letters

    def roots(self, word: str) -> set[str]:
        """The word, accents set aside, and what is left of it once an ending is taken off,
        then another: every way (the longest ending is not always the one: `compártelo`
        → `comparte` → `compart`, not `compar`)."""
        found = {plain(word)}
        last = found
        for _round in range(_ROUNDS):
            last = {
                root[:-n]
                for root in last
                for n in self.ending_lengths
                if len(root) - n >= self.min_root and root[-n:] in self.endings
            }
            found |= last
        return found


@dataclass(frozen=True)
class WordSet:
    """Words matched whole, stems matched as the start of a word, and — with a language's
    morphology — other forms of the listed words (all case-folded)."""

    whole: frozenset[str]
    stems: frozenset[str]
    stem_lengths: tuple[int, ...]  # the lengths stems have: the only prefixes worth a look
    roots: frozenset[str]  # the listed words' roots (`Morphology.roots`)
    morphology: Morphology | None
    # word → answer: words repeat from line to line, and forms cost a few slices each
    memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, words: list[str], morphology: Morphology | None = None) -> WordSet:
        folded = [fold(w.strip()) for w in words]
        stems = frozenset(w[:-1] for w in folded if w.endswith("*") and len(w) > 1)
        whole = frozenset(w for w in folded if not w.endswith("*"))
        lengths = tuple(sorted({len(stem) for stem in stems}))
        if morphology is not None and morphology.idle:
            morphology = None
        roots: frozenset[str] = frozenset()
        if morphology is not None:
            roots = frozenset().union(
                *(morphology.roots(w) for w in whole if len(w) >= morphology.min_root)
            )
        return cls(whole, stems, lengths, roots, morphology)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        memo = self.memo
        found = memo.get(word)
        if found is None:
            if len(memo) >= _MAX_MEMO:
                memo.clear()
            found = memo[word] = self._holds(word)
        return found

    def _holds(self, word: str) -> bool:
        if word in self.whole:
            return True
        size = len(word)
        if self.stems and any(word[:n] in self.stems for n in self.stem_lengths if n <= size):
            return True
        morphology = self.morphology
        if morphology is None or size < morphology.min_root:
            return False
        if self.roots and not self.roots.isdisjoint(morphology.roots(word)):
            return True
        extra = morphology.suffix_letters
        low = max(morphology.min_root, size - extra)
        return extra > 0 and any(word[:n] in self.whole for n in range(low, size))

    def strings(self) -> list[str]:
        """Every word and stem (for a regex that finds lines that may hold one)."""
        return sorted(self.whole | self.stems)


@dataclass(frozen=True)
class Refusal:
    """Whether a word is in any of several word sets (every lexicon's UI words): a line
    with no such word is no button. Remembered per word."""

    sets: tuple[WordSet, ...]
    memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, sets: list[WordSet]) -> Refusal:
        return cls(tuple(sets))

    def may_hold(self, word: str) -> bool:
        memo = self.memo
        found = memo.get(word)
        if found is None:
            if len(memo) >= _MAX_MEMO:
                memo.clear()
            found = memo[word] = any(word in s for s in self.sets)
        return found
