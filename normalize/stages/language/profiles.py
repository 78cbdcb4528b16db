"""langdetect's n-gram profiles as one model: each n-gram's cost for every language packed
in one integer (32 bits a language), so adding a word's evidence for 55 languages is a few
big-integer additions. Loaded once per process (from the persistent cache: milliseconds).

The model keeps langdetect's character normalization and smoothing; scoring is plain naive
Bayes over every 1-, 2- and 3-gram (deterministic, unlike langdetect's random sampling).
"""

from __future__ import annotations

import math
import struct
import threading
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normalize import profiles as langdetect_profiles

SCALE = 100  # fixed-point units per nat
LANE_BITS = 32
LANE_MASK = (1 << LANE_BITS) - 1
SMOOTHING = 0.5 / 10000  # langdetect's alpha / BASE_FREQ


class Model:
    """langdetect's profiles as packed integer costs per n-gram, summed per word.

    Lane `len(languages)` counts the known n-grams. An n-gram's packed cost is built from
    its sparse costs (the few profiles that list it) on first use; so is the packed sum of
    the n-grams each letter of a word completes (`Contexts`, bounded).
    """

    def __init__(self, data: ModelData) -> None:
        self.languages = data.languages
        self.table = PackedTable(data)
        self.chars = CharMap(data.chars)
        self.contexts = Contexts(self.table)
        self.unpack_format = f"<{len(self.languages) + 1}I"
        self.unpack_bytes = 4 * (len(self.languages) + 1)

    def unpack(self, total: int) -> tuple[int, ...]:
        """The per-language lanes of a packed sum (the last lane counts n-grams)."""
        return struct.unpack(self.unpack_format, total.to_bytes(self.unpack_bytes, "little"))

    def found(self, total: int) -> int:
        """How many known n-grams a packed sum holds (its last lane)."""
        return (total >> (LANE_BITS * len(self.languages))) & LANE_MASK

    def score(self, text: str) -> tuple[int, int]:
        """Sum of packed costs over the text's 1-, 2- and 3-grams, and how many were known."""
        total = self.packed(text)
        return total, self.found(total)

    def packed(self, text: str) -> int:
        """Sum of packed costs over raw text (normalized here, as langdetect does)."""
        words = text.translate(self.chars).split()
        if len(words) == 1:
            return self._word(words[0])
        return sum([self._word(word) for word in words])

    def _word(self, word: str) -> int:
        """A word's 1-, 2- and 3-grams, summed as one context per letter (see `Contexts`)."""
        if len(word) > 1 and word.isupper():  # like langdetect: skip all-capital words
            return 0
        contexts = self.contexts
        padded = f" {word} "
        return sum([contexts[padded[i - 1 : i + 2]] for i in range(1, len(padded) - 1)])


class Contexts(dict):
    """A letter with its neighbours in a space-padded word → the packed costs of the n-grams
    that letter completes: itself, the bigram ending in it, the trigram around it, and at
    the word's end the closing bigram too.

    Every 1-, 2- and 3-gram of a word is counted by exactly one of its letters' contexts,
    so a word costs one addition per letter instead of three; contexts recur across words
    far more than words do. Bounded: when full it starts over (a pure function's memo).
    """

    LIMIT = 60_000

    def __init__(self, table: PackedTable) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, context: str) -> int:
        table = self.table
        grams = [table[context[1]], table[context[:2]], table[context]]
        if context[2] == " ":  # the word's last letter: its closing bigram too
            grams.append(table[context[1:]])
        packed = sum([g for g in grams if g is not None])
        if len(self) >= self.LIMIT:
            self.clear()
        self[context] = packed
        return packed


@dataclass(frozen=True)
class ModelData:
    """langdetect's profiles reduced to what scoring needs, compact enough to load in
    milliseconds from the persistent cache.

    `grams` (sorted, joined by `sep`) lists every n-gram some profile knows; the costs of
    n-gram i (pairs of profile index and cost, `<Hi` each) are `costs[offsets[i]:offsets[i+1]]`.
    `chars[c]` is langdetect's normalization of code point c (a letter or a space) for the
    Basic Multilingual Plane, or NUL where langdetect must be asked.
    """

    languages: tuple[str, ...]
    sep: str
    grams: str
    costs: bytes
    offsets: bytes  # array("I")
    chars: str


