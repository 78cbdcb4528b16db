"""Dates: metanorm, dateparser and dateutil on the same cases, accuracy and median time per date.

    python bench/dates.py [../shared]

Cases: dateparser's and dateutil's own test cases held in ../shared/corpus/peer/
(dateparser_cases.jsonl, dates_more.jsonl, dates_relative.jsonl: relative ones carry their
reference time as `crawled_at`) and the `dates` cases of ../shared/corpus/dev.jsonl.

- metanorm: the dates stage's `run` on a record prepared as the pipeline prepares it, with
  the default rules; once with the grammar alone, once with the dateparser fallback for what
  the grammar has no reading for (the `date.fallback` rule; needs `pip install dateparser`).
  Judged exactly, as score.py judges `published` (the precision must be the input's).
- dateparser: `DateDataParser(languages=[the case's language], RELATIVE_BASE=reference)`.
- dateutil: `dateutil.parser.parse(value, default=reference)` (no languages, no relative
  dates: what it is not for).
Both libraries return a datetime; it is judged at the expected value's precision (given to
them for free) and with the expected offset, if any. Times are medians of a second pass,
after one untimed pass in which every tool builds its lazy tables (its duration is the
`first pass` column: CLDR tables, dateparser's languages); metanorm's memo of answers is
cleared before every date, so each is read afresh. On a shared machine the times are noisy:
run it a few times; the CPU median (time.process_time) is the steadier figure there.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from normalize import Normalizer
from normalize.corpus import field_matches, load_cases
from normalize.record import split_record
from normalize.stages.dates import same_instant

Case = tuple[str, str, str | None, str, datetime | None]  # set, value, language, expected, ref


def _elapsed(start: float, cpu: float) -> tuple[float, float]:
    """Wall and CPU microseconds since (start, cpu): the CPU time leaves out the time other
    processes of a shared machine had the core."""
    return (time.perf_counter() - start) * 1e6, (time.process_time() - cpu) * 1e6


def cases(shared: Path) -> list[Case]:
    peer = shared / "corpus" / "peer"
    rows: list[Case] = []
    for case in load_cases(peer / "dateparser_cases.jsonl"):
        rows.append(("dateparser_cases", case["input"], case["lang"], case["expected"], None))
    for name in ("dates_more", "dates_relative"):
        for case in load_cases(peer / f"{name}.jsonl"):
            record = case["input"]
            ref = datetime.fromisoformat(record["crawled_at"]) if "crawled_at" in record else None
            expected = case["expected"]["published"]
            rows.append((name, record["published"], record.get("language"), expected, ref))
    schema = Normalizer().schema
    for case in load_cases(shared / "corpus" / "dev.jsonl"):
        expected = case["expected"].get("published")
        if case["capability"] != "dates" or not isinstance(expected, str):
            continue
        values = split_record(case["input"], schema).values
        value, language = values.get("published"), values.get("language")
        if isinstance(value, str) and expected[:4].isdigit():
            rows.append(("dev", value, language, expected, None))
    return rows


def primary(language: str | None) -> str | None:
    return (language or "").replace("_", "-").split("-")[0].lower() or None


def metanorm_tool(fallback: bool) -> Callable[[Case], tuple[Any, tuple[float, float]]]:
    """Time only the dates stage's `run` on a record prepared as the pipeline prepares it."""
    from normalize.langtags import language_hint
    from normalize.stages import stage_module
    from normalize.work import WorkRecord

    normalizer = Normalizer()
    compiled = dict(normalizer.stages)["dates"]
    compiled.grammar.fallback = fallback
    run = stage_module("dates").run

    def parse(case: Case) -> tuple[Any, tuple[float, float]]:
        _set, value, language, _expected, ref = case
        record: dict[str, Any] = {"date": value}
        if language:
            record["lang"] = language
        values = dict(split_record(record, normalizer.schema).values)
        values["meta"] = {"crawled_at": ref.isoformat()} if ref else {}
        work = WorkRecord(values=values)
        work.hints["language"] = language_hint(values)
        compiled.grammar._parsed.clear()  # each date read afresh, not from the answer memo
        start, cpu = time.perf_counter(), time.process_time()
        run(work, compiled)
        return work.values.get("published"), _elapsed(start, cpu)

    return parse


