"""The floor: the least any normalizer of a JSONL corpus does, as fast as plain Python goes.

    python bench/floor.py CORPUS.jsonl > /dev/null

It parses each record, runs one regular-expression pass over every string field (a
whitespace tidy, the cheapest rewrite a normalizer makes) and serializes the record as
metanorm does (UTF-8, compact separators). Nothing real can beat it in one process; the
share of its speed metanorm reaches says how much of the time is the work itself.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

TIDY = re.compile(r"[ \t]+(?=\n)|[ \t]{2,}")


def tidy(value: Any) -> Any:
    if isinstance(value, str):
        return TIDY.sub(" ", value)
    if isinstance(value, dict):
        return {key: tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tidy(item) for item in value]
    return value


def main(argv: list[str]) -> int:
    out = sys.stdout.buffer
    with open(argv[0], "rb") as stream:
        for line in stream:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            text = json.dumps(tidy(record), ensure_ascii=False, separators=(",", ":"))
            out.write(text.encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
