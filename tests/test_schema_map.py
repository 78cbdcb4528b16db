"""Field mapping that meets real feeds: aliases, dotted paths, inference, pins, shapes."""

from __future__ import annotations

import json

import pytest

from normalize import Normalizer
from normalize.cli import main
from normalize.undo import rebuild_input

NEWSAPI = {
    "source": {"id": None, "name": "Ria.ru"},
    "author": "",
    "title": "SWIFT подтвердил ЦБ отсутствие рисков",
    "description": "Банк России не видит рисков... РИА Новости, 18.05.2021",
    "url": "https://ria.ru/20210518/swift-1732852956.html",
    "urlToImage": "https://cdn22.img.ria.ru/images/1732852956.jpg",
    "publishedAt": "2021-05-18T15:33:45Z",
    "content": None,
}


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def test_newsapi_record_maps_every_field(normalizer):
    out = normalizer.normalize(NEWSAPI)
    assert out["source"] == "Ria.ru"
    assert out["published"] == "2021-05-18T15:33:45Z"
    assert out["summary"] == "Банк России не видит рисков..."
    assert out["authors"] == []
    assert out["url"] == NEWSAPI["url"]
    assert out["meta"]["urlToImage"] == NEWSAPI["urlToImage"]
    assert "source" not in out["meta"]  # {"id": null} holds nothing more


def test_a_nested_object_keeps_its_other_values_in_meta(normalizer):
    record = {"title": "A", "source": {"id": "google-news", "name": "Google News"}}
    out = normalizer.normalize(record)
    assert out["source"] == "Google News"
    assert out["meta"]["source"] == record["source"]


def test_json_ld_news_article(normalizer):
    record = {
        "@type": "NewsArticle",
        "headline": "Bridge reopens",
        "articleBody": "The bridge reopened on Monday.",
        "datePublished": "2022-01-28T14:05:00+03:00",
        "author": [{"@type": "Person", "name": "A. Writer"}, {"@type": "Person", "name": "B. Roe"}],
        "publisher": {"@type": "Organization", "name": "Example Times"},
    }
    out = normalizer.normalize(record)
    assert out["title"] == "Bridge reopens"
    assert out["text"] == "The bridge reopened on Monday."
    assert out["published"] == "2022-01-28T14:05:00+03:00"
    assert out["authors"] == ["A. Writer", "B. Roe"]
    assert out["source"] == "Example Times"


def test_feedparser_entry(normalizer):
    record = {
        "title": "Bridge reopens",
        "link": "https://example.org/1",
        "id": "tag:example.org,2022:1",
        "summary": "It reopened.",
        "content": [{"type": "text/html", "value": "<p>The bridge reopened.</p><p>Traffic</p>"}],
        "authors": [{"name": "Jane Doe", "email": "jd@example.org"}],
        "source": {"title": "Example Feed", "href": "https://example.org/feed"},
    }
    out = normalizer.normalize(record)
    assert out["text"] == "The bridge reopened.\nTraffic"
    assert out["summary"] == "It reopened."
    assert out["authors"] == ["Jane Doe"]
    assert out["source"] == "Example Feed"
    assert out["meta"]["authors"] == record["authors"]  # the e-mail is not lost


def test_telegram_export_message(normalizer):
    record = {
        "id": 4211,
        "type": "message",
        "date": "2022-03-01T10:15:00",
        "from": "Новини",
        "text": ["Читайте ", {"type": "link", "text": "звіт"}, " сьогодні."],
    }
    out = normalizer.normalize(record)
    assert out["text"] == "Читайте звіт сьогодні."
    assert out["id"] == "4211"
    assert out["published"] == "2022-03-01T10:15:00"


