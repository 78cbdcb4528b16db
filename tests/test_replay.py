"""Every change is one step through `WorkRecord`: replaying the steps rebuilds the output.

The test runs over every JSONL file of the shared corpus (a case's `input`, else the line
as a record) and the seed case, so that a stage that writes a value without a step (or
folds several rules into one) shows up as a record whose replay differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from normalize import Change, Explained, Normalizer, ReplayError
from normalize.record import CANONICAL_FIELDS
from normalize.work import WorkRecord, replay


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def _corpus_records(shared: Path) -> list[tuple[str, dict[str, Any]]]:
    corpus = shared / "corpus"
    found = [("seed_case.json", json.loads((corpus / "seed_case.json").read_text())["input"])]
    for path in sorted(corpus.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                data = json.loads(line)
                record = data.get("input") if isinstance(data.get("input"), dict) else data
                found.append((f"{path.relative_to(corpus)}:{number}", record))
    return found


def test_replaying_the_steps_rebuilds_every_corpus_output(normalizer, shared_dir):
    records = _corpus_records(shared_dir)
    assert len(records) > 5000
    files = {where.split(":")[0] for where, _ in records}
    assert "dev.jsonl" in files and any(f.startswith("real/") for f in files)
    wrong = []
    rule_ids = {rule.id for rule in normalizer.ruleset.rules}
    for where, record in records:
        explained = normalizer.explain(record)
        named = {c.rule_id for c in explained.changes} | {m.rule_id for m in explained.mapping}
        if named - rule_ids:  # a rule id written in code, not a rule of the rule files
            wrong.append(f"{where}: steps name no rule: {sorted(named - rule_ids)}")
        try:
            rebuilt = explained.replay()
        except ReplayError as exc:
            wrong.append(f"{where}: {exc}")
            continue
        expected = {name: explained.output[name] for name in (*CANONICAL_FIELDS, "meta")}
        if rebuilt != expected:
            fields = [name for name in expected if rebuilt.get(name) != expected[name]]
            wrong.append(f"{where}: replay differs in {fields}")
    assert not wrong, f"{len(wrong)} records:\n" + "\n".join(wrong[:20])


def test_explain_lists_each_step_with_its_rule_in_order(normalizer):
    explained = normalizer.explain({"lang": "en", "date": "28.01.2022", "text": "Kiev met."})
    assert isinstance(explained, Explained)
    assert all(isinstance(change, Change) for change in explained.changes)
    fields = [change.field for change in explained.changes]
    assert "text" in fields and "published" in fields
    assert explained.replay()["text"] == explained.output["text"] == "Kyiv met."
    # the output's `fired` lists the rules in the order their steps came
    fired = explained.output["normalization"]["fired"]
    order = [fired.index(change.rule_id) for change in explained.changes]
    assert order == sorted(order)


def test_a_pinned_field_names_a_rule_of_the_rule_files():
    pinned = Normalizer(mapping={"title": "headline"})
    explained = pinned.explain({"title": "Bridge reopens", "headline": "Bridge reopens on Monday"})
    assert explained.output["title"] == "Bridge reopens on Monday"
    (mapped,) = [m for m in explained.mapping if m.field == "title"]
    assert pinned.ruleset.by_id(mapped.rule_id) is not None


def test_a_write_that_bypasses_the_door_is_caught():
    work = WorkRecord(values={"text": "a", "meta": {}})
    work.set("text", "b", "rule.one")
    work.values["text"] = "c"  # not a step
    work.set("text", "d", "rule.two")
    with pytest.raises(ReplayError, match=r"rule\.two"):
        replay(work.start, work.changes)


def test_meta_is_changed_through_steps_too():
    work = WorkRecord(values={"text": "a", "meta": {"kept": 1}})
    work.set_meta("place", "Atlantis", "place.field")
    work.set_meta("place", "Atlantis", "place.field")  # no change: no step
    assert [c.field for c in work.changes] == ["meta"]
    assert work.start["meta"] == {"kept": 1}
    assert replay(work.start, work.changes)["meta"] == {"kept": 1, "place": "Atlantis"}


def test_a_step_can_name_the_part_of_its_rule_that_acted():
    change = Change("text", "mojibake.ftfy", "a", "b", step="fix_c1_controls")
    assert change.as_dict() == {
        "field": "text",
        "rule": "mojibake.ftfy",
        "before": "a",
        "after": "b",
        "step": "fix_c1_controls",
    }
    assert "step" not in Change("text", "r", "a", "b").as_dict()
