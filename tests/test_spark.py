"""Spark (classic local mode): the CLI's bytes, record for record, in order, every row
accounted; typed columns; Parquet; a streaming query over a folder to a file sink."""

from __future__ import annotations

import json

import pytest
from spark_common import (
    BAD_LINES,
    SESSION_CONF,
    check_columns,
    cli_run,
    dev_lines,
    local_environment,
    part_files,
    require_spark,
    write_lines,
)

pytest_plugins = ["spark_common"]  # the shared fixtures: dev_input, cli_output
require_spark()

from normalize.spark import canonical_schema, normalize_dataframe, normalize_jsonl  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    """One local[2] session for the module: small, no UI, loopback only."""
    from pyspark.sql import SparkSession

    local_environment()
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("metanorm-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
    )
    for key, value in SESSION_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def normalizer():
    """Built once for the module (the functions would otherwise build one per call)."""
    from normalize import Normalizer

    return Normalizer()


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
    )
    assert len(list((tmp_path / "out").glob("part-*"))) >= 2  # order is kept across partitions
    got = part_files(tmp_path / "out")
    assert got.splitlines() == expected.splitlines()  # record for record, same order
    assert got == expected
    errors = [json.loads(line) for line in part_files(tmp_path / "errors").splitlines()]
    assert {e["line"]: e["reason"] for e in errors} == bad
    assert sorted(e["raw"] for e in errors) == sorted(b for b in BAD_LINES if b)
    non_blank = sum(1 for line in dev_input.read_bytes().splitlines() if line.strip())
    assert (run.lines, run.records, run.errors) == (non_blank, len(expected.splitlines()), len(bad))


def test_parquet_output_is_typed_and_holds_the_cli_records(
    spark, normalizer, dev_input, cli_output, tmp_path
):
    expected, bad = cli_output
    run = normalize_jsonl(
        spark,
        str(dev_input),
        str(tmp_path / "out"),
        str(tmp_path / "errors"),
        normalizer=normalizer,
        format="parquet",
    )
    table = spark.read.parquet(str(tmp_path / "out"))
    assert table.schema.fieldNames() == ["row", *canonical_schema().fieldNames(), "record"]
    rows = table.orderBy("row").collect()
    check_columns(rows, expected)
    assert not {r.row for r in rows} & set(bad)  # bad lines' numbers are not records'
    assert run.records == len(rows)


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
    check_columns(rows, expected)
    assert [r.row for r in rows] == sorted(r.row for r in rows)
    assert errors == bad
    for row in rows:
        assert json.loads(row.meta) == json.loads(row.record)["meta"]


def test_meta_as_a_map(spark, normalizer):
    frames = normalize_dataframe(
        spark.createDataFrame(
            [('{"title": "x", "section": "World", "tags": [1, 2]}',)], "v string"
        ),
        output="columns",
        meta="map",
        normalizer=normalizer,
    )
    try:
        (row,) = frames.records.collect()
    finally:
        frames.unpersist()
    assert row.meta == {"section": "World", "tags": "[1,2]"}
    with pytest.raises(ValueError, match="meta must be"):
        normalize_dataframe(frames.records, meta="xml")


def test_structured_rows_are_records(spark, normalizer):
    import datetime

    from normalize.record import dumps

    rows = [
        ("Kiev talks", "Subscribe\nTalks in Kiev resumed.", "28.01.2022", None, {"a": "b"}),
        (
            "Second",
            "Nothing to repair here.",
            None,
            datetime.datetime(2022, 1, 28, 14, 5),
            None,
        ),
    ]
    schema = (
        "headline string, body string, date string, created timestamp, extra map<string,string>"
    )
    frames = normalize_dataframe(spark.createDataFrame(rows, schema), normalizer=normalizer)
    try:
        got = [(r.row, r.record) for r in frames.records.collect()]
        assert frames.errors.count() == 0
    finally:
        frames.unpersist()
    clean = [
        {"headline": "Kiev talks", "body": rows[0][1], "date": "28.01.2022", "extra": {"a": "b"}},
        {"headline": "Second", "body": rows[1][1], "created": "2022-01-28T14:05:00+00:00"},
    ]
    assert got == [(i + 1, dumps(normalizer.normalize(r))) for i, r in enumerate(clean)]
    assert json.loads(got[1][1])["published"] == "2022-01-28T14:05:00+00:00"


def test_streaming_query_over_a_folder_to_a_file_sink(spark, normalizer, shared_dir, tmp_path):
    """`readStream` → `normalize_dataframe` → a text sink (trigger availableNow): the
    records the CLI writes for the same files, and its bad lines as errors."""
    lines = dev_lines(shared_dir)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    thirds = [lines[i::3] for i in range(3)]
    expected, reasons = [], []
    for number, chunk in enumerate(thirds):
        path = write_lines(inbox / f"batch-{number}.jsonl", chunk)
        out, bad = cli_run(path, tmp_path / f"cli-{number}.jsonl")
        expected.extend(out.splitlines())
        reasons.extend(bad.values())
    stream = spark.readStream.option("maxFilesPerTrigger", 1).text(str(inbox))
    frames = normalize_dataframe(stream, normalizer=normalizer)
    queries = [
        frames.records.select("record")
        .writeStream.format("text")
        .option("checkpointLocation", str(tmp_path / "ck-records"))
        .trigger(availableNow=True)
        .start(str(tmp_path / "records")),
        frames.errors.writeStream.format("json")
        .option("checkpointLocation", str(tmp_path / "ck-errors"))
        .trigger(availableNow=True)
        .start(str(tmp_path / "errors")),
    ]
    for query in queries:
        assert query.awaitTermination(180)
        assert query.exception() is None
    got = part_files(tmp_path / "records", "part-*.txt").splitlines()
    assert len(got) == len(expected)
    assert sorted(got) == sorted(expected)  # a sink's files carry no order across batches
    errors = [
        json.loads(line) for line in part_files(tmp_path / "errors", "part-*.json").splitlines()
    ]
    assert sorted(e["reason"] for e in errors) == sorted(reasons)
    assert all(e.get("row") is None for e in errors)  # a stream has no row numbers
