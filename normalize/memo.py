"""The two caching tools every module uses: a bounded memo and a lazy loader.

- `Memo(function, limit)`: remembers a pure function's results, per process. A hit is a
  plain dict lookup (`memo[key]`, at C speed); a miss calls the function. When `limit`
  entries are held it starts over, so memory is bounded whatever the input, and no answer
  ever depends on what was asked before. It pickles empty (workers fill their own).
- `Lazy(build)`: a value built on first use, once per process, under a lock (as
  pycountry loads its databases), so that start-up pays only for what a run uses and two
  threads never build it twice.

`report()` lists every memo's size, misses and restarts, for the benchmarks. The derived
data that outlives a process goes through `normalize.cache.cached`, the disk cache's one
entry point.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

_MEMOS: weakref.WeakSet[Memo[Any, Any]] = weakref.WeakSet()


class Memo(dict[K, V]):
    """`memo[key]` is `function(key)`, remembered; at most `limit` entries."""

    def __init__(self, function: Callable[[K], V], limit: int, name: str = "") -> None:
        super().__init__()
        self.function = function
        self.limit = limit
        self.name = name or getattr(function, "__qualname__", "memo")
        self.misses = 0
        self.restarts = 0
        _MEMOS.add(self)

    def __missing__(self, key: K) -> V:
        value = self.function(key)
        self.misses += 1
        if len(self) >= self.limit:
            self.clear()
            self.restarts += 1
        self[key] = value
        return value

    # `memo(key)` is `memo[key]` at C speed (a method in Python would double a hit's cost)
    __call__ = dict.__getitem__

    def __reduce__(self) -> tuple[Any, ...]:
        return (Memo, (self.function, self.limit, self.name))

    __hash__ = object.__hash__  # type: ignore[assignment]  # (a WeakSet member, by identity)

    def __eq__(self, other: object) -> bool:
        return self is other


class Lazy(Generic[T]):
    """`lazy()` is `build()`, called once per process on first use, under a lock."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: list[T] = []

    def __call__(self) -> T:
        if not self._value:
            with self._lock:
                if not self._value:
                    self._value.append(self._build())
        return self._value[0]

    @property
    def loaded(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lazy, (self._build,))


def report() -> list[tuple[str, int, int, int]]:
    """(name, entries, misses, restarts) of every live memo, largest first."""
    rows = [(m.name, len(m), m.misses, m.restarts) for m in list(_MEMOS)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
