"""`--stats`: records normalized and bad, rules fired and warnings, printed on stderr."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO


class Stats:
    """Counts over a run's output lines (the rules and warnings only when asked for)."""

    def __init__(self, wanted: bool) -> None:
        self.records = 0
        self.bad = 0
        self.wanted = wanted
        self.fired: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()

    def add_line(self, line: bytes) -> None:
        self.records += 1
        if not self.wanted:
            return
        normalization = json.loads(line).get("normalization") or {}
        self.fired.update(normalization.get("fired", []))
        self.warnings.update(w.get("code", "?") for w in normalization.get("warnings", []))

    def print(self, stream: IO[str]) -> None:
        print(f"records: {self.records} normalized, {self.bad} bad", file=stream)
        for title, counter in (("rules fired", self.fired), ("warnings", self.warnings)):
            print(f"{title}:", file=stream)
            for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {count:8d}  {key}", file=stream)
