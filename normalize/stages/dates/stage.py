"""One record through the dates stage: where `published` comes from, which locale reads
it, which order decides an ambiguous numeric date, the reference a relative date resolves
against, and what the record's `normalization` says about it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from normalize.stages.dates.locales import cldr_day_first
from normalize.stages.dates.parse import parse_date, parse_reference
from normalize.stages.dates.readings import DateReading, NeedsReference, Result
from normalize.stages.dates.rules import Compiled, OrderRule, SourceRule
from normalize.work import WorkRecord

READS = frozenset(
    {"published", "captured.published", "retrieved", "text", "url", "language", "meta", "source"}
)
WRITES = frozenset({"published"})
FIELD = "published"
# the canonical `retrieved` field and the names it goes by in scraped records
RETRIEVED_ALIASES = ("retrieved", "crawled_at", "scraped_at", "fetched_at", "fetch_time")
_SEPARATOR = re.compile(r"\d\s*([./-])\s*\d")


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
                "date.relative_unresolved",
                FIELD,
                f"{raw!r} is {result.form}: it resolves only against a reference time (the "
                "record's `retrieved`, or --reference-date) with the precision it needs; "
                "kept as is",
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
            "date.relative_unresolved",
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
        self.reference, self.reference_name = self._reference()
        self._url_date: tuple[date, str] | bool | None = False
        self.order_rule: str | None = None

    def _reference(self) -> tuple[date | datetime | None, str | None]:
        """The reference time and where it came from: the record's retrieval time, a
        field a `from: reference` rule names, else --reference-date."""
        name, value = retrieved(self.work)
        found = parse_reference(value)
        if found is not None:
            return found, name
        meta = self.work.values.get("meta")
        for source in self.compiled.sources:
            if source.origin == "reference" and isinstance(meta, dict) and source.field in meta:
                found = parse_reference(meta[source.field])
                if found is not None:
                    return found, source.field
        found = parse_reference(self.work.hints.get("reference_date"))
        return found, ("--reference-date" if found is not None else None)

    def read(self, value: Any) -> Result:
        """Parse with the record's language; re-read month first if the locale says so."""
        grammar = self.compiled.grammar
        result = parse_date(value, language=self.primary, reference=self.reference, grammar=grammar)
        if isinstance(result, DateReading) and result.ambiguous and isinstance(value, str):
            day_first, rule_id = self.order(value)
            self.order_rule = rule_id
            if not day_first:
                result = parse_date(
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
        if reading.relative is not None:
            work.warn(
                "date.relative",
                FIELD,
                f"{shown!r} ({reading.relative}) resolved against {self.reference_name} "
                f"{_iso(self.reference)} → {reading.iso}",
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


def retrieved(work: WorkRecord) -> tuple[str | None, Any]:
    """The record's retrieval time: its canonical `retrieved` field, else (until the
    schema maps the aliases) the first alias kept in `meta`; (name, value)."""
    value = work.values.get("retrieved")
    if value is not None:
        return "retrieved", value
    meta = work.values.get("meta")
    if isinstance(meta, dict):
        for alias in RETRIEVED_ALIASES:
            if meta.get(alias) is not None:
                return alias, meta[alias]
    return None, None


def _iso(reference: date | datetime | None) -> str:
    return reference.isoformat() if reference is not None else "?"


def _cldr(tag: str) -> bool | None:
    return cldr_day_first(tag)


def _language_tag(work: WorkRecord) -> str | None:
    """The record's language: a later stage's answer if any, else the declared value."""
    hint = work.hints.get("language")
    if isinstance(hint, str) and hint:
        return hint
    from normalize.langtags import language_hint

    found = language_hint(work.values)
    return found if isinstance(found, str) and found else None
