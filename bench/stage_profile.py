"""Where the time goes: milliseconds per record in each stage, parsing and serializing.

    python bench/stage_profile.py CORPUS.jsonl [--limit 2000]

The Normalizer runs in this process over the first `2 × limit` records: the first half
warms every lazily built table and memo (as a long run is warm), the second half is timed
(other records, so that no memo holds their answers), each stage's `run` wrapped by a
timer. The rest of `normalize` (splitting the record, assembly)
is what the whole call takes beyond the stages.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from normalize import Normalizer, stages
from normalize.record import dumps_line


def profile(corpus: Path, limit: int) -> dict[str, float]:
    """Seconds spent per part over `limit` records, after as many others warmed up."""
    with open(corpus, "rb") as stream:
        lines = [line for line in itertools.islice(stream, 2 * limit) if line.strip()]
    warm, lines = lines[:limit], lines[limit:]
    normalizer = Normalizer()
    for line in warm:
        normalizer.normalize(json.loads(line))
    spent: dict[str, float] = defaultdict(float)
    originals = {}
    for name in stages.STAGE_NAMES:
        module = stages.stage_module(name)
        originals[name] = module.run

        def timed(work: Any, compiled: Any, _run: Any = module.run, _name: str = name) -> None:
            started = time.perf_counter()
            _run(work, compiled)
            spent[_name] += time.perf_counter() - started

        module.run = timed
    try:
        for line in lines:
            started = time.perf_counter()
            record = json.loads(line)
            parsed = time.perf_counter()
            output = normalizer.normalize(record)
            normalized = time.perf_counter()
            dumps_line(output)
            spent["parse JSON"] += parsed - started
            spent["normalize (all)"] += normalized - parsed
            spent["serialize"] += time.perf_counter() - normalized
    finally:
        for name, run in originals.items():
            stages.stage_module(name).run = run
    spent["record split + assembly"] = spent["normalize (all)"] - sum(
        spent[name] for name in stages.STAGE_NAMES
    )
    spent["records"] = len(lines)
    return dict(spent)


def print_profile(spent: dict[str, float]) -> None:
    records = int(spent.pop("records")) or 1
    total = spent["parse JSON"] + spent["normalize (all)"] + spent["serialize"]
    print(f"where the time goes ({records} records, warm; ms per record, share of the total):")
    for part, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if part == "normalize (all)":
            continue
        print(f"  {part:26s} {1000 * seconds / records:7.3f} ms  {seconds / total:6.1%}")
    print(f"  {'total':26s} {1000 * total / records:7.3f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args(argv)
    print_profile(profile(args.corpus, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
