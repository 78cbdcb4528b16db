"""Run a Normalizer over input lines: in this process, or in N worker processes.

Workers parse and normalize chunks of raw lines; at most `2 × jobs` chunks are in flight
(bounded memory) and results come back in input order. A worker that dies takes only its
chunk down: the chunk is retried line by line in a fresh pool, and the line that kills a
worker is reported as bad input (the run then goes on or stops per `--on-error`).
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from normalize.jsonl import RawLine, parse_line
from normalize.limits import InputTooLarge
from normalize.normalizer import Normalizer
from normalize.record import dumps_line

CHUNK_LINES = 32
WARM_LINES = 16  # normalized in the main process before the workers start


@dataclass(frozen=True, slots=True)
class LineResult:
    """What became of one input line: its output line, or the reason it has none."""

    line: RawLine
    output: bytes | None
    error: str | None
    record: dict | None = None
    note: str | None = None


def normalize_raw(normalizer: Normalizer, line: RawLine, keep_record: bool = False) -> LineResult:
    if line.error:
        return LineResult(line, None, line.error)
    parsed = parse_line(line.path, line.number, line.body)
    if parsed.record is None:
        return LineResult(line, None, parsed.error)
    try:
        record = normalizer.normalize(parsed.record)
    except InputTooLarge as exc:
        return LineResult(line, None, str(exc))
    except RecursionError:
        return LineResult(line, None, "record nested too deeply to normalize")
    except Exception as exc:  # reported with its line, never swallowed
        return LineResult(line, None, f"normalization failed: {type(exc).__name__}: {exc}")
    output = dumps_line(record)
    return LineResult(line, output, None, record if keep_record else None, parsed.note)


def run_serial(
    normalizer: Normalizer, lines: Iterable[RawLine], keep_record: bool = False
) -> Iterator[LineResult]:
    for line in lines:
        yield normalize_raw(normalizer, line, keep_record)


# --- worker side -------------------------------------------------------------------------

_WORKER_NORMALIZER: Normalizer | None = None


def _init_worker(normalizer: Normalizer) -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no worker tracebacks).

    They are forked with SIGINT blocked (`_new_pool`), so none is lost or seen before this.
    """
    global _WORKER_NORMALIZER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _WORKER_NORMALIZER = normalizer


def _work(chunk: list[RawLine]) -> list[tuple[bytes | None, str | None, str | None]]:
    assert _WORKER_NORMALIZER is not None
    results = []
    for line in chunk:
        result = normalize_raw(_WORKER_NORMALIZER, line)
        results.append((result.output, result.error, result.note))
    return results


# --- main side ---------------------------------------------------------------------------


def run_parallel(
    normalizer: Normalizer, lines: Iterable[RawLine], jobs: int
) -> Iterator[LineResult]:
    """Normalize in `jobs` processes, yielding results in input order."""
    source = iter(lines)
    # The first lines are normalized here, the first at once: the tables they need (nearly
    # all a run needs) are built once, before the fork, and shared by the workers. Tables
    # only a rare record needs (the GeoNames index: 0.5 s, 100 MB) are built by the worker
    # that meets one, not by every run (`Normalizer.warm_up` would build them all).
    for line in _take(source, WARM_LINES):
        yield normalize_raw(normalizer, line)
    # kept out of the garbage collector's sight, which would otherwise write to (and so
    # copy) every page holding them in each worker
    gc.freeze()
    pools = _Pools(normalizer)
    finished = False
    try:
        pool = pools.new(jobs)
        pending: deque[tuple[list[RawLine], Future]] = deque()
        chunk_size = 1
        exhausted = False
        while True:
            while not exhausted and len(pending) < 2 * jobs:
                chunk = _take(source, chunk_size)
                chunk_size = min(CHUNK_LINES, chunk_size * 2)  # small first: output starts soon
                if not chunk:
                    exhausted = True
                    break
                pending.append((chunk, pool.submit(_work, chunk)))
            if not pending:
                finished = True
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pools.stop(pool)
                yield from _isolate(pools, chunk)
                # the other chunks in flight died with the pool: run them again
                retry = [c for c, _ in pending]
                pending.clear()
                pool = pools.new(jobs)
                for again in retry:
                    pending.append((again, pool.submit(_work, again)))
                continue
            for line, (output, error, note) in zip(chunk, results, strict=True):
                yield LineResult(line, output, error, note=note)
    finally:
        pools.close(at_once=not finished)  # Ctrl-C, an error, the reader left: stop now


def _isolate(pools: _Pools, chunk: list[RawLine]) -> Iterator[LineResult]:
    """Re-run a chunk whose worker died, one line per task, to find the line that kills."""
    for line in chunk:
        pool = pools.new(1)
        try:
            ((output, error, note),) = pool.submit(_work, [line]).result()
            yield LineResult(line, output, error, note=note)
        except BrokenProcessPool:
            yield LineResult(line, None, "a worker process died while normalizing this line")
        finally:
            pools.stop(pool)


class _Pools:
    """Every worker pool of one run, so that none outlives it, whatever interrupts it.

    A pool is recorded before its workers exist, and they are forked with SIGINT blocked:
    a Ctrl-C then waits, pending, until the main process can stop them (workers ignore it).
    """

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.pools: list[ProcessPoolExecutor] = []

    def new(self, jobs: int) -> ProcessPoolExecutor:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(self.normalizer,),
        )
        self.pools.append(pool)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pool.submit(int).result()  # starts the workers (all of them, under fork)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return pool

    def stop(self, pool: ProcessPoolExecutor, at_once: bool = True) -> None:
        """Shut a pool down; `at_once` ends its workers now and waits until they are gone."""
        if pool in self.pools:
            self.pools.remove(pool)
        if not at_once:
            pool.shutdown(wait=False, cancel_futures=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        # not shutdown(wait=True): its threads can block on a pipe to dead workers
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
                    process.join()

    def close(self, at_once: bool) -> None:
        """Stop every pool; a second Ctrl-C meanwhile is ignored, so that this completes."""
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main and at_once else None
        try:
            for pool in list(self.pools):
                self.stop(pool, at_once)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)


def _take(source: Iterator[RawLine], count: int) -> list[RawLine]:
    chunk = []
    for line in source:
        chunk.append(line)
        if len(chunk) >= count:
            break
    return chunk
