"""The `metanorm` command: parse arguments, stream records, format output.

No normalization logic lives here. `main(argv) -> int` returns an exit code; only `run`
(the console-script entry) calls `sys.exit`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from normalize import __version__
from normalize.limits import DEFAULT_MAX_FIELD_BYTES, line_limit
from normalize.ruleset import RuleFileError

if TYPE_CHECKING:
    from normalize.engine import LineResult
    from normalize.jsonl import RawLine
    from normalize.normalizer import Normalizer

EXIT_OK = 0
EXIT_CHANGES = 1  # `check`/`diff` found records that would change; `rules test|lint` failed
EXIT_USAGE = 2  # bad arguments or a malformed rule file
EXIT_BAD_INPUT = 3  # a bad input line under --on-error fail

SUBCOMMANDS = ("check", "fix", "diff", "explain", "rules", "undo", "report", "schema")


class BadInput(Exception):
    """A bad input line under --on-error fail."""


def run() -> None:
    code = main()
    if code == 130:  # Ctrl-C: the workers are gone; skip the exit hooks that join their
        # pool's threads (they can wait for ever on a pipe to a dead worker)
        import os
        import signal

        # a second Ctrl-C cannot cut the exit short (here, not in `main`: a program that
        # calls `main` keeps its own Ctrl-C, and so do the processes it starts)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            command = {
                "check": check_command,
                "fix": fix_command,
                "diff": diff_command,
                "explain": explain_command,
                "rules": rules_command,
                "undo": undo_command,
                "report": _report_command,
                "schema": _schema_command,
            }[args[0]]
            return command(args[1:])
        return normalize_command(args)
    except RuleFileError as exc:  # a malformed rule file, from any command
        print(f"metanorm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        print("metanorm: interrupted", file=sys.stderr)
        return 130


def _report_command(argv: Sequence[str]) -> int:
    from normalize.report.command import report_command

    return report_command(argv)


def _schema_command(argv: Sequence[str]) -> int:
    from normalize.json_schema import schema_command

    return schema_command(argv)


def _not_a_file(path: str) -> str:
    return "is a directory, not a file" if Path(path).is_dir() else "no such file"


def _silence_broken_pipe() -> None:
    """`metanorm big.jsonl | head`: the reader left; end quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="add a rule directory (repeatable; later rules override earlier ones by id)",
    )
    parser.add_argument(
        "--reference-date",
        metavar="DATE",
        help="the date that relative and yearless dates resolve against (ISO 8601)",
    )
    parser.add_argument(
        "--max-field-bytes",
        type=_size,
        default=DEFAULT_MAX_FIELD_BYTES,
        metavar="SIZE",
        help="a record with a field over this (e.g. 64M, the default) is bad input: "
        "input.too_large, handled by --on-error",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CANONICAL=FIELD",
        help="read a canonical field from this input field (dotted for nested; repeatable)",
    )


def _size(text: str) -> int:
    from normalize.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _build_normalizer(args: argparse.Namespace, audit: bool = False) -> Normalizer:
    from normalize.mapping_option import parse_map_options
    from normalize.normalizer import Normalizer

    return Normalizer(
        rules=args.rules,
        audit=audit,
        reference_date=args.reference_date,
        max_field_bytes=args.max_field_bytes,
        mapping=parse_map_options(args.map),
    )


