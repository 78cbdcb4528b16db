"""Digests of what metanorm makes of the shared corpus, to prove a refactoring changed nothing.

    python bench/output_digest.py [--shared ../shared] [BENCH.jsonl ...] > before.txt
    ... change the code ...
    python bench/output_digest.py [BENCH.jsonl ...] > after.txt && diff before.txt after.txt

For every JSONL file under `corpus/` (a case's `input`, else the line itself) and every
file named on the command line, it prints one SHA-256 over the canonical fields (`id` …
`meta`) of every record, one over `fired` and `warnings`, and one over the text-repair
stage's output on every string the records hold (as `text` and as `title`). With
`--records`, it also prints each record's own digest, to find the ones that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from normalize import Normalizer
from normalize.record import CANONICAL_FIELDS
from normalize.stages import stage_module
from normalize.work import WorkRecord

REPO = Path(__file__).resolve().parents[1]


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            data = json.loads(line)
            if isinstance(data, dict) and isinstance(data.get("input"), dict):
                yield data["input"]
            elif isinstance(data, dict):
                yield data


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def digest_file(path: Path, normalizer: Normalizer, repair: Any, per_record: bool) -> str:
    canonical, history, repaired = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    count = 0
    module, compiled = repair
    lines = []
    for number, record in enumerate(records(path), 1):
        out = normalizer.normalize(record)
        fields = _dump({name: out.get(name) for name in (*CANONICAL_FIELDS, "meta")})
        canonical.update(fields)
        history.update(_dump([out["normalization"]["fired"], out["normalization"]["warnings"]]))
        for text in strings(record):
            work = WorkRecord(values={"text": text, "title": text})
            module.run(work, compiled)
            repaired.update(_dump([work.values["text"], work.values["title"]]))
        if per_record:
            lines.append(f"  {number} {hashlib.sha256(fields).hexdigest()[:16]}")
        count += 1
    head = (
        f"{path.name}: {count} records canonical {canonical.hexdigest()[:16]} "
        f"history {history.hexdigest()[:16]} text_repair {repaired.hexdigest()[:16]}"
    )
    return "\n".join([head, *lines])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--records", action="store_true", help="one digest per record too")
    args = parser.parse_args()
    normalizer = Normalizer()
    module = stage_module("text_repair")
    repair = (module, module.compile(normalizer.ruleset))
    paths = sorted((args.shared / "corpus").rglob("*.jsonl")) + list(args.files)
    for path in paths:
        print(digest_file(path, normalizer, repair, args.records), flush=True)


if __name__ == "__main__":
    main()
