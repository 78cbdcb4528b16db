"""Does a piece of a title name the record's publisher? Names compared across scripts.

A suffix `РИА НОВОСТИ` names the source `Ria.ru`, `Коммерсантъ` the site kommersant.ru and
`Московский Комсомолец` the site mk.ru: both sides are transliterated (anyascii), folded
to a rough phonetic key (so `Интерфакс` meets `interfax` and `РБК` meets `rbc`), and a
segment names the publisher when a run of its words, or its initials, gives a key of the
source (its name, its URL's site, an alias a rule lists), exactly or nearly for long keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import permutations

from anyascii import anyascii

_WORD = re.compile(r"[^\W_]+")
# Latin spellings that sound alike (a transliteration picks one of them)
_FOLDS: tuple[tuple[str, str], ...] = (
    ("x", "ks"),
    ("ph", "f"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("h", ""),
)
_REPEAT = re.compile(r"(.)\1+")
# the last label of a site name says nothing about the publisher
_TAILS = "ru com org net ua by kz info news tv io uk de fr es it pl cz su online"
_NEAR = 0.85  # similarity of two keys of at least _NEAR_MIN letters that counts as the same
_NEAR_MIN = 5


def fold(word: str) -> str:
    """A word's rough phonetic key in Latin letters: `Коммерсантъ` → `komersant`."""
    key = "".join(ch for ch in anyascii(word).lower() if ch.isalnum())
    for before, after in _FOLDS:
        key = key.replace(before, after)
    return _REPEAT.sub(r"\1", key)


_SITE_TAILS = frozenset(fold(tail) for tail in _TAILS.split())
# a name's leading article is not the name: `The Guardian` is not named by `The …`
_ARTICLES = frozenset(
    fold(w)
    for w in [
        "the",
        "a",
        "an",
        "le",
        "la",
        "les",
        "l",
        "el",
        "los",
        "las",
        "il",
        "lo",
        "gli",
        "i",
        "der",
        "die",
        "das",
        "de",
        "het",
        "o",
        "os",
    ]
)


def _words(text: str) -> list[str]:
    return [key for key in (fold(w) for w in _WORD.findall(text)) if key]


def site_keys(host: str | None) -> set[str]:
    """Keys of a URL's host: `finance.rambler.ru` → {`rambler`}, `sport-express.ru` → both."""
    if not host:
        return set()
    labels = [label for label in host.lower().split(".") if label and label != "www"]
    while len(labels) > 1 and fold(labels[-1]) in _SITE_TAILS:
        labels.pop()
    if not labels:
        return set()
    main = labels[-1]
    keys = {fold(main)}
    keys.update(fold(part) for part in main.split("-") if len(part) > 2)
    return {key for key in keys if key}


def name_keys(name: str) -> set[str]:
    """Keys of a publisher's name: `Ria.ru` → {`ria`}, `BBC News` → {`bbk`, `bbknevs`}."""
    words = _words(name)
    while len(words) > 1 and words[-1] in _SITE_TAILS:
        words.pop()
    if not words:
        return set()
    first = next((w for w in words if w not in _ARTICLES), words[0])
    return {first, "".join(words)}


@lru_cache(maxsize=4096)
def own_keys(source: str | None, host: str | None) -> frozenset[str]:
    """The keys the record itself gives its publisher: its source and its URL's site.

    Memoized: records of one source repeat it, and transliterating costs (measured: the
    title rules took 0.5 s of 2,000 benchmark records without it)."""
    keys = site_keys(host) | (name_keys(source) if source else set())
    return frozenset(key for key in keys if len(key) >= 2)


def listed_names(
    source: str | None, host: str | None, aliases: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """The names a table lists for the record's source or site (or a parent domain)."""
    names: list[str] = []
    for key in (source or "", host or ""):
        names.extend(aliases.get(key.strip().casefold(), ()))
    if host:
        parts = host.lower().split(".")
        for start in range(len(parts) - 1):
            names.extend(aliases.get(".".join(parts[start:]), ()))
    return names


@lru_cache(maxsize=4096)
def keys_of(names: tuple[str, ...]) -> frozenset[str]:
    """The keys of names a table lists (memoized like `own_keys`)."""
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    return frozenset(key for key in keys if len(key) >= 2)


def names_publisher(segment: str, keys: Iterable[str]) -> bool:
    """True when the segment (a title's last or first piece) names one of these keys, and
    is a name, not a clause that holds one (`Le Monde n'est pas épargné`)."""
    wanted = set(keys)
    if not wanted or _is_clause(segment, wanted):
        return False
    words = _words(segment)
    if not words:
        return False
    size = len(words)
    candidates = {"".join(words[i:j]) for i in range(size) for j in range(i + 1, size + 1)}
    if size > 1:
        candidates.add("".join(w[0] for w in words))  # `Московский Комсомолец` → mk
    if 1 < size <= 3:
        candidates.update("".join(order) for order in permutations(words))  # `РБК Спорт`
    if candidates & wanted:
        return True
    long_keys = [k for k in wanted if len(k) >= _NEAR_MIN]
    return any(
        _near(candidate, key)
        for candidate in candidates
        if len(candidate) >= _NEAR_MIN
        for key in long_keys
    )


_CLAUSE_WORDS = 3  # lower-case words (of 3 letters or more) beside the name: a clause


def _is_clause(segment: str, keys: set[str]) -> bool:
    """A name is capitalized words (`Комсомольская правда` has one lower-case word); a piece
    with three or more lower-case words that are no part of the publisher's key is a clause."""
    lower = 0
    for word in _WORD.findall(segment):
        if len(word) < 3 or not word[0].islower():
            continue
        key = fold(word)
        if key in _SITE_TAILS or any(key in wanted for wanted in keys):
            continue
        lower += 1
    return lower >= _CLAUSE_WORDS


def _near(candidate: str, key: str) -> bool:
    """Nearly the same key, or the site's key shortens the name (`fedpres` ← `federalpres`)."""
    matcher = SequenceMatcher(None, candidate, key)
    # the cheap upper bounds first: most pairs fail them
    if matcher.real_quick_ratio() >= _NEAR <= matcher.quick_ratio() and matcher.ratio() >= _NEAR:
        return True
    return candidate[0] == key[0] and len(candidate) <= 2 * len(key) and _within(key, candidate)


def _within(short: str, long: str) -> bool:
    """Every letter of `short`, in order, in `long`."""
    letters = iter(long)
    return all(letter in letters for letter in short)
