"""Input fields → canonical fields: aliases, dotted paths, pinned mappings, name inference.

Real feeds name their fields in many ways (NewsAPI `publishedAt`, feedparser `link`,
JSON-LD `headline`, a scraper's `title_article`), and some nest them (`source.name`, a
list of author objects). The tables are rules (`rules/schema.yaml`): an alias list per
canonical field, in priority order; the name tokens that let an unlisted field be inferred;
and mappings a user pins (`--map published=article_date_timestamp`, a `field-map` rule, or
`Normalizer(mapping=…)`). Only the choice of input key is made here; turning the value into
its canonical shape is `normalize.record_shape`, recorded as changes so `undo` still works.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.findings import Finding
from normalize.memo import Memo
from normalize.meta_split import split_meta
from normalize.ruleset import KindError, KindSpec, Rule, RuleSet

CANONICAL_FIELDS = (
    "id",
    "url",
    "source",
    "language",
    "published",
    "retrieved",
    "title",
    "summary",
    "text",
    "authors",
    "places",
)
# without one of these a record has no content to normalize (`schema.unmapped`)
CONTENT_FIELDS = ("title", "text", "url")
# read from the input but left in meta as given as well: the byline as the source wrote it
# (`author: "A. Writer"` stays in meta; `authors` is the canonical list of names)
COPIED_FIELDS = ("authors",)


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


def _check_map(spec: Mapping[str, Any]) -> None:
    check_mapping(spec["map"], "map")


def check_mapping(mapping: Mapping[str, Any], key: str = "mapping") -> None:
    """A pinned mapping names canonical fields and, for each, one input field (or path)."""
    for name, path in mapping.items():
        if name not in CANONICAL_FIELDS:
            raise KindError(
                key, f"{name!r} is not a canonical field ({', '.join(CANONICAL_FIELDS)})"
            )
        if not isinstance(path, str) or not path.strip():
            raise KindError(key, f"the input field for {name!r} must be a non-empty name")


def _check_inference(spec: Mapping[str, Any]) -> None:
    for name, tokens in spec["tokens"].items():
        if name not in CANONICAL_FIELDS:
            raise KindError("tokens", f"{name!r} is not a canonical field")
        if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
            raise KindError("tokens", f"the tokens of {name!r} must be a list of words")
    for key in ("neutral", "veto"):
        words = spec.get(key, [])
        if not all(isinstance(w, str) and w for w in words):
            raise KindError(key, f"`{key}` must be a list of words")


KINDS = {
    "field-aliases": KindSpec(
        stage="record", required={"aliases": dict}, default_fields=("text",), check=_check_aliases
    ),
    "field-map": KindSpec(stage="record", required={"map": dict}, check=_check_map),
    # the rule that `--map CANONICAL=FIELD` (and `Normalizer(mapping=…)`) pins are credited to
    "field-map-option": KindSpec(stage="record", required={}),
    "field-inference": KindSpec(
        stage="record",
        required={"tokens": dict},
        optional={"neutral": list, "veto": list},
        check=_check_inference,
    ),
}


def _option_rule(ruleset: RuleSet) -> str:
    """The id of the `field-map-option` rule, which a pinned mapping's steps name."""
    rules = ruleset.of_kind("field-map-option")
    if not rules:
        raise ValueError("no `field-map-option` rule in the rule set (rules/schema.yaml)")
    return rules[-1].id


@dataclass(frozen=True)
class Mapped:
    """How one canonical field was found: the input key, the path inside it, and why."""

    field: str
    key: str  # the top-level input key (undo puts the value back here)
    path: tuple[str, ...]  # the steps inside the key's value (`source.name` → ("name",))
    rule_id: str
    how: str  # alias, pinned or inferred

    @property
    def name(self) -> str:
        return ".".join((self.key, *self.path))


@dataclass(frozen=True)
class Inference:
    """Name tokens → canonical field, for names no alias lists."""

    tokens: tuple[tuple[str, frozenset[str]], ...]
    neutral: frozenset[str]
    veto: frozenset[str]
    rule_id: str

    def field_of(self, key: str) -> str | None:
        """The field the key's first telling token names; None when vetoed or unknown."""
        words = [w for w in name_tokens(key) if w not in self.neutral]
        if not words or any(w in self.veto for w in words):
            return None
        for word in words:
            for name, tokens in self.tokens:
                if word in tokens:
                    return name
        return None


_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _name_tokens(key: str) -> tuple[str, ...]:
    """`article_date_timestamp`, `articleDateTimestamp`, `og:title` → lower-case words."""
    return tuple(t.lower() for t in _TOKEN.findall(key))


name_tokens: Memo[str, tuple[str, ...]] = Memo(_name_tokens, limit=4096, name="name_tokens")


@dataclass(frozen=True)
class Schema:
    """Canonical field → input names (case-folded, dotted for nested values), in order."""

    aliases: tuple[tuple[str, tuple[str, ...]], ...]
    rule_id: str
    id_rule: str  # the rule that turns an input id into text
    pinned: tuple[tuple[str, str, str], ...] = ()  # (field, input name, rule id)
    inference: Inference | None = None

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet, mapping: Mapping[str, str] | None = None) -> Schema:
        rules: list[Rule] = ruleset.of_kind("field-aliases")
        if not rules:
            raise ValueError("no `field-aliases` rule in the rule set (rules/schema.yaml)")
        rule = rules[-1]
        table = rule.spec["aliases"]
        aliases = tuple((name, _alias_order(name, table[name])) for name in CANONICAL_FIELDS)
        pinned: dict[str, tuple[str, str]] = {}
        for map_rule in ruleset.of_kind("field-map"):
            for name, path in map_rule.spec["map"].items():
                pinned[name] = (path.strip(), map_rule.id)
        if mapping:
            try:
                check_mapping(mapping)
            except KindError as exc:
                raise ValueError(str(exc)) from None
            option = _option_rule(ruleset)
            for name, path in mapping.items():
                pinned[name] = (path.strip(), option)
        id_rules = ruleset.of_kind("record-id")
        if not id_rules:
            raise ValueError("no `record-id` rule in the rule set (rules/schema.yaml)")
        id_rule = id_rules[-1].id
        return cls(
            aliases=aliases,
            rule_id=rule.id,
            id_rule=id_rule,
            pinned=tuple((name, path, rid) for name, (path, rid) in pinned.items()),
            inference=_inference(ruleset),
        )


