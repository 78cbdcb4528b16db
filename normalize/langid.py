"""Language identification: langdetect's profiles, scored deterministically and fast.

langdetect's own `detect` samples n-grams at random (so it needs a seed to repeat itself)
and costs milliseconds per article. We keep its model (the n-gram frequency profiles
shipped in `langdetect/profiles/`, with its character normalization and its smoothing)
but score it as plain naive Bayes over every n-gram of the first `max_chars` characters:
the same text gives the same answer in every process.

Speed comes from packing: each n-gram's cost (−log probability, fixed point) for all
languages is one Python integer with 32 bits per language, so adding an n-gram's evidence
for 55 languages is one big-integer addition. The total is unpacked once per text.

And from never doing the same work twice: everything a text sums (n-gram costs, letters
per script, the clues alphabets read) is summed per whitespace-separated chunk, and each
chunk's share is computed once per process (`_Chunks`); a new word costs one addition per
letter (`_Contexts`). These are bounded memos of pure functions: answers never depend on
what was detected before.

Close languages that share a script (ru/uk/be/bg/sr/mk/kk) get help from their alphabets:
a letter a language does not write costs that language `alphabet_penalty`; languages
without a langdetect profile (be, kk, sr) borrow a close language's profile (`proxies`).
Alphabets and thresholds are data (rules/languages.yaml), passed in as `DetectorSettings`.
"""

from __future__ import annotations

import math
import re
import struct
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from normalize import profiles as langdetect_profiles

SCALE = 100  # fixed-point units per nat
LANE_BITS = 32
LANE_MASK = (1 << LANE_BITS) - 1
SMOOTHING = 0.5 / 10000  # langdetect's alpha / BASE_FREQ

_WORD_RE = re.compile(r"\w+")
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DROP_ASCII = str.maketrans("", "", _ASCII_LETTERS)


@dataclass(frozen=True)
class Alphabet:
    """The letters a language writes in one script, for telling close languages apart."""

    language: str
    script: str
    letters: frozenset[str]
    proxies: tuple[str, ...] = ()  # profiles to borrow when the language has none
    words: frozenset[str] = frozenset()  # frequent words only this language writes
    rates: tuple[tuple[str, float], ...] = ()  # share of letters; absence is evidence against


@dataclass(frozen=True)
class DetectorSettings:
    """What decides detection besides the profiles; all of it comes from rule data."""

    max_chars: int = 600
    min_letters: int = 3
    min_confidence: float = 0.5
    temperature: float = 3.0
    alphabet_penalty: float = 6.0
    word_bonus: float = 2.0
    proxy_penalty: float = 0.1  # nats per letter for a language scored by a proxy profile
    priors: tuple[tuple[str, float], ...] = ()  # relative prior weights (default 1)
    alphabets: tuple[Alphabet, ...] = ()
    languages: tuple[str, ...] = ()  # restrict to these (empty: every profile)


@dataclass(frozen=True)
class Detection:
    """A detection result. `language` is None when the evidence is too thin (`reason`)."""

    language: str | None
    confidence: float
    best: str | None = None  # the top candidate even when it was not confident enough
    script: str | None = None
    letters: int = 0
    ngrams: int = 0
    reason: str = "ok"
    ranking: tuple[tuple[str, float], ...] = field(default=(), compare=False)


