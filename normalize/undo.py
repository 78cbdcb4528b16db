"""Rebuild input records from audited output (`metanorm undo`): the proof that nothing is lost.

An audited record carries every change (field, rule, before, after) and the shape of its
input (the input's key for each canonical field; for a canonical input, its nested `meta`
keys, the keys renamed on a collision, and its own `normalization`). Undoing the changes in
reverse order and putting each value back under its input key gives the input record,
equal as a JSON value. A trail that is not one we could have written is refused with the
reason (`BadAudit`), never half-used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normalize.record import CANONICAL_FIELDS


class NotAudited(ValueError):
    """The record has no audit trail to undo (it was not written with --audit)."""


class BadAudit(ValueError):
    """The audit trail is damaged or tampered with; the message says where."""


def rebuild_input(record: Mapping[str, Any]) -> dict[str, Any]:
    normalization = record.get("normalization")
    if not isinstance(normalization, Mapping) or not isinstance(normalization.get("changes"), list):
        raise NotAudited("no normalization.changes: normalize with --audit to be able to undo")
    keys = normalization.get("source_keys")
    if not isinstance(keys, Mapping):
        raise NotAudited("no normalization.source_keys: normalize with --audit to be able to undo")
    _check_trail(normalization, keys)
    values: dict[str, Any] = {name: record.get(name) for name in CANONICAL_FIELDS}
    meta: Any = record.get("meta") or {}
    for change in reversed(normalization["changes"]):
        if change["field"] == "meta":
            meta = change.get("before")
        else:
            values[change["field"]] = change.get("before")
    if not isinstance(meta, Mapping):
        raise BadAudit("meta is not an object once the changes are undone")
    rebuilt: dict[str, Any] = {}
    nested = normalization.get("source_meta")
    if nested is not None:
        rebuilt["meta"] = {}
    renamed = normalization.get("source_renamed") or {}
    for key, value in meta.items():
        if nested is not None and key in nested:
            rebuilt["meta"][renamed.get(key, key)] = value
        else:
            rebuilt[key] = value
    for name, key in keys.items():
        rebuilt[key] = values.get(name)
    if "source_normalization" in normalization:
        rebuilt["normalization"] = normalization["source_normalization"]
    return rebuilt


def _check_trail(normalization: Mapping[str, Any], keys: Mapping[str, Any]) -> None:
    """Every part of the trail has the shape `assemble` writes."""
    fields = {*CANONICAL_FIELDS, "meta"}
    for n, change in enumerate(normalization["changes"]):
        if not isinstance(change, Mapping) or change.get("field") not in fields:
            raise BadAudit(f"normalization.changes[{n}] is not a change of a canonical field")
        if "before" not in change:
            raise BadAudit(f"normalization.changes[{n}] has no `before` value")
    for name, key in keys.items():
        if name not in CANONICAL_FIELDS or not isinstance(key, str):
            raise BadAudit(f"normalization.source_keys[{name!r}] is not a field's input key")
    nested = normalization.get("source_meta")
    if nested is not None and not (
        isinstance(nested, list) and all(isinstance(k, str) for k in nested)
    ):
        raise BadAudit("normalization.source_meta is not a list of keys")
    renamed = normalization.get("source_renamed")
    if renamed is not None and not (
        isinstance(renamed, Mapping) and all(isinstance(v, str) for v in renamed.values())
    ):
        raise BadAudit("normalization.source_renamed is not a mapping of keys")
