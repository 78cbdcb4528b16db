"""Language identification: langdetect's profiles, scored deterministically and fast.

langdetect's own `detect` samples n-grams at random (so it needs a seed to repeat itself)
and costs milliseconds per article. We keep its model (the n-gram frequency profiles
shipped in `langdetect/profiles/`, with its character normalization and its smoothing)
but score it as plain naive Bayes over every n-gram of the first `max_chars` characters:
the same text gives the same answer in every process.

Speed comes from packing: each n-gram's cost (−log probability, fixed point) for all
languages is one Python integer with 32 bits per language, so adding an n-gram's evidence
for 55 languages is one big-integer addition. The total is unpacked once per text.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCALE = 100  # fixed-point units per nat
LANE_BITS = 32
LANE_MASK = (1 << LANE_BITS) - 1
SMOOTHING = 0.5 / 10000  # langdetect's alpha / BASE_FREQ
MAX_CHARS_LIMIT = 100_000  # keeps every lane below 2**32 (3 n-grams per char, ~990 each)

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

    Holds only its settings, so it pickles cheaply and is safe to share across threads.
    """

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._evidence = _Evidence.build(self.settings)
        self._log_priors = {lang: math.log(w) for lang, w in self.settings.priors if w > 0}
        self._lanes: tuple[tuple[int, str], ...] | None = None
        self._known: frozenset[str] | None = None

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
        settings = self.settings
        sample = text[: settings.max_chars]
        counts = script_counts(sample)
        letters = sum(counts.values())
        script = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None
        if letters < settings.min_letters:
            return Detection(None, 0.0, None, script, letters, 0, "too-few-letters")
        model = _model()
        latin = counts.get("Latn", 0)
        if latin * 2 < letters - latin:  # like langdetect: drop Latin inside other scripts
            sample = sample.translate(_DROP_ASCII)
        total, found = model.score(sample)
        scores: dict[str, float] = {}
        if found:
            costs = model.unpack(total)
            for index, tag in self.lanes():
                cost = costs[index] / SCALE
                if cost < scores.get(tag, math.inf):
                    scores[tag] = cost
        if script is not None:
            self._evidence.apply(scores, sample, script, counts.get(script, 0), settings)
        if not scores:
            return Detection(None, 0.0, None, script, letters, found, "no-features")
        # posterior ∝ prior × likelihood^(1/temperature): n-grams overlap, so the raw
        # naive-Bayes likelihood is far too sure of itself
        temperature = settings.temperature
        priors = self._log_priors
        floor = min(scores.values())
        cutoff = floor + 40 * temperature  # the rest would weigh < e^-30
        ranking = sorted(
            (((cost - floor) / temperature - priors.get(lang, 0.0), lang))
            for lang, cost in scores.items()
            if cost <= cutoff
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
        return cls(tuple(out))

    def apply(
        self,
        scores: dict[str, float],
        sample: str,
        script: str,
        script_letters: int,
        settings: DetectorSettings,
    ) -> None:
        """Add letter and word evidence (in nats, scaled to survive the temperature)."""
        scale = settings.temperature
        for name, telling, alphabets in self.by_script:
            if name != script:
                continue
            lower = sample.lower()
            profiles = dict(scores)  # proxies borrow a profile's score before its evidence
            seen = {ch: n for ch in telling if (n := lower.count(ch))}
            words: dict[str, int] | None = None
            for alphabet in alphabets:
                lang = alphabet.language
                evidence = 0.0
                if lang not in scores:
                    borrowed = [profiles[p] for p in alphabet.proxies if p in profiles]
                    if not borrowed:
                        continue
                    # a borrowed profile fits worse than the language's own would
                    scores[lang] = min(borrowed)
                    evidence += settings.proxy_penalty * script_letters
                foreign = sum(n for ch, n in seen.items() if ch not in alphabet.letters)
                evidence += foreign * settings.alphabet_penalty
                # Poisson: a letter the language writes often, never seen, counts against it
                evidence += sum(r for ch, r in alphabet.rates if ch not in seen) * script_letters
                if alphabet.words:
                    if words is None:
                        words = {}
                        for word in _WORD_RE.findall(lower):
                            words[word] = words.get(word, 0) + 1
                    evidence -= settings.word_bonus * sum(words.get(w, 0) for w in alphabet.words)
                scores[lang] += evidence * scale


# ---- the profile model: loaded once per process, shared by every Detector ----------------


class _Model:
    """langdetect's profiles as packed integer costs per n-gram, summed per word.

    Lane `len(languages)` counts the known n-grams. An n-gram's packed cost is built from
    its sparse costs (the few profiles that list it) on first use; a word's packed sum is a
    pure function of the word, so it is cached (bounded) without affecting results.
    """

    WORD_CACHE_LIMIT = 50_000

    def __init__(self, data: _ModelData) -> None:
        self.languages = data.languages
        self.table = _PackedTable(data)
        self.chars = _CharMap(data.chars)
        self.words: dict[str, int] = {}
        self.unpack_format = f"<{len(self.languages) + 1}I"
        self.unpack_bytes = 4 * (len(self.languages) + 1)

    def unpack(self, total: int) -> tuple[int, ...]:
        """The per-language lanes of a packed sum (the last lane counts n-grams)."""
        return struct.unpack(self.unpack_format, total.to_bytes(self.unpack_bytes, "little"))

    def score(self, text: str) -> tuple[int, int]:
        """Sum of packed costs over the text's 1-, 2- and 3-grams, and how many were known."""
        cache = self.words
        total = 0
        for word in text.translate(self.chars).split():
            packed = cache.get(word)
            if packed is None:
                packed = self._word(word)
                if len(cache) < self.WORD_CACHE_LIMIT:
                    cache[word] = packed
            total += packed
        found = (total >> (LANE_BITS * len(self.languages))) & LANE_MASK
        return total, found

    def _word(self, word: str) -> int:
        if len(word) > 1 and word.isupper():  # like langdetect: skip all-capital words
            return 0
        table = self.table
        padded = f" {word} "
        size = len(padded)
        grams = [table[ch] for ch in word]
        grams += [table[padded[i : i + 2]] for i in range(size - 1)]
        grams += [table[padded[i : i + 3]] for i in range(size - 2)]
        return sum(g for g in grams if g is not None)


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
    read as None (and are not stored).
    """

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

    def __missing__(self, gram: str) -> int | None:
        from bisect import bisect_left

        grams = self.grams
        index = bisect_left(grams, gram)
        if index == len(grams) or grams[index] != gram:
            return None
        floor = self.floor
        delta = 0
        costs = self.costs[self.offsets[index] : self.offsets[index + 1]]
        for lane, cost in struct.iter_unpack("<Hi", costs):
            delta += (cost - floor) << (LANE_BITS * lane)
        packed = self.base + delta
        self[gram] = packed
        return packed


class _ScriptMap(dict):
    """Letters → one code character per script (others deleted), for counting scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}  # mark → script
        self.marks: dict[str, str] = {}  # script → mark
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
                mark = chr(0xE000 + len(self.marks))  # a private-use code per script
                self.names[mark] = script
                self.marks[script] = mark
        self[code] = mark
        return mark

    def counts(self, text: str) -> dict[str, int]:
        marks = text.translate(self)
        return {self.names[m]: marks.count(m) for m in sorted(set(marks))}


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
    names = sorted(p.name for p in directory.iterdir() if not p.name.startswith("."))
    key: list[Any] = ["langid.profiles", SCALE, LANE_BITS, SMOOTHING]
    key.append(cache.file_stamp(directory.parent / "utils" / "ngram.py"))
    key.append(cache.file_stamp(directory.parent / "utils" / "messages.properties"))
    key.extend(cache.file_stamp(directory / name) for name in names)
    data = cache.cached("langid", key, lambda: _read_profiles(directory, tuple(names)))
    return _Model(data)


def _profiles_dir() -> Path:
    """langdetect's profile directory, found without importing langdetect."""
    from importlib.util import find_spec

    spec = find_spec("langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("langdetect is not installed: its profiles are needed")
    return Path(next(iter(spec.submodule_search_locations))) / "profiles"


def _floor() -> int:
    """The cost of an n-gram a profile does not list (smoothing alone)."""
    return round(-math.log(SMOOTHING) * SCALE)


def _read_profiles(directory: Path, names: tuple[str, ...]) -> _ModelData:
    """Each n-gram's cost in each profile that lists it, and langdetect's character map."""
    import json
    from array import array

    pairs: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        data = json.loads((directory / name).read_text(encoding="utf-8"))
        n_words = data["n_words"]
        for gram, freq in data["freq"].items():
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


def alphabet_from_spec(language: str, spec: dict[str, Any]) -> Alphabet:
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


def settings_with(alphabets: Iterable[Alphabet], **values: Any) -> DetectorSettings:
    """Settings from rule data (unknown keys are refused by the rule kind's check)."""
    return DetectorSettings(alphabets=tuple(alphabets), **values)
