"""Legacy Cyrillic code-page repair (issue 9): repairs, zero false positives, the corpus bar."""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path

import pytest

from normalize.ruleset import KindError, Rule, load_rule_file
from normalize.stages import text_repair
from normalize.stages.text_repair import legacy_judge, legacy_reading, legacy_repair, letters
from normalize.stages.text_repair.ftfy_fix import FtfyFixer
from normalize.stages.text_repair.legacy_kind import KINDS
from normalize.stages.text_repair.legacy_repair import LegacyRepairer, compile_repairer

REPO = Path(__file__).resolve().parents[1]


def _judging_form(words: list[str]) -> str:
    """The text the judge scores words as (` word word `, folded as `JUDGE_FOLD` says)."""
    return " " + " ".join(w.lower().translate(letters.JUDGE_FOLD) for w in words) + " "


def _reference_score(profile, text: str) -> float:
    """A profile's mean log-probability per character of `text`, one position at a time:
    the plain definition the judge's remembered values must equal."""
    floor = legacy_judge._LOG_EPSILON
    total = 0.0
    for i in range(1, len(text)):
        value = profile.logp.get(text[i - 2 : i + 1]) if i >= 2 else None
        if value is None:
            value = profile.logp.get(text[i - 1 : i + 1])
            if value is None:
                value = profile.logp.get(text[i], floor)
        total += value
    return total / (len(text) - 1) if len(text) > 1 else 0.0


MOJIBAKE_RULES = REPO / "rules" / "mojibake.yaml"
BAR = 0.95


def _rules() -> list[Rule]:
    kinds = {**text_repair.KINDS, **KINDS}
    return load_rule_file(MOJIBAKE_RULES, kinds)


@pytest.fixture(scope="module")
def repairer() -> LegacyRepairer:
    built = compile_repairer(_rules())
    assert built is not None
    return built


@pytest.fixture(scope="module")
def ftfy_gate() -> FtfyFixer:
    rule = next(r for r in _rules() if r.kind == "ftfy")
    return FtfyFixer(rule.spec["settings"])


def _fixed(repairer: LegacyRepairer, text: str) -> str:
    steps = repairer.repair(text)
    return steps[-1][1] if steps else text


# Sentences written for these tests: (text, written_in, read_as, rule id expected to fire)
REPAIRS = [
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "cp1251",
        "cp1252",
        "mojibake.cp1251-as-cp1252",
    ),
    (
        "Компания Apple покажет iPhone 16 на сайте https://apple.com/ru 10 сентября.",
        "cp1251",
        "cp1252",
        "mojibake.cp1251-as-cp1252",
    ),
    (
        "Нічний потяг до Львова курсуватиме щодня, а квитки на ґанку продають з їжею.",
        "cp1251",
        "cp1252",
        "mojibake.cp1251-as-cp1252",
    ),
    (
        "Аўтобус з Магілёва прыйшоў у Мінск са спазненнем на дзве гадзіны.",
        "cp1251",
        "latin-1",
        "mojibake.cp1251-as-cp1252",
    ),
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "koi8_r",
        "latin-1",
        "mojibake.koi8r-as-latin1",
    ),
    (
        "Міська рада затвердила новий план ремонту доріг і мостів, а ґанок їдальні у травні.",
        "koi8_u",
        "latin-1",
        "mojibake.koi8u-as-latin1",
    ),
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "koi8_r",
        "cp1251",
        "mojibake.koi8r-as-cp1251",
    ),
    (
        "Міська рада затвердила новий план ремонту доріг і мостів на весну, їдальню теж.",
        "koi8_u",
        "cp1251",
        "mojibake.koi8u-as-cp1251",
    ),
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "cp1251",
        "koi8_r",
        "mojibake.cp1251-as-koi8r",
    ),
    (
        "Ґрунтові дороги біля ґанку розмило після дощів, тож їхати довелося об'їздом.",
        "cp1251",
        "koi8_u",
        "mojibake.cp1251-as-koi8u",
    ),
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "cp866",
        "cp1251",
        "mojibake.cp866-as-cp1251",
    ),
    (
        "Городской совет утвердил новый план ремонта дорог на весну.",
        "cp866",
        "latin-1",
        "mojibake.cp866-as-latin1",
    ),
]