def test_unlisted_names_are_inferred_and_warned(normalizer):
    record = {
        "title_article": "Bridge reopens",
        "url_article": "https://example.org/1",
        "article_date_timestamp": "2022-01-28",
        "image_url": "https://example.org/1.jpg",
    }
    out = normalizer.normalize(record)
    assert out["title"] == "Bridge reopens"
    assert out["url"] == "https://example.org/1"
    assert out["published"] == "2022-01-28"
    assert out["meta"] == {"image_url": "https://example.org/1.jpg"}
    inferred = {w["field"]: w["message"] for w in out["normalization"]["warnings"]}
    assert "'article_date_timestamp'" in inferred["published"]
    assert "'title_article'" in inferred["title"]


def test_a_record_with_nothing_mappable_is_warned_not_silent(normalizer):
    out = normalizer.normalize({"foo": 1, "bar": "x"})
    codes = [w["code"] for w in out["normalization"]["warnings"]]
    assert "schema.unmapped" in codes
    assert out["meta"] == {"foo": 1, "bar": "x"}


def test_library_mapping_pins_a_field():
    pinned = Normalizer(mapping={"published": "when", "source": "site.label"})
    out = pinned.normalize({"title": "A", "date": "2020-01-01", "when": "2022-01-28"})
    assert out["published"] == "2022-01-28"
    assert out["meta"] == {"date": "2020-01-01"}
    out = pinned.normalize({"title": "A", "site": {"label": "Example"}})
    assert out["source"] == "Example"
    with pytest.raises(ValueError, match="not a canonical field"):
        Normalizer(mapping={"headline": "x"})


def test_cli_map_option(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"title": "A", "when": "2022-01-28"}) + "\n", encoding="utf-8")
    assert main([str(path), "--map", "published=when", "--map", "source=nope"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["published"] == "2022-01-28"
    with pytest.raises(SystemExit) as stop:
        main([str(path), "--map", "published"])
    assert stop.value.code == 2
    assert "CANONICAL=FIELD" in capsys.readouterr().err


def test_field_map_rule_file(tmp_path):
    (tmp_path / "schema.yaml").write_text(
        "rules:\n"
        "  - id: site.map\n"
        "    kind: field-map\n"
        "    description: This site's names.\n"
        "    map: {title: h1_text, published: article_date_timestamp}\n"
        "    examples:\n"
        "      - input: {h1_text: Bridge}\n"
        "        expected: {title: Bridge}\n",
        encoding="utf-8",
    )
    out = Normalizer(rules=[tmp_path]).normalize({"h1_text": "Bridge", "title": "Other"})
    assert out["title"] == "Bridge"
    assert out["meta"] == {"title": "Other"}


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Василий  Стоякин", ["Василий Стоякин"]),
        ("Іван Петренко та Олена Коваль", ["Іван Петренко", "Олена Коваль"]),
        ("By Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("ТАСС", ["ТАСС"]),
        ("", []),
        (None, []),
    ],
)
def test_authors_are_a_list_of_names(normalizer, byline, authors):
    out = normalizer.normalize({"title": "A", "author": byline})
    assert out["authors"] == authors
    assert out["meta"]["author"] == byline  # the byline as the source wrote it


def test_retrieved_is_iso_and_the_reference_for_relative_dates(normalizer):
    out = normalizer.normalize(
        {"title": "А", "lang": "ru", "date_str": "Вчера, 17:22", "crawled_at": "2025-06-10"}
    )
    assert out["retrieved"] == "2025-06-10"
    assert out["published"] == "2025-06-09T17:22"
    assert normalizer.normalize({"title": "A", "fetch_time": 1749513600})["retrieved"] == (
        "2025-06-10T00:00:00+00:00"
    )


def test_mapping_changes_undo_to_the_input():
    audited = Normalizer(audit=True)
    for record in (NEWSAPI, {"title": "A", "source": {"id": "x", "name": "Y"}, "author": "B, C"}):
        assert rebuild_input(audited.normalize(record)) == record


def test_canonical_output_reads_back_unchanged(normalizer):
    record = {"title": "A", "source": {"id": "x", "name": "Y"}, "author": "B, C", "crawled": "2022"}
    first = normalizer.normalize(record)
    assert normalizer.normalize(json.loads(json.dumps(first))) == first
