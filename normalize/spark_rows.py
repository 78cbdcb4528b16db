"""The executor side of `normalize.spark`: Arrow batches in, one result row per input row out.

Runs inside Spark's Python workers through `DataFrame.mapInArrow`, which classic Spark,
Spark Connect and Structured Streaming all offer. Each input row gives one result row:
`_part` and `_index` (where the row sat: partition, position in it), `_status` (record,
error or blank), `record` (the canonical record, serialized byte for byte as the CLI
writes it), or `reason` and `raw` for a row that is not a record.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from normalize.values import json_scalar

if TYPE_CHECKING:
    import pyarrow as pa

    from normalize.normalizer import Normalizer

OK, ERROR, BLANK = 0, 1, 2
RESULT_DDL = "_part int, _index bigint, _status tinyint, record string, reason string, raw string"

# one result: partition, index, status, record, reason, raw
Row = tuple[int, int, int, str | None, str | None, str | None]
_NORMALIZERS: dict[str, Normalizer] = {}  # per Python worker: unpickled once, reused by tasks


def payload(normalizer: Normalizer) -> tuple[str, bytes]:
    """The Normalizer as it travels inside the job: its pickle, and a key naming it."""
    blob = pickle.dumps(normalizer, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(blob).hexdigest(), blob


def _normalizer(shipped: tuple[str, bytes]) -> Normalizer:
    key, blob = shipped
    found = _NORMALIZERS.get(key)
    if found is None:
        found = _NORMALIZERS[key] = pickle.loads(blob)  # the job's own pickle
    return found


def _result_schema() -> pa.Schema:
    import pyarrow as pa

    fields: list[pa.Field] = [
        pa.field("_part", pa.int32()),
        pa.field("_index", pa.int64()),
        pa.field("_status", pa.int8()),
        *(pa.field(name, pa.string()) for name in ("record", "reason", "raw")),
    ]
    return pa.schema(fields)


def _partition() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.partitionId() if context is not None else 0


def text_batches(
    batches: Iterator[pa.RecordBatch],
    shipped: tuple[str, bytes],
    column: str,
    source: str,
    strip_bom: bool,
) -> Iterator[pa.RecordBatch]:
    """JSON text rows (a line each), parsed and normalized exactly as the CLI does a line."""
    import pyarrow as pa

    from normalize.engine import normalize_raw
    from normalize.jsonl import RawLine

    normalizer = _normalizer(shipped)
    schema, part, index = _result_schema(), _partition(), 0
    for batch in batches:
        rows: list[Row] = []
        for text in batch.column(column).to_pylist():
            text = (text or "").removesuffix("\r")
            if strip_bom and part == 0 and index == 0:
                text = text.removeprefix("\ufeff")
            body = text.encode("utf-8", errors="surrogatepass")
            if not body.strip():
                rows.append((part, index, BLANK, None, None, None))
            else:
                line = RawLine(source, index + 1, body, len(body) + 1)
                result = normalize_raw(normalizer, line)
                if result.output is not None:
                    rows.append((part, index, OK, result.output.decode("utf-8"), None, None))
                else:
                    rows.append((part, index, ERROR, None, result.error or "not a record", text))
            index += 1
        yield _batch(pa, schema, rows)


def row_batches(
    batches: Iterator[pa.RecordBatch], shipped: tuple[str, bytes], drop_nulls: bool
) -> Iterator[pa.RecordBatch]:
    """Structured rows: each row is a record (maps as objects, timestamps as ISO 8601)."""
    import pyarrow as pa

    from normalize.record import dumps

    normalizer = _normalizer(shipped)
    schema, part, index = _result_schema(), _partition(), 0
    for batch in batches:
        rows: list[Row] = []
        for record in python_rows(batch):
            if drop_nulls:
                record = without_nulls(record)
            try:
                line = dumps(normalizer.normalize(record))
                rows.append((part, index, OK, line, None, None))
            except RecursionError:
                reason = "record nested too deeply to normalize"
                rows.append((part, index, ERROR, None, reason, _raw(record)))
            except Exception as exc:  # reported with its row, never swallowed
                reason = f"normalization failed: {type(exc).__name__}: {exc}"
                rows.append((part, index, ERROR, None, reason, _raw(record)))
            index += 1
        yield _batch(pa, schema, rows)


def _batch(pa: Any, schema: pa.Schema, rows: list[Row]) -> pa.RecordBatch:
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(list(values), type=field.type)
            for values, field in zip(columns, schema, strict=True)
        ],
        schema=schema,
    )


def python_rows(batch: pa.RecordBatch) -> Iterator[dict[str, Any]]:
    """A batch's rows as plain JSON-like dicts, read by their Arrow types."""
    columns = [
        [plain(value, field.type) for value in batch.column(i).to_pylist()]
        for i, field in enumerate(batch.schema)
    ]
    names = batch.schema.names
    for values in zip(*columns, strict=True):
        yield dict(zip(names, values, strict=True))


def plain(value: Any, arrow_type: Any) -> Any:
    """One Arrow value as JSON would hold it: maps → objects, times → ISO 8601 text,
    decimals → numbers, NaN → None (a missing value, as a data engineer means it)."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_map(arrow_type):
        return {str(k): plain(v, arrow_type.item_type) for k, v in value}
    if pa.types.is_struct(arrow_type):
        return {f.name: plain(value.get(f.name), f.type) for f in arrow_type}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [plain(v, arrow_type.value_type) for v in value]
    return json_scalar(value)


def without_nulls(value: Any) -> Any:
    """Spark has no "absent": a field missing from a JSON line reads back as null."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)
