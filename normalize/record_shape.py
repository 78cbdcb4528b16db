"""Mapped input values → their canonical shape, each step a recorded change.

`schema_map` chose which input key feeds each canonical field; here the value takes the
field's shape: the nested value a dotted path names (`source.name`), `authors` as a list of
names, text given as a list of parts (a Telegram export's runs, feedparser's `content`)
as one text, `retrieved` in ISO 8601. Every step goes through `WorkRecord.set` under the rule
that decided it, so `explain` shows it and `undo` rebuilds the input; what a path leaves
behind (`source.id`) is kept in `meta` under its input key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize import dateparse
from normalize.ruleset import KindError, KindSpec, RuleSet
from normalize.schema_map import CONTENT_FIELDS, Mapped, SplitRecord, resolve
from normalize.work import WorkRecord

TEXT_FIELDS = ("title", "summary", "text")


def _check_authors(spec: Mapping[str, Any]) -> None:
    for key in ("separators", "prefixes"):
        words = spec.get(key, [])
        if not all(isinstance(w, str) and w for w in words):
            raise KindError(key, f"`{key}` must be a list of non-empty strings")


KINDS = {
    "author-split": KindSpec(
        stage="record",
        required={"separators": list},
        optional={"prefixes": list},
        default_fields=("authors",),
        check=_check_authors,
    ),
    "text-parts": KindSpec(stage="record", required={}, default_fields=TEXT_FIELDS),
    "retrieved-time": KindSpec(stage="record", required={}, default_fields=("retrieved",)),
}

# what a retrieval time may be written as: a machine's timestamp, not prose
_RETRIEVED_GRAMMAR = dateparse.Grammar(
    locales=(), forms=frozenset({"iso", "compact", "rfc2822", "timestamp"})
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Shaping:
    """The rules that give values their shape (ids, and the author separators)."""

    authors_rule: str | None
    separators: re.Pattern[str] | None
    prefixes: tuple[str, ...]
    parts_rule: str | None
    retrieved_rule: str | None

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet) -> Shaping:
        authors = ruleset.of_kind("author-split")
        parts = ruleset.of_kind("text-parts")
        retrieved = ruleset.of_kind("retrieved-time")
        separators = None
        prefixes: tuple[str, ...] = ()
        if authors:
            spec = authors[-1].spec
            words = sorted(spec["separators"], key=len, reverse=True)
            separators = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
            prefixes = tuple(p.casefold() for p in spec.get("prefixes", []))
        return cls(
            authors_rule=authors[-1].id if authors else None,
            separators=separators,
            prefixes=prefixes,
            parts_rule=parts[-1].id if parts else None,
            retrieved_rule=retrieved[-1].id if retrieved else None,
        )


def shape(work: WorkRecord, split: SplitRecord, shaping: Shaping) -> None:
    """Give every mapped value its canonical shape, and say what could not be mapped."""
    for mapped in split.mapped:
        if mapped.path:
            _take_path(work, mapped)
        if mapped.how == "inferred":
            work.warn(
                "schema.inferred",
                mapped.field,
                f"{mapped.key!r} read as {mapped.field} by its name; pin it with "
                f"--map {mapped.field}={mapped.key} (or name it in a field-map rule)",
            )
    _shape_values(work, shaping, {m.field for m in split.mapped})
    if split.previous is None and not any(_present(split.values.get(f)) for f in CONTENT_FIELDS):
        keys = ", ".join(map(repr, split.meta)) or "none"
        work.warn(
            "schema.unmapped",
            None,
            f"no title, text or url found (input fields: {keys}); they are kept in meta, "
            "map them with --map CANONICAL=FIELD",
        )


def _take_path(work: WorkRecord, mapped: Mapped) -> None:
    """`source: {id, name}` → `source: name`; the rest of a non-empty object goes to meta."""
    whole = work.get(mapped.field)
    work.set(mapped.field, resolve(whole, tuple(p.casefold() for p in mapped.path)), mapped.rule_id)
    meta = work.get("meta")
    held = isinstance(meta, dict) and mapped.key in meta
    if not held and _leftover(whole, tuple(p.casefold() for p in mapped.path)):
        work.set_meta(mapped.key, whole, mapped.rule_id)


def _leftover(value: Any, path: tuple[str, ...]) -> bool:
    """Whether the value holds anything besides what the path takes out."""
    if not path:
        return False
    if isinstance(value, list):
        return any(_leftover(item, path) for item in value)
    if not isinstance(value, Mapping):
        return _present(value)
    for key, inner in value.items():
        if str(key).casefold() == path[0]:
            if _leftover(inner, path[1:]):
                return True
        elif _present(inner):
            return True
    return False


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _shape_values(work: WorkRecord, shaping: Shaping, present: set[str]) -> None:
    if shaping.parts_rule is not None:
        for name in TEXT_FIELDS:
            value = work.get(name)
            if isinstance(value, list):
                joined = join_parts(value)
                if joined is not None:
                    work.set(name, joined, shaping.parts_rule)
    if shaping.authors_rule is not None and "authors" in present:
        authors = split_authors(work.get("authors"), shaping)
        if authors is not None:
            work.set("authors", authors, shaping.authors_rule)
    if shaping.retrieved_rule is not None and work.get("retrieved") is not None:
        value = work.get("retrieved")
        reading = dateparse.parse_date(value, grammar=_RETRIEVED_GRAMMAR)
        if isinstance(reading, dateparse.DateReading):
            work.set("retrieved", reading.iso, shaping.retrieved_rule)
        else:
            work.warn("retrieved.unparsed", "retrieved", f"{value!r} is not a time; kept as is")


def join_parts(parts: list[Any]) -> str | None:
    """Text given in parts: runs of one paragraph (a Telegram export's strings and entity
    objects with `text`) are joined as they stand; a list of strings is one paragraph each."""
    runs = [
        p if isinstance(p, str) else p.get("text") if isinstance(p, dict) else None for p in parts
    ]
    texts = [r for r in runs if isinstance(r, str)]
    if not texts or len(texts) != len(runs):
        return None
    inline = any(isinstance(p, dict) for p in parts)
    return "".join(texts) if inline else "\n".join(texts)


def split_authors(value: Any, shaping: Shaping) -> list[str] | None:
    """A byline → names: split on the separators, whitespace collapsed, empties dropped.

    A list stays the list it is (each name collapsed); None for a value that is no byline
    (kept as it is).
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = _SPACES.sub(" ", value).strip()
        folded = text.casefold()
        for prefix in shaping.prefixes:
            if folded.startswith(prefix):
                text = text[len(prefix) :].strip()
                break
        pieces = shaping.separators.split(text) if shaping.separators else [text]
        return [p for p in (_SPACES.sub(" ", p).strip() for p in pieces) if p]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [p for p in (_SPACES.sub(" ", v).strip() for v in value) if p]
    return None
