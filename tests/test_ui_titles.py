"""Publisher suffixes and prefixes on titles, and the real NewsAPI titles' gold."""

from __future__ import annotations

import json

import pytest

from normalize import Normalizer


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize(
    ("record", "title"),
    [
        ({"source": "Ria.ru", "title": "Talks resumed - РИА НОВОСТИ"}, "Talks resumed"),
        ({"source": "Lenta", "title": "Talks resumed - Lenta.ru"}, "Talks resumed"),
        (
            {"source": "Kommersant.ru", "title": "Talks – Мир - Коммерсантъ - Коммерсантъ"},
            "Talks – Мир",
        ),
        (
            {"source": "Meduza", "title": "Песня для «Евровидения» — Meduza - Meduza"},
            "Песня для «Евровидения»",
        ),
        (
            {"url": "https://www.mk.ru/a/1", "title": "Пожар потушен - Московский Комсомолец"},
            "Пожар потушен",
        ),
        ({"source": "RBC", "title": "Рубль укрепился - РБК"}, "Рубль укрепился"),
        ({"source": "Interfax.ru", "title": "Взрыв в порту - Интерфакс"}, "Взрыв в порту"),
        ({"source": {"id": None, "name": "Ria.ru"}, "title": "X - РИА НОВОСТИ"}, "X"),
        ({"source": "Sports.ru", "title": "Уфа - Зенит"}, "Уфа - Зенит"),
        ({"source": "Sports.ru", "title": "Уфа - Зенит - Sports.ru"}, "Уфа - Зенит"),
        ({"source": "Lenta", "title": "Talks resumed - Reuters"}, "Talks resumed - Reuters"),
        ({"source": "Lenta", "title": "- Lenta.ru"}, "- Lenta.ru"),
        ({"title": "Talks resumed - Lenta.ru"}, "Talks resumed - Lenta.ru"),
    ],
)
def test_publisher_piece_goes_only_when_it_names_the_publisher(normalizer, record, title):
    assert normalizer.normalize(record)["title"] == title


def test_publisher_is_captured_when_the_record_has_no_source(normalizer):
    out = normalizer.normalize({"url": "https://lenta.ru/news/1", "title": "Talks - Lenta.ru"})
    assert (out["title"], out["source"]) == ("Talks", "Lenta.ru")


def test_aggregator_outlet_goes_once_and_the_output_is_stable(normalizer):
    record = {"source": "Google News", "title": "Уфа - Зенит - Чемпионат - Чемпионат"}
    out = normalizer.normalize(record)
    assert (out["title"], out["source"]) == ("Уфа - Зенит", "Google News")
    assert normalizer.normalize(out)["title"] == "Уфа - Зенит"


def test_real_newsapi_titles_gold(shared_dir, normalizer):
    """The publisher suffix of the real NewsAPI titles (gold `ui` title cases) ≥ 97%."""
    path = shared_dir / "corpus" / "real" / "gold" / "newsapi_ru.gold.jsonl"
    cases = [json.loads(line) for line in path.open(encoding="utf-8")]
    cases = [
        c
        for c in cases
        if c["capability"] == "ui" and {"title", "title_lacks"} & set(c["expected"])
    ]
    assert len(cases) >= 300
    passed = 0
    for case in cases:
        title = normalizer.normalize(case["input"])["title"]
        want = case["expected"]
        ok = title == want["title"] if "title" in want else True
        ok = ok and not any(s in title for s in want.get("title_lacks", []))
        ok = ok and all(s in title for s in want.get("title_has", []))
        passed += ok
    assert passed / len(cases) >= 0.97, f"{passed}/{len(cases)}"
