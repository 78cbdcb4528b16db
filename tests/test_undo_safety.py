"""`undo` rebuilds inputs that had their own `normalization` key, and a damaged audit line
is `path:line: reason` (or skipped / quarantined with --on-error), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize.cli import EXIT_BAD_INPUT, EXIT_OK, main

ODD_INPUTS = [
    {"normalization": {"changes": []}, "title": "t"},
    {"normalization": {"changes": [], "source_keys": "x"}, "title": "t", "text": "Subscribe"},
    {"normalization": {"fired": ["a"]}, "meta": {"a": 1}, "a": 2, "title": "t"},
    {"normalization": {}, "meta": 5, "title": "t"},
    {"normalization": 7, "Title": "Bridge  ", "meta": {"x": 1}},
    {"normalization": {"changes": [{"field": "title"}]}, "headline": "Kiev today"},
    {"normalization": {"changes": []}, "title": "t", "score": 1.50, "big": 1e999},
]


def _audit_and_undo(tmp_path: Path, lines: list[str]) -> list[str]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    audited = tmp_path / "audited.jsonl"
    assert main(["--audit", str(source), "-o", str(audited)]) == EXIT_OK
    rebuilt = tmp_path / "rebuilt.jsonl"
    assert main(["undo", str(audited), "-o", str(rebuilt)]) == EXIT_OK
    return rebuilt.read_text(encoding="utf-8").splitlines()


def test_inputs_with_their_own_normalization_key_round_trip(tmp_path: Path) -> None:
    lines = [json.dumps(record, separators=(",", ":")) for record in ODD_INPUTS]
    lines[-1] = lines[-1].replace("1.5", "1.50").replace("Infinity", "1e999")
    rebuilt = _audit_and_undo(tmp_path, lines)
    assert len(rebuilt) == len(lines)
    for before, after in zip(lines, rebuilt, strict=True):
        assert json.loads(after) == json.loads(before)
    assert '"score":1.50' in rebuilt[-1] and '"big":1e999' in rebuilt[-1]


def test_undo_of_audited_output_twice_normalized_still_rebuilds_the_first_input(
    tmp_path: Path,
) -> None:
    first = tmp_path / "in.jsonl"
    first.write_text(json.dumps(ODD_INPUTS[0]) + "\n")
    once, twice = tmp_path / "once.jsonl", tmp_path / "twice.jsonl"
    assert main(["--audit", str(first), "-o", str(once)]) == EXIT_OK
    assert main(["--audit", str(once), "-o", str(twice)]) == EXIT_OK
    rebuilt = tmp_path / "rebuilt.jsonl"
    assert main(["undo", str(twice), "-o", str(rebuilt)]) == EXIT_OK
    assert json.loads(rebuilt.read_text()) == ODD_INPUTS[0]


def _tampered(tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text('{"title":"Kiev  ","text":"Subscribe\\nIt reopened."}\n' * 3)
    audited = tmp_path / "audited.jsonl"
    assert main(["--audit", str(source), "-o", str(audited)]) == EXIT_OK
    lines = audited.read_text().splitlines()
    record = json.loads(lines[1])
    del record["normalization"]["changes"][0]["field"]
    lines[1] = json.dumps(record, ensure_ascii=False)
    lines.insert(2, "{not json")
    audited.write_text("\n".join(lines) + "\n")
    return audited


@pytest.mark.parametrize(
    "damage",
    [
        lambda n: n["changes"][0].pop("field"),
        lambda n: n["changes"][0].pop("before"),
        lambda n: n["changes"].append("not a change"),
        lambda n: n["source_keys"].update({"title": 5}),
        lambda n: n.update({"source_meta": "x"}),
        lambda n: n.update({"source_renamed": [1]}),
        lambda n: n["changes"][0].update({"field": "nonsense"}),
    ],
)
def test_a_damaged_audit_line_is_path_line_reason(tmp_path: Path, capsys, damage) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"title":"Kiev  ","text":"Subscribe\\nIt reopened."}\n')
    audited = tmp_path / "audited.jsonl"
    assert main(["--audit", str(source), "-o", str(audited)]) == EXIT_OK
    record = json.loads(audited.read_text())
    damage(record["normalization"])
    audited.write_text(json.dumps(record) + "\n")
    capsys.readouterr()
    assert main(["undo", str(audited), "-o", str(tmp_path / "out.jsonl")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"{audited}:1: ") and "Traceback" not in err


def test_on_error_skip_and_quarantine_apply_to_undo(tmp_path: Path, capsys) -> None:
    audited = _tampered(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["undo", str(audited), "-o", str(out), "--on-error", "skip"]) == EXIT_OK
    assert len(out.read_text().splitlines()) == 2
    err = capsys.readouterr().err
    assert f"{audited}:2: " in err and f"{audited}:3: " in err and "(skipped)" in err
    quarantine = tmp_path / "bad.jsonl"
    args = ["undo", str(audited), "-o", str(out), "--on-error", "quarantine"]
    assert main([*args, "--quarantine", str(quarantine)]) == EXIT_OK
    bad = quarantine.read_text().splitlines()
    assert len(bad) == 2 and bad[1] == "{not json"
    assert main(["undo", str(audited), "-o", str(out)]) == EXIT_BAD_INPUT  # fail by default