def dateparser_tool() -> Callable[[Case], tuple[Any, tuple[float, float]]]:
    from dateparser.date import DateDataParser

    parsers: dict[Any, Any] = {}

    def parse(case: Case) -> tuple[Any, tuple[float, float]]:
        _set, value, language, _expected, ref = case
        lang = primary(language)
        key = (lang, ref)
        start, cpu = time.perf_counter(), time.process_time()
        if key not in parsers:
            settings = {"RELATIVE_BASE": ref} if ref else {}
            try:
                parsers[key] = DateDataParser(languages=[lang] if lang else None, settings=settings)
            except ValueError:  # a language dateparser does not know
                parsers[key] = DateDataParser(settings=settings)
        found = parsers[key].get_date_data(value).date_obj
        return found, _elapsed(start, cpu)

    return parse


def dateutil_tool() -> Callable[[Case], tuple[Any, tuple[float, float]]]:
    from dateutil import parser

    def parse(case: Case) -> tuple[Any, tuple[float, float]]:
        _set, value, _language, _expected, ref = case
        start, cpu = time.perf_counter(), time.process_time()
        try:
            found = parser.parse(value, default=ref or datetime(1900, 1, 1))
        except (ValueError, OverflowError, TypeError):
            found = None
        return found, _elapsed(start, cpu)

    return parse


_FRACTION = re.compile(r"(T\d{2}:\d{2}:\d{2})[.,]\d+")


def right(got: Any, expected: str) -> bool:
    """metanorm's string exactly; a library's datetime at the expected precision. Both to
    the second at most: dateparser_cases.jsonl holds dateparser's datetimes
    (`13:11:23.678000`), and a canonical date stops at the second, as the other sets do."""
    expected = _FRACTION.sub(r"\1", expected)
    if isinstance(got, str) or got is None:
        if not isinstance(got, str):
            return False
        return field_matches("published", expected, got) or same_instant(got, expected)
    formats = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d", 16: "%Y-%m-%dT%H:%M"}
    base = expected[:19] if len(expected) >= 19 and expected[16] == ":" else expected[:16]
    base = base if len(base) in (16, 19) else expected[:10] if len(expected) > 10 else expected
    text = got.strftime(formats.get(len(base), "%Y-%m-%dT%H:%M:%S"))
    if f"{got.year:04d}" != text[:4]:
        text = f"{got.year:04d}" + text[4:]
    offset = expected[len(base) :]
    if offset:
        if got.tzinfo is None:
            return False
        text += got.strftime("%z")[:3] + ":" + got.strftime("%z")[3:]
    return text.replace("+00:00", "Z") == (base + offset).replace("+00:00", "Z")


def main() -> None:
    shared = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    )
    warnings.simplefilter("ignore")  # dateutil warns about every zone name it does not know
    rows = cases(shared)
    tools: dict[str, Callable[[Case], tuple[Any, tuple[float, float]]]] = {
        "metanorm (grammar)": metanorm_tool(fallback=False),
    }
    try:
        tools["metanorm (+ fallback)"] = metanorm_tool(fallback=True)
        tools["dateparser (language)"] = dateparser_tool()
    except ImportError:
        print("dateparser is not installed (pip install dateparser): its rows are left out")
    tools["dateutil"] = dateutil_tool()
    sets = list(dict.fromkeys(r[0] for r in rows))
    print(f"{len(rows)} dates: " + ", ".join(f"{s} {sum(r[0] == s for r in rows)}" for s in sets))
    header = f"{'tool':24s} " + " ".join(f"{s[:16]:>16s}" for s in sets)
    print(
        f"{header} {'all':>7s} {'median µs':>10s} {'mean µs':>9s} {'CPU median µs':>13s}"
        f" {'first pass s':>12s}"
    )
    for name, tool in tools.items():
        started = time.perf_counter()
        for case in rows:  # one untimed pass: lazy tables, imports
            tool(case)
        first = time.perf_counter() - started
        times, cpus, hits = [], [], {s: 0 for s in sets}
        for case in rows:
            got, (micros, cpu) = tool(case)
            times.append(micros)
            cpus.append(cpu)
            hits[case[0]] += right(got, case[3])
        rates = " ".join(f"{hits[s] / sum(r[0] == s for r in rows):16.1%}" for s in sets)
        total = sum(hits.values()) / len(rows)
        median, mean = statistics.median(times), statistics.fmean(times)
        cpu = statistics.median(cpus)
        print(
            f"{name:24s} {rates} {total:7.1%} {median:10.1f} {mean:9.1f} {cpu:13.1f} {first:12.2f}"
        )


if __name__ == "__main__":
    main()
