"""Rule patterns run on RE2: catastrophic patterns finish, unsupported constructs are refused.

Every pattern-bearing key of every rule kind goes through `normalize.regex_safety`; the
end-to-end test runs `metanorm check` with hostile patterns in each of them, in a child
process with a generous timeout, so that the assertion does not depend on the machine's
speed: on a backtracking engine the child would run for hours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalize.pattern_keys import patterns_of
from normalize.regex_safety import (
    RulePattern,
    compile_rule_pattern,
    required_text,
    translate,
)
from normalize.ruleset import RuleFileError, load_ruleset
from normalize.stages import rule_kinds

# the five, and the classic nested repeats
CATASTROPHIC = [
    r"(a|aa)+$",
    r"(.*a){20}",
    r"(?:a|a?)+b",
    r"(.*?,){12}P",
    r"(a+){2,1000}$",
    r"(a+)+b",
    r"(\w+\s?)*$",
    r"(?:.*,)*x",
    r"((ab)*c)*",
]
EVIL_TEXT = "a" * 48 + "!\n" + "," * 48 + "\n" + "ab" * 24
UNSUPPORTED = [r"(?=a)b", r"(?<!a)b", r"(a)\1", r"a++", r"(?>a)b", r"\bword\b"]


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML string


def _rules_for(pattern: str) -> str:
    """One rule of each kind that carries patterns, each key holding `pattern`."""
    p = _yaml(pattern)
    ex = "examples: [{input: x, expected: x}]"
    return f"""\
rules:
  - {{id: t.ui.pattern, kind: ui-pattern, description: d, pattern: {p}, {ex}}}
  - {{id: t.ui.block, kind: ui-block, description: d, sequence: [{p}, {{pattern: {p}}}], {ex}}}
  - id: t.date.text
    kind: date-source
    description: d
    from: text
    pattern: {_yaml("(?P<date>" + pattern + ")")}
    {ex}
  - {{id: t.place.field, kind: place-field, description: d, split: {p}, strip: [{p}], {ex}}}
  - {{id: t.place.person, kind: place-person, description: d, after_patterns: [{p}], {ex}}}
  - id: t.place.referent
    kind: place-referent
    description: d
    place: Odesa
    forms: [Odessa]
    homonym_patterns: [{p}]
    near_patterns: [{p}]
    {ex}
  - {{id: t.place.evidence, kind: place-evidence, description: d, country: UA, cue_patterns: [{p}], {ex}}}
