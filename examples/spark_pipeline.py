"""Normalize a JSONL dataset with Apache Spark (local mode here; any cluster the same way).

    pip install -e '.[spark]'          # pyspark; Spark needs Java 17
    python examples/spark_pipeline.py examples/input.jsonl /tmp/metanorm-spark

Writes `<out>/records/` (canonical JSONL part files, byte-identical to `metanorm`'s output
when concatenated in name order) and `<out>/errors/` (lines that failed: line, reason, raw),
then shows the DataFrame API on the same input: typed columns, and a count by language.
On a cluster, install metanorm on the executors (or ship it with `--py-files`); the rules
travel with the job, compiled on the driver.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from normalize import Normalizer
from normalize.spark import normalize_dataframe, normalize_jsonl


def main(source: str, target: str) -> None:
    # local mode: Python workers must run this interpreter (the one with metanorm installed)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("metanorm-example")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = Path(target)
    shutil.rmtree(out, ignore_errors=True)
    normalizer = Normalizer()  # rules loaded once on the driver; Normalizer(rules=["my_rules/"])

    run = normalize_jsonl(
        spark, source, str(out / "records"), str(out / "errors"), normalizer=normalizer
    )
    print(f"{run.lines} lines: {run.records} records, {run.errors} errors -> {out}")

    frames = normalize_dataframe(spark.read.text(source), output="columns", normalizer=normalizer)
    frames.records.select("row", "id", "language", "published", "title").show(truncate=40)
    frames.records.groupBy("language").count().orderBy("language").show()
    frames.errors.show(truncate=60)
    frames.unpersist()
    spark.stop()


if __name__ == "__main__":
    here = Path(__file__).with_name("input.jsonl")
    main(
        sys.argv[1] if len(sys.argv) > 1 else str(here),
        sys.argv[2] if len(sys.argv) > 2 else "/tmp/metanorm-spark",
    )
