"""The record contract: aliases, key order, nulls, meta, id, serialization, read-back."""

from __future__ import annotations

import hashlib
import json

from normalize import Normalizer
from normalize.record import OUTPUT_KEYS, dumps


def test_keys_in_spec_order_and_nulls_for_missing_fields():
    out = Normalizer().normalize({"headline": "Bridge reopens"})
    assert tuple(out) == OUTPUT_KEYS
    assert out["url"] is None and out["published"] is None and out["places"] == []
    assert out["normalization"]["version"] == 1
    assert set(out["normalization"]) >= {"version", "ruleset", "fired", "warnings"}


def test_aliases_are_case_insensitive_and_unmapped_fields_go_to_meta():
    out = Normalizer().normalize(
        {
            "HeadLine": "Bridge reopens",
            "BODY": "The bridge reopened.",
            "author": "A. Writer",
            "n": 3,
        }
    )
    assert out["title"] == "Bridge reopens"
    assert out["text"] == "The bridge reopened."
    assert out["meta"] == {"author": "A. Writer", "n": 3}


def test_first_alias_wins_and_the_other_stays_in_meta():
    out = Normalizer().normalize({"title": "Main", "headline": "Other"})
    assert out["title"] == "Main"
    assert out["meta"] == {"headline": "Other"}


def test_id_from_input_url_or_title_and_date():
    normalizer = Normalizer()
    assert normalizer.normalize({"_id": 48213})["id"] == "48213"
    url = "https://example.org/a/1"
    assert (
        normalizer.normalize({"url": url})["id"] == "sha1:" + hashlib.sha1(url.encode()).hexdigest()
    )
    out = normalizer.normalize({"title": "Bridge reopens", "published": "2022"})
    basis = "Bridge reopens" + out["published"]
    assert out["id"] == "sha1:" + hashlib.sha1(basis.encode()).hexdigest()


def test_serialization_is_utf8_compact_and_unescaped():
    line = dumps({"title": "Київ — “так”", "n": 1})
    assert line == '{"title":"Київ — “так”","n":1}'


def test_lone_surrogates_in_meta_stay_valid_json():
    line = dumps({"meta": {"odd": "\ud800"}})
    line.encode("utf-8")
    assert json.loads(line) == {"meta": {"odd": "\ud800"}}


def test_canonical_input_is_read_back_without_nesting():
    normalizer = Normalizer()
    first = normalizer.normalize(
        {"title": "Bridge", "text": "Subscribe\nIt reopened.", "section": "City"}
    )
    again = normalizer.normalize(json.loads(dumps(first)))
    assert again == first
    assert again["meta"] == {"section": "City"}


def test_changes_are_recorded_with_audit():
    out = Normalizer(audit=True).normalize({"text": "Subscribe\nIt reopened."})
    changes = out["normalization"]["changes"]
    assert changes[0]["rule"] == "ui.en.lines"
    assert changes[0]["before"] == "Subscribe\nIt reopened."
    assert changes[0]["after"] == "It reopened."


def test_output_key_order_is_the_specs():
    assert OUTPUT_KEYS == (
        "id",
        "url",
        "source",
        "language",
        "published",
        "retrieved",
        "title",
        "summary",
        "text",
        "authors",
        "places",
        "meta",
        "normalization",
    )
    out = Normalizer().normalize({"title": "Bridge reopens"})
    assert out["summary"] is None and out["retrieved"] is None and out["authors"] == []


def test_description_is_the_summary_and_the_byline_gives_authors():
    out = Normalizer().normalize(
        {"title": "T", "description": "The  lead.", "author": "A. Writer, B. Roe"}
    )
    assert out["summary"] == "The  lead."
    assert out["authors"] == ["A. Writer", "B. Roe"]
    assert out["meta"] == {"author": "A. Writer, B. Roe"}
