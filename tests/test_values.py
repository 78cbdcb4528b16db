"""The per-value functions give, field by field, what the CLI gives for whole records.

Every record of the dev corpus goes through `metanorm` once; each function is then called
the way a user calls it, on the input value and the few other fields its rules look at,
and must return the CLI's value for that field.
"""

from __future__ import annotations

import json
from functools import partial

import pytest

import normalize
from normalize import (
    Detection,
    ParsedDate,
    Place,
    detect_language,
    find_places,
    fix_text,
    parse_date,
)
from normalize.cli import EXIT_OK, main


@pytest.fixture(scope="module")
def corpus(shared_dir, tmp_path_factory) -> list[tuple[dict, dict]]:
    """(input record, the CLI's canonical record) for every case of the dev corpus."""
    inputs = []
    with (shared_dir / "corpus" / "dev.jsonl").open(encoding="utf-8") as stream:
        inputs = [json.loads(line)["input"] for line in stream if line.strip()]
    folder = tmp_path_factory.mktemp("values")
    source, out = folder / "in.jsonl", folder / "out.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in inputs), encoding="utf-8"
    )
    assert main([str(source), "-o", str(out), "--no-progress"]) == EXIT_OK
    outputs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(outputs) == len(inputs)
    return list(zip(inputs, outputs, strict=True))


def _input(record: dict, field: str):
    """The input value of a canonical field, under whichever alias the record used."""
    from normalize.record import split_record

    return split_record(record, normalize.values.default_normalizer().schema).values.get(field)


def _context(raw: dict, out: dict) -> dict:
    return {"source": _input(raw, "source"), "url": out["url"], "title": _input(raw, "title")}


def test_series_map_fix_text_gives_the_cli_titles(corpus):
    pd = pytest.importorskip("pandas")
    rows = [
        (raw["title"], out["title"]) for raw, out in corpus if isinstance(raw.get("title"), str)
    ]
    frame = pd.DataFrame({"title": [r[0] for r in rows] + [None, float("nan")]})
    fixed = frame["title"].map(partial(normalize.fix_text, field="title"))
    assert len(rows) > 50
    assert fixed[: len(rows)].tolist() == [r[1] for r in rows]
    assert fixed[len(rows)] is None and fixed[len(rows) + 1] != fixed[len(rows) + 1]  # NaN


def test_fix_text_gives_the_cli_text(corpus):
    checked = 0
    for raw, out in corpus:
        text = _input(raw, "text")
        if not isinstance(text, str):
            continue
        got = fix_text(text, out["language"], context=_context(raw, out))
        assert got == out["text"], raw
        checked += 1
    assert checked > 200


def test_fix_text_and_explain_names_the_rules(corpus):
    explained = normalize.fix_text_and_explain("Subscribe\nThe mayor of Kiev met on Monday.", "en")
    assert explained.value == "The mayor of Kyiv met on Monday."
    assert [c.rule_id for c in explained.changes] == ["ui.en.lines", "place.en.kyiv"]
    assert explained.changes[0].before.startswith("Subscribe\n")


def test_parse_date_gives_the_cli_published(corpus):
    checked = 0
    for raw, out in corpus:
        value = _input(raw, "published")
        codes = {w["code"] for w in out["normalization"]["warnings"]}
        if value is None or codes & {"date.unparsed", "date.needs_reference"}:
            continue
        context = {"source": _input(raw, "source"), "url": out["url"]}
        parsed = parse_date(value, out["language"], context=context)
        assert isinstance(parsed, ParsedDate)
        assert parsed.value == out["published"], raw
        assert parsed.ambiguous == ("date.ambiguous" in codes)
        assert parsed.precision is not None and parsed.form is not None
        checked += 1
    assert checked > 60


def test_parse_date_reads_forms_precision_and_references():
    assert parse_date("2022-01") == ParsedDate("2022-01", "month", False, "iso", "2022-01")
    rfc = parse_date("Thu, 09 Jun 2022 16:20:00 -0400")
    assert (rfc.value, rfc.precision, rfc.form) == (
        "2022-06-09T16:20:00-04:00",
        "second",
        "rfc2822",
    )
    assert parse_date("вчера, 17:22", "ru").value is None
    relative = parse_date("вчера, 17:22", "ru", reference="2025-06-10")
    assert (relative.value, relative.form) == ("2025-06-09T17:22", "relative")
    explained = normalize.parse_date_and_explain("02/01/2022", "en-US")
    assert explained.value.ambiguous and explained.value.value == "2022-02-01"
    assert [w.code for w in explained.warnings] == ["date.ambiguous"]
    assert parse_date("no date here").value is None
    assert parse_date(None).value is None


def test_detect_language_gives_the_cli_language(corpus):
    checked = 0
    for raw, out in corpus:
        text = _input(raw, "text")
        if not isinstance(text, str) or _input(raw, "language") is not None:
            continue
        found = detect_language(text, context=_context(raw, out))
        assert isinstance(found, Detection)
        assert found.tag == out["language"], raw
        assert found.confidence == out["normalization"].get("language_confidence")
        checked += 1
    assert checked > 50


def test_find_places_gives_the_cli_places(corpus):
    checked = 0
    for raw, out in corpus:
        text = _input(raw, "text")
        if not isinstance(text, str) or _input(raw, "places") is not None:
            continue
        found = find_places(text, out["language"], context=_context(raw, out))
        assert all(isinstance(p, Place) for p in found)
        assert [p.as_dict() for p in found] == out["places"], raw
        checked += 1
    assert checked > 100
    assert find_places("Talks in Kiev resumed.")[0] == Place("Kyiv", "UA", 703448)


def test_a_given_normalizer_and_bad_values():
    from normalize import Normalizer

    mine = Normalizer()
    assert fix_text("Kiev", "en", normalizer=mine) == "Kyiv"
    with pytest.raises(TypeError, match="takes text"):
        fix_text(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="field is one of"):
        fix_text("x", field="published")
    with pytest.raises(TypeError, match="reference"):
        parse_date("вчера", "ru", reference=3)  # type: ignore[arg-type]
