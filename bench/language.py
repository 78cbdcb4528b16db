"""Accuracy and median time per record: metanorm's language detection vs `langdetect.detect`.

Runs both on the same cases in one process: the `language` cases of ../shared/corpus/dev.jsonl,
lingua's sentences (../shared/corpus/peer/langid_cases.jsonl), and, for speed only, every
dev.jsonl record with a title or text (the stage's real input). Usage:
    python bench/language.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from normalize.langid import Detector

from normalize.stages.language import default_detector


def _sample(values: dict) -> str:
    return "\n".join(v for v in (values.get("title"), values.get("text")) if isinstance(v, str))


def _langdetect() -> Callable[[str], str | None]:
    import langdetect
    from langdetect import DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str | None:
        try:
            return langdetect.detect(text).split("-")[0]
        except LangDetectException:
            return None

    return run


def measure(
    cases: list[tuple[str, str | None]], fn: Callable[[str], str | None]
) -> tuple[float, float]:
    """(accuracy over cases with an expected language, median µs per call)."""
    times, right, judged = [], 0, 0
    for text, expected in cases:
        start = time.perf_counter()
        got = fn(text)
        times.append(time.perf_counter() - start)
        if expected is not None:
            judged += 1
            right += got == expected
    return (right / judged if judged else float("nan")), statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=default)
    args = parser.parse_args()
    corpus = args.shared / "corpus"
    dev = [json.loads(line) for line in (corpus / "dev.jsonl").open(encoding="utf-8")]
    peer = [
        json.loads(line) for line in (corpus / "peer" / "langid_cases.jsonl").open(encoding="utf-8")
    ]
    sets = {
        "dev language cases": [
            (_sample(c["input"]), c["expected"]["language"].split("-")[0])
            for c in dev
            if c["capability"] == "language"
        ],
        "peer lingua sentences": [(p["text"], p["lang"]) for p in peer],
        "all dev records (speed)": [
            (_sample(c["input"]), None) for c in dev if _sample(c["input"])
        ],
    }
    detector: Detector = default_detector()
    detector.detect("warm up: load the profiles once")
    ours = lambda text: detector.detect(text).language  # noqa: E731
    theirs = _langdetect()
    theirs("warm up")
    print(
        f"{'cases':<26}{'n':>5}  {'metanorm acc':>12} {'median µs':>10}"
        f"  {'langdetect acc':>14} {'median µs':>10}"
    )
    for name, cases in sets.items():
        acc, med = measure(cases, ours)
        lacc, lmed = measure(cases, theirs)
        show = lambda a: "-" if a != a else f"{a:.3f}"  # noqa: E731
        print(
            f"{name:<26}{len(cases):>5}  {show(acc):>12} {med:>10.0f}"
            f"  {show(lacc):>14} {lmed:>10.0f}"
        )


if __name__ == "__main__":
    main()