class Detector:
    """Detects languages with the given settings; the profile model loads once per process.

    Pickles as its settings alone and is safe to share across threads. Detection is a pure
    function of the first `max_chars` characters, so the caches below (per whitespace-separated
    chunk, and the last few samples: a record whose language changes is scored again) are
    bounded memos that never change an answer.
    """

    RECENT_LIMIT = 256

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._evidence = _Evidence.build(self.settings)
        self._log_priors = {lang: math.log(w) for lang, w in self.settings.priors if w > 0}
        self._lanes: tuple[tuple[int, str], ...] | None = None
        self._lane_groups: (
            tuple[tuple[tuple[str, int], ...], tuple[tuple[str, tuple[int, ...]], ...]] | None
        ) = None
        self._known: frozenset[str] | None = None
        # `_decide`'s cutoff (40 temperatures of nats) in fixed point, plus one unit
        reach = 40 * self.settings.temperature * SCALE
        self._margin = math.ceil(reach) + 1 if math.isfinite(reach) else None
        self._features: _Chunks | None = None
        self._recent: dict[str, Detection] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"Detector({self.settings!r})"

    def lanes(self) -> tuple[tuple[int, str], ...]:
        """(lane index, language tag) for every profile this detector uses."""
        if self._lanes is None:
            wanted = set(self.settings.languages)
            self._lanes = tuple(
                (index, _tag_of(name))
                for index, name in enumerate(_model().languages)
                if not wanted or _tag_of(name) in wanted
            )
        return self._lanes

    def known_languages(self) -> frozenset[str]:
        """Languages this detector can name: profiles plus alphabets with proxies."""
        if self._known is None:
            names = {tag for _, tag in self.lanes()}
            names.update(a.language for a in self.settings.alphabets if a.proxies)
            self._known = frozenset(names)
        return self._known

    def detect(self, text: str) -> Detection:
        """The language of a text, or None with a reason when the evidence is too thin."""
        sample = text[: self.settings.max_chars]
        recent = self._recent
        found = recent.get(sample)
        if found is None:
            found = self._detect(sample)
            if len(recent) >= self.RECENT_LIMIT:
                recent.clear()
            recent[sample] = found
        return found

    def _detect(self, sample: str) -> Detection:
        """Score one sample: sums over its chunks, then alphabet evidence, then the decision."""
        settings = self.settings
        features = self._features or self._build_features()
        words = sample.split()
        chunks = features.of(words)
        total = sum([chunk[0] for chunk in chunks])
        counts = _SCRIPTS.counts_of_lanes(total >> features.script_shift)
        letters = sum(counts.values())
        script = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None
        if letters < settings.min_letters:
            return Detection(None, 0.0, None, script, letters, 0, "too-few-letters")
        model = _model()
        latin = counts.get("Latn", 0)
        # like langdetect: drop Latin inside other scripts
        drop = latin * 2 < letters - latin
        if drop:
            total -= sum([chunk[1] for chunk in chunks if chunk[1]])
        total &= features.costs_mask
        found = model.found(total)
        costs = model.unpack(total) if found else ()
        if script is None or not self._evidence.covers(script):
            scores = self._near_scores(costs) if found else {}
        else:
            scores = self._scores(costs) if found else {}
            if features.exact:
                text = _SampleText.of_chunks(chunks, drop)
            else:
                text = _SampleText.of(sample.translate(_DROP_ASCII) if drop else sample)
            self._evidence.apply(scores, text, script, counts.get(script, 0), settings)
        if not scores:
            return Detection(None, 0.0, None, script, letters, found, "no-features")
        return self._decide(scores, script, letters, found)

    def _scores(self, costs: tuple[int, ...]) -> dict[str, float]:
        """Each language's cost in nats: its lane's, or its cheapest lane's (zh-cn, zh-tw)."""
        single, shared = self._lane_groups or self._group_lanes()
        scores = {tag: costs[index] / SCALE for tag, index in single}
        for tag, lanes in shared:
            scores[tag] = min([costs[index] / SCALE for index in lanes])
        return scores

    def _near_scores(self, costs: tuple[int, ...]) -> dict[str, float]:
        """Like `_scores`, but only the languages `_decide` can rank (within its cutoff of
        the best): when no alphabet evidence follows, the rest never matter."""
        margin = self._margin
        single, shared = self._lane_groups or self._group_lanes()
        if margin is None or not single:
            return self._scores(costs)
        # a whole unit above the cutoff in fixed point, so float rounding cannot matter
        limit = min([costs[index] for _, index in single]) + margin
        scores = {tag: costs[index] / SCALE for tag, index in single if costs[index] <= limit}
        for tag, lanes in shared:
            scores[tag] = min([costs[index] / SCALE for index in lanes])
        return scores

    def _group_lanes(
        self,
    ) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, tuple[int, ...]], ...]]:
        """Lanes by language tag: tags with one lane, and tags sharing several (zh)."""
        groups: dict[str, list[int]] = {}
        for index, tag in self.lanes():
            groups.setdefault(tag, []).append(index)
        self._lane_groups = (
            tuple((tag, lanes[0]) for tag, lanes in groups.items() if len(lanes) == 1),
            tuple((tag, tuple(lanes)) for tag, lanes in groups.items() if len(lanes) > 1),
        )
        return self._lane_groups

    def _decide(
        self, scores: dict[str, float], script: str | None, letters: int, found: int
    ) -> Detection:
        """Posterior ∝ prior × likelihood^(1/temperature): n-grams overlap, so the raw
        naive-Bayes likelihood is far too sure of itself."""
        settings = self.settings
        temperature = settings.temperature
        priors = self._log_priors
        floor = min(scores.values())
        cutoff = floor + 40 * temperature  # the rest would weigh < e^-30
        ranking = sorted(
            [
                ((cost - floor) / temperature - priors.get(lang, 0.0), lang)
                for lang, cost in scores.items()
                if cost <= cutoff
            ]
        )
        top_score = ranking[0][0]
        weights = [math.exp(top_score - score) for score, _ in ranking]
        norm = math.fsum(weights)
        best = ranking[0][1]
        confidence = round(weights[0] / norm, 3)
        shown = zip(ranking[:5], weights[:5], strict=True)
        top = tuple((lang, round(w / norm, 3)) for (_, lang), w in shown)
        if confidence < settings.min_confidence:
            return Detection(None, confidence, best, script, letters, found, "low-confidence", top)
        return Detection(best, confidence, best, script, letters, found, "ok", top)

    def _build_features(self) -> _Chunks:
        """The chunk cache, made on first use (it needs the model, loaded lazily)."""
        self._features = _Chunks(_model(), self._evidence.telling, self._evidence.words)
        return self._features


