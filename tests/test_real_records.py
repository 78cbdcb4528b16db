"""Real scraped records (../shared/corpus/real): the gold bar, nothing lost, stable output.

The gold cases are compared by the shared scorer's own `check` (tools/score.py), so this
test and `score.py` agree on what passes.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from normalize import Normalizer
from normalize.corpus import load_cases
from normalize.record import dumps
from normalize.undo import rebuild_input

BAR = 0.97
# the capabilities this project's record contract owns; dates only where the record's own
# field carries the date (NewsAPI's publishedAt, ua_headlines' date)
OWNED = {"schema": None, "html": None, "dates": ("real-newsapi-", "real-ua-")}


def _real_files(shared: Path) -> list[Path]:
    real = shared / "corpus" / "real"
    return sorted(p for p in real.glob("*.jsonl") if "provenance" not in p.name)


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.fixture(scope="module")
def scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("score", shared_dir / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check


@pytest.fixture(scope="module")
def records(shared_dir) -> dict[str, list[dict[str, Any]]]:
    return {path.name: list(load_cases(path)) for path in _real_files(shared_dir)}


def test_gold_capabilities_reach_the_bar(shared_dir, normalizer, scorer, capsys):
    results: dict[str, list[bool]] = defaultdict(list)
    failures: list[str] = []
    for path in sorted((shared_dir / "corpus" / "real" / "gold").glob("*.gold.jsonl")):
        for case in load_cases(path):
            capability = case["capability"]
            if capability not in OWNED:
                continue
            prefixes = OWNED[capability]
            if prefixes and not case["name"].startswith(prefixes):
                continue
            bad = scorer(case["expected"], normalizer.normalize(case["input"]))
            results[capability].append(not bad)
            if bad:
                failures.append(f"{case['name']}: {bad[0][0]}: got {str(bad[0][2])[:120]}")
    assert set(results) == set(OWNED), f"gold cases missing for {set(OWNED) - set(results)}"
    with capsys.disabled():
        for capability, passed in sorted(results.items()):
            print(f"\nreal gold {capability}: {sum(passed)}/{len(passed)}")
    low = {
        capability: f"{sum(passed)}/{len(passed)}"
        for capability, passed in results.items()
        if sum(passed) < BAR * len(passed)
    }
    assert not low, f"under {BAR:.0%}: {low}; first failures: {failures[:5]}"


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def test_no_record_comes_out_emptier(normalizer, records):
    """Every present input value is in a canonical field or in meta, or it was removed as
    debris, which the audit shows; and the audit rebuilds the input exactly."""
    audited = Normalizer(audit=True)
    for name, rows in records.items():
        for number, raw in enumerate(rows, 1):
            explained = normalizer.explain(raw)
            out = explained.output
            field_of = {m.key: m.field for m in explained.mapping}
            removed = {c.field for c in explained.changes if c.rule_id.startswith("debris.")}
            for key, value in raw.items():
                if not _present(value) or key in out["meta"]:
                    continue
                field = field_of.get(key)
                assert field is not None, f"{name}:{number}: {key!r} is neither mapped nor in meta"
                assert _present(out[field]) or field in removed, (
                    f"{name}:{number}: {key!r} → {field} came out empty"
                )
            assert rebuild_input(audited.normalize(raw)) == raw, f"{name}:{number}: undo"


def test_real_files_are_deterministic_and_idempotent(normalizer, records):
    other = Normalizer()
    for name, rows in records.items():
        for number, raw in enumerate(rows, 1):
            first = dumps(normalizer.normalize(raw))
            assert dumps(other.normalize(raw)) == first, f"{name}:{number}: not deterministic"
            again = dumps(normalizer.normalize(json.loads(first)))
            assert again == first, f"{name}:{number}: changes on a second pass"
