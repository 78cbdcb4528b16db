"""Time and peak memory of one record whose `text` is large (100 KB … 50 MB).

    python bench/large_fields.py                       # every size, kind and --jobs 1/2
    python bench/large_fields.py --sizes 1M,10M --kinds latin --jobs 1

Kinds: `cyrillic` (Russian paragraphs, place names in them), `latin` (English paragraphs),
`mojibake` (Russian paragraphs, every line UTF-8 read as cp1252), `mixed` (the records of
`make_corpus.py`, their string values one after another: many languages, UI lines, place
names, dates, HTML bodies, a third of the records with mojibake). Each file holds a small
record first and the large one second, so that with `--jobs 2` the large one is normalized
in a worker. Each run is a subprocess measured as `throughput.py` measures its variants:
wall time, the largest process's peak RSS (`ru_maxrss`) and the peak PSS of the whole
process tree. Targets (issue 24): 10 MB under 250 MB and within 1.5× of ten times the 1 MB
time; 50 MB under 400 MB (or refused over `--max-field-bytes`).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import DEFAULT_SHARED, load_material, make_record
from measure import run_variant

SIZES = {"100K": 100_000, "1M": 1_000_000, "10M": 10_000_000, "50M": 50_000_000}
SENTENCES = {
    "cyrillic": (
        "город власти утвердили новый бюджет на транспорт жители района получили "
        "ответ администрации Киев Харьков Одесса после заседания совета в понедельник"
    ),
    "latin": (
        "the city council approved a new budget for public transport residents of the "
        "district received an answer Kiev Kharkov Odessa after the meeting on Monday"
    ),
}


def paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        chosen = [rng.choice(words) for _ in range(rng.randint(8, 18))]
        sentences.append(" ".join(chosen).capitalize() + ".")
    return " ".join(sentences)


_material = functools.cache(load_material)


def mixed_text(size: int, shared: Path = DEFAULT_SHARED) -> str:
    """About `size` bytes: the string values of the benchmark corpus's records, in order."""
    material = _material(shared)
    parts: list[str] = []
    total = number = 0
    while total < size:
        record, _ = make_record(number, material)
        number += 1
        for value in record.values():
            if isinstance(value, str) and value:
                parts.append(value)
                total += len(value.encode("utf-8", "surrogatepass")) + 1
    return "\n".join(parts)


def large_text(kind: str, size: int, seed: int = 1) -> str:
    """About `size` bytes of UTF-8 text of `kind`, one paragraph a line."""
    if kind == "mixed":
        return mixed_text(size)
    rng = random.Random(f"{seed}:{kind}:{size}")
    words = SENTENCES["latin" if kind == "latin" else "cyrillic"].split()
    lines: list[str] = []
    total = 0
    while total < size:
        line = paragraph(rng, words)
        if kind == "mojibake":
            line = line.encode("utf-8").decode("cp1252", errors="replace")
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(lines)


def write_case(directory: Path, kind: str, label: str) -> Path:
    path = directory / f"{kind}-{label}.jsonl"
    small = {"title": "A small record first", "text": "Nothing to see here.", "lang": "en"}
    big = {"title": "Большой текст", "text": large_text(kind, SIZES[label])}
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(small, ensure_ascii=False) + "\n")
        out.write(json.dumps(big, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="e.g. 100K,1M,10M,50M")
    parser.add_argument("--kinds", default="cyrillic,latin,mojibake,mixed")
    parser.add_argument("--jobs", default="1,2", help="e.g. 1,2")
    parser.add_argument("--extra", default="", help="more metanorm arguments, space-separated")
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="stop a run after this long (0: never)"
    )
    args = parser.parse_args(argv)
    print(f"{'kind':9s} {'size':>5s} {'jobs':>4s} {'seconds':>8s} {'largest':>9s} {'tree PSS':>9s}")
    with tempfile.TemporaryDirectory(prefix="metanorm-large-") as tmp:
        for kind in args.kinds.split(","):
            for label in args.sizes.split(","):
                path = write_case(Path(tmp), kind, label)
                for jobs in args.jobs.split(","):
                    command = [sys.executable, "-m", "normalize", "--no-progress"]
                    command += ["--jobs", jobs, *args.extra.split(), str(path)]
                    result = run_variant(f"{kind}-{label}", command, args.max_seconds or None)
                    status = "" if result.returncode == 0 else f"  exit {result.returncode}: "
                    if result.stopped:
                        status = f"  stopped after {args.max_seconds:.0f} s"
                    elif status:
                        status += (result.stderr.strip().splitlines() or [""])[-1][:120]
                    print(
                        f"{kind:9s} {label:>5s} {jobs:>4s} {result.seconds:8.2f} "
                        f"{result.max_rss_mb:7.0f}MB {result.tree_pss_mb:7.0f}MB{status}",
                        flush=True,
                    )
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
