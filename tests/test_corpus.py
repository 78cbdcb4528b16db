"""The shared corpus: per-capability pass rates, traps unchanged, determinism, idempotence."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from normalize import Normalizer
from normalize.corpus import corpus_inputs, load_cases, mismatches
from normalize.record import dumps

# capability → the pass rate it must reach (issues 2, 9)
BARS = {"mojibake": 0.95, "ui": 0.95}


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.fixture(scope="module")
def cases(shared_dir):
    return list(load_cases(shared_dir / "corpus" / "dev.jsonl"))


def _rates(normalizer, cases):
    results = defaultdict(list)
    for case in cases:
        out = normalizer.normalize(case["input"])
        results[case["capability"]].append((case["name"], mismatches(case["expected"], out)))
    return results


def test_capability_pass_rates(normalizer, cases, capsys):
    results = _rates(normalizer, cases)
    lines, failed_bars = [], []
    for capability in sorted(results):
        rows = results[capability]
        passed = sum(1 for _, bad in rows if not bad)
        rate = passed / len(rows)
        lines.append(f"{capability:10s} {passed:3d}/{len(rows):3d} = {rate:6.1%}")
        bar = BARS.get(capability)
        if bar is not None and rate < bar:
            failing = [f"{name}: {bad}" for name, bad in rows if bad]
            failed_bars.append(f"{capability} {rate:.1%} < {bar:.0%}: " + "; ".join(failing))
    with capsys.disabled():
        print("\ncorpus pass rates (dev.jsonl):\n  " + "\n  ".join(lines))
    assert not failed_bars, "\n".join(failed_bars)


def test_trap_cases_unchanged(normalizer, cases):
    """Inputs named `trap` must come out with the checked fields exactly as expected."""
    broken = []
    for case in cases:
        if "trap" in case["name"]:
            bad = mismatches(case["expected"], normalizer.normalize(case["input"]))
            if bad and case["capability"] in BARS:
                broken.append((case["name"], bad))
    assert not broken


def test_deterministic_and_idempotent_over_corpus(shared_dir):
    first, second = Normalizer(), Normalizer()
    for raw in corpus_inputs(shared_dir):
        out = first.normalize(raw)
        line = dumps(out)
        assert dumps(second.normalize(raw)) == line, "not deterministic"
        again = dumps(first.normalize(json.loads(line)))
        assert again == line, f"not idempotent for {raw.get('id') or raw.get('url')}"


def test_seed_case(shared_dir):
    seed = json.loads((shared_dir / "corpus" / "seed_case.json").read_text(encoding="utf-8"))
    out = Normalizer().normalize(seed["input"])
    expected = seed["expected"]
    for name in ("id", "url", "source", "title", "meta"):
        assert out[name] == expected[name], name
    assert out["text"] == expected["text"]
