"""`metanorm rules learn DATA.jsonl… -o my_rules/learned.yaml`: propose rules from data.

Streams the files once, normalizing each record with the rules in effect, counts what
repeats per source in bounded memory (`collect.py`), and writes one rule per finding with
an example from the data (`propose.py`). The file is a proposal: review it, then use it
with `--rules my_rules`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from normalize.jsonl import InputFileError, read_lines
from normalize.learn.collect import Observations
from normalize.learn.propose import Thresholds, dump, findings, propose, settle_examples
from normalize.normalizer import Normalizer

EXIT_OK, EXIT_USAGE = 0, 2
_CAPACITY = 100_000  # counters in the sketch by default


def learn_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metanorm rules learn",
        description="Propose UI rules from what repeats across the records of each source.",
    )
    parser.add_argument("files", nargs="+", metavar="DATA.jsonl", help="JSONL input(s); - = stdin")
    parser.add_argument("-o", "--output", required=True, help="the rule file to write")
    parser.add_argument(
        "--rules", action="append", default=[], metavar="DIR", help="rules in effect (repeatable)"
    )
    limits = Thresholds()
    for flag, kind, default, meaning in (
        ("--min-records", int, limits.min_records, "a source needs this many records"),
        ("--min-share", float, limits.min_share, "share of a source's records an item is in"),
        ("--min-count", int, limits.min_count, "records an item is in, at least"),
        ("--capacity", int, _CAPACITY, "counters in the sketch: bounds memory"),
    ):
        parser.add_argument(
            flag, type=kind, default=default, help=f"{meaning} (default %(default)s)"
        )
    return parser


def learn_command(argv: Sequence[str]) -> int:
    args = learn_parser().parse_args(argv)
    if not 0 < args.min_share <= 1 or args.capacity < 1 or args.min_records < 1:
        print(
            "metanorm rules learn: --min-share is in (0, 1]; counts are positive", file=sys.stderr
        )
        return EXIT_USAGE
    normalizer = Normalizer(rules=args.rules)
    observations = Observations(args.capacity)
    try:
        for record in _records(args.files):
            observations.observe(normalizer.normalize(record))
    except InputFileError as exc:
        print(f"metanorm rules learn: {exc}", file=sys.stderr)
        return EXIT_USAGE
    limits = Thresholds(args.min_records, args.min_share, args.min_count)
    rules = settle_examples(propose(findings(observations, limits)), args.rules)
    header = [
        f"Proposed by `metanorm rules learn` from {observations.total} records "
        f"({', '.join(Path(f).name for f in args.files)}): review before use.",
        "Each rule names what repeats, how often, and for which source.",
    ]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dump(rules, header), encoding="utf-8")
    for rule in rules:
        print(f"{rule['id']}: {rule['description']}", file=sys.stderr)
    print(
        f"{len(rules)} rules proposed from {observations.total} records -> {output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _records(files: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Every record of the files; a line that is not one is reported and skipped."""
    for path in files:
        for line in read_lines(path):
            if line.record is None:
                print(f"{line.where}: skipped: {line.error}", file=sys.stderr)
                continue
            yield line.record
