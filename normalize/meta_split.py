"""What of an input record goes to `meta`, without losing a value to a name clash.

A key repeated in the input object arrives as `<key> (duplicate N)` (`jsonl.DuplicateKey`);
a canonical input's own `meta` object is unpacked, and a nested key that collides with a
top-level one is kept as `meta.<key>`. Each case leaves a warning naming both names, and
`renamed` tells `undo` where a moved value came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.findings import Finding
from normalize.jsonl import DuplicateKey


@dataclass
class MetaSplit:
    meta: dict[str, Any] = field(default_factory=dict)
    nested: list[str] | None = None  # keys read from a canonical input's `meta`
    renamed: dict[str, str] = field(default_factory=dict)  # meta key → the input's key
    warnings: list[Finding] = field(default_factory=list)


def split_meta(raw: Mapping[str, Any], taken: set[str], canonical_input: bool) -> MetaSplit:
    split = MetaSplit()
    if canonical_input and isinstance(raw.get("meta"), dict):
        split.nested = []  # only when the input had a `meta` object
    for key, value in raw.items():
        if key in taken:
            continue
        if isinstance(key, DuplicateKey):
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


def _kept_as(code: str, key: str, name: str) -> Finding:
    what = "appears more than once" if code == "input.duplicate-key" else "is also in `meta`"
    return Finding(code, "meta", f"key {key!r} {what}: the other value is kept in meta as {name!r}")


def _free_name(split: MetaSplit, raw: Mapping[str, Any], base: str) -> str:
    name = base
    while name in split.meta or name in raw:
        name = "meta." + name
    return name


def _add_nested(split: MetaSplit, raw: Mapping[str, Any], key: str, value: Any) -> None:
    name = key
    if name in split.meta:
        name = _free_name(split, raw, f"meta.{key}")
        split.renamed[name] = key
        split.warnings.append(_kept_as("input.meta-collision", key, name))
    split.meta[name] = value
    assert split.nested is not None
    split.nested.append(name)


def _move_nested(split: MetaSplit, raw: Mapping[str, Any], key: str) -> None:
    name = _free_name(split, raw, f"meta.{key}")
    split.meta[name] = split.meta.pop(key)
    nested = split.nested or []
    nested[nested.index(key)] = name
    split.renamed[name] = key
    split.warnings.append(_kept_as("input.meta-collision", key, name))