"""


def test_every_kind_declares_its_pattern_keys() -> None:
    """A key whose name says it holds a regex must be declared, so it goes through the door."""
    for name, kind in rule_kinds().items():
        keys = set(kind.required) | set(kind.optional)
        suspicious = {k for k in keys if k in ("pattern", "sequence", "split", "strip")}
        suspicious |= {k for k in keys if "pattern" in k or "regex" in k}
        assert suspicious <= set(kind.patterns), name


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_load_and_compile_on_re2(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "r.yaml").write_text(_rules_for(pattern), encoding="utf-8")
    from normalize.stages import stage_module

    ruleset = load_ruleset([tmp_path])
    ui = stage_module("ui_strings").compile(ruleset)
    assert all(isinstance(p, RulePattern) for r in ui.blocks + ui.patterns for p, _ in r.steps)
    dates = stage_module("dates").compile(ruleset)
    assert all(isinstance(s.pattern, RulePattern) for s in dates.sources if s.pattern)
    places = stage_module("places").compile(ruleset)
    assert isinstance(places.fields.split, RulePattern)
    assert all(isinstance(p, RulePattern) for p in places.fields.strip)


def test_catastrophic_patterns_finish_in_every_key(tmp_path: Path) -> None:
    records = tmp_path / "in.jsonl"
    record = {"title": "t", "text": EVIL_TEXT, "places": "a" * 48 + "!" + "," * 48}
    records.write_text(json.dumps(record) + "\n", encoding="utf-8")
    for n, pattern in enumerate(CATASTROPHIC):
        rules = tmp_path / f"rules{n}"
        rules.mkdir()
        (rules / "r.yaml").write_text(_rules_for(pattern), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "normalize", "--rules", str(rules), str(records)],
            capture_output=True,
            timeout=180,
        )
        assert done.returncode == 0, (pattern, done.stderr[-2000:])


@pytest.mark.parametrize("pattern", UNSUPPORTED)
@pytest.mark.parametrize("kind", ["ui-pattern", "ui-block", "date-source", "split", "strip"])
def test_unsupported_constructs_are_refused_with_path_and_line(
    tmp_path: Path, pattern: str, kind: str
) -> None:
    p = _yaml(pattern)
    body = {
        "ui-pattern": f"kind: ui-pattern\n    pattern: {p}",
        "ui-block": f"kind: ui-block\n    sequence:\n      - x\n      - {{pattern: {p}}}",
        "date-source": f"kind: date-source\n    from: text\n    pattern: {p}",
        "split": f"kind: place-field\n    split: {p}",
        "strip": f"kind: place-field\n    split: ','\n    strip: [{p}]",
    }[kind]
    text = f"rules:\n  - id: t.bad\n    description: d\n    {body}\n    examples: [{{input: x, expected: x}}]\n"
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset([tmp_path])
    message = str(caught.value)
    key_line = next(i for i, line in enumerate(text.splitlines(), 1) if p in line)
    assert message.startswith(f"{tmp_path / 'bad.yaml'}:"), message
    assert int(message.split(":")[1]) in (key_line, key_line - 1, key_line - 2), message
    assert "regular expression" in message


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"\w+", "Київ, 12", "Київ"),
        (r"\d+", "год ٢٠٢٤", "٢٠٢٤"),  # Arabic-Indic digits are \d in Python
        (r"a\sb", "a\xa0b", "a\xa0b"),  # a no-break space is \s in Python
        (r"[^\W\d_]+", "_12Łódź3", "Łódź"),
        (r"\u2014.", "x—y", "—y"),
        (r"x{,2}y", "xxy", "xxy"),
        (r"[]a]+", "]a]", "]a]"),
    ],
)
def test_python_unicode_meaning_is_kept(pattern: str, text: str, expected: str) -> None:
    import re

    assert re.search(pattern, text).group() == expected  # the meaning rule authors know
    assert compile_rule_pattern(pattern).search(text).group() == expected, translate(pattern)


def test_a_lone_surrogate_does_not_break_matching() -> None:
    pattern = compile_rule_pattern(r"\s*,\s*")
    assert pattern.split("a\ud800 , b") == ["a\ud800", "b"]
    assert compile_rule_pattern(r"\(.*?\)").sub(" ", "x\udc80(y)z") == "x\udc80 z"


def test_compiled_patterns_pickle() -> None:
    import pickle

    pattern = compile_rule_pattern(r"(?P<d>\d+)", ignore_case=True)
    clone = pickle.loads(pickle.dumps(pattern))
    assert clone.search("ab 12").group("d") == "12" and clone.flags == pattern.flags


# ---- required_text: the text every match contains (for prefilters) --------------------


def _required_by_sre(pattern: str) -> str:
    """The reference: the longest run of LITERAL items in `re`'s own (internal) parse."""
    from re import _constants, _parser  # type: ignore[attr-defined]

    best = run = ""
    for op, value in _parser.parse(pattern).data:
        run = run + chr(value) if op is _constants.LITERAL else ""
        best = max(best, run, key=len)
    return best


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("Subscribe to our newsletter", "Subscribe to our newsletter"),
        ("abc?d", "ab"),
        (r"Copyright \d{4} (c) News", "Copyright "),
        (r"Read more\.{3}", "Read more"),
        (r"a\.b[xy]z", "a.b"),
        ("x{2}yz", "yz"),
        ("x{,3}yz", "yz"),
        ("{foo", "{foo"),
        ("ab*?cd", "cd"),
        (r"^Photo: .{0,80}$", "Photo: "),
        ("(?:Share|Tweet) this", " this"),
    ],
)
def test_required_text_is_what_every_match_holds(pattern, expected):
    assert required_text(pattern) == expected == _required_by_sre(pattern)


@pytest.mark.parametrize("pattern", ["ab|cd", "(?i)abc", "(?x)a b c", "abc)"])
def test_required_text_is_empty_where_it_cannot_tell(pattern):
    """'' is always safe for a prefilter; an inline flag or a top-level `|` gives it."""
    assert required_text(pattern) == ""


def test_required_text_agrees_with_re_on_every_rule_pattern():
    kinds = rule_kinds()
    found = [
        pattern
        for rule in load_ruleset().rules
        for _, pattern in patterns_of(rule.spec, kinds[rule.kind].patterns)
    ]
    assert len(found) > 50
    assert [required_text(p) for p in found] == [_required_by_sre(p) for p in found]
