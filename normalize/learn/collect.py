"""What repeats across the records of one source, counted as the records stream by.

Records are normalized first, with the rules in effect, so what a rule already removes is
never counted (and never proposed again). Then, per record and counted once per record:

- `line`: a line of the text (digits folded, so `© 2024 Example` and `© 2023 Example`
  are one item), unless it looks like prose;
- `suffix` / `prefix`: the last / first piece of the title after a separator;
- `trailer`: the end of a text line after ` - ` (a caption's `- Agency, 1920, 28.01.2022`).

Memory is bounded by two Space-Saving sketches (items, and records per source), never by
the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.learn.sketch import HeavyHitters
from normalize.work import _host

SEPARATORS = (" - ", " | ", " — ", " – ")
_DIGITS = re.compile(r"\d+")
_PROSE_END = re.compile(r"[.!?…»\"”]\s*$")
MAX_LINE = 300  # longer lines are content
MAX_TRAILER_WORDS = 8


def digit_key(line: str) -> str:
    """The line with every run of digits as `0`: lines that differ in numbers only meet."""
    return _DIGITS.sub("0", line)


def looks_like_prose(line: str) -> bool:
    """A sentence of some length: a repeated one is a quotation or a lead, not furniture."""
    words = len(line.split())
    return words > 30 or (words >= 14 and bool(_PROSE_END.search(line)))


def source_of(record: Mapping[str, Any]) -> str | None:
    """The name rules are scoped by: the record's source, or its URL's site."""
    source = record.get("source")
    if isinstance(source, dict):
        source = source.get("name")
    if isinstance(source, str) and source.strip():
        return source.strip()
    url = record.get("url")
    return _host(url) if isinstance(url, str) else None


@dataclass(frozen=True)
class Sample:
    """One record's fields an example needs: its scope and the field the item came from."""

    scope: tuple[tuple[str, str], ...]  # (source/url, value)
    field: str
    value: str  # a short piece of the field holding the item: the title, or two lines
    literal: str  # the item as it was written there


@dataclass
class Observations:
    """The sketches, and the totals they are read against."""

    capacity: int
    items: HeavyHitters = field(init=False)
    records: HeavyHitters = field(init=False)
    variants: dict[Any, bool] = field(default_factory=dict)  # item → seen in other digits
    total: int = 0

    def __post_init__(self) -> None:
        self.items = HeavyHitters(self.capacity)
        self.records = HeavyHitters(max(64, self.capacity // 10))

    def observe(self, record: Mapping[str, Any]) -> None:
        source = source_of(record)
        if source is None:
            return
        self.total += 1
        self.records.add(source)
        scope = _scope(record)
        seen: set[tuple[str, str, str]] = set()
        for kind, key, field_name, value, literal in _items(record):
            item = (source, kind, key)
            if item in seen:
                continue
            seen.add(item)
            counter = self.items.add(item, Sample(scope, field_name, value, literal))
            if counter.payload is not None and counter.payload.literal != literal:
                self.variants[item] = True
        if len(self.variants) > 4 * self.capacity:  # only items still counted matter
            self.variants = {k: v for k, v in self.variants.items() if k in self.items.counters}


def _scope(record: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    pairs = []
    source = record.get("source")
    if isinstance(source, str) and source.strip():
        pairs.append(("source", source))
    if isinstance(record.get("url"), str):
        pairs.append(("url", record["url"]))
    return tuple(pairs)


def _items(record: Mapping[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    """(kind, key, field, field value, literal) for everything countable in a record."""
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        yield from _title_items(title)
    text = record.get("text")
    if isinstance(text, str):
        yield from _text_items(text, title if isinstance(title, str) else "")


def _title_items(title: str) -> Iterator[tuple[str, str, str, str, str]]:
    end = max((title.rfind(sep), sep) for sep in SEPARATORS)
    if end[0] > 0:
        suffix = title[end[0] :]
        if len(suffix.split()) <= 7:
            yield "suffix", suffix, "title", title, suffix
    starts = [(title.find(sep), sep) for sep in SEPARATORS if title.find(sep) > 0]
    if starts:
        at, sep = min(starts)
        prefix = title[: at + len(sep)]
        if len(prefix.split()) <= 6:
            yield "prefix", prefix, "title", title, prefix


def _text_items(text: str, title: str) -> Iterator[tuple[str, str, str, str, str]]:
    headline = " ".join(title.split())
    lines = [" ".join(raw.split()) for raw in text.split("\n")]
    companion = _companion(lines)
    for line in lines:
        if not line or len(line) > MAX_LINE or line == headline:
            continue
        context = f"{companion}\n{line}" if companion and companion != line else line
        if not looks_like_prose(line):
            yield "line", digit_key(line), "text", context, line
        at = line.rfind(" - ")
        if at > 0:
            tail = line[at:]
            if len(tail.split()) <= MAX_TRAILER_WORDS + 1 and line[:at].strip():
                yield "trailer", digit_key(tail), "text", context, tail


def _companion(lines: list[str]) -> str:
    """A line of the record's own content to show beside an item in its example: the
    longest sentence (furniture is short), else the longest line."""
    fitting = [line for line in lines if len(line) <= MAX_LINE]
    sentences = [line for line in fitting if _PROSE_END.search(line) and len(line.split()) >= 6]
    return max(sentences or fitting, key=len, default="")


def observe_all(observations: Observations, records: Iterable[Mapping[str, Any]]) -> None:
    for record in records:
        observations.observe(record)
