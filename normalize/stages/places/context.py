"""Whether a mention is the place: the evidence a rename (and a listing) needs.

All of it is rule data under `rules/places/` (`place-person`, `place-work-title`,
`place-referent`, `place-evidence`): a name in a person's shape (`Odessa Brown`, `Mr Lvov`,
`Prince Georgy Lvov`), inside a quoted title of a work (`the miniseries “Chernobyl”`) or
next to a homonym's telling words (`Kiev 88`, `Odessa, Fla.`) is not the place; an
ambiguous name (`Odessa`, `Lvov`, `Rovno`, `Nikolaev`) is the place only with evidence:
a cue of its country in the record (another Ukrainian place, `Ukraine`, a Ukrainian
source), or a place's frame around it (`in Odessa`, `the mayor of Lvov`, `Rovno’s
officials`), and never when the record names the homonym's home (`Texas`, `Permian`).
Only mentions that would be renamed, or whose form is ambiguous, are checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from normalize import pieces
from normalize.regex_safety import RulePattern, compile_rule_pattern
from normalize.ruleset import RuleSet
from normalize.stages.places.patterns import RecordPatterns

_WORD_AFTER = re.compile(r"\s+([^\W\d_][\w'’-]*)")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _alternation(patterns: Iterable[str]) -> RulePattern | None:
    patterns = list(patterns)
    if not patterns:
        return None
    return compile_rule_pattern("|".join(f"(?:{p})" for p in patterns), True, True)


@dataclass(frozen=True)
class Person:
    rule_id: str
    languages: tuple[str, ...]
    titles_before: frozenset[str]
    given_names: frozenset[str]
    roles_before: frozenset[str]
    words_after: frozenset[str]
    after: RulePattern | None


@dataclass(frozen=True)
class WorkTitle:
    rule_id: str
    languages: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]
    work_nouns: frozenset[str]
    max_words: int


@dataclass(frozen=True)
class Referent:
    rule_id: str
    languages: tuple[str, ...]
    ambiguous: bool
    homonym: RecordPatterns | None  # anywhere in the record: the homonym's home
    near: RecordPatterns | None  # over the mention: a homonym's or a person's words


@dataclass(frozen=True)
class Evidence:
    rule_id: str
    cues: RecordPatterns | None
    domains: tuple[str, ...]
    frames_before: frozenset[str]
    frames_after: tuple[str, ...]


@dataclass
class Context:
    """The compiled context rules (plain data and regexes: it pickles)."""

    people: list[Person] = field(default_factory=list)
    titles: list[WorkTitle] = field(default_factory=list)
    referents: dict[str, Referent] = field(default_factory=dict)  # form (any case) → rules
    evidence: Evidence | None = None


def build_context(ruleset: RuleSet) -> Context:
    context = Context()
    for rule in ruleset.of_kind("place-person"):
        s = rule.spec
        context.people.append(
            Person(
                rule.id,
                rule.languages,
                frozenset(t.lower().rstrip(".") for t in s.get("titles_before", [])),
                frozenset(s.get("given_names", [])),
                frozenset(r.lower() for r in s.get("roles_before", [])),
                frozenset(s.get("words_after", [])),
                _alternation(s.get("after_patterns", [])),
            )
        )
    for rule in ruleset.of_kind("place-work-title"):
        s = rule.spec
        context.titles.append(
            WorkTitle(
                rule.id,
                rule.languages,
                tuple((q[0], q[1]) for q in s["quotes"]),
                frozenset(n.lower() for n in s["work_nouns"]),
                int(s.get("max_words", 8)),
            )
        )
    for rule in ruleset.of_kind("place-referent"):
        s = rule.spec
        referent = Referent(
            rule.id,
            rule.languages,
            bool(s.get("ambiguous", False)),
            RecordPatterns.of(s.get("homonym_patterns", [])),
            RecordPatterns.of(s.get("near_patterns", [])),
        )
        for form in s["forms"]:
            for copy in (form, form.upper(), form.lower()):
                context.referents.setdefault(copy, referent)
    for rule in ruleset.of_kind("place-evidence"):
        s = rule.spec
        context.evidence = Evidence(
            rule.id,
            RecordPatterns.of(s.get("cue_patterns", [])),
            tuple(d.lower() for d in s.get("domains", [])),
            frozenset(f.lower() for f in s.get("frames_before", [])),
            tuple(f.lower() for f in s.get("frames_after", [])),
        )
    return context


@lru_cache(maxsize=1024)
def _applies(languages: tuple[str, ...], language: str | None) -> bool:
    """Context rules also guard records of no declared language (a rename may still apply)."""
    if not languages or not language:
        return True
    primary = language.split("-")[0].lower()
    return primary in languages or language in languages


class RecordCues:
    """What the whole record says, worked out once and only when a mention asks."""

    def __init__(
        self, texts: list[str], host: str | None, ukrainian_place: Callable[[int], bool]
    ) -> None:
        self.texts = texts
        self.host = host or ""
        self.ukrainian_place = ukrainian_place
        self._memo: dict[Any, Any] = {}

    def search(self, patterns: RecordPatterns | None) -> bool:
        if patterns is None:
            return False
        key = id(patterns)
        if key not in self._memo:
            self._memo[key] = any(patterns.search(self.lowered(t)) for t in self.texts)
        return self._memo[key]  # type: ignore[no-any-return]

    def accept(self, text: str, end: int) -> None:
        """A Ukrainian place accepted in this text, ending at `end`."""
        self._memo.setdefault(("ends", id(text)), set()).add(end)

    def coordinated(self, text: str, start: int) -> bool:
        """Right after an accepted Ukrainian place and `and` or a comma: `Kharkov and Odessa`."""
        ends = self._memo.get(("ends", id(text)))
        if not ends:
            return False
        gap = text[max(0, start - 6) : start]
        for joint in (" and ", ", ", " & ", " or "):
            if gap.endswith(joint) and (start - len(joint)) in ends:
                return True
        return False

    def lowered(self, text: str) -> str:
        key = ("lowered", id(text))
        if key not in self._memo:
            self._memo[key] = pieces.lower(text)  # = text.lower(), in pieces when large
        return self._memo[key]  # type: ignore[no-any-return]

    def quoted(self, text: str, title: WorkTitle) -> bool:
        """Whether the text has any opening quote of the title rule (else no title is quoted)."""
        key = ("quoted", id(title), id(text))
        if key not in self._memo:
            self._memo[key] = any(opening in text for opening, _closing in title.quotes)
        return self._memo[key]

    def country_cue(self, evidence: Evidence, place: int) -> bool:
        """A cue of the country in the record: its source, its words, another of its places."""
        if self.ukrainian_place(place):
            return True
        if "country" not in self._memo:
            host = self.host.lower()
            self._memo["country"] = (
                host.endswith(".ua")
                or any(d in host for d in evidence.domains)
                or self.search(evidence.cues)
            )
        return self._memo["country"]  # type: ignore[no-any-return]


def blocked(
    context: Context,
    text: str,
    start: int,
    end: int,
    surface: str,
    place: int,
    language: str | None,
    cased: int,
    cues: RecordCues,
) -> str | None:
    """The rule that says this mention is not the place, or None when it may be.

    `cased`: 0 for text without letter case, 1 for sentences, 2 for a Title-Cased headline
    (where a capitalised word after a name tells nothing)."""
    referent = context.referents.get(surface)
    if referent is not None and referent.near and _applies(referent.languages, language):
        lowered = cues.lowered(text)
        if len(lowered) == len(text) and referent.near.over(lowered, start, end):
            return referent.rule_id
    if cased:
        for person in context.people:
            if _applies(person.languages, language) and _person_shaped(
                person, text, start, end, cased == 1
            ):
                return person.rule_id
        for title in context.titles:
            if (
                _applies(title.languages, language)
                and cues.quoted(text, title)
                and _in_work_title(title, text, start, end)
            ):
                return title.rule_id
    if referent is not None and referent.ambiguous and _applies(referent.languages, language):
        return _unevidenced(context, referent, text, start, end, place, cues)
    return None


def _person_shaped(person: Person, text: str, start: int, end: int, sentence: bool) -> bool:
    word = _word_before(text, start)
    if word is not None and (
        word.lower().rstrip(".") in person.titles_before
        or word.lower() in person.roles_before
        or word in person.given_names
    ):
        return True
    if sentence and text[end : end + 1] == " ":
        after = _WORD_AFTER.match(text, end)
        word = after.group(1) if after is not None else ""
        if word[:1].isupper() and word not in person.words_after:
            return True
    return bool(person.after and person.after.match(text, end))


def _word_before(text: str, start: int) -> str | None:
    """The word just before a mention, when only a space parts them (`Mr Lvov`, `Dr. Hart`)."""
    before = text[max(0, start - 40) : start]
    if not before.endswith((" ", "\n", "\xa0")):
        return None
    words = before.split()
    return words[-1] if words and words[-1][0].isalpha() else None


def _in_work_title(title: WorkTitle, text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    for opening, closing in title.quotes:
        left = text.rfind(opening, line_start, start)
        if left < 0:
            continue
        if opening == closing and text.count(opening, line_start, start) % 2 == 0:
            continue  # that straight quote closed an earlier quotation
        if opening != closing and text.find(closing, left + 1, start) >= 0:
            continue
        right = text.find(closing, end)
        newline = text.find("\n", end)
        if right < 0 or (0 <= newline < right):
            continue
        if _title_like(title, text[left + 1 : right]) or _after_work_noun(title, text, left):
            return True
    return False


def _title_like(title: WorkTitle, quoted: str) -> bool:
    """Short, capitalised words, and not a sentence: how a title of a work looks."""
    words = quoted.split()
    if not words or len(words) > title.max_words or quoted.rstrip()[-1:] in ",.!?;:":
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in words if len(w) > 3)


def _after_work_noun(title: WorkTitle, text: str, left: int) -> bool:
    before = text[max(0, left - 40) : left].lower().split()[-3:]
    return any(w.strip(",:") in title.work_nouns for w in before)


def _unevidenced(
    context: Context,
    referent: Referent,
    text: str,
    start: int,
    end: int,
    place: int,
    cues: RecordCues,
) -> str | None:
    evidence = context.evidence
    if evidence is None:
        return referent.rule_id
    framed = _framed(evidence, text, start, end) or cues.coordinated(text, start)
    if cues.search(referent.homonym):  # the homonym's home is named: a frame is not enough
        return None if framed and cues.country_cue(evidence, place) else referent.rule_id
    return None if framed or cues.country_cue(evidence, place) else referent.rule_id


def _framed(evidence: Evidence, text: str, start: int, end: int) -> bool:
    """A place's frame: `in Lvov`, `the mayor of Odessa`; `Rovno’s officials`, `-based`."""
    before = text[max(0, start - 30) : start]
    if before.endswith(" "):
        words = before.lower().split()
        for size in (1, 2, 3, 4):
            if len(words) >= size and " ".join(words[-size:]) in evidence.frames_before:
                return True
    after = text[end : end + 30].lower().replace("’", "'")
    return after.startswith(evidence.frames_after)


def headline_shaped(text: str) -> bool:
    """Most longer words capitalised: a Title-Cased headline, not a sentence."""
    words = [w for w in _LONG_WORD.findall(text[:300])]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) * 3 >= len(words) * 2
