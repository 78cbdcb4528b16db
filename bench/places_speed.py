"""Time the places stage alone on a ~5 KB English article (prints µs per record).

Usage: python bench/places_speed.py [repeats]
"""

from __future__ import annotations

import sys
import time

from normalize.ruleset import load_ruleset
from normalize.stages import places
from normalize.work import WorkRecord

PARAGRAPH = (
    "Officials in Kiev said on Monday that talks with partners in Warsaw and Washington would "
    "continue next week. The Kharkov-based charity delivered food to Odessa and Nikolaev, while "
    "engineers in Zaporozhye restored power to most districts. Analysts said the weaker currency "
    "would help exporters but make imported medicines noticeably more expensive for families.\n"
)


def main(argv: list[str]) -> int:
    repeats = int(argv[1]) if len(argv) > 1 else 2000
    text = (PARAGRAPH * (5000 // len(PARAGRAPH) + 1))[:5000]
    started = time.perf_counter()
    compiled = places.compile(load_ruleset(kinds=_kinds()))
    compile_ms = (time.perf_counter() - started) * 1000
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeats):
            work = WorkRecord(values={"title": "Kiev talks", "text": text, "meta": {}})
            work.hints["language"] = "en"
            places.run(work, compiled)
        best = min(best, (time.perf_counter() - started) / repeats)
    print(f"places stage: {best * 1e6:.1f} µs per 5 KB article (compile {compile_ms:.0f} ms)")
    return 0


def _kinds() -> dict:
    """Every known rule kind, with the places kinds even before the stage is listed."""
    from normalize.stages import rule_kinds

    kinds = dict(rule_kinds())
    kinds.update(places.KINDS)
    return kinds


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
