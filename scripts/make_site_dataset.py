"""Write a synthetic one-site dataset for `metanorm rules learn` (tests and demos).

Each record has a headline with the site's suffix, a few sentences drawn from a small
grammar (so that no two texts are alike), and the site's furniture lines mixed in at
random places. Deterministic for a given seed.

    python scripts/make_site_dataset.py 500 > site.jsonl
"""

from __future__ import annotations

import json
import random
import sys

SITE = "example-times.com"
SUFFIX = " | Daily Chronicle"  # the brand, which the site name does not spell
FURNITURE = (
    "Get the Example Times app",
    "Our journalism relies on readers like you",
    "Tip us off: tips@example-times.com",
    "Example Times Media Group 2021",
    "Weather in Exampleton: see the forecast",
)
SUBJECTS = (
    "The council",
    "Local farmers",
    "The university",
    "Hospital staff",
    "The mayor",
    "Rail workers",
    "The port authority",
    "Shop owners",
    "Teachers",
    "Residents",
)
VERBS = ("approved", "criticised", "welcomed", "postponed", "debated", "rejected", "funded")
OBJECTS = (
    "the new budget",
    "a bridge repair plan",
    "the parking rules",
    "a school merger",
    "the water tariff",
    "a festival",
    "the bus timetable",
    "a housing project",
)
WHEN = (
    "on Monday",
    "on Tuesday",
    "after a long debate",
    "last week",
    "this morning",
    "despite protests",
    "before the holiday",
    "in a close vote",
)


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(WHEN)}, officials said in statement {rng.randrange(10**6)}."
    )


def record(rng: random.Random, number: int) -> dict[str, str]:
    lines = [sentence(rng) for _ in range(rng.randint(3, 7))]
    for furniture in FURNITURE:
        if rng.random() < 0.9:
            lines.insert(rng.randint(0, len(lines)), furniture)
    headline = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({number})"
    return {
        "url": f"https://www.{SITE}/news/{number}",
        "title": headline + SUFFIX,
        "text": "\n".join(lines),
    }


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 500
    rng = random.Random(int(argv[2]) if len(argv) > 2 else 19)
    for number in range(count):
        print(json.dumps(record(rng, number), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
