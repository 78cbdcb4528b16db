"""The memo and the lazy loader every module uses: bounded, pure, once per process."""

from __future__ import annotations

import pickle
import threading

from normalize.memo import Lazy, Memo, report


def _square(value: int) -> int:
    return value * value


def test_memo_remembers_and_stays_bounded():
    memo = Memo(_square, 3, "test.square")
    assert [memo[v] for v in (1, 2, 1, 3, 4, 5)] == [1, 4, 1, 9, 16, 25]
    assert len(memo) <= 3
    assert memo.misses == 5 and memo.restarts == 1
    assert memo(6) == 36  # calling is looking up
    assert ("test.square", len(memo), memo.misses, memo.restarts) in report()


def test_memo_pickles_empty():
    memo = Memo(_square, 10)
    memo[3]
    copy = pickle.loads(pickle.dumps(memo))
    assert len(copy) == 0 and copy.limit == 10 and copy[4] == 16


def test_lazy_builds_once_even_from_many_threads():
    calls = []
    gate = threading.Event()

    def build() -> list[int]:
        gate.wait(1)
        calls.append(1)
        return [1, 2, 3]

    lazy = Lazy(build)
    assert not lazy.loaded
    results = []
    threads = [threading.Thread(target=lambda: results.append(lazy())) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert calls == [1] and lazy.loaded
    assert all(result is results[0] for result in results)
