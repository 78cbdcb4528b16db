"""The gazetteer tables: every surface form of every place, what it means, and its renames.

Built once from the `place`, `place-group`, `place-rename` and `place-exception` rules.
A form means one place (a group, such as Donbas, means several), or it is an exception
phrase that protects the names inside it (`Chicken Kiev`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import RuleSet

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
MIN_TEXT_FORM = 3  # shorter forms are too ambiguous to look for in running text


@dataclass(frozen=True)
class Place:
    """One canonical place and the rule that defines it."""

    name: str
    country: str
    geonames_id: int | None
    kind: str
    rule_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "geonames_id": self.geonames_id}

    @property
    def key(self) -> tuple[Any, ...]:
        """`place_key` of `as_dict()`, without building the dict."""
        if self.geonames_id is not None:
            return ("id", self.geonames_id)
        return ("name", self.name, self.country)


@dataclass(frozen=True)
class Rename:
    """Rewrite a surface form to `to` in records of the rule's languages."""

    rule_id: str
    to: str
    languages: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Surface:
    """What one matched string means: a place (maybe renamed) or a protected phrase."""

    place: int | None  # index into the places list; None: an exception phrase
    text_ok: bool = True  # False: only in place fields (too ambiguous in running text)
    renames: tuple[Rename, ...] = ()
    exception_rule: str | None = None
    exception_languages: tuple[str, ...] = ()
    also: tuple[int, ...] = ()  # a group's other places (`Donbas`: both oblasts)

    @property
    def places(self) -> tuple[int, ...]:
        return () if self.place is None else (self.place, *self.also)


@dataclass
class Gazetteer:
    """Places, what every text form means, and the folded lookup place fields use."""

    places: list[Place]
    surfaces: dict[str, Surface]
    lookup: dict[str, tuple[int, ...]]  # folded form → place indexes
    exceptions_folded: dict[str, str]  # folded phrase → rule id


def fold(text: str) -> str:
    """The key place-field values are looked up by: NFC, case-folded, one apostrophe, one space."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return " ".join(text.casefold().split())


def apostrophe_copies(form: str) -> list[str]:
    """A form with a straight apostrophe also matches the typographic one, and back."""
    copies = [form]
    for a, b in (("'", "’"), ("’", "'")):
        if a in form and form.replace(a, b) not in copies:
            copies.append(form.replace(a, b))
    return copies


def surface_copies(form: str) -> list[str]:
    """The form as written and, for Latin-script forms, in capitals (datelines: `KYIV`)."""
    copies = [form]
    upper = form.upper()
    if upper != form and form.isascii() and len(form) >= 4:
        copies.append(upper)
    return copies


def _all_forms(spec: Any) -> list[str]:
    forms = [spec["name"]]
    for lang in sorted(spec["variants"]):
        forms.extend(spec["variants"][lang])
    return forms


def build_gazetteer(ruleset: RuleSet) -> Gazetteer:
    """Every form of every place and group, the renames, and the exception phrases."""
    places: list[Place] = []
    by_name: dict[str, tuple[int, ...]] = {}
    forms: dict[str, tuple[tuple[int, ...], bool]] = {}
    lookup: dict[str, tuple[int, ...]] = {}
    for rule in ruleset.of_kind("place"):
        spec = rule.spec
        index = len(places)
        places.append(
            Place(spec["name"], spec["country"], spec["geonames_id"], spec["place_kind"], rule.id)
        )
        by_name.setdefault(spec["name"], (index,))
        _add_forms(spec, (index,), forms, lookup)
    for rule in ruleset.of_kind("place-group"):
        members = tuple(by_name[n][0] for n in rule.spec["places"] if n in by_name)
        if members:  # an unknown member is reported by the rule-data tests
            by_name.setdefault(rule.spec["name"], members)
            _add_forms(rule.spec, members, forms, lookup)
    renames = _renames(ruleset, by_name, forms, places)
    shared: dict[Surface, Surface] = {}  # one object per meaning: smaller to pickle and load
    surfaces: dict[str, Surface] = {}
    for surface, (indexes, text_ok) in forms.items():
        meaning = Surface(indexes[0], text_ok, tuple(renames.get(surface, ())), also=indexes[1:])
        surfaces[surface] = shared.setdefault(meaning, meaning)
    exceptions_folded: dict[str, str] = {}
    for rule in ruleset.of_kind("place-exception"):
        for phrase in rule.spec["phrases"]:
            exceptions_folded.setdefault(fold(phrase), rule.id)
            for surface in apostrophe_copies(phrase):
                meaning = Surface(None, True, (), rule.id, rule.languages)
                surfaces[surface] = shared.setdefault(meaning, meaning)
    return Gazetteer(places, surfaces, lookup, exceptions_folded)


def _add_forms(
    spec: Any,
    indexes: tuple[int, ...],
    forms: dict[str, tuple[tuple[int, ...], bool]],
    lookup: dict[str, tuple[int, ...]],
) -> None:
    field_only = set(spec.get("field_only", []))
    for form in _all_forms(spec):
        lookup.setdefault(fold(form), indexes)
        text_ok = form not in field_only and len(form) >= MIN_TEXT_FORM
        for surface in surface_copies(form):
            if surface not in forms:
                forms[surface] = (indexes, text_ok)


def _renames(
    ruleset: RuleSet,
    by_name: dict[str, tuple[int, ...]],
    forms: dict[str, tuple[tuple[int, ...], bool]],
    places: list[Place],
) -> dict[str, list[Rename]]:
    """Each rename's surfaces; a longer form of a place whose name begins with a rename's
    target takes that rename for its first word (`Kiev Oblast` → `Kyiv Oblast`, by the
    Kyiv rule; `Dnepropetrovsk Oblast` is no `Dnipro Oblast` and keeps its words)."""
    renames: dict[str, list[Rename]] = {}
    for rule in ruleset.of_kind("place-rename"):
        target = by_name.get(rule.spec["place"])
        if target is None:
            continue  # `metanorm rules lint` and the rule-data tests report it
        for form in rule.spec["from"]:
            for surface in surface_copies(form):
                forms.setdefault(surface, (target, True))
                to = rule.spec["to"]
                if surface.isupper() and not form.isupper():
                    to = to.upper()
                renames.setdefault(surface, []).append(
                    Rename(rule.id, to, rule.languages, rule.fields)
                )
    single = {s: r for s, r in renames.items() if " " not in s and "-" not in s}
    for surface, (indexes, _text_ok) in forms.items():
        head, sep, rest = surface.partition(" ")
        if sep and surface not in renames and head in single:
            name = places[indexes[0]].name.casefold()
            renames[surface] = [
                Rename(r.rule_id, f"{r.to} {rest}", r.languages, r.fields)
                for r in single[head]
                if name.startswith(r.to.casefold() + " ")
            ]
    return renames