def _alias_order(name: str, names: list[str]) -> tuple[str, ...]:
    """The canonical name comes first unless the table places it (after a dotted path such
    as `source.name`, so that a nested object gives its name and a plain value still counts)."""
    listed = [a.casefold() for a in names]
    return tuple(dict.fromkeys(listed if name in listed else [name, *listed]))


def _inference(ruleset: RuleSet) -> Inference | None:
    rules = ruleset.of_kind("field-inference")
    if not rules:
        return None
    spec = rules[-1].spec
    return Inference(
        tokens=tuple(
            (name, frozenset(t.casefold() for t in tokens))
            for name, tokens in spec["tokens"].items()
        ),
        neutral=frozenset(w.casefold() for w in spec.get("neutral", [])),
        veto=frozenset(w.casefold() for w in spec.get("veto", [])),
        rule_id=rules[-1].id,
    )


@dataclass
class SplitRecord:
    """An input record taken apart: canonical values, their input keys, meta, history."""

    values: dict[str, Any]
    keys: dict[str, str]
    meta: dict[str, Any]
    previous: dict[str, Any] | None
    nested_meta: list[str] | None = None  # keys read from a canonical input's `meta`
    mapped: list[Mapped] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # meta key → the input's key
    warnings: list[Finding] = field(default_factory=list)  # values kept under a new name

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
    """Find each canonical field: a pinned mapping, else the first alias present, else (for
    names no alias lists) its name tokens; everything else is meta.

    A value found by a dotted path (`source.name`) is taken whole from its top-level key here;
    `record_shape` then takes the nested value out, as a recorded change. A record that
    already has the canonical shape (a `normalization` object) is read back as canonical: its
    `meta` is taken as meta, not nested under `meta`, and nothing is inferred.
    """
    previous = raw.get("normalization")
    canonical_input = isinstance(previous, dict)
    folded: dict[str, str] = {}
    for key in raw:
        folded.setdefault(str(key).casefold(), key)
    found: dict[str, Mapped] = {}
    taken: set[str] = set()
    for name, path, rule_id in schema.pinned:
        hit = _locate(raw, folded, path.casefold(), taken)
        if hit is not None:
            found[name] = Mapped(name, hit[0], hit[1], rule_id, "pinned")
            taken.add(hit[0])
    for name, aliases in schema.aliases:
        if name in found:
            continue
        for alias in aliases:
            hit = _locate(raw, folded, alias, taken)
            if hit is not None:
                found[name] = Mapped(name, hit[0], hit[1], schema.rule_id, "alias")
                taken.add(hit[0])
                break
    if not canonical_input and schema.inference is not None:
        _infer(raw, schema.inference, found, taken)
    mapped = [found[name] for name in CANONICAL_FIELDS if name in found]
    values = {m.field: raw[m.key] for m in mapped}
    keys = {m.field: m.key for m in mapped if m.field not in COPIED_FIELDS}
    copied = {m.key for m in mapped if m.field in COPIED_FIELDS and m.key != m.field}
    rest = split_meta(raw, taken - copied, canonical_input)
    previous = previous if canonical_input else None
    return SplitRecord(
        values, keys, rest.meta, previous, rest.nested, mapped, rest.renamed, rest.warnings
    )


def _locate(
    raw: Mapping[str, Any], folded: Mapping[str, str], name: str, taken: set[str]
) -> tuple[str, tuple[str, ...]] | None:
    """The top-level key and inner path a (case-folded) name points to, if it has a value.

    A key spelled with dots wins over a path (`{"og.title": …}`); a path step into a list
    looks into its objects (`author.name` over a list of author objects).
    """
    key = folded.get(name)
    if key is not None:
        return None if key in taken else (key, ())
    if "." not in name:
        return None
    head, *rest = name.split(".")
    key = folded.get(head)
    if key is None or key in taken or not rest:
        return None
    path = tuple(rest)
    return (key, path) if resolve(raw[key], path) is not None else None


def resolve(value: Any, path: tuple[str, ...]) -> Any:
    """The value at a path (steps matched case-insensitively); over lists, a list of them."""
    if not path:
        return value
    if isinstance(value, list):
        found = [resolve(item, path) for item in value]
        found = [item for item in found if item is not None]
        return found or None
    if not isinstance(value, Mapping):
        return None
    step = path[0]
    for key, inner in value.items():
        if str(key).casefold() == step:
            return resolve(inner, path[1:])
    return None


def _infer(
    raw: Mapping[str, Any], inference: Inference, found: dict[str, Mapped], taken: set[str]
) -> None:
    """Map unlisted keys whose name tokens tell their field, each field at most once."""
    for key, value in raw.items():
        if key in taken or not _inferable(value):
            continue
        name = inference.field_of(str(key))
        if name is None or name in found:
            continue
        found[name] = Mapped(name, key, (), inference.rule_id, "inferred")
        taken.add(key)


def _inferable(value: Any) -> bool:
    """Only plain values are read by their name: text, numbers, lists of text."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, int | float):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
