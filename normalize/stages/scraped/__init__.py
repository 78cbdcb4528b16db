"""Scraped leftovers: HTML bodies to plain text, then the scraper's and aggregator's debris.

Runs first, before text repair: the later stages read text a reader would see, not markup,
and not the collecting tool's template lines or truncation markers. The HTML step is one
change per field (so `undo` rebuilds the input); each debris rule is its own change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from normalize.ruleset import RuleSet
from normalize.stages.scraped import debris
from normalize.stages.scraped.html import KINDS as HTML_KINDS
from normalize.stages.scraped.html import HtmlRules, decode_references, has_references
from normalize.work import WorkRecord

NAME = "scraped"
USES_LANGUAGE = False  # markup and tool debris look the same in every language
KINDS = {**HTML_KINDS, **debris.KINDS}
FIELDS = ("title", "summary", "text")


@dataclass(frozen=True)
class Compiled:
    html: HtmlRules | None
    entities: tuple[str, tuple[str, ...]] | None
    debris: tuple[debris.DebrisRule, ...]


def compile(ruleset: RuleSet) -> Compiled:
    html_rules = ruleset.of_kind("html-to-text")
    entity_rules = ruleset.of_kind("html-entities")
    html = None
    if html_rules:
        rule = html_rules[-1]
        html = HtmlRules.build(rule.id, rule.fields, rule.spec)
    entities = (entity_rules[-1].id, entity_rules[-1].fields) if entity_rules else None
    rules = tuple(debris.DebrisRule.build(r) for r in ruleset.of_kind(*debris.KIND_NAMES))
    return Compiled(html=html, entities=entities, debris=rules)


# escaped markup (`&lt;p&gt;`) decodes to markup: converting again until nothing is left
# keeps the output stable (normalizing it again changes nothing)
MAX_PASSES = 4


def run(work: WorkRecord, compiled: Compiled) -> None:
    for name in FIELDS:
        value = work.text(name)
        if not value:
            continue
        html = compiled.html if compiled.html and name in compiled.html.fields else None
        entities = compiled.entities if compiled.entities and name in compiled.entities[1] else None
        if html is not None and html.looks_like_html(value):
            work.set(name, _settle(value, html.to_text, html, entities), html.rule_id)
        elif entities is not None and has_references(value):
            work.set(name, _settle(value, decode_references, html, entities), entities[0])
    for rule in compiled.debris:
        for name in rule.rule.fields:
            if name in FIELDS:
                rule.apply(work, name)


def _settle(
    value: str,
    step: Callable[[str], str],
    html: HtmlRules | None,
    entities: tuple[str, tuple[str, ...]] | None,
) -> str:
    """Apply the step, then again while the result still holds markup or references."""
    for _ in range(MAX_PASSES):
        value = step(value)
        if html is not None and html.looks_like_html(value):
            step = html.to_text
        elif entities is not None and has_references(value):
            step = decode_references
        else:
            break
    return value
