"""Refuse regular expressions that can backtrack catastrophically.

Rule files may come from untrusted repositories, and Python's `re` has no time limit. The
classic exponential case is a repeat whose body can itself match in more than one way
and repeat without bound: `(a+)+`, `(\\w+\\s?)*`, `(.*)*`. Such patterns are refused at load
time; bounded repeats (`.{0,600}`) and fixed-width bodies are fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from re import _parser as sre_parse  # type: ignore[attr-defined]  # the stdlib's own parser
from typing import Any

_UNBOUNDED = sre_parse.MAXREPEAT
_LARGE = 1000  # a repeat bound above this counts as unbounded


def patterns_of(spec: Mapping[str, Any]) -> Iterator[str]:
    """Every regular expression in a rule's kind-specific keys (keys named `pattern…`, `sequence`)."""

    def walk(value: Any, is_pattern: bool) -> Iterator[str]:
        if isinstance(value, str):
            if is_pattern:
                yield value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk(item, is_pattern or "pattern" in str(key))
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, is_pattern)

    for key, value in spec.items():
        yield from walk(value, "pattern" in key or key == "sequence")


def backtracking_risk(pattern: str) -> str | None:
    """Why a pattern is refused, or None when it is acceptable."""
    try:
        tree = sre_parse.parse(pattern)
    except re.error as exc:
        return f"invalid pattern {pattern!r}: {exc}"
    if _nested_unbounded_repeat(tree, inside_repeat=False):
        return (
            f"pattern {pattern!r} repeats a group that itself repeats without bound "
            "(catastrophic backtracking); bound the inner or the outer repeat"
        )
    return None


def _nested_unbounded_repeat(tree: Any, inside_repeat: bool) -> bool:
    for op, arg in tree:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, body = arg
            unbounded = high == _UNBOUNDED or high > _LARGE
            if unbounded and inside_repeat and name != "POSSESSIVE_REPEAT":
                return True
            if _nested_unbounded_repeat(body, inside_repeat or (unbounded and _can_vary(body))):
                return True
        elif name == "SUBPATTERN":
            if _nested_unbounded_repeat(arg[-1], inside_repeat):
                return True
        elif name == "BRANCH":
            if any(_nested_unbounded_repeat(branch, inside_repeat) for branch in arg[1]):
                return True
        elif name == "ATOMIC_GROUP" and _nested_unbounded_repeat(arg, False):
            return True
    return False


def _can_vary(body: Any) -> bool:
    """A repeated body that always has the same length cannot make a repeat ambiguous."""
    low, high = body.getwidth()
    return low != high
