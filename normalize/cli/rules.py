"""`metanorm rules list|test|lint` (and `rules learn`, which lives in `normalize.learn`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from normalize.cli import common
from normalize.cli.formats import rule_line

if TYPE_CHECKING:
    from normalize.normalizer import Normalizer


def rules_command(argv: Sequence[str]) -> int:
    if argv and argv[0] == "learn":
        from normalize.learn.command import learn_command

        return learn_command(argv[1:])
    parser = argparse.ArgumentParser(
        prog="metanorm rules", description="Inspect and self-test rules (and `learn` them)."
    )
    parser.add_argument("action", choices=("list", "test", "lint"))
    common.rule_options(parser)
    args = parser.parse_args(argv)
    normalizer = common.build_normalizer(args)
    if args.action == "list":
        for rule in normalizer.ruleset.rules:
            print(rule_line(rule))
        return common.EXIT_OK
    if args.action == "lint":
        return _lint(normalizer)
    return _test(normalizer)


def _lint(normalizer: Normalizer) -> int:
    from normalize.rule_lint import lint

    problems = lint(normalizer)
    for problem in problems:
        print(problem.as_text())
    errors = sum(1 for p in problems if p.level == "error")
    rules = len(normalizer.ruleset.rules)
    print(f"{errors} errors, {len(problems) - errors} warnings in {rules} rules")
    return common.EXIT_CHANGES if errors else common.EXIT_OK


def _test(normalizer: Normalizer) -> int:
    """Run every rule's examples through the whole pipeline; print the ones that fail."""
    from normalize.rule_examples import run_examples

    passed = failed = 0
    for result in run_examples(normalizer):
        if result.ok:
            passed += 1
        else:
            failed += 1
            print(result.describe())
    print(f"{passed} passed, {failed} failed")
    return common.EXIT_OK if failed == 0 else common.EXIT_CHANGES
