"""Rebuild input records from audited output (`metanorm undo`): the proof that nothing is lost.

An audited record carries every change (field, rule, before, after) and the shape of its
input (the input's key for each canonical field; for a canonical input, its nested `meta`
keys and its own `normalization`). Undoing the changes in reverse order and putting each
value back under its input key gives the input record, equal as a JSON value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normalize.record import CANONICAL_FIELDS


class NotAudited(ValueError):
    """The record has no audit trail to undo (it was not written with --audit)."""


def rebuild_input(record: Mapping[str, Any]) -> dict[str, Any]:
    normalization = record.get("normalization")
    if not isinstance(normalization, Mapping) or not isinstance(normalization.get("changes"), list):
        raise NotAudited("no normalization.changes: normalize with --audit to be able to undo")
    keys = normalization.get("source_keys")
    if not isinstance(keys, Mapping):
        raise NotAudited("no normalization.source_keys: normalize with --audit to be able to undo")
    values: dict[str, Any] = {name: record.get(name) for name in CANONICAL_FIELDS}
    meta: Any = record.get("meta") or {}
    for change in reversed(normalization["changes"]):
        if change.get("field") == "meta":
            meta = change.get("before")
        else:
            values[change["field"]] = change.get("before")
    rebuilt: dict[str, Any] = {}
    nested = normalization.get("source_meta")
    if nested is not None:
        rebuilt["meta"] = {}
    for key, value in (meta or {}).items():
        if nested is not None and key in nested:
            rebuilt["meta"][key] = value
        else:
            rebuilt[key] = value
    for name, key in keys.items():
        rebuilt[key] = values.get(name)
    if "source_normalization" in normalization:
        rebuilt["normalization"] = normalization["source_normalization"]
    return rebuilt
