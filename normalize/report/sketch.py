"""Bounded summaries of a stream: the report's memory does not grow with its input.

- `TopCounter` counts keys exactly while they are few, then keeps the heaviest ones by the
  space-saving algorithm (Metwally et al. 2005): a key that does not fit replaces the
  lightest one and inherits its count, so a reported count is at most `error` too high.
  Sources, places and language pairs are counted this way.
- `BottomSample` keeps the `size` items with the smallest hash of their key: a uniform,
  deterministic sample (the same input always keeps the same items, whatever its order of
  arrival is not needed for), used for the sample records of each rule and warning.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Hashable
from typing import Any


class TopCounter:
    """Counts of the heaviest keys, exact until more than `capacity` distinct keys arrive."""

    def __init__(self, capacity: int = 2000) -> None:
        self.capacity = capacity
        self.counts: dict[Hashable, int] = {}
        self.errors: dict[Hashable, int] = {}
        self.total = 0

    @property
    def exact(self) -> bool:
        """True while no key was ever evicted (every count is exact)."""
        return not self.errors

    def add(self, key: Hashable, count: int = 1) -> None:
        self.total += count
        if key in self.counts:
            self.counts[key] += count
            return
        if len(self.counts) < self.capacity:
            self.counts[key] = count
            return
        # O(capacity) eviction, but only for a key that does not fit: on real data the
        # heavy keys arrive early and stay, so this path is rare.
        lightest = min(self.counts, key=lambda k: (self.counts[k], repr(k)))
        floor = self.counts.pop(lightest)
        self.errors.pop(lightest, None)
        self.counts[key] = floor + count
        self.errors[key] = floor

    def most_common(self, n: int | None = None) -> list[tuple[Any, int]]:
        """Largest first; ties in key order, so the output is deterministic."""
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], repr(kv[0])))
        return ranked if n is None else ranked[:n]

    def __len__(self) -> int:
        return len(self.counts)


def stable_hash(text: str) -> int:
    """A hash that is the same in every process and run (unlike `hash()` of a str)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


class BottomSample:
    """The `size` items with the smallest stable hash of their key, kept with their payload."""

    def __init__(self, size: int = 3) -> None:
        self.size = size
        self._heap: list[tuple[int, str, Any]] = []  # max-heap by negated hash

    def would_keep(self, key: str) -> bool:
        """Whether `add(key, …)` would keep the item (ask before building a costly payload)."""
        if len(self._heap) < self.size:
            return not any(k == key for _, k, _ in self._heap)
        return stable_hash(key) < -self._heap[0][0]

    def add(self, key: str, payload: Any) -> None:
        if any(k == key for _, k, _ in self._heap):
            return
        entry = (-stable_hash(key), key, payload)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, entry)
        elif entry[0] > self._heap[0][0]:
            heapq.heapreplace(self._heap, entry)

    def items(self) -> list[tuple[str, Any]]:
        """Kept items, smallest hash first."""
        return [(key, payload) for _, key, payload in sorted(self._heap, key=lambda e: -e[0])]

    def __len__(self) -> int:
        return len(self._heap)
