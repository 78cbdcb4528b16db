"""Apache Spark: the same normalization over a DataFrame or a JSONL dataset, in parallel.

Install the extra (`pip install 'metanorm[spark]'`: pyspark 4 with Arrow and the Spark
Connect client) on the driver and the executors, then:

    from normalize.spark import normalize_dataframe, normalize_jsonl

    run = normalize_jsonl(spark, "in.jsonl", "out/", "errors/", rules=["my_rules/"])
    print(run.lines, run.records, run.errors)     # lines = records + errors

    frames = normalize_dataframe(spark.read.text("in.jsonl"), output="columns")
    frames.records.select("id", "language", "published", "places.name").show()
    frames.errors.show()                           # row, reason, raw

Everything goes through the DataFrame API (`mapInArrow`, then Spark SQL), so the same
calls run on a classic session, a Spark Connect session (Databricks shared clusters,
`SparkSession.builder.remote(...)`) and a streaming DataFrame (`spark.readStream`). The
rules are loaded, validated and compiled once, on the driver; the compiled Normalizer
travels inside the job, and each executor's Python worker unpickles it once and reuses it
for every task it runs, so executors need no rule files.

Every output record is serialized with `normalize.record.dumps`, and a text row is parsed
with the CLI's own line parser, so `normalize_jsonl`'s part files, concatenated in name
order, are byte-identical to `metanorm --on-error skip in.jsonl`, record for record and in
input order (Spark's line reader decodes invalid UTF-8 as U+FFFD where the CLI reports the
line as bad). A row that cannot be normalized goes to the error output (its line or row
number, the reason, the raw text) and the job goes on: input rows = records + errors.

`output="columns"` types the record with `canonical_schema()` (Spark SQL parses the
record's JSON with it; the `record` column keeps the exact bytes):

    row            bigint   1-based row (line) number in the input; null when streaming
    id, url, source, language, published, retrieved, title, summary, text   string
                            (a value that is not text in the record: its JSON text)
    authors        array<string>
    places         array<struct<name: string, country: string, geonames_id: bigint>>
    meta           string (JSON), or map<string, string> with meta="map"
    normalization  struct<version: int, ruleset: string, fired: array<string>,
                          warnings: array<struct<code, field, message: string>>,
                          language_confidence: double,
                          changes: array<struct<field, rule, before, after, step: string>>,
                          source_keys: map<string, string>, source_meta: array<string>,
                          source_normalization: string>
    record         string   the canonical record, byte for byte as the CLI writes it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from normalize import spark_rows
from normalize.spark_rows import ERROR, OK, RESULT_DDL

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession
    from pyspark.sql.types import StructType

    from normalize.normalizer import Normalizer

__all__ = [
    "JsonlRun",
    "NormalizedFrames",
    "canonical_schema",
    "normalize_dataframe",
    "normalize_jsonl",
]

TEXT_COLUMNS = (
    "id", "url", "source", "language", "published", "retrieved", "title", "summary", "text",
)  # fmt: skip
FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True)
class JsonlRun:
    """What `normalize_jsonl` did: non-blank input lines = records written + error rows."""

    lines: int
    records: int
    errors: int


@dataclass
class NormalizedFrames:
    """The result of `normalize_dataframe`: canonical records and the rows that failed.

    On a batch DataFrame both come from one cached pass over the input, made when
    `normalize_dataframe` is called (numbering the rows needs each partition's size);
    call `unpersist()` when done. On a streaming DataFrame they are streaming DataFrames (start a query on
    each you need) and nothing is cached.
    """

    records: DataFrame
    errors: DataFrame
    _results: DataFrame | None = None

    def unpersist(self) -> None:
        if self._results is not None:
            self._results.unpersist()


def canonical_schema(meta: str = "json") -> StructType:
    """The Spark schema of a canonical record (`output="columns"`), `meta` as JSON text
    (`"json"`) or as a `map<string, string>` (`"map"`; a value that is not text: its JSON)."""
    from pyspark.sql import types as T

    if meta not in ("json", "map"):
        raise ValueError(f"meta must be 'json' or 'map', not {meta!r}")
    text, strings = T.StringType(), T.ArrayType(T.StringType())
    place = T.StructType(
        [
            T.StructField("name", text),
            T.StructField("country", text),
            T.StructField("geonames_id", T.LongType()),
        ]
    )
    warning = T.StructType([T.StructField(n, text) for n in ("code", "field", "message")])
    change = T.StructType(
        [T.StructField(n, text) for n in ("field", "rule", "before", "after", "step")]
    )
    normalization = T.StructType(
        [
            T.StructField("version", T.IntegerType()),
            T.StructField("ruleset", text),
            T.StructField("fired", strings),
            T.StructField("warnings", T.ArrayType(warning)),
            T.StructField("language_confidence", T.DoubleType()),
            T.StructField("changes", T.ArrayType(change)),
            T.StructField("source_keys", T.MapType(text, text)),
            T.StructField("source_meta", strings),
            T.StructField("source_normalization", text),
        ]
    )
    return T.StructType(
        [
            *(T.StructField(name, text) for name in TEXT_COLUMNS),
            T.StructField("authors", strings),
            T.StructField("places", T.ArrayType(place)),
            T.StructField("meta", text if meta == "json" else T.MapType(text, text)),
            T.StructField("normalization", normalization),
        ]
    )


def _build(
    rules: Sequence[str | Path],
    normalizer: Normalizer | None,
    audit: bool,
    reference_date: str | None,
) -> Normalizer:
    if normalizer is not None:
        return normalizer
    from normalize.normalizer import Normalizer

    return Normalizer(rules=rules, audit=audit, reference_date=reference_date)


def _text_column(df: DataFrame, column: str | None) -> str | None:
    """The column of JSON text: the one named, or a DataFrame's only string column."""
    from pyspark.sql import types as T

    if column is None and len(df.schema.fields) == 1:
        only = df.schema.fields[0]
        if isinstance(only.dataType, T.StringType):
            return only.name
    return column


def _results(
    df: DataFrame, normalizer: Normalizer, column: str | None, source: str, drop_nulls: bool
) -> DataFrame:
    """One result row per input row (see `normalize.spark_rows`), in the input's order."""
    shipped = spark_rows.payload(normalizer)
    column = _text_column(df, column)
    if column is not None:
        strip_bom = not df.isStreaming
        batches = partial(
            spark_rows.text_batches,
            shipped=shipped,
            column=column,
            source=source,
            strip_bom=strip_bom,
        )
        return df.select(column).mapInArrow(batches, RESULT_DDL)
    rows = partial(spark_rows.row_batches, shipped=shipped, drop_nulls=drop_nulls)
    return df.mapInArrow(rows, RESULT_DDL)


def _row_numbers(results: DataFrame) -> tuple[Column, dict[int, int]]:
    """The 1-based row number of each result (input order), and the count per status.

    Rows are numbered within their partition by the executors; a partition's first number
    follows from the sizes of the partitions before it (one small aggregation)."""
    from pyspark.sql import functions as F

    sizes: dict[int, int] = {}
    statuses: dict[int, int] = {}
    for row in results.groupBy("_part", "_status").count().collect():
        sizes[row["_part"]] = sizes.get(row["_part"], 0) + row["count"]
        statuses[row["_status"]] = statuses.get(row["_status"], 0) + row["count"]
    offsets, total = [], 0
    for part in range(max(sizes, default=-1) + 1):
        offsets.append(total)
        total += sizes.get(part, 0)
    if not offsets:
        return F.lit(None).cast("bigint"), statuses
    first = F.element_at(F.array(*(F.lit(o) for o in offsets)), F.col("_part") + 1)
    return (first + F.col("_index") + 1).cast("bigint"), statuses


def _frames(results: DataFrame, row: Column, output: str, meta: str) -> tuple[DataFrame, DataFrame]:
    from pyspark.sql import functions as F

    good = results.filter(F.col("_status") == OK)
    if output == "json":
        records = good.select(row.alias("row"), "record")
    else:
        typed = F.from_json("record", canonical_schema(meta))
        records = good.select(row.alias("row"), typed.alias("_r"), "record").select(
            "row", "_r.*", "record"
        )
    errors = results.filter(F.col("_status") == ERROR).select(row.alias("row"), "reason", "raw")
    return records, errors


def normalize_dataframe(
    df: DataFrame,
    rules: Sequence[str | Path] = (),
    *,
    column: str | None = None,
    output: str = "json",
    meta: str = "json",
    normalizer: Normalizer | None = None,
    audit: bool = False,
    reference_date: str | None = None,
    drop_nulls: bool = True,
) -> NormalizedFrames:
    """Normalize every row of a DataFrame (batch or streaming); failures go to `errors`.

    Input rows are either JSON text (the `column` named, or a DataFrame whose only column is
    a string, such as `spark.read.text(path)`: parsed exactly as the CLI parses a line), or
    structured rows (each row is a record: structs and maps as objects, timestamps and dates
    as ISO 8601, NaN as missing; nulls are dropped when `drop_nulls`, since Spark reads a
    missing field as null). A null or blank text row is skipped, as the CLI skips a blank
    line, but counts in the row numbers.

    `output="json"` gives columns `row` and `record` (the canonical record, serialized byte
    for byte as the CLI writes it); `output="columns"` gives `row`, the typed columns of
    `canonical_schema(meta)` and `record`. `errors` has `row`, `reason`, `raw`. Rows keep
    the input order; `records.orderBy("row")` restores it after any shuffle.
    """
    if output not in ("json", "columns"):
        raise ValueError(f"output must be 'json' or 'columns', not {output!r}")
    canonical_schema(meta)  # refuse a bad `meta` before any work
    built = _build(rules, normalizer, audit, reference_date)
    results = _results(df, built, column, f"row {column or 'record'}", drop_nulls)
    if df.isStreaming:
        from pyspark.sql import functions as F

        records, errors = _frames(results, F.lit(None).cast("bigint"), output, meta)
        return NormalizedFrames(records, errors)
    results = results.persist()
    row, _ = _row_numbers(results)
    records, errors = _frames(results, row, output, meta)
    return NormalizedFrames(records, errors, results)


def normalize_jsonl(
    spark: SparkSession,
    input_path: str,
    output_path: str,
    error_path: str,
    rules: Sequence[str | Path] = (),
    *,
    normalizer: Normalizer | None = None,
    audit: bool = False,
    reference_date: str | None = None,
    format: str = "jsonl",
    meta: str = "json",
    compress: bool = False,
) -> JsonlRun:
    """Normalize a JSONL dataset (a file, `.gz` included, or a folder) into two folders.

    `format="jsonl"`: `output_path` receives the canonical records as JSONL part files;
    concatenated in name order they equal the CLI's output for the same input.
    `format="parquet"`: the records as Parquet, typed by `canonical_schema(meta)` with `row`
    (the input line) first and `record` (the CLI's bytes) last. Lines that are not records
    or fail go to `error_path` as JSONL `{"line", "reason", "raw"}` (`line` is the physical
    line number, as the CLI reports it for one file). Both folders must not exist yet.
    `compress` gzips the JSONL part files (Parquet is compressed by Spark's default codec).
    Input splits follow Spark's settings (`spark.sql.files.maxPartitionBytes`); order is
    kept within a file, and a folder's files come in Spark's order.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    from pyspark.sql import functions as F

    built = _build(rules, normalizer, audit, reference_date)
    lines = spark.read.text(str(input_path), lineSep="\n")
    results = _results(lines, built, "value", str(input_path), drop_nulls=True).persist()
    try:
        row, counts = _row_numbers(results)
        records, errors = _frames(results, row, "json" if format == "jsonl" else "columns", meta)
        if format == "jsonl":
            writer = records.select("record").write
            (writer.option("compression", "gzip") if compress else writer).text(str(output_path))
        else:
            records.write.parquet(str(output_path))
        errors_json = errors.select(
            F.to_json(F.struct(F.col("row").alias("line"), "reason", "raw")).alias("value")
        )
        writer = errors_json.write
        (writer.option("compression", "gzip") if compress else writer).text(str(error_path))
    finally:
        results.unpersist()
    ok, bad = counts.get(OK, 0), counts.get(ERROR, 0)
    return JsonlRun(lines=ok + bad, records=ok, errors=bad)
