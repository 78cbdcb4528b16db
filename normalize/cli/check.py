"""`metanorm check`: exit 1 when any record would change (with `--strict`, also when a
canonical record carries warnings), listing each finding in the `--format` asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from normalize.cli import common
from normalize.cli.datasets import dataset_parser, dataset_reports
from normalize.cli.formats import CHECK_FORMATS
from normalize.dataset import FileReport, Finding


def check_command(argv: Sequence[str]) -> int:
    parser = dataset_parser("check", "Exit 1 when any record would change; list what and why.")
    parser.add_argument(
        "--format",
        choices=tuple(CHECK_FORMATS),
        default="text",
        help="text (path:line:col: rule-id: message), GitHub Actions annotations, or JSON",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (date.unparsed, language.mismatch, …), listed as findings",
    )
    args = parser.parse_args(argv)
    reports = dataset_reports(args)
    if isinstance(reports, int):
        return reports
    findings = [f for report in reports for f in _findings(report, args.strict)]
    summary = _summary(reports, args.strict)
    CHECK_FORMATS[args.format](findings, summary)
    if summary["bad_lines"]:
        return common.EXIT_BAD_INPUT
    failing = summary["would_change"] or summary.get("with_warnings", 0)
    return common.EXIT_CHANGES if failing else common.EXIT_OK


def _findings(report: FileReport, strict: bool) -> list[Finding]:
    """A file's findings in line order; its warnings only under --strict."""
    if not strict:
        return list(report.findings)
    return sorted([*report.findings, *report.warnings], key=lambda f: f.line)


def _summary(reports: list[FileReport], strict: bool) -> dict[str, int]:
    summary = {
        "files": len(reports),
        "records": sum(r.records for r in reports),
        "would_change": sum(r.changed_records for r in reports),
        "bad_lines": sum(r.bad_lines for r in reports),
    }
    if strict:
        summary["with_warnings"] = sum(r.warned_records for r in reports)
    return summary
