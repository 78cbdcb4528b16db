"""Compare normalized records with the corpus's expected values (dev.jsonl's conventions).

Used by the tests and the benchmarks: exact comparison, except `published` (`Z` equals
`+00:00`; `T14:05` equals `T14:05:00`) and `places` (first element exact, every listed
place present, extra places allowed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def load_cases(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def corpus_inputs(shared: Path) -> Iterator[dict[str, Any]]:
    """Every input record of the shared corpus: the seed page, dev.jsonl, the real samples."""
    corpus = shared / "corpus"
    yield json.loads((corpus / "seed_case.json").read_text(encoding="utf-8"))["input"]
    for case in load_cases(corpus / "dev.jsonl"):
        yield case["input"]
    for path in sorted((corpus / "real").glob("*.jsonl")):
        if "provenance" not in path.name:
            yield from load_cases(path)


def _canonical_time(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = re.sub(r"Z$", "+00:00", value)
    return re.sub(r"T(\d\d:\d\d)(?=$|[+-])", r"T\1:00", value)


def field_matches(name: str, expected: Any, got: Any) -> bool:
    if name == "published":
        return _canonical_time(expected) == _canonical_time(got)
    if name == "places":
        if not isinstance(got, list) or not isinstance(expected, list):
            return expected == got
        if not expected:
            return got == []
        return bool(got) and got[0] == expected[0] and all(p in got for p in expected)
    return expected == got


def mismatches(expected: Mapping[str, Any], output: Mapping[str, Any]) -> list[str]:
    """The fields of a case that the output gets wrong."""
    return [
        name for name, want in expected.items() if not field_matches(name, want, output.get(name))
    ]
