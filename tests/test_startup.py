"""What the start-up work changed, checked for behaviour (no timings here: see bench/startup.py).

The places matcher is no longer one regex of the whole gazetteer (a second to compile at
every start-up) but a table from first words to forms. These tests hold it to the regex's
semantics: at a word start, the longest form that ends at a word boundary.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from normalize.stages import places

REPO = Path(__file__).resolve().parents[1]

TEXTS = [
    "Officials in Kiev said on Monday that talks in Warsaw and Washington, D.C. would go on.",
    "The Kharkov-based charity delivered food to Odessa and Nikolaev; Kiev's mayor thanked it.",
    "The café serves Chicken Kiev. The oil boom transformed Odessa, Texas, in the 1920s.",
    "KIEV, Jan 5 (Reuters) - Zaporozhye and Dnepropetrovsk; Kievan Rus' history; Kievskaya St.",
    'Росіяни запустили кампанію "Росія без Путіна" перед виборами у Києві та Харкові.',
    "Мост в Киеве открыли; в Киевской области и в Москве тоже. Republic of Moldova, Кишинёв.",
    "xKiev Kiev_ Kiev2 _Kiev Kiev",
]


@pytest.fixture(scope="module")
def compiled() -> places.CompiledPlaces:
    from normalize.ruleset import load_ruleset

    return places.build(load_ruleset())


def _texts(shared: Path | None) -> list[str]:
    texts = list(TEXTS)
    if shared is not None:
        for line in (shared / "corpus" / "dev.jsonl").read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            case = json.loads(line)
            record = case.get("input")
            if isinstance(record, dict):
                texts.extend(
                    v for k, v in record.items() if k in ("title", "text") and isinstance(v, str)
                )
    return texts


def _reference(texts: list[str], compiled: places.CompiledPlaces) -> re.Pattern[str]:
    """The old matcher, built only from the forms these texts could contain (cheap)."""
    words = set()
    for text in texts:
        words.update(re.findall(r"\w+", text))
    forms = [
        form
        for word in sorted(words & compiled.cased.first_words)
        for form in (
            *([word] if word in compiled.cased.single_words else []),
            *(f for group in compiled.cased.longer_forms.get(word, {}).values() for f in group),
        )
    ]
    return re.compile(places.trie_pattern(sorted(forms)) + r"(?!\w)")


def test_match_at_equals_the_trie_regex(compiled: places.CompiledPlaces, request: Any) -> None:
    try:
        shared = request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        shared = None
    texts = _texts(shared)
    reference = _reference(texts, compiled)
    checked = 0
    for text in texts:
        for word in re.finditer(r"\w+", text):
            start = word.start()
            if start and re.match(r"\w", text[start - 1]):
                continue
            expected = reference.match(text, start)
            assert places.match_at(text, start, compiled) == (
                expected.group() if expected else None
            ), (text, start)
            checked += 1
    assert checked > 50


def test_every_mention_is_found_after_a_longer_word_sharing_its_start(
    compiled: places.CompiledPlaces,
) -> None:
    """`Росіяни` begins with `Росія`: the old scan took that for the word and lost `Росія`."""
    text = TEXTS[4]
    found = [
        (m.surface, m.meaning.place is not None) for m in places.find_mentions(text, compiled, "uk")
    ]
    assert ("Росія", True) in found
    assert all(surface != "Росіяни" for surface, _ in found)


def test_exceptions_hold_in_long_texts(compiled: places.CompiledPlaces) -> None:
    """Many renames before and after `Chicken Kiev` and `Odessa, Texas` (the old scan drifted)."""
    from normalize.work import WorkRecord

    filler = "Officials in Kharkov and Odessa met. Kiev's mayor and Lvov's spoke. " * 20
    text = filler + "The café serves Chicken Kiev. Oil made Odessa, Texas. " + filler
    work = WorkRecord(values={"text": text, "meta": {}, "language": "en"})
    places.run(work, compiled)
    out = work.values["text"]
    assert "Chicken Kiev" in out and "Odessa, Texas" in out
    rest = out.replace("Chicken Kiev", "").replace("Odessa, Texas", "")
    for old in ("Kiev", "Kharkov", "Odessa", "Lvov"):
        assert old not in rest
    assert rest.count("Kyiv's") == 40 and rest.count("Odesa") == 40


def test_importing_the_cli_stays_light() -> None:
    """`metanorm --help` must not load the heavy libraries (they load when a stage needs them)."""
    code = (
        "import sys, normalize.cli, normalize.normalizer, normalize.stages.places, "
        "normalize.stages.dates, normalize.stages.language, "
        "normalize.stages.language.detector, "
        "normalize.langtags, normalize.stages.dates.relative, normalize.cache\n"
        "heavy = [m for m in ('babel', 'langdetect', 'ftfy', 'dateutil', 'dateparser', "
        "'email.utils', 'tempfile') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == ""
