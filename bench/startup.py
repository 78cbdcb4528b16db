"""Start-up time of `metanorm check` on a small file, against `python -c pass`.

    python bench/startup.py [--runs 7] [--no-bytecode]

A pre-commit hook runs `metanorm check` on every commit, so what matters is the wall time
of a whole process on a small file. Each command runs `--runs` times in fresh processes;
the median (and the fastest) wall time is printed:

- `python -c pass`: the interpreter alone, the floor;
- `metanorm check`, cold cache: an empty `METANORM_CACHE_DIR` every run (first run after
  installing or upgrading, or with the cache turned off);
- `metanorm check`, warm cache: the cache filled by an earlier run (every later commit);
- `metanorm FILE` (normalize to stdout), warm cache.

The small file holds three records, already canonical (as a dataset kept by the hook is):
an English one naming Kyiv, a Russian one and a Ukrainian one. Commands run as
`python -m normalize` from this checkout. Installed packages have their bytecode compiled;
so that this checkout is measured the same way, compiled bytecode goes to a temporary
`PYTHONPYCACHEPREFIX` (warmed first) unless `--no-bytecode`.

`--wire-ruleset-cache` runs the command with `Normalizer` loading its rules through
`normalize.cache.load_ruleset` (a preview of that one-line change in normalizer.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

RECORDS = [
    {
        "id": "en-1",
        "url": "https://example.com/news/1",
        "language": "English",
        "published": "28.01.2022",
        "title": "Bridge reopens",
        "text": "Subscribe\nThe bridge in Kiev reopened on Friday after repairs.",
    },
    {
        "id": "ru-1",
        "language": "ru",
        "published": "2022-01-28",
        "title": "Мост открыт",
        "text": "Мост в Киеве открыли после ремонта, сообщили в городской администрации.",
    },
    {
        "id": "uk-1",
        "title": "Міст відкрили",
        "text": "Міст у Києві відкрили після ремонту, повідомили в міській адміністрації.",
    },
]


_WIRED = (
    "import sys\n"
    "import normalize.normalizer as n\n"
    "from normalize import cache\n"
    "n.load_ruleset = lambda rules=(): cache.load_ruleset(rules)\n"
    "from normalize.cli import main\n"
    "sys.exit(main())\n"
)


def _env(cache_dir: Path | None, pycache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if cache_dir is not None:
        env["METANORM_CACHE_DIR"] = str(cache_dir)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _time(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode not in ok:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return elapsed


def _show(label: str, times: list[float], floor: float | None) -> None:
    median = statistics.median(times)
    extra = f"  (+{(median - floor) * 1000:.0f} ms over python)" if floor is not None else ""
    print(f"{label:38} median {median * 1000:6.0f} ms   min {min(times) * 1000:6.0f} ms{extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true", help="measure without .pyc files")
    parser.add_argument(
        "--wire-ruleset-cache",
        action="store_true",
        help="load rules through normalize.cache.load_ruleset (preview)",
    )
    args = parser.parse_args(argv)
    python = sys.executable
    metanorm = [python, "-m", "normalize"]
    if args.wire_ruleset_cache:
        metanorm = [python, "-c", _WIRED]
    with tempfile.TemporaryDirectory(prefix="metanorm-startup-") as tmp:
        root = Path(tmp)
        pycache = None if args.no_bytecode else root / "pycache"
        raw = root / "raw.jsonl"
        raw.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS))
        small = root / "small.jsonl"
        warm = root / "cache-warm"
        # the canonical file (and the warm cache, and the bytecode) from one first run
        with open(small, "wb") as out:
            subprocess.run(
                [*metanorm, str(raw)],
                env=_env(warm, pycache),
                stdout=out,
                check=True,
            )
        check = [*metanorm, "check", str(small)]
        _time(check, _env(warm, pycache))  # must pass: the file is canonical
        results: dict[str, list[float]] = {"pass": [], "cold": [], "warm": [], "normalize": []}
        for run in range(args.runs):  # interleaved, so that load changes hit all alike
            results["pass"].append(_time([python, "-c", "pass"], _env(None, pycache)))
            cold = root / f"cache-cold-{run}"
            results["cold"].append(_time(check, _env(cold, pycache)))
            results["warm"].append(_time(check, _env(warm, pycache)))
            results["normalize"].append(_time([*metanorm, str(small)], _env(warm, pycache)))
    floor = statistics.median(results["pass"])
    print(
        f"{args.runs} runs each, {len(RECORDS)} records, "
        f"bytecode {'off' if args.no_bytecode else 'on'}, "
        f"ruleset cache {'wired' if args.wire_ruleset_cache else 'as the code has it'}, "
        f"{os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    _show("python -c pass", results["pass"], None)
    _show("metanorm check (cold cache)", results["cold"], floor)
    _show("metanorm check (warm cache)", results["warm"], floor)
    _show("metanorm FILE (warm cache)", results["normalize"], floor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
