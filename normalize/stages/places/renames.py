"""Which rename applies to a mention, and writing renames as one change step per rule.

A rename is scoped to languages (`place.en.kyiv`: English records). A record that declares
no language is renamed only when its text reads as that language: mostly Latin letters
and enough of the language's function words (`place-language-cues` rule data).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import filterfalse

from normalize.ruleset import RuleSet
from normalize.stages.places.gazetteer import Rename, Surface
from normalize.stages.places.matcher import language_applies
from normalize.work import WorkRecord

_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageCue:
    rule_id: str
    words: frozenset[str]
    min_hits: int
    min_ratio: float


def build_cues(ruleset: RuleSet) -> dict[str, LanguageCue]:
    return {
        rule.spec["language"]: LanguageCue(
            rule.id,
            frozenset(w.casefold() for w in rule.spec["words"]),
            int(rule.spec.get("min_hits", 2)),
            float(rule.spec.get("min_ratio", 0.1)),
        )
        for rule in ruleset.of_kind("place-language-cues")
    }


def applicable_rename(
    meaning: Surface,
    field_name: str,
    language: str | None,
    text: str,
    cues: dict[str, LanguageCue],
    decided: dict[str, bool],
    work: WorkRecord,
) -> Rename | None:
    for rename in meaning.renames:
        if rename.fields and field_name not in rename.fields:
            continue
        if language:
            if language_applies(rename.languages, language):
                return rename
            continue
        if not rename.languages:
            return rename
        for lang in rename.languages:  # undeclared: the text must read as that language
            if lang not in decided:
                decided[lang] = _text_shows_language(text, cues.get(lang), work)
            if decided[lang]:
                return rename
    return None


def _latin_words(words: list[str]) -> int:
    """How many words have every letter below U+0250 (C-level: no Python call per word)."""
    highest = sorted(map(max, filterfalse(str.isascii, words)))  # of each non-ASCII word
    return len(words) - len(highest) + bisect_left(highest, "\u0250")


def _text_shows_language(text: str, cue: LanguageCue | None, work: WorkRecord) -> bool:
    """Latin-script text whose common function words are those of the cue's language."""
    if cue is None:
        return False
    head = text[:2000]
    sample = _WORD_RE.findall(head)
    if not sample:
        return False
    latin = len(sample) if head.isascii() else _latin_words(sample)
    if latin * 2 < len(sample):
        return False
    hits = sum(map(cue.words.__contains__, map(str.casefold, sample)))
    if hits >= cue.min_hits and hits / len(sample) >= cue.min_ratio:
        work.fire(cue.rule_id)
        return True
    return False


def write_renames(
    work: WorkRecord, name: str, text: str, spans: list[tuple[int, int, str, str]]
) -> None:
    """One change step per rule: the text with the first rule's renames, then with the
    second's added, and so on (`explain` then names each rename by its own rule). When no
    steps are kept, the text is joined once and each rule that changed it fires in turn."""
    pieces: list[str] = []  # the text between spans, then each span as the text says it
    by_rule: dict[str, list[tuple[int, str]]] = {}
    last = 0
    for start, end, to, rule_id in spans:
        pieces.append(text[last:start])
        by_rule.setdefault(rule_id, []).append((len(pieces), to))
        pieces.append(text[start:end])
        last = end
    pieces.append(text[last:])
    if not work.keep_steps:
        changed = [r for r, done in by_rule.items() if any(pieces[i] != to for i, to in done)]
        for replaced in by_rule.values():
            for index, to in replaced:
                pieces[index] = to
        if changed:
            work.set(name, "".join(pieces), changed[0])
            for rule_id in changed[1:]:
                work.fire(rule_id)
        return
    for rule_id, replaced in by_rule.items():
        for index, to in replaced:
            pieces[index] = to
        work.set(name, "".join(pieces), rule_id)


def record_language(work: WorkRecord) -> str | None:
    """The declared language (the lead sets hints['language']); else read the field."""
    if work.language:
        return work.language
    value = work.values.get("language")
    if not isinstance(value, str) or not value.strip():
        return None
    from normalize.langtags import language_hint

    return language_hint({"language": value})


def matched_case(to: str, said: str) -> str:
    """The rename in the case the text wrote the name: `kiev` → `kyiv`, `KIEV` → `KYIV`."""
    if said.islower():
        return to.lower()
    if said.isupper() and len(said) > 1:
        return to.upper()
    return to
