"""How much one field may hold, and the error for a record that holds more.

A broken scraper can write a 2 GB line. Normalizing is linear in a field's size, but a
process that must hold such a field (and its parse, and a copy per stage) can be killed
for memory, losing the whole run. So a field over `max_field_bytes` (64 MB by default,
`--max-field-bytes` on the command line) makes its record a bad input line, reported as
`input.too_large` and handled by `--on-error` like any other; the library raises
`InputTooLarge`. A line longer than twice the limit is not even read into memory: no field
of it can be checked without holding it, so it is refused as it streams past.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DEFAULT_MAX_FIELD_BYTES = 64 * 1024 * 1024
LINE_FACTOR = 2  # a line over LINE_FACTOR × the field limit is refused unread

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class InputTooLarge(ValueError):
    """A record with a field over the configured size limit (`input.too_large`)."""

    code = "input.too_large"


def parse_size(text: str) -> int:
    """`64M`, `512k`, `1G`, `1.5MB` or a plain number of bytes → bytes (binary units)."""
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (e.g. 64M, 512K, 1G, or bytes)")
    number, unit = match.groups()
    return int(float(number) * _UNITS[(unit or "").lower()[:1]])


def describe(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{size:,} bytes"


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8, counted a megabyte of characters at a time (no full copy)."""
    if text.isascii():
        return len(text)
    step = 1 << 20
    return sum(
        len(text[i : i + step].encode("utf-8", "surrogatepass")) for i in range(0, len(text), step)
    )


def value_bytes(value: Any, limit: int) -> int:
    """The UTF-8 size of a value's text (strings within lists and objects summed),
    counted only as far as needed to know it is over `limit`."""
    if isinstance(value, str):
        return len(value) if len(value) > limit else utf8_size(value)
    if isinstance(value, Mapping):
        items: Any = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        return 0
    total = 0
    for item in items:
        total += value_bytes(item, limit - total)
        if total > limit:
            break
    return total


def check_fields(record: Mapping[str, Any], limit: int | None) -> None:
    """Raise `InputTooLarge` naming the first field of `record` over `limit` bytes."""
    if limit is None:
        return
    for key, value in record.items():
        size = value_bytes(value, limit)
        if size > limit:
            if isinstance(value, str):
                size = utf8_size(value)
            raise InputTooLarge(
                f"input.too_large: field {key!r} holds {describe(size)}, over the "
                f"{describe(limit)} limit (--max-field-bytes)"
            )


def line_limit(field_limit: int | None) -> int | None:
    return None if field_limit is None else field_limit * LINE_FACTOR
