"""What every `metanorm` command shares: exit codes, the rule options, the input check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from normalize.jsonl import STDIO
from normalize.limits import DEFAULT_MAX_FIELD_BYTES

if TYPE_CHECKING:
    from normalize.cli.stats import Stats
    from normalize.jsonl import RawLine
    from normalize.normalizer import Normalizer

EXIT_OK = 0
EXIT_CHANGES = 1  # `check`/`diff` found records that would change; `rules test|lint` failed
EXIT_USAGE = 2  # bad arguments or a malformed rule file
EXIT_BAD_INPUT = 3  # a bad input line under --on-error fail


class BadInput(Exception):
    """A bad input line under --on-error fail."""


def rule_options(parser: argparse.ArgumentParser) -> None:
    """The options that decide what a Normalizer does, for every command that builds one."""
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


def on_error_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--on-error",
        choices=("fail", "skip", "quarantine"),
        default="fail",
        help="a bad input line: stop (default), skip it with a message, or copy it to --quarantine",
    )
    parser.add_argument(
        "--quarantine", metavar="PATH", help="where --on-error quarantine copies bad lines"
    )


def check_on_error(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.on_error == "quarantine" and not args.quarantine:
        parser.error("--on-error quarantine needs --quarantine PATH")


def _size(text: str) -> int:
    from normalize.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_normalizer(args: argparse.Namespace, audit: bool = False) -> Normalizer:
    from normalize.mapping_option import parse_map_options
    from normalize.normalizer import Normalizer

    return Normalizer(
        rules=args.rules,
        audit=audit,
        reference_date=args.reference_date,
        max_field_bytes=args.max_field_bytes,
        mapping=parse_map_options(args.map),
    )


def missing_input(files: Sequence[str], prog: str = "metanorm") -> bool:
    """Say so on stderr, and return True, when an input file (other than stdin) is not there."""
    for path in files:
        if path != STDIO and not Path(path).is_file():
            why = "is a directory, not a file" if Path(path).is_dir() else "no such file"
            print(f"{prog}: {path}: {why}", file=sys.stderr)
            return True
    return False


def bad_line(
    line: RawLine, reason: str, mode: str, quarantine: IO[bytes] | None, stats: Stats
) -> None:
    """A line that is not a record: stop (`fail`), or say so and skip or quarantine it."""
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
