"""The judge of legacy re-decodings: langdetect's profiles as letter 3-gram models (`Judge`).

A re-decoded run is kept only when it scores clearly better in a judging profile than the
original text scores in its best-fitting one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from normalize import profiles as langdetect_profiles
from normalize.memo import Lazy, Memo
from normalize.stages.text_repair.letters import JUDGE_FOLD

_EPSILON = 1e-6
_LOG_EPSILON = math.log(_EPSILON)


@dataclass
class _Profile:
    """A langdetect profile as an interpolated 3-gram model of letters (case-folded).

    P(c | ab) = 0.6 f(abc)/f(ab) + 0.3 f(bc)/f(b) + 0.1 f(c)/N, precomputed as logs for the
    3-grams and 2-grams the profile lists; anything rarer gets the 1-gram term alone.
    """

    grams: dict[str, int]
    logp: dict[str, float]  # "abc" → log P(c | ab); "bc" → log P(c | b) when abc is unlisted

    @classmethod
    def of(cls, freq: dict[str, int]) -> _Profile:
        """The model of one profile's n-gram counts (`normalize.profiles.Profile.freq`)."""
        grams: dict[str, int] = {}
        for gram, count in freq.items():
            key = gram.lower()
            grams[key] = grams.get(key, 0) + count
        # the space is no 1-gram in langdetect's tables: count it from the 2-grams it starts
        grams[" "] = sum(c for g, c in grams.items() if len(g) == 2 and g[0] == " ")
        total = sum(c for g, c in grams.items() if len(g) == 1)

        def p1(c: str) -> float:
            return 0.1 * grams.get(c, 0) / total

        def p2(bc: str) -> float:
            fb = grams.get(bc[0], 0)
            return p1(bc[1]) + (0.3 * grams.get(bc, 0) / fb if fb else 0.0)

        logp: dict[str, float] = {}
        for gram in grams:
            if len(gram) == 1:
                logp[gram] = math.log(p1(gram) + _EPSILON)
            elif len(gram) == 2:
                logp[gram] = math.log(p2(gram) + _EPSILON)
            else:
                fab = grams.get(gram[:2], 0)
                p3 = 0.6 * grams[gram] / fab if fab else 0.0
                logp[gram] = math.log(p3 + p2(gram[1:]) + _EPSILON)
        return cls(grams=grams, logp=logp)


def _load_models() -> tuple[dict[str, _Profile], dict[str, frozenset[str]]]:
    """The profiles' letter models, and each profile's letters."""
    loaded = _load_profiles()
    letters = {
        name: frozenset(g for g in p.grams if len(g) == 1 and g.isalpha())
        for name, p in loaded.items()
    }
    return loaded, letters


def _load_profiles() -> dict[str, _Profile]:
    """All of langdetect's profiles as letter models, kept in the derived-data cache
    (converting them takes about a second)."""

    def build() -> dict[str, _Profile]:
        return {p.name: _Profile.of(p.freq) for p in langdetect_profiles.load()}

    return langdetect_profiles.derived("legacy-profiles", [], build)


