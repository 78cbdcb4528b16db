"""One rule's YAML mapping → a validated `Rule`, or a `RuleFileError` at the key that is wrong."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from normalize.ruleset.kinds import Fail, KindSpec, kind_values
from normalize.ruleset.model import Example, Rule, RuleFileError
from normalize.ruleset.yaml_nodes import key_line, value_node

RULE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
SCOPE_KEYS = ("fields", "languages", "sources")  # also settable in a file's `defaults`


def build_rule(
    item: Any,
    node: yaml.Node,
    defaults: Mapping[str, Any],
    where: str,
    kinds: Mapping[str, KindSpec],
) -> Rule:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        raise RuleFileError(where, line, "a rule must be a mapping")

    def fail(key: str | None, reason: str) -> RuleFileError:
        at = key_line(node, key) if key else line
        rid = item.get("id")
        prefix = f"rule {rid!r}: " if isinstance(rid, str) else ""
        return RuleFileError(where, at, prefix + reason)

    rule_id, description, kind = _header(item, kinds, fail)
    spec = kinds[kind]
    values = kind_values(item, kind, spec, fail)
    scope = _scope(item, defaults, fail)
    fields = scope["fields"] or spec.default_fields
    examples = build_examples(
        item.get("examples"), value_node(node, "examples"), fields, where, fail
    )
    return Rule(
        id=rule_id,
        kind=kind,
        description=description,
        path=where,
        line=line,
        fields=fields,
        languages=scope["languages"],
        sources=scope["sources"],
        spec=values,
        examples=examples,
    )


def _header(
    item: Mapping[str, Any], kinds: Mapping[str, KindSpec], fail: Fail
) -> tuple[str, str, str]:
    """The keys every rule has: its `id`, `description` (stripped) and `kind` (a known one)."""
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
        raise fail(
            "id" if "id" in item else None, "every rule needs an `id` like `ui.en.subscribe`"
        )
    description = item.get("description")
    if not isinstance(description, str) or not description.strip():
        raise fail("description" if "description" in item else None, "missing `description`")
    kind = item.get("kind")
    if kind not in kinds:
        known = ", ".join(sorted(kinds))
        raise fail("kind" if "kind" in item else None, f"unknown kind {kind!r} (known: {known})")
    return rule_id, description.strip(), str(kind)


def _scope(
    item: Mapping[str, Any], defaults: Mapping[str, Any], fail: Fail
) -> dict[str, tuple[str, ...]]:
    """`fields`, `languages` and `sources`: the rule's own, else the file's defaults; a text is a list of one."""
    scope: dict[str, tuple[str, ...]] = {}
    for key in SCOPE_KEYS:
        value = item.get(key, defaults.get(key, []))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(key, f"`{key}` must be a list of strings")
        scope[key] = tuple(value)
    return scope


def build_examples(
    value: Any,
    node: yaml.Node | None,
    fields: tuple[str, ...],
    where: str,
    fail: Fail,
) -> tuple[Example, ...]:
    """A rule's `examples`: each `input`/`expected` a mapping, or a text for the rule's first field."""
    if not isinstance(value, list) or not value or not isinstance(node, yaml.SequenceNode):
        raise fail(
            "examples" if node is not None else None, "every rule needs a list of `examples`"
        )
    target = fields[0]
    examples = []
    for entry, entry_node in zip(value, node.value, strict=True):
        eline = entry_node.start_mark.line + 1
        if not isinstance(entry, dict) or "input" not in entry or "expected" not in entry:
            raise RuleFileError(where, eline, "an example is a mapping with `input` and `expected`")
        raw_in, raw_out = entry["input"], entry["expected"]
        record = {target: raw_in} if isinstance(raw_in, str) else raw_in
        expected = {target: raw_out} if isinstance(raw_out, str | type(None)) else raw_out
        if not isinstance(record, dict) or not isinstance(expected, dict):
            raise RuleFileError(
                where, eline, "example `input`/`expected` must be text or a mapping"
            )
        examples.append(Example(input=record, expected=expected, line=eline))
    return tuple(examples)
