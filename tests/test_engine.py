"""Parallel workers: same bytes and order as one process; a dying worker costs one line."""

from __future__ import annotations

import json
import os

import pytest

from normalize import engine
from normalize.cli import EXIT_BAD_INPUT, EXIT_OK, main
from normalize.jsonl import RawLine
from normalize.normalizer import Normalizer


def _lines(count: int) -> list[RawLine]:
    rows = []
    for i in range(count):
        record = {
            "id": str(i),
            "title": f"Bridge {i}",
            "text": f"Subscribe\nThe bridge {i} reopened.",
        }
        body = json.dumps(record).encode()
        rows.append(RawLine("mem", i + 1, body, len(body) + 1))
    return rows


def test_parallel_output_equals_serial_in_order():
    normalizer = Normalizer()
    lines = _lines(700)
    serial = [r.output for r in engine.run_serial(normalizer, lines)]
    parallel = [r.output for r in engine.run_parallel(normalizer, lines, 2)]
    assert parallel == serial


def test_cli_jobs_gives_the_same_bytes(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(line.body + b"\n" for line in _lines(300)))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main([str(source), "-o", str(one)]) == EXIT_OK
    assert main([str(source), "-o", str(two), "--jobs", "2"]) == EXIT_OK
    assert one.read_bytes() == two.read_bytes()


def _dies_on_kill(normalizer, line, keep_record=False, _real=engine.normalize_raw):
    if b"KILL" in line.body:
        os._exit(7)
    return _real(normalizer, line, keep_record)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to carry the patch into workers")
def test_a_dying_worker_is_reported_and_the_run_goes_on(monkeypatch):
    monkeypatch.setattr(engine, "normalize_raw", _dies_on_kill)
    lines = _lines(300)
    bad = RawLine("mem", 150, b'{"text": "KILL"}', 17)
    lines[149] = bad
    results = list(engine.run_parallel(Normalizer(), lines, 2))
    assert [r.line.number for r in results] == list(range(1, 301))
    failed = [r for r in results if r.output is None]
    assert [r.line.number for r in failed] == [150]
    assert "worker process died" in (failed[0].error or "")


def test_cli_jobs_reports_bad_lines_with_their_number(tmp_path, capsys):
    rows = [line.body for line in _lines(400)]
    rows[333] = b"{broken"
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(rows) + b"\n")
    assert main([str(source), "-o", str(tmp_path / "o.jsonl"), "--jobs", "2"]) == EXIT_BAD_INPUT
    assert f"{source}:334: invalid JSON" in capsys.readouterr().err
