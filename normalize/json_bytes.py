"""An output line written by orjson (compiled) where it gives the very bytes the stdlib
writer (`normalize.jsonl.dumps`) gives, and None where it might not.

orjson writes a record in a few microseconds where `json.dumps` plus `.encode` take about
as long as parsing it. Its output is the same bytes but for three things, so a record that
holds one of them is left to the stdlib writer:

- floats written with an exponent: orjson spells some otherwise (`1e-7`, `0.00001` where
  Python writes `1e-07`, `1e-05`), and writes NaN as `null` where the spec refuses it. Zero
  and floats from 1e-4 up to 1e16, which Python writes without one, come out the same
  (`tests/test_json_bytes.py` checks a million of them); the language confidence in every
  record is one;
- keys that are not plain `str` (a `DuplicateKey`, numbers): orjson refuses them;
- text that is not UTF-8 (a lone surrogate) and integers past 64 bits: orjson raises.

Kept numbers (`JSONNumber`) go out as their text, as the stdlib writer does.
"""

from __future__ import annotations

from typing import Any

import orjson

from normalize.jsonl import JSONNumber

# the floats Python writes without an exponent (`repr`), but zero
_PLAIN_FLOATS = (1e-4, 1e16)


def _fragment(value: Any) -> orjson.Fragment:
    if isinstance(value, JSONNumber):
        return orjson.Fragment(value.text)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _same_bytes(value: Any) -> bool:
    """Would orjson write `value` as the stdlib writer does (floats in range, `str` keys)?"""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or item is None or kind is bool or kind is int:
            continue
        if kind is float:
            if item == 0.0 or _PLAIN_FLOATS[0] <= abs(item) < _PLAIN_FLOATS[1]:
                continue
            return False  # written with an exponent, or NaN and infinities
        if kind is dict:
            for key in item:
                if type(key) is not str:
                    return False
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is not JSONNumber:
            return False  # anything else is the stdlib writer's to decide
    return True


def encode(value: Any) -> bytes | None:
    """`normalize.jsonl.dumps(value).encode()` by orjson, or None when that could differ."""
    if not _same_bytes(value):
        return None
    try:
        return orjson.dumps(value, default=_fragment)
    except orjson.JSONEncodeError:  # a lone surrogate, an integer past 64 bits
        return None
