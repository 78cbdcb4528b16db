"""Space-Saving heavy hitters: the frequent items of a stream in bounded memory.

Metwally, Agrawal, El Abbadi, "Efficient computation of frequent and top-k elements in
data streams" (2005). At most `capacity` items are counted; a new item takes the place of
the least counted one and inherits its count as its possible error. Every item seen more
than `total / capacity` times is kept, and `count - error` never overstates how often an
item was seen, so a proposal made from that lower bound is never inflated by the sketch.
Ties are broken by arrival, so the same stream gives the same answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class Counter:
    count: int
    error: int
    arrival: int
    payload: Any

    @property
    def guaranteed(self) -> int:
        """How many times the item was certainly seen."""
        return self.count - self.error


class HeavyHitters:
    """Counts items with at most `capacity` counters (see the module docstring)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("a sketch needs at least one counter")
        self.capacity = capacity
        self.counters: dict[Hashable, Counter] = {}
        self._heap: list[tuple[int, int, Hashable]] = []  # (count, arrival, item), lazily
        self._arrivals = 0

    def add(self, item: Hashable, payload: Any = None) -> Counter:
        """Count one occurrence; `payload` is kept for an item from the moment it enters."""
        found = self.counters.get(item)
        if found is not None:
            found.count += 1
            heapq.heappush(self._heap, (found.count, found.arrival, item))
            self._compact()
            return found
        self._arrivals += 1
        floor = 0
        if len(self.counters) >= self.capacity:
            floor = self._evict()
        counter = Counter(floor + 1, floor, self._arrivals, payload)
        self.counters[item] = counter
        heapq.heappush(self._heap, (counter.count, counter.arrival, item))
        return counter

    def _evict(self) -> int:
        """Drop the least counted item (the earliest among equals); its count."""
        while True:
            count, arrival, item = heapq.heappop(self._heap)
            found = self.counters.get(item)
            if found is not None and found.count == count and found.arrival == arrival:
                del self.counters[item]
                return count

    def _compact(self) -> None:
        """Stale heap entries are dropped once they outnumber the counters."""
        if len(self._heap) > 4 * self.capacity + 64:
            self._heap = [(c.count, c.arrival, k) for k, c in self.counters.items()]
            heapq.heapify(self._heap)

    def items(self) -> Iterator[tuple[Hashable, Counter]]:
        """Counted items, most frequent first, then by arrival."""
        yield from sorted(self.counters.items(), key=lambda kv: (-kv[1].count, kv[1].arrival))

    def __len__(self) -> int:
        return len(self.counters)
