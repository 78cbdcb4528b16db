"""Ctrl-C with --jobs 2: exit 130, no traceback, no process left, every time.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group (the main process
and its workers). The test starts metanorm in a group of its own, waits until it writes
output (so the run is under way), sends SIGINT to the group at a varying moment (workers
starting, idle, busy), and checks
the exit code, stderr and that the group is empty afterwards. Twenty times.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")

RUNS = 20


def _records(path: Path, count: int = 20_000) -> None:
    """Enough records that a run lasts far longer than a loaded machine may keep this test
    from sending its signal (3,000 took under 3 s: a busy test process could miss them)."""
    text = "\\n".join(f"Paragraph {n} about the bridge that reopened in Kyiv." for n in range(30))
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {"id": n, "title": f"Bridge {n}", "text": text, "place": "Kiev"}
            out.write(json.dumps(record) + "\n")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ctrl_c_with_two_jobs_exits_cleanly_every_time(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _records(source)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for run in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, "-m", "normalize", "--jobs", "2", str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, as a shell job has
            # and Ctrl-C's default action, as a shell gives a foreground job (an ignored
            # SIGINT would be inherited from this process)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            env=env,
        )
        assert child.stdout is not None
        # the first record comes from the main process, the next ones from the workers:
        # interrupt while they start, just after, and well into the run
        for _ in range((1, 2, 3, 12, 60)[run % 5]):
            child.stdout.readline()
        time.sleep((0.0, 0.03)[run // 5 % 2])
        os.killpg(child.pid, signal.SIGINT)
        try:
            _, err = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            pytest.fail(f"run {run}: still running 60 s after Ctrl-C")
        text = err.decode("utf-8", "replace")
        assert child.returncode == 130, f"run {run}: exit {child.returncode}: {text[-2000:]}"
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, f"run {run}: {text}"
        deadline = time.monotonic() + 10
        while _group_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(child.pid), f"run {run}: processes left in the group"
