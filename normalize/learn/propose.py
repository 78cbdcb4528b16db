"""From what repeats to a rule file a user reviews: one rule per finding, with examples.

A finding is an item seen in at least `min_share` of a source's records (and at least
`min_count` times) where the source has at least `min_records` records. Counts are the
sketch's guaranteed lower bounds. Each rule carries an example taken from the record the
item was first seen in; its expected output is what the whole pipeline gives with the
proposed rules loaded, and a rule whose example does not fire it is dropped, so the file
passes `metanorm rules test` as written.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from anyascii import anyascii

from normalize.learn.collect import Observations, Sample
from normalize.normalizer import Normalizer
from normalize.work import _host

_KINDS = {"line": "line", "trailer": "trailer", "suffix": "title-suffix", "prefix": "title-prefix"}
_DIGIT_RUN = re.compile(r"(\d+)")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Thresholds:
    min_records: int = 5
    min_share: float = 0.3
    min_count: int = 3


@dataclass(frozen=True)
class Finding:
    source: str
    kind: str  # line, trailer, suffix, prefix
    literal: str
    varied: bool  # seen with other digits
    count: int
    records: int
    sample: Sample


def findings(observations: Observations, limits: Thresholds) -> list[Finding]:
    """Everything frequent enough, by source, then most frequent first."""
    totals = {src: c.guaranteed for src, c in observations.records.items()}
    found = []
    for item, counter in observations.items.items():
        source, kind, _key = cast(tuple[str, str, str], item)
        records = totals.get(source, 0)
        count = counter.guaranteed
        if records < limits.min_records or count < max(
            limits.min_count, limits.min_share * records
        ):
            continue
        sample = counter.payload
        if len(_LETTER.findall(sample.literal)) < 2:
            continue  # no words: not furniture a reader would see
        varied = observations.variants.get(item, False)
        found.append(Finding(source, kind, sample.literal, varied, count, records, sample))
    found.sort(key=lambda f: (f.source.casefold(), f.kind, -f.count, f.literal))
    return found


def slug(source: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", anyascii(source).lower()).strip("-")
    return text[:40].strip("-") or "source"


def _exact_pattern(literal: str) -> str:
    """The literal as a regex in which every run of digits may be other digits."""
    parts = _DIGIT_RUN.split(literal)
    return "".join(r"\d{1,12}" if i % 2 else re.escape(part) for i, part in enumerate(parts))


def rule_for(finding: Finding, number: int) -> dict[str, Any]:
    """The proposed rule, with its example's input (the expected output is filled later)."""
    sample = finding.sample
    sources = [finding.source]
    url = dict(sample.scope).get("url")
    host = _host(url) if isinstance(url, str) else None
    if host and host.casefold() != finding.source.casefold():
        sources.append(host)
    where = f"of {finding.records} records of {finding.source}"
    rule: dict[str, Any] = {"id": f"learned.{slug(finding.source)}.{_KINDS[finding.kind]}-{number}"}
    if finding.kind in ("suffix", "prefix"):
        rule["kind"] = "ui-title-affix"
        rule["description"] = (
            f"Title {finding.kind} {finding.literal!r} on {finding.count} {where}."
        )
        rule["sources"] = sources
        rule["suffixes" if finding.kind == "suffix" else "prefixes"] = [finding.literal]
    elif finding.kind == "trailer":
        rule["kind"] = "ui-pattern"
        rule["description"] = (
            f"A line ending with {finding.literal!r} (a caption trailer) in {finding.count} {where}."
        )
        rule["sources"] = sources
        rule["pattern"] = r".{1,400}" + _exact_pattern(finding.literal)
    elif finding.varied:
        rule["kind"] = "ui-pattern"
        rule["description"] = (
            f"The line {finding.literal!r} (other numbers too) in {finding.count} {where}."
        )
        rule["sources"] = sources
        rule["pattern"] = _exact_pattern(finding.literal)
    else:
        rule["kind"] = "ui-lines"
        rule["description"] = f"The line {finding.literal!r} in {finding.count} {where}."
        rule["sources"] = sources
        rule["lines"] = [finding.literal]
    example_input = {key: value for key, value in sample.scope}
    example_input[sample.field] = sample.value
    rule["examples"] = [{"input": example_input, "expected": {}}]
    return rule


def propose(found: list[Finding]) -> list[dict[str, Any]]:
    numbers: dict[tuple[str, str], int] = {}
    rules = []
    for finding in found:
        key = (slug(finding.source), finding.kind)
        numbers[key] = numbers.get(key, 0) + 1
        rules.append(rule_for(finding, numbers[key]))
    return rules


def settle_examples(
    rules: list[dict[str, Any]], user_rules: Sequence[str | Path]
) -> list[dict[str, Any]]:
    """Fill each example's expected output from the pipeline with the proposed rules loaded;
    drop a rule its own example does not fire (another proposal does its work), and settle
    again without it, until every rule left fires on its example."""
    for _round in range(4):
        kept = _settle_once(rules, user_rules)
        if len(kept) == len(rules):
            return kept
        rules = kept
    return _settle_once(rules, user_rules)


def _settle_once(
    rules: list[dict[str, Any]], user_rules: Sequence[str | Path]
) -> list[dict[str, Any]]:
    if not rules:
        return []
    with tempfile.TemporaryDirectory(prefix="metanorm-learn-") as tmp:
        Path(tmp, "learned.yaml").write_text(dump(rules, []), encoding="utf-8")
        normalizer = Normalizer(rules=[*user_rules, tmp])
        kept = []
        for rule in rules:
            example = rule["examples"][0]
            output = normalizer.normalize(example["input"])
            if rule["id"] not in output["normalization"]["fired"]:
                continue
            field = "title" if rule["kind"] == "ui-title-affix" else "text"
            example["expected"] = {field: output.get(field)}
            kept.append(rule)
    return kept


def dump(rules: list[dict[str, Any]], header: list[str]) -> str:
    """The rule file, deterministic: the order given, no dates."""
    body = yaml.safe_dump(
        {"rules": rules}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return "".join(f"# {line}\n" for line in header) + body
