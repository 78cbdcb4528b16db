"""Language identification over langdetect's profiles: deterministic, per record, fast.

langdetect's own `detect` samples n-grams at random (it needs a seed to repeat itself) and
costs milliseconds per article. We keep its model (`profiles.py`) but score plain naive
Bayes over every n-gram of each field's first `max_chars` characters, so the same text
gives the same answer in every process.

The record decides, not one field: title, summary and text are each scored, and each
field's evidence counts in proportion to its letter density (letters per visible
character), so a field that lost its letters upstream, or holds debris (URLs, code, markup:
`chunks.py` drops those chunks), cannot outvote a plainly written title. Close languages of
one script are told apart by their alphabets (`evidence.py`, rule data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from normalize.stages.language.chunks import DROP_ASCII, Chunk, Chunks
from normalize.stages.language.evidence import Alphabet, Evidence, SampleText
from normalize.stages.language.lexicon import Lexicon, lexicon_lists, load_lexicon, wordfreq_dir
from normalize.stages.language.profiles import SCALE, profile_model
from normalize.stages.language.scripts import SCRIPTS


@dataclass(frozen=True)
class DetectorSettings:
    """What decides detection besides the profiles; all of it comes from rule data."""

    max_chars: int = 600
    min_letters: int = 3
    # scripts where fewer letters suffice (a Han character or a kana is a syllable or a word)
    script_min_letters: tuple[tuple[str, int], ...] = ()
    min_confidence: float = 0.5
    lost_words_power: float = 4.0  # a field weighs its density (share of words left) ** this
    temperature: float = 3.0
    alphabet_penalty: float = 6.0
    word_bonus: float = 2.0
    proxy_penalty: float = 0.1  # nats per letter for a language scored by a proxy profile
    priors: tuple[tuple[str, float], ...] = ()  # relative prior weights (default 1)
    alphabets: tuple[Alphabet, ...] = ()
    languages: tuple[str, ...] = ()  # restrict to these (empty: every profile)
    scripts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (language, the scripts it writes)
    word_weight: float = 0.0  # nats of score per nat of word cost (0: no word lists)
    word_absent: float = 2.0  # nats beyond a list's floor for a word it does not hold
    word_unlisted: float = 0.0  # nats beyond the cheapest list, for a language without one
    word_depth: int = 600  # wordfreq's large lists down to this bucket (10^(-depth/100))
    word_lists: tuple[tuple[str, str], ...] = ()  # language → wordfreq list, where they differ
    # language → (Latin, its other spelling), longest first: sr's list in Cyrillic too
    word_transliterations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


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
    function of each field's first `max_chars` characters; the per-chunk cache (`Chunks`) is
    a bounded memo that never changes an answer.
    """

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._evidence = Evidence.build(self.settings)
        self._log_priors = {lang: math.log(w) for lang, w in self.settings.priors if w > 0}
        self._lanes: tuple[tuple[int, str], ...] | None = None
        self._lane_groups: (
            tuple[tuple[tuple[str, int], ...], tuple[tuple[str, tuple[int, ...]], ...]] | None
        ) = None
        self._known: frozenset[str] | None = None
        # `_decide`'s cutoff (40 temperatures of nats) in fixed point, plus one unit
        reach = 40 * self.settings.temperature * SCALE
        self._margin = math.ceil(reach) + 1 if math.isfinite(reach) else None
        self._features: Chunks | None = None
        self._min_letters = dict(self.settings.script_min_letters)
        # script → the listed languages that write it (no listing: every profile may answer)
        self._writers: dict[str, frozenset[str]] = {}
        for lang, scripts in self.settings.scripts:
            for name in scripts:
                self._writers[name] = self._writers.get(name, frozenset()) | {lang}

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
                for index, name in enumerate(profile_model().languages)
                if not wanted or _tag_of(name) in wanted
            )
        return self._lanes

    def known_languages(self) -> frozenset[str]:
        """Languages this detector can name: profiles plus alphabets with proxies."""
        if self._known is None:
            names = {tag for _, tag in self.lanes()}
            names.update(a.language for a in self.settings.alphabets if a.proxies)
            sole = [w for w in self._writers.values() if len(w) == 1]
            names.update(lang for w in sole for lang in w)
            self._known = frozenset(names)
        return self._known

    def detect(self, text: str) -> Detection:
        """The language of one text, or None with a reason when the evidence is too thin."""
        return self.detect_fields((text,))

    def detect_fields(self, texts: Sequence[str]) -> Detection:
        """The language of a record's texts (title, summary, text) judged together."""
        features = self._features or self._build_features()
        limit = self.settings.max_chars
        fields = [_Field.of(features.of(t[:limit].split())) for t in texts if t]
        fields = [f for f in fields if f.letters]
        if not fields:
            return Detection(None, 0.0, None, None, 0, 0, "too-few-letters")
        top = max(f.density for f in fields)
        # a field's surviving words are a biased sample of what it said: they weigh less
        # than in proportion to the share that survived
        power = self.settings.lost_words_power
        weights = [(f.density / top) ** power for f in fields]
        counts: dict[str, float] = {}
        for f, weight in zip(fields, weights, strict=True):
            for script, n in f.counts.items():
                counts[script] = counts.get(script, 0.0) + weight * n
        script = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        letters = round(sum(counts.values()))
        if letters < self._min_letters.get(script, self.settings.min_letters):
            return Detection(None, 0.0, None, script, letters, 0, "too-few-letters")
        latin = counts.get("Latn", 0.0)
        drop = latin * 2 < sum(counts.values()) - latin  # like langdetect: Latin in others
        if all(weight == 1.0 for weight in weights):  # equal weights: one sum, as one text
            whole = _Field.merged(fields)
            scores, found = self._field_scores(whole, script, drop, near=True)
        else:
            scores, found = self._record_scores(fields, weights, script, drop)
        writers = self._candidates(counts)
        if writers:
            scores = {lang: cost for lang, cost in scores.items() if lang in writers}
            if not scores and len(writers) == 1:  # a script only one listed language writes
                (only,) = writers
                confidence = round(letters / (letters + 1), 3)
                return Detection(only, confidence, only, script, letters, found, "script")
        if not scores:
            return Detection(None, 0.0, None, script, letters, found, "no-features")
        return self._decide(scores, script, letters, found)

    def _candidates(self, counts: dict[str, float]) -> frozenset[str]:
        """The listed languages that write a script the record has letters in (at least
        `min_letters` of them, weighted): empty when no listing speaks to its scripts."""
        found: frozenset[str] = frozenset()
        for script, n in counts.items():
            if n >= self._min_letters.get(script, self.settings.min_letters):
                found |= self._writers.get(script, frozenset())
        return found

    def _record_scores(
        self, fields: list[_Field], weights: list[float], script: str, drop: bool
    ) -> tuple[dict[str, float], int]:
        """Each language's cost summed over the fields, each weighted by its density."""
        total: dict[str, float] = {}
        found = 0
        for f, weight in zip(fields, weights, strict=True):
            scores, n = self._field_scores(f, script, drop, near=False)
            found += n
            for lang, cost in scores.items():
                total[lang] = total.get(lang, 0.0) + weight * cost
        return total, found

    def _field_scores(
        self, f: _Field, script: str, drop: bool, *, near: bool
    ) -> tuple[dict[str, float], int]:
        """One field's cost per language: n-grams, then alphabet evidence for its script."""
        model = profile_model()
        features = self._features or self._build_features()
        total = f.total
        if drop:
            total -= sum([chunk[1] for chunk in f.chunks if chunk[1]])
        total &= features.costs_mask
        found = model.found(total)
        if not found:
            return {}, 0
        costs = model.unpack(total)
        lexicon = features.lexicon
        covered = self._evidence.covers(script)
        if not covered and lexicon is None:
            return (self._near_scores(costs) if near else self._scores(costs)), found
        scores = self._scores(costs)
        if covered:
            if features.exact:
                text = SampleText.of_chunks(f.chunks, drop)
            else:
                text = SampleText.of(f.text().translate(DROP_ASCII) if drop else f.text())
            letters = f.counts.get(script, 0)
            self._evidence.apply(scores, text, script, letters, self.settings)
        if lexicon is not None:  # after the proxies borrowed profiles: each its own words
            words = f.words
            if drop:
                words -= sum([chunk[9] for chunk in f.chunks if chunk[9]])
            lexicon.add_costs(scores, words)
        return scores, found

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

    def _build_features(self) -> Chunks:
        """The chunk cache, made on first use (it needs the model, loaded lazily)."""
        evidence = self._evidence
        lexicon = self._lexicon()
        self._features = Chunks(profile_model(), evidence.telling, evidence.words, lexicon)
        return self._features

    def _lexicon(self) -> Lexicon | None:
        """The word lists of the languages this detector answers (none at weight 0)."""
        settings = self.settings
        if settings.word_weight <= 0:
            return None
        directory = wordfreq_dir()
        if directory is None:
            raise RuntimeError(
                "language detection needs wordfreq's word lists: pip install wordfreq"
            )
        listed = frozenset(lang for lang, _ in settings.scripts) or frozenset(
            tag for _, tag in self.lanes()
        )
        lists = lexicon_lists(listed, dict(settings.word_lists), directory, settings.word_depth)
        data = load_lexicon(lists, settings.word_transliterations)
        if data is None:
            return None
        weights = (settings.word_weight, settings.word_absent, settings.word_unlisted)
        return Lexicon(data, *weights, dict(settings.scripts))


