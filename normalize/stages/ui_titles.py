"""Publisher suffixes and prefixes on titles (` - РИА НОВОСТИ`, ` | Lenta.ru`), removed
before the language is decided.

A publisher's name is often spelt in another language's way (`Коммерсантъ`), so a title
judged with its suffix can come out in one language and the cleaned title, normalized
again, in another: the output would not be canonical. Cleaning titles first keeps one pass
final. The rules are the UI stage's title kinds (`ui_strings.titles`); they name sites and
publishers, not languages, so they apply whatever the record's language.
"""

from __future__ import annotations

from normalize.ruleset import Rule, RuleSet
from normalize.stages.ui_strings import record_source
from normalize.stages.ui_strings.scope import _title_rules
from normalize.stages.ui_strings.titles import TitleRules, strip_title
from normalize.work import WorkRecord

NAME = "ui_titles"
KINDS: dict = {}  # the kinds are the UI stage's (`ui-title-publisher`, `ui-title-affix` …)
# `source.given`: the source as the record gives it. The UI stage later fills a missing
# source from what the rules captured (this stage's publisher among them); a record read
# back with that source has its title cleaned already, so the answer here stays the same.
READS = frozenset({"title", "source.given", "url"})
WRITES = frozenset({"captured.source"})
EDITS = frozenset({"title"})


def compile(ruleset: RuleSet) -> TitleRules:
    return TitleRules.of(
        ruleset.of_kind("ui-title-publisher"),
        ruleset.of_kind("ui-publisher-names"),
        ruleset.of_kind("ui-title-affix"),
    )


def run(work: WorkRecord, compiled: TitleRules) -> None:
    title = work.text("title")
    if not title:
        return
    source, host = record_source(work), work.host
    rules = _rules_for(compiled, source, host)
    if rules is None:
        return
    again = _cleaned_before(work, rules.publisher.id if rules.publisher else None)
    again = again or _cleaned_before(work, rules.names_rule)
    for new_title, rule_id, publisher in strip_title(title, rules, source, host, again):
        work.set("title", new_title, rule_id)
        if publisher:
            work.capture("source", publisher, rule_id)


_MAX_MEMO = 4096  # (source, host) pairs remembered; then start again


def _rules_for(compiled: TitleRules, source: str | None, host: str | None) -> TitleRules | None:
    """The title rules that apply to records of this source and host (memoized)."""
    key = (source, host)
    memo = compiled.memo
    if key in memo:
        return memo[key]  # type: ignore[no-any-return]

    def applies(rule: Rule) -> bool:
        return "title" in rule.fields and rule.applies_to_source(source, host)

    if len(memo) >= _MAX_MEMO:
        memo.clear()
    found = memo[key] = _title_rules(compiled, applies)
    return found


def _cleaned_before(work: WorkRecord, rule_id: str | None) -> bool:
    """Did this rule clean the title when the record was normalized before?"""
    previous = work.hints.get("previous")
    fired = previous.get("fired") if isinstance(previous, dict) else None
    return bool(rule_id) and isinstance(fired, list) and rule_id in fired
