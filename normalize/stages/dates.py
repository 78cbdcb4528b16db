"""Dates: `published` in ISO 8601, at the precision the input has.

The value comes from the `published` field (any alias); when that is missing, from the
sources the rules list in order (a date a UI trailer captured, a dateline at the start of
the text, the date in the url). An ambiguous day/month order is decided by the record's
source, separator or language (rules/dates.yaml; babel's short date pattern by default)
and warned about. Parsing itself is `normalize.dateparse`; this module only decides
where the date comes from, which locale reads it, and what to record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from normalize import dateparse
from normalize.dateparse import DateReading, Grammar, NeedsReference
from normalize.ruleset import KindError, KindSpec, Rule, RuleSet
from normalize.work import WorkRecord

NAME = "dates"
FIELD = "published"
ORDERS = {"dmy": True, "mdy": False}
SOURCES = ("captured", "text", "url", "reference")
_SEPARATOR = re.compile(r"\d\s*([./-])\s*\d")


def _check_format(spec: Mapping[str, Any]) -> None:
    if spec["form"] not in dateparse.FORMS:
        raise KindError(
            "form", f"unknown form {spec['form']!r} (known: {', '.join(dateparse.FORMS)})"
        )


def _check_order(spec: Mapping[str, Any]) -> None:
    if ("order" in spec) == ("locale" in spec):
        raise KindError("order", "give exactly one of `order` (dmy, mdy, cldr) or `locale`")
    if "order" in spec and spec["order"] not in (*ORDERS, "cldr"):
        raise KindError("order", "`order` is dmy, mdy or cldr (the locale's CLDR pattern)")
    if "locale" in spec and dateparse.cldr_day_first(spec["locale"]) is None:
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
    for word, offset in spec.get("relative", {}).items():
        if not isinstance(word, str) or not isinstance(offset, int) or isinstance(offset, bool):
            raise KindError("relative", "relative words map a word to a day offset (`вчера: -1`)")
    for what, words in spec.get("meridiem", {}).items():
        if what not in ("am", "pm", "noon", "midnight"):
            raise KindError("meridiem", f"meridiem keys are am, pm, noon, midnight, not {what!r}")
        _check_strings("meridiem", words)
    for zone, offset in spec.get("zones", {}).items():
        if not isinstance(offset, str) or not re.fullmatch(r"[+-]\d{2}:\d{2}", offset):
            raise KindError("zones", f"zone {zone!r}: the offset is written like `-04:00`")


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
            compiled = re.compile(pattern)
        except re.error as exc:
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
    pattern: re.Pattern[str] | None
    field: str | None


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
    for rule in ruleset.of_kind("date-words"):
        spec = rule.spec
        locales.extend(spec.get("locales", []))
        for lang in rule.languages or ("*",):
            lang = lang.lower()
            for number, words in spec.get("months", {}).items():
                entries.extend((lang, w, "month", number) for w in words)
            for number, words in spec.get("weekdays", {}).items():
                entries.extend((lang, w, "weekday", number - 1) for w in words)
            entries.extend((lang, w, "skip", None) for w in spec.get("skip", []))
            entries.extend((lang, w, "ordinal", None) for w in spec.get("ordinals", []))
            entries.extend((lang, w, "relative", n) for w, n in spec.get("relative", {}).items())
            for what, words in spec.get("meridiem", {}).items():
                entries.extend((lang, w, "meridiem", what) for w in words)
            entries.extend((lang, z, "zone", off) for z, off in spec.get("zones", {}).items())
    form_rules = {rule.spec["form"]: rule.id for rule in ruleset.of_kind("date-format")}
    grammar = dateparse.grammar_from_words(
        entries,
        locales=tuple(dict.fromkeys(locales)) or dateparse.DEFAULT_NAME_LOCALES,
        forms=frozenset(form_rules),
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
            re.compile(rule.spec["pattern"]) if "pattern" in rule.spec else None,
            rule.spec.get("field"),
        )
        for rule in ruleset.of_kind("date-source")
    )
    return Compiled(grammar, form_rules, orders, sources)


def run(work: WorkRecord, compiled: Compiled) -> None:
    """Normalize `published`, or fill it from the rules' fallback sources."""
    ctx = _Context(work, compiled)
    raw = work.values.get(FIELD)
    present = raw is not None and not (isinstance(raw, str) and not raw.strip())
    if present:
        result = ctx.read(raw)
        if isinstance(result, DateReading):
            ctx.accept(result, raw, compiled.form_rules.get(result.form, "date." + result.form))
            ctx.check_url(result)
        elif isinstance(result, NeedsReference):
            work.warn(
                "date.needs_reference",
                FIELD,
                f"{raw!r} is {result.form}: it resolves only against a reference date "
                "(--reference-date, or a crawl-time field the rules name); kept as is",
            )
        else:
            work.warn(
                "date.unparsed", FIELD, f"{raw!r} is not a date metanorm can read; kept as is"
            )
        return
    needs_reference = None
    for source in compiled.sources:
        if not source.rule.applies_to_language(ctx.tag) or not source.rule.applies_to_source(
            work.source, work.host
        ):
            continue
        found = ctx.from_source(source)
        if isinstance(found, tuple):
            reading, value, rule_id = found
            ctx.accept(reading, raw, rule_id, shown=value)
            return
        if isinstance(found, NeedsReference):
            needs_reference = found
    if needs_reference is not None:
        work.warn(
            "date.needs_reference",
            FIELD,
            f"the text's dateline {needs_reference.text!r} has no year and no reference date "
            "was given; published left empty",
        )


