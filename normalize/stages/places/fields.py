"""Place fields (`place`, `location`, `dateline`, …) read into canonical places, and the
record's `places` list: the field's places first, then each place the text names, once.

A part the hand-kept gazetteer does not know is looked up among GeoNames' cities
(`Kursk, Russia` → Kursk, RU, 538560; a bare name needs a city of `bare_min_population`),
and a Ukrainian name neither knows is romanized by the national standard (`Згурівка` →
Zghurivka, UA) with no GeoNames id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.regex_safety import RulePattern
from normalize.stages.places.gazetteer import Gazetteer, Place, fold
from normalize.stages.places.geonames import city_index
from normalize.stages.places.romanize import Romanizer
from normalize.work import WorkRecord

_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ'’ʼ]")
_CYRILLIC_NAME = re.compile(r"^[\u0400-\u04ff'’ʼ\- ]+$")


@dataclass
class FieldRules:
    """How place fields are read (the `place-field` rule) and romanized."""

    rule_id: str | None
    split: RulePattern | None
    strip: tuple[RulePattern, ...]
    bare_min_population: int
    romanizer: Romanizer | None


@dataclass
class FieldResult:
    """The place field read: the places it names, and whether it was already canonical."""

    places: list[dict[str, Any]] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    canonical: bool = True
    unresolved: Any = None


def is_canonical_place(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"name", "country", "geonames_id"}
        and isinstance(value.get("name"), str)
    )


def resolve_place_text(
    value: str, gazetteer: Gazetteer, rules: FieldRules, language: str | None = None
) -> list[Place] | None:
    """A place-field string → places (a qualifying country dropped), or None.

    `Kiev, Ukraine` → [Kyiv]; `KYIV (Reuters)` → [Kyiv]; `Kursk, Russia` → [Kursk];
    `Odessa, Texas` → None (an exception phrase); any part that names nothing → None.
    """
    whole = fold(value)
    if not whole or whole in gazetteer.exceptions_folded:
        return None
    if whole in gazetteer.lookup:
        return [gazetteer.places[i] for i in gazetteer.lookup[whole]]
    cleaned = value
    for pattern in rules.strip:
        cleaned = pattern.sub(" ", cleaned)
    parts = [
        fold(p).strip(" .-–—:") for p in (rules.split.split(cleaned) if rules.split else [cleaned])
    ]
    parts = [p for p in parts if p and not any(ch.isdigit() for ch in p)]  # dates in datelines
    known = {p: gazetteer.lookup.get(p) for p in parts}
    countries = [
        gazetteer.places[ids[0]].country
        for ids in known.values()
        if ids and gazetteer.places[ids[0]].kind == "country"
    ]
    found: list[Place] = []
    for part in parts:
        ids = known[part]
        places = (
            [gazetteer.places[i] for i in ids]
            if ids
            else _unknown_part(part, countries[0] if countries else None, rules, language)
        )
        if places is None:
            return None
        found.extend(p for p in places if p not in found)
    return _without_qualifiers(found) or None


def _unknown_part(
    part: str, country: str | None, rules: FieldRules, language: str | None
) -> list[Place] | None:
    """A GeoNames city, or a Ukrainian name romanized; None when neither fits."""
    index = city_index()
    city = index.find(part, country) if index is not None else None
    if city is not None and (country is not None or city.population >= rules.bare_min_population):
        return [Place(city.name, city.country, city.geonames_id, "city", rules.rule_id or "")]
    romanizer = rules.romanizer
    ukrainian = _UKRAINIAN_LETTERS.search(part) or (language or "").startswith("uk")
    if romanizer is None or not _CYRILLIC_NAME.match(part) or not ukrainian:
        return None
    if country not in (None, "UA"):
        return None
    name = romanizer.romanize(part, title=True)
    city = index.find(part, "UA") or index.find(name, "UA") if index is not None else None
    if city is not None:
        return [Place(city.name, city.country, city.geonames_id, "city", romanizer.rule_id)]
    return [Place(name, "UA", None, "city", romanizer.rule_id)]


def _without_qualifiers(found: list[Place]) -> list[Place]:
    """`Kiev, Ukraine`: a country after a place of that country only qualifies it."""
    return [
        p
        for p in found
        if p.kind != "country"
        or not any(o.country == p.country and o.kind != "country" for o in found)
    ]


def read_field(
    work: WorkRecord, gazetteer: Gazetteer, rules: FieldRules, memo: dict[Any, Any]
) -> FieldResult:
    value = work.values.get("places")
    result = FieldResult()
    if value is None or value == [] or value == "":
        return result
    items = value if isinstance(value, list) else [value]
    unresolved: list[Any] = []
    for item in items:
        if is_canonical_place(item):
            result.places.append(dict(item))
            continue
        result.canonical = False
        text = item.get("name") if isinstance(item, dict) else item
        found = None
        if isinstance(text, str):
            key = (text, work.language)
            found = (
                memo[key]
                if key in memo
                else memo.setdefault(key, resolve_place_text(text, gazetteer, rules, work.language))
            )
        if found is None:
            unresolved.append(item)
            blocked_by = (
                gazetteer.exceptions_folded.get(fold(text)) if isinstance(text, str) else None
            )
            if blocked_by:
                result.rule_ids.append(blocked_by)  # e.g. `Odessa, Texas` is not Odesa
            continue
        for place in found:
            result.places.append(place.as_dict())
            result.rule_ids.append(place.rule_id or rules.rule_id or "")
    if unresolved:
        result.unresolved = unresolved if isinstance(value, list) else value
    return result


def list_places(
    work: WorkRecord,
    gazetteer: Gazetteer,
    rules: FieldRules,
    read: FieldResult,
    mentioned: list[int],
) -> None:
    """Write `places` (and an unresolved field into `meta`) through `work.set`."""
    listed: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    fired = [r for r in read.rule_ids if r]
    for place in read.places:
        key = place_key(place)
        if key not in keys:
            keys.add(key)
            listed.append(place)
    for index in dict.fromkeys(mentioned):  # a place named again adds nothing
        known = gazetteer.places[index]
        if known.key not in keys:
            keys.add(known.key)
            listed.append(known.as_dict())
            fired.append(known.rule_id)
    before = work.values.get("places")
    if read.unresolved is not None:
        if rules.rule_id is None:
            return  # no rule to read place fields by: the field stays as it was
        key = work.hints.get("places_key", "place")
        work.set_meta(key, read.unresolved, rules.rule_id)
        work.warn("place.unresolved", "places", f"no known place in {key}: {read.unresolved!r}")
    elif before is None and not listed:
        return
    if before == listed:
        return
    fired = list(dict.fromkeys(fired))
    rule_id = rules.rule_id if not read.canonical and rules.rule_id else None
    rule_id = rule_id or (fired[0] if fired else rules.rule_id)
    if rule_id is None:
        return
    work.set("places", listed, rule_id)
    already = set(work.fired)
    for other in fired:
        if other not in already:
            work.fire(other)


def place_key(place: Mapping[str, Any]) -> tuple[Any, ...]:
    gid = place.get("geonames_id")
    if gid is not None:
        return ("id", gid)
    return ("name", place.get("name"), place.get("country"))
