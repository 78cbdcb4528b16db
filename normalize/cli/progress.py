"""The progress bar on stderr (tqdm): records, records/s, and an ETA when the size is known."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from normalize.jsonl import STDIO


class Progress:
    """A bar over the input's bytes; disabled, every call does nothing."""

    def __init__(self, enabled: bool, total_bytes: int | None) -> None:
        self.bar = None
        self.records = 0
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                file=sys.stderr,
                desc="metanorm",
                mininterval=0.2,
            )

    def advance(self, size: int) -> None:
        if self.bar is None:
            return
        self.records += 1
        self.bar.update(size)
        if self.records % 100 == 0:
            self._show_rate()

    def close(self) -> None:
        if self.bar is not None:
            self._show_rate()
            self.bar.close()

    def _show_rate(self) -> None:
        assert self.bar is not None
        rate = self.records / max(self.bar.format_dict["elapsed"], 1e-9)
        self.bar.set_postfix(records=self.records, rec_s=f"{rate:.0f}", refresh=False)


def progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )


def progress_for(args: argparse.Namespace, files: Sequence[str]) -> Progress:
    """The bar `--progress` asks for (by default: when stderr is a terminal)."""
    enabled = args.progress if args.progress is not None else sys.stderr.isatty()
    total: int | None = 0
    for path in files:
        if path == STDIO or path.endswith(".gz"):
            total = None  # unknown size: no ETA
            break
        total = (total or 0) + Path(path).stat().st_size
    return Progress(enabled, total)
