"""The ftfy gate must give exactly what `ftfy.fix_text` gives, on every text we have."""

from __future__ import annotations

import itertools
import json
import unicodedata

import ftfy
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.corpus import load_cases
from normalize.ruleset import default_rules_dir
from normalize.stages.text_repair.ftfy_fix import FtfyFixer


def ftfy_settings() -> dict:
    """The shipped ftfy settings, read straight from rules/mojibake.yaml."""
    data = yaml.safe_load((default_rules_dir() / "mojibake.yaml").read_text(encoding="utf-8"))
    (rule,) = [r for r in data["rules"] if r["kind"] == "ftfy"]
    return rule["settings"]


@pytest.fixture(scope="module")
def gate() -> FtfyFixer:
    return FtfyFixer(ftfy_settings())


def _texts(shared_dir):
    corpus = shared_dir / "corpus"
    sources = [corpus / "dev.jsonl", *sorted((corpus / "real").glob("*.jsonl"))]
    sources += sorted((corpus / "peer").glob("*.jsonl"))
    for path in sources:
        for row in load_cases(path):
            stack = [row]
            while stack:
                value = stack.pop()
                if isinstance(value, str):
                    yield value
                elif isinstance(value, dict):
                    stack.extend(value.values())
                elif isinstance(value, list):
                    stack.extend(value)
    seed = json.loads((corpus / "seed_case.json").read_text(encoding="utf-8"))
    yield seed["input"]["text"]


def test_gate_equals_ftfy_on_the_whole_corpus(gate, shared_dir):
    count = 0
    for text in _texts(shared_dir):
        assert gate.fix(text) == ftfy.fix_text(text, gate.config), repr(text[:200])
        count += 1
    assert count > 1000


def _ftfy_plan(segment: str, config) -> list[str]:
    """ftfy's own plan for one segment, as the fixer names its steps: each encoding repair
    from `encode` to `decode` (or one `apply`/`transcode`) one step, and only the steps
    that change the text (ftfy's plan also lists repairs that found nothing to do)."""
    plan = ftfy.fix_and_explain(segment, config._replace(explain=True)).explanation
    names: list[str] = []
    unit: list[tuple[str, str]] = []
    current = segment
    for operation, argument in plan:
        unit.append((operation, argument))
        if operation == "encode" or (operation == "transcode" and unit[0][0] == "encode"):
            continue
        if operation == "normalize":  # (apply_plan has no normalize step)
            after = unicodedata.normalize(argument, current)
        else:
            after = ftfy.apply_plan(current, unit)
        if after != current:
            names.append(", ".join(f"{op} {arg}" for op, arg in unit))
        current, unit = after, []
    return names


def test_steps_are_ftfys_own_plan_and_rebuild_the_text(gate, shared_dir):
    """Each segment's steps are the plan `ftfy.fix_and_explain` gives for it, and applying
    the field steps in order ends on `ftfy.fix_text`'s result."""
    from normalize.stages.text_repair.ftfy_fix import _segments

    explained = 0
    for text in _texts(shared_dir):
        fixed, steps = gate.fix_and_explain(text)
        assert fixed == ftfy.fix_text(text, gate.config)
        assert (steps[-1][1] if steps else text) == fixed
        assert all(a != b for (_, a), (_, b) in itertools.pairwise([("", text), *steps]))
        config = gate.config
        for segment in _segments(text, config.max_decode_length):
            if config.unescape_html == "auto" and "<" in segment:
                config = config._replace(unescape_html=False)
            mine = gate._fix_segment(segment, config)[1] if gate.line_needs_ftfy(segment) else []
            assert [name for name, _ in mine] == _ftfy_plan(segment, config), repr(segment)
            explained += bool(mine)
    assert explained > 100


def test_a_field_repaired_the_same_way_is_one_step_per_ftfy_step(gate):
    lines = ["Ð“Ð¾Ñ€Ð¾Ð´ Ð¿Ð¾Ð»ÑƒÑ‡Ð¸Ð»", "Ð½Ð¾Ð²Ñ‹Ð¹ Ð±ÑŽÐ´Ð¶ÐµÑ‚.", "a &amp; b"]
    fixed, steps = gate.fix_and_explain("\n".join(lines))
    assert fixed == "Город получил\nновый бюджет.\na & b"
    assert [name for name, _ in steps] == [
        "encode sloppy-windows-1252, decode utf-8",  # both broken lines at once
        "apply unescape_html",
    ]