def detect(text: str, detector: Detector | None = None) -> Detection:
    """Detect with the given detector, or with the default rules' settings."""
    if detector is None:
        from normalize.stages.language import default_detector

        detector = default_detector()
    return detector.detect(text)


def _tag_of(profile_name: str) -> str:
    """langdetect names profiles `zh-cn`/`zh-tw`; our answer is the language subtag."""
    return profile_name.split("-", 1)[0]


@dataclass(frozen=True)
class _Evidence:
    """Alphabet evidence compiled from the settings, per script."""

    by_script: tuple[tuple[str, tuple[str, ...], tuple[Alphabet, ...]], ...] = ()
    telling: frozenset[str] = frozenset()  # every script's telling letters
    words: frozenset[str] = frozenset()  # every alphabet's words
    # per script, per alphabet: the telling letters the alphabet does not write
    foreign: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @classmethod
    def build(cls, settings: DetectorSettings) -> _Evidence:
        scripts: dict[str, list[Alphabet]] = {}
        for alphabet in settings.alphabets:
            scripts.setdefault(alphabet.script, []).append(alphabet)
        out = []
        for script in sorted(scripts):
            alphabets = scripts[script]
            union = frozenset().union(*(a.letters for a in alphabets))
            common = frozenset.intersection(*(a.letters for a in alphabets))
            rated = {ch for a in alphabets for ch, _ in a.rates}
            telling = tuple(sorted((union - common) | rated))  # letters that tell them apart
            out.append((script, telling, tuple(alphabets)))
        every = frozenset(ch for _, telling, _ in out for ch in telling)
        words = frozenset(w for a in settings.alphabets for w in a.words)
        foreign = tuple(
            tuple(tuple(ch for ch in telling if ch not in a.letters) for a in alphabets)
            for _, telling, alphabets in out
        )
        return cls(tuple(out), every, words, foreign)

    def covers(self, script: str) -> bool:
        """Whether any alphabet speaks to text in this script."""
        return any(name == script for name, _, _ in self.by_script)

    def apply(
        self,
        scores: dict[str, float],
        text: _SampleText,
        script: str,
        script_letters: int,
        settings: DetectorSettings,
    ) -> None:
        """Add letter and word evidence (in nats, scaled to survive the temperature)."""
        scale = settings.temperature
        for (name, telling, alphabets), foreign_letters in zip(
            self.by_script, self.foreign, strict=True
        ):
            if name != script:
                continue
            profiles = dict(scores)  # proxies borrow a profile's score before its evidence
            letters = text.letters
            seen = {ch: n for ch in telling if (n := letters.count(ch))}
            for alphabet, foreign_to_it in zip(alphabets, foreign_letters, strict=True):
                lang = alphabet.language
                evidence = 0.0
                if lang not in scores:
                    borrowed = [profiles[p] for p in alphabet.proxies if p in profiles]
                    if not borrowed:
                        continue
                    # a borrowed profile fits worse than the language's own would
                    scores[lang] = min(borrowed)
                    evidence += settings.proxy_penalty * script_letters
                foreign = sum([seen[ch] for ch in foreign_to_it if ch in seen])
                evidence += foreign * settings.alphabet_penalty
                # Poisson: a letter the language writes often, never seen, counts against it
                evidence += sum([r for ch, r in alphabet.rates if ch not in seen]) * script_letters
                if alphabet.words:
                    words = text.word_counts()
                    found = sum([words[w] for w in alphabet.words if w in words])
                    evidence -= settings.word_bonus * found
                scores[lang] += evidence * scale


