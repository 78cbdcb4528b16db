"""pandas: a DataFrame of scraped records in, a DataFrame of canonical records out.

    pip install 'metanorm[pandas]'

    import pandas as pd
    from normalize.pandas import normalize_frame

    frame = pd.read_json("in.jsonl", lines=True)
    canonical = normalize_frame(frame, mapping={"title": "headline_text"})
    canonical[["id", "language", "published", "title"]]
    canonical["warnings"].map(len).sum()

    frame["title"].map(normalize.fix_text)   # one column: the per-value functions

Each row is one record, read as a data engineer means it: a missing value (`NaN`, `None`,
`pd.NA`, `NaT`) is an absent field, never a `NaN` in the output; timestamps and dates
become ISO 8601 text (read by the dates stage like any date); numpy scalars become plain
numbers, and an integer column that pandas widened to float for its gaps gives integers
again. The rows then go through the same `Normalizer` as the CLI's records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from normalize.record import CANONICAL_FIELDS, OUTPUT_KEYS
from normalize.values import default_normalizer, is_missing, json_scalar

if TYPE_CHECKING:
    from normalize.normalizer import Normalizer

__all__ = ["normalize_frame", "record_of"]


def normalize_frame(
    df: pd.DataFrame,
    mapping: Mapping[str, str] | None = None,
    explain: bool = False,
    *,
    normalizer: Normalizer | None = None,
) -> pd.DataFrame:
    """Every row normalized: the canonical columns in the spec's order, then `warnings`
    (each row's list of `{code, field, message}`), then with `explain` a `changes` column
    (each change: field, rule, before, after). The index is kept.

    `mapping` pins input columns to canonical fields (`{"title": "headline_text"}`), for
    names the alias table does not know. A row that cannot be normalized raises
    `ValueError` naming its index label: nothing is dropped silently.
    """
    engine = normalizer if normalizer is not None else default_normalizer()
    renames = _renames(df, mapping or {})
    columns = [*OUTPUT_KEYS, "warnings", *(["changes"] if explain else [])]
    rows = []
    for label, record in zip(df.index, _records(df, renames), strict=True):
        try:
            explained = engine.explain(record)
        except Exception as exc:
            raise ValueError(f"row {label!r}: normalization failed: {exc}") from exc
        row = dict(explained.output)
        row["warnings"] = row["normalization"]["warnings"]
        if explain:
            row["changes"] = [change.as_dict() for change in explained.changes]
        rows.append([row.get(name) for name in columns])
    return pd.DataFrame(rows, index=df.index, columns=columns, dtype=object)


def _renames(df: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, str]:
    """Input column → canonical name, checked against the frame."""
    renames = {}
    for canonical, column in mapping.items():
        if canonical not in CANONICAL_FIELDS:
            raise ValueError(
                f"mapping: {canonical!r} is not a canonical field ({', '.join(CANONICAL_FIELDS)})"
            )
        if column not in df.columns:
            raise ValueError(f"mapping: the frame has no column {column!r} (for {canonical})")
        if canonical in df.columns and canonical != column and canonical not in mapping.values():
            raise ValueError(
                f"mapping: {canonical} = {column!r}, but the frame also has a {canonical!r} "
                "column; rename or drop one"
            )
        renames[column] = canonical
    return renames


def _records(df: pd.DataFrame, renames: Mapping[str, str]) -> Any:
    names = [renames.get(str(column), str(column)) for column in df.columns]
    widened = [_widened_integers(df[column]) for column in df.columns]
    for values in df.itertuples(index=False, name=None):
        yield {
            name: int(value) if wide else record_of(value)
            for name, value, wide in zip(names, values, widened, strict=True)
            if not is_missing(value)
        }


def _widened_integers(column: pd.Series) -> bool:
    """A float column that holds integers and gaps: pandas widened an integer column to
    float to hold NaN (`[512, NaN]`), so its numbers are written back as integers."""
    if column.dtype.kind != "f" or not column.isna().any():
        return False
    present = column.dropna()
    return bool(len(present)) and bool((present == present.round()).all())


def record_of(value: Any) -> Any:
    """A cell as JSON holds it: numpy scalars → Python, timestamps → ISO 8601, arrays →
    lists; missing values inside lists and dicts → None."""
    if is_missing(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): record_of(v) for k, v in value.items()}
    if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
        return [record_of(v) for v in value]
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()  # numpy scalar → int, float, bool, str
        if is_missing(value):
            return None
    return json_scalar(value)
