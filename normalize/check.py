"""`metanorm check`: exit 1 when any record would change (with `--strict`, also when a
canonical record carries warnings), listing each finding as `path:line:col: rule: message`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from normalize.dataset import FileReport, Finding

EXIT_OK, EXIT_CHANGES, EXIT_BAD_INPUT = 0, 1, 3


def check_command(argv: Sequence[str]) -> int:
    from normalize.cli import _dataset_parser, _dataset_reports

    parser = _dataset_parser("check", "Exit 1 when any record would change; list what and why.")
    parser.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (path:line:col: rule-id: message), GitHub Actions annotations, or JSON",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (date.unparsed, language.mismatch, …), listed as findings",
    )
    args = parser.parse_args(argv)
    reports, code = _dataset_reports(args)
    if reports is None:
        return code
    findings = [f for report in reports for f in _findings(report, args.strict)]
    summary = _summary(reports, args.strict)
    if args.format == "json":
        payload = {"findings": [f.as_dict() for f in findings], "summary": summary}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(_github(finding) if args.format == "github" else finding.as_text())
        stream = sys.stderr if args.format == "github" else sys.stdout
        print(_summary_line(summary), file=stream)
    if summary["bad_lines"]:
        return EXIT_BAD_INPUT
    failing = summary["would_change"] or summary.get("with_warnings", 0)
    return EXIT_CHANGES if failing else EXIT_OK


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


def _summary_line(summary: dict[str, int]) -> str:
    files, records = summary["files"], summary["records"]
    changed, bad = summary["would_change"], summary["bad_lines"]
    warned = summary.get("with_warnings", 0)
    if not (changed or bad or warned):
        clean = "canonical" if "with_warnings" not in summary else "canonical, without warnings"
        return f"all {records} records in {files} files are {clean}"
    parts = [f"{changed} of {records} records in {files} files would change"]
    if warned:
        parts.append(f"{warned} records have warnings")
    if bad:
        parts.append(f"{bad} lines could not be read")
    return "; ".join(parts)


def _github(finding: Finding) -> str:
    message = finding.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    column = f",col={finding.column}" if finding.column is not None else ""
    return (
        f"::{finding.level} file={finding.path},line={finding.line}{column},"
        f"title={finding.rule_id}::{message}"
    )
