"""The rule engine: safe loading, validation with path:line, overrides, examples."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from normalize import Normalizer
from normalize.rule_examples import run_examples
from normalize.ruleset import RuleFileError, default_rules_dir, load_ruleset, rule_files


def _write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


GOOD = """\
rules:
  - id: ui.example.promo
    kind: ui-lines
    description: The example site's promotion line.
    lines: [Get the app]
    examples:
      - input: "Get the app\\nThe bridge reopened."
        expected: "The bridge reopened."
"""


def test_every_shipped_rule_file_loads_and_has_examples():
    files = rule_files(default_rules_dir())
    assert files
    ruleset = load_ruleset()
    assert all(rule.examples for rule in ruleset.rules)
    assert ruleset.digest.startswith("sha256:") and len(ruleset.digest) == len("sha256:") + 12


def test_every_shipped_rule_example_passes():
    failures = [r.describe() for r in run_examples(Normalizer()) if not r.ok]
    assert not failures, "\n".join(failures)


def test_user_rules_extend_and_change_the_digest(tmp_path):
    directory = _write(tmp_path, GOOD)
    base, extended = Normalizer(), Normalizer(rules=[directory])
    assert base.ruleset_digest != extended.ruleset_digest
    out = extended.normalize({"text": "Get the app\nThe bridge reopened."})
    assert out["text"] == "The bridge reopened."
    assert "ui.example.promo" in out["normalization"]["fired"]


def test_later_rules_override_earlier_ones_by_id(tmp_path):
    directory = _write(
        tmp_path,
        GOOD.replace("ui.example.promo", "ui.en.lines").replace(
            "[Get the app]", "[Get the app, Subscribe]"
        ),
    )
    ruleset = load_ruleset([directory])
    (rule,) = [r for r in ruleset.rules if r.id == "ui.en.lines"]
    assert rule.spec["lines"] == ["Get the app", "Subscribe"]
    assert str(directory) in rule.path


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("rules: [\n  {id: a.b, kind: ui-lines\n", 3, "invalid YAML"),
        ("rules:\n  - kind: ui-lines\n    description: x\n", 2, "needs an `id`"),
        ("rules:\n  - id: a.b\n    kind: nope\n    description: x\n", 3, "unknown kind"),
        (
            "rules:\n  - id: a.b\n    kind: ui-pattern\n    description: x\n    pattern: '(['\n"
            "    examples: [{input: a, expected: a}]\n",
            5,
            "invalid regular expression",
        ),
        (
            "rules:\n  - id: a.b\n    kind: ui-lines\n    description: x\n    lines: [A]\n",
            2,
            "examples",
        ),
        (
            "rules:\n  - id: a.b\n    kind: ui-lines\n    description: x\n    lines: [A]\n"
            "    colour: red\n    examples: [{input: a, expected: a}]\n",
            6,
            "unknown key 'colour'",
        ),
        ("rules: !!python/object/apply:os.system ['echo pwned']\n", 1, "invalid YAML"),
        ("just text\n", 1, "mapping"),
    ],
)
def test_malformed_rule_files_are_refused_with_path_and_line(tmp_path, text, line, reason):
    directory = _write(tmp_path, text, "bad.yaml")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset([directory])
    message = str(caught.value)
    assert message.startswith(f"{directory / 'bad.yaml'}:{line}:"), message
    assert reason in message


def test_duplicate_ids_in_one_directory_are_refused(tmp_path):
    _write(tmp_path, GOOD, "one.yaml")
    directory = _write(tmp_path, GOOD, "two.yaml")
    with pytest.raises(RuleFileError, match="duplicate rule id"):
        load_ruleset([directory])


def test_normalizer_pickles_and_gives_the_same_output():
    normalizer = Normalizer()
    record = {"title": "Bridge", "text": "Subscribe\nThe bridge reopened.  \n\nAdvertisement"}
    clone = pickle.loads(pickle.dumps(normalizer))
    assert clone.normalize(record) == normalizer.normalize(record)


@pytest.mark.parametrize("pattern", [r"[a-z]+ read", r"(?:ab)+c", r".{0,600}?\s-\s\d+", r"(a|b)+"])
def test_safe_patterns_load(tmp_path, pattern):
    text = (
        "rules:\n  - id: ui.ok.pattern\n    kind: ui-pattern\n    description: x\n"
        f"    pattern: '{pattern}'\n    examples: [{{input: a, expected: a}}]\n"
    )
    load_ruleset([_write(tmp_path, text, "ok.yaml")])


def test_rules_lint_finds_overlaps_and_rename_chains(tmp_path):
    from normalize.rule_lint import lint

    text = """\
rules:
  - id: ui.mine.lines
    kind: ui-lines
    description: lines that the English pack lists already
    lines: [Subscribe]
    examples: [{input: "Subscribe\\nIt reopened.", expected: "It reopened."}]
  - id: place.en.mine
    kind: place-rename
    languages: [en]
    description: a rename whose target is renamed again
    place: Kyiv
    from: [Kiyv]
    to: Kiev
    examples: [{input: {lang: en, text: "A"}, expected: {text: "A"}}]
"""
    normalizer = Normalizer(rules=[_write(tmp_path, text, "mine.yaml")])
    problems = [p.as_text() for p in lint(normalizer)]
    assert any(
        "ui.mine.lines" in p and "'Subscribe' is also listed by ui.en.lines" in p for p in problems
    )
    assert any(
        "place.en.mine" in p and "renames to 'Kiev', which place.en.kyiv" in p for p in problems
    )


def test_shipped_rules_lint_without_errors():
    from normalize.rule_lint import lint

    errors = [p.as_text() for p in lint(Normalizer()) if p.level == "error"]
    assert not errors, "\n".join(errors)
