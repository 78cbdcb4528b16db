"""The dates stage's rule kinds, their checks, and what `compile` makes of them: a grammar
(CLDR locales, the words CLDR lacks), the enabled forms, order rules and source rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize.regex_safety import PatternError, RulePattern, compile_rule_pattern
from normalize.ruleset import KindError, KindSpec, Rule, RuleSet
from normalize.stages.dates.grammar import Grammar, grammar_from_words
from normalize.stages.dates.locales import AM, PM, cldr_day_first
from normalize.stages.dates.readings import FORMS
from normalize.stages.dates.resolve import UNITS

NAME = "dates"
ORDERS = {"dmy": True, "mdy": False}
SOURCES = ("captured", "text", "url", "reference")


def _check_format(spec: Mapping[str, Any]) -> None:
    if spec["form"] not in FORMS:
        raise KindError("form", f"unknown form {spec['form']!r} (known: {', '.join(FORMS)})")


def _check_order(spec: Mapping[str, Any]) -> None:
    if ("order" in spec) == ("locale" in spec):
        raise KindError("order", "give exactly one of `order` (dmy, mdy, cldr) or `locale`")
    if "order" in spec and spec["order"] not in (*ORDERS, "cldr"):
        raise KindError("order", "`order` is dmy, mdy or cldr (the locale's CLDR pattern)")
    if "locale" in spec and cldr_day_first(spec["locale"]) is None:
        raise KindError("locale", f"babel has no date pattern for locale {spec['locale']!r}")
    seps = spec.get("separators", [])
    if not all(isinstance(s, str) and s in "./-" and len(s) == 1 for s in seps):
        raise KindError("separators", "separators are single characters among `.`, `/`, `-`")


def _check_words(spec: Mapping[str, Any]) -> None:
    if not spec:
        raise KindError("skip", "a date-words rule needs at least one word list")
    for key in ("months", "weekdays"):
        top = 12 if key == "months" else 7
        for number, words in spec.get(key, {}).items():
            if not isinstance(number, int) or not 1 <= number <= top:
                raise KindError(key, f"{key} are numbered 1–{top}, not {number!r}")
            _check_strings(key, words)
    for key in ("skip", "ordinals", "locales"):
        _check_strings(key, spec.get(key, []))
    _check_relative(spec)
    for what, words in spec.get("meridiem", {}).items():
        if what not in ("am", "pm", "noon", "midnight"):
            raise KindError("meridiem", f"meridiem keys are am, pm, noon, midnight, not {what!r}")
        _check_strings("meridiem", words)
    for zone, offset in spec.get("zones", {}).items():
        if not isinstance(offset, str) or not re.fullmatch(r"[+-]\d{2}:\d{2}", offset):
            raise KindError("zones", f"zone {zone!r}: the offset is written like `-04:00`")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_relative(spec: Mapping[str, Any]) -> None:
    """The relative-date words CLDR lacks: units, direction words, offsets, counts."""
    for word, offset in spec.get("relative", {}).items():
        unit_offset = isinstance(offset, list) and len(offset) == 2 and offset[0] in UNITS
        if not (isinstance(offset, int) and not isinstance(offset, bool)) and not unit_offset:
            raise KindError(
                "relative", f"{word!r}: a day offset (`вчера: -1`) or [unit, offset] (`[year, -1]`)"
            )
    for unit, words in spec.get("units", {}).items():
        if unit not in UNITS:
            raise KindError("units", f"units are {', '.join(UNITS)}, not {unit!r}")
        _check_strings("units", words)
    for key in ("past", "future", "filler", "prefixes"):
        _check_strings(key, spec.get(key, []))
    for word, offset in spec.get("shifts", {}).items():
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise KindError("shifts", f"{word!r}: a shift maps to its offset (`prošlog: -1`)")
    for word, value in spec.get("numbers", {}).items():
        if not _number(value):
            raise KindError("numbers", f"{word!r}: a number word maps to its value (`a: 1`)")
    for word, value in spec.get("amounts", {}).items():
        if not (isinstance(value, list) and len(value) == 2 and _number(value[0])):
            raise KindError("amounts", f"{word!r}: an amount is [count, unit] (`[30, minute]`)")
        if value[1] not in UNITS:
            raise KindError("amounts", f"{word!r}: units are {', '.join(UNITS)}")


def _check_strings(key: str, words: Any) -> None:
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise KindError(key, f"`{key}` must be a list of words")


def _check_source(spec: Mapping[str, Any]) -> None:
    origin = spec["from"]
    if origin not in SOURCES:
        raise KindError("from", f"`from` is one of {', '.join(SOURCES)}")
    pattern = spec.get("pattern")
    if origin in ("text", "url"):
        if not isinstance(pattern, str):
            raise KindError("pattern", f"a `from: {origin}` rule needs a `pattern`")
        try:
            compiled = compile_rule_pattern(pattern)
        except PatternError as exc:
            raise KindError("pattern", f"invalid regular expression: {exc}") from None
        groups = set(compiled.groupindex)
        if origin == "text" and "date" not in groups:
            raise KindError("pattern", "a dateline pattern needs a group (?P<date>…)")
        if origin == "url" and not {"y", "m", "d"} <= groups:
            raise KindError("pattern", "a url pattern needs groups (?P<y>…), (?P<m>…), (?P<d>…)")
    if origin == "reference" and not isinstance(spec.get("field"), str):
        raise KindError("field", "a `from: reference` rule names the record `field` to read")


_PUBLISHED = ("published",)
KINDS = {
    "date-format": KindSpec(
        stage=NAME, required={"form": str}, default_fields=_PUBLISHED, check=_check_format
    ),
    "date-order": KindSpec(
        stage=NAME,
        required={},
        optional={"order": str, "locale": str, "separators": list},
        default_fields=_PUBLISHED,
        check=_check_order,
    ),
    "date-words": KindSpec(
        stage=NAME,
        required={},
        optional={
            "months": dict,
            "weekdays": dict,
            "skip": list,
            "ordinals": list,
            "relative": dict,
            "meridiem": dict,
            "zones": dict,
            "locales": list,
            "units": dict,
            "past": list,
            "future": list,
            "numbers": dict,
            "amounts": dict,
            "filler": list,
            "shifts": dict,
            "prefixes": list,
            "undeclared": bool,
        },
        default_fields=_PUBLISHED,
        check=_check_words,
    ),
    "date-source": KindSpec(
        stage=NAME,
        required={"from": str},
        optional={"pattern": str, "field": str},
        default_fields=_PUBLISHED,
        check=_check_source,
        patterns=("pattern",),
    ),
}


@dataclass(frozen=True)
class OrderRule:
    rule: Rule
    day_first: bool | None  # None: the record locale's CLDR pattern
    locale: str | None
    separators: tuple[str, ...]


@dataclass(frozen=True)
class SourceRule:
    rule: Rule
    origin: str
    pattern: RulePattern | None
    field: str | None


_PERIODS: dict[str, Any] = {"am": AM, "pm": PM, "noon": "noon", "midnight": "midnight"}


def _relative_entries(lang: str, spec: Mapping[str, Any]) -> list[tuple[str, str, str, Any]]:
    """A rule's relative-date words as grammar entries (read by `relative`)."""
    entries: list[tuple[str, str, str, Any]] = []
    for word, offset in spec.get("relative", {}).items():
        value = ("day", offset) if isinstance(offset, int) else (offset[0], offset[1])
        entries.append((lang, word, "rel-phrase", value))
    for unit, words in spec.get("units", {}).items():
        entries.extend((lang, w, "rel-unit", unit) for w in words)
    for direction in ("past", "future"):
        entries.extend((lang, w, "rel-mark", direction) for w in spec.get(direction, []))
    entries.extend((lang, w, "number", n) for w, n in spec.get("numbers", {}).items())
    for word, (count, unit) in spec.get("amounts", {}).items():
        entries.append((lang, word, "amount", (count, unit)))
    entries.extend((lang, w, "filler", None) for w in spec.get("filler", []))
    entries.extend((lang, w, "shift", n) for w, n in spec.get("shifts", {}).items())
    entries.extend((lang, w, "prefix", None) for w in spec.get("prefixes", []))
    return entries


