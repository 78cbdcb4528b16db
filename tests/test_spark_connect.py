"""Spark Connect: the same functions, unchanged, on a remote-style session (as Databricks
shared clusters and Spark 4 remote sessions run), against a local in-process Connect
server. One session for the module; it runs after the classic module has stopped its
session (a process holds one or the other)."""

from __future__ import annotations

import json
import os

import pytest
from spark_common import (
    SESSION_CONF,
    check_columns,
    local_environment,
    part_files,
    require_spark,
)

pytest_plugins = ["spark_common"]  # the shared fixtures: dev_input, cli_output
require_spark()

from normalize.spark import normalize_dataframe, normalize_jsonl  # noqa: E402

_CONNECT_ENV = ("SPARK_CONNECT_MODE_ENABLED", "SPARK_LOCAL_REMOTE", "SPARK_REMOTE")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    local_environment()
    saved = {name: os.environ.get(name) for name in _CONNECT_ENV}
    builder = SparkSession.builder.remote("local[2]").appName("metanorm-connect-test")
    for key, value in SESSION_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    assert type(session).__module__.startswith("pyspark.sql.connect")
    yield session
    session.stop()
    for name, value in saved.items():  # later modules get a classic environment back
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def test_jsonl_over_connect_is_byte_identical_to_the_cli(spark, dev_input, cli_output, tmp_path):
    expected, bad = cli_output
    run = normalize_jsonl(spark, str(dev_input), str(tmp_path / "out"), str(tmp_path / "errors"))
    assert part_files(tmp_path / "out") == expected
    errors = [json.loads(line) for line in part_files(tmp_path / "errors").splitlines()]
    assert {e["line"]: e["reason"] for e in errors} == bad
    assert (run.records, run.errors) == (len(expected.splitlines()), len(bad))


def test_dataframe_columns_over_connect_match_the_cli(spark, dev_input, cli_output):
    expected, bad = cli_output
    frames = normalize_dataframe(spark.read.text(str(dev_input)), output="columns")
    try:
        rows = frames.records.collect()
        errors = {e.row: e.reason for e in frames.errors.collect()}
    finally:
        frames.unpersist()
    check_columns(rows, expected)
    assert errors == bad


def test_streaming_over_connect(spark, dev_input, cli_output, tmp_path):
    expected, _ = cli_output
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.jsonl").write_bytes(dev_input.read_bytes())
    frames = normalize_dataframe(spark.readStream.text(str(inbox)))
    query = (
        frames.records.select("record")
        .writeStream.format("text")
        .option("checkpointLocation", str(tmp_path / "ck"))
        .trigger(availableNow=True)
        .start(str(tmp_path / "records"))
    )
    query.awaitTermination(180)
    assert query.exception() is None
    got = part_files(tmp_path / "records", "part-*.txt")
    assert sorted(got.splitlines()) == sorted(expected.splitlines())
