"""Keep JSONL datasets canonical: find what would change (`check`), show it (`diff`), and
rewrite files in place (`fix`), atomically.

Detection and repair are one result (`FileReport`); `check` and `fix` only decide whether
the repaired lines are written. A record "would change" when its canonical serialization
differs from the line as it stands.
"""

from __future__ import annotations

import difflib
import gzip
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from normalize import safe_rewrite
from normalize.findings import Change
from normalize.json_columns import FieldColumns, error_column
from normalize.jsonl import parse_line
from normalize.limits import InputTooLarge
from normalize.normalizer import Normalizer
from normalize.record import dumps


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: `path:line:col: rule-id: message` (`path:line:` when the
    column is not known). The column is 1-based, in characters, as ruff and yamllint give it:
    where a JSON error is, or where the key of the field concerned starts."""

    path: str
    line: int
    rule_id: str
    message: str
    level: str = "error"
    column: int | None = None

    @property
    def where(self) -> str:
        column = f":{self.column}" if self.column is not None else ""
        return f"{self.path}:{self.line}{column}"

    def as_text(self) -> str:
        return f"{self.where}: {self.rule_id}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule_id,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class FileReport:
    """A file's lines as they are and as they should be, and why they differ."""

    path: str
    original: list[bytes] = field(default_factory=list)  # physical lines, without newline
    fixed: list[bytes] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    final_newline: bool = True
    changed_records: int = 0
    bad_lines: int = 0
    records: int = 0
    stamp: tuple[int, ...] = ()  # the file as it was read (safe_rewrite.stamp)
    warnings: list[Finding] = field(default_factory=list)  # what `check --strict` fails on
    warned_records: int = 0

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def read_physical_lines(path: str) -> tuple[list[bytes], bool]:
    """The file's lines without their line ends, and whether it ended with a newline."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError) as exc:
        raise OSError(f"{path}: cannot read: {exc}") from exc
    final_newline = data.endswith(b"\n") or not data
    lines = data.split(b"\n")
    if final_newline:
        lines.pop()
    return lines, final_newline


def inspect_file(normalizer: Normalizer, path: str) -> FileReport:
    """Normalize every record of a file and explain each difference."""
    try:
        read_stamp = safe_rewrite.stamp(path)  # before reading: a later change is seen
    except OSError as exc:
        raise OSError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    lines, final_newline = read_physical_lines(path)
    report = FileReport(path, lines, final_newline=final_newline, stamp=read_stamp)
    for number, raw in enumerate(lines, start=1):
        body = raw[:-1] if raw.endswith(b"\r") else raw
        if number == 1 and body.startswith(b"\xef\xbb\xbf"):
            body = body[3:]
        if not body.strip():
            report.fixed.append(raw)
            continue
        parsed = parse_line(path, number, body)
        if parsed.record is None:
            report.bad_lines += 1
            report.fixed.append(raw)  # never lose a line we cannot read
            column = error_column(body)
            reason = parsed.error or "bad line"
            report.findings.append(Finding(path, number, "input.invalid", reason, column=column))
            continue
        report.records += 1
        try:
            explained = normalizer.explain(parsed.record)
        except InputTooLarge as exc:  # reported with its line, the line kept as it is
            report.bad_lines += 1
            report.fixed.append(raw)
            reason = str(exc).removeprefix(f"{InputTooLarge.code}: ")
            report.findings.append(Finding(path, number, InputTooLarge.code, reason))
            continue
        except Exception as exc:  # reported with its line, the line kept as it is
            report.bad_lines += 1
            report.fixed.append(raw)
            reason = f"normalization failed: {type(exc).__name__}: {exc}"
            report.findings.append(Finding(path, number, "input.invalid", reason))
            continue
        canonical = dumps(explained.output).encode("utf-8")
        report.fixed.append(canonical)
        columns = FieldColumns(normalizer, parsed.record, body)
        if canonical != raw:
            report.changed_records += 1
            report.findings.extend(_explain_difference(path, number, explained.changes, columns))
        warned = list(_warnings(path, number, explained.output, columns))
        report.warnings.extend(warned)
        report.warned_records += bool(warned)
    return report


def _explain_difference(
    path: str, number: int, changes: tuple[Change, ...], columns: FieldColumns
) -> Iterator[Finding]:
    if not changes:
        yield Finding(
            path, number, "record.format", "not in canonical form (fields, order or serialization)"
        )
        return
    seen: set[tuple[str, str]] = set()
    for change in changes:
        key = (change.rule_id, change.field)
        if key in seen:
            continue
        seen.add(key)
        message = f"{change.field}: {describe_change(change)}"
        yield Finding(path, number, change.rule_id, message, column=columns.of(change.field))


def _warnings(path: str, number: int, output: dict, columns: FieldColumns) -> Iterator[Finding]:
    """The canonical record's warnings (kept from its input or new), as findings."""
    for warning in output["normalization"].get("warnings", []):
        name = warning.get("field")
        message = f"{name}: {warning.get('message')}" if name else str(warning.get("message"))
        code = str(warning.get("code"))
        column = columns.of(name) if isinstance(name, str) else None
        yield Finding(path, number, code, message, level="warning", column=column)


def describe_change(change: Change, width: int = 60) -> str:
    """A short human account of one change: lines removed, or the text around the edit."""
    before, after = change.before, change.after
    if isinstance(before, str) and isinstance(after, str):
        old_lines, new_lines = before.split("\n"), after.split("\n")
        removed = [line for line in old_lines if line not in new_lines]
        if (
            removed
            and len(new_lines) < len(old_lines)
            and all(line in old_lines for line in new_lines)
        ):
            shown = ", ".join(_quote(line, 40) for line in removed[:3])
            more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
            return f"removed {shown}{more}"
        start = 0
        while start < min(len(before), len(after)) and before[start] == after[start]:
            start += 1
        left = max(0, start - 10)
        return f"{_quote(before[left : left + width], width)} → {_quote(after[left : left + width], width)}"
    return f"{_quote(before, width)} → {_quote(after, width)}"


def _quote(value: object, width: int) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "⏎")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f'"{text}"' if isinstance(value, str) else text


def unified_diff(report: FileReport) -> str:
    """What `fix` would do to this file, as a unified diff."""
    old = [line.decode("utf-8", "replace") + "\n" for line in report.original]
    new = [line.decode("utf-8", "replace") + "\n" for line in report.fixed]
    return "".join(difflib.unified_diff(old, new, f"a/{report.path}", f"b/{report.path}"))


def write_fixed(report: FileReport) -> bool:
    """Rewrite the file with its fixed lines, atomically; untouched when nothing changes.

    `normalize.safe_rewrite` does the writing: a symlink's target is rewritten, owner, group
    and mode are kept, and a file that changed since it was read is left alone (Refused).
    The file's `.gz` compression and its final newline are kept.
    """
    if not report.changed:
        return False
    data = b"\n".join(report.fixed)
    if report.final_newline and report.fixed:
        data += b"\n"
    if report.path.endswith(".gz"):
        data = _gzip(data, Path(os.path.realpath(report.path)).name[:-3])
    safe_rewrite.rewrite(report.path, data, report.stamp)
    return True


def _gzip(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()