# Clean text that must never change (written for these tests).
CLEAN = [
    "« ÇA VA ALLER », répète-t-il. ÀÉÎÕÜ",
    "ÀÉÎÕÜ",
    "ÇA VA",
    "ÉTÉ ÀÏÈ ÔÛ",
    "ÉÉÉ ÀÀÀ ÔÔÔ",
    "ÓÒÔÕ ÑÑÑ",
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß",
    "àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
    "L'ÉTÉ DERNIER, À PARÍS, LA FÊTE ÉTAIT SUPERBE.",
    "Où êtes-vous allés cet été ? À Évian, près du lac Léman.",
    "Der Bürgermeister hat die Straßenbahn für Fußgänger geöffnet; ÄÖÜ sind Großbuchstaben.",
    "ÜBER DIE BRÜCKE GEHÖRT ÄRGER",
    "A operação começou às três horas; a população não ficou satisfeita com a solução.",
    "AÇÃO, REAÇÃO E EMOÇÃO NÃO SÃO A MESMA COISA",
    "El niño pidió una canción en el año nuevo; ¿quién sabe qué pasó allí?",
    "ESPAÑA Y MÉXICO FIRMARON UN ACUERDO DE COOPERACIÓN ECONÓMICA",
    "Zażółć gęślą jaźń; Łódź i Kraków to miasta w Polsce. ŁÓDŹ, ŻÓŁTY",
    "Příliš žluťoučký kůň úpěl ďábelské ódy. ČESKÁ TELEVIZE ODVYSÍLÁ ZPRÁVY",
    "Türkiye'de ekonomi büyüyor; İstanbul'da şiddetli yağmur. ÇOCUKLAR OKULA GİTTİ",
    "Þórður og Guðrún fóru til Reykjavíkur í gær; ÞAÐ VAR ÆÐISLEGT.",
    "Tiếng Việt có nhiều dấu; Hà Nội và Thành phố Hồ Chí Minh là hai thành phố lớn.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. ΟΙ ΕΚΛΟΓΕΣ ΘΑ ΓΙΝΟΥΝ ΤΟΝ ΜΑΪΟ.",
    "Árvíztűrő tükörfúrógép, ŐSZI ÜLÉS; Ålesund og Tromsø; Hyvää päivää, Äänekoski.",
    "Tickets: £10, ¥500, €20, ©2024 ®, ± 5 µm, ½ cup, 30°C, § 12 ¶ 3. Ôôô VIDA MINHA",
    "Министерство сообщило, что школы получат дополнительное финансирование на отопление.",
    "МИНИСТЕРСТВО СООБЩИЛО, ЧТО ШКОЛЫ ПОЛУЧАТ ДОПОЛНИТЕЛЬНОЕ ФИНАНСИРОВАНИЕ НА ОТОПЛЕНИЕ.",
    "ВСУ, НАТО, ООН, МВД, ФСБ и США обсудили ситуацию; РИА Новости, ТАСС, РБК.",
    "Київ, Львів, Одеса: їжак, ґанок, єнот, ЇЖАК, ҐАНОК, ЄНОТ, об'єкт, під’їзд.",
    "УКРАЇНА ТА ЄВРОПЕЙСЬКИЙ СОЮЗ ПІДПИСАЛИ УГОДУ ПРО ВІЛЬНУ ТОРГІВЛЮ",
    "Беларусь: Мінск, Гомель, Магілёў, Брэст; ўлада, аўтобус, сёння. БЕЛАРУСКАЕ ТЭЛЕБАЧАННЕ",
    "iPhone 15 Pro, Samsung Galaxy и Xiaomi: сравнение цен в рублях (https://example.ru/a?b=1).",
    "МоскваСити, ЖКХ, ВКонтакте, ЦСКА, ТикТок, ЕдРо, КамАЗ — обычные слова в новостях.",
    "еЩЁ ОДИН ЗАГОЛОВОК С ОШИБКОЙ В РЕГИСТРЕ",
    "Қазақстан Республикасы — Орталық Азиядағы мемлекет; Српски: ђак, љубав, њива, ћерка.",
    "\u00a0\u00a0«» , () \u00a0 . \u00a0« » .",
]


