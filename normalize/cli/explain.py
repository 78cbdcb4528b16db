"""`metanorm explain`: one record on stdin; each change, in order, with the rule that made it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from normalize.cli import common
from normalize.cli.formats import explain_lines


def explain_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metanorm explain",
        description="Read one record on stdin; show each change and its rule.",
    )
    common.rule_options(parser)
    args = parser.parse_args(argv)
    normalizer = common.build_normalizer(args)
    text = sys.stdin.read().strip()
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"<stdin>:{exc.lineno}: invalid JSON: {exc.msg}", file=sys.stderr)
        return common.EXIT_BAD_INPUT
    if not isinstance(record, dict):
        print("<stdin>:1: a record must be a JSON object", file=sys.stderr)
        return common.EXIT_BAD_INPUT
    for line in explain_lines(normalizer.explain(record), normalizer.ruleset):
        print(line)
    return common.EXIT_OK