def test_clean_lines_skip_ftfy(gate):
    clean = [
        "The council’s “new” budget — approved on Monday… at 9 a.m.",
        "Городская администрация сообщила, что ремонт продлится три недели.",
        "„Herzliche Grüße aus Köln“, schrieb die Oberbürgermeisterin.",
        "« ÇA VA ALLER », a répété le maire.",
    ]
    for line in clean:
        assert not gate.line_needs_ftfy(line), line


def test_broken_lines_go_to_ftfy(gate):
    for line in [
        "councilâ€™s",
        "SegÃºn",
        "a &amp; b",
        "line\r\nbreak",
        "ctrl\x07char",
        "Ð“Ð¾Ñ€Ð¾Ð´",
    ]:
        assert gate.line_needs_ftfy(line), line


def test_html_unescaping_stops_after_a_tag_like_ftfy(gate):
    text = "a &amp; b\n<p> c &amp; d\ne &amp; f"
    assert gate.fix(text) == ftfy.fix_text(text, gate.config)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_gate_equals_ftfy_on_random_text(gate, text):
    assert gate.fix(text) == ftfy.fix_text(text, gate.config)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["latin-1", "cp1252", "cp1251", "cp1250", "macroman"]))
def test_gate_equals_ftfy_on_random_mojibake(gate, text, codec):
    broken = text.encode("utf-8", "surrogatepass").decode(codec, errors="replace")
    assert gate.fix(broken) == ftfy.fix_text(broken, gate.config)


def test_gate_pickles(gate):
    import pickle

    again = pickle.loads(pickle.dumps(gate))
    assert again.fix("councilâ€™s") == "council’s"


# Text made of the pieces the gate's shortcuts reason about: Cyrillic and accented Latin
# words, the characters UTF8_DETECTOR_RE and the badness pattern look for next to letters,
# C1 controls, entities, line breaks, and words broken as UTF-8 read by a single-byte code
# page (whole, or with their A0 byte turned into a space).
_PIECE_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁІЇЄҐ"
_MARKS = " \xa0«»—–…№°±·“”„‘’•™€\x85\x81\x9d&amp;&lt;\r\n\u2028ﬁ½³ÂÃÐÑâ€ðŸ"
_pieces = st.one_of(
    st.text(alphabet=_PIECE_ALPHABET, min_size=1, max_size=8),
    st.text(alphabet="éèàçñöüßøåæœÉÀÇÑÖÜøłśźżąęćńőű", min_size=1, max_size=4),
    st.text(alphabet=_MARKS, min_size=1, max_size=3),
    st.builds(
        lambda word, codec, nbsp: (
            word.encode("utf-8")
            .decode(codec, errors="replace")
            .replace("\xa0", " " if nbsp else "\xa0")
        ),
        st.text(alphabet=_PIECE_ALPHABET + "éàü“”—", min_size=1, max_size=6),
        st.sampled_from(["latin-1", "cp1252", "cp1251", "cp1250", "cp437", "mac_roman"]),
        st.booleans(),
    ),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_pieces, max_size=30).map("".join))
def test_gate_equals_ftfy_on_cyrillic_and_mojibake_mixtures(gate, text):
    assert gate.fix(text) == ftfy.fix_text(text, gate.config)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=30).map("".join))
def test_cheap_preconditions_agree_with_ftfys_regexes(gate, text):
    from ftfy import badness, chardata

    assert gate._is_bad(text) == badness.is_bad(text)
    expected = [m.span() for m in chardata.UTF8_DETECTOR_RE.finditer(text)]
    for cyrillic in (False, True):  # either scan finds every match
        assert [m.span() for m in gate._detector_matches(text, cyrillic)] == expected


def test_altered_utf8_clues_are_found_wherever_ftfys_pattern_is():
    """Every string of 1-4 bytes over the bytes that matter (its matches are at most 4 long)."""
    from itertools import product

    from ftfy import chardata

    from normalize.stages.text_repair.ftfy_gate import _ALTERED_UTF8_CLUE, _ALTERED_UTF8_SPACE_CLUE

    alphabet = [
        bytes([b]) for b in b" a\x80\x85\xa0\xa1\xbf\xc2\xc3\xc5\xce\xd0\xd9\xe0\xe2\xe3\xf0"
    ]
    found = 0
    for size in range(1, 5):
        for combo in product(alphabet, repeat=size):
            data = b"".join(combo)
            if chardata.ALTERED_UTF8_RE.search(data):
                found += 1
                assert _ALTERED_UTF8_CLUE.search(data), data
                assert _ALTERED_UTF8_SPACE_CLUE.search(data), data
    assert found > 1000
