"""Marking a field's UI lines: exact lines, patterns, blocks, the repeated headline.

Each function fills `removed[i]` with the id of the rule that removes line i; nothing is
removed here (see `apply_removals`), so the rules can be tried in any order of lines.
"""

from __future__ import annotations

from normalize.stages.ui_strings.scope import LineRule, Scope, line_key
from normalize.work import WorkRecord


def candidates(scope: Scope, lines: list[str]) -> range | list[int]:
    """The lines a block may start at or a pattern may match, in order."""
    if not (scope.blocks or scope.patterns):
        return []
    if scope.gate is None:
        return range(len(lines))
    return scope.gate.candidates(lines)


def mark_blocks(
    work: WorkRecord,
    lines: list[str],
    removed: list[str | None],
    blocks: tuple[LineRule, ...],
    found: range | list[int],
) -> None:
    for block in blocks:
        after = 0  # where the last match ended: a block never starts inside another
        for start in found:
            if start < after:
                continue
            end, groups = _match_block(block, lines, removed, start)
            if end is None:
                continue
            for i in range(start, end):
                removed[i] = block.rule.id
            _capture(work, block, groups)
            after = end


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


def mark_lines(
    work: WorkRecord,
    lines: list[str],
    removed: list[str | None],
    scope: Scope,
    found: range | list[int],
) -> None:
    exact, longest, first_words = scope.exact, scope.longest_key, scope.first_words
    if exact:
        for i, line in enumerate(lines):
            if removed[i] is not None:
                continue
            if len(line) > longest:  # prose, mostly: its first word tells at little cost
                head = line.split(None, 1)
                if head and head[0].casefold() not in first_words:
                    continue
            key = " ".join(line.split())  # = line_key before case folding, which never
            if len(key) <= longest:  # makes a string shorter
                removed[i] = exact.get(key.casefold())
    for i in found:
        if removed[i] is not None:
            continue
        line = lines[i]
        for pattern in scope.patterns:
            match = pattern.steps[0][0].fullmatch(line)
            if match:
                removed[i] = pattern.rule.id
                _capture(work, pattern, {k: v for k, v in match.groupdict().items() if v})
                break


def mark_headline(
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


def apply_removals(
    work: WorkRecord, field: str, lines: list[str], removed: list[str | None]
) -> None:
    """Remove the marked lines one run at a time, top down: each removal is its own step,
    naming its rule (a block's lines go together, as one step). Without steps to keep
    (no audit), the rules fire in the same order and the text is joined once: a text a
    run at a time is a full copy per run, runs × size in all on a large field."""
    gone = [False] * len(lines)
    i, last = 0, ""
    while i < len(lines):
        rule_id = removed[i]
        if rule_id is None:
            i += 1
            continue
        end = i
        while end < len(lines) and removed[end] == rule_id:
            gone[end] = True
            end += 1
        if work.keep_steps:
            kept = [line for line, out in zip(lines, gone, strict=True) if not out]
            work.set(field, "\n".join(kept), rule_id)
        else:
            work.fire(rule_id)  # each removal changes the text: its rule fires, as with a step
        last, i = rule_id, end
    if not work.keep_steps and any(gone):
        kept = [line for line, out in zip(lines, gone, strict=True) if not out]
        work.set(field, "\n".join(kept), last)
