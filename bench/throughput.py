"""Throughput, memory and latency of metanorm against the hand-written baseline, in one run.

    python bench/throughput.py                       # builds a 20,000-record corpus in /tmp
    python bench/throughput.py CORPUS.jsonl          # any JSONL corpus
    python bench/throughput.py CORPUS --limit 2000   # the first 2,000 records only
    python bench/throughput.py BIG.jsonl --variants cli1 --max-seconds 300   # memory run

Every variant runs in its own subprocess over the same input and writes its records to a
pipe that this script counts, so that timings, CPU and peak RSS are separable:

- `baseline`: bench/baseline.py (ftfy, a UI line list, str.replace, dateparser, langdetect);
- `floor`: bench/floor.py (parse, one regex pass over every string, serialize: the least any
  normalizer does);
- `library`: `Normalizer().normalize_stream` in one process (this file's `--worker library`);
- `cli1`, `cli2`: `python -m normalize --jobs 1` and `--jobs 2` (degrades with a message to a
  run without `--jobs` when the CLI refuses the flag).

Printed per variant: records, wall seconds, records/s, × the baseline, share of the floor,
MB/s (input bytes), CPU seconds,
peak RSS of the largest process (`wait4` rusage), peak RSS of the whole process tree
(and PSS, sampled from /proc every 0.2 s: for `--jobs 2`, main + workers), and the time from
start to the first output record. Then the ratios against the targets: single process
≥ 20× baseline records/s and ≥ 1/3 of the floor, `--jobs 2` ≥ 1.8× `--jobs 1`, peak RSS
of one process < 250 MB, first record < 1 s; and where the time goes per stage
(bench/stage_profile.py; `--no-profile` skips it). `--max-seconds` stops a variant early
(figures then cover the records done so far).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from measure import BENCH, REPO, Result, run_variant

VARIANTS = ("baseline", "floor", "library", "cli1", "cli2")
TARGET_SPEEDUP = 20.0
TARGET_FLOOR_SHARE = 1 / 3
TARGET_JOBS2 = 1.8
TARGET_RSS_MB = 250.0
TARGET_FIRST_S = 1.0


def commands(corpus: Path, jobs_flag: bool = True) -> dict[str, list[str]]:
    py = sys.executable
    cli = [py, "-m", "normalize", "--on-error", "skip", "--no-progress"]
    return {
        "baseline": [py, str(BENCH / "baseline.py"), str(corpus)],
        "floor": [py, str(BENCH / "floor.py"), str(corpus)],
        "library": [py, str(Path(__file__).resolve()), "--worker", "library", str(corpus)],
        "cli1": [*cli, "--jobs", "1", str(corpus)] if jobs_flag else [*cli, str(corpus)],
        "cli2": [*cli, "--jobs", "2", str(corpus)],
    }


def _refused(result: Result, flag: str) -> bool:
    return result.returncode == 2 and flag in result.stderr and "unrecognized" in result.stderr


def library_worker(corpus: str) -> int:
    """The library in-process: what `Normalizer().normalize_stream` does, output to stdout."""
    from normalize import Normalizer
    from normalize.record import dumps_line

    normalizer = Normalizer()
    out = sys.stdout.buffer

    def records():
        with open(corpus, "rb") as stream:
            for line in stream:
                if line.strip():
                    yield json.loads(line)

    for record in normalizer.normalize_stream(records()):
        out.write(dumps_line(record) + b"\n")
        out.flush()  # the first record leaves at once; pipes make this cheap
    return 0


def prepare_corpus(args: argparse.Namespace) -> Path:
    """The corpus to measure: the given file, or one built by make_corpus.py."""
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = Path(f"/tmp/metanorm-bench-{args.records}.jsonl")
        if not corpus.exists():
            subprocess.run(
                [sys.executable, str(BENCH / "make_corpus.py"), "--records", str(args.records),
                 "-o", str(corpus)],
                check=True,
            )  # fmt: skip
    if args.limit:
        prefix = Path(f"/tmp/metanorm-bench-prefix-{os.getpid()}.jsonl")
        with corpus.open("rb") as source, prefix.open("wb") as target:
            for number, line in enumerate(source):
                if number >= args.limit:
                    break
                target.write(line)
        return prefix
    return corpus


def _mb(value: float) -> str:
    return f"{value:.0f} MB"


def report(results: dict[str, Result], corpus: Path, size: int) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus: {corpus} ({size / 1e6:.1f} MB); cores: {cores}; load average now: {load:.2f}")
    header = (f"{'variant':10} {'records':>8} {'wall s':>8} {'rec/s':>8} {'× base':>7} {'floor %':>7} "
              f"{'MB/s':>7} {'CPU s':>8} {'rec/CPU-s':>9} {'max RSS':>8} {'tree RSS':>9} "
              f"{'tree PSS':>9} {'1st rec':>8}")  # fmt: skip
    print(header)
    base, floor = results.get("baseline"), results.get("floor")
    for r in results.values():
        mb_s = size * (r.records / max(_lines(corpus), 1)) / 1e6 / r.seconds if r.seconds else 0
        first = f"{r.first_record_s:.2f} s" if r.first_record_s is not None else "-"
        times = f"{r.rate() / base.rate():.2f}" if base and base.rate() else "-"
        share = f"{r.rate() / floor.rate():.1%}" if floor and floor.rate() else "-"
        print(
            f"{r.name:10} {r.records:8d} {r.seconds:8.1f} {r.rate():8.1f} {times:>7} {share:>7} "
            f"{mb_s:7.2f} {r.cpu:8.1f} {r.cpu_rate():9.1f} {_mb(r.max_rss_mb):>8} "
            f"{_mb(r.tree_rss_mb):>9} {_mb(r.tree_pss_mb):>9} {first:>8}"
            + (" (stopped early)" if r.stopped else "")
            + (f" [exit {r.returncode}]" if r.returncode and not r.stopped else "")
            + (f" {r.note}" if r.note else "")
        )
    print("targets:")
    for name in ("library", "cli1"):
        r = results.get(name)
        if base and r and base.rate():
            ratio = r.rate() / base.rate()
            verdict = (
                "met" if ratio >= TARGET_SPEEDUP else f"MISSED by {TARGET_SPEEDUP / ratio:.1f}×"
            )
            print(
                f"  {name} / baseline records/s: {ratio:.2f}× (target ≥ {TARGET_SPEEDUP:.0f}×: {verdict})"
            )
            if base.cpu_rate():
                print(f"    per CPU second: {r.cpu_rate() / base.cpu_rate():.2f}×")
    for name in ("library", "cli1"):
        r = results.get(name)
        if floor and r and floor.rate():
            share = r.rate() / floor.rate()
            verdict = "met" if share >= TARGET_FLOOR_SHARE else "MISSED"
            print(f"  {name} / floor records/s: {share:.1%} (target ≥ 33%: {verdict})")
    one, two = results.get("cli1"), results.get("cli2")
    if one and two and one.rate() and not two.note:
        ratio = two.rate() / one.rate()
        verdict = "met" if ratio >= TARGET_JOBS2 else "MISSED"
        print(
            f"  --jobs 2 / --jobs 1 records/s: {ratio:.2f}× (target ≥ {TARGET_JOBS2}×: {verdict});"
            f" CPU s {two.cpu:.1f} against {one.cpu:.1f}"
        )
    for r in results.values():
        if r.name in ("baseline", "floor"):
            continue
        verdict = "met" if r.max_rss_mb < TARGET_RSS_MB else "MISSED"
        print(
            f"  {r.name} peak RSS of one process: {_mb(r.max_rss_mb)} (target < "
            f"{TARGET_RSS_MB:.0f} MB: {verdict}); tree RSS {_mb(r.tree_rss_mb)}, "
            f"tree PSS {_mb(r.tree_pss_mb)}"
        )
    for name in ("cli1", "cli2"):
        r = results.get(name)
        if r and r.first_record_s is not None:
            verdict = "met" if r.first_record_s < TARGET_FIRST_S else "MISSED"
            print(
                f"  {name} first output record: {r.first_record_s:.2f} s (target < 1 s: {verdict})"
            )


_LINE_COUNTS: dict[Path, int] = {}


def _lines(corpus: Path) -> int:
    if corpus not in _LINE_COUNTS:
        with corpus.open("rb") as stream:
            _LINE_COUNTS[corpus] = sum(1 for line in stream if line.strip())
    return _LINE_COUNTS[corpus]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="metanorm vs the hand-written baseline.")
    parser.add_argument("corpus", nargs="?", help="JSONL corpus (default: build one in /tmp)")
    parser.add_argument("--records", type=int, default=20_000, help="size of the built corpus")
    parser.add_argument("--limit", type=int, help="measure the first N records only")
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help=f"comma-separated subset of {VARIANTS}"
    )
    parser.add_argument("--max-seconds", type=float, help="stop each variant after this long")
    parser.add_argument("--trace-rss", type=float, metavar="S", help="print RSS every S seconds")
    parser.add_argument(
        "--no-profile",
        dest="profile",
        action="store_false",
        help="skip the per-stage profile (bench/stage_profile.py) printed after the table",
    )
    parser.add_argument("--worker", choices=("library",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "library":
        sys.path.insert(0, str(REPO))
        return library_worker(args.corpus)
    chosen = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = set(chosen) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    corpus = prepare_corpus(args)
    size = corpus.stat().st_size
    print(f"measuring {', '.join(chosen)} on {_lines(corpus)} records ...", file=sys.stderr)
    plan = commands(corpus)
    results: dict[str, Result] = {}
    jobs_ok = True
    for name in chosen:
        if name == "cli2" and not jobs_ok:
            results[name] = Result(name, plan[name], note="(skipped: the CLI refuses --jobs)")
            continue
        result = run_variant(name, plan[name], args.max_seconds, args.trace_rss)
        if name in ("cli1", "cli2") and _refused(result, "--jobs"):
            jobs_ok = False
            print("metanorm refuses --jobs (not implemented yet): cli1 is measured without "
                  "--jobs and cli2 is skipped", file=sys.stderr)  # fmt: skip
            if name == "cli1":
                result = run_variant(
                    name,
                    commands(corpus, jobs_flag=False)["cli1"],
                    args.max_seconds,
                    args.trace_rss,
                )
                result.note = "(without --jobs)"
            else:
                result.note = "(skipped: the CLI refuses --jobs)"
        if result.returncode and not result.stopped:
            tail = result.stderr.strip().splitlines()[-3:]
            print(f"{name} exited {result.returncode}: " + " | ".join(tail), file=sys.stderr)
        print(f"  {name}: {result.records} records in {result.seconds:.1f} s", file=sys.stderr)
        results[name] = result
    report(results, corpus, size)
    if args.profile:
        from stage_profile import print_profile, profile

        print_profile(profile(corpus, max(1, min(_lines(corpus) // 2, 2000))))
    if args.limit:
        corpus.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
