"""The report's figures, gathered from canonical records one at a time.

Everything here is bounded whatever the input size: counters of rule ids and warning codes
(as many as the rules), sketches for open-ended values (sources, places, language pairs),
a month histogram, and a few deterministic samples per rule and per warning.

A record is read from its canonical output. With its audit trail (`normalization.changes`,
which `metanorm report` always asks for) the report also knows each field's value before
normalizing: the first change of a field holds it, and a field no rule changed had its value
all along.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.report.diffs import change_excerpt
from normalize.report.sketch import BottomSample, TopCounter
from normalize.schema_map import CANONICAL_FIELDS

# The canonical fields whose filling the summary compares, before → after (all but `id`).
FILLED_FIELDS = tuple(name for name in CANONICAL_FIELDS if name != "id")
SAMPLES_PER_RULE = 3
SAMPLES_PER_WARNING = 3
BAD_LINE_SAMPLES = 5
EAGER_EXCERPT_CHARS = 100_000  # a sampled change above this is cut to its excerpt at once


@dataclass
class Figures:
    """What a dataset held and what normalizing it changed (see `add_record`)."""

    records: int = 0
    bad_lines: int = 0
    changed: int = 0
    audited: int = 0  # records whose audit trail was present (before-values known)
    filled_before: Counter[str] = field(default_factory=Counter)
    filled_after: Counter[str] = field(default_factory=Counter)
    gained: Counter[str] = field(default_factory=Counter)
    fired: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    rule_samples: dict[str, BottomSample] = field(default_factory=dict)
    warning_samples: dict[str, BottomSample] = field(default_factory=dict)
    bad_samples: BottomSample = field(default_factory=lambda: BottomSample(BAD_LINE_SAMPLES))
    declared: TopCounter = field(default_factory=lambda: TopCounter(500))
    decided: TopCounter = field(default_factory=lambda: TopCounter(500))
    language_pairs: TopCounter = field(default_factory=lambda: TopCounter(2000))
    months: Counter[str] = field(default_factory=Counter)
    precision: Counter[str] = field(default_factory=Counter)
    dated: int = 0
    ambiguous: int = 0
    places: TopCounter = field(default_factory=lambda: TopCounter(2000))
    sources: TopCounter = field(default_factory=lambda: TopCounter(2000))

    def add_bad_line(self, where: str, reason: str) -> None:
        self.bad_lines += 1
        self.bad_samples.add(where, reason)

    def add_record(self, where: str, record: Mapping[str, Any]) -> None:
        """Count one canonical record; `where` (`path:line`) names it in samples."""
        self.records += 1
        normalization = record.get("normalization")
        if not isinstance(normalization, Mapping):
            normalization = {}
        fired = [r for r in normalization.get("fired") or [] if isinstance(r, str)]
        warnings = [w for w in normalization.get("warnings") or [] if isinstance(w, Mapping)]
        changes = normalization.get("changes")
        if fired:
            self.changed += 1
        self.fired.update(fired)
        self._add_warnings(where, record, warnings)
        self._add_filled(record, changes, warnings)
        if isinstance(changes, list):
            self._add_samples(where, fired, changes)
        self._add_language(record, changes)
        self._add_date(record, warnings)
        for place in record.get("places") or []:
            if isinstance(place, Mapping) and isinstance(place.get("name"), str):
                self.places.add(place["name"])
        source = record.get("source")
        if isinstance(source, str) and source:
            self.sources.add(source)

    def _add_warnings(
        self, where: str, record: Mapping[str, Any], warnings: list[Mapping[str, Any]]
    ) -> None:
        for warning in warnings:
            code = str(warning.get("code", "?"))
            self.warnings[code] += 1
            sample = self.warning_samples.setdefault(code, BottomSample(SAMPLES_PER_WARNING))
            if sample.would_keep(where):
                title = record.get("title")
                sample.add(
                    where,
                    {
                        "field": warning.get("field"),
                        "message": str(warning.get("message", ""))[:300],
                        "title": title[:160] if isinstance(title, str) else None,
                    },
                )

    def _add_filled(
        self, record: Mapping[str, Any], changes: Any, warnings: list[Mapping[str, Any]]
    ) -> None:
        unparsed = {w.get("field") for w in warnings if w.get("code") == "date.unparsed"}
        before = _values_before(record, changes) if isinstance(changes, list) else None
        if before is not None:
            self.audited += 1
        for name in FILLED_FIELDS:
            after = _filled(record.get(name)) and name not in unparsed
            if after:
                self.filled_after[name] += 1
            if before is None:
                continue
            had = _filled(before.get(name))
            if had:
                self.filled_before[name] += 1
            elif after:
                self.gained[name] += 1

    def _add_samples(self, where: str, fired: list[str], changes: list[Any]) -> None:
        for rule_id in fired:
            sample = self.rule_samples.setdefault(rule_id, BottomSample(SAMPLES_PER_RULE))
            if not sample.would_keep(where):
                continue
            mine = [c for c in changes if isinstance(c, Mapping) and c.get("rule") == rule_id]
            if mine:
                sample.add(where, [_kept_change(c) for c in mine[:3]])

    def _add_language(self, record: Mapping[str, Any], changes: Any) -> None:
        decided = record.get("language")
        decided_tag = _primary(decided) or "none"
        self.decided.add(decided_tag)
        if not isinstance(changes, list):
            return
        declared = _values_before(record, changes).get("language")
        declared_tag = str(declared)[:40] if _filled(declared) else "none"
        self.declared.add(declared_tag)
        self.language_pairs.add((declared_tag, decided_tag))

    def _add_date(self, record: Mapping[str, Any], warnings: list[Mapping[str, Any]]) -> None:
        value = record.get("published")
        if not isinstance(value, str) or not value:
            self.precision["none"] += 1
            return
        if any(w.get("code") == "date.unparsed" for w in warnings):
            self.precision["unparsed"] += 1
            return
        self.dated += 1
        self.precision[date_precision(value)] += 1
        if len(value) >= 7 and value[4] == "-":
            self.months[value[:7]] += 1
        elif len(value) == 4 and value.isdigit():
            self.months[value] += 1
        if any(w.get("code") == "date.ambiguous" for w in warnings):
            self.ambiguous += 1

    def as_dict(self, rule_locations: Mapping[str, str]) -> dict[str, Any]:
        """The figures as plain data (`--format json`, and the page's input)."""
        return {
            "records": self.records,
            "bad_lines": self.bad_lines,
            "changed": self.changed,
            "audited": self.audited,
            "fields": {
                name: {
                    "before": self.filled_before[name] if self.audited else None,
                    "after": self.filled_after[name],
                    "gained": self.gained[name] if self.audited else None,
                }
                for name in FILLED_FIELDS
            },
            "rules": [
                {"id": rule, "count": count, "location": rule_locations.get(rule)}
                for rule, count in _ranked(self.fired)
            ],
            "warnings": [{"code": code, "count": count} for code, count in _ranked(self.warnings)],
            "languages": {
                "decided": self.decided.most_common(),
                "declared": self.declared.most_common(),
                "pairs": [[d, k, n] for (d, k), n in self.language_pairs.most_common(200)],
                "mismatches": self.warnings.get("language.mismatch", 0),
            },
            "dates": {
                "dated": self.dated,
                "ambiguous": self.ambiguous,
                "precision": dict(_ranked(self.precision)),
                "histogram": sorted(self.months.items()),
            },
            "places": self.places.most_common(50),
            "places_exact": self.places.exact,
            "sources": self.sources.most_common(50),
            "sources_exact": self.sources.exact,
            "samples": {
                "rules": {
                    rule: [(where, [_excerpt(c) for c in kept]) for where, kept in s.items()]
                    for rule, s in sorted(self.rule_samples.items())
                },
                "warnings": {code: s.items() for code, s in sorted(self.warning_samples.items())},
                "bad_lines": self.bad_samples.items(),
            },
        }


def _kept_change(change: Mapping[str, Any]) -> Mapping[str, Any] | dict[str, Any]:
    """A sampled change, kept whole until the end (most samples are replaced before then,
    so their diffs are never computed); a very large one is cut to its excerpt now."""
    size = sum(len(v) for v in (change.get("before"), change.get("after")) if isinstance(v, str))
    return change if size <= EAGER_EXCERPT_CHARS else {"excerpt": change_excerpt(change)}


def _excerpt(kept: Mapping[str, Any]) -> dict[str, Any]:
    excerpt = kept.get("excerpt")
    return excerpt if isinstance(excerpt, dict) else change_excerpt(kept)


def date_precision(value: str) -> str:
    """`2022` year, `2022-01` month, `2022-01-28` day, with a time: minute or second."""
    if "T" in value:
        clock = value.split("T", 1)[1]
        return "second" if clock.count(":") >= 2 and clock[5:6] == ":" else "minute"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "other")


def _values_before(record: Mapping[str, Any], changes: list[Any]) -> dict[str, Any]:
    """Each field's value before normalizing: its first change's `before`, else its value."""
    before = {name: record.get(name) for name in FILLED_FIELDS}
    seen: set[str] = set()
    for change in changes:
        if not isinstance(change, Mapping):
            continue
        name = change.get("field")
        if isinstance(name, str) and name in before and name not in seen:
            seen.add(name)
            before[name] = change.get("before")
    return before


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | dict):
        return bool(value)
    return True


def _primary(tag: Any) -> str | None:
    return tag.split("-")[0].lower() if isinstance(tag, str) and tag else None


def _ranked(counter: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
