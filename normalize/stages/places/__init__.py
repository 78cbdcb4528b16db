"""Places: canonical place names in text and in the place field.

The gazetteer (`place`, `place-group`), the per-language renames (`place-rename`), the fixed
expressions left alone (`place-exception`), the context a rename needs (`place-person`,
`place-work-title`, `place-referent`, `place-evidence`), how place fields are read
(`place-field`, `place-romanize`) and the cues that tell an undeclared language
(`place-language-cues`) are all rule data under `rules/places/`. The modules here:
`gazetteer` (the tables), `matcher` (finding forms), `context` (is it the place?),
`renames`, `fields` (place fields and the `places` list), `geonames` (GeoNames cities for
place fields, loaded lazily) and `romanize` (the Ukrainian national romanization).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from normalize.regex_safety import compile_rule_pattern
from normalize.ruleset import RuleSet
from normalize.stages.places.context import Context, View, blocked, build_context, view
from normalize.stages.places.context import headline_shaped as _headline
from normalize.stages.places.fields import (
    FieldRules,
    list_places,
    read_field,
)
from normalize.stages.places.fields import resolve_place_text as _resolve
from normalize.stages.places.gazetteer import (
    Gazetteer,
    Place,
    Rename,
    Surface,
    build_gazetteer,
    fold,
)
from normalize.stages.places.kinds import KINDS, NAME
from normalize.stages.places.matcher import (
    LARGE_TEXT,
    Found,
    MatchTables,
    build_tables,
    caseless_surfaces,
    has_no_case,
    scan,
    trie_pattern,
)
from normalize.stages.places.matcher import match_at as _match_at
from normalize.stages.places.renames import (
    LanguageCue,
    applicable_rename,
    build_cues,
    matched_case,
    record_language,
    write_renames,
)
from normalize.stages.places.romanize import build_romanizer
from normalize.work import WorkRecord

READS = frozenset({"title", "text", "language", "places"})
WRITES = frozenset({"places", "meta"})
EDITS = frozenset({"title", "text"})

__all__ = [
    "EDITS",
    "KINDS",
    "NAME",
    "READS",
    "WRITES",
    "CompiledPlaces",
    "Mention",
    "Place",
    "Rename",
    "Surface",
    "build",
    "compile",
    "find_mentions",
    "fold",
    "match_at",
    "resolve_place_text",
    "run",
    "trie_pattern",
]


class Memo(dict[Any, Any]):
    """Results of a pure function, at most `size` of them (then it starts again). Never
    pickled: a copy starts empty."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: Any, value: Any) -> Any:
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value

    def __reduce__(self) -> tuple[type[Memo], tuple[int]]:
        return (Memo, (self.size,))


@dataclass
class CompiledPlaces:
    """Everything `run` needs; plain data (dicts, sets and small regexes), so it pickles."""

    gazetteer: Gazetteer
    cased: MatchTables
    caseless: MatchTables  # lower-cased forms, for text with no letter case
    context: Context
    fields: FieldRules
    cues: dict[str, LanguageCue]
    # mentions of the last texts: a record's second pass (another language) sees them again
    recent: Memo = field(default_factory=lambda: Memo(4), compare=False, repr=False)
    # place-field values resolved: they repeat from record to record
    resolved: Memo = field(default_factory=lambda: Memo(4096), compare=False, repr=False)

    @property
    def places(self) -> list[Place]:
        return self.gazetteer.places


