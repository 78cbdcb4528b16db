"""Apache Spark: the same normalization over a DataFrame or a JSONL dataset, in parallel.

Install the extra (`pip install 'metanorm[spark]'`) on the driver and the executors, then:

    from normalize.spark import normalize_dataframe, normalize_jsonl

    run = normalize_jsonl(spark, "in.jsonl", "out/", "errors/", rules=["my_rules/"])
    print(run.lines, run.records, run.errors)     # lines = records + errors

    frames = normalize_dataframe(spark.read.text("in.jsonl"), output="columns")
    frames.records.select("id", "language", "published").show()
    frames.errors.show()                           # row, reason, raw

The rules are loaded, validated and compiled once, on the driver; the compiled Normalizer
(it pickles) travels with the job as a broadcast variable, and each executor's Python worker
unpickles it once and reuses it for every partition it runs, so executors need no rule files.

Every output record is serialized with `normalize.record.dumps` and parsed with the CLI's
own line parser, so `normalize_jsonl`'s part files, concatenated in name order, are
byte-identical to `metanorm --on-error skip in.jsonl`, record for record and in input order
(Spark's line reader decodes invalid UTF-8 as U+FFFD where the CLI reports the line as bad).
A row that cannot be normalized goes to the error output (its line or row number, the
reason, the raw text) and the job goes on: input rows = records + errors, always.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from normalize.record import CANONICAL_FIELDS, dumps

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

    from normalize.normalizer import Normalizer

__all__ = ["JsonlRun", "NormalizedFrames", "normalize_dataframe", "normalize_jsonl"]

_OK, _ERROR = 0, 1
_TEXT_FIELDS = tuple(name for name in CANONICAL_FIELDS if name != "places")
_GZIP = "org.apache.hadoop.io.compress.GzipCodec"


@dataclass(frozen=True)
class JsonlRun:
    """What `normalize_jsonl` did: non-blank input lines = records written + error rows."""

    lines: int
    records: int
    errors: int


@dataclass
class NormalizedFrames:
    """The result of `normalize_dataframe`: canonical records and the rows that failed.

    Both frames come from one cached pass over the input; call `unpersist()` when done.
    """

    records: DataFrame
    errors: DataFrame
    _cached: RDD

    def unpersist(self) -> None:
        self._cached.unpersist()


# --- executor side -----------------------------------------------------------------------


def _line_results(
    pairs: Iterable[tuple[str, int]], shared: Broadcast, source: str
) -> Iterator[tuple[int, int, str, str | None]]:
    """(line, _OK, record JSON, None) or (line, _ERROR, reason, raw) for each non-blank line.

    `shared.value` is unpickled once per Python worker (PySpark keeps broadcast values per
    process), so the Normalizer is built once per executor process, not per partition.
    """
    from normalize.engine import normalize_raw
    from normalize.jsonl import RawLine

    normalizer = shared.value
    for text, index in pairs:
        if index == 0 and text.startswith("\ufeff"):
            text = text[1:]
        body = text.encode("utf-8", errors="surrogatepass")
        if not body.strip():
            continue
        result = normalize_raw(normalizer, RawLine(source, index + 1, body, len(body) + 1))
        if result.output is not None:
            yield (index + 1, _OK, result.output.decode("utf-8"), None)
        else:
            yield (index + 1, _ERROR, result.error or "not a record", text)


def _row_results(
    pairs: Iterable[tuple[Any, int]], shared: Broadcast, drop_nulls: bool
) -> Iterator[tuple[int, int, str, str | None]]:
    """Like `_line_results`, for rows of a structured DataFrame (each row is a record)."""
    normalizer = shared.value
    for row, index in pairs:
        record = row.asDict(recursive=True)
        if drop_nulls:
            record = _without_nulls(record)
        try:
            output = dumps(normalizer.normalize(record))
        except RecursionError:
            yield (index + 1, _ERROR, "record nested too deeply to normalize", _raw(record))
            continue
        except Exception as exc:  # reported with its row, never swallowed
            reason = f"normalization failed: {type(exc).__name__}: {exc}"
            yield (index + 1, _ERROR, reason, _raw(record))
            continue
        yield (index + 1, _OK, output, None)


def _without_nulls(value: Any) -> Any:
    """Spark has no "absent": a field missing from a JSON line reads back as null."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _raw(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def _columns(row: tuple[int, int, str, str | None]) -> tuple[Any, ...]:
    """A successful result as typed columns (canonical fields, places, meta, normalization)."""
    number, _, line, _ = row
    record = json.loads(line)
    values: list[Any] = [number]
    for name in _TEXT_FIELDS:
        value = record.get(name)
        values.append(value if value is None or isinstance(value, str) else _raw_value(value))
    values.append([_place(p) for p in record.get("places") or []])
    values.append(_raw_value(record.get("meta")))
    values.append(_raw_value(record.get("normalization")))
    values.append(line)
    return tuple(values)


def _raw_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _place(place: Any) -> tuple[str | None, str | None, int | None]:
    if not isinstance(place, dict):
        return (_raw_value(place), None, None)
    geonames = place.get("geonames_id")
    name, country = place.get("name"), place.get("country")
    return (
        name if name is None or isinstance(name, str) else _raw_value(name),
        country if country is None or isinstance(country, str) else _raw_value(country),
        geonames if isinstance(geonames, int) and not isinstance(geonames, bool) else None,
    )


# --- driver side -------------------------------------------------------------------------


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


