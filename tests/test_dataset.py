"""check, fix and diff on files: findings with places, atomic rewrites that keep the file."""

from __future__ import annotations

import gzip
import json
import os
import stat

import pytest

from normalize import dataset
from normalize.cli import EXIT_BAD_INPUT, EXIT_CHANGES, EXIT_OK, main

DIRTY = '{"title":"Bridge","text":"Subscribe\\nThe bridge reopened."}'
TEXT_COLUMN = DIRTY.index('"text"') + 1  # findings point at the field's key


def _write(path, lines, final_newline=True):
    data = "\n".join(lines) + ("\n" if final_newline else "")
    if str(path).endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_check_lists_findings_and_exits_1(tmp_path, capsys):
    path = _write(tmp_path / "d.jsonl", [DIRTY, DIRTY])
    assert main(["check", str(path)]) == EXIT_CHANGES
    out = capsys.readouterr().out
    assert f'{path}:1:{TEXT_COLUMN}: ui.en.lines: text: removed "Subscribe"' in out
    assert f"{path}:2:{TEXT_COLUMN}: ui.en.lines" in out
    assert "2 of 2 records in 1 files would change" in out


def test_check_formats(tmp_path, capsys):
    path = _write(tmp_path / "d.jsonl", [DIRTY])
    main(["check", "--format", "github", str(path)])
    expected = f"::error file={path},line=1,col={TEXT_COLUMN},title=ui.en.lines::"
    assert expected in capsys.readouterr().out
    main(["check", "--format", "json", str(path)])
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["would_change"] == 1
    assert {
        "path": str(path),
        "line": 1,
        "column": TEXT_COLUMN,
        "rule": "ui.en.lines",
        "message": 'text: removed "Subscribe"',
        "level": "error",
    } in payload["findings"]


def test_fix_then_check_passes_and_keeps_mode_gzip_and_newline(tmp_path):
    plain = _write(tmp_path / "a.jsonl", [DIRTY], final_newline=False)
    packed = _write(tmp_path / "b.jsonl.gz", [DIRTY])
    os.chmod(plain, 0o640)
    assert main(["fix", str(plain), str(packed)]) == EXIT_OK
    assert stat.S_IMODE(plain.stat().st_mode) == 0o640
    assert not plain.read_bytes().endswith(b"\n")
    with gzip.open(packed, "rt", encoding="utf-8") as stream:
        assert json.loads(stream.read())["text"] == "The bridge reopened."
    assert main(["check", str(plain), str(packed)]) == EXIT_OK


def test_fix_leaves_canonical_files_untouched(tmp_path):
    path = _write(tmp_path / "d.jsonl", [DIRTY])
    main(["fix", str(path)])
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))
    main(["fix", str(path)])
    assert path.stat().st_mtime_ns == before - 10**9


def test_fix_keeps_unreadable_lines_and_reports_them(tmp_path, capsys):
    path = _write(tmp_path / "d.jsonl", [DIRTY, "{broken", DIRTY])
    assert main(["fix", str(path)]) == EXIT_BAD_INPUT
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "{broken"
    assert json.loads(lines[0])["text"] == "The bridge reopened."
    assert f"{path}:2:2: input.invalid" in capsys.readouterr().err  # path:line:col


def test_interrupted_fix_leaves_the_original(tmp_path, monkeypatch):
    path = _write(tmp_path / "d.jsonl", [DIRTY])
    original = path.read_bytes()

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        report = dataset.inspect_file(__import__("normalize").Normalizer(), str(path))
        dataset.write_fixed(report)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["d.jsonl"]


def test_diff_shows_the_fix(tmp_path, capsys):
    path = _write(tmp_path / "d.jsonl", [DIRTY])
    assert main(["diff", str(path)]) == EXIT_CHANGES
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{path}\n+++ b/{path}\n")
    assert '+{"id":"sha1:' in out


def test_full_disk_is_reported_and_input_untouched(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path / "d.jsonl", [DIRTY])

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dataset.os, "fsync", full_disk)
    assert main(["fix", str(path)]) != EXIT_OK
    assert "cannot rewrite" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").strip() == DIRTY
    assert [p.name for p in tmp_path.iterdir()] == ["d.jsonl"]