class _SampleText:
    """What alphabet evidence reads from the lower-cased sample: letter and word counts.

    `letters` is any text in which `count(letter)` gives the sample's count of each telling
    letter: the lower-cased sample itself, or just its telling letters gathered per chunk.
    """

    __slots__ = ("_lower", "_tokens", "_words", "letters")

    def __init__(self, letters: str, tokens: list[str] | None, lower: str = "") -> None:
        self.letters = letters
        self._tokens = tokens
        self._lower = lower
        self._words: Counter[str] | None = None

    @classmethod
    def of(cls, sample: str) -> _SampleText:
        """Read a whole sample (for alphabets the per-chunk summary cannot serve)."""
        lower = sample.lower()
        return cls(lower, None, lower)

    @classmethod
    def of_chunks(cls, chunks: list[_Chunk], drop: bool) -> _SampleText:
        """Read the clues of a sample's chunks (as written, or without ASCII letters)."""
        at = 4 if drop else 2
        letters = "".join([cast(str, chunk[at]) for chunk in chunks])
        found = [cast(tuple[str, ...], chunk[at + 1]) for chunk in chunks if chunk[at + 1]]
        return cls(letters, [word for words in found for word in words])

    def word_counts(self) -> Counter[str]:
        """Counts of the sample's words (from clues: only the alphabets' words)."""
        if self._words is None:
            tokens = self._tokens
            self._words = Counter(_WORD_RE.findall(self._lower) if tokens is None else tokens)
        return self._words


# Per chunk: its packed n-gram costs with its letters per script in lanes above them; what
# dropping its ASCII letters takes off the costs; its clues for alphabet evidence (telling
# letters, alphabet words) as written and without ASCII letters.
_Chunk = tuple[int, int, str, tuple[str, ...], str, tuple[str, ...]]


