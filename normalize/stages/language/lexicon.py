"""Word frequencies per language (wordfreq's word lists) as word evidence for detection.

Character n-grams cannot tell a single word apart from its neighbours' languages; the
word itself can: `hvala` is frequent in Croatian and absent from Slovene's list. Each word's
cost in a language is -ln of its frequency there (wordfreq's lists, 10^(-bucket/100)), or
the list's floor plus `absent` nats when the list does not hold it. A language without a
list gets, per word, the cheapest cost any list gives (no word evidence for or against it),
plus `unlisted` nats (a word a list holds is likelier in that language than in one nobody
listed), never more than `absent`; it is kept in the last lane (`neutral`).

The lists (inside wordfreq's wheel: offline; `large_*` down to the bucket `depth` where
wordfreq has one, else `small_*`, which stops at 10^-6) are read once and kept as
a compact table in the persistent cache: crc32 of each word (deterministic whatever the
hash seed), sorted, with (lane, bucket) pairs. A word's packed costs (32-bit lanes, like
the profile model's) are summed per chunk, so a field's word evidence is one addition per
chunk.
"""

from __future__ import annotations

import math
import re
import struct
import threading
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normalize.stages.language.profiles import SCALE
from normalize.stages.language.scripts import SCRIPTS

SMALL_FLOOR = 600  # wordfreq's small lists stop at bucket 600 (frequency 10^-6)
_PAIR = struct.Struct("<BH")  # lane, bucket
# a word: letters, digits and the combining marks Indic scripts write vowels with
# (Python's `\w` leaves those out: `हिन्दी` would fall apart)
_MARKS = "".join(
    chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
)
_WORD = re.compile(f"(?:[^\\W\\d_]|[{re.escape(_MARKS)}])+")


def words_of(text: str) -> list[str]:
    """The text's words as the word lists spell them: case-folded runs of letters."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True)
class LexiconData:
    """The word lists as sorted crc32 hashes, each with its (lane, bucket) pairs in
    `pairs[offsets[i]:offsets[i+1]]`."""

    languages: tuple[str, ...]
    floors: tuple[int, ...]  # per lane: the bucket its list stops at
    hashes: bytes  # array("I"), sorted, unique
    offsets: bytes  # array("I"), one more than hashes
    pairs: bytes


class Lexicon:
    """Word → packed costs per lexicon language (lane order of `languages`), plus the
    neutral lane (the cheapest of them) for languages without a list."""

    LIMIT = 100_000

    def __init__(
        self,
        data: LexiconData,
        weight: float,
        absent: float,
        unlisted: float,
        scripts: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.languages = data.languages
        self.lane = {lang: i for i, lang in enumerate(data.languages)}
        self.hashes = array("I")
        self.hashes.frombytes(data.hashes)
        self.offsets = array("I")
        self.offsets.frombytes(data.offsets)
        self.pairs = data.pairs
        self.unit = weight * SCALE * math.log(10) / 100  # fixed point per bucket
        # absent from a list: its floor's cost plus `absent` nats (a deeper list's silence
        # says more); a language without a list: as absent from a small list
        absent_at = lambda floor: round(weight * SCALE * (floor * math.log(10) / 100 + absent))  # noqa: E731
        self.absents = [absent_at(floor) for floor in data.floors]
        self.absent = absent_at(SMALL_FLOOR)
        self.unlisted = round(weight * SCALE * unlisted)
        # one neutral lane per script (the last for languages of no known script): a
        # Cyrillic word in the Russian list says nothing for Estonian, which has no list
        writes = scripts or {}
        self.neutral_scripts = sorted({s for listed in writes.values() for s in listed})
        n = len(data.languages)
        self.neutral_lane = {s: n + i for i, s in enumerate(self.neutral_scripts)}
        self.by_script: dict[str, list[int]] = {}
        for at, lang in enumerate(data.languages):
            for script in writes.get(lang, ()):
                self.by_script.setdefault(script, []).append(at)
        self.lane_of_unlisted = {
            lang: self.neutral_lane[listed[0]]
            for lang, listed in writes.items()
            if listed and lang not in self.lane
        }
        lanes = n + len(self.neutral_scripts) + 1
        self.unpack_format = f"<{lanes}I"
        self.memo: dict[str, int] = {}
        self.unknown = self._pack([*self.absents] + [self.absent] * (lanes - n))

    def word(self, word: str) -> int:
        """One case-folded word's packed costs (a word no list holds costs `absent` in
        every lane and in the neutral one: no evidence either way)."""
        memo = self.memo
        found = memo.get(word)
        if found is not None:
            return found
        key = zlib.crc32(word.encode("utf-8"))
        index = bisect_left(self.hashes, key)
        if index < len(self.hashes) and self.hashes[index] == key:
            costs = list(self.absents)
            start, end = self.offsets[index], self.offsets[index + 1]
            for lane, bucket in _PAIR.iter_unpack(self.pairs[start:end]):
                costs[lane] = min(costs[lane], round(bucket * self.unit))
            costs += self._neutral(word, costs)
            packed = self._pack(costs)
        else:
            packed = self.unknown  # every lane costs its `absent`, the neutral one too
        if len(memo) >= self.LIMIT:
            memo.clear()
        memo[word] = packed
        return packed

    def _neutral(self, word: str, costs: list[int]) -> list[int]:
        """The neutral lanes: for the word's script, the cheapest list writing it plus
        `unlisted` (never above `absent`); `absent` for every other script; the last lane
        judged among all lists."""
        marks = word[:1].translate(SCRIPTS)
        script = SCRIPTS.names.get(marks) if marks else None
        out = [self.absent] * len(self.neutral_scripts)
        lane = self.neutral_lane.get(script or "")
        if lane is not None:
            peers = [costs[i] for i in self.by_script.get(script or "", ())]
            if peers:
                out[lane - len(costs)] = min(min(peers) + self.unlisted, self.absent)
        out.append(min(min(costs) + self.unlisted, self.absent))
        return out

    def _pack(self, costs: list[int]) -> int:
        return int.from_bytes(struct.pack(self.unpack_format, *costs), "little")

    def packed(self, words: list[str]) -> int:
        return sum([self.word(w) for w in words])

    def unpack(self, total: int) -> tuple[int, ...]:
        width = 4 * (len(self.languages) + len(self.neutral_scripts) + 1)
        return struct.unpack(self.unpack_format, total.to_bytes(width, "little"))

    def add_costs(self, scores: dict[str, float], total: int) -> None:
        """Add a field's word costs (nats) to each language's score."""
        costs = self.unpack(total)
        lane, unlisted = self.lane, self.lane_of_unlisted
        for lang in scores:
            at = lane.get(lang)
            if at is None:
                at = unlisted.get(lang, -1)
            scores[lang] += costs[at] / SCALE


def wordfreq_dir() -> Path | None:
    """wordfreq's data directory, or None when wordfreq is not installed."""
    try:
        import wordfreq
    except ImportError:
        return None
    return Path(wordfreq.__file__).resolve().parent / "data"