class Judge:
    """Scores letters with langdetect's profiles (read once per process, on first use)."""

    def __init__(self) -> None:
        self._backoffs: dict[str, _Backoff] = {}
        self._budget = _Budget()
        self._joints = Memo(self._new_joint, _MAX_JOINTS, "legacy.joints")
        self._writers = Memo(self._profiles_writing, 10_000, "legacy.writers")

    @property
    def _letters(self) -> dict[str, frozenset[str]]:
        return _MODELS()[1]

    def profiles(self) -> dict[str, _Profile]:
        return _MODELS()[0]

    def best(self, text: str, names: Sequence[str] | None = None) -> float:
        """The best mean score of `text` among the named profiles (default: those fitting it)."""
        profiles = self.profiles()
        if names is None:
            counts = Counter(text.replace(" ", ""))
            if not counts:
                return 0.0
            names = self._fitting(counts)
        if len(text) < 2:
            return 0.0
        grams = _trigrams(text)  # (the fitting profiles vary: scored one by one)
        return max(
            sum(self._values(n, text, grams)) / (len(text) - 1) for n in names if n in profiles
        )

    def _fitting(self, counts: Counter[str]) -> list[str]:
        """The profiles whose letters cover at least 90% as much of the text as the best one.

        Counted letter by letter over the profiles that write it (`_writers`): a text has a
        few dozen distinct letters, and most profiles write only some of them.
        """
        coverage = dict.fromkeys(self._letters, 0)
        for char, count in counts.items():
            for name in self._writers[char]:
                coverage[name] += count
        top = max(coverage.values())
        return [name for name, cov in coverage.items() if cov >= top * 0.9]

    def _profiles_writing(self, char: str) -> tuple[str, ...]:
        return tuple(name for name, letters in self._letters.items() if char in letters)

    def best_with_words(
        self, words: Sequence[str], names: Sequence[str]
    ) -> tuple[float, list[float]]:
        """`best(" w1 w2 … ", names)` of the judging forms of `words` (`JUDGE_FOLD`), and each
        word's `best(" w ", names)`.

        One pass over the words serves both: a word alone is scored at the same positions
        as in the joined text but for its first letter, which has a space and no letter
        before it. A word's values after its first letter are remembered per word
        (`_Joint.words`). Plain sums: measured as fast as running totals in C loops.
        """
        present = tuple(name for name in names if name in self.profiles())
        joint = self._joint(present)
        if not words:
            return max(joint["  "]), []  # the text "  ": one position
        rows: list[tuple[float, ...]] = []  # each position's values, one per profile
        alone: list[tuple[list[tuple[float, ...]], int]] = []
        previous = ""  # the last letter of the word before (none at the text's start)
        for word in words:
            form, inner = joint.words[word]
            rows.append(joint[previous + " " + form[0]])
            rows.extend(inner)
            alone.append(([joint[" " + form[0]], *inner], len(form) + 1))
            previous = form[-1]
        overall = max(sum(column) / len(rows) for column in zip(*rows, strict=True))
        scores = [
            max(sum(column) / size for column in zip(*values, strict=True))
            for values, size in alone
        ]
        return overall, scores

    def _joint(self, names: tuple[str, ...]) -> _Joint:
        return self._joints[names]

    def _new_joint(self, names: tuple[str, ...]) -> _Joint:
        # (a dropped joint's entries stay counted: the budget only shrinks)
        return _Joint([self._backoff(n) for n in names], self._budget)

    def _backoff(self, name: str) -> _Backoff:
        backoff = self._backoffs.get(name)
        if backoff is None:
            backoff = self._backoffs[name] = _Backoff(self.profiles()[name].logp, self._budget)
        return backoff

    def _values(self, name: str, text: str, grams: list[str] | None = None) -> list[float]:
        """`_Profile.score`'s term for each position 1 … len(text) - 1 of `text` (`grams`:
        its 3-grams, when the caller has them already)."""
        lookup = self._backoff(name).__getitem__
        values = [lookup(text[0:2])]
        values.extend(map(lookup, _trigrams(text) if grams is None else grams))
        return values


_MAX_JOINTS = 4  # sets of judging profiles whose joint values are remembered


class _Budget:
    """How many more gram values a judge may remember, over all its tables: the memory a
    long run can spend on them is bounded (about 40 MB), whatever the input."""

    def __init__(self, entries: int = 300_000) -> None:
        self.left = entries

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


class _Joint(dict[str, tuple[float, ...]]):
    """Several profiles' `_Backoff` values of a gram at once (one hash and lookup per gram)."""

    def __init__(self, backoffs: list[_Backoff], budget: _Budget) -> None:
        super().__init__()
        self.backoffs = backoffs
        self.budget = budget
        # a word → its judging form (`JUDGE_FOLD`) and the joint values of the positions
        # after its first letter (the 3-grams of ` word ` but the first): they do not depend
        # on the words around it, and words recur far more than lines do
        self.words = Memo(self._judged_word, 10_000, "legacy.judged_words")

    def _judged_word(self, word: str) -> tuple[str, tuple[tuple[float, ...], ...]]:
        form = word.lower().translate(JUDGE_FOLD)
        return form, tuple(map(self.__getitem__, _trigrams(f" {form} ")))

    def __missing__(self, gram: str) -> tuple[float, ...]:
        value = tuple(backoff[gram] for backoff in self.backoffs)
        if self.budget.take():
            self[gram] = value
        return value


def _trigrams(text: str) -> list[str]:
    """Every 3-gram of `text`, overlapping, in order (three shifted copies zipped: C loops)."""
    return list(map("".join, zip(text, text[1:], text[2:], strict=False)))


class _Backoff(dict[str, float]):
    """A profile's log-probability of a gram's last letter, backed off as `_Profile.score`
    does (3-gram, else its 2-gram, else the letter alone), remembered for the next time."""

    def __init__(self, logp: dict[str, float], budget: _Budget) -> None:
        super().__init__()
        self.logp = logp
        self.budget = budget

    def __missing__(self, gram: str) -> float:
        get = self.logp.get
        value = get(gram)
        if value is None and len(gram) == 3:
            value = get(gram[1:])
        if value is None:
            value = get(gram[-1], _LOG_EPSILON)
        if self.budget.take():
            self[gram] = value
        return value


_MODELS = Lazy(_load_models)
