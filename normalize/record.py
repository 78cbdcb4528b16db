"""The record contract: `id`, assembly in the spec's key order, serialization.

Which input field feeds which canonical field is `normalize.schema_map` (the alias table in
`rules/schema.yaml`, kind `field-aliases`), and how a mapped value takes its canonical shape
is `normalize.record_shape`; both are re-exported here for the callers that read records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from normalize import json_bytes, jsonl, record_shape, schema_map
from normalize.findings import Finding
from normalize.ruleset import KindSpec
from normalize.schema_map import CANONICAL_FIELDS, Schema, SplitRecord, split_record

__all__ = [
    "CANONICAL_FIELDS",
    "OUTPUT_KEYS",
    "Schema",
    "SplitRecord",
    "assemble",
    "derive_id",
    "dumps",
    "dumps_line",
    "split_record",
]

FORMAT_VERSION = 1
OUTPUT_KEYS = (*CANONICAL_FIELDS, "meta", "normalization")
LIST_FIELDS = ("authors", "places")  # `[]` when absent, never null

KINDS = {
    **schema_map.KINDS,
    **record_shape.KINDS,
    "record-id": KindSpec(stage="record", required={}, default_fields=("id",)),
}
# what an audited record keeps so that `metanorm undo` can rebuild its input exactly
AUDIT_KEYS = ("source_keys", "source_meta", "source_normalization", "source_renamed")


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
        if name in LIST_FIELDS and value is None:
            value = []
        record[name] = value
    record["id"] = derive_id(values)
    record["meta"] = dict(meta)
    old_fired, old_warnings, old_changes = _history(previous)
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
        normalization.update({k: v for k, v in extra.items() if k != "flags"})
    flags = _merge_flags(previous.get("flags") if previous else None, (extra or {}).get("flags"))
    if flags:
        normalization["flags"] = flags
    if was_audited(previous):
        assert previous is not None
        normalization["changes"] = [*old_changes, *(changes or [])]
        for key in AUDIT_KEYS:
            if key in previous:
                normalization[key] = previous[key]
    elif changes is not None:
        normalization["changes"] = list(changes)
        normalization.update(audit or {})
    record["normalization"] = normalization
    return record


def _history(
    previous: Mapping[str, Any] | None,
) -> tuple[list[str], list[dict[str, Any]], list[Any]]:
    """A canonical input's fired rules, warnings and changes (empty for a raw input)."""
    if not previous:
        return [], [], []
    fired, warnings, changes = (previous.get(k) for k in ("fired", "warnings", "changes"))
    return (
        [f for f in fired if isinstance(f, str)] if isinstance(fired, list) else [],
        [w for w in warnings if isinstance(w, dict)] if isinstance(warnings, list) else [],
        list(changes) if isinstance(changes, list) else [],
    )


def _merge_flags(old: Any, new: Any) -> dict[str, list[str]]:
    """A canonical input's flags (`{"text": ["truncated"]}`) stay, this run's are added: the
    marker that told is gone from the text by the second run."""
    merged: dict[str, list[str]] = {}
    for flags in (old, new):
        if not isinstance(flags, Mapping):
            continue
        for name, marks in flags.items():
            if isinstance(marks, list):
                kept = merged.setdefault(str(name), [])
                kept.extend(m for m in marks if isinstance(m, str) and m not in kept)
    return merged


def was_audited(normalization: Mapping[str, Any] | None) -> bool:
    """An audit trail we wrote: changes, and the input's keys (an input's own `normalization`
    object that merely looks like ours is not one, and is kept as the input had it)."""
    return (
        bool(normalization)
        and isinstance(normalization, Mapping)
        and isinstance(normalization.get("changes"), list)
        and isinstance(normalization.get("source_keys"), dict)
    )


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


def dumps_line(record: Mapping[str, Any]) -> bytes:
    """`dumps(record)` as UTF-8 bytes: by orjson where it writes the same bytes
    (`normalize.json_bytes`), about 30 times faster than `json.dumps`; else `dumps`."""
    line = json_bytes.encode(record)
    return line if line is not None else dumps(record).encode("utf-8")
