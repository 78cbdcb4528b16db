"""The patterns a rule carries under its kind's pattern-bearing keys (what RE2 must compile)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any


def patterns_in(value: Any) -> Iterator[str]:
    """The patterns under one pattern-bearing key: a text, a list, or steps `{pattern: …}`."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        yield from patterns_in(value.get("pattern"))
    elif isinstance(value, list):
        for item in value:
            yield from patterns_in(item)


def patterns_of(spec: Mapping[str, Any], keys: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(key, pattern) for every pattern under the kind's pattern-bearing keys."""
    for key in keys:
        for pattern in patterns_in(spec.get(key)):
            yield key, pattern
