"""Scraped leftovers: HTML bodies to plain text, then the scraper's and aggregator's debris.

Runs first, before text repair: the later stages read text a reader would see, not markup,
and not the collecting tool's template lines or truncation markers. The HTML step is one
change per field (so `undo` rebuilds the input); each debris rule is its own change.
"""

from __future__ import annotations

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


def run(work: WorkRecord, compiled: Compiled) -> None:
    for name in FIELDS:
        value = work.text(name)
        if not value:
            continue
        if compiled.html and name in compiled.html.fields and compiled.html.looks_like_html(value):
            work.set(name, compiled.html.to_text(value), compiled.html.rule_id)
        elif compiled.entities and name in compiled.entities[1] and has_references(value):
            work.set(name, decode_references(value), compiled.entities[0])
    for rule in compiled.debris:
        for name in rule.rule.fields:
            if name in FIELDS:
                rule.apply(work, name)
