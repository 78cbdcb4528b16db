"""What `metanorm report` costs over a plain normalizing run of the same records.

    python bench/report.py /tmp/bench.jsonl --limit 2000 [--jobs 2] [--repeat 3]
    python bench/report.py /tmp/bench-1g.jsonl --jobs 2            # peak memory on 1 GB

Each run is a subprocess measured as `throughput.py` measures its variants: wall time, CPU
time of the whole process tree, peak RSS of the largest process, and tree PSS. It prints
both commands' figures, the report's overhead (wall and CPU) and the page's size.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_variant

TARGET_OVERHEAD = 0.10
TARGET_RSS_MB = 250


def _head(corpus: Path, limit: int | None, directory: Path) -> Path:
    if not limit:
        return corpus
    part = directory / f"head-{limit}.jsonl"
    with open(corpus, "rb") as source, open(part, "wb") as out:
        out.writelines(itertools.islice(source, limit))
    return part


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command (best kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="metanorm-report-bench-") as tmp:
        data = _head(args.corpus, args.limit, Path(tmp))
        page = Path(tmp) / "report.html"
        base = [sys.executable, "-m", "normalize"]
        jobs = ["--jobs", str(args.jobs)]
        variants = {
            "normalize": [*base, "--no-progress", *jobs, str(data)],
            "report": [*base, "report", "--no-progress", *jobs, "-o", str(page), str(data)],
        }
        best = {}
        for _ in range(args.repeat):
            for name, command in variants.items():
                result = run_variant(name, command, None)
                if result.returncode != 0:
                    print(f"{name} failed: {result.stderr[-2000:]}", file=sys.stderr)
                    return 1
                if name not in best or result.cpu < best[name].cpu:
                    best[name] = result
        records = best["normalize"].records
        print(f"records: {records:,} from {data} (--jobs {args.jobs}, best of {args.repeat})")
        for name, result in best.items():
            print(
                f"{name:10s} wall {result.seconds:7.2f} s  cpu {result.cpu:7.2f} s  "
                f"largest process {result.max_rss_mb:6.0f} MB  tree PSS {result.tree_pss_mb:6.0f} MB"
            )
        wall = best["report"].seconds / best["normalize"].seconds - 1
        cpu = best["report"].cpu / best["normalize"].cpu - 1
        verdict = "ok" if cpu <= TARGET_OVERHEAD else "over"
        print(f"report overhead: wall {wall:+.1%}, cpu {cpu:+.1%} (target ≤ +10%: {verdict})")
        rss = best["report"].max_rss_mb
        print(f"report peak RSS {rss:.0f} MB (target < {TARGET_RSS_MB} MB per process)")
        print(f"page size: {page.stat().st_size / 1e6:.2f} MB (target < 2 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
