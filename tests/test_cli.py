"""The `metanorm` command: files and stdin, .gz, errors with places, exit codes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from normalize.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, main

REPO = Path(__file__).resolve().parents[1]
RECORD = {"title": "Bridge", "text": "Subscribe\nThe bridge reopened.", "section": "City"}


def _jsonl(path: Path, rows: list, gz: bool = False) -> Path:
    data = "".join(
        (row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n"
        for row in rows
    )
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def test_file_to_output_one_line_per_record_in_order(tmp_path):
    rows = [dict(RECORD, id=str(i)) for i in range(5)]
    out = tmp_path / "out.jsonl"
    assert main([str(_jsonl(tmp_path / "in.jsonl", rows)), "-o", str(out)]) == EXIT_OK
    records = _read(out)
    assert [r["id"] for r in records] == [str(i) for i in range(5)]
    assert records[0]["text"] == "The bridge reopened."


def test_gzip_in_and_out(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl.gz", [RECORD], gz=True)
    out = tmp_path / "out.jsonl.gz"
    assert main([str(source), "-o", str(out)]) == EXIT_OK
    assert _read(out)[0]["meta"] == {"section": "City"}


def test_bad_line_fails_with_file_and_line(tmp_path, capsys):
    source = _jsonl(tmp_path / "in.jsonl", [RECORD, "{not json", RECORD])
    out = tmp_path / "out.jsonl"
    assert main([str(source), "-o", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"{source}:2: invalid JSON" in err
    assert len(_read(out)) == 1


@pytest.mark.parametrize("mode", ["skip", "quarantine"])
def test_bad_lines_skipped_or_quarantined(tmp_path, capsys, mode):
    source = _jsonl(tmp_path / "in.jsonl", [RECORD, "[1, 2]", "{bad", RECORD])
    out, quarantine = tmp_path / "out.jsonl", tmp_path / "bad.jsonl"
    args = [str(source), "-o", str(out), "--on-error", mode]
    if mode == "quarantine":
        args += ["--quarantine", str(quarantine)]
    assert main(args) == EXIT_OK
    assert len(_read(out)) == 2
    err = capsys.readouterr().err
    assert f"{source}:2: a record must be a JSON object, not list" in err
    assert f"{source}:3: invalid JSON" in err
    if mode == "quarantine":
        assert quarantine.read_bytes() == b"[1, 2]\n{bad\n"


def test_malformed_rule_dir_is_a_usage_error(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(
        "rules:\n  - id: x.y\n    description: d\n    kind: nope\n", encoding="utf-8"
    )
    source = _jsonl(tmp_path / "in.jsonl", [RECORD])
    assert main([str(source), "--rules", str(rules)]) == EXIT_USAGE
    assert f"{rules / 'bad.yaml'}:4:" in capsys.readouterr().err


def test_stats_on_stderr(tmp_path, capsys):
    source = _jsonl(tmp_path / "in.jsonl", [RECORD, RECORD])
    assert main([str(source), "-o", str(tmp_path / "o.jsonl"), "--stats"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "records: 2 normalized, 0 bad" in err
    assert "ui.en.lines" in err


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "normalize", *args],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
    )


def test_stdin_to_stdout_through_python_m():
    done = _run(stdin=json.dumps(RECORD).encode() + b"\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["text"] == "The bridge reopened."


def test_closed_pipe_ends_quietly(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", [RECORD] * 3000)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    pipeline = f"{sys.executable} -m normalize {source} | head -n 1"
    done = subprocess.run(pipeline, shell=True, capture_output=True, env=env, check=False)
    assert done.stdout.count(b"\n") == 1
    assert b"Traceback" not in done.stderr


def test_rules_test_and_list():
    done = _run("rules", "test")
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert b" passed, 0 failed" in done.stdout
    listing = _run("rules", "list")
    assert b"ui.en.lines\tui-lines" in listing.stdout


def test_explain_names_rules_and_files():
    done = _run("explain", stdin=json.dumps(RECORD).encode())
    assert done.returncode == 0
    assert b"ui.en.lines" in done.stdout and b"rules/ui/en.yaml" in done.stdout


def test_legacy_encoded_lines_are_decoded_with_a_warning(tmp_path, capsys):
    record = {"title": "Мост через реку откроют весной", "text": "Ремонт моста завершат к зиме."}
    line = json.dumps(record, ensure_ascii=False)
    source = tmp_path / "legacy.jsonl"
    source.write_bytes(line.encode("cp1251") + b"\n" + line.encode("koi8_r") + b"\n")
    out = tmp_path / "out.jsonl"
    assert main([str(source), "-o", str(out)]) == EXIT_OK
    assert [r["title"] for r in _read(out)] == [record["title"]] * 2
    err = capsys.readouterr().err
    assert f"{source}:1: warning: not UTF-8: read as cp1251" in err
    assert f"{source}:2: warning: not UTF-8: read as koi8_r" in err


def test_random_bytes_are_invalid_utf8_not_legacy(tmp_path, capsys):
    source = tmp_path / "junk.jsonl"
    source.write_bytes(b'{"text": "\xff\xfe\x80 junk"}\n')
    assert main([str(source), "-o", str(tmp_path / "o.jsonl")]) == EXIT_BAD_INPUT
    assert f"{source}:1: invalid UTF-8 at byte 11" in capsys.readouterr().err