class _Context:
    """One record's view for the stage: its locale, reference date and url date."""

    def __init__(self, work: WorkRecord, compiled: Compiled) -> None:
        self.work = work
        self.compiled = compiled
        self.tag = _language_tag(work)
        self.primary = self.tag.split("-")[0].lower() if self.tag else None
        self.reference = self._reference()
        self._url_date: tuple[date, str] | bool | None = False
        self.order_rule: str | None = None

    def _reference(self) -> date | datetime | None:
        retrieved = dateparse.parse_reference(self.work.values.get("retrieved"))
        if retrieved is not None:  # the record's canonical crawl time (record_shape)
            return retrieved
        meta = self.work.values.get("meta")
        for source in self.compiled.sources:
            if source.origin == "reference" and isinstance(meta, dict) and source.field in meta:
                found = dateparse.parse_reference(meta[source.field])
                if found is not None:
                    return found
        return dateparse.parse_reference(self.work.hints.get("reference_date"))

    def read(self, value: Any) -> dateparse.Result:
        """Parse with the record's language; re-read month first if the locale says so."""
        grammar = self.compiled.grammar
        result = dateparse.parse_date(
            value, language=self.primary, reference=self.reference, grammar=grammar
        )
        if isinstance(result, DateReading) and result.ambiguous and isinstance(value, str):
            day_first, rule_id = self.order(value)
            self.order_rule = rule_id
            if not day_first:
                result = dateparse.parse_date(
                    value,
                    day_first=False,
                    language=self.primary,
                    reference=self.reference,
                    grammar=grammar,
                )
        return result

    def order(self, value: str) -> tuple[bool, str | None]:
        """Which order decides an ambiguous numeric date, and the rule that said so.

        Most specific first: a rule for the record's source; one for the separator (dots
        are day-first wherever they are written); one naming the exact language tag, or
        the bare language when the tag has no region CLDR knows; then the default rule.
        """
        m = _SEPARATOR.search(value)
        separator = m.group(1) if m else None
        work = self.work
        tiers: list[list[OrderRule]] = [[], [], [], []]
        for order in self.compiled.orders:
            rule = order.rule
            if order.separators and separator not in order.separators:
                continue
            if rule.languages and not rule.applies_to_language(self.tag):
                continue
            if rule.sources:
                if rule.applies_to_source(work.source, work.host):
                    tiers[0].append(order)
            elif order.separators:
                tiers[1].append(order)
            elif rule.languages and self.tag:
                exact = any(lang.lower() == self.tag.lower() for lang in rule.languages)
                regional = "-" in self.tag and _cldr(self.tag) is not None
                if exact or not regional:
                    tiers[2].append(order)
            elif not rule.languages:
                tiers[3].append(order)
        for tier in tiers:
            if tier:
                chosen = tier[-1]
                return self._day_first(chosen), chosen.rule.id
        return True, None

    def _day_first(self, order: OrderRule) -> bool:
        if order.day_first is not None:
            return order.day_first
        if order.locale is not None:
            found = _cldr(order.locale)
        else:
            found = _cldr(self.tag) if self.tag else None
        return True if found is None else found

    def accept(
        self, reading: DateReading, raw: Any, rule_id: str, shown: Any | None = None
    ) -> None:
        work = self.work
        shown = raw if shown is None else shown
        if reading.iso != raw or not isinstance(raw, str):
            work.set(FIELD, reading.iso, rule_id)
        if reading.ambiguous:
            order_rule = self.order_rule
            if order_rule is not None:
                work.fire(order_rule)
            first = "day first" if reading.day_first else "month first"
            by = f"rule {order_rule}" if order_rule else "the default"
            locale = f" for {self.tag}" if self.tag else ""
            work.warn(
                "date.ambiguous",
                FIELD,
                f"{shown!r} read as {reading.iso} ({first}, by {by}{locale}); "
                f"it could also be {reading.alternative}",
            )
        if reading.weekday_mismatch:
            work.warn(
                "date.weekday_mismatch",
                FIELD,
                f"{shown!r}: {reading.iso[:10]} is a {reading.weekday_mismatch}",
            )

    def from_source(
        self, source: SourceRule
    ) -> tuple[DateReading, Any, str] | NeedsReference | None:
        work = self.work
        if source.origin == "captured":
            captured = work.captured.get(FIELD)
            if captured is None:
                return None
            value, rule_id = captured
            result = self.read(value)
            return (result, value, rule_id) if isinstance(result, DateReading) else None
        if source.origin == "text" and source.pattern is not None:
            text = work.text("text")
            m = source.pattern.search(text) if text else None
            if m is None:
                return None
            value = m.group("date")
            result = self.read(value)
            if isinstance(result, DateReading):
                return result, value, source.rule.id
            return result
        if source.origin == "url":
            found = self.url_date()
            if found is not None and found[1] == source.rule.id:
                day, _ = found
                return DateReading(day.isoformat(), "url", "day"), work.values.get("url"), found[1]
        return None

    def url_date(self) -> tuple[date, str] | None:
        """The first date a url rule finds in the url (and that rule's id)."""
        if self._url_date is not False:
            return self._url_date  # type: ignore[return-value]
        self._url_date = None
        url = self.work.values.get("url")
        if isinstance(url, str):
            for source in self.compiled.sources:
                if source.origin != "url" or source.pattern is None:
                    continue
                if not source.rule.applies_to_source(self.work.source, self.work.host):
                    continue
                for m in source.pattern.finditer(url):
                    try:
                        day = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                    except ValueError:
                        continue
                    self._url_date = (day, source.rule.id)
                    return self._url_date
        return None

    def check_url(self, reading: DateReading) -> None:
        if reading.precision in ("year", "month") or reading.form == "url":
            return
        found = self.url_date()
        if found is None:
            return
        try:
            published = date.fromisoformat(reading.iso[:10])
        except ValueError:
            return
        if abs((published - found[0]).days) > 1:
            self.work.warn(
                "date.url_mismatch",
                FIELD,
                f"published is {reading.iso} but the url says {found[0].isoformat()}",
            )


def _cldr(tag: str) -> bool | None:
    return dateparse.cldr_day_first(tag)


def _language_tag(work: WorkRecord) -> str | None:
    """The record's language: a later stage's answer if any, else the declared value."""
    hint = work.hints.get("language")
    if isinstance(hint, str) and hint:
        return hint
    from normalize.langtags import language_hint

    found = language_hint(work.values)
    return found if isinstance(found, str) and found else None
