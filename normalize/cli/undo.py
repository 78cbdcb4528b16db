"""`metanorm undo`: rebuild the input records from `--audit` output (see `normalize.undo`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from normalize.cli import common
from normalize.cli.stats import Stats


def undo_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metanorm undo", description="Rebuild the input records from --audit output."
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="audited JSONL (.gz ok); stdin if none"
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write here instead of stdout (.gz ok)"
    )
    common.on_error_options(parser)
    return parser


def undo_command(argv: Sequence[str]) -> int:
    from normalize import jsonl

    parser = undo_parser()
    args = parser.parse_args(argv)
    common.check_on_error(parser, args)
    files = args.files or [jsonl.STDIO]
    if common.missing_input(files):
        return common.EXIT_USAGE
    quarantine: IO[bytes] | None = None
    try:
        if args.on_error == "quarantine":
            quarantine = open(args.quarantine, "wb")  # noqa: SIM115 - closed below
        with jsonl.open_output(args.output) as out:
            for path in files:
                _undo_file(path, out, args.on_error, quarantine)
    except common.BadInput:
        return common.EXIT_BAD_INPUT
    except OSError as exc:
        print(f"metanorm: {exc}", file=sys.stderr)
        return common.EXIT_USAGE
    finally:
        if quarantine is not None:
            quarantine.close()
    return common.EXIT_OK


def _undo_file(path: str, out: IO[bytes], on_error: str, quarantine: IO[bytes] | None) -> None:
    from normalize import jsonl
    from normalize.record import dumps
    from normalize.undo import rebuild_input

    stats = Stats(wanted=False)
    for raw in jsonl.read_raw_lines(path):
        line = jsonl.parse_line(raw.path, raw.number, raw.body)
        try:
            if line.record is None:
                raise ValueError(line.error)
            data = dumps(rebuild_input(line.record)).encode("utf-8")
        except ValueError as exc:
            common.bad_line(raw, str(exc), on_error, quarantine, stats)
            continue
        out.write(data + b"\n")