@pytest.mark.parametrize(("text", "written_in", "read_as", "rule_id"), REPAIRS)
def test_repairs_each_code_page_pair(
    repairer: LegacyRepairer, text: str, written_in: str, read_as: str, rule_id: str
) -> None:
    broken = text.encode(written_in).decode(read_as)
    steps = repairer.repair(broken)
    assert [step[0] for step in steps] == [rule_id]
    assert steps[-1][1] == text


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_never_touched(repairer: LegacyRepairer, text: str) -> None:
    assert repairer.repair(text) == []


def test_mixed_lines_repair_only_the_broken_one(repairer: LegacyRepairer) -> None:
    clean = "Мост через реку откроют весной."
    broken = "Ремонт дорог начнётся в апреле."
    french = "« ÇA VA », dit le maire de l'ÉCOLE."
    text = "\n".join([clean, broken.encode("cp1251").decode("cp1252"), french])
    assert _fixed(repairer, text) == "\n".join([clean, broken, french])


def test_two_code_pages_in_one_field_fire_two_rules(repairer: LegacyRepairer) -> None:
    one = "Городской совет утвердил новый план ремонта дорог на весну."
    two = "Министерство сообщило о новом расписании автобусов."
    text = one.encode("cp1251").decode("cp1252") + "\n" + two.encode("koi8_r").decode("cp1251")
    steps = repairer.repair(text)
    assert [s[0] for s in steps] == ["mojibake.cp1251-as-cp1252", "mojibake.koi8r-as-cp1251"]
    assert steps[0][1].split("\n")[0] == one
    assert steps[-1][1] == one + "\n" + two


def test_undoes_ftfy_decoding_inside_cp866(repairer: LegacyRepairer, ftfy_gate) -> None:
    """ftfy reads some cp866-as-cp1251 byte runs as UTF-8 (`йҐЈ` → `饣`); they come back."""
    text = "Министерство сообщило, что с будущего месяца поезд будет ходить чаще."
    broken = ftfy_gate.fix(text.encode("cp866").decode("cp1251"))
    assert _fixed(repairer, broken) == text


def test_pickles_and_loads_profiles_lazily(repairer: LegacyRepairer) -> None:
    broken = "Çàãîëîâîê îòêðûâàåìîãî ìàòåðèàëà"
    clone = pickle.loads(pickle.dumps(repairer))
    assert clone._pairs is None  # nothing heavy travels
    assert clone.repair(broken) == repairer.repair(broken)
    assert len(pickle.dumps(repairer)) < 20_000


def test_no_rules_no_repairer() -> None:
    assert compile_repairer([r for r in _rules() if r.kind != "legacy-codepage"]) is None


@pytest.mark.parametrize(
    ("spec", "key"),
    [
        ({"written_in": "cp9999", "read_as": "cp1252"}, "written_in"),
        ({"written_in": "cp1251", "read_as": "utf-16"}, "read_as"),
        ({"written_in": "cp1251", "read_as": "windows-1251"}, "read_as"),
        ({"written_in": "cp1251", "read_as": "cp1252", "judge_with": ["xx"]}, "judge_with"),
        ({"written_in": "cp1251", "read_as": "cp1252", "min_valid_share": 2}, "min_valid_share"),
    ],
)
def test_check_refuses_bad_rules(spec: dict, key: str) -> None:
    with pytest.raises(KindError) as info:
        KINDS["legacy-codepage"].check(spec)
    assert info.value.key == key


def test_rules_file_has_the_pairs() -> None:
    ids = [r.id for r in _rules() if r.kind == "legacy-codepage"]
    assert "mojibake.cp1251-as-cp1252" in ids and "mojibake.cp866-as-latin1" in ids
    assert len(ids) == len(set(ids)) >= 9


# --- the corpus -------------------------------------------------------------------------


