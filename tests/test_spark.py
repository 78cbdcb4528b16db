"""Spark (local mode) gives the CLI's bytes, record for record, in order, with every row accounted.

Needs pyspark (`pip install -e '.[spark]'`) and Java 17; skipped with a message otherwise,
unless METANORM_REQUIRE_SPARK=1 (as in CI), where their absence fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from normalize.cli import EXIT_OK, main

REPO = Path(__file__).resolve().parents[1]
REQUIRED = os.environ.get("METANORM_REQUIRE_SPARK") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"METANORM_REQUIRE_SPARK=1 but {reason}", pytrace=False)
    pytest.skip(
        f"{reason}: Spark tests skipped (pip install -e '.[spark]')", allow_module_level=True
    )


try:
    import pyspark  # noqa: F401
except ImportError:
    _unavailable("pyspark is not importable")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    _unavailable("no Java runtime (java not on PATH, JAVA_HOME unset)")

from normalize.spark import normalize_dataframe, normalize_jsonl  # noqa: E402

BAD_LINES = ["{not json", "[1, 2]", ""]  # a blank line is neither a record nor an error


@pytest.fixture(scope="module")
def spark():
    """One local[2] session for the module: small, no UI, workers importing this checkout."""
    from pyspark.sql import SparkSession

    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("metanorm-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def normalizer():
    """Built once for the module (the functions would otherwise build one per call)."""
    from normalize import Normalizer

    return Normalizer()


@pytest.fixture(scope="module")
def dev_input(shared_dir, tmp_path_factory) -> Path:
    """The dev corpus's input records as JSONL, with bad and blank lines among them."""
    lines = []
    with (shared_dir / "corpus" / "dev.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                lines.append(json.dumps(json.loads(line)["input"], ensure_ascii=False))
    for offset, bad in zip((5, 120, 300), BAD_LINES, strict=True):
        lines.insert(offset, bad)
    path = tmp_path_factory.mktemp("spark") / "dev-input.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cli_output(dev_input, tmp_path_factory) -> tuple[bytes, dict[int, str]]:
    """The CLI's output bytes and its bad lines (number → reason) for the same input."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("cli") / "out.jsonl"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([str(dev_input), "-o", str(out), "--on-error", "skip", "--no-progress"])
    assert code == EXIT_OK, err.getvalue()
    bad = {}
    for message in err.getvalue().splitlines():
        match = re.match(rf"{re.escape(str(dev_input))}:(\d+): (.*) \(skipped\)$", message)
        if match:
            bad[int(match.group(1))] = match.group(2)
    return out.read_bytes(), bad


def _part_files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*")))


def test_jsonl_output_is_byte_identical_to_the_cli(
    spark, normalizer, dev_input, cli_output, tmp_path
):
    expected, bad = cli_output
    run = normalize_jsonl(
        spark,
        str(dev_input),
        str(tmp_path / "out"),
        str(tmp_path / "errors"),
        normalizer=normalizer,
        partitions=4,
    )
    assert len(list((tmp_path / "out").glob("part-*"))) >= 2  # order is kept across partitions
    got = _part_files(tmp_path / "out")
    assert got.splitlines() == expected.splitlines()  # record for record, same order
    assert got == expected
    errors = [json.loads(line) for line in _part_files(tmp_path / "errors").splitlines()]
    assert {e["line"]: e["reason"] for e in errors} == bad
    assert sorted(e["raw"] for e in errors) == sorted(b for b in BAD_LINES if b)
    non_blank = sum(1 for line in dev_input.read_bytes().splitlines() if line.strip())
    assert (run.lines, run.records, run.errors) == (non_blank, len(expected.splitlines()), len(bad))


def test_dataframe_of_json_text_matches_the_cli(spark, normalizer, dev_input, cli_output):
    expected, bad = cli_output
    frames = normalize_dataframe(
        spark.read.text(str(dev_input)), output="columns", normalizer=normalizer
    )
    try:
        rows = frames.records.collect()
        errors = {e.row: e.reason for e in frames.errors.collect()}
    finally:
        frames.unpersist()
    assert [r.record.encode("utf-8") for r in rows] == expected.splitlines()  # same bytes, order
    assert [r.row for r in rows] == sorted(r.row for r in rows)
    assert errors == bad
    for row, line in zip(rows, expected.splitlines(), strict=True):
        record = json.loads(line)
        for name in ("id", "language", "published", "title", "text"):
            value = record[name]
            compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            as_column = value if value is None or isinstance(value, str) else compact
            assert getattr(row, name) == as_column
        assert [p.name for p in row.places] == [p.get("name") for p in record["places"]]
        assert json.loads(row.meta) == record["meta"]
        assert json.loads(row.normalization) == record["normalization"]


def test_structured_rows_are_records(spark, normalizer):
    from normalize.record import dumps

    rows = [
        {
            "headline": "Kiev talks",
            "body": "Subscribe\nTalks in Kiev resumed.",
            "date": "28.01.2022",
        },
        {"headline": "Second", "body": "Nothing to repair here.", "date": None},
    ]
    frames = normalize_dataframe(
        spark.createDataFrame(rows, "headline string, body string, date string"),
        normalizer=normalizer,
    )
    try:
        got = [r.record for r in frames.records.collect()]
        assert frames.errors.count() == 0
    finally:
        frames.unpersist()
    clean = [{k: v for k, v in row.items() if v is not None} for row in rows]
    assert got == [dumps(normalizer.normalize(r)) for r in clean]