@dataclass(frozen=True)
class _Field:
    """One field's chunks and what they add up to: packed costs, letters per script, and
    its density: the share of its words still there, counting each lone punctuation mark
    as the trace of a word lost upstream (NewsAPI strips Cyrillic words from `content`)."""

    chunks: list[Chunk]
    total: int
    counts: dict[str, int]
    letters: int
    density: float
    words: int  # the chunks' packed lexicon costs

    @classmethod
    def of(cls, chunks: list[Chunk]) -> _Field:
        total = sum([chunk[0] for chunk in chunks])
        kinds = [chunk[6] for chunk in chunks]
        worded, orphans = kinds.count(1), kinds.count(-1)
        density = worded / (worded + orphans) if worded else 0.0
        return cls._made(chunks, total, density)

    @classmethod
    def _made(cls, chunks: list[Chunk], total: int, density: float) -> _Field:
        counts = SCRIPTS.counts_of_lanes(total >> Chunks.script_shift_of(profile_model()))
        words = sum([chunk[8] for chunk in chunks])
        return cls(chunks, total, counts, sum(counts.values()), density, words)

    @classmethod
    def merged(cls, fields: list[_Field]) -> _Field:
        """Fields of equal weight summed as one (the density no longer matters)."""
        if len(fields) == 1:
            return fields[0]
        chunks = [chunk for f in fields for chunk in f.chunks]
        return cls._made(chunks, sum([f.total for f in fields]), 1.0)

    def text(self) -> str:
        return " ".join([chunk[7] for chunk in self.chunks])


def detect(text: str, detector: Detector | None = None) -> Detection:
    """Detect with the given detector, or with the default rules' settings."""
    if detector is None:
        from normalize.stages.language import default_detector

        detector = default_detector()
    return detector.detect(text)


def _tag_of(profile_name: str) -> str:
    """langdetect names profiles `zh-cn`/`zh-tw`; our answer is the language subtag."""
    return profile_name.split("-", 1)[0]
