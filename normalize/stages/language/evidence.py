"""Alphabet evidence: the letters and words that tell close languages of one script apart.

A letter a language does not write costs it `alphabet_penalty` nats; a letter it writes
often (`rates`) that never shows up costs it in proportion to the text's letters (Poisson);
`words` only it writes count for it. Languages without a profile borrow a close one's
(`proxies`). All of it is rule data (rules/languages.yaml).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from normalize.stages.language.chunks import Chunk
    from normalize.stages.language.detector import DetectorSettings

WORD_RE = re.compile(r"\w+")


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
class Evidence:
    """Alphabet evidence compiled from the settings, per script."""

    by_script: tuple[tuple[str, tuple[str, ...], tuple[Alphabet, ...]], ...] = ()
    telling: frozenset[str] = frozenset()  # every script's telling letters
    words: frozenset[str] = frozenset()  # every alphabet's words
    # per script, per alphabet: the telling letters the alphabet does not write
    foreign: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @classmethod
    def build(cls, settings: DetectorSettings) -> Evidence:
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
        text: SampleText,
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


class SampleText:
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
    def of(cls, sample: str) -> SampleText:
        """Read a whole sample (for alphabets the per-chunk summary cannot serve)."""
        lower = sample.lower()
        return cls(lower, None, lower)

    @classmethod
    def of_chunks(cls, chunks: list[Chunk], drop: bool) -> SampleText:
        """Read the clues of a sample's chunks (as written, or without ASCII letters)."""
        at = 4 if drop else 2
        letters = "".join([cast(str, chunk[at]) for chunk in chunks])
        found = [cast(tuple[str, ...], chunk[at + 1]) for chunk in chunks if chunk[at + 1]]
        return cls(letters, [word for words in found for word in words])

    def word_counts(self) -> Counter[str]:
        """Counts of the sample's words (from clues: only the alphabets' words)."""
        if self._words is None:
            tokens = self._tokens
            self._words = Counter(WORD_RE.findall(self._lower) if tokens is None else tokens)
        return self._words


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