def _dev(shared_dir: Path) -> list[dict]:
    lines = (shared_dir / "corpus" / "dev.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip()]


def test_corpus_legacy_cases_pass_the_bar(shared_dir: Path, repairer, ftfy_gate) -> None:
    """dev.jsonl `legacy` mojibake cases, through ftfy → legacy repair → whitespace tidy."""
    passed = total = 0
    failures = []
    for case in _dev(shared_dir):
        if "legacy" not in case["name"] or case["capability"] != "mojibake":
            continue
        for field in ("title", "text"):
            if field not in case["expected"] or not isinstance(case["input"].get(field), str):
                continue
            got = _fixed(repairer, ftfy_gate.fix(case["input"][field]))
            got = text_repair.tidy_title(got) if field == "title" else text_repair.tidy_text(got)
            total += 1
            if got == case["expected"][field]:
                passed += 1
            else:
                failures.append(case["name"])
    rate = passed / total if total else 0.0
    print(f"legacy code-page cases: {passed}/{total} = {rate:.1%}; failing: {failures}")
    assert total >= 20
    assert rate >= BAR, failures


def test_corpus_trap_cases_unchanged(shared_dir: Path, repairer, ftfy_gate) -> None:
    changed = []
    count = 0
    for case in _dev(shared_dir):
        if "trap" not in case["name"]:
            continue
        for field in ("title", "text"):
            value = case["input"].get(field)
            if isinstance(value, str):
                count += 1
                if repairer.repair(value) or repairer.repair(ftfy_gate.fix(value)):
                    changed.append(case["name"])
    print(f"trap fields: {count}, changed by the legacy repair: {len(changed)}")
    assert not changed


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _clean_paragraphs(shared_dir: Path):
    corpus = shared_dir / "corpus"
    for case in _dev(shared_dir):
        for field in ("title", "text"):
            value = case["expected"].get(field)
            if isinstance(value, str):
                yield f"dev:{case['name']}:{field}", value
    for line in (corpus / "peer" / "langid_cases.jsonl").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            case = json.loads(line)
            yield f"langid:{case['lang']}:{case['source']}", case["text"]
    seed = json.loads((corpus / "seed_case.json").read_text(encoding="utf-8"))
    for value in _strings(seed.get("expected", {})):
        yield "seed", value
    for path in sorted((corpus / "real").glob("*.jsonl")):
        if "provenance" in path.name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line.strip():
                for value in _strings(json.loads(line)):
                    yield f"real:{path.name}:{number}", value


def test_corpus_clean_paragraphs_never_change(shared_dir: Path, repairer) -> None:
    """Every clean paragraph of the corpus, in every language: zero changes."""
    touched = []
    count = chars = 0
    for where, text in _clean_paragraphs(shared_dir):
        for paragraph in text.split("\n"):
            count += 1
            chars += len(paragraph)
            if repairer.repair(paragraph):
                touched.append((where, paragraph[:80]))
        if repairer.repair(text):
            touched.append((where, text[:80]))
    print(f"clean paragraphs: {count} ({chars} characters), changed: {len(touched)}")
    assert count > 5000
    assert not touched, touched[:5]


def test_module_is_pure() -> None:
    """The stage calls it per field; it keeps no state between calls but its lazy tables."""
    for module in (legacy_judge, legacy_reading, legacy_repair):
        assert not [name for name in vars(module) if name.startswith("_cache")]


@pytest.mark.parametrize(
    "words",
    [
        ["Городские", "власти", "утвердили", "новый", "бюджет", "ўсё", "Київ", "zx", "ёЁ"],
        ["и", "в", "и", "власти", "власти", "Й"],  # one-letter words, words seen before
        ["ёЁ"],
    ],
)
def test_word_scores_from_one_pass_equal_scoring_each_word_alone(repairer, words) -> None:
    """The joined text's score is exactly `best` of it (the same values summed in the same
    order, though remembered per word); each word's score is `best` of it alone."""
    repairer._ready()
    judge = repairer._judge
    for names in (["ru", "uk", "bg", "mk"], ["uk"]):
        for _ in range(2):  # the second time from the words remembered
            overall, each = judge.best_with_words(words, names)
            assert overall == judge.best(_judging_form(words), names)
            alone = [judge.best(_judging_form([w]), names) for w in words]
            assert each == alone  # the same values summed in the same order
    assert judge.best_with_words([], ["ru"]) == (judge.best("  ", ["ru"]), [])


def test_utf8_mojibake_is_left_to_ftfy_unjudged(repairer, monkeypatch) -> None:
    sentence = "Городские власти утвердили новый бюджет на общественный транспорт."
    judged: list[str] = []
    original = LegacyRepairer._repair_line

    def spy(self, pair, line, cache):
        judged.append(pair.rule_id)
        return original(self, pair, line, cache)

    monkeypatch.setattr(LegacyRepairer, "_repair_line", spy)
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs browsers use)

    for codec in ("sloppy-windows-1252", "latin-1", "sloppy-windows-1251"):
        broken = sentence.encode("utf-8").decode(codec)
        assert repairer.repair(broken) == []
    assert judged == []
    assert repairer.repair(sentence.encode("cp1251").decode("cp1252"))  # legacy: judged
    assert judged


