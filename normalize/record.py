"""The record contract: input fields to canonical ones, `meta`, `id`, assembly, serialization.

The alias table lives in `rules/schema.yaml` (kind `field-aliases`), so a new site's field
names are a rule change. Assembly puts the canonical keys in the spec's order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize.findings import Finding
from normalize.ruleset import KindError, KindSpec, Rule, RuleSet

FORMAT_VERSION = 1
CANONICAL_FIELDS = ("id", "url", "source", "language", "published", "title", "text", "places")
OUTPUT_KEYS = (*CANONICAL_FIELDS, "meta", "normalization")


def _check_aliases(spec: Mapping[str, Any]) -> None:
    aliases = spec["aliases"]
    for name, names in aliases.items():
        if name not in CANONICAL_FIELDS:
            raise KindError(
                "aliases", f"{name!r} is not a canonical field ({', '.join(CANONICAL_FIELDS)})"
            )
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise KindError("aliases", f"aliases of {name!r} must be a list of field names")
    missing = [name for name in CANONICAL_FIELDS if name not in aliases]
    if missing:
        raise KindError("aliases", f"no aliases for {', '.join(missing)}")


KINDS = {
    "field-aliases": KindSpec(
        stage="record",
        required={"aliases": dict},
        default_fields=("text",),
        check=_check_aliases,
    ),
    "record-id": KindSpec(stage="record", required={}, default_fields=("id",)),
}
# what an audited record keeps so that `metanorm undo` can rebuild its input exactly
AUDIT_KEYS = ("source_keys", "source_meta", "source_normalization")


@dataclass(frozen=True)
class Schema:
    """Canonical field → input names, each case-folded, in priority order."""

    aliases: tuple[tuple[str, tuple[str, ...]], ...]
    rule_id: str
    id_rule: str  # the rule that turns an input id into text

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet) -> Schema:
        rules: list[Rule] = ruleset.of_kind("field-aliases")
        if not rules:
            raise ValueError("no `field-aliases` rule in the rule set (rules/schema.yaml)")
        rule = rules[-1]
        table = rule.spec["aliases"]
        aliases = tuple(
            (name, tuple(dict.fromkeys(a.casefold() for a in [name, *table[name]])))
            for name in CANONICAL_FIELDS
        )
        id_rules = ruleset.of_kind("record-id")
        if not id_rules:
            raise ValueError("no `record-id` rule in the rule set (rules/schema.yaml)")
        id_rule = id_rules[-1].id
        return cls(aliases=aliases, rule_id=rule.id, id_rule=id_rule)


@dataclass
class SplitRecord:
    """An input record taken apart: canonical values, their input keys, meta, history."""

    values: dict[str, Any]
    keys: dict[str, str]
    meta: dict[str, Any]
    previous: dict[str, Any] | None
    nested_meta: list[str] | None = None  # keys read from a canonical input's `meta`

    def audit_block(self) -> dict[str, Any]:
        """What undo needs besides the changes: input key names, and a canonical input's shape."""
        block: dict[str, Any] = {"source_keys": dict(self.keys)}
        if self.previous is not None:
            block["source_meta"] = list(self.nested_meta or [])
            block["source_normalization"] = self.previous
        return block


def split_record(raw: Mapping[str, Any], schema: Schema) -> SplitRecord:
    """Find each canonical field by alias (first match wins); everything else is meta.

    A record that already has the canonical shape (a `normalization` object) is read back
    as canonical: its `meta` is taken as meta, not nested under `meta`.
    """
    previous = raw.get("normalization")
    canonical_input = isinstance(previous, dict)
    folded: dict[str, str] = {}
    for key in raw:
        folded.setdefault(str(key).casefold(), key)
    values: dict[str, Any] = {}
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for name, aliases in schema.aliases:
        for alias in aliases:
            found = folded.get(alias)
            if found is not None and found not in taken:
                key = found
                values[name] = raw[key]
                keys[name] = key
                taken.add(key)
                break
    meta: dict[str, Any] = {}
    nested: list[str] | None = [] if canonical_input else None
    for key, value in raw.items():
        if key in taken:
            continue
        if canonical_input and key == "normalization":
            continue
        if canonical_input and key == "meta" and isinstance(value, dict) and nested is not None:
            for meta_key, meta_value in value.items():
                if meta_key not in meta:
                    meta[meta_key] = meta_value
                    nested.append(meta_key)
            continue
        meta[key] = value
    return SplitRecord(values, keys, meta, previous if canonical_input else None, nested)


def derive_id(values: Mapping[str, Any]) -> str | None:
    """The input id as text; else `sha1:` of the url; else of title + published."""
    given = values.get("id")
    if given is not None and not isinstance(given, dict | list) and given != "":
        if isinstance(given, bool):
            return str(given).lower()
        return str(given)
    url = values.get("url")
    if isinstance(url, str) and url.strip():
        return "sha1:" + hashlib.sha1(url.encode("utf-8")).hexdigest()
    title, published = values.get("title"), values.get("published")
    if isinstance(title, str) or isinstance(published, str):
        basis = (title if isinstance(title, str) else "") + (
            published if isinstance(published, str) else ""
        )
        return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()
    return None


def assemble(
    values: Mapping[str, Any],
    meta: Mapping[str, Any],
    *,
    ruleset_digest: str,
    fired: list[str],
    warnings: list[Finding],
    previous: Mapping[str, Any] | None,
    changes: list[dict[str, Any]] | None = None,
    audit: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the canonical record, keys in the spec's order.

    History from a canonical input (its `fired`, `warnings`, `changes`) is kept in front of
    this run's, so that normalizing a canonical record changes nothing. An audited input
    keeps its audit (changes and source shape) whatever this run's mode, so that `undo`
    still rebuilds the first input.
    """
    record: dict[str, Any] = {}
    for name in CANONICAL_FIELDS:
        value = values.get(name)
        if name == "places" and value is None:
            value = []
        record[name] = value
    record["id"] = derive_id(values)
    record["meta"] = dict(meta)
    old_fired: list[str] = []
    old_warnings: list[dict[str, Any]] = []
    old_changes: list[Any] = []
    if previous:
        if isinstance(previous.get("fired"), list):
            old_fired = [f for f in previous["fired"] if isinstance(f, str)]
        if isinstance(previous.get("warnings"), list):
            old_warnings = [w for w in previous["warnings"] if isinstance(w, dict)]
        if isinstance(previous.get("changes"), list):
            old_changes = list(previous["changes"])
    all_warnings = list(old_warnings)
    for warning in warnings:
        as_dict = warning.as_dict()
        if as_dict not in all_warnings:
            all_warnings.append(as_dict)
    normalization: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "ruleset": ruleset_digest,
        "fired": list(dict.fromkeys([*old_fired, *fired])),
        "warnings": all_warnings,
    }
    if extra:
        normalization.update(extra)
    if previous and isinstance(previous.get("changes"), list):
        normalization["changes"] = [*old_changes, *(changes or [])]
        for key in AUDIT_KEYS:
            if key in previous:
                normalization[key] = previous[key]
    elif changes is not None:
        normalization["changes"] = list(changes)
        normalization.update(audit or {})
    record["normalization"] = normalization
    return record


def dumps(record: Mapping[str, Any]) -> str:
    """UTF-8 JSON, no ASCII escaping, compact separators; the spec's serialization.

    Text that cannot be UTF-8 (a lone surrogate kept in `meta`) is written with JSON
    escapes instead, so that nothing is lost and the line stays valid UTF-8.
    """
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
    return line