@dataclass
class Compiled:
    grammar: Grammar
    form_rules: dict[str, str]  # form → rule id
    orders: tuple[OrderRule, ...]
    sources: tuple[SourceRule, ...]


def compile(ruleset: RuleSet) -> Compiled:
    """Rules → a grammar (words, names), form rule ids, order and source rules."""
    locales: list[str] = []
    entries: list[tuple[str, str, str, Any]] = []
    open_languages: set[str] = set()  # languages an undeclared string may be tried in
    closed: set[str] = set()
    for rule in ruleset.of_kind("date-words"):
        spec = rule.spec
        locales.extend(spec.get("locales", []))
        for lang in rule.languages or ("*",):
            lang = lang.lower()
            (open_languages if spec.get("undeclared", True) else closed).add(lang)
            for number, words in spec.get("months", {}).items():
                entries.extend((lang, w, "month", number) for w in words)
            for number, words in spec.get("weekdays", {}).items():
                entries.extend((lang, w, "weekday", number - 1) for w in words)
            entries.extend((lang, w, "skip", None) for w in spec.get("skip", []))
            entries.extend((lang, w, "ordinal", None) for w in spec.get("ordinals", []))
            for what, words in spec.get("meridiem", {}).items():
                entries.extend((lang, w, "meridiem", _PERIODS[what]) for w in words)
            entries.extend((lang, z, "zone", off) for z, off in spec.get("zones", {}).items())
            entries.extend(_relative_entries(lang, spec))
    form_rules = {rule.spec["form"]: rule.id for rule in ruleset.of_kind("date-format")}
    grammar = grammar_from_words(
        entries,
        locales=tuple(dict.fromkeys(locales)),
        forms=frozenset(form_rules),
        fallback="fallback" in form_rules,
        declared_only=frozenset(closed - open_languages),
    )
    orders = tuple(
        OrderRule(
            rule,
            ORDERS.get(rule.spec.get("order", "")),
            rule.spec.get("locale"),
            tuple(rule.spec.get("separators", [])),
        )
        for rule in ruleset.of_kind("date-order")
    )
    sources = tuple(
        SourceRule(
            rule,
            rule.spec["from"],
            compile_rule_pattern(rule.spec["pattern"]) if "pattern" in rule.spec else None,
            rule.spec.get("field"),
        )
        for rule in ruleset.of_kind("date-source")
    )
    return Compiled(grammar, form_rules, orders, sources)
