"""JSON fidelity: numbers come back as they were written, output is strict JSON, and no
value disappears (duplicate keys, meta collisions) without a warning that names it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from normalize.cli import EXIT_OK, main
from normalize.normalizer import Normalizer
from normalize.record import dumps

NUMBERS = [
    "1e999",
    "-1e999",
    "1.0000000000000000000001",
    "1.50",
    "1E5",
    "1e-400",
    "-0",
    "-0.0",
    "12345678901234567890123456789",
    "0.1",
    "3",
    "2.5e-3",
]


def _strict(line: str) -> object:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in output: not JSON")

    return json.loads(line, parse_constant=refuse)


@pytest.mark.parametrize("number", NUMBERS)
def test_numbers_are_written_back_exactly(tmp_path: Path, number: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(f'{{"title":"Bridge","score":{number},"nested":{{"x":[{number}]}}}}\n')
    out = tmp_path / "out.jsonl"
    assert main([str(path), "-o", str(out)]) == EXIT_OK
    line = out.read_text()
    _strict(line)
    assert f'"score":{number}' in line and f'"x":[{number}]' in line


@pytest.mark.parametrize("number", NUMBERS)
def test_fix_leaves_a_valid_file_that_check_accepts(tmp_path: Path, number: str) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(f'{{"title":"Bridge","score":{number}}}\n')
    assert main(["fix", str(path)]) == EXIT_OK
    _strict(path.read_text())
    assert main(["check", str(path)]) == EXIT_OK
    assert f'"score":{number}' in path.read_text()


def test_duplicate_keys_keep_every_value_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"title":"first","title":"second","x":1,"x":2,"x":3}\n')
    out = tmp_path / "out.jsonl"
    assert main([str(path), "-o", str(out)]) == EXIT_OK
    record = json.loads(out.read_text())
    assert record["title"] == "second"
    assert record["meta"]["title (duplicate 1)"] == "first"
    assert record["meta"]["x"] == 3
    assert {record["meta"]["x (duplicate 1)"], record["meta"]["x (duplicate 2)"]} == {1, 2}
    messages = [w["message"] for w in record["normalization"]["warnings"]]
    assert any("'title'" in m and "title (duplicate 1)" in m for m in messages)
    assert any("'x'" in m for m in messages)


@pytest.mark.parametrize(
    "line",
    [
        '{"normalization":{"fired":[]},"meta":{"a":1,"b":2},"a":3,"title":"t"}',
        '{"normalization":{"fired":[]},"a":3,"meta":{"a":1,"b":2},"title":"t"}',
    ],
)
def test_a_meta_collision_keeps_both_values(tmp_path: Path, line: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n")
    out = tmp_path / "out.jsonl"
    assert main([str(path), "-o", str(out)]) == EXIT_OK
    record = json.loads(out.read_text())
    assert record["meta"]["a"] == 3 and record["meta"]["meta.a"] == 1 and record["meta"]["b"] == 2
    assert any("meta.a" in w["message"] for w in record["normalization"]["warnings"])


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("where", ["meta", "nested", "title"])
def test_the_library_refuses_non_finite_floats_like_the_cli(value: float, where: str) -> None:
    record = {"title": "Bridge", "text": "It reopened."}
    if where == "nested":
        record["extra"] = {"list": [1, value]}
    else:
        record["score" if where == "meta" else "title"] = value
    with pytest.raises(ValueError, match="is not a JSON value"):
        Normalizer().normalize(record)
    with pytest.raises(ValueError, match="is not a JSON value"):
        dumps({"meta": {"x": value}})


def test_the_cli_refuses_nan_with_path_and_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"title":"a"}\n{"title":"b","score":NaN}\n')
    assert main([str(path), "-o", str(tmp_path / "out.jsonl")]) == 3
    assert f"{path}:2: invalid JSON: NaN is not a JSON value" in capsys.readouterr().err


def test_plain_numbers_stay_python_numbers() -> None:
    from normalize.jsonl import loads

    value = loads('{"a":1,"b":2.5,"c":[0.1,-3]}')
    assert value == {"a": 1, "b": 2.5, "c": [0.1, -3]}
    assert all(type(v) in (int, float) for v in (value["a"], value["b"], *value["c"]))
