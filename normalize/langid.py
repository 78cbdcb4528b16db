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

    Lane `len(languages)` counts the known n-grams. A word's packed sum is a pure function
    of the word, so it is cached (bounded) without affecting results.
    """

    WORD_CACHE_LIMIT = 200_000

    def __init__(self, languages: tuple[str, ...], table: dict[str, int], chars: Any) -> None:
        self.languages = languages
        self.table = table
        self.chars = chars
        self.words: dict[str, int] = {}
        self.unpack_format = f"<{len(languages) + 1}I"
        self.unpack_bytes = 4 * (len(languages) + 1)

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
        get = self.table.get
        padded = f" {word} "
        size = len(padded)
        grams = [get(ch) for ch in word]
        grams += [get(padded[i : i + 2]) for i in range(size - 1)]
        grams += [get(padded[i : i + 3]) for i in range(size - 2)]
        return sum(g for g in grams if g is not None)


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
    """langdetect's character normalization, as a lazily filled `str.translate` table."""

    def __init__(self, normalize: Any) -> None:
        super().__init__()
        self._normalize = normalize

    def __missing__(self, code: int) -> str:
        ch = self._normalize(chr(code))
        if not ch.isalpha():
            ch = " "
        self[code] = ch
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
    import json
    from importlib import resources

    from langdetect.utils.ngram import NGram

    profiles = resources.files("langdetect") / "profiles"
    names = sorted(p.name for p in profiles.iterdir() if not p.name.startswith("."))
    floor = round(-math.log(SMOOTHING) * SCALE)
    base = sum(floor << (LANE_BITS * i) for i in range(len(names)))
    deltas: dict[str, int] = {}
    for index, name in enumerate(names):
        data = json.loads((profiles / name).read_text(encoding="utf-8"))
        n_words = data["n_words"]
        shift = LANE_BITS * index
        for gram, freq in data["freq"].items():
            if not 1 <= len(gram) <= 3 or not n_words[len(gram) - 1]:
                continue
            cost = round(-math.log(freq / n_words[len(gram) - 1] + SMOOTHING) * SCALE)
            deltas[gram] = deltas.get(gram, 0) + ((cost - floor) << shift)
    counter = 1 << (LANE_BITS * len(names))  # the extra lane: one per known n-gram
    table = {gram: base + counter + delta for gram, delta in deltas.items()}
    return _Model(tuple(names), table, _CharMap(NGram.normalize))


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
