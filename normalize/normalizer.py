"""The Normalizer: rules loaded and compiled once, then any number of records.

A Normalizer holds no per-record state, so one instance is safe to share across
threads, and it pickles (rules and compiled stages) to worker processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normalize import cache, re2_large, record_shape
from normalize import record as record_mod
from normalize.findings import Change, Finding
from normalize.jsonl import not_json
from normalize.limits import DEFAULT_MAX_FIELD_BYTES, check_fields
from normalize.ruleset import RuleSet
from normalize.stages import STAGE_NAMES, check_order, stage_module
from normalize.work import WorkRecord, replay


@dataclass(frozen=True)
class Explained:
    """A record's output and the story of how it got there (for `explain`).

    `changes` are the steps, in order; `start` holds the canonical values (and `meta`) as
    the record was split, before any step: `replay()` applies the steps to it again.
    """

    output: dict[str, Any]
    changes: tuple[Change, ...]
    warnings: tuple[Finding, ...]
    start: Mapping[str, Any] = field(default_factory=dict)
    mapping: tuple[record_mod.schema_map.Mapped, ...] = ()  # input field → canonical field

    def replay(self) -> dict[str, Any]:
        """The output's canonical fields and `meta`, rebuilt from `start` and the steps alone
        (`id` derived and `places` defaulted as the record assembly does)."""
        values = replay(self.start, self.changes)
        meta = values.pop("meta", None) or {}
        rebuilt = record_mod.assemble(
            values, meta, ruleset_digest="", fired=[], warnings=[], previous=None
        )
        return {name: rebuilt[name] for name in (*record_mod.CANONICAL_FIELDS, "meta")}


class Normalizer:
    """Turns input records (dicts) into canonical records."""

    def __init__(
        self,
        rules: Sequence[str | Path] = (),
        *,
        audit: bool = False,
        reference_date: str | None = None,
        ruleset: RuleSet | None = None,
        max_field_bytes: int | None = DEFAULT_MAX_FIELD_BYTES,
        mapping: Mapping[str, str] | None = None,
    ) -> None:
        """`mapping` pins canonical fields to input fields (`{"published": "date_ts"}`;
        dotted paths reach into objects), before the alias table: what `--map` does."""
        self.audit = audit
        self.reference_date = reference_date
        self.max_field_bytes = max_field_bytes
        self.ruleset = ruleset if ruleset is not None else cache.load_ruleset(rules)
        self.schema = record_mod.Schema.from_ruleset(self.ruleset, mapping)
        self.shaping = record_shape.Shaping.from_ruleset(self.ruleset)
        check_order(STAGE_NAMES)
        self.stages = tuple(
            (name, stage_module(name).compile(self.ruleset)) for name in STAGE_NAMES
        )

    def __getstate__(self) -> dict[str, Any]:
        return {
            "audit": self.audit,
            "reference_date": self.reference_date,
            "max_field_bytes": self.max_field_bytes,
            "ruleset": self.ruleset,
            "schema": self.schema,
            "shaping": self.shaping,
            "stages": self.stages,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def warm_up(self) -> None:
        """Load every lazily built table now (language profiles, name tables, date names, the
        legacy code-page judge), e.g. before forking workers so that they share the memory.

        The records are rule data: the first example of every rule kind, so that a new
        kind's tables are warmed up with it.
        """
        kinds: set[str] = set()
        for rule in self.ruleset.rules:
            if rule.examples and rule.kind not in kinds:
                kinds.add(rule.kind)
                self.normalize(rule.examples[0].input)

    @property
    def ruleset_digest(self) -> str:
        return self.ruleset.digest

    def normalize(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """One input record → its canonical record (the steps are kept only to audit)."""
        return self._explain(raw, keep_steps=self.audit).output

    def normalize_stream(self, records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """Lazily normalize any iterable of records, in order."""
        for raw in records:
            yield self.normalize(raw)

    def _run_stages(self, work: WorkRecord) -> None:
        """Each stage once, in order: the order guarantees that no stage reads what a later
        one decides (`stages.check_order`), so one pass is final."""
        for name, compiled in self.stages:
            try:
                stage_module(name).run(work, compiled)
            finally:
                re2_large.forget()  # no large text held past the stage that matched it

    def explain(self, raw: Mapping[str, Any]) -> Explained:
        """Normalize one record and keep every change with the rule that made it."""
        return self._explain(raw, keep_steps=True)

    def _explain(self, raw: Mapping[str, Any], keep_steps: bool) -> Explained:
        if not isinstance(raw, Mapping):
            raise TypeError(f"a record is a JSON object, not {type(raw).__name__}")
        check_fields(raw, self.max_field_bytes)
        problem = not_json(raw)
        if problem:  # what the CLI's reader refuses: the output could not be written
            raise ValueError(f"{problem} is not a JSON value")
        split = record_mod.split_record(raw, self.schema)
        values = dict(split.values)
        values["meta"] = split.meta
        work = WorkRecord(values=values, audit=self.audit, keep_steps=keep_steps)
        for warning in split.warnings:
            work.warn(warning.code, warning.field, warning.message)
        work.hints["places_key"] = split.keys.get("places", "place")
        work.hints["input_keys"] = split.keys
        if split.previous:  # a canonical record read back: what its normalization did
            work.hints["previous"] = split.previous
        record_shape.shape(work, split, self.shaping)
        if self.reference_date:
            work.hints["reference_date"] = self.reference_date
        if split.previous and split.previous.get("language_confidence") is not None:
            # a canonical record carries its confidence (the language stage keeps it)
            work.note("language_confidence", split.previous["language_confidence"])
        self._run_stages(work)
        if "id" in split.keys:
            work.set("id", record_mod.derive_id(work.values), self.schema.id_rule)
        if "places" in split.keys and work.values.get("places") is None:
            work.set("places", [], self.schema.rule_id)  # `places` is always a list
        meta = work.values.pop("meta")
        changes = [c.as_dict() for c in work.changes] if self.audit else None
        output = record_mod.assemble(
            work.values,
            meta,
            ruleset_digest=self.ruleset.digest,
            fired=work.fired,
            warnings=work.warnings,
            previous=split.previous,
            changes=changes,
            audit=split.audit_block() if self.audit else None,
            extra=work.notes or None,
        )
        return Explained(
            output, tuple(work.changes), tuple(work.warnings), work.start, tuple(split.mapped)
        )
