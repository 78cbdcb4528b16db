"""`metanorm rules learn`: from a dataset to a rule file that passes `rules test` and `lint`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from normalize.cli import EXIT_OK, main
from normalize.learn.sketch import HeavyHitters

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_site_dataset", REPO / "scripts" / "make_site_dataset.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def learned(tmp_path_factory):
    """500 records of one site: five furniture lines and a title suffix, learned once."""
    gen = _generator()
    import random

    rng = random.Random(19)
    work = tmp_path_factory.mktemp("learn")
    data = work / "site.jsonl"
    data.write_text(
        "".join(json.dumps(gen.record(rng, n)) + "\n" for n in range(500)), encoding="utf-8"
    )
    out = work / "my_rules" / "learned.yaml"
    assert main(["rules", "learn", str(data), "-o", str(out)]) == EXIT_OK
    return gen, data, out


def test_finds_the_five_lines_and_the_suffix(learned):
    gen, _data, out = learned
    import yaml

    rules = yaml.safe_load(out.read_text(encoding="utf-8"))["rules"]
    lines = {line for rule in rules for line in rule.get("lines", [])}
    suffixes = {s for rule in rules for s in rule.get("suffixes", [])}
    assert lines == set(gen.FURNITURE)
    assert suffixes == {gen.SUFFIX}
    assert len(rules) == 6
    assert all(rule["sources"] == [gen.SITE] for rule in rules)
    assert all(f"of 500 records of {gen.SITE}" in rule["description"] for rule in rules)


def test_learned_file_passes_test_and_lint(learned, capsys):
    _gen, _data, out = learned
    assert main(["rules", "test", "--rules", str(out.parent)]) == EXIT_OK
    assert main(["rules", "lint", "--rules", str(out.parent)]) == EXIT_OK
    assert " 0 failed" in capsys.readouterr().out


def test_with_the_learned_rules_the_furniture_is_gone(learned, tmp_path):
    gen, data, out = learned
    result = tmp_path / "out.jsonl"
    assert main(["--rules", str(out.parent), str(data), "-o", str(result)]) == EXIT_OK
    records = [json.loads(line) for line in result.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 500
    for record in records:
        assert not set(record["text"].split("\n")) & set(gen.FURNITURE)
        assert not record["title"].endswith(gen.SUFFIX)
        assert record["text"]  # the content stays


def test_learning_is_deterministic(learned, tmp_path):
    _gen, data, out = learned
    again = tmp_path / "again.yaml"
    assert main(["rules", "learn", str(data), "-o", str(again)]) == EXIT_OK
    assert again.read_bytes() == out.read_bytes()


def test_what_the_rules_remove_is_not_proposed_again(learned, tmp_path):
    _gen, data, out = learned
    again = tmp_path / "again.yaml"
    assert main(["rules", "learn", str(data), "--rules", str(out.parent), "-o", str(again)]) == 0
    import yaml

    assert yaml.safe_load(again.read_text(encoding="utf-8"))["rules"] == []


def test_a_bad_line_is_reported_not_fatal(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "a"}\nnot json\n', encoding="utf-8")
    assert main(["rules", "learn", str(data), "-o", str(tmp_path / "o.yaml")]) == EXIT_OK
    assert f"{data}:2: skipped: invalid JSON" in capsys.readouterr().err


def test_sketch_keeps_heavy_hitters_in_bounded_memory():
    sketch = HeavyHitters(50)
    for i in range(20_000):
        sketch.add("frequent" if i % 4 == 0 else f"unique-{i}")
        sketch.add("often" if i % 10 == 0 else f"other-{i}")
    assert len(sketch) <= 50
    counts = {item: c for item, c in sketch.items()}
    assert counts["frequent"].guaranteed <= 5000 <= counts["frequent"].count
    assert counts["often"].guaranteed <= 2000 <= counts["often"].count
    assert counts["frequent"].guaranteed > 4000
    assert len(sketch._heap) <= 4 * 50 + 64 + 1
