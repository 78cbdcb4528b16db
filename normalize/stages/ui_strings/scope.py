"""The UI rules compiled, and gathered per kind of record into a `Scope`.

The rules that apply to a kind of record (field, language, source) are gathered once into
a `Scope`; per line, an exact line costs a dictionary lookup (prose is ruled out by its
first word), and the patterns run only on the few lines a `Gate` lets through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from normalize.regex_safety import RulePattern
from normalize.ruleset import Rule, RuleSet
from normalize.stages.ui_strings.gate import Gate, build_gate
from normalize.stages.ui_strings.kinds import block_items, compile_pattern
from normalize.stages.ui_strings.titles import TitleRules
from normalize.stages.ui_strings.vocabulary import Lexicon, Vocabulary


def line_key(line: str) -> str:
    """How exact UI lines are compared: case-folded, inner whitespace collapsed.

    `str.split()` splits on exactly what `\\s` matches, so this is `\\s+` → one space, and
    much faster than the regex on long lines.
    """
    return " ".join(line.split()).casefold()


@dataclass(frozen=True)
class LineRule:
    """A compiled pattern or block rule, with its scope."""

    rule: Rule
    steps: tuple[tuple[RulePattern, bool], ...]  # (pattern, optional)
    capture: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """The rules that apply to one field of one kind of record, prepared for the line loop.

    Records share a few (field, language, source, host) combinations, so the scope checks
    and the gate are done once per combination instead of once per line.
    """

    exact: dict[str, str]  # line key → id of the first applicable rule listing it
    longest_key: int  # no line whose key is longer can be an exact UI line
    first_words: frozenset[str]  # the first word of every key (folding goes word by word)
    blocks: tuple[LineRule, ...]
    patterns: tuple[LineRule, ...]
    gate: Gate | None  # None: every line is a candidate
    headline: str | None  # rule id
    suspect: Rule | None
    vocabulary: Vocabulary | None  # the lexicons, on the text field
    titles: TitleRules | None  # the title rules, on the title field

    @property
    def idle(self) -> bool:
        """Nothing applies: the field is left as it is."""
        return not (
            self.exact
            or self.blocks
            or self.patterns
            or self.headline
            or self.suspect
            or self.vocabulary
            or self.titles
        )


_MAX_MEMO = 4096  # (field, language, source, host) combinations remembered; then start again


class _ScopeMemo:
    """Scopes by record (field, language, source, host), and by the rules that apply.

    Hosts are many but the sets of rules they select are few: each record costs a lookup,
    and only a combination of rules not seen before costs building a scope.
    """

    def __init__(self) -> None:
        self.by_record: dict[tuple[Any, ...], Scope] = {}
        self.by_rules: dict[tuple[Any, ...], Scope] = {}
        self.deciders: list[Rule] = []  # one rule per distinct (languages, sources)

    def __reduce__(self) -> tuple[type[_ScopeMemo], tuple[()]]:
        return (_ScopeMemo, ())  # pickles empty: workers rebuild what they use


@dataclass(frozen=True)
class Compiled:
    exact: dict[str, tuple[Rule, ...]]  # line key → rules listing it
    blocks: tuple[LineRule, ...]  # multi-step blocks, tried first
    patterns: tuple[LineRule, ...]  # one-line patterns (trailers among them)
    headline: Rule | None
    suspect: Rule | None
    lexicons: tuple[Lexicon, ...]
    vocabulary: Vocabulary | None  # all the lexicons (most scopes take them all)
    titles: TitleRules
    memo: _ScopeMemo = field(default_factory=_ScopeMemo, compare=False, repr=False)

    def scope(
        self, field_name: str, language: str | None, source: str | None, host: str | None
    ) -> Scope:
        """The rules for one field of records like this one (memoized)."""
        key = (field_name, language, source, host)
        found = self.memo.by_record.get(key)
        if found is None:
            if len(self.memo.by_record) >= _MAX_MEMO:
                self.memo.by_record.clear()
            found = self.memo.by_record[key] = self._scope_of(*key)
        return found

    def _scope_of(
        self, field_name: str, language: str | None, source: str | None, host: str | None
    ) -> Scope:
        # a rule's scope depends on its languages and sources only: decide each once
        deciders = self.memo.deciders or self._deciders()
        languages = {r.languages for r in deciders if r.applies_to_language(language)}
        sources = {r.sources for r in deciders if r.applies_to_source(source, host)}
        key = (field_name, frozenset(languages), frozenset(sources))
        found = self.memo.by_rules.get(key)
        if found is None:

            def applies(rule: Rule) -> bool:
                return (
                    field_name in rule.fields
                    and rule.languages in languages
                    and rule.sources in sources
                )

            found = self.memo.by_rules[key] = _build_scope(self, field_name, applies)
        return found

    def _deciders(self) -> list[Rule]:
        rules = [r.rule for r in self.blocks + self.patterns]
        rules += [r for rules in self.exact.values() for r in rules]
        rules += [r for r in (self.headline, self.suspect) if r is not None]
        rules += [lexicon.rule for lexicon in self.lexicons] + list(self.titles.affixes)
        distinct = {(r.languages, r.sources): r for r in rules}
        self.memo.deciders[:] = distinct.values()
        return self.memo.deciders


def compile(ruleset: RuleSet) -> Compiled:
    exact: dict[str, list[Rule]] = {}
    blocks: list[LineRule] = []
    patterns: list[LineRule] = []
    for rule in ruleset.of_kind("ui-lines"):
        for line in rule.spec["lines"]:
            exact.setdefault(line_key(line), []).append(rule)
    for rule in ruleset.of_kind("ui-block", "ui-pattern"):
        ignore_case = rule.spec.get("ignore_case", False)
        if rule.kind == "ui-pattern":
            raw_steps = [{"pattern": rule.spec["pattern"], "optional": False}]
        else:
            raw_steps = block_items(rule.spec)
        steps = tuple(
            (compile_pattern(s["pattern"], ignore_case), s["optional"]) for s in raw_steps
        )
        compiled = LineRule(rule, steps, tuple(rule.spec.get("capture", ())))
        (blocks if len(steps) > 1 else patterns).append(compiled)
    headline = ruleset.of_kind("ui-headline-repeat")
    suspect = ruleset.of_kind("ui-suspect")
    shared = tuple(word for rule in ruleset.of_kind("ui-words") for word in rule.spec["words"])
    lexicons = tuple(Lexicon.of(rule, shared) for rule in ruleset.of_kind("ui-vocabulary"))
    return Compiled(
        exact={key: tuple(rules) for key, rules in exact.items()},
        blocks=tuple(blocks),
        patterns=tuple(patterns),
        headline=headline[-1] if headline else None,
        suspect=suspect[-1] if suspect else None,
        lexicons=lexicons,
        vocabulary=Vocabulary.of(lexicons),
        titles=TitleRules.of(
            ruleset.of_kind("ui-title-publisher"),
            ruleset.of_kind("ui-publisher-names"),
            ruleset.of_kind("ui-title-affix"),
        ),
    )


def _build_scope(compiled: Compiled, field_name: str, applies: Callable[[Rule], bool]) -> Scope:
    exact: dict[str, str] = {}
    for key, rules in compiled.exact.items():
        first = next((rule for rule in rules if applies(rule)), None)
        if first is not None:
            exact[key] = first.id
    blocks = tuple(b for b in compiled.blocks if applies(b.rule))
    patterns = tuple(p for p in compiled.patterns if applies(p.rule))
    headline = compiled.headline
    suspect = compiled.suspect
    return Scope(
        exact=exact,
        longest_key=max(map(len, exact), default=0),
        first_words=frozenset(key.split(" ")[0] for key in exact),
        blocks=blocks,
        patterns=patterns,
        gate=build_gate(blocks, patterns),
        headline=headline.id if field_name == "text" and headline and applies(headline) else None,
        suspect=suspect if field_name == "text" and suspect and applies(suspect) else None,
        vocabulary=_vocabulary(compiled, applies) if field_name == "text" else None,
        titles=_title_rules(compiled.titles, applies) if field_name == "title" else None,
    )


def _vocabulary(compiled: Compiled, applies: Callable[[Rule], bool]) -> Vocabulary | None:
    lexicons = tuple(lexicon for lexicon in compiled.lexicons if applies(lexicon.rule))
    if len(lexicons) == len(compiled.lexicons):
        return compiled.vocabulary
    return Vocabulary.of(lexicons)


def _title_rules(titles: TitleRules, applies: Callable[[Rule], bool]) -> TitleRules | None:
    """The title rules that apply here; None when none does."""
    publisher = titles.publisher if titles.publisher and applies(titles.publisher) else None
    affixes = tuple(rule for rule in titles.affixes if applies(rule))
    if publisher is None and not affixes:
        return None
    return replace(titles, publisher=publisher, affixes=affixes)
