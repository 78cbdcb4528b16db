"""The shipped JSON Schema describes what metanorm writes: every corpus output validates."""

from __future__ import annotations

import json

import pytest

from normalize.cli import EXIT_OK, main
from normalize.json_schema import record_schema
from normalize.record import OUTPUT_KEYS

jsonschema = pytest.importorskip("jsonschema")

SPEC_ORDER = (
    "id", "url", "source", "language", "published", "retrieved", "title", "summary", "text",
    "authors", "places", "meta", "normalization",
)  # fmt: skip


def test_schema_is_valid_draft_2020_12():
    schema = record_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert tuple(schema["properties"]) == SPEC_ORDER
    assert set(OUTPUT_KEYS) <= set(schema["properties"])
    assert tuple(schema["required"]) == OUTPUT_KEYS  # every key, always written


def test_metanorm_schema_prints_it(capsys, tmp_path):
    assert main(["schema"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == record_schema()
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == EXIT_OK
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == record_schema()


def _corpus_inputs(shared_dir, tmp_path):
    """The corpus's input records (dev cases' inputs, real and peer files) as one JSONL."""
    corpus = shared_dir / "corpus"
    lines = []
    for path in [corpus / "dev.jsonl", *sorted(corpus.glob("real/*.jsonl"))]:
        if path.name.endswith(".provenance.jsonl"):
            continue
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                record = json.loads(line)
                lines.append(json.dumps(record.get("input", record), ensure_ascii=False))
    seed = json.loads((corpus / "seed_case.json").read_text(encoding="utf-8"))
    lines.append(json.dumps(seed["input"], ensure_ascii=False))
    target = tmp_path / "corpus.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target, len(lines)


@pytest.mark.parametrize("audit", [False, True], ids=["plain", "audit"])
def test_every_corpus_output_record_validates(shared_dir, tmp_path, audit):
    source, count = _corpus_inputs(shared_dir, tmp_path)
    out = tmp_path / "out.jsonl"
    args = [str(source), "-o", str(out), "--no-progress"] + (["--audit"] if audit else [])
    assert main(args) == EXIT_OK
    validator = jsonschema.Draft202012Validator(record_schema())
    records = [json.loads(line) for line in out.read_bytes().split(b"\n") if line]
    assert len(records) == count
    for number, record in enumerate(records, start=1):
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert not errors, f"record {number}: {errors[0].message} at {list(errors[0].path)}"
        assert list(record) == [k for k in SPEC_ORDER if k in record]  # the spec's key order


def test_the_schema_refuses_what_is_not_canonical():
    validator = jsonschema.Draft202012Validator(record_schema())
    from normalize import Normalizer

    record = Normalizer().normalize({"title": "Kiev", "text": "Talks in Kiev."})
    assert validator.is_valid(record)
    for broken in (
        {**record, "extra": 1},
        {**record, "places": [{"name": "Kyiv"}]},
        {**record, "normalization": {**record["normalization"], "version": 2}},
        {k: v for k, v in record.items() if k != "meta"},
    ):
        assert not validator.is_valid(broken)
