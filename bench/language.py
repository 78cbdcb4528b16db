"""Language detection: metanorm vs langdetect and lingua, accuracy, speed and calibration.

All three run on the same cases in one process: lingua's short texts by kind
(../shared/corpus/peer/langid_short.jsonl), its sentences (langid_cases.jsonl), the dev
`language` cases, and the real gold records (../shared/corpus/real/gold/). metanorm judges
a record's fields together (the Normalizer's language stage); langdetect and lingua (in its
low-accuracy mode, restricted to the languages metanorm lists) read the fields joined.
Then the reliability table: metanorm's confidence in bins → how often it was right.
`--options` adds metanorm's other settings measured the same way: without word evidence
(n-grams and alphabets alone) and with wordfreq's large lists (down to 10^-7).
Usage:
    python bench/language.py [--shared PATH] [--no-lingua] [--options]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from normalize.stages.language import FIELDS, default_detector

Case = tuple[list[str], str | None]  # the record's texts, the expected language
Answer = tuple[str | None, float]  # language, confidence
EQUIVALENT = {"nb": "no", "zh-cn": "zh", "zh-tw": "zh"}


def _same(got: str | None, want: str | None) -> bool:
    norm = lambda tag: EQUIVALENT.get(tag, tag.split("-")[0]) if tag else tag  # noqa: E731
    return norm(got) == norm(want)


def _texts(values: dict[str, Any]) -> list[str]:
    keys = (*FIELDS, "description", "content")
    return [v for k in keys if isinstance(v := values.get(k), str) and v.strip()]


def load_sets(shared: Path) -> dict[str, list[Case]]:
    corpus = shared / "corpus"
    read = lambda path: [json.loads(x) for x in path.open(encoding="utf-8") if x.strip()]  # noqa: E731
    sets: dict[str, list[Case]] = {}
    for case in read(corpus / "peer" / "langid_short.jsonl"):
        sets.setdefault(f"short {case['kind']}", []).append(
            ([case["input"]["text"]], case["expected"]["language"])
        )
    sets["lingua sentences"] = [
        ([c["text"]], c["lang"]) for c in read(corpus / "peer" / "langid_cases.jsonl")
    ]
    sets["dev language cases"] = [
        (_texts(c["input"]), c["expected"]["language"])
        for c in read(corpus / "dev.jsonl")
        if c["capability"] == "language"
    ]
    sets["real gold records"] = [
        (_texts(c["input"]), c["expected"]["language"])
        for path in sorted((corpus / "real" / "gold").glob("*.gold.jsonl"))
        for c in read(path)
        if "language" in c["expected"]
    ]
    return sets


def metanorm(**changes: Any) -> Callable[[list[str]], Answer]:
    """The default detector, or one with some settings changed (`word_weight=0`)."""
    import dataclasses

    from normalize.stages.language.detector import Detector

    detector = default_detector()
    if changes:
        detector = Detector(dataclasses.replace(detector.settings, **changes))
    detector.detect("warm up: load the profiles once")

    def run(texts: list[str]) -> Answer:
        found = detector.detect_fields(list(dict.fromkeys(texts)))
        return found.language, found.confidence

    return run


def langdetect_fn() -> Callable[[list[str]], Answer]:
    import langdetect
    from langdetect import DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(texts: list[str]) -> Answer:
        try:
            return langdetect.detect("\n".join(texts)), 1.0
        except LangDetectException:
            return None, 0.0

    return run


def lingua_fn() -> Callable[[list[str]], Answer] | None:
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        print("lingua-language-detector is not installed: its column is left out")
        return None
    listed = {tag for tag, _ in default_detector().settings.scripts} or {"en"}
    codes = [
        getattr(IsoCode639_1, t.upper())
        for t in sorted(listed | {"nb"})
        if hasattr(IsoCode639_1, t.upper())
    ]
    lingua = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()

    def run(texts: list[str]) -> Answer:
        values = lingua.compute_language_confidence_values("\n".join(texts))
        if not values or values[0].value == 0:
            return None, 0.0
        return values[0].language.iso_code_639_1.name.lower(), values[0].value

    return run


def measure(cases: list[Case], fn: Callable[[list[str]], Answer]) -> tuple[float, float, list]:
    """(accuracy, median µs per call, [(confidence, right)] for the reliability table)."""
    times, right, answers = [], 0, []
    for texts, expected in cases:
        start = time.perf_counter()
        got, confidence = fn(texts)
        times.append(time.perf_counter() - start)
        ok = _same(got, expected)
        right += ok
        answers.append((confidence if got else None, ok))
    return right / len(cases), statistics.median(times) * 1e6, answers


def reliability(answers: list[tuple[float | None, bool]]) -> None:
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]
    print(f"{'confidence':<14}{'answers':>8}{'right':>8}")
    nulls = [ok for c, ok in answers if c is None]
    print(f"{'null':<14}{len(nulls):>8}{'-':>8}")
    for low, high in bins:
        inside = [ok for c, ok in answers if c is not None and low <= c < high]
        if inside:
            share = sum(inside) / len(inside)
            print(
                f"{f'[{low:.2f}, {min(high, 1):.2f}' + (']' if high > 1 else ')'):<14}{len(inside):>8}{share:>8.3f}"
            )
    sure = [ok for c, ok in answers if c is not None and c >= 0.9]
    if sure:
        print(f"answers at ≥ 0.9: {len(sure)}, right {sum(sure) / len(sure):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared"
    )
    parser.add_argument("--no-lingua", action="store_true")
    parser.add_argument("--options", action="store_true", help="metanorm's other settings too")
    args = parser.parse_args()
    sets = load_sets(args.shared)
    tools = {"metanorm": metanorm()}
    if args.options:
        tools["no words"] = metanorm(word_weight=0.0)
        tools["large lists"] = metanorm(word_depth=700)
    tools["langdetect"] = langdetect_fn()
    lingua = None if args.no_lingua else lingua_fn()
    if lingua:
        tools["lingua low"] = lingua
    print(f"{'cases':<22}{'n':>5}" + "".join(f"  {name + ' acc':>15} {'µs':>6}" for name in tools))
    calibration: dict[str, list] = {"short texts": [], "real gold records": []}
    for name, cases in sets.items():
        row = f"{name:<22}{len(cases):>5}"
        for tool, fn in tools.items():
            acc, median, answers = measure(cases, fn)
            row += f"  {acc:>15.3f} {median:>6.0f}"
            group = "short texts" if name.startswith("short") else name
            if tool == "metanorm" and group in calibration:
                calibration[group].extend(answers)
        print(row)
    for name, answers in calibration.items():
        print(f"\nmetanorm reliability, {name}:")
        reliability(answers)


if __name__ == "__main__":
    main()