def read_lists(
    directory: Path,
    lists: tuple[tuple[str, str, int], ...],
    transliterations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
) -> LexiconData:
    """The (language, wordfreq file, depth) lists as one table; a language with a
    transliteration also holds its words transliterated (Serbian Latin → Cyrillic)."""
    import gzip

    import msgpack

    languages = tuple(sorted({lang for lang, _, _ in lists}))
    lane = {lang: i for i, lang in enumerate(languages)}
    floors = [SMALL_FLOOR] * len(languages)
    spellings = dict(transliterations)
    entries: dict[int, dict[int, int]] = {}
    for lang, name, depth in sorted(lists):
        with gzip.open(directory / f"{name}.msgpack.gz") as fh:
            buckets = msgpack.load(fh, raw=False)[1 : depth + 1]
        floors[lane[lang]] = min(depth, len(buckets))
        table = spellings.get(lang)
        for bucket, words in enumerate(buckets):
            for word in words:
                forms = {word, _transliterate(word, table)} if table else {word}
                for form in forms:
                    slot = entries.setdefault(zlib.crc32(form.encode("utf-8")), {})
                    slot[lane[lang]] = min(slot.get(lane[lang], bucket), bucket)
    hashes, offsets, pairs = array("I"), array("I", [0]), bytearray()
    for key in sorted(entries):
        hashes.append(key)
        for at, bucket in sorted(entries[key].items()):
            pairs += _PAIR.pack(at, bucket)
        offsets.append(len(pairs))
    return LexiconData(languages, tuple(floors), hashes.tobytes(), offsets.tobytes(), bytes(pairs))


def _transliterate(word: str, table: tuple[tuple[str, str], ...]) -> str:
    """Longest match first (`lj` before `l`); letters the table lacks stay."""
    out, i = [], 0
    while i < len(word):
        for source, target in table:
            if word.startswith(source, i):
                out.append(target)
                i += len(source)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def lexicon_lists(
    listed: frozenset[str], names: Mapping[str, Any], directory: Path, depth: int
) -> tuple[tuple[str, str, int], ...]:
    """(language, wordfreq file, depth) for every listed language wordfreq has a list for:
    its own code, or the list `names` gives it (`tl: fil`, `hr: sh`); the large list down
    to bucket `depth` where there is one and `depth` reaches beyond the small list."""
    found = []
    for lang in sorted(listed):
        name = str(names.get(lang, lang))
        if depth > SMALL_FLOOR and (directory / f"large_{name}.msgpack.gz").is_file():
            found.append((lang, f"large_{name}", depth))
        elif (directory / f"small_{name}.msgpack.gz").is_file():
            found.append((lang, f"small_{name}", SMALL_FLOOR))
    return tuple(found)


_LOADED: dict[Any, LexiconData] = {}
_LOCK = threading.Lock()


def load_lexicon(
    lists: tuple[tuple[str, str, int], ...],
    transliterations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
) -> LexiconData | None:
    """The table for these lists, from the persistent cache (built on the first run)."""
    from normalize import cache

    directory = wordfreq_dir()
    if directory is None or not lists:
        return None
    key: list[Any] = ["langid.lexicon", SMALL_FLOOR, lists, transliterations]
    key.extend(cache.file_stamp(directory / f"{name}.msgpack.gz") for _, name, _ in lists)
    memo_key = tuple(map(str, key))
    with _LOCK:
        if memo_key not in _LOADED:
            _LOADED[memo_key] = cache.cached(
                "lexicon", key, lambda: read_lists(directory, lists, transliterations)
            )
        return _LOADED[memo_key]


__all__ = ["Lexicon", "LexiconData", "lexicon_lists", "load_lexicon", "wordfreq_dir"]
