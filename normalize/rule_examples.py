"""Run every rule's own examples through the whole pipeline (`metanorm rules test`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from normalize.normalizer import Normalizer
from normalize.ruleset import Example, Rule


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: Example
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        where = f"{self.rule.path}:{self.example.line}: {self.rule.id}"
        return "\n".join(f"{where}: {problem}" for problem in self.problems)


def check_example(normalizer: Normalizer, rule: Rule, example: Example) -> ExampleResult:
    """Compare the fields the example names with what the whole pipeline gives."""
    try:
        output = normalizer.normalize(example.input)
    except Exception as exc:  # an example that crashes the pipeline is a failing example
        return ExampleResult(rule, example, (f"raised {type(exc).__name__}: {exc}",))
    problems = []
    for name, wanted in example.expected.items():
        got = output.get(name)
        if got != wanted:
            problems.append(f"{name}: expected {_show(wanted)}, got {_show(got)}")
    return ExampleResult(rule, example, tuple(problems))


def run_examples(normalizer: Normalizer) -> Iterator[ExampleResult]:
    for rule in normalizer.ruleset.rules:
        for example in rule.examples:
            yield check_example(normalizer, rule, example)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "…"
