"""UI strings: remove the site's own words that scraping left in the text.

Works on whole lines, never inside prose: a line is UI when it equals a listed string
(case-folded), matches a rule's line pattern in full, belongs to a multi-line block (a
related-article card, a masthead, a footer), repeats the headline at the top, or is a
trailer (`<caption> - Sputnik International, 1920, 28.01.2022`) from which metadata is
captured before the line goes. Short lines in a script foreign to the document that no
rule lists are kept and reported (`ui.suspect`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule, RuleSet
from normalize.scripts import dominant_script
from normalize.work import WorkRecord

NAME = "ui_strings"
CAPTURABLE = ("source", "published")
_SPACES = re.compile(r"\s+")


def line_key(line: str) -> str:
    """How exact UI lines are compared: case-folded, inner whitespace collapsed."""
    return _SPACES.sub(" ", line.strip()).casefold()


def _compile_pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


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
        _compile_pattern(spec["pattern"], spec.get("ignore_case", False))
    except re.error as exc:
        raise KindError("pattern", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [spec["pattern"]])


def _block_items(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
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
    items = _block_items(spec)
    if not items or all(item["optional"] for item in items):
        raise KindError("sequence", "a block needs at least one step that is not optional")
    for item in items:
        try:
            _compile_pattern(item["pattern"], spec.get("ignore_case", False))
        except re.error as exc:
            raise KindError("sequence", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [item["pattern"] for item in items])


def _check_suspect(spec: Mapping[str, Any]) -> None:
    if spec["max_words"] < 1:
        raise KindError("max_words", "`max_words` must be at least 1")
    share = spec.get("min_share", 0.8)
    if not isinstance(share, int | float) or not 0 < share <= 1:
        raise KindError("min_share", "`min_share` is a number in (0, 1]")


_CAPTURE_KEYS = {"capture": list, "ignore_case": bool}
KINDS = {
    "ui-lines": KindSpec(stage=NAME, required={"lines": list}, check=_check_lines),
    "ui-pattern": KindSpec(
        stage=NAME, required={"pattern": str}, optional=_CAPTURE_KEYS, check=_check_pattern
    ),
    "ui-block": KindSpec(
        stage=NAME, required={"sequence": list}, optional=_CAPTURE_KEYS, check=_check_block
    ),
    "ui-headline-repeat": KindSpec(stage=NAME, required={}),
    "ui-suspect": KindSpec(
        stage=NAME,
        required={"max_words": int},
        optional={"min_share": (int, float)},
        check=_check_suspect,
    ),
}


@dataclass(frozen=True)
class LineRule:
    """A compiled pattern or block rule, with its scope."""

    rule: Rule
    steps: tuple[tuple[re.Pattern[str], bool], ...]  # (pattern, optional)
    capture: tuple[str, ...]


@dataclass(frozen=True)
class Compiled:
    exact: dict[str, tuple[Rule, ...]]  # line key → rules listing it
    blocks: tuple[LineRule, ...]  # multi-step blocks, tried first
    patterns: tuple[LineRule, ...]  # one-line patterns (trailers among them)
    headline: Rule | None
    suspect: Rule | None


def compile(ruleset: RuleSet) -> Compiled:
    exact: dict[str, list[Rule]] = {}
    blocks: list[LineRule] = []
    patterns: list[LineRule] = []
    for rule in ruleset.of_kind("ui-lines"):
        for line in rule.spec["lines"]:
            exact.setdefault(line_key(line), []).append(rule)
    for rule in ruleset.of_kind("ui-block", "ui-pattern"):
        ignore_case = rule.spec.get("ignore_case", False)
        if rule.kind == "ui-pattern":
            raw_steps = [{"pattern": rule.spec["pattern"], "optional": False}]
        else:
            raw_steps = _block_items(rule.spec)
        steps = tuple(
            (_compile_pattern(s["pattern"], ignore_case), s["optional"]) for s in raw_steps
        )
        compiled = LineRule(rule, steps, tuple(rule.spec.get("capture", ())))
        (blocks if len(steps) > 1 else patterns).append(compiled)
    headline = ruleset.of_kind("ui-headline-repeat")
    suspect = ruleset.of_kind("ui-suspect")
    return Compiled(
        exact={key: tuple(rules) for key, rules in exact.items()},
        blocks=tuple(blocks),
        patterns=tuple(patterns),
        headline=headline[-1] if headline else None,
        suspect=suspect[-1] if suspect else None,
    )


def _applies(
    rule: Rule, field: str, language: str | None, source: str | None, host: str | None
) -> bool:
    return (
        field in rule.fields
        and rule.applies_to_language(language)
        and rule.applies_to_source(source, host)
    )


def run(work: WorkRecord, compiled: Compiled) -> None:
    language, source, host = work.language, work.source, work.host
    for field in ("text", "title"):
        text = work.text(field)
        if not text:
            continue
        lines = text.split("\n")
        removed: list[str | None] = [None] * len(lines)

        def applies(rule: Rule, field: str = field) -> bool:
            return _applies(rule, field, language, source, host)

        _mark_blocks(work, lines, removed, [b for b in compiled.blocks if applies(b.rule)])
        _mark_lines(work, lines, removed, compiled, applies)
        if field == "text" and compiled.headline and applies(compiled.headline):
            _mark_headline(lines, removed, work.text("title"), compiled.headline.id)
        if any(removed):
            _apply(work, field, lines, removed)
        if field == "text" and compiled.suspect and applies(compiled.suspect):
            _warn_suspects(work, compiled.suspect)
    _fill_source(work)


def _fill_source(work: WorkRecord) -> None:
    """A record without a source takes the one a masthead or trailer named."""
    captured = work.captured.get("source")
    if captured and work.get("source") in (None, ""):
        work.set("source", captured[0], captured[1])


def _mark_blocks(
    work: WorkRecord, lines: list[str], removed: list[str | None], blocks: list[LineRule]
) -> None:
    for block in blocks:
        start = 0
        while start < len(lines):
            end, groups = _match_block(block, lines, removed, start)
            if end is None:
                start += 1
                continue
            for i in range(start, end):
                removed[i] = block.rule.id
            _capture(work, block, groups)
            start = end


def _match_block(
    block: LineRule, lines: list[str], removed: list[str | None], start: int
) -> tuple[int | None, dict[str, str]]:
    pos = start
    groups: dict[str, str] = {}
    matched_any = False
    for pattern, optional in block.steps:
        match = None
        if pos < len(lines) and removed[pos] is None:
            match = pattern.fullmatch(lines[pos])
        if match is None:
            if optional:
                continue
            return None, {}
        groups.update({k: v for k, v in match.groupdict().items() if v})
        matched_any = True
        pos += 1
    return (pos if matched_any else None), groups


def _mark_lines(
    work: WorkRecord, lines: list[str], removed: list[str | None], compiled: Compiled, applies: Any
) -> None:
    patterns = [p for p in compiled.patterns if applies(p.rule)]
    for i, line in enumerate(lines):
        if removed[i] is not None:
            continue
        for rule in compiled.exact.get(line_key(line), ()):
            if applies(rule):
                removed[i] = rule.id
                break
        else:
            for pattern in patterns:
                match = pattern.steps[0][0].fullmatch(line)
                if match:
                    removed[i] = pattern.rule.id
                    _capture(work, pattern, {k: v for k, v in match.groupdict().items() if v})
                    break


def _mark_headline(
    lines: list[str], removed: list[str | None], title: str | None, rule_id: str
) -> None:
    """The headline repeated above the text: the first line that no other rule removed."""
    if not title:
        return
    wanted = line_key(title)
    for i, line in enumerate(lines):
        if removed[i] is None:
            if line_key(line) == wanted:
                removed[i] = rule_id
            return


def _capture(work: WorkRecord, rule: LineRule, groups: dict[str, str]) -> None:
    for name in rule.capture:
        value = groups.get("date" if name == "published" else name)
        if value:
            work.capture(name, value.strip(), rule.rule.id)


def _apply(work: WorkRecord, field: str, lines: list[str], removed: list[str | None]) -> None:
    """Remove the marked lines, one rule at a time, so each change names its rule."""
    order = list(dict.fromkeys(r for r in removed if r is not None))
    gone: set[str] = set()
    for rule_id in order:
        gone.add(rule_id)
        kept = [line for line, by in zip(lines, removed, strict=True) if by not in gone]
        work.set(field, "\n".join(kept), rule_id)


def _warn_suspects(work: WorkRecord, rule: Rule) -> None:
    text = work.text("text") or ""
    max_words = rule.spec["max_words"]
    share = rule.spec.get("min_share", 0.8)
    document = None
    for line in text.split("\n"):
        if len(line.split()) > max_words:
            continue
        line_script = dominant_script(line, share)
        if line_script is None:
            continue
        if document is None:
            document = dominant_script(text, share) or ""
        if document and line_script != document:
            work.warn(
                "ui.suspect",
                "text",
                f"short {line_script} line in a {document} text kept: {line!r}",
            )
