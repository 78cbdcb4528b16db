"""The bundled example: `make demo`'s output is the committed expected output."""

from __future__ import annotations

from pathlib import Path

from normalize.cli import EXIT_OK, main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_example_output_is_the_expected_output(tmp_path):
    out = tmp_path / "out.jsonl"
    assert main([str(EXAMPLES / "input.jsonl"), "-o", str(out)]) == EXIT_OK
    assert out.read_text(encoding="utf-8") == (EXAMPLES / "expected.jsonl").read_text(
        encoding="utf-8"
    )


def test_example_etl_script_runs(capsys, monkeypatch):
    import runpy

    monkeypatch.setattr("sys.argv", ["etl_pipeline.py", str(EXAMPLES / "input.jsonl")])
    runpy.run_path(str(EXAMPLES / "etl_pipeline.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "example-0001\ten\t2023-03-14" in out
