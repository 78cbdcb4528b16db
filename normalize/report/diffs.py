"""Short before/after excerpts of one change, for the report's sample diffs.

A change may rewrite a 5 MB text; the report shows only where it differs, a little context
around each difference, and at most a few hunks, so that a sample costs a few hundred bytes.
The diff is by line first (cheap on long texts), then by character inside a changed line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any

CONTEXT = 60  # characters kept on each side of a difference
MAX_HUNKS = 3
MAX_PIECE = 240  # longest removed or inserted piece shown
MAX_MIDDLE = 400  # a changed middle longer than this is shown cut, not diffed by character


def as_text(value: Any) -> str:
    """A field value as the text the diff compares (JSON for lists and objects)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cut(text: str, limit: int, keep: str) -> str:
    """`text` at most `limit` characters, cut where it matters least (`keep` the start/end)."""
    if len(text) <= limit:
        return text
    return text[:limit] + "…" if keep == "start" else "…" + text[-limit:]


def _common_ends(before: str, after: str) -> tuple[int, int]:
    """Lengths of the common prefix and (not overlapping it) the common suffix."""
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _char_hunk(before: str, after: str) -> list[tuple[str, str]]:
    """Pieces (`=`, `-`, `+`) of one changed line, equal runs trimmed to their context.

    The common ends are cut first (linear); only a short middle is diffed by character,
    since a character diff is quadratic and a long middle (a whole line re-decoded) reads
    best as the old text and the new one anyway.
    """
    prefix, suffix = _common_ends(before, after)
    old, new = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    pieces: list[tuple[str, str]] = []
    if prefix:
        pieces.append(("=", _cut(before[:prefix], CONTEXT, "end")))
    if len(old) + len(new) <= MAX_MIDDLE:
        pieces.extend(_char_pieces(old, new))
    else:
        pieces += [("-", _cut(old, MAX_PIECE, "start")), ("+", _cut(new, MAX_PIECE, "start"))]
    if suffix:
        pieces.append(("=", _cut(before[len(before) - suffix :], CONTEXT, "start")))
    return [(op, text) for op, text in pieces if text]


def _char_pieces(old: str, new: str) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            run = old[i1:i2]
            pieces.append(("=", run if len(run) <= 2 * CONTEXT else run[:CONTEXT] + "…"))
            continue
        pieces.append(("-", old[i1:i2]))
        pieces.append(("+", new[j1:j2]))
    return pieces


def diff_hunks(before: str, after: str) -> list[list[tuple[str, str]]]:
    """At most `MAX_HUNKS` hunks, each a list of (`=`|`-`|`+`, text) pieces."""
    old_lines = before.split("\n")
    new_lines = after.split("\n")
    hunks: list[list[tuple[str, str]]] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if len(hunks) == MAX_HUNKS:
            hunks.append([("=", "…")])
            break
        old = "\n".join(old_lines[i1:i2])
        new = "\n".join(new_lines[j1:j2])
        if tag == "replace":
            hunks.append(_char_hunk(old, new))
        elif tag == "delete":
            hunks.append([("-", _cut(old, MAX_PIECE, "start"))])
        else:
            hunks.append([("+", _cut(new, MAX_PIECE, "start"))])
    return hunks


def change_excerpt(change: Mapping[str, Any]) -> dict[str, Any]:
    """One audited change (`field`, `rule`, `before`, `after`) as a small excerpt."""
    return {
        "field": str(change.get("field")),
        "hunks": diff_hunks(as_text(change.get("before")), as_text(change.get("after"))),
    }
