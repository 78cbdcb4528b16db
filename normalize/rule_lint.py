"""`metanorm rules lint`: check the rule data itself, as codespell checks its dictionaries.

Errors: patterns that cannot compile or that can backtrack catastrophically (a repeated
group that itself repeats: `(a+)+`, `(\\w+\\s?)*`), a rename whose target is itself renamed,
the same exact UI line listed twice in one scope (one of them is dead). Warnings: the same
line in different scopes, and an example whose expected change happens without its rule
firing (the example does not show what the rule does).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from normalize.normalizer import Normalizer
from normalize.pattern_keys import patterns_of
from normalize.regex_safety import pattern_problem
from normalize.ruleset import Rule, RuleSet
from normalize.stages import rule_kinds


@dataclass(frozen=True)
class LintProblem:
    path: str
    line: int
    rule_id: str
    level: str  # "error" or "warning"
    message: str

    def as_text(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.rule_id}: {self.message}"


def lint(normalizer: Normalizer) -> list[LintProblem]:
    ruleset = normalizer.ruleset
    problems: list[LintProblem] = []
    problems.extend(_pattern_problems(ruleset))
    problems.extend(_rename_chains(ruleset))
    problems.extend(_overlapping_lines(ruleset))
    problems.extend(_silent_examples(normalizer))
    return sorted(problems, key=lambda p: (p.path, p.line, p.rule_id, p.message))


def _pattern_problems(ruleset: RuleSet) -> Iterator[LintProblem]:
    for rule in ruleset.rules:
        kind = rule_kinds()[rule.kind]
        for _key, pattern in patterns_of(rule.spec, kind.patterns):
            ignore_case = bool(rule.spec.get("ignore_case", False))
            risk = pattern_problem(pattern, ignore_case, kind.ascii_boundaries)
            if risk:
                yield LintProblem(rule.path, rule.line, rule.id, "error", risk)


def _rename_chains(ruleset: RuleSet) -> Iterator[LintProblem]:
    renames = ruleset.of_kind("place-rename")
    sources: dict[tuple[str, str], Rule] = {}
    for rule in renames:
        for language in rule.languages or ("*",):
            for form in rule.spec.get("from", []):
                sources[(language, form)] = rule
    for rule in renames:
        target = rule.spec.get("to")
        for language in rule.languages or ("*",):
            other = sources.get((language, str(target)))
            if other is not None and other is not rule:
                yield LintProblem(
                    rule.path,
                    rule.line,
                    rule.id,
                    "error",
                    f"renames to {target!r}, which {other.id} ({other.location}) renames again",
                )


def _overlapping_lines(ruleset: RuleSet) -> Iterator[LintProblem]:
    from normalize.stages.ui_strings import line_key

    first: dict[str, Rule] = {}
    for rule in ruleset.of_kind("ui-lines"):
        for line in rule.spec["lines"]:
            key = line_key(line)
            owner = first.setdefault(key, rule)
            if owner is rule:
                continue
            same_scope = owner.sources == rule.sources and owner.languages == rule.languages
            yield LintProblem(
                rule.path,
                rule.line,
                rule.id,
                "error" if same_scope else "warning",
                f"line {line!r} is also listed by {owner.id} ({owner.location})",
            )


def _silent_examples(normalizer: Normalizer) -> Iterator[LintProblem]:
    """Examples whose expected output differs from what went in, though the rule never fires."""
    schema = normalizer.schema
    from normalize.record import split_record

    for rule in normalizer.ruleset.rules:
        if rule.kind == "field-aliases":
            continue
        for example in rule.examples:
            values = split_record(example.input, schema).values
            changes = [
                name
                for name, want in example.expected.items()
                if name != "meta" and values.get(name) != want
            ]
            if not changes:
                continue
            output = normalizer.normalize(example.input)
            if rule.id not in output["normalization"]["fired"]:
                yield LintProblem(
                    rule.path,
                    example.line,
                    rule.id,
                    "warning",
                    f"the example changes {', '.join(changes)} but the rule does not fire "
                    "(its effect is not shown, or another rule does the work)",
                )