def test_redecode_equals_the_translation_table(repairer) -> None:
    """The C-codec shortcut gives what `str.translate(table)` gives, on text each reading
    shows entirely and on text it does not (where the shortcut steps aside)."""
    import random

    rng = random.Random(7)
    for pair in repairer._ready():
        shown = sorted(pair.readable) + [chr(c) for c in range(0x20, 0x7F)]
        extra = ["—", "«", "ё", "€", "\u2116", "ß"]
        for size in (1, 5, 40, 300):
            for pool in (shown, shown + extra):
                text = "".join(rng.choice(pool) for _ in range(size))
                assert pair.redecode(text) == text.translate(pair.table), pair.rule_id


def _random_texts(pair, rng):
    """Text each reading shows entirely, and text mixing in characters it cannot show."""
    shown = sorted(pair.readable) + [chr(c) for c in range(0x20, 0x7F)]
    cyrillic = [chr(c) for c in range(0x400, 0x460)] + ["ґ", "Ґ", "ў", "Ў"]
    c1 = [chr(c) for c in range(0x80, 0xA0)]
    extra = ["—", "«", "»", "€", "\u2116", "ß", "İ", "\u2028"]
    for size in (1, 5, 40, 300):
        for pool in (shown, shown + c1, shown + extra, shown + cyrillic, cyrillic + extra):
            yield "".join(rng.choice(pool) for _ in range(size))


def test_letter_shares_counted_as_bytes_equal_counting_letters(repairer) -> None:
    """`_likeliest` counts the re-decoded letters as cp1251 bytes; the reference counts the
    lowered letters themselves."""
    import random
    import re

    rng = random.Random(11)
    letter_re = re.compile(r"[а-яёіїєґў]")
    for pair in repairer._ready():
        for text in _random_texts(pair, rng):
            decoded = pair.redecode(text)
            lowered = decoded.lower()
            data = decoded.encode("cp1251", "ignore")
            assert len(data.translate(None, legacy_reading._DELETE_ALL_BUT_LETTERS)) == len(
                letter_re.findall(lowered)
            )
            assert len(data.translate(None, legacy_reading._DELETE_ALL_BUT_COMMON)) == sum(
                lowered.count(letter) for letter in letters.COMMON
            )


def test_quick_utf8_screen_agrees_with_the_full_one(repairer) -> None:
    """The quick UTF-8 test answers as the full one, or steps aside (None)."""
    import random

    rng = random.Random(5)
    for pair in repairer._ready():
        for text in _random_texts(pair, rng):
            for line in (text, text.encode("utf-8").decode("latin-1")):
                quick = legacy_reading.Screen(line).utf8_mojibake(pair, quick=True)
                full = legacy_reading.Screen(line).utf8_mojibake(pair)
                assert quick is None or quick == full, (pair.rule_id, line)


def test_suspicious_regex_is_the_suspicious_set(repairer) -> None:
    for pair in repairer._ready():
        for char in pair.suspicious:
            assert pair.suspicious_re.fullmatch(char)
        for char in map(chr, range(0x20, 0x500)):
            if char not in pair.suspicious:
                assert pair.suspicious_re.fullmatch(char) is None, (pair.rule_id, char)


def test_trigrams_are_every_overlapping_three_characters() -> None:
    import re

    lookahead = re.compile(r"(?=(...))", re.DOTALL)
    for text in ("", "a", "ab", "abc", " слово\nword ", "x" * 50, "\U0001f600ab\u2028c"):
        assert legacy_judge._trigrams(text) == lookahead.findall(text)


