"""Finding gazetteer forms in a text: one hash-table matcher, whatever the gazetteer's size.

`build_tables` turns every surface form into a table from a form's first word to the
forms starting with it (longest first). `scan` lists the distinct words of a text that
could begin a form (one C-level `findall`, one set intersection with the known first
words), and only where those few words stand does it compare the forms: one scan of the
title and one of the text. Matching is case-sensitive (place names are capitalised); a
text with no letter case to rely on (all lower or all upper case) is scanned in lower case
against the lower-cased forms (`caseless` tables), so `москва, 1 дек` still names Moscow.
A match must not touch letters on either side; at one position the longest form wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normalize.stages.places.gazetteer import Surface

_MAX_LEAD_FORMS = 8  # a first word of at most this many forms is checked form by form
_MIN_CASELESS_FORM = 4  # shorter forms are everyday words once case is gone
_FIRST_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_CAPITAL_AFTER_SPACE = re.compile(r"(?<=\s)[^\W\d_]")
_ALL_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")
LARGE_TEXT = 1 << 18  # characters: a text this long is listed in pieces and scanned once
_PIECE = 1 << 16

# (start, end, surface, meaning) of one mention
Found = tuple[int, int, str, Surface]


@dataclass
class MatchTables:
    """The matcher over one set of surfaces (plain dicts, sets and one regex: it pickles)."""

    surfaces: dict[str, Surface]
    first_words: frozenset[str]  # the first word of every form looked for in text
    single_words: frozenset[str]  # first words that are a form by themselves (`Odessa`)
    # longer forms by first word and the character after it, longest first
    longer_forms: dict[str, dict[str, tuple[str, ...]]]
    # first words that are no form by themselves and begin few forms (`The` of `The Odessa
    # File`): looked for only when one of those forms is in the text; (telling word, form)
    lead_words: dict[str, tuple[tuple[str | None, str], ...]]
    candidates: re.Pattern[str] | None  # a word where a form may start
    prefixed: dict[str, list[tuple[str, str]]]  # `Kiev` → [("chicken ", "chicken Kiev")]


def first_word(form: str) -> str:
    found = _FIRST_WORD.match(form)
    return found.group() if found else form[:1]


def caseless_surfaces(surfaces: dict[str, Surface], stop: set[str]) -> dict[str, Surface]:
    """The lower-cased forms for caseless text, without everyday words (`того`, `turkey`)."""
    lowered: dict[str, Surface] = {}
    for form, meaning in surfaces.items():
        key = form.lower()
        if meaning.text_ok and len(key) >= _MIN_CASELESS_FORM and key not in stop:
            lowered.setdefault(key, meaning)
    return lowered


def build_tables(surfaces: dict[str, Surface], caseless: bool = False) -> MatchTables:
    """The matcher over `surfaces`. Cased forms are looked for from a capitalised word (a
    lowercase lead such as `chicken Kiev` becomes a required prefix of the capitalised
    rest; wholly lowercase forms are left to place fields); caseless ones from any word."""
    texty: list[str] = []
    prefixed: dict[str, list[tuple[str, str]]] = {}
    for s, meaning in surfaces.items():
        if not meaning.text_ok:
            continue
        if caseless or s[0].isupper() or s[0].isdigit():
            texty.append(s)
            continue
        cap = _CAPITAL_AFTER_SPACE.search(s)
        if cap and s[cap.start()].isupper() and s[cap.start() :] in surfaces:
            prefixed.setdefault(s[cap.start() :], []).append((s[: cap.start()], s))
    candidates = (
        re.compile("[" + "".join(sorted({re.escape(s[0]) for s in texty})) + r"]\w*")
        if texty
        else None
    )
    single_words: set[str] = set()
    longer: dict[str, dict[str, list[str]]] = {}
    for s in texty:
        word = first_word(s)
        if s == word:
            single_words.add(s)
        else:
            longer.setdefault(word, {}).setdefault(s[len(word)], []).append(s)
    return MatchTables(
        surfaces=surfaces,
        first_words=frozenset(single_words | set(longer)),
        single_words=frozenset(single_words),
        longer_forms={
            word: {
                after: tuple(sorted(forms, key=lambda f: (-len(f), f)))
                for after, forms in sorted(by_after.items())
            }
            for word, by_after in sorted(longer.items())
        },
        lead_words={
            word: tuple(
                (_telling_word(f, candidates), f)
                for f in sorted(f for forms in by_after.values() for f in forms)
            )
            for word, by_after in sorted(longer.items())
            if word not in single_words
            and sum(len(forms) for forms in by_after.values()) <= _MAX_LEAD_FORMS
        },
        candidates=candidates,
        prefixed={k: sorted(v) for k, v in sorted(prefixed.items())},
    )


def _telling_word(form: str, candidates: re.Pattern[str] | None) -> str | None:
    """A later word of the form that the candidate listing lists wherever the form stands
    (a whole word beginning with a candidate character), the longest; None when none is."""
    words = [
        m.group()
        for m in re.finditer(r"(?<!\w)\w+", form)
        if m.start() and candidates is not None and candidates.fullmatch(m.group())
    ]
    return max(words, key=lambda w: (len(w), w)) if words else None


def scan(text: str, tables: MatchTables, language: str | None) -> list[Found]:
    """Every form and applicable exception phrase in the text, left to right, longest first.

    (Most capitals begin no place name, so the cost stays near that of the one `findall`;
    see bench/places_speed.py.)
    """
    found: list[Found] = []
    single_words = tables.single_words
    longer_forms = tables.longer_forms
    surfaces = tables.surfaces
    size = len(text)
    pos = 0
    for start, word in starts(text, tables):
        if start < pos:
            continue  # inside the mention found last
        end = start + len(word)  # the word stands alone: a form when it is one by itself
        surface = word
        longer = longer_forms.get(word)
        if longer is not None and end < size:
            for form in longer.get(text[end], ()):
                if text.startswith(form, start):
                    after = start + len(form)
                    if after == size or not (text[after].isalnum() or text[after] == "_"):
                        end, surface = after, form
                        break
            else:
                if word not in single_words:
                    pos = end
                    continue
        elif word not in single_words:
            pos = end
            continue
        start, surface = _with_prefix(text, start, surface, tables, language)
        meaning = surfaces[surface]
        if meaning.place is None and not language_applies(meaning.exception_languages, language):
            pos = start + len(word)  # this exception is for another language: look inside it
            continue
        found.append((start, end, surface, meaning))
        pos = end
    return found


def _with_prefix(
    text: str, start: int, surface: str, tables: MatchTables, language: str | None
) -> tuple[int, str]:
    """A lowercase lead before the form that makes a longer phrase (`chicken Kiev`)."""
    for lead, whole in tables.prefixed.get(surface, ()):
        begin = start - len(lead)
        if (
            begin >= 0
            and text.startswith(lead, begin)
            and not (begin and text[begin - 1].isalnum())
            and language_applies(tables.surfaces[whole].exception_languages, language)
        ):
            return begin, whole
    return start, surface


def starts(text: str, tables: MatchTables) -> list[tuple[int, str]]:
    """Where a form may begin, in order: (position, first word of the forms there)."""
    if tables.candidates is None:
        return []
    listed = _listed(text, tables.candidates)
    hits = tables.first_words.intersection(listed)
    found: list[tuple[int, str]] = []
    lead_words = tables.lead_words
    in_one_pass: set[str] = set()
    for word in hits:
        forms = lead_words.get(word)
        if forms is None or any(
            (telling is None or telling in listed) and form in text for telling, form in forms
        ):
            if len(text) > LARGE_TEXT and _ALL_WORD.fullmatch(word):
                in_one_pass.add(word)
            else:
                _word_starts(text, word, found)
    if in_one_pass:
        _starts_in_one_pass(text, tables.candidates, in_one_pass, found)
    found.sort()
    return found


def _listed(text: str, candidates: re.Pattern[str]) -> set[str]:
    """The distinct words where a form may start. A large text is listed a piece at a time,
    cut at a non-word character (no word spans one): `findall` lists every capitalised word
    of it, about 60 bytes each, before the set keeps the few distinct ones."""
    if len(text) <= LARGE_TEXT:
        return set(candidates.findall(text))
    listed: set[str] = set()
    start = 0
    while start < len(text):
        cut = _NON_WORD.search(text, start + _PIECE)
        end = cut.start() if cut else len(text)
        listed.update(candidates.findall(text, start, end))
        start = end
    return listed


def _starts_in_one_pass(
    text: str, candidates: re.Pattern[str], words: set[str], found: list[tuple[int, str]]
) -> None:
    """`_word_starts` of many words of a large text in one scan, not one scan a word: a
    candidate match is a whole run of word characters from where it starts, so a word
    stands alone there when the match is the word and no word character comes before."""
    for match in candidates.finditer(text):
        word = match.group()
        if word in words:
            start = match.start()
            before = text[start - 1] if start else " "
            if not (before.isalnum() or before == "_"):
                found.append((start, word))


def _word_starts(text: str, word: str, found: list[tuple[int, str]]) -> None:
    """Add where `word` (all word characters, `isalnum()` or `_`) stands as a whole word."""
    size = len(word)
    limit = len(text) - size
    find = text.find
    start = find(word)
    while start >= 0:
        before = text[start - 1] if start else " "
        after = text[start + size] if start < limit else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            found.append((start, word))
        start = find(word, start + size)


def has_no_case(text: str) -> bool:
    """All letters lower case, or all upper case, and lower-casing keeps every position."""
    return (text.islower() or text.isupper()) and len(text.lower()) == len(text)


def match_at(text: str, start: int, tables: MatchTables) -> str | None:
    """The longest form that stands at `start` as whole words, or None (for tools and tests)."""
    first = _FIRST_WORD.match(text, start)
    if first is None or (start and _WORD_CHAR.match(text, start - 1)):
        return None
    word = first.group()
    longer = tables.longer_forms.get(word, {})
    for form in longer.get(text[first.end() : first.end() + 1], ()):
        if text.startswith(form, start) and _WORD_CHAR.match(text, start + len(form)) is None:
            return form
    return word if word in tables.single_words else None


@lru_cache(maxsize=4096)
def language_applies(languages: tuple[str, ...], language: str | None) -> bool:
    if not languages:
        return True
    if not language:
        return False
    primary = language.split("-")[0].lower()
    return any(lang.lower() in (language.lower(), primary) for lang in languages)


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie, longest alternative first at every node
    (for rule tools and tests that want one pattern for a handful of forms: with `(?!\\w)`
    appended it matches what `match_at` matches)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [
        re.escape(char) + _node_pattern(node[char]) for char in sorted(k for k in node if k)
    ]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body
