"""UI word forms, labelled lines and hyphenated words; prose in every lexicon language stays.

The lexicons list one form of a word; a page writes another (`Shared`, `Printen`,
`tercihlerini`). The forms come from each language's endings (`morphology.py`).
"""

from __future__ import annotations

import pytest

from normalize import Normalizer
from normalize.stages.ui_strings.morphology import Morphology, Refusal, WordSet

BODY = "The council approved the budget on Tuesday after a long debate."


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def test_endings_join_the_forms_of_a_word():
    english = Morphology.of(["s", "es", "ed", "ing", "e"])
    words = WordSet.of(["share", "print"], english)
    assert all(w in words for w in ("share", "shared", "sharing", "shares", "printed"))
    assert "sharp" not in words and "prince" not in words
    spanish = Morphology.of(["ar", "ir", "e", "te", "se"])
    assert "suscríbete" in WordSet.of(["suscribirse"], spanish)  # enclitic, ending, accent


def test_added_letters_for_an_agglutinative_language():
    turkish = Morphology.of([], min_root=4, suffix_letters=6)
    words = WordSet.of(["tercihler"], turkish)
    assert "tercihlerini" in words and "tercihlerinizdenmiş" not in words


def test_refusal_never_refuses_a_word_a_set_holds():
    forms = Morphology.of(["en", "e", "t"])
    sets = [WordSet.of(["teilen", "vk*", "x"], forms), WordSet.of(["drucken"], forms)]
    refusal = Refusal.of(sets)
    held = ("teilt", "vkontakte", "x", "druckt", "drucke")
    assert all(any(word in s for s in sets) for word in held)
    assert all(refusal.may_hold(word) for word in held)
    assert not refusal.may_hold("haus")
    assert refusal.memo == {**dict.fromkeys(held, True), "haus": False}


@pytest.mark.parametrize(
    "line",
    [
        "Most shared",  # a form the English lexicon does not list
        "Printen",
        "Artikel teilen",
        "Teilen Sie diesen Artikel",
        "Partagez cet article",
        "Compártelo",
        "Çerez tercihlerini yönet",
        "Najczęściej czytane",
        "Най-четени",
        "Read also: Council plans a new swimming pool",
        "Читайте также: Мэрия построит новый бассейн",
        "Lesen Sie auch: Stadt plant neues Hallenbad",
        "Tags: budget, council, taxes",
        "Home › News › World",
        "Главная / Новости / Политика",
        "Startseite > Politik > Ausland",
    ],
)
def test_forms_and_labels_go(normalizer, line):
    out = normalizer.normalize({"text": f"{BODY}\n{line}\n{BODY}"})
    assert out["text"] == f"{BODY}\n{BODY}"


PROSE = {
    "en": [
        "Shares in the company fell after the print edition was cancelled",
        "Update: the council shared its plans with residents",
        "Politics | Economy | Sport",
        "Zelensky | Putin | Biden",
    ],
    "ru": ["Читатели подписались на рассылку мэрии", "Фото из архива показали в суде."],
    "uk": ["Мешканці поділилися фото з місця події."],
    "be": ["Жыхары падзяліліся фота з месца падзеі."],
    "pl": ["Mieszkańcy udostępnili zdjęcia z miejsca zdarzenia."],
    "de": ["Die Bürger teilten ihre Fotos mit der Polizei."],
    "fr": ["Les habitants ont partagé leurs photos avec la police."],
    "es": ["Los vecinos compartieron sus fotos con la policía."],
    "it": ["I residenti hanno condiviso le foto con la polizia."],
    "pt": ["Os moradores compartilharam as fotos com a polícia."],
    "cs": ["Obyvatelé sdíleli fotografie s policií."],
    "bg": ["Жителите споделиха снимки с полицията."],
    "sr": ["Građani su podelili fotografije sa policijom.", "Грађани су поделили фотографије."],
    "tr": ["Vatandaşlar fotoğrafları polisle paylaştı."],
    "nl": ["Bewoners deelden hun foto's met de politie."],
}


@pytest.mark.parametrize(
    ("lang", "line"), [(lang, line) for lang, lines in PROSE.items() for line in lines]
)
def test_prose_with_ui_words_stays_in_every_language(normalizer, lang, line):
    for record in ({"lang": lang, "text": line}, {"text": line}):
        out = normalizer.normalize(record)
        assert out["text"] == line
        assert not [r for r in out["normalization"]["fired"] if r.startswith("ui.")]


def test_furniture_by_concept_in_every_language(normalizer):
    """tests/data/ui_concepts.jsonl: the furniture of news sites by concept (sign-in,
    comments, share, copy link, newsletter, app, cookies, privacy, skip to content, most
    read, advertising, listen, watch, next article, load more, follow us, contact, legal,
    back to top), written for this test in each lexicon language."""
    import json
    from pathlib import Path

    rows = Path(__file__).parent / "data" / "ui_concepts.jsonl"
    kept = []
    for row in map(json.loads, rows.read_text(encoding="utf-8").splitlines()):
        for line in row["ui"]:
            if (
                normalizer.normalize({"text": f"{BODY}\n{line}\n{BODY}"})["text"]
                != f"{BODY}\n{BODY}"
            ):
                kept.append((row["lang"], line))
    assert kept == []


def test_remembered_answers_are_the_reference_answers():
    """Word sets remember each word's answer (an optimization of the vocabulary stage):
    the remembered answer is `_holds`, the reference, before and after the memo fills."""
    from normalize.ruleset import load_ruleset
    from normalize.stages.ui_strings.scope import compile as compile_ui

    lexicons = compile_ui(load_ruleset()).lexicons
    words = ["shared", "teilt", "compártelo", "tercihlerini", "council", "budget", "най-четени"]
    for lexicon in lexicons:
        for word in words * 2:
            assert (word in lexicon.ui) == lexicon.ui._holds(word)
        assert set(lexicon.ui.memo) >= set(words)
