"""pandas: `normalize_frame` gives the CLI's records as columns; missing cells are absent."""

from __future__ import annotations

import json
import math

import pytest

from normalize.cli import EXIT_OK, main
from normalize.record import OUTPUT_KEYS, dumps

pd = pytest.importorskip("pandas")

from normalize.pandas import normalize_frame  # noqa: E402


@pytest.fixture(scope="module")
def corpus(shared_dir, tmp_path_factory) -> tuple[list[dict], list[bytes]]:
    """The dev corpus's inputs and the CLI's output lines for them."""
    with (shared_dir / "corpus" / "dev.jsonl").open(encoding="utf-8") as stream:
        inputs = [json.loads(line)["input"] for line in stream if line.strip()]
    folder = tmp_path_factory.mktemp("pandas")
    source, out = folder / "in.jsonl", folder / "out.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in inputs), encoding="utf-8"
    )
    assert main([str(source), "-o", str(out), "--no-progress"]) == EXIT_OK
    return inputs, out.read_bytes().splitlines()


def _has_null_or_float(value) -> bool:
    if isinstance(value, dict):
        return any(_has_null_or_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null_or_float(v) for v in value)
    return value is None or isinstance(value, float)


def test_frame_of_the_corpus_gives_the_cli_records(corpus):
    inputs, expected = corpus
    frame = pd.DataFrame(inputs)  # every record's missing keys become NaN here
    out = normalize_frame(frame)
    assert list(out.columns) == [*OUTPUT_KEYS, "warnings"]
    assert list(out.index) == list(frame.index)
    compared = 0
    for (_, row), raw, line in zip(out.iterrows(), inputs, expected, strict=True):
        record = {name: row[name] for name in OUTPUT_KEYS}
        assert row["warnings"] == record["normalization"]["warnings"]
        text = dumps(record)
        assert "NaN" not in text.replace('"NaN"', "")
        if any(_has_null_or_float(v) for v in raw.values()):
            continue  # an explicit null (or NaN) is absent in a frame
        assert text.encode("utf-8") == line, raw
        compared += 1
    assert compared > 300


def test_missing_values_timestamps_and_numpy_scalars():
    frame = pd.DataFrame(
        {
            "lang": ["en", "en", None],
            "title": ["Kiev talks", None, pd.NA],
            "text": [
                "The talks between the two delegations resumed in Kiev on Monday morning.",
                float("nan"),
                "Nothing to repair here, the council said.",
            ],
            "published": [pd.Timestamp("2022-01-28 14:05", tz="UTC"), pd.NaT, None],
            "word_count": pd.array([3, None, 2], dtype="Int64"),
            "score": [0.5, float("nan"), float("inf")],
        }
    )
    out = normalize_frame(frame, explain=True)
    first, second, third = (out.iloc[i] for i in range(3))
    assert first["title"] == "Kyiv talks"
    assert first["published"] == "2022-01-28T14:05:00+00:00"
    assert first["meta"] == {"word_count": 3, "score": 0.5}
    assert second["title"] is None and second["text"] is None and second["published"] is None
    assert second["meta"] == {}
    assert third["meta"] == {"word_count": 2, "score": None}  # JSON has no infinity
    assert any(c["rule"] == "place.en.kyiv" for c in first["changes"])
    for _, row in out.iterrows():
        text = dumps({name: row[name] for name in OUTPUT_KEYS})
        assert "NaN" not in text and "Infinity" not in text
        assert not any(isinstance(v, float) and math.isnan(v) for v in row.values)


def test_mapping_pins_columns():
    frame = pd.DataFrame(
        {"headline_text": ["Kiev talks"], "body_html": ["In Kiev today."], "lang": ["en"]}
    )
    out = normalize_frame(frame, mapping={"title": "headline_text", "text": "body_html"})
    assert (out.loc[0, "title"], out.loc[0, "text"]) == ("Kyiv talks", "In Kyiv today.")
    assert out.loc[0, "meta"] == {}
    with pytest.raises(ValueError, match="not a canonical field"):
        normalize_frame(frame, mapping={"headline": "headline_text"})
    with pytest.raises(ValueError, match="no column"):
        normalize_frame(frame, mapping={"title": "nope"})
    both = frame.assign(title="other")
    with pytest.raises(ValueError, match="also has a 'title' column"):
        normalize_frame(both, mapping={"title": "headline_text"})


def test_series_map_with_the_per_value_functions():
    import normalize

    first = "The mayor of Kiev met the city council on Monday to discuss the budget."
    titles = pd.Series([first, None, float("nan"), "Ð¡Ð¾Ð±Ñ‹Ñ‚Ð¸Ðµ"])
    fixed = titles.map(normalize.fix_text)
    assert fixed[0] == first.replace("Kiev", "Kyiv")
    assert fixed[1] is None and math.isnan(fixed[2])
    assert fixed[3] == "Событие"
    dates = pd.Series(["28.01.2022", pd.NaT, "2022-01"]).map(normalize.parse_date)
    assert [d.value for d in dates] == ["2022-01-28", None, "2022-01"]