def test_symbol_in_word_check_skips_only_spaces_that_were_there(repairer) -> None:
    """A letter that became a symbol inside a word is found as with `_SYMBOL_IN_WORD`,
    which also stops at every space between words."""
    import random

    rng = random.Random(3)
    for pair in repairer._ready():
        spaces = [" ", "\xa0", "\u2009"]
        for text in _random_texts(pair, rng):
            for expanded in (text, " ".join(rng.choice(spaces) + w for w in text.split())):
                piece = pair.redecode(expanded)

                def rejects(pattern, piece=piece, expanded=expanded):
                    return any(m.group(1) != expanded[m.start(1)] for m in pattern.finditer(piece))

                assert rejects(pair.symbol_in_word_re) == rejects(legacy_reading._SYMBOL_IN_WORD), (
                    pair.rule_id,
                    expanded,
                )
        # a letter the re-decoding turns into a space, inside a word
        letter = next(chr(k) for k, v in sorted(pair.table.items()) if v.isalpha())
        for made in (chr(k) for k, v in pair.table.items() if v.isspace()):
            expanded = letter * 2 + made + letter * 2
            piece = pair.redecode(expanded)
            for pattern in (pair.symbol_in_word_re, legacy_reading._SYMBOL_IN_WORD):
                assert any(m.group(1) != expanded[m.start(1)] for m in pattern.finditer(piece))


@pytest.mark.parametrize(
    "text",
    [
        " городские власти утвердили новый бюджет ",
        " и в и власти власти й ",  # one-letter words, words seen before
        " ïðèâåò ìèð ",
        " x ",
        "  двойной  пробел ",
        "без пробелов",
        " ab",
    ],
)
def test_best_equals_the_profiles_own_score(repairer, text) -> None:
    """`best` (3-grams by `zip`, each profile's values remembered per gram) is exactly the
    best `_reference_score`, which scores one position at a time."""
    repairer._ready()
    judge = repairer._judge
    profiles = judge.profiles()
    for names in (["ru", "uk", "bg", "mk"], ["fr", "vi", "ru"]):
        for _ in range(2):  # the second time from the values remembered
            assert judge.best(text, names) == max(
                _reference_score(profiles[n], text) for n in names
            )


def test_density_counted_as_far_as_needed_equals_counting_every_hit(repairer) -> None:
    import random

    def reference(gate, line):
        hits = len(gate.findall(line))
        if hits < 2:
            return hits == 1 and len(line) < 24
        return hits * 15 >= len(line)

    rng = random.Random(9)
    for pair in repairer._ready():
        for text in _random_texts(pair, rng):
            for line in (text, text[:23], text[:14], "x" * rng.randrange(40) + text[:3]):
                assert legacy_reading._dense_enough(pair.gate, line) == reference(
                    pair.gate, line
                ), (pair.rule_id, line)


def test_a_line_the_clue_does_not_hit_densely_has_no_candidates(repairer, shared_dir) -> None:
    """`_clue_dense` (one search of the union of the gates) against the general form: every
    pair's own screens and density (`_candidates`). It may let through lines that have no
    candidate, never refuse one that has."""
    import random

    rng = random.Random(23)
    pairs = repairer._ready()
    lines = [text for pair in pairs for text in _random_texts(pair, rng)]
    lines += [
        line
        for _, value in itertools.islice(_clean_paragraphs(shared_dir), 3000)
        for line in value.split("\n")
    ]
    for pair in pairs:  # damaged text, and damaged text among clean words
        for text in ("Заголовок новости дня", "Київ і Львів", "ФСБ и НАТО: заявление"):
            damaged = text.encode(pair.written_in, "replace").decode(pair.read_as, "replace")
            lines += [damaged, f"Сегодня {damaged} и ещё", damaged[:3]]
    refused = 0
    for line in lines:
        for pair in pairs:
            assert len(repairer._gate_clue.findall(line)) >= len(pair.gate.findall(line))
        if not repairer._clue_dense(line):
            refused += 1
            assert repairer._candidates(legacy_reading.Screen(line), set()) == [], line
    assert refused > len(lines) // 4  # the shortcut does refuse lines
