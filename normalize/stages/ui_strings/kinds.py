"""The UI stage's rule kinds: what each requires, and the checks run at load time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normalize.regex_safety import PatternError, RulePattern, compile_rule_pattern
from normalize.ruleset import KindError, KindSpec

NAME = "ui_strings"
CAPTURABLE = ("source", "published")


def compile_pattern(pattern: str, ignore_case: bool) -> RulePattern:
    """A rule's pattern on the engine that cannot backtrack (RE2), like every user pattern."""
    return compile_rule_pattern(pattern, ignore_case)


def _check_capture(spec: Mapping[str, Any], patterns: list[str]) -> None:
    capture = spec.get("capture", [])
    for name in capture:
        if name not in CAPTURABLE:
            raise KindError("capture", f"can capture only {', '.join(CAPTURABLE)}, not {name!r}")
        group = "date" if name == "published" else name
        if not any(f"(?P<{group}>" in p for p in patterns):
            raise KindError("capture", f"capturing {name!r} needs a named group (?P<{group}>…)")


def _check_lines(spec: Mapping[str, Any]) -> None:
    if not spec["lines"] or not all(isinstance(s, str) and s.strip() for s in spec["lines"]):
        raise KindError("lines", "`lines` must be a non-empty list of non-empty strings")


def _check_pattern(spec: Mapping[str, Any]) -> None:
    try:
        compile_pattern(spec["pattern"], spec.get("ignore_case", False))
    except PatternError as exc:
        raise KindError("pattern", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [spec["pattern"]])


def block_items(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A block's steps as `{pattern, optional}` mappings (a bare string is a required step)."""
    items = []
    for item in spec["sequence"]:
        if isinstance(item, str):
            item = {"pattern": item}
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
            raise KindError("sequence", "each step is a pattern, or {pattern: …, optional: true}")
        unknown = set(item) - {"pattern", "optional"}
        if unknown:
            raise KindError("sequence", f"unknown key {sorted(unknown)[0]!r} in a block step")
        items.append({"pattern": item["pattern"], "optional": bool(item.get("optional", False))})
    return items


def _check_block(spec: Mapping[str, Any]) -> None:
    items = block_items(spec)
    if not items or all(item["optional"] for item in items):
        raise KindError("sequence", "a block needs at least one step that is not optional")
    for item in items:
        try:
            compile_pattern(item["pattern"], spec.get("ignore_case", False))
        except PatternError as exc:
            raise KindError("sequence", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [item["pattern"] for item in items])


def _check_suspect(spec: Mapping[str, Any]) -> None:
    if spec["max_words"] < 1:
        raise KindError("max_words", "`max_words` must be at least 1")
    share = spec.get("min_share", 0.8)
    if not isinstance(share, int | float) or not 0 < share <= 1:
        raise KindError("min_share", "`min_share` is a number in (0, 1]")


def _kinds() -> dict[str, KindSpec]:
    from normalize.stages.ui_strings import titles, vocabulary

    capture_keys = {"capture": list, "ignore_case": bool}
    kinds = {
        "ui-lines": KindSpec(stage=NAME, required={"lines": list}, check=_check_lines),
        "ui-pattern": KindSpec(
            stage=NAME,
            required={"pattern": str},
            optional=capture_keys,
            check=_check_pattern,
            patterns=("pattern",),
        ),
        "ui-block": KindSpec(
            stage=NAME,
            required={"sequence": list},
            optional=capture_keys,
            check=_check_block,
            patterns=("sequence",),
        ),
        "ui-headline-repeat": KindSpec(stage=NAME, required={}),
        "ui-suspect": KindSpec(
            stage=NAME,
            required={"max_words": int},
            optional={"min_share": (int, float)},
            check=_check_suspect,
        ),
    }
    kinds.update(vocabulary.KINDS)
    kinds.update(titles.KINDS)
    return kinds
