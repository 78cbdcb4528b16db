"""A small ETL step with the library: read scraped JSONL, normalize, keep what is useful.

    python examples/etl_pipeline.py examples/input.jsonl

Prints one summary line per record (id, language, date, title) and the rules that fired,
the way a pipeline would log them, then a count of warnings by code.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from normalize import Normalizer


def read_jsonl(path: Path):
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def main(path: str) -> None:
    normalizer = Normalizer()  # default rules; Normalizer(rules=["my_rules/"]) adds your own
    warnings: Counter[str] = Counter()
    for record in normalizer.normalize_stream(read_jsonl(Path(path))):
        info = record["normalization"]
        warnings.update(w["code"] for w in info["warnings"])
        print(f"{record['id']}\t{record['language']}\t{record['published']}\t{record['title']}")
        print(f"\tfired: {', '.join(info['fired']) or '-'}")
    print("warnings:", dict(sorted(warnings.items())) or "none")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("input.jsonl")))
