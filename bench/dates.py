"""Dates: metanorm against dateparser on the same cases, accuracy and median time per date.

    python bench/dates.py [../shared]

Cases: the peer cases from dateparser's own test-suite (../shared/corpus/peer/
dateparser_cases.jsonl) and the `dates` cases of ../shared/corpus/dev.jsonl. dateparser is
installed only for benchmarks (`pip install dateparser`). Accuracy is judged on the calendar
date for both tools (dateparser always returns a full datetime); metanorm's exact-precision
accuracy (`2022-01`, `2022-01-28T14:05:00+03:00`, …) is printed too. Times are medians of a
second pass, after one untimed pass in which both tools build their lazy tables.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from normalize import Normalizer
from normalize.corpus import field_matches, load_cases
from normalize.record import split_record


def cases(shared: Path) -> list[tuple[str, str, str | None, str, str]]:
    """(set, value, language, expected ISO, expected calendar date)."""
    rows = []
    for case in load_cases(shared / "corpus" / "peer" / "dateparser_cases.jsonl"):
        rows.append(("peer", case["input"], case["lang"], case["expected"], case["expected_date"]))
    schema = Normalizer().schema
    for case in load_cases(shared / "corpus" / "dev.jsonl"):
        expected = case["expected"].get("published")
        if case["capability"] != "dates" or not isinstance(expected, str):
            continue
        values = split_record(case["input"], schema).values
        value, language = values.get("published"), values.get("language")
        if isinstance(value, str) and expected[:4].isdigit():
            rows.append(("dev", value, language, expected, expected[:10]))
    return rows


def dates_stage(normalizer: Normalizer):
    """Time only the dates stage's `run` on a record prepared as the pipeline prepares it."""
    from normalize.normalizer import declared_language
    from normalize.stages import stage_module
    from normalize.work import WorkRecord

    compiled = dict(normalizer.stages)["dates"]
    run = stage_module("dates").run

    def parse(record: dict) -> tuple[str | None, float]:
        values = dict(split_record(record, normalizer.schema).values)
        values["meta"] = {}
        work = WorkRecord(values=values)
        work.hints["language"] = declared_language(values.get("language"))
        start = time.perf_counter()
        run(work, compiled)
        return work.values.get("published"), (time.perf_counter() - start) * 1e6

    return parse


def timed(function, value) -> tuple[object, float]:
    start = time.perf_counter()
    result = function(value)
    return result, (time.perf_counter() - start) * 1e6


def main() -> None:
    shared = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    )
    try:
        import dateparser
    except ImportError:
        sys.exit("bench/dates.py needs dateparser: pip install dateparser")
    normalizer = Normalizer()
    rows = cases(shared)
    for _set, value, language, *_ in rows:  # one untimed pass: both tools build lazy tables
        normalizer.normalize({"date": value, "lang": language})
        primary = (language or "").replace("_", "-").split("-")[0] or None
        dateparser.parse(value, languages=[primary] if primary else None)
    print(
        f"{len(rows)} dates ({sum(r[0] == 'peer' for r in rows)} peer, {sum(r[0] == 'dev' for r in rows)} dev)"
    )
    print(f"{'tool':24s} {'date right':>11s} {'exact':>7s} {'median µs':>10s}")
    stage_only = dates_stage(normalizer)
    for tool in ("metanorm (dates stage)", "metanorm (whole record)", "dateparser"):
        right_date = right_exact = 0
        times = []
        for _set, value, language, expected, expected_date in rows:
            primary = (language or "").replace("_", "-").split("-")[0] or None
            if tool.startswith("metanorm"):
                record = {"date": value, "lang": language} if language else {"date": value}
                if "stage" in tool:
                    got, micros = stage_only(record)
                else:
                    out, micros = timed(normalizer.normalize, record)
                    got = out["published"]
                got = got if isinstance(got, str) else ""
                right_exact += field_matches("published", expected, got)
                right_date += got[:10] == expected_date
            else:
                languages = [primary] if primary else None
                got_dt, micros = timed(
                    lambda v, langs=languages: dateparser.parse(v, languages=langs), value
                )
                right_date += got_dt is not None and got_dt.date().isoformat() == expected_date
            times.append(micros)
        exact = f"{right_exact / len(rows):7.1%}" if tool.startswith("metanorm") else f"{'-':>7s}"
        print(f"{tool:24s} {right_date / len(rows):11.1%} {exact} {statistics.median(times):10.0f}")
    print("whole record: normalize() of a one-field record, all stages included.")


if __name__ == "__main__":
    main()