def compile(ruleset: RuleSet) -> CompiledPlaces:
    """Build the gazetteer tables and the matchers from the place rules, kept in the
    persistent cache (`normalize.cache`) under a hash of those rules."""
    import pickle

    from normalize import cache

    mine = [
        (r.id, r.kind, r.fields, r.languages, r.sources, dict(r.spec))
        for r in ruleset.rules
        if r.kind in KINDS
    ]
    try:
        key = pickle.dumps(mine, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unusual rule value: build without the cache
        return build(ruleset)
    return cache.cached("places", ["places", key], lambda: build(ruleset))


def build(ruleset: RuleSet) -> CompiledPlaces:
    """`compile` without the cache."""
    gazetteer = build_gazetteer(ruleset)
    stop = {f.lower() for r in ruleset.of_kind("place-caseless") for f in r.spec["forms"]}
    field_rules = ruleset.of_kind("place-field")
    rule = field_rules[-1] if field_rules else None
    return CompiledPlaces(
        gazetteer=gazetteer,
        cased=build_tables(gazetteer.surfaces),
        caseless=build_tables(caseless_surfaces(gazetteer.surfaces, stop), caseless=True),
        context=build_context(ruleset),
        fields=FieldRules(
            rule_id=rule.id if rule else None,
            split=compile_rule_pattern(rule.spec["split"]) if rule else None,
            strip=tuple(compile_rule_pattern(p) for p in rule.spec.get("strip", []))
            if rule
            else (),
            bare_min_population=int(rule.spec.get("bare_min_population", 0)) if rule else 0,
            romanizer=build_romanizer(ruleset),
        ),
        cues=build_cues(ruleset),
    )


@dataclass(frozen=True)
class Mention:
    """One place found in a text: where, which, and what the text said."""

    start: int
    end: int
    surface: str
    meaning: Surface


def _mentions(text: str, compiled: CompiledPlaces, language: str | None) -> tuple[list[Found], int]:
    """The text's mentions, and its case: 0 none to rely on, 1 sentences, 2 a headline."""
    key = (text, language)
    memo = compiled.recent.get(key)
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    if has_no_case(text):
        result = (scan(text.lower(), compiled.caseless, language), 0)
    else:
        result = (scan(text, compiled.cased, language), 1)
    if len(text) > LARGE_TEXT:
        return result  # not kept: a large field would outlive its record in the memo
    return compiled.recent.keep(key, result)  # type: ignore[no-any-return]


def find_mentions(text: str, compiled: CompiledPlaces, language: str | None) -> list[Mention]:
    """Every gazetteer form and applicable exception phrase in the text, left to right."""
    return [Mention(*found) for found in _mentions(text, compiled, language)[0]] if text else []


def match_at(text: str, start: int, compiled: CompiledPlaces) -> str | None:
    """The longest form that stands at `start` as whole words, or None (for tools and tests)."""
    return _match_at(text, start, compiled.cased)


def resolve_place_text(
    value: str, compiled: CompiledPlaces, language: str | None = None
) -> list[Place] | None:
    """A place-field string → its places, or None (see `fields.resolve_place_text`)."""
    return _resolve(value, compiled.gazetteer, compiled.fields, language)


def run(work: WorkRecord, compiled: CompiledPlaces) -> None:
    """Rename in title and text, resolve the place field, list the places, in that order."""
    language = record_language(work)
    found: dict[str, tuple[str, list[Found], int]] = {}
    for name in ("title", "text"):
        text = work.text(name)
        if text:
            mentions, case = _mentions(text, compiled, language)
            if mentions:
                found[name] = (text, mentions, case)
    mentioned = _accepted(work, compiled, found, language) if found else {}
    decided: dict[str, bool] = {}
    places: list[int] = []
    for name, (text, _found, case) in found.items():
        spans: list[tuple[int, int, str, str]] = []
        for start, end, _surface, meaning in mentioned.get(name, []):
            places.extend(meaning.places)
            rename = applicable_rename(meaning, name, language, text, compiled.cues, decided, work)
            if rename is not None:
                to = rename.to if case else matched_case(rename.to, text[start:end])
                spans.append((start, end, to, rename.rule_id))
        if spans:
            write_renames(work, name, text, spans)
    read = read_field(work, compiled.gazetteer, compiled.fields, compiled.resolved)
    list_places(work, compiled.gazetteer, compiled.fields, read, places)


def _accepted(
    work: WorkRecord,
    compiled: CompiledPlaces,
    found: dict[str, tuple[str, list[Found], int]],
    language: str | None,
) -> dict[str, list[Found]]:
    """The place mentions the context lets stand: a guarded one (it would be renamed, or
    its form is ambiguous) needs the evidence `context` asks for; the others always do."""
    context = compiled.context
    places = compiled.gazetteer.places
    plain_ua = {
        m[3].place
        for _t, mentions, _c in found.values()
        for m in mentions
        if m[3].place is not None
        and places[m[3].place].country == "UA"
        and not _ambiguous(context, m[2])
    }
    cues = context.cues([t for t, _m, _c in found.values()], work.host, plain_ua)
    kept: dict[str, list[Found]] = {}
    views: dict[str, View] = {}
    waiting: list[tuple[str, Found]] = []
    referents = context.referents
    for name, (text, mentions, case) in found.items():
        if case == 1 and name == "title" and _headline(text):
            case = 2
        kept[name] = []
        for mention in mentions:
            start, end, surface, meaning = mention
            if meaning.place is None:
                continue
            rule = None
            if meaning.renames or surface in referents:  # guarded: it needs the evidence
                seen = views.get(name) or views.setdefault(
                    name, view(context, text, case, language, cues)
                )
                rule = blocked(context, seen, start, end, surface, meaning.place, language, cues)
            if not rule:
                kept[name].append(mention)
                if places[meaning.place].country == "UA":
                    cues.accept(text, end, meaning.place)
            elif _ambiguous(context, surface):
                waiting.append((name, mention))
    for name, mention in waiting:  # a place named later is evidence for earlier ones
        start, end, surface, meaning = mention
        assert meaning.place is not None
        if not blocked(context, views[name], start, end, surface, meaning.place, language, cues):
            kept[name].append(mention)
    for mentions in kept.values():
        mentions.sort(key=lambda m: m[0])
    return kept


def _ambiguous(context: Context, surface: str) -> bool:
    referent = context.referents.get(surface)
    return referent is not None and referent.ambiguous
