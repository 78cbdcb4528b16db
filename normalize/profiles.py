"""langdetect's profiles: the one model of them that metanorm reads.

langdetect ships one JSON file per language (`langdetect/profiles/<name>`): each n-gram's
count (`freq`, 1- to 3-grams) and the total count per n-gram length (`n_words`). The
language detector (`normalize.langid`) derives its packed costs from them, and the legacy
code-page judge (`stages/text_repair/legacy_judge.py`) its letter 3-gram models. Both read
them here and key their derived data on `stamps()`, through `derived(...)`, so that a
changed langdetect is noticed by both at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """One language's n-gram counts, as langdetect ships them."""

    name: str  # the file name: a language tag (`ru`, `zh-cn`)
    freq: dict[str, int]
    n_words: tuple[int, ...]  # total count of the 1-, 2- and 3-grams


def directory() -> Path:
    """langdetect's profile directory, found without importing langdetect (which is slow)."""
    spec = find_spec("langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("langdetect is not installed: its profiles are needed")
    return Path(next(iter(spec.submodule_search_locations))) / "profiles"


def installed() -> bool:
    try:
        return directory().is_dir()
    except RuntimeError:
        return False


def names() -> tuple[str, ...]:
    """Every profile's name, sorted (the order both models number them in)."""
    return tuple(sorted(p.name for p in directory().iterdir() if _is_profile(p)))


def stamps() -> list[Any]:
    """What the profiles' derived data depends on: each file's name, size and time."""
    from normalize import cache

    folder = directory()
    return [cache.file_stamp(folder / name) for name in names()]


def derived(name: str, key: Sequence[Any], build: Callable[[], T]) -> T:
    """`build()`, kept in the derived-data cache under `name`, keyed on `key` and the
    profiles' `stamps()` (the one way both models of the profiles are cached)."""
    from normalize import cache

    return cache.cached(name, [*key, *stamps()], build)


def _is_profile(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".")


def load() -> Iterator[Profile]:
    """Every profile, in `names()` order, read from langdetect's files one at a time (all
    of them take about 0.07 s). None is kept: only a miss of the derived data needs them,
    and the derived models are what stays in memory."""
    folder = directory()
    for name in names():
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        yield Profile(name, dict(data["freq"]), tuple(data["n_words"]))
