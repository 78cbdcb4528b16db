"""What the Spark test modules share: the availability check, the input, the CLI's answer.

The fixtures `dev_input` and `cli_output` are defined here once, for the whole session (the
CLI's answer is computed once for both modules); a module takes them with
`pytest_plugins = ["spark_common"]`.

Needs pyspark (`pip install -e '.[spark]'`) and Java 17; skipped with a message otherwise,
unless METANORM_REQUIRE_SPARK=1 (as in CI), where their absence fails the tests.
"""

from __future__ import annotations

import contextlib
import io
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
BAD_LINES = ["{not json", "[1, 2]", ""]  # a blank line is neither a record nor an error
# small splits, so that the dev input spans several partitions (order must hold across them)
SESSION_CONF = {
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.files.maxPartitionBytes": "65536",
    "spark.sql.files.openCostInBytes": "4096",
    "spark.sql.session.timeZone": "UTC",
}


def require_spark() -> None:
    """Skip the calling module (or fail it, under METANORM_REQUIRE_SPARK=1)."""
    reason = None
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        reason = f"{exc.name} is not importable"
    if reason is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        reason = "no Java runtime (java not on PATH, JAVA_HOME unset)"
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"METANORM_REQUIRE_SPARK=1 but {reason}", pytrace=False)
    pytest.skip(
        f"{reason}: Spark tests skipped (pip install -e '.[spark]')", allow_module_level=True
    )


def local_environment() -> None:
    """Workers run this interpreter and import this checkout; Spark binds to loopback only."""
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"


def dev_lines(shared_dir: Path) -> list[str]:
    """The dev corpus's input records as JSON lines, with bad and blank lines among them."""
    lines = []
    with (shared_dir / "corpus" / "dev.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                lines.append(json.dumps(json.loads(line)["input"], ensure_ascii=False))
    for offset, bad in zip((5, 120, 300), BAD_LINES, strict=True):
        lines.insert(offset, bad)
    return lines


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_run(source: Path, target: Path) -> tuple[bytes, dict[int, str]]:
    """The CLI's output bytes and its bad lines (number → reason) for one input file."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([str(source), "-o", str(target), "--on-error", "skip", "--no-progress"])
    assert code == EXIT_OK, err.getvalue()
    bad = {}
    for message in err.getvalue().splitlines():
        match = re.match(rf"{re.escape(str(source))}:(\d+): (.*) \(skipped\)$", message)
        if match:
            bad[int(match.group(1))] = match.group(2)
    return target.read_bytes(), bad


@pytest.fixture(scope="session")
def dev_input(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev corpus as a Spark input file (bad and blank lines among the records)."""
    return write_lines(tmp_path_factory.mktemp("spark") / "dev-input.jsonl", dev_lines(shared_dir))


@pytest.fixture(scope="session")
def cli_output(
    dev_input: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[bytes, dict[int, str]]:
    """What the CLI makes of `dev_input`: the bytes every Spark path must give."""
    return cli_run(dev_input, tmp_path_factory.mktemp("cli") / "out.jsonl")


def part_files(folder: Path, pattern: str = "part-*") -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob(pattern)))


def check_columns(rows: list, expected: bytes) -> None:
    """Typed columns hold the record's values: text as text, the rest typed or as JSON."""
    lines = expected.splitlines()
    assert [r.record.encode("utf-8") for r in rows] == lines  # same bytes, same order
    for row, line in zip(rows, lines, strict=True):
        record = json.loads(line)
        for name in ("id", "url", "source", "language", "published", "title", "text"):
            value = record[name]
            compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            as_column = value if value is None or isinstance(value, str) else compact
            if isinstance(value, dict | list):
                assert json.loads(getattr(row, name)) == value
            else:
                assert getattr(row, name) == as_column
        assert [p.asDict() for p in row.places] == record["places"]
        normalization = record["normalization"]
        assert row.normalization.version == normalization["version"]
        assert row.normalization.ruleset == normalization["ruleset"]
        assert row.normalization.fired == normalization["fired"]
        assert [w.asDict() for w in row.normalization.warnings] == normalization["warnings"]
        confidence = normalization.get("language_confidence")
        assert row.normalization.language_confidence == confidence
