"""orjson writes output lines only where it gives the stdlib writer's very bytes
(`normalize.json_bytes`); the stdlib writer is the reference."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from normalize import Normalizer, json_bytes
from normalize.jsonl import loads
from normalize.record import dumps, dumps_line


def _reference(record) -> bytes:
    return dumps(record).encode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"title": "Київ", "n": 1, "ok": True, "none": None, "list": [1, "x", [], {}]},
        {"s": '\x00\x1f\x7f\u2028\u2029"\\/\b\f\n\r\t é \U0001f600'},
        {"big": 2**63 - 1, "small": -(2**63), "u64": 2**64 - 1},
        {"nested": {"a": {"b": ({"c": "d"},)}}},
    ],
)
def test_orjson_writes_the_stdlib_bytes(value) -> None:
    assert json_bytes.encode(value) == _reference(value)


@pytest.mark.parametrize(
    "text",
    [
        '{"score": 1e-07}',  # orjson would write 1e-7
        '{"score": 1e-05}',  # orjson would write 0.00001
        '{"score": 1e+16}',
        '{"title": "a", "title": "b"}',  # a DuplicateKey
        '{"n": 123456789012345678901234567890}',  # past 64 bits
        '{"n": 1.50, "m": 1e400, "z": -0}',  # kept numbers
    ],
)
def test_what_orjson_might_write_otherwise_goes_to_the_stdlib(text) -> None:
    record = loads(text)
    assert dumps_line(record) == _reference(record)


def test_floats_without_an_exponent_write_the_same_bytes() -> None:
    import math
    import struct

    rng = random.Random(16)
    values = [0.0, -0.0, 1e-4, 0.00010000000000000002, 9999999999999998.0, 1e15, 0.1, 1.0]
    for _ in range(100_000):
        values.append(struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0])
        values.append(rng.choice((1, -1)) * 10 ** rng.uniform(-4, 16))
        values.append(round(rng.random(), rng.randrange(1, 17)))
    taken = 0
    for value in values:
        line = json_bytes.encode({"x": value})
        if line is not None:
            taken += 1
            assert line == _reference({"x": value}), value
        else:
            assert not math.isfinite(value) or not (value == 0 or 1e-4 <= abs(value) < 1e16)
    assert taken > len(values) // 2


def test_refusals_stay_the_stdlib_writers() -> None:
    assert json_bytes.encode({"x": float("nan")}) is None
    with pytest.raises(ValueError, match="NaN"):
        dumps_line({"x": float("nan")})
    assert json_bytes.encode({"x": "\ud800"}) is None  # a lone surrogate: JSON escapes
    assert dumps_line({"x": "\ud800"}) == b'{"x":"\\ud800"}'
    assert json_bytes.encode({1: "x"}) is None
    with pytest.raises(TypeError):
        dumps_line({"x": object()})


def test_random_values_write_the_same_bytes() -> None:
    rng = random.Random(23)
    alphabet = 'aб\x00\x1f"\\/\u2028é😀 \n'

    def value(depth: int):
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return rng.choice(
                [
                    "".join(rng.choice(alphabet) for _ in range(rng.randrange(8))),
                    rng.randrange(-(2**70), 2**70),
                    rng.choice([True, False, None]),
                ]
            )
        if roll < 0.7:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {f"k{n}{rng.choice(alphabet)}": value(depth + 1) for n in range(rng.randrange(4))}

    for _ in range(2000):
        item = {"v": value(0)}
        assert dumps_line(item) == _reference(item)


def test_every_corpus_record_writes_the_same_bytes(shared_dir: Path) -> None:
    normalizer = Normalizer()
    count = 0
    for path in sorted((shared_dir / "corpus").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                continue  # the hostile-input cases: not records
            if not isinstance(data, dict):
                continue
            raw = data["input"] if isinstance(data.get("input"), dict) else data
            try:
                record = normalizer.normalize(raw)
            except ValueError:
                continue
            assert dumps_line(record) == _reference(record), path.name
            count += 1
    assert count > 1000
