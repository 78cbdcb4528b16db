"""`metanorm [FILE...]`: stream records through the normalizer, in input order, to stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING

from normalize import __version__
from normalize.cli import common
from normalize.cli.progress import Progress, progress_for, progress_option
from normalize.cli.stats import Stats
from normalize.limits import line_limit

if TYPE_CHECKING:
    from normalize.engine import LineResult
    from normalize.normalizer import Normalizer


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
    common.rule_options(parser)
    parser.add_argument("--audit", action="store_true", help="add normalization.changes")
    common.on_error_options(parser)
    parser.add_argument(
        "--stats", action="store_true", help="print rules fired and warnings on stderr"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (output order = input order)"
    )
    progress_option(parser)
    parser.add_argument("--version", action="version", version=f"metanorm {__version__}")
    return parser


def normalize_command(argv: Sequence[str]) -> int:
    from normalize import jsonl

    parser = normalize_parser()
    args = parser.parse_args(argv)
    common.check_on_error(parser, args)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    files = args.files or [jsonl.STDIO]
    if common.missing_input(files):
        return common.EXIT_USAGE
    normalizer = common.build_normalizer(args, audit=args.audit)
    stats = Stats(wanted=args.stats)
    progress = progress_for(args, files)
    quarantine: IO[bytes] | None = None
    try:
        if args.on_error == "quarantine":
            quarantine = open(args.quarantine, "wb")  # noqa: SIM115 - closed below
        with jsonl.open_output(args.output) as out:
            results = _results(normalizer, files, args.jobs or 1)
            _write(results, out, args.on_error, quarantine, stats, progress)
    except common.BadInput:
        return common.EXIT_BAD_INPUT
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return common.EXIT_USAGE
    finally:
        progress.close()
        if quarantine is not None:
            quarantine.close()
    if args.stats:
        stats.print(sys.stderr)
    return common.EXIT_OK


def _results(normalizer: Normalizer, files: Sequence[str], jobs: int) -> Iterator[LineResult]:
    from normalize import engine, jsonl

    cap = line_limit(normalizer.max_field_bytes)
    lines = (line for path in files for line in jsonl.read_raw_lines(path, cap))
    if jobs > 1:
        return engine.run_parallel(normalizer, lines, jobs)
    return engine.run_serial(normalizer, lines)


def _write(
    results: Iterator[LineResult],
    out: IO[bytes],
    on_error: str,
    quarantine: IO[bytes] | None,
    stats: Stats,
    progress: Progress,
) -> None:
    """Each result to `out`, or, for a bad line, to `--on-error`; a file's note said once."""
    noted: set[tuple[str, str]] = set()
    for result in results:
        progress.advance(result.line.size)
        if result.note and (result.line.path, result.note) not in noted:
            noted.add((result.line.path, result.note))
            print(
                f"{result.line.where}: warning: {result.note} (said once per file)",
                file=sys.stderr,
            )
        if result.output is None:
            reason = result.error or "not a record"
            common.bad_line(result.line, reason, on_error, quarantine, stats)
            continue
        out.write(result.output + b"\n")
        stats.add_line(result.output)