class PackedTable(dict):
    """n-gram → packed costs for all languages, filled from the sparse costs on first use.

    A lane holds the n-gram's cost in that language's profile, or the smoothing floor when
    the profile does not list it; the last lane counts 1 per known n-gram. Unknown n-grams
    read as None (the first `UNKNOWN_LIMIT` of them are remembered as such).
    """

    UNKNOWN_LIMIT = 100_000

    def __init__(self, data: ModelData) -> None:
        super().__init__()
        from array import array

        self.grams = data.grams.split(data.sep) if data.grams else []
        self.costs = data.costs
        self.offsets = array("I")
        self.offsets.frombytes(data.offsets)
        lanes = len(data.languages)
        floor = floor_cost()
        self.floor = floor
        self.base = sum(floor << (LANE_BITS * i) for i in range(lanes)) + (1 << (LANE_BITS * lanes))
        self.base_bytes = self.base.to_bytes(4 * (lanes + 1), "little")
        self.unknown = 0  # unknown n-grams remembered as None

    def __missing__(self, gram: str) -> int | None:
        grams = self.grams
        index = bisect_left(grams, gram)
        if index == len(grams) or grams[index] != gram:
            if self.unknown < self.UNKNOWN_LIMIT:
                self.unknown += 1
                self[gram] = None
            return None
        costs = self.costs[self.offsets[index] : self.offsets[index + 1]]
        lanes = bytearray(self.base_bytes)
        try:
            for lane, cost in struct.iter_unpack("<Hi", costs):
                struct.pack_into("<I", lanes, 4 * lane, cost)
            packed = int.from_bytes(lanes, "little")
        except struct.error:  # a cost outside a lane's range: add it up lane by lane
            packed = self.base
            for lane, cost in struct.iter_unpack("<Hi", costs):
                packed += (cost - self.floor) << (LANE_BITS * lane)
        self[gram] = packed
        return packed


class CharMap(dict):
    """langdetect's character normalization, as a lazily filled `str.translate` table.

    Read from the precomputed `known` string (one character per BMP code point, NUL for
    unknown); langdetect itself is imported only for what that does not cover.
    """

    def __init__(self, known: str = "") -> None:
        super().__init__()
        self._known = known
        self._normalize: Any = None

    def __missing__(self, code: int) -> str:
        ch = self._known[code] if code < len(self._known) else "\0"
        if ch == "\0":
            ch = _normalized_char(code, self)
        self[code] = ch
        return ch


def _normalized_char(code: int, holder: Any) -> str:
    """langdetect's normalization of one code point; anything not a letter is a space."""
    if holder._normalize is None:
        from langdetect.utils.ngram import NGram

        holder._normalize = NGram.normalize
    ch = holder._normalize(chr(code))
    if not ch.isalpha():
        ch = " "
    return ch


_MODEL: list[Model] = []
_MODEL_LOCK = threading.Lock()


def profile_model() -> Model:
    if not _MODEL:
        with _MODEL_LOCK:
            if not _MODEL:
                _MODEL.append(load_model())
    return _MODEL[0]


def load_model() -> Model:
    """The model from langdetect's profiles (`normalize.profiles`, shared with the legacy
    code-page judge): read once, then kept in the persistent cache (keyed by the profile
    files' names, sizes and times) so start-up costs milliseconds."""
    from normalize import cache

    directory = profiles_dir()
    names = list(langdetect_profiles.names())
    key: list[Any] = ["langid.profiles", SCALE, LANE_BITS, SMOOTHING]
    key.append(cache.file_stamp(directory.parent / "utils" / "ngram.py"))
    key.append(cache.file_stamp(directory.parent / "utils" / "messages.properties"))
    key.extend(cache.file_stamp(directory / name) for name in names)
    data = cache.cached("langid", key, lambda: read_profiles(directory, tuple(names)))
    return Model(data)


def profiles_dir() -> Path:
    """langdetect's profile directory (`normalize.profiles`, shared with the legacy judge)."""
    return langdetect_profiles.directory()


def floor_cost() -> int:
    """The cost of an n-gram a profile does not list (smoothing alone)."""
    return round(-math.log(SMOOTHING) * SCALE)


def read_profiles(directory: Path, names: tuple[str, ...]) -> ModelData:
    """Each n-gram's cost in each profile that lists it, and langdetect's character map."""
    from array import array

    pairs: dict[str, list[int]] = {}
    for index, profile in enumerate(langdetect_profiles.load()):
        n_words = profile.n_words
        for gram, freq in profile.freq.items():
            if not 1 <= len(gram) <= 3 or not n_words[len(gram) - 1]:
                continue
            cost = round(-math.log(freq / n_words[len(gram) - 1] + SMOOTHING) * SCALE)
            pairs.setdefault(gram, []).extend((index, cost))
    grams = sorted(pairs)
    sep = next(c for c in ("\0", "\uffff", "\U0010ffff") if not any(c in g for g in grams))
    costs = bytearray()
    offsets = array("I", [0])
    for gram in grams:
        values = pairs[gram]
        costs += struct.pack("<" + "Hi" * (len(values) // 2), *values)
        offsets.append(len(costs))
    chars = CharMap()
    known = []
    for code in range(0x10000):
        try:
            known.append(_normalized_char(code, chars))
        except Exception:  # left to langdetect at run time
            known.append("\0")
    return ModelData(
        languages=names,
        sep=sep,
        grams=sep.join(grams),
        costs=bytes(costs),
        offsets=offsets.tobytes(),
        chars="".join(known),
    )