class _Chunks:
    """Everything detection sums over a sample, per whitespace-separated chunk of raw text.

    Whitespace maps to a space in langdetect's normalization, deletes in script counting,
    lower-cases to itself and ends every `\\w+` word, so each sum over a sample (n-gram
    costs, script letters, telling letters, alphabet words) is the sum over its chunks; a
    chunk's share is a pure function of the chunk, computed once and cached (bounded: when
    full, the cache starts over).
    """

    LIMIT = 50_000

    def __init__(self, model: _Model, telling: frozenset[str], words: frozenset[str]) -> None:
        self.model = model
        self.script_shift = LANE_BITS * (len(model.languages) + 1)
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
        self.cache: dict[str, _Chunk] = {}

    def of(self, words: list[str]) -> list[_Chunk]:
        """The chunks of a split sample, in order."""
        cache = self.cache
        try:
            return list(map(cache.__getitem__, words))
        except KeyError:  # some chunk is new
            get, build = cache.get, self._build
            return [get(word) or build(word) for word in words]

    def _build(self, chunk: str) -> _Chunk:
        model = self.model
        packed = model.packed(chunk)
        value = packed + _SCRIPTS.lanes(chunk, self.script_shift)
        if chunk.isascii():  # without its letters, ASCII is all spaces to langdetect
            if self.ascii_clues:
                clues = self._clues(chunk)
                entry = (value, packed, *clues, *self._clues(chunk.translate(_DROP_ASCII)))
            else:
                entry = (value, packed, "", (), "", ())
        else:
            clues = self._clues(chunk)
            rest = _without_ascii_letters(chunk)
            if rest is None:
                entry = (value, 0, *clues, *clues)
            else:
                entry = (value, packed - model.packed(rest), *clues, *self._clues(rest))
        cache = self.cache
        if len(cache) >= self.LIMIT:
            cache.clear()
        cache[chunk] = entry
        return entry

    def _clues(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The telling letters and alphabet words of a text, lower-cased."""
        lower = text.lower()
        if not self.exact or not self.clue_chars.search(lower):
            return _NO_CLUES
        telling = self.telling
        letters = "".join([ch for ch in lower if ch in telling])
        words = self.words
        found = tuple([w for w in _WORD_RE.findall(lower) if w in words]) if words else ()
        return letters, found


_NO_CLUES: tuple[str, tuple[str, ...]] = ("", ())
_ASCII_LETTER_RE = re.compile("[A-Za-z]")


def _without_ascii_letters(text: str) -> str | None:
    """The text with ASCII letters deleted, or None when it has none."""
    return text.translate(_DROP_ASCII) if _ASCII_LETTER_RE.search(text) else None


# ---- the profile model: loaded once per process, shared by every Detector ----------------


class _Model:
    """langdetect's profiles as packed integer costs per n-gram, summed per word.

    Lane `len(languages)` counts the known n-grams. An n-gram's packed cost is built from
    its sparse costs (the few profiles that list it) on first use; so is the packed sum of
    the n-grams each letter of a word completes (`_Contexts`, bounded).
    """

    def __init__(self, data: _ModelData) -> None:
        self.languages = data.languages
        self.table = _PackedTable(data)
        self.chars = _CharMap(data.chars)
        self.contexts = _Contexts(self.table)
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
        """A word's 1-, 2- and 3-grams, summed as one context per letter (see `_Contexts`)."""
        if len(word) > 1 and word.isupper():  # like langdetect: skip all-capital words
            return 0
        contexts = self.contexts
        padded = f" {word} "
        return sum([contexts[padded[i - 1 : i + 2]] for i in range(1, len(padded) - 1)])


class _Contexts(dict):
    """A letter with its neighbours in a space-padded word → the packed costs of the n-grams
    that letter completes: itself, the bigram ending in it, the trigram around it, and at
    the word's end the closing bigram too.

    Every 1-, 2- and 3-gram of a word is counted by exactly one of its letters' contexts,
    so a word costs one addition per letter instead of three; contexts recur across words
    far more than words do. Bounded: when full it starts over (a pure function's memo).
    """

    LIMIT = 60_000

    def __init__(self, table: _PackedTable) -> None:
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
class _ModelData:
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


class _PackedTable(dict):
    """n-gram → packed costs for all languages, filled from the sparse costs on first use.

    A lane holds the n-gram's cost in that language's profile, or the smoothing floor when
    the profile does not list it; the last lane counts 1 per known n-gram. Unknown n-grams
    read as None (the first `UNKNOWN_LIMIT` of them are remembered as such).
    """

    UNKNOWN_LIMIT = 100_000

    def __init__(self, data: _ModelData) -> None:
        super().__init__()
        from array import array

        self.grams = data.grams.split(data.sep) if data.grams else []
        self.costs = data.costs
        self.offsets = array("I")
        self.offsets.frombytes(data.offsets)
        lanes = len(data.languages)
        floor = _floor()
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


class _ScriptMap(dict):
    """Letters → one code character per script (others deleted), for counting scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}  # mark → script
        self.marks: dict[str, str] = {}  # script → mark
        self.order: dict[str, int] = {}  # mark → index (in order of first sight)
        self.by_index: list[str] = []  # index → script
        self.lock = threading.Lock()

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if not ch.isalpha():
            self[code] = None
            return None
        try:
            word = unicodedata.name(ch).split(" ", 1)[0]
        except ValueError:
            word = "UNKNOWN"
        script = _SCRIPT_NAMES.get(word, word.title()[:4])
        with self.lock:
            mark = self.marks.get(script)
            if mark is None:
                mark = _mark(len(self.marks))
                self.names[mark] = script
                self.order[mark] = len(self.by_index)
                self.by_index.append(script)
                self.marks[script] = mark
        self[code] = mark
        return mark

    def counts(self, text: str) -> dict[str, int]:
        return self.counts_of_marks(text.translate(self))

    def counts_of_marks(self, marks: str) -> dict[str, int]:
        """Letters per script, from text already translated to script marks."""
        return {self.names[m]: marks.count(m) for m in sorted(set(marks))}

    def lanes(self, text: str, shift: int) -> int:
        """Letters per script packed in lanes (the index-th script's at `shift` + index
        lanes), so that summing chunks sums their script counts."""
        marks = text.translate(self)
        if not marks:
            return 0
        order = self.order
        first = marks[0]
        if marks.count(first) == len(marks):  # one script, as in most words
            return len(marks) << (shift + LANE_BITS * order[first])
        return sum(marks.count(m) << (shift + LANE_BITS * order[m]) for m in set(marks))

    def counts_of_lanes(self, lanes: int) -> dict[str, int]:
        """Letters per script (in order of first sight) from summed `lanes`."""
        counts = {}
        names = self.by_index
        index = 0
        while lanes:
            count = lanes & LANE_MASK
            if count:
                counts[names[index]] = count
            lanes >>= LANE_BITS
            index += 1
        return counts


def _mark(index: int) -> str:
    """The code for the index-th script seen: Latin-1 first (a Latin-1 string of marks is
    counted fastest), then private use. Marks are only ever compared among themselves."""
    return chr(index if index < 256 else 0xE000 + index)


_SCRIPT_NAMES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "THAI": "Thai",
}
_SCRIPTS = _ScriptMap()


def script_counts(text: str) -> dict[str, int]:
    """Letters per script (ISO 15924 code where known), in one `str.translate` pass."""
    return _SCRIPTS.counts(text)


class _CharMap(dict):
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


_MODEL: list[_Model] = []
_MODEL_LOCK = threading.Lock()


def _model() -> _Model:
    if not _MODEL:
        with _MODEL_LOCK:
            if not _MODEL:
                _MODEL.append(_load_model())
    return _MODEL[0]


def _load_model() -> _Model:
    """The model from langdetect's profiles: read once, then kept in the persistent cache
    (keyed by the profile files' names, sizes and times) so start-up costs milliseconds."""
    from normalize import cache

    directory = _profiles_dir()
    names = list(langdetect_profiles.names())
    key: list[Any] = ["langid.profiles", SCALE, LANE_BITS, SMOOTHING]
    key.append(cache.file_stamp(directory.parent / "utils" / "ngram.py"))
    key.append(cache.file_stamp(directory.parent / "utils" / "messages.properties"))
    key.extend(cache.file_stamp(directory / name) for name in names)
    data = cache.cached("langid", key, lambda: _read_profiles(directory, tuple(names)))
    return _Model(data)


def _profiles_dir() -> Path:
    """langdetect's profile directory (`normalize.profiles`, shared with the legacy judge)."""
    return langdetect_profiles.directory()


def _floor() -> int:
    """The cost of an n-gram a profile does not list (smoothing alone)."""
    return round(-math.log(SMOOTHING) * SCALE)


def _read_profiles(directory: Path, names: tuple[str, ...]) -> _ModelData:
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
    chars = _CharMap()
    known = []
    for code in range(0x10000):
        try:
            known.append(_normalized_char(code, chars))
        except Exception:  # left to langdetect at run time
            known.append("\0")
    return _ModelData(
        languages=names,
        sep=sep,
        grams=sep.join(grams),
        costs=bytes(costs),
        offsets=offsets.tobytes(),
        chars="".join(known),
    )


def alphabet_from_spec(language: str, spec: Mapping[str, Any]) -> Alphabet:
    """Build an `Alphabet` from a rule's keys (`script`, `letters`, `proxies`, `words`)."""
    return Alphabet(
        language=language,
        script=str(spec.get("script", "Cyrl")),
        letters=frozenset(str(spec["letters"]).lower().replace(" ", "")),
        proxies=tuple(spec.get("proxies") or ()),
        words=frozenset(w.lower() for w in spec.get("words") or ()),
        rates=tuple(
            sorted((str(k).lower(), float(v)) for k, v in (spec.get("rates") or {}).items())
        ),
    )
