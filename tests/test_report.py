"""`metanorm report`: its figures checked against `--stats` and against counts computed here,
on the synthetic corpus and on a generated 100,000-record file."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from normalize.cli import main
from normalize.report.diffs import diff_hunks
from normalize.report.figures import date_precision
from normalize.report.page import render
from normalize.report.sketch import BottomSample, TopCounter
from normalize.report.svg import Bar, bar_chart, coarsen, histogram


def _dev_inputs(shared_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "dev_inputs.jsonl"
    with open(shared_dir / "corpus" / "dev.jsonl", encoding="utf-8") as cases:
        rows = [json.loads(line)["input"] for line in cases if line.strip()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _report_json(capsys, *args: str) -> dict:
    assert main(["report", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def _stats(capsys, path: Path) -> tuple[int, Counter, Counter]:
    """What `metanorm --stats` prints, parsed: records, rules fired, warnings."""
    assert main(["--stats", "-o", str(path.with_suffix(".out")), str(path)]) == 0
    err = capsys.readouterr().err
    records = int(re.search(r"records: (\d+) normalized", err).group(1))
    fired: Counter = Counter()
    warnings: Counter = Counter()
    target = fired
    for line in err.splitlines():
        if line.startswith("warnings:"):
            target = warnings
        match = re.fullmatch(r"\s+(\d+)\s+(\S+)", line)
        if match:
            target[match.group(2)] = int(match.group(1))
    return records, fired, warnings


def test_dev_report_matches_stats_and_the_audited_output(shared_dir, tmp_path, capsys):
    inputs = _dev_inputs(shared_dir, tmp_path)
    report = _report_json(capsys, str(inputs))
    records, fired, warnings = _stats(capsys, inputs)
    assert report["records"] == records
    assert {r["id"]: r["count"] for r in report["rules"]} == dict(fired)
    assert {w["code"]: w["count"] for w in report["warnings"]} == dict(warnings)
    # counted independently from the audited output
    audited = tmp_path / "audited.jsonl"
    assert main(["--audit", "-o", str(audited), str(inputs)]) == 0
    outputs = [json.loads(line) for line in audited.read_text("utf-8").split("\n") if line]
    assert report["changed"] == sum(1 for o in outputs if o["normalization"]["fired"])
    languages = Counter((o["language"] or "none").split("-")[0] for o in outputs)
    assert dict(report["languages"]["decided"]) == dict(languages)
    places = Counter(p["name"] for o in outputs for p in o["places"])
    assert len(places) <= 50 and dict(report["places"]) == dict(places)
    assert report["fields"]["places"]["after"] == sum(1 for o in outputs if o["places"])
    precision = report["dates"]["precision"]
    undated = precision.get("unparsed", 0) + precision.get("none", 0)
    assert report["dates"]["dated"] + undated == len(outputs)
    inputs_rows = [json.loads(line) for line in inputs.read_text("utf-8").split("\n") if line]
    declared = sum(
        1
        for row in inputs_rows
        if any(row.get(k) for k in ("lang", "language", "locale", "inLanguage"))
    )
    assert report["fields"]["language"]["before"] == declared
    # reading the audited output back gives the same figures, without normalizing again
    again = _report_json(capsys, "--normalized", str(audited))
    for key in ("records", "changed", "fields", "rules", "warnings", "languages", "dates"):
        assert again[key] == report[key], key


def _generated(path: Path, count: int) -> dict[str, int]:
    """`count` small records of known content, every 997th line broken; the true counts."""
    truth: Counter = Counter()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            if i % 997 == 996:
                out.write('{"title": "broken\n')
                truth["bad"] += 1
                continue
            record: dict = {"id": f"r{i}", "text": "The city council met on Monday."}
            record["title"] = "Mayor of Kiev visits the port" if i % 3 == 0 else "Local news"
            truth["kyiv"] += i % 3 == 0
            if i % 4 == 0:
                record["date"] = f"2021-{1 + i % 12:02d}-15"
                truth["dated"] += 1
                truth[f"2021-{1 + i % 12:02d}"] += 1
            if i % 2:
                record["lang"] = "en"
                truth["declared"] += 1
            record["source"] = f"site{i % 5}.example"
            truth[f"site{i % 5}.example"] += 1
            out.write(json.dumps(record) + "\n")
            truth["records"] += 1
    return truth


def test_generated_100k_report_counts_are_exact(tmp_path, capsys):
    data = tmp_path / "gen.jsonl"
    truth = _generated(data, 100_000)
    report = _report_json(capsys, "--jobs", "2", str(data))
    assert report["records"] == truth["records"]
    assert report["bad_lines"] == truth["bad"]
    assert dict(report["places"])["Kyiv"] == truth["kyiv"]
    assert report["dates"]["dated"] == truth["dated"]
    histogram = dict(report["dates"]["histogram"])
    assert histogram == {k: v for k, v in truth.items() if k.startswith("2021-")}
    assert report["fields"]["language"]["before"] == truth["declared"]
    assert report["fields"]["published"]["after"] == truth["dated"]
    assert dict(report["sources"]) == {k: v for k, v in truth.items() if k.startswith("site")}
    assert report["sources_exact"]
    html = render({k: v for k, v in report.items() if k != "run"}, report["run"])
    assert len(html.encode("utf-8")) < 2_000_000
    assert f"{truth['records']:,}" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_top_counter_is_exact_while_small_and_bounded_after():
    counter = TopCounter(capacity=10)
    for key in "aaaaabbbbccc":
        counter.add(key)
    assert counter.exact and counter.most_common() == [("a", 5), ("b", 4), ("c", 3)]
    for i in range(1000):
        counter.add(f"rare{i}")
    assert len(counter) == 10 and not counter.exact
    counter.add("heavy", 200)
    top, count = counter.most_common(1)[0]
    assert top == "heavy" and 200 <= count <= 200 + counter.errors.get("heavy", 0)


def test_bottom_sample_is_deterministic_whatever_the_order():
    keys = [f"file.jsonl:{i}" for i in range(500)]
    first, second = BottomSample(3), BottomSample(3)
    for key in keys:
        first.add(key, key.upper())
    for key in reversed(keys):
        if second.would_keep(key):
            second.add(key, key.upper())
    assert first.items() == second.items() and len(first) == 3


def test_diff_hunks_show_only_what_changed_with_context():
    before = "Intro line\n" + "x" * 500 + " Kiev " + "y" * 500 + "\nlast"
    after = before.replace("Kiev", "Kyiv")
    (hunk,) = diff_hunks(before, after)
    old = "".join(t for op, t in hunk if op != "+")
    new = "".join(t for op, t in hunk if op != "-")
    assert "Kiev" in old and "Kyiv" in new and old.replace("Kiev", "Kyiv") == new
    assert sum(len(t) for _, t in hunk) < 200
    assert diff_hunks("a\nb\nc", "a\nc") == [[("-", "b")]]


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        ("2022", "year"),
        ("2022-01", "month"),
        ("2022-01-28", "day"),
        ("2022-01-28T14:05", "minute"),
        ("2022-01-28T14:05+03:00", "minute"),
        ("2022-01-28T14:05:09Z", "second"),
    ],
)
def test_date_precision(value, precision):
    assert date_precision(value) == precision


def test_bar_chart_has_a_bar_a_label_and_a_value_per_item():
    bars = [Bar("ui.en.subscribe", 120, "#rule-ui.en.subscribe", "rules/ui/en.yaml:3"), Bar("x", 1)]
    svg = bar_chart(bars, "rules fired")
    assert svg.count('class="bar"') == 2 and svg.count('class="label"') == 2
    assert '<a href="#rule-ui.en.subscribe">' in svg and "120 · rules/ui/en.yaml:3" in svg
    assert "<title>x: 1</title>" in svg
    assert "nothing to show" in bar_chart([], "empty")


def test_histogram_coarsens_many_months_to_years():
    months = [(f"{2000 + i // 12}-{1 + i % 12:02d}", 1) for i in range(240)]
    years = coarsen(months)
    assert years[0] == ("2000", 12) and len(years) == 20
    assert coarsen(months[:24]) == months[:24]
    svg = histogram(years, "published")
    assert svg.count('class="bar"') == 20 and 'class="label"' in svg