def _schemas() -> tuple[Any, Any, Any]:
    from pyspark.sql import types as T

    json_schema = T.StructType(
        [T.StructField("row", T.LongType(), False), T.StructField("record", T.StringType(), False)]
    )
    place = T.StructType(
        [
            T.StructField("name", T.StringType()),
            T.StructField("country", T.StringType()),
            T.StructField("geonames_id", T.LongType()),
        ]
    )
    columns_schema = T.StructType(
        [
            T.StructField("row", T.LongType(), False),
            *(T.StructField(name, T.StringType()) for name in _TEXT_FIELDS),
            T.StructField("places", T.ArrayType(place), False),
            T.StructField("meta", T.StringType(), False),
            T.StructField("normalization", T.StringType(), False),
            T.StructField("record", T.StringType(), False),
        ]
    )
    error_schema = T.StructType(
        [
            T.StructField("row", T.LongType(), False),
            T.StructField("reason", T.StringType(), False),
            T.StructField("raw", T.StringType()),
        ]
    )
    return json_schema, columns_schema, error_schema


def normalize_dataframe(
    df: DataFrame,
    rules: Sequence[str | Path] = (),
    *,
    column: str | None = None,
    output: str = "json",
    normalizer: Normalizer | None = None,
    audit: bool = False,
    reference_date: str | None = None,
    drop_nulls: bool = True,
) -> NormalizedFrames:
    """Normalize every row of a DataFrame; failures go to `errors`, never fail the job.

    Input rows are either JSON text (the `column` named, or a DataFrame whose only column is
    a string, such as `spark.read.text(path)`: parsed exactly as the CLI parses a line), or
    structured rows (each row is a record, `Row.asDict(recursive=True)`; nulls are dropped
    when `drop_nulls`, since Spark reads a missing field as null). A null or blank text row
    is skipped, as the CLI skips a blank line.

    `output="json"` gives columns `row` (1-based row number in the DataFrame's order) and
    `record` (the canonical record, serialized byte for byte as the CLI writes it).
    `output="columns"` gives `row`, the canonical fields as strings (a non-string value as
    its JSON text), `places` (array of name/country/geonames_id structs), `meta` and
    `normalization` as JSON text, and `record`. `errors` has `row`, `reason`, `raw`.
    Rows keep the input order; `records.orderBy("row")` restores it after any shuffle.
    """
    if output not in ("json", "columns"):
        raise ValueError(f"output must be 'json' or 'columns', not {output!r}")
    from pyspark import StorageLevel
    from pyspark.sql import types as T

    spark = df.sparkSession
    shared = spark.sparkContext.broadcast(_build(rules, normalizer, audit, reference_date))
    if column is None and len(df.schema.fields) == 1:
        only = df.schema.fields[0]
        if isinstance(only.dataType, T.StringType):
            column = only.name
    if column is not None:
        pairs = df.select(column).rdd.map(lambda row: row[0] or "").zipWithIndex()
        results = pairs.mapPartitions(lambda part: _line_results(part, shared, f"row {column}"))
    else:
        pairs = df.rdd.zipWithIndex()
        results = pairs.mapPartitions(lambda part: _row_results(part, shared, drop_nulls))
    results = results.persist(StorageLevel.MEMORY_AND_DISK)
    json_schema, columns_schema, error_schema = _schemas()
    good = results.filter(lambda r: r[1] == _OK)
    if output == "json":
        records = spark.createDataFrame(good.map(lambda r: (r[0], r[2])), json_schema)
    else:
        records = spark.createDataFrame(good.map(_columns), columns_schema)
    bad = results.filter(lambda r: r[1] == _ERROR).map(lambda r: (r[0], r[2], r[3]))
    errors = spark.createDataFrame(bad, error_schema)
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
    partitions: int | None = None,
    compress: bool = False,
) -> JsonlRun:
    """Normalize a JSONL dataset (a file, `.gz` included, or a folder) into two folders.

    `output_path` receives the canonical records as JSONL part files (`part-00000`, …);
    concatenated in name order they equal the CLI's output for the same input. Lines that
    are not records or fail go to `error_path` as JSONL `{"line", "reason", "raw"}` (`line`
    is the physical line number, as the CLI reports it). Both folders must not exist yet.
    `partitions` is the minimum number of input splits; `compress` gzips the part files.
    Order is kept within a file; a folder's files are read in Spark's listing order.
    """
    from pyspark import StorageLevel

    sc = spark.sparkContext
    shared = sc.broadcast(_build(rules, normalizer, audit, reference_date))
    source = str(input_path)
    lines = sc.textFile(source, minPartitions=partitions) if partitions else sc.textFile(source)
    results = lines.zipWithIndex().mapPartitions(lambda part: _line_results(part, shared, source))
    results = results.persist(StorageLevel.MEMORY_AND_DISK)
    codec = _GZIP if compress else None
    try:
        good = results.filter(lambda r: r[1] == _OK).map(lambda r: r[2])
        good.saveAsTextFile(str(output_path), compressionCodecClass=codec)
        bad = results.filter(lambda r: r[1] == _ERROR).map(
            lambda r: json.dumps({"line": r[0], "reason": r[2], "raw": r[3]}, ensure_ascii=False)
        )
        bad.saveAsTextFile(str(error_path), compressionCodecClass=codec)
        counts = results.map(lambda r: r[1]).countByValue()
    finally:
        results.unpersist()
        shared.unpersist()
    records, errors = counts.get(_OK, 0), counts.get(_ERROR, 0)
    return JsonlRun(lines=records + errors, records=records, errors=errors)
