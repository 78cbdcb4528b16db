"""Rule kinds: what each requires and allows (`KindSpec`), and checking a rule against it.

A stage declares its kinds (`KINDS`); the loader checks every rule's kind-specific keys
here: their types, their patterns (through the RE2 door, `normalize.regex_safety`) and
the kind's own `check`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.pattern_keys import patterns_of
from normalize.regex_safety import pattern_problem

GENERIC_KEYS = {"id", "kind", "description", "fields", "languages", "sources", "examples"}


@dataclass(frozen=True)
class KindSpec:
    """What a rule kind requires and allows, and how its values are checked.

    `check` receives the rule's kind-specific mapping and raises ValueError (or returns a
    `(key, reason)` pair through KindError) when a value is wrong. `patterns` names the
    keys that hold regular expressions (a text, a list, or steps `{pattern: …}`): each is
    compiled with RE2 at load time (`normalize.regex_safety`, the one door for patterns).
    """

    stage: str
    required: Mapping[str, type | tuple[type, ...]]
    optional: Mapping[str, type | tuple[type, ...]] = field(default_factory=dict)
    default_fields: tuple[str, ...] = ("text",)
    check: Callable[[Mapping[str, Any]], None] | None = None
    patterns: tuple[str, ...] = ()
    ascii_boundaries: bool = False  # `\b` allowed in its patterns, as RE2's ASCII boundary


class KindError(ValueError):
    """Raised by a KindSpec.check; `key` says which key is wrong."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


# how a check says which key is wrong: (key or None for the rule as a whole, reason)
Fail = Callable[[str | None, str], Exception]


def kind_values(item: Mapping[str, Any], kind: str, spec: KindSpec, fail: Fail) -> dict[str, Any]:
    """The rule's kind-specific keys, checked: known, of their types, patterns safe, `check` ok."""
    unknown = set(item) - GENERIC_KEYS - set(spec.required) - set(spec.optional)
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise fail(key, f"unknown key {key!r} for kind {kind!r}")
    for key, typ in spec.required.items():
        if key not in item:
            raise fail(None, f"kind {kind!r} requires `{key}`")
        if not isinstance(item[key], typ):
            raise fail(key, f"`{key}` must be {_type_name(typ)}")
    for key, typ in spec.optional.items():
        if key in item and not isinstance(item[key], typ):
            raise fail(key, f"`{key}` must be {_type_name(typ)}")
    values = {k: v for k, v in item.items() if k in spec.required or k in spec.optional}
    ignore_case = bool(values.get("ignore_case", False))
    for key, pattern in patterns_of(values, spec.patterns):
        problem = pattern_problem(pattern, ignore_case, spec.ascii_boundaries)
        if problem:
            raise fail(key, problem)
    if spec.check is not None:
        try:
            spec.check(values)
        except KindError as exc:
            raise fail(exc.key, str(exc)) from None
        except (ValueError, re.error) as exc:
            raise fail(None, str(exc)) from None
    return values


def _type_name(typ: type | tuple[type, ...]) -> str:
    names = {str: "text", list: "a list", dict: "a mapping", bool: "true/false", int: "a number"}
    if isinstance(typ, tuple):
        return " or ".join(names.get(t, t.__name__) for t in typ)
    return names.get(typ, typ.__name__)