def normalize_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metanorm",
        description="Normalize scraped JSONL records to canonical records (stdin → stdout).",
        epilog="Other commands: metanorm check|fix|diff FILE..., metanorm explain, "
        "metanorm undo, metanorm rules list|test|lint, metanorm schema. Exit codes: 0 ok, 1 check found changes, "
        "2 usage or rule-file error, 3 bad input under --on-error fail.",
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="JSONL input (.gz ok); stdin if none"
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write here instead of stdout (.gz ok)"
    )
    _common_options(parser)
    parser.add_argument("--audit", action="store_true", help="add normalization.changes")
    parser.add_argument(
        "--on-error",
        choices=("fail", "skip", "quarantine"),
        default="fail",
        help="a bad input line: stop (default), skip it with a message, or copy it to --quarantine",
    )
    parser.add_argument(
        "--quarantine", metavar="PATH", help="where --on-error quarantine copies bad lines"
    )
    parser.add_argument(
        "--stats", action="store_true", help="print rules fired and warnings on stderr"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (output order = input order)"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.add_argument("--version", action="version", version=f"metanorm {__version__}")
    return parser


def normalize_command(argv: Sequence[str]) -> int:
    from normalize import jsonl

    parser = normalize_parser()
    args = parser.parse_args(argv)
    if args.on_error == "quarantine" and not args.quarantine:
        parser.error("--on-error quarantine needs --quarantine PATH")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    files = args.files or [jsonl.STDIO]
    for path in files:
        if path != jsonl.STDIO and not Path(path).is_file():
            print(f"metanorm: {path}: {_not_a_file(path)}", file=sys.stderr)
            return EXIT_USAGE
    normalizer = _build_normalizer(args, audit=args.audit)
    stats = Stats(wanted=args.stats)
    progress = _progress(args, files)
    quarantine: IO[bytes] | None = None
    try:
        if args.on_error == "quarantine":
            quarantine = open(args.quarantine, "wb")  # noqa: SIM115 - closed below
        with jsonl.open_output(args.output) as out:
            noted: set[tuple[str, str]] = set()
            for result in _results(normalizer, files, args.jobs or 1):
                progress.advance(result.line.size)
                if result.note and (result.line.path, result.note) not in noted:
                    noted.add((result.line.path, result.note))
                    print(
                        f"{result.line.where}: warning: {result.note} (said once per file)",
                        file=sys.stderr,
                    )
                if result.output is None:
                    _bad_line(
                        result.line,
                        result.error or "not a record",
                        args.on_error,
                        quarantine,
                        stats,
                    )
                    continue
                out.write(result.output + b"\n")
                stats.add_line(result.output)
    except BadInput:
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        progress.close()
        if quarantine is not None:
            quarantine.close()
    if args.stats:
        stats.print(sys.stderr)
    return EXIT_OK


def _results(normalizer: Normalizer, files: Sequence[str], jobs: int) -> Iterator[LineResult]:
    from normalize import engine, jsonl

    cap = line_limit(normalizer.max_field_bytes)
    lines = (line for path in files for line in jsonl.read_raw_lines(path, cap))
    if jobs > 1:
        return engine.run_parallel(normalizer, lines, jobs)
    return engine.run_serial(normalizer, lines)


def _bad_line(
    line: RawLine, reason: str, mode: str, quarantine: IO[bytes] | None, stats: Stats
) -> None:
    stats.bad += 1
    if mode == "fail":
        print(f"{line.where}: {reason}", file=sys.stderr)
        raise BadInput(reason)
    action = "skipped" if mode == "skip" else "quarantined"
    if quarantine is not None and line.error:  # refused unread: there is no copy to give
        action = "skipped; too long to copy to the quarantine, it stays in the input"
    print(f"{line.where}: {reason} ({action})", file=sys.stderr)
    if quarantine is not None and not line.error:
        quarantine.write(line.body + b"\n")


class Progress:
    """A progress bar on stderr: records, records/s, and an ETA when the size is known."""

    def __init__(self, enabled: bool, total_bytes: int | None) -> None:
        self.bar = None
        self.records = 0
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                file=sys.stderr,
                desc="metanorm",
                mininterval=0.2,
            )

    def advance(self, size: int) -> None:
        if self.bar is None:
            return
        self.records += 1
        self.bar.update(size)
        if self.records % 100 == 0:
            rate = self.records / max(self.bar.format_dict["elapsed"], 1e-9)
            self.bar.set_postfix(records=self.records, rec_s=f"{rate:.0f}", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            rate = self.records / max(self.bar.format_dict["elapsed"], 1e-9)
            self.bar.set_postfix(records=self.records, rec_s=f"{rate:.0f}", refresh=False)
            self.bar.close()


def _progress(args: argparse.Namespace, files: Sequence[str]) -> Progress:
    enabled = args.progress if args.progress is not None else sys.stderr.isatty()
    total: int | None = 0
    for path in files:
        if path == "-" or path.endswith(".gz"):
            total = None  # unknown size: no ETA
            break
        total = (total or 0) + Path(path).stat().st_size
    return Progress(enabled, total)


class Stats:
    """Counts for --stats."""

    def __init__(self, wanted: bool) -> None:
        self.records = 0
        self.bad = 0
        self.wanted = wanted
        self.fired: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()

    def add_line(self, line: bytes) -> None:
        self.records += 1
        if not self.wanted:
            return
        normalization = json.loads(line).get("normalization") or {}
        self.fired.update(normalization.get("fired", []))
        self.warnings.update(w.get("code", "?") for w in normalization.get("warnings", []))

    def print(self, stream: IO[str]) -> None:
        print(f"records: {self.records} normalized, {self.bad} bad", file=stream)
        for title, counter in (("rules fired", self.fired), ("warnings", self.warnings)):
            print(f"{title}:", file=stream)
            for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {count:8d}  {key}", file=stream)


def rules_command(argv: Sequence[str]) -> int:

    if argv and argv[0] == "learn":
        from normalize.learn.command import learn_command

        return learn_command(argv[1:])
    parser = argparse.ArgumentParser(
        prog="metanorm rules", description="Inspect and self-test rules (and `learn` them)."
    )
    parser.add_argument("action", choices=("list", "test", "lint"))
    _common_options(parser)
    args = parser.parse_args(argv)
    normalizer = _build_normalizer(args)
    if args.action == "list":
        for rule in normalizer.ruleset.rules:
            scope = ",".join(rule.languages) or "*"
            if rule.sources:
                scope += " @" + ",".join(rule.sources)
            print(f"{rule.id}\t{rule.kind}\t{scope}\t{rule.location}\t{rule.description}")
        return EXIT_OK
    if args.action == "lint":
        from normalize.rule_lint import lint

        problems = lint(normalizer)
        for problem in problems:
            print(problem.as_text())
        errors = sum(1 for p in problems if p.level == "error")
        print(
            f"{errors} errors, {len(problems) - errors} warnings in {len(normalizer.ruleset.rules)} rules"
        )
        return EXIT_CHANGES if errors else EXIT_OK
    from normalize.rule_examples import run_examples

    passed = failed = 0
    for result in run_examples(normalizer):
        if result.ok:
            passed += 1
        else:
            failed += 1
            print(result.describe())
    print(f"{passed} passed, {failed} failed")
    return EXIT_OK if failed == 0 else EXIT_CHANGES


def explain_command(argv: Sequence[str]) -> int:

    parser = argparse.ArgumentParser(
        prog="metanorm explain",
        description="Read one record on stdin; show each change and its rule.",
    )
    _common_options(parser)
    args = parser.parse_args(argv)
    normalizer = _build_normalizer(args)
    text = sys.stdin.read().strip()
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"<stdin>:{exc.lineno}: invalid JSON: {exc.msg}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not isinstance(record, dict):
        print("<stdin>:1: a record must be a JSON object", file=sys.stderr)
        return EXIT_BAD_INPUT
    explained = normalizer.explain(record)
    for mapped in explained.mapping:
        print(f"map: {mapped.name} → {mapped.field} ({mapped.how}, {mapped.rule_id})")
    for change in explained.changes:
        rule = normalizer.ruleset.by_id(change.rule_id)
        where = rule.location if rule else "?"
        about = rule.description if rule else ""
        step = f" [{change.step}]" if change.step else ""
        print(f"{change.field}: {change.rule_id}{step} ({where})")
        if about:
            print(f"  {about}")
        print(f"  - {_clip(change.before)}")
        print(f"  + {_clip(change.after)}")
    for warning in explained.warnings:
        print(f"warning {warning.code} [{warning.field}]: {warning.message}")
    if not explained.changes:
        print("no changes")
    return EXIT_OK


def _dataset_parser(name: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"metanorm {name}", description=description)
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSONL files (.gz ok)")
    _common_options(parser)
    return parser


def _dataset_reports(args: argparse.Namespace):
    """Load rules, then inspect each file; (None, code) on a usage or rule-file error."""
    from normalize.dataset import inspect_file

    for path in args.files:
        if not Path(path).is_file():
            print(f"metanorm: {path}: {_not_a_file(path)}", file=sys.stderr)
            return None, EXIT_USAGE
    normalizer = _build_normalizer(args)
    try:
        return [inspect_file(normalizer, path) for path in args.files], EXIT_OK
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return None, EXIT_USAGE


def check_command(argv: Sequence[str]) -> int:
    from normalize.check import check_command as run_check

    return run_check(argv)


def fix_command(argv: Sequence[str]) -> int:
    from normalize.dataset import write_fixed

    parser = _dataset_parser(
        "fix", "Rewrite files in place (atomically) so every record is canonical."
    )
    args = parser.parse_args(argv)
    reports, code = _dataset_reports(args)
    if reports is None:
        return code
    from normalize.safe_rewrite import Refused

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
            return EXIT_USAGE
    return EXIT_BAD_INPUT if bad else EXIT_OK


def diff_command(argv: Sequence[str]) -> int:
    from normalize.dataset import unified_diff

    parser = _dataset_parser("diff", "Show what `metanorm fix` would change, as a unified diff.")
    args = parser.parse_args(argv)
    reports, code = _dataset_reports(args)
    if reports is None:
        return code
    any_change = False
    for report in reports:
        text = unified_diff(report)
        if text:
            any_change = True
            sys.stdout.write(text)
    return EXIT_CHANGES if any_change else EXIT_OK


def undo_command(argv: Sequence[str]) -> int:
    from normalize import jsonl
    from normalize.record import dumps
    from normalize.undo import rebuild_input

    parser = argparse.ArgumentParser(
        prog="metanorm undo", description="Rebuild the input records from --audit output."
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="audited JSONL (.gz ok); stdin if none"
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write here instead of stdout (.gz ok)"
    )
    _on_error_options(parser)
    args = parser.parse_args(argv)
    if args.on_error == "quarantine" and not args.quarantine:
        parser.error("--on-error quarantine needs --quarantine PATH")
    files = args.files or [jsonl.STDIO]
    for path in files:
        if path != jsonl.STDIO and not Path(path).is_file():
            print(f"metanorm: {path}: {_not_a_file(path)}", file=sys.stderr)
            return EXIT_USAGE
    stats = Stats(wanted=False)
    quarantine: IO[bytes] | None = None
    try:
        if args.on_error == "quarantine":
            quarantine = open(args.quarantine, "wb")  # noqa: SIM115 - closed below
        with jsonl.open_output(args.output) as out:
            for path in files:
                for raw in jsonl.read_raw_lines(path):
                    line = jsonl.parse_line(raw.path, raw.number, raw.body)
                    try:
                        if line.record is None:
                            raise ValueError(line.error)
                        data = dumps(rebuild_input(line.record)).encode("utf-8")
                    except ValueError as exc:
                        _bad_line(raw, str(exc), args.on_error, quarantine, stats)
                        continue
                    out.write(data + b"\n")
    except BadInput:
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if quarantine is not None:
            quarantine.close()
    return EXIT_OK


def _on_error_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--on-error",
        choices=("fail", "skip", "quarantine"),
        default="fail",
        help="a bad input line: stop (default), skip it with a message, or copy it to --quarantine",
    )
    parser.add_argument(
        "--quarantine", metavar="PATH", help="where --on-error quarantine copies bad lines"
    )


def _clip(value: object, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"
