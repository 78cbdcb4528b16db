"""`metanorm report`: one streaming pass over a dataset, then a page (or JSON) of figures.

The records are normalized as the plain command would (same rules, options, workers),
with the audit trail on so that each field's value before normalizing is known; or, with
`--normalized`, metanorm's own output is read back as it is, without normalizing again.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from normalize import __version__
from normalize.cli import common
from normalize.cli.progress import progress_for, progress_option
from normalize.report.figures import Figures
from normalize.report.page import render


def report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metanorm report",
        description="A self-contained page (or JSON) of what a dataset held and what "
        "normalizing it changed.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSONL input (.gz ok; - stdin)")
    parser.add_argument("-o", "--output", metavar="PATH", help="write here (default: stdout)")
    parser.add_argument("--format", choices=("html", "json"), default="html")
    parser.add_argument(
        "--normalized",
        action="store_true",
        help="the input is metanorm's output (ideally with --audit): read it, do not normalize",
    )
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes")
    progress_option(parser)
    common.rule_options(parser)
    return parser


def report_command(argv: Sequence[str]) -> int:
    parser = report_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if common.missing_input(args.files, prog="metanorm report"):
        return common.EXIT_USAGE
    normalizer = common.build_normalizer(args, audit=not args.normalized)
    locations = {rule.id: _short_location(rule.location) for rule in normalizer.ruleset.rules}
    figures = Figures()
    progress = progress_for(args, args.files)
    started = time.monotonic()
    try:
        records = _read_normalized(args.files) if args.normalized else None
        stream = records if records is not None else _normalize(normalizer, args)
        for where, record, size, reason in stream:
            progress.advance(size)
            if record is None:
                figures.add_bad_line(where, reason or "not a record")
            else:
                figures.add_record(where, record)
    except OSError as exc:
        print(f"metanorm report: {exc}", file=sys.stderr)
        return common.EXIT_USAGE
    finally:
        progress.close()
    elapsed = time.monotonic() - started
    run = _run_info(args, normalizer.ruleset_digest, figures.records, elapsed)
    data = figures.as_dict(locations)
    text = (
        render(data, run)
        if args.format == "html"
        else json.dumps({"run": run, **data}, ensure_ascii=False, indent=1) + "\n"
    )
    _write(args.output, text)
    print(
        f"metanorm report: {figures.records:,} records, {figures.bad_lines:,} bad lines, "
        f"{elapsed:.1f} s" + (f" → {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return common.EXIT_OK


Item = tuple[str, dict[str, Any] | None, int, str | None]  # where, record, bytes, bad reason


def _normalize(normalizer: Any, args: argparse.Namespace) -> Iterator[Item]:
    """Normalize as the plain command does; the record itself when it is in this process."""
    from normalize import engine, jsonl
    from normalize.limits import line_limit

    cap = line_limit(normalizer.max_field_bytes)
    lines = (line for path in args.files for line in jsonl.read_raw_lines(path, cap))
    if args.jobs > 1:
        results = engine.run_parallel(normalizer, lines, args.jobs)
    else:
        results = engine.run_serial(normalizer, lines, keep_record=True)
    for result in results:
        record = result.record
        if record is None and result.output is not None:
            record = json.loads(result.output)
        yield result.line.where, record, result.line.size, result.error


def _read_normalized(files: Sequence[str]) -> Iterator[Item]:
    """metanorm's output, read back: a line without a `normalization` object is a bad line."""
    from normalize import jsonl

    for path in files:
        for line in jsonl.read_raw_lines(path):
            parsed = jsonl.parse_line(line.path, line.number, line.body)
            record = parsed.record
            if record is not None and not isinstance(record.get("normalization"), dict):
                yield line.where, None, line.size, "not metanorm output (no normalization object)"
                continue
            yield line.where, record, line.size, parsed.error


def _short_location(location: str) -> str:
    """`rules/dates.yaml:12` for a shipped rule; a user's rule keeps its own path."""
    from normalize.ruleset import default_rules_dir

    path, _, line = location.rpartition(":")
    try:
        relative = Path(path).resolve().relative_to(default_rules_dir().resolve())
    except ValueError:
        return location
    return f"rules/{relative.as_posix()}:{line}"


def _run_info(
    args: argparse.Namespace, digest: str, records: int, elapsed: float
) -> dict[str, Any]:
    return {
        "metanorm": __version__,
        "ruleset": digest,
        "inputs": ", ".join(args.files),
        "mode": "read normalized output" if args.normalized else "normalized in this run",
        "jobs": args.jobs,
        "seconds": round(elapsed, 2),
        "records_per_second": round(records / elapsed, 1) if elapsed > 0 else None,
    }


def _write(path: str | None, text: str) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
