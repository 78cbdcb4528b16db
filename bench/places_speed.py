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


FILLER = (
    "The National Bank said inflation slowed in October, and the Finance Ministry expects the "
    "deficit to narrow next year. Prices for bread, fuel and medicine rose less than forecast, "
    "according to figures released by the State Statistics Service on Tuesday afternoon.\n"
)


def article(place_paragraphs: int) -> str:
    """About 5,000 characters: some paragraphs full of place names, the rest without any."""
    body = PARAGRAPH * place_paragraphs
    body += FILLER * ((5000 - len(body)) // len(FILLER) + 1)
    return body[:5000]


def time_run(compiled: places.CompiledPlaces, text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeats):
            compiled.recent.clear()  # a text seen for the first time, not a re-run's memo
            # as a plain run makes it: the language decided before this stage, no steps kept
            work = WorkRecord(
                values={"title": "Kiev talks", "text": text, "language": "en", "meta": {}},
                keep_steps=False,
            )
            places.run(work, compiled)
        best = min(best, (time.perf_counter() - started) / repeats)
    return best * 1e6


def main(argv: list[str]) -> int:
    repeats = int(argv[1]) if len(argv) > 1 else 1000
    started = time.perf_counter()
    compiled = places.compile(load_ruleset(kinds=_kinds()))
    compile_ms = (time.perf_counter() - started) * 1000
    print(f"compile: {compile_ms:.0f} ms for {len(compiled.places)} places")
    for label, paragraphs in (
        ("no place names", 0),
        ("typical (7 mentions)", 1),
        ("dense (90 mentions)", 13),
    ):
        text = article(paragraphs)
        print(f"places stage, 5 KB article, {label}: {time_run(compiled, text, repeats):.1f} µs")
    return 0


def _kinds() -> dict:
    """Every known rule kind, with the places kinds even before the stage is listed."""
    from normalize.stages import rule_kinds

    kinds = dict(rule_kinds())
    kinds.update(places.KINDS)
    return kinds


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
