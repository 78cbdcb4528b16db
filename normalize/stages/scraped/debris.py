"""Scraper and aggregator debris: what the collecting tool, not the site, left in a field.

Rule kinds (rules/debris.yaml):
- `debris-line`: a whole line matching the pattern goes (a scraper's XPath/CSS template
  `/html/head/meta[@name='og:title']/@content`);
- `debris-tail`: the pattern at the end of the field goes (NewsAPI's `… [+834 chars]`, an
  agency stamp ` РИА Новости, 18.05.2021`); a rule with `flag` also marks the field;
- `debris-own-url`: a line that is only the record's own url goes;
- `debris-letterless`: a text that lost its letters upstream (`2020 , , , . , 1 36`) is
  kept, and marked so that it is not read as evidence (of the language, say).

Marks live in `normalization.flags` (`{"text": ["truncated", "letterless"]}`); a stage asks
`flagged(work, "text", "letterless")`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule
from normalize.work import WorkRecord

NAME = "scraped"
FLAGS = ("truncated", "letterless")
TAIL_WINDOW = 200  # a tail rule looks at the field's last characters only
# a text's share of bare tokens is read on its start (as language detection reads it)
LETTERLESS_SAMPLE = 1000


def _check_pattern(spec: Mapping[str, Any]) -> None:
    key = "token_pattern" if "token_pattern" in spec else "pattern"
    try:
        re.compile(spec[key])
    except re.error as exc:
        raise KindError(key, f"invalid regular expression: {exc}") from None
    if spec.get("flag", FLAGS[0]) not in FLAGS:
        raise KindError("flag", f"`flag` is one of {', '.join(FLAGS)}")


def _check_letterless(spec: Mapping[str, Any]) -> None:
    _check_pattern(spec)
    if not 0 < spec["min_share"] <= 1:
        raise KindError("min_share", "`min_share` is a number in (0, 1]")


_PATTERN = {"pattern": str}
_OPTIONS = {"ignore_case": bool, "flag": str}
KINDS = {
    "debris-line": KindSpec(stage=NAME, required=_PATTERN, optional=_OPTIONS, check=_check_pattern),
    "debris-tail": KindSpec(stage=NAME, required=_PATTERN, optional=_OPTIONS, check=_check_pattern),
    "debris-own-url": KindSpec(stage=NAME, required={}),
    "debris-letterless": KindSpec(
        stage=NAME,
        required={"token_pattern": str, "min_share": (int, float)},
        optional={"min_tokens": int, "flag": str},
        check=_check_letterless,
    ),
}
KIND_NAMES = tuple(KINDS)


@dataclass(frozen=True)
class DebrisRule:
    """One compiled debris rule: what it matches, where, and the mark it leaves."""

    rule: Rule
    pattern: re.Pattern[str] | None
    flag: str | None
    # one C-level scan of the whole text before any per-line work: a debris line anywhere
    # (`debris-line`), or the count of bare tokens (`debris-letterless`)
    scan: re.Pattern[str] | None = None

    @classmethod
    def build(cls, rule: Rule) -> DebrisRule:
        spec = rule.spec
        source = spec.get("pattern") or spec.get("token_pattern")
        pattern = scan = None
        if source is not None:
            flags = re.IGNORECASE if spec.get("ignore_case") else 0
            if rule.kind == "debris-tail":
                source = f"(?:{source})\\Z"
            pattern = re.compile(source, flags)
            if rule.kind == "debris-line":
                scan = re.compile(f"^\\s*(?:{source})\\s*$", flags | re.MULTILINE)
            elif rule.kind == "debris-letterless":
                scan = re.compile(f"\\s(?:{source})(?!\\S)", flags)
        flag = spec.get("flag")
        if rule.kind == "debris-letterless":
            flag = flag or "letterless"
        return cls(rule, pattern, flag, scan)

    def apply(self, work: WorkRecord, name: str) -> None:
        value = work.text(name)
        if not value or not self.rule.applies_to_source(work.source, work.host):
            return
        kind = self.rule.kind
        if kind == "debris-letterless":
            if self._letterless(value):
                mark(work, name, self.flag or "letterless", self.rule.id)
            return
        if kind == "debris-tail":
            assert self.pattern is not None
            start = max(0, len(value) - TAIL_WINDOW)
            found = self.pattern.search(value, start)
            after = value[: found.start()].rstrip() if found else value
        elif kind == "debris-own-url":
            url = work.get("url")
            own = isinstance(url, str) and url.strip() and url.strip().rstrip("/") in value
            after = _drop_lines(value, _url_line(url)) if own else value
        else:
            assert self.pattern is not None and self.scan is not None
            found_line = self.scan.search(value) is not None
            after = _drop_lines(value, self.pattern.fullmatch) if found_line else value
        if after != value:
            work.set(name, after, self.rule.id)
            if self.flag:
                mark(work, name, self.flag, self.rule.id)

    def _letterless(self, text: str) -> bool:
        assert self.scan is not None
        sample = " " + text[:LETTERLESS_SAMPLE]
        tokens = len(sample.split())
        if tokens < self.rule.spec.get("min_tokens", 1):
            return False
        return len(self.scan.findall(sample)) >= self.rule.spec["min_share"] * tokens


def _drop_lines(text: str, is_debris: Any) -> str:
    """The text without its debris lines (line ends as they were: `\\r\\n` stays)."""
    if is_debris is None:
        return text
    lines = text.split("\n")
    kept = [line for line in lines if not (line.strip() and is_debris(line.strip()))]
    return "\n".join(kept) if len(kept) != len(lines) else text


def _url_line(url: Any) -> Any:
    if not isinstance(url, str) or not url.strip():
        return None
    own = url.strip().rstrip("/")
    return lambda line: line.rstrip("/") == own


def mark(work: WorkRecord, name: str, flag: str, rule_id: str) -> None:
    """Mark a field in `normalization.flags` (each mark once, in the order found)."""
    flags = {k: list(v) for k, v in (work.notes.get("flags") or {}).items()}
    marks = flags.setdefault(name, [])
    if flag not in marks:
        marks.append(flag)
        work.fire(rule_id)
    work.note("flags", flags)


def flagged(work: WorkRecord, name: str, flag: str) -> bool:
    """Whether an earlier rule marked the field (`flagged(work, "text", "letterless")`)."""
    flags = work.notes.get("flags") or {}
    return flag in flags.get(name, ())
