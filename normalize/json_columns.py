"""Columns in a JSONL line, for `path:line:col:` findings (as ruff and yamllint print them).

A column is 1-based and counts characters. A line that is not JSON has its column where
the parser stopped; a finding about a field points at the start of that field's key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from normalize.normalizer import Normalizer


def error_column(body: bytes) -> int | None:
    """Where a bad line goes wrong: the first byte that is not UTF-8, or the JSON error."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return len(body[: exc.start].decode("utf-8", errors="replace")) + 1
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.colno
    except (ValueError, RecursionError):
        return None
    return None


def key_columns(text: str) -> dict[str, int]:
    """Each top-level key of a JSON object line → the column of its opening quote.

    The last occurrence wins, as `json.loads` keeps the last value of a repeated key.
    Scanning stops at anything unexpected, returning what it found so far."""
    decoder = json.JSONDecoder()
    columns: dict[str, int] = {}
    i = _skip(text, 0)
    if not text.startswith("{", i):
        return columns
    i = _skip(text, i + 1)
    try:
        while text.startswith('"', i):
            key, end = scanstring(text, i + 1)
            columns[key] = i + 1
            i = _skip(text, end)
            if not text.startswith(":", i):
                break
            _, i = decoder.raw_decode(text, _skip(text, i + 1))
            i = _skip(text, i)
            if not text.startswith(",", i):
                break
            i = _skip(text, i + 1)
    except (ValueError, RecursionError):
        pass
    return columns


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


class FieldColumns:
    """The column of a canonical field's input key in one line (found on first ask)."""

    def __init__(self, normalizer: Normalizer, record: Mapping[str, Any], body: bytes) -> None:
        self._normalizer, self._record, self._body = normalizer, record, body
        self._columns: dict[str, int | None] | None = None

    def of(self, field: str) -> int | None:
        if self._columns is None:
            self._columns = self._find()
        return self._columns.get(field)

    def _find(self) -> dict[str, int | None]:
        from normalize.record import split_record

        text = self._body.decode("utf-8", errors="replace")
        by_key = key_columns(text)
        keys = split_record(self._record, self._normalizer.schema).keys
        found: dict[str, int | None] = {name: by_key.get(key) for name, key in keys.items()}
        for key, column in by_key.items():  # fields a canonical input holds under their name
            found.setdefault(key, column)
        return found
