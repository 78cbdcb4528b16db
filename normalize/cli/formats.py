"""How the commands print what they found: one function per output format, nothing else.

`check --format` picks one of `CHECK_FORMATS`; `explain` prints `explain_lines`. Keeping
the formats apart from the commands (as yamllint keeps its formatters) lets a new format
be added without touching the command that gathers the findings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from normalize.dataset import Finding
    from normalize.normalizer import Explained
    from normalize.ruleset import Rule, RuleSet

Summary = dict[str, int]


def check_text(findings: Sequence[Finding], summary: Summary) -> None:
    """`path:line:col: rule-id: message`, then a summary line."""
    for finding in findings:
        print(finding.as_text())
    print(summary_line(summary))


def check_github(findings: Sequence[Finding], summary: Summary) -> None:
    """GitHub Actions annotations on stdout (the runner reads them), the summary on stderr."""
    for finding in findings:
        print(github_annotation(finding))
    print(summary_line(summary), file=sys.stderr)


def check_json(findings: Sequence[Finding], summary: Summary) -> None:
    payload = {"findings": [f.as_dict() for f in findings], "summary": summary}
    print(json.dumps(payload, ensure_ascii=False, indent=2))


CHECK_FORMATS: dict[str, Callable[[Sequence[Finding], Summary], None]] = {
    "text": check_text,
    "github": check_github,
    "json": check_json,
}


def summary_line(summary: Summary) -> str:
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


def github_annotation(finding: Finding) -> str:
    message = finding.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    column = f",col={finding.column}" if finding.column is not None else ""
    return (
        f"::{finding.level} file={finding.path},line={finding.line}{column},"
        f"title={finding.rule_id}::{message}"
    )


def explain_lines(explained: Explained, ruleset: RuleSet) -> Iterator[str]:
    """The mapping, then each change with its rule's place and description, then warnings."""
    for mapped in explained.mapping:
        yield f"map: {mapped.name} → {mapped.field} ({mapped.how}, {mapped.rule_id})"
    for change in explained.changes:
        rule = ruleset.by_id(change.rule_id)
        where = rule.location if rule else "?"
        about = rule.description if rule else ""
        step = f" [{change.step}]" if change.step else ""
        yield f"{change.field}: {change.rule_id}{step} ({where})"
        if about:
            yield f"  {about}"
        yield f"  - {clip(change.before)}"
        yield f"  + {clip(change.after)}"
    for warning in explained.warnings:
        yield f"warning {warning.code} [{warning.field}]: {warning.message}"
    if not explained.changes:
        yield "no changes"


def rule_line(rule: Rule) -> str:
    """`rules list`: id, kind, scope (languages, @sources), where, description; tab-separated."""
    scope = ",".join(rule.languages) or "*"
    if rule.sources:
        scope += " @" + ",".join(rule.sources)
    return f"{rule.id}\t{rule.kind}\t{scope}\t{rule.location}\t{rule.description}"


def clip(value: object, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"
