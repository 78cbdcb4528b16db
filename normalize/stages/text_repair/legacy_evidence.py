"""The evidence a re-decoded run is judged on, and the verdict of a rule's thresholds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from normalize.stages.text_repair.legacy_judge import Judge
from normalize.stages.text_repair.legacy_reading import (
    _CASE_SLACK,
    _NON_LETTERS,
    _SAMPLE_LETTERS,
    Pair,
    _case_ok,
    _eligible,
    _inside_word,
    _windows,
)
from normalize.stages.text_repair.letters import WORD


@dataclass(frozen=True)
class Evidence:
    """What a re-decoded run is judged on."""

    letters: int  # letters in the words the repair changes
    capitals_only: bool  # no word of the damaged text has a lowercase letter after its first
    source_letters: int  # letters those words had before
    new_score: float  # mean log-probability per character, best judging profile
    old_score: float  # the same for the text as it was, best of all profiles
    gain: float  # new - old, plus the letter-case evidence
    plausible: int  # letters in repaired words that are plausible words on their own


class _Words(NamedTuple):
    new: list[str]  # the words the re-decoding makes
    old: list[str]  # what each of them was
    eligible: list[bool]  # whether each could be a word at all (`_eligible`)
    letters: int  # letters in the new words


def _changed_words(
    pair: Pair, line: str, expanded: str, back: Sequence[int], thresholds: bool
) -> _Words | None:
    """The words the re-decoding changes, what they were, and whether each could be a
    word at all (of a long run: a sample spread over it); None when the run cannot be a
    repair (it ends inside a word, turns a letter into a symbol, or, with `thresholds`,
    has too few eligible words)."""
    params = pair.params
    start, end = back[0], back[-1]
    if (start > 0 and _inside_word(line[start - 1])) or (
        end < len(line) and _inside_word(line[end])
    ):
        return None  # a run that ends inside a word is not one reading of the whole word
    new_words: list[str] = []
    old_words: list[str] = []
    eligible: list[bool] = []
    letters = eligible_letters = 0
    share = params["min_valid_share"]
    for offset, stop in _windows(expanded):
        piece = pair.redecode(expanded[offset:stop])
        for match in pair.symbol_in_word_re.finditer(piece):
            if match.group(1) != expanded[offset + match.start(1)]:
                return None  # a letter that became a symbol inside a word: wrong code page
        for match in WORD.finditer(piece):
            word = match.group()
            if len(word) < 2:
                continue  # one letter: no evidence either way
            span = match.span()
            at, to = offset + span[0], offset + span[1]
            if word == expanded[at:to]:
                continue
            was = line[back[at] : back[to - 1] + 1]
            if was.isspace():
                continue  # spaces that become letters: no evidence either way
            new_words.append(word)
            old_words.append(was)
            letters += len(word)
            ok = _eligible(word)
            eligible.append(ok)
            if ok:
                eligible_letters += len(word)
        if thresholds and letters >= 50 and eligible_letters < share * letters:
            return None  # cheap: repaired words that mix scripts or break letter case
    if not letters:
        return None
    if thresholds and eligible_letters < share * letters:
        return None
    if letters > _SAMPLE_LETTERS:  # a long run is judged on words spread over it
        step = math.ceil(letters / _SAMPLE_LETTERS)
        new_words, old_words, eligible = new_words[::step], old_words[::step], eligible[::step]
        letters = sum(len(w) for w in new_words)
    return _Words(new_words, old_words, eligible, letters)


def measure(
    judge: Judge,
    pair: Pair,
    line: str,
    expanded: str,
    back: Sequence[int],
    thresholds: bool = False,
) -> tuple[str, Evidence] | None:
    """The re-decoded run and the evidence for it; None when it cannot be a repair.

    With `thresholds`, None as soon as the rule's thresholds refuse it (the cheap
    checks first); without, the full evidence (to calibrate and to explain).
    """
    words = _changed_words(pair, line, expanded, back, thresholds)
    if words is None:
        return None
    params = pair.params
    new_words, old_words, eligible, letters = words
    # the damaged words' letters, each run of anything else one space
    old_text = " " + _NON_LETTERS.sub(" ", " ".join(old_words)).lower().strip() + " "
    source_letters = len(old_text.replace(" ", ""))
    # text in capitals (`ÀÉÎÕÜ`, `ÇA VA`; KOI8 read as latin-1 also looks like capitals)
    # carries no case evidence, so it needs more letters
    capitals_only = not any(map(str.islower, "".join(w[1:] for w in old_words)))
    if thresholds and (
        letters < params["min_letters"]
        or (capitals_only and letters < params["min_capitals_letters"])
        or source_letters < params["min_source_letters"] * letters
    ):
        return None
    # a reading whose words have impossible letter case (`чТБЮЙ`) is itself evidence
    old_bad_case = sum(len(w) for w in old_words if not _case_ok(w)) / letters
    new_bad_case = sum(len(w) for w in new_words if not _case_ok(w)) / letters
    if thresholds and new_bad_case > old_bad_case + _CASE_SLACK:
        return None  # cheap: the re-decoding breaks more letter case than it mends
    new_score, word_scores = judge.best_with_words(new_words, pair.judge_with)
    if thresholds and new_score < params["min_score"]:
        return None
    old_score = judge.best(old_text) if source_letters else 0.0
    gain = new_score - old_score + params["case_weight"] * (old_bad_case - new_bad_case)
    if thresholds and gain < params["min_gain"]:
        return None
    plausible = sum(
        len(word)
        for word, ok, score in zip(new_words, eligible, word_scores, strict=True)
        if ok and score >= params["word_score"]
    )
    if thresholds and plausible < params["min_valid_share"] * letters:
        return None
    evidence = Evidence(
        letters=letters,
        capitals_only=capitals_only,
        source_letters=source_letters,
        new_score=new_score,
        old_score=old_score,
        gain=gain,
        plausible=plausible,
    )
    return pair.redecode(expanded), evidence
