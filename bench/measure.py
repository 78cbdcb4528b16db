"""Measuring one command in a subprocess: wall time, CPU of its process tree, peak RSS of
its largest process and of the tree (RSS and PSS sampled from /proc), output lines.

Shared by `throughput.py`, `report.py` and `large_fields.py`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Result:
    name: str
    command: list[str]
    records: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    max_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    first_record_s: float | None = None
    returncode: int = 0
    stopped: bool = False
    note: str = ""
    stderr: str = ""

    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def cpu_rate(self) -> float:
        """Records per CPU second: steadier than wall time on a machine shared with others."""
        return self.records / self.cpu if self.cpu else 0.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _tree_memory_kb(root: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """(RSS, PSS) of a process and all its descendants, from /proc (0 once it is gone).

    RSS counts pages shared by forked workers once per process; PSS splits them fairly.
    `cpu` (pid → CPU seconds so far) is updated on the way: workers that their parent never
    reaps are missing from `wait4`'s rusage.
    """
    rss = pss = 0
    stack, seen = [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            if cpu is not None:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def run_variant(
    name: str, command: list[str], max_seconds: float | None, trace: float | None = None
) -> Result:
    """Run one variant, count its output lines, and measure it (`trace`: print RSS every N s)."""
    result = Result(name, command)
    peak = [0, 0]
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=REPO,
        start_new_session=True,
    )
    done = threading.Event()
    stopping = threading.Lock()

    def stop() -> None:
        with stopping:
            if result.stopped:
                return
            result.stopped = True
            rss_kb, pss_kb = _tree_memory_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss_kb), max(peak[1], pss_kb)
            with contextlib.suppress(ProcessLookupError):  # the variant's own session
                os.killpg(proc.pid, signal.SIGTERM)

    def sample() -> None:
        last = time.perf_counter()
        while not done.wait(0.2):
            now_kb, pss_kb = _tree_memory_kb(proc.pid, cpu)
            peak[0] = max(peak[0], now_kb)
            peak[1] = max(peak[1], pss_kb)
            if max_seconds and time.perf_counter() - started > max_seconds:
                stop()  # also when no output comes (one large record)
            if trace and time.perf_counter() - last >= trace:
                last = time.perf_counter()
                print(
                    f"  {name} at {last - started:6.0f} s: {result.records} records, "
                    f"tree RSS {now_kb / 1024:.0f} MB, PSS {pss_kb / 1024:.0f} MB "
                    f"(peaks {peak[0] / 1024:.0f} / {peak[1] / 1024:.0f} MB)",
                    file=sys.stderr,
                    flush=True,
                )

    errors: list[bytes] = []
    sampler = threading.Thread(target=sample, daemon=True)
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    sampler.start()
    reader.start()
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        newlines = chunk.count(b"\n")
        if newlines and result.first_record_s is None:
            result.first_record_s = time.perf_counter() - started
        result.records += newlines
        if max_seconds and time.perf_counter() - started > max_seconds:
            stop()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    result.seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reader.join()
    proc.stdout.close()
    proc.stderr.close()
    result.returncode = proc.returncode
    result.cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu.values()))
    result.max_rss_mb = usage.ru_maxrss / 1024
    result.tree_rss_mb = max(peak[0] / 1024, result.max_rss_mb)
    result.tree_pss_mb = peak[1] / 1024
    result.stderr = b"".join(errors).decode("utf-8", errors="replace")
    return result
