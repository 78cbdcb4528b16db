"""The record contract: input fields to canonical ones, `meta`, `id`, assembly, serialization.

The alias table lives in `rules/schema.yaml` (kind `field-aliases`), so a new site's field
names are a rule change. Assembly puts the canonical keys in the spec's order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize import jsonl
from normalize.findings import Warning
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
AUDIT_KEYS = ("source_keys", "source_meta", "source_normalization", "source_renamed")


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
        id_rule = id_rules[-1].id if id_rules else "schema.id"
        return cls(aliases=aliases, rule_id=rule.id, id_rule=id_rule)


@dataclass
class SplitRecord:
    """An input record taken apart: canonical values, their input keys, meta, history."""

    values: dict[str, Any]
    keys: dict[str, str]
    meta: dict[str, Any]
    previous: dict[str, Any] | None
    nested_meta: list[str] | None = None  # keys read from a canonical input's `meta`
    renamed: dict[str, str] = field(default_factory=dict)  # meta key → the input's key
    warnings: list[Warning] = field(default_factory=list)  # values kept under a new name

    def audit_block(self) -> dict[str, Any]:
        """What undo needs besides the changes: input key names, and a canonical input's shape."""
        block: dict[str, Any] = {"source_keys": dict(self.keys)}
        if self.previous is not None:
            if self.nested_meta is not None:  # the input had a `meta` object
                block["source_meta"] = list(self.nested_meta)
            block["source_normalization"] = self.previous
        if self.renamed:
            block["source_renamed"] = dict(self.renamed)
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
            key = folded.get(alias)
            if key is not None and key not in taken:
                values[name] = raw[key]
                keys[name] = key
                taken.add(key)
                break
    split = SplitRecord(values, keys, {}, previous if canonical_input else None)
    has_meta = canonical_input and isinstance(raw.get("meta"), dict)
    split.nested_meta = [] if has_meta else None
    for key, value in raw.items():
        if key in taken:
            continue
        if isinstance(key, jsonl.DuplicateKey):
            split.warnings.append(_kept_as("input.duplicate-key", key.original, key))
        if canonical_input and key == "normalization":
            continue
        if canonical_input and key == "meta" and isinstance(value, dict):
            for meta_key, meta_value in value.items():
                _add_nested(split, raw, meta_key, meta_value)
            continue
        if key in split.meta:  # a nested meta key came first: it moves aside
            _move_nested(split, raw, key)
        split.meta[key] = value
    return split


def _kept_as(code: str, key: str, name: str) -> Warning:
    what = "appears more than once" if code == "input.duplicate-key" else "is also in `meta`"
    return Warning(code, "meta", f"key {key!r} {what}: the other value is kept in meta as {name!r}")


def _free_name(split: SplitRecord, raw: Mapping[str, Any], base: str) -> str:
    name = base
    while name in split.meta or name in raw:
        name = "meta." + name
    return name


def _add_nested(split: SplitRecord, raw: Mapping[str, Any], key: str, value: Any) -> None:
    """A key of a canonical input's `meta`; under `meta.<key>` when a top-level key has it."""
    name = key
    if name in split.meta:
        name = _free_name(split, raw, f"meta.{key}")
        split.renamed[name] = key
        split.warnings.append(_kept_as("input.meta-collision", key, name))
    split.meta[name] = value
    assert split.nested_meta is not None
    split.nested_meta.append(name)


def _move_nested(split: SplitRecord, raw: Mapping[str, Any], key: str) -> None:
    name = _free_name(split, raw, f"meta.{key}")
    split.meta[name] = split.meta.pop(key)
    nested = split.nested_meta or []
    nested[nested.index(key)] = name
    split.renamed[name] = key
    split.warnings.append(_kept_as("input.meta-collision", key, name))


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


def was_audited(normalization: Mapping[str, Any] | None) -> bool:
    """An audit trail we wrote: changes, and the input's keys (an input's own `normalization`
    object that merely looks like ours is not one, and is kept as the input had it)."""
    return (
        bool(normalization)
        and isinstance(normalization.get("changes"), list)
        and isinstance(normalization.get("source_keys"), dict)
    )


def assemble(
    values: Mapping[str, Any],
    meta: Mapping[str, Any],
    *,
    ruleset_digest: str,
    fired: list[str],
    warnings: list[Warning],
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
    audited_before = was_audited(previous)
    if audited_before:
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

    Strict JSON (`normalize.jsonl.dumps`): numbers kept as read, never NaN or Infinity.
    Text that cannot be UTF-8 (a lone surrogate kept in `meta`) is written with JSON
    escapes instead, so that nothing is lost and the line stays valid UTF-8.
    """
    line = jsonl.dumps(record)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = jsonl.dumps(record, ensure_ascii=True)
    return line
