"""UI strings: remove the site's own words that scraping left in the text and titles.

Works on whole lines, never inside prose: a line is UI when it equals a listed string
(case-folded), matches a rule's line pattern in full, belongs to a multi-line block (a
related-article card, a masthead, a footer), is made of a language's UI vocabulary in the
shape of a button or label (`vocabulary.py`), repeats the headline at the top, or is a
trailer (`<caption> - Sputnik International, 1920, 28.01.2022`) from which metadata is
captured before the line goes. The publisher suffixes of titles (`titles.py`) are removed
by their own stage, `ui_titles`, before the language is decided. Short lines in a script foreign to the document that no rule lists are
kept and reported (`ui.suspect`).

Every removal is its own step in the record's changes, naming its rule.
"""

from __future__ import annotations

from typing import Any

from normalize.ruleset import RuleSet
from normalize.stages.ui_strings import lines as marking
from normalize.stages.ui_strings import vocabulary
from normalize.stages.ui_strings.kinds import NAME, _kinds
from normalize.stages.ui_strings.scope import Compiled, Scope, line_key
from normalize.stages.ui_strings.scope import compile as _compile
from normalize.stages.ui_strings.suspect import warn_suspects
from normalize.work import WorkRecord

__all__ = ["KINDS", "NAME", "compile", "line_key", "run"]

KINDS = _kinds()
READS = frozenset({"title", "text", "language", "source", "url"})
WRITES = frozenset({"source", "captured.published", "captured.source"})
EDITS = frozenset({"title", "text"})


def compile(ruleset: RuleSet) -> Compiled:
    return _compile(ruleset)


def run(work: WorkRecord, compiled: Compiled) -> None:
    language, source, host = work.language, record_source(work), work.host
    previous = work.hints.get("previous")
    if work.audit and isinstance(previous, dict) and "ui_reasons" in previous:
        work.note("ui_reasons", list(previous["ui_reasons"]))  # a read-back keeps its story
    for field_name in ("title", "text"):
        text = work.text(field_name)
        if not text:
            continue
        scope = compiled.scope(field_name, language, source, host)
        if scope.idle:
            continue
        _clean_lines(work, scope, field_name, text)
        if scope.suspect:
            warn_suspects(work, scope.suspect)
    _fill_source(work)


def record_source(work: WorkRecord) -> str | None:
    """The record's source name: text, or the `name` of a source object (NewsAPI)."""
    value = work.get("source")
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() or None if isinstance(value, str) else None


def _clean_lines(work: WorkRecord, scope: Scope, field_name: str, text: str) -> None:
    lines = text.split("\n")
    removed: list[str | None] = [None] * len(lines)
    found = marking.candidates(scope, lines)
    marking.mark_blocks(work, lines, removed, scope.blocks, found)
    marking.mark_lines(work, lines, removed, scope, found)
    reasons: dict[int, str] = {}
    vocabulary.mark(text, lines, removed, scope.vocabulary, reasons)
    if scope.headline:
        marking.mark_headline(lines, removed, work.text("title"), scope.headline)
    if any(removed):
        if work.audit and reasons:
            _keep_reasons(work, field_name, lines, removed, reasons)
        marking.apply_removals(work, field_name, lines, removed)


def _keep_reasons(
    work: WorkRecord,
    field_name: str,
    lines: list[str],
    removed: list[str | None],
    reasons: dict[int, str],
) -> None:
    """In audit mode, why each vocabulary line went (`normalization.ui_reasons`)."""
    kept: list[dict[str, Any]] = list(work.notes.get("ui_reasons", []))
    for i, why in sorted(reasons.items()):
        kept.append({"field": field_name, "rule": removed[i], "line": lines[i], "reason": why})
    work.note("ui_reasons", kept)


def _fill_source(work: WorkRecord) -> None:
    """A record without a source takes the one a masthead, trailer or title suffix named."""
    captured = work.captured.get("source")
    if captured and work.get("source") in (None, ""):
        work.set("source", captured[0], captured[1])
