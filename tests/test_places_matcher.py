"""The places stage's compiled matchers held to plain versions of themselves.

`starts` asks one RE2 set of literal forms which forms a text holds, then finds their first
words; the plain version lists every word of the text and keeps those that begin a form.
The context's `PatternSet` answers in one pass which rules' patterns match a text; the
plain version searches each rule's patterns on the lower-cased text, one by one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from normalize.regex_safety import compile_rule_pattern
from normalize.stages import places
from normalize.stages.places.matcher import MatchTables, starts

TEXTS = [
    "Officials in Kiev said on Monday that talks in Warsaw and Washington, D.C. would go on.",
    "The Kharkov-based charity delivered food to Odessa and Nikolaev; Kiev's mayor thanked it.",
    "The café serves Chicken Kiev. The oil boom transformed Odessa, Texas, in the 1920s.",
    "KIEV, Jan 5 (Reuters) - Zaporozhye and Dnepropetrovsk; Kievan Rus' history; Kievskaya St.",
    "Мост в Киеве открыли; в Киевской области и в Москве тоже. Republic of Moldova, Кишинёв.",
    "xKiev Kiev_ Kiev2 _Kiev Kiev Kievan Odessa\ud800Lvov Rostov-on-Don Rostov",
    "Prince Lvov, Kiev 88 and Lost in Kiev; the miniseries “Chernobyl”; Odessa, Tex. (34)",
    "",
]


@pytest.fixture(scope="module")
def compiled() -> places.CompiledPlaces:
    from normalize.ruleset import load_ruleset

    return places.build(load_ruleset())


def _texts(shared: Path | None) -> list[str]:
    texts = list(TEXTS)
    if shared is None:
        return texts
    files = [shared / "corpus" / "dev.jsonl", *sorted((shared / "corpus" / "real").glob("*.jsonl"))]
    for path in files:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            record = json.loads(line)
            record = record.get("input", record) if isinstance(record, dict) else {}
            if isinstance(record, dict):
                texts.extend(
                    v for k, v in record.items() if k in ("title", "text") and isinstance(v, str)
                )
    return texts


@pytest.fixture(scope="module")
def texts(request: Any) -> list[str]:
    try:
        shared = request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        shared = None
    return _texts(shared)


def plain_starts(text: str, tables: MatchTables) -> list[tuple[int, str]]:
    """Every whole word of the text that is the first word of a form, and where it stands,
    when one of the forms it begins occurs in the text at all."""
    found = []
    for word in re.finditer(r"\w+", text):
        start, first = word.start(), word.group()
        if first not in tables.first_words:
            continue
        forms = [first] if first in tables.single_words else []
        forms += [f for group in tables.longer_forms.get(first, {}).values() for f in group]
        if any(form in text for form in forms):
            found.append((start, first))
    return found


def test_starts_equal_the_plain_word_listing(
    compiled: places.CompiledPlaces, texts: list[str]
) -> None:
    for text in texts:
        assert starts(text, compiled.cased) == plain_starts(text, compiled.cased), text[:80]
        lowered = text.lower()
        if len(lowered) == len(text):
            assert starts(lowered, compiled.caseless) == plain_starts(lowered, compiled.caseless), (
                text[:80]
            )


def test_mentions_found_after_a_form_inside_a_longer_word(compiled: places.CompiledPlaces) -> None:
    """`Kievan` holds `Kiev`: the set says the form is there, only whole words count."""
    found = [m.surface for m in places.find_mentions(TEXTS[5], compiled, "en")]
    assert found.count("Kiev") == 1 and "Rostov-on-Don" in found and "Rostov" in found


def test_the_pattern_set_equals_each_rule_searched_alone(
    compiled: places.CompiledPlaces, texts: list[str]
) -> None:
    context = compiled.context
    plain = [compile_rule_pattern(source, False, True) for source in context.patterns.sources]
    checked = 0
    for text in texts:
        expected = {i for i, p in enumerate(plain) if p.search(text.lower()) is not None}
        if len(text.lower()) == len(text):
            assert context.patterns.matched(text) == expected, text[:80]
            checked += bool(expected)
    assert checked >= 3  # the texts above name homonyms, people and Ukraine


def test_a_copy_of_the_compiled_places_matches_alike(compiled: places.CompiledPlaces) -> None:
    """The RE2 sets do not pickle: a copy (a worker, the cache) builds them again."""
    import pickle

    copy = pickle.loads(pickle.dumps(compiled))
    for text in TEXTS:
        assert starts(text, copy.cased) == starts(text, compiled.cased)
        assert copy.context.patterns.matched(text) == compiled.context.patterns.matched(text)
