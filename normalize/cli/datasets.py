"""`metanorm fix` and `metanorm diff` (and what `check` shares with them): files in, a
report per file of what normalizing would change.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from normalize.cli import common

if TYPE_CHECKING:
    from normalize.dataset import FileReport


def dataset_parser(name: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"metanorm {name}", description=description)
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSONL files (.gz ok)")
    common.rule_options(parser)
    return parser


def dataset_reports(args: argparse.Namespace) -> list[FileReport] | int:
    """Load the rules, then inspect each file; an exit code on a usage error instead."""
    from normalize.dataset import inspect_file

    if common.missing_input(args.files):
        return common.EXIT_USAGE
    normalizer = common.build_normalizer(args)
    try:
        return [inspect_file(normalizer, path) for path in args.files]
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return common.EXIT_USAGE


def fix_command(argv: Sequence[str]) -> int:
    from normalize.dataset import write_fixed
    from normalize.safe_rewrite import Refused

    parser = dataset_parser(
        "fix", "Rewrite files in place (atomically) so every record is canonical."
    )
    reports = dataset_reports(parser.parse_args(argv))
    if isinstance(reports, int):
        return reports
    bad = 0
    for report in reports:
        for finding in report.findings:
            if finding.rule_id.startswith("input."):
                print(f"{finding.as_text()} (line kept as it is)", file=sys.stderr)
        bad += report.bad_lines
        try:
            if write_fixed(report):
                print(
                    f"fixed {report.path}: {report.changed_records} of {report.records} records changed"
                )
        except Refused as exc:
            print(f"metanorm: {exc}", file=sys.stderr)
            bad += 1
        except OSError as exc:
            print(
                f"metanorm: cannot rewrite {report.path}: {exc} (file left as it was)",
                file=sys.stderr,
            )
            return common.EXIT_USAGE
    return common.EXIT_BAD_INPUT if bad else common.EXIT_OK


def diff_command(argv: Sequence[str]) -> int:
    from normalize.dataset import unified_diff

    parser = dataset_parser("diff", "Show what `metanorm fix` would change, as a unified diff.")
    reports = dataset_reports(parser.parse_args(argv))
    if isinstance(reports, int):
        return reports
    any_change = False
    for report in reports:
        text = unified_diff(report)
        if text:
            any_change = True
            sys.stdout.write(text)
    return common.EXIT_CHANGES if any_change else common.EXIT_OK
