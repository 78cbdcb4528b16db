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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from normalize.regex_safety import RulePattern, compile_rule_pattern
from normalize.ruleset import RuleSet
from normalize.stages.places.cues import RecordCues
from normalize.stages.places.patterns import PatternSet, RecordPatterns, alternation

_WORD_AFTER = re.compile(r"\s+([^\W\d_][\w'’-]*)")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_AFTER_WINDOW = 40  # characters after a name that its `after_patterns` see
_SPACES = (" ", "\n", "\xa0")  # what may part a title or a given name from the name


def _after_patterns(
    patterns: Iterable[str], sources: list[str]
) -> tuple[RulePattern | None, int | None]:
    """The patterns of the text right after a name, matched anchored where it ends (a
    leading `^` says so). When no `^` or `\\A` is left in them, they also take a slot of the
    `PatternSet`: a text where they match nowhere needs no look after each name."""
    bare = [p[1:] if p.startswith("^") else p for p in patterns]
    if not bare:
        return None, None
    after = compile_rule_pattern(alternation(bare), True, True)
    if any("^" in p or "\\A" in p for p in bare):
        return after, None
    sources.append(alternation(bare))
    return after, len(sources) - 1


@dataclass(frozen=True)
class Person:
    rule_id: str
    languages: tuple[str, ...]
    titles_before: frozenset[str]
    given_names: frozenset[str]
    roles_before: frozenset[str]
    words_after: frozenset[str]
    after: RulePattern | None  # matched where the name ends (a leading `^` left out)
    after_slot: int | None  # its slot in the `PatternSet`; None: looked for after every name


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
    patterns: PatternSet = field(default_factory=lambda: PatternSet(()))  # all the above's

    def cues(self, texts: list[str], host: str | None, plain_places: set[int]) -> RecordCues:
        """A record's cues, for `blocked`."""
        return RecordCues(texts, host, self.patterns, plain_places)


def build_context(ruleset: RuleSet) -> Context:
    context = Context()
    sources: list[str] = []  # the patterns of every rule, for one `PatternSet`
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
                *_after_patterns(s.get("after_patterns", []), sources),
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
            RecordPatterns.of(s.get("homonym_patterns", []), sources),
            RecordPatterns.of(s.get("near_patterns", []), sources),
        )
        for form in s["forms"]:
            for copy in (form, form.upper(), form.lower()):
                context.referents.setdefault(copy, referent)
    for rule in ruleset.of_kind("place-evidence"):
        s = rule.spec
        context.evidence = Evidence(
            rule.id,
            RecordPatterns.of(s.get("cue_patterns", []), sources),
            tuple(d.lower() for d in s.get("domains", [])),
            frozenset(f.lower() for f in s.get("frames_before", [])),
            tuple(f.lower() for f in s.get("frames_after", [])),
        )
    context.patterns = PatternSet(sources)
    return context


@lru_cache(maxsize=1024)
def _applies(languages: tuple[str, ...], language: str | None) -> bool:
    """Context rules also guard records of no declared language (a rename may still apply)."""
    if not languages or not language:
        return True
    primary = language.split("-")[0].lower()
    return primary in languages or language in languages


@dataclass(frozen=True)
class View:
    """One text of a record as the checks see it, worked out once per text."""

    text: str
    case: int  # 0: no letter case to rely on; 1: sentences; 2: a Title-Cased headline
    matched: frozenset[int]  # the `PatternSet` slots that match somewhere in it
    people: tuple[Person, ...]  # person rules of the record's language (none without case)
    titles: tuple[WorkTitle, ...]  # work-title rules of its language whose quotes it has


def view(context: Context, text: str, case: int, language: str | None, cues: RecordCues) -> View:
    people: tuple[Person, ...] = ()
    titles: tuple[WorkTitle, ...] = ()
    if case:
        people = tuple(p for p in context.people if _applies(p.languages, language))
        titles = tuple(
            t
            for t in context.titles
            if _applies(t.languages, language) and any(q in text for q, _c in t.quotes)
        )
    return View(text, case, cues.matched(text), people, titles)


def blocked(
    context: Context,
    seen: View,
    start: int,
    end: int,
    surface: str,
    place: int,
    language: str | None,
    cues: RecordCues,
) -> str | None:
    """The rule that says this mention is not the place, or None when it may be (in a
    Title-Cased headline a capitalised word after a name tells nothing)."""
    text = seen.text
    referent = context.referents.get(surface)
    if referent is not None and not _applies(referent.languages, language):
        referent = None
    if (
        referent is not None
        and referent.near is not None
        and referent.near.slot in seen.matched
        and referent.near.over(text, start, end)
    ):
        return referent.rule_id
    for person in seen.people:
        if _person_shaped(person, seen, start, end):
            return person.rule_id
    for title in seen.titles:
        if _in_work_title(title, text, start, end):
            return title.rule_id
    if referent is not None and referent.ambiguous:
        return _unevidenced(context, referent, text, start, end, place, cues)
    return None


def _person_shaped(person: Person, seen: View, start: int, end: int) -> bool:
    text = seen.text
    if start and text[start - 1] in _SPACES:  # the word before: `Mr Lvov`, `Dr. Hart`
        words = text[max(0, start - 40) : start].rsplit(None, 1)
        word = words[-1] if words else ""
        if word[:1].isalpha() and (
            word.lower().rstrip(".") in person.titles_before
            or word.lower() in person.roles_before
            or word in person.given_names
        ):
            return True
    # the word after, in a sentence: `Odessa Brown` (a lower-case letter next says no)
    if seen.case == 1 and text[end : end + 1] == " " and not text[end + 1 : end + 2].islower():
        after = _WORD_AFTER.match(text, end)
        word = after.group(1) if after is not None else ""
        if word[:1].isupper() and word not in person.words_after:
            return True
    if person.after is None:
        return False
    if person.after_slot is not None and person.after_slot not in seen.matched:
        return False  # the patterns match nowhere in this text
    # anchored where the name ends, in a short window (with the name's last letter, for
    # `\b`): RE2's binding encodes all the text it is given at every call
    window = text[end - 1 : end + _AFTER_WINDOW + 1]
    return person.after.match(window, 1, min(len(window), _AFTER_WINDOW + 1)) is not None


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
    country = cues.country_cue(evidence, place)  # the record's, worked out once
    if cues.search(referent.homonym):  # the homonym's home is named: a frame is not enough
        if not country:
            return referent.rule_id
    elif country:
        return None
    framed = _framed(evidence, text, start, end) or cues.coordinated(text, start)
    return None if framed else referent.rule_id


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
