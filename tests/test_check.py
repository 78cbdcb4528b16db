"""`metanorm check`: `path:line:col:` where the column is known, and `--strict` on warnings."""

from __future__ import annotations

import json

from normalize.cli import EXIT_BAD_INPUT, EXIT_CHANGES, EXIT_OK, main
from normalize.json_columns import error_column, key_columns


def _canonical(tmp_path, record: dict) -> str:
    """The canonical line metanorm writes for a record (so that only warnings remain)."""
    source, out = tmp_path / "raw.jsonl", tmp_path / "canonical.jsonl"
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main([str(source), "-o", str(out)]) == EXIT_OK
    return out.read_text(encoding="utf-8").strip()


def test_strict_fails_on_a_canonical_record_with_warnings(tmp_path, capsys):
    line = _canonical(tmp_path, {"title": "Bridge reopened", "date": "sometime soon"})
    path = tmp_path / "data.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert main(["check", str(path)]) == EXIT_OK  # canonical: nothing would change
    assert "are canonical" in capsys.readouterr().out
    assert main(["check", "--strict", str(path)]) == EXIT_CHANGES
    out = capsys.readouterr().out
    column = line.index('"published"') + 1
    assert f"{path}:1:{column}: date.unparsed: published: " in out
    assert "1 records have warnings" in out
    main(["check", "--strict", "--format", "json", str(path)])
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["with_warnings"] == 1
    codes = {(f["rule"], f["level"], f["column"]) for f in payload["findings"]}
    assert ("date.unparsed", "warning", column) in codes
    main(["check", "--strict", "--format", "github", str(path)])
    assert f"::warning file={path},line=1,col={column},title=date.unparsed::" in (
        capsys.readouterr().out
    )


def test_strict_passes_a_clean_canonical_file(tmp_path, capsys):
    line = _canonical(
        tmp_path,
        {
            "title": "Bridge reopened",
            "text": "The bridge over the river reopened on Monday after two months of repairs.",
            "date": "2022-01-28",
        },
    )
    assert '"warnings":[]' in line
    path = tmp_path / "clean.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert main(["check", "--strict", str(path)]) == EXIT_OK
    assert "canonical, without warnings" in capsys.readouterr().out


def test_a_bad_line_names_its_column(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"title": "ok"}\n{"title": "x",, "text": 1}\n{"t": "\xff"}\n')
    assert main(["check", str(path)]) == EXIT_BAD_INPUT
    out = capsys.readouterr().out
    assert f"{path}:2:15: input.invalid: invalid JSON" in out
    assert f"{path}:3:8: input.invalid: invalid UTF-8" in out


def test_columns_are_characters_of_the_key():
    line = '{"título": "ü", "text" : "a", "text": "b", "n": [1, {"x": 2}], "z": null}'
    columns = key_columns(line)
    assert columns["título"] == 2
    assert columns["text"] == line.index('"text": "b"') + 1  # the last one, as json.loads
    assert columns["z"] == line.index('"z"') + 1
    assert key_columns("[1, 2]") == {}
    assert key_columns('{"a": 1, broken') == {"a": 2}
    assert error_column(b'{"a": 1}') is None
    assert error_column('{"é": \xff}'.encode("latin-1")) is not None
