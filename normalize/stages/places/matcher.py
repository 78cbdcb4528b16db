"""Finding gazetteer forms in a text: one pass of a compiled multi-pattern matcher.

`build_tables` turns every surface form into a table from a form's first word to the
forms starting with it (longest first), and puts every form into one RE2 set of literals
(`FormSet`): one pass over a text's UTF-8 bytes, in C, tells which forms it contains at
all (most texts contain none, or a few). Only where the first words of those few forms
stand as whole words does `scan` compare the forms: one scan of the title and one of the
text. Matching is case-sensitive (place names are capitalised); a text with no letter case
to rely on (all lower or all upper case) is scanned in lower case against the lower-cased
forms (`caseless` tables), so `москва, 1 дек` still names Moscow. A match must not touch
letters on either side; at one position the longest form wins. (tests/test_places_matcher.py
holds `starts` to a plain version that lists every word of the text.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normalize.stages.places.gazetteer import Surface

_MIN_CASELESS_FORM = 4  # shorter forms are everyday words once case is gone
_FIRST_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_CAPITAL_AFTER_SPACE = re.compile(r"(?<=\s)[^\W\d_]")
_SET_MEMORY = 32 << 20  # the DFA's budget (the whole gazetteer's set compiles within 8 MB)
LARGE_TEXT = 1 << 18  # characters: a text this long is not kept in the stage's memo

# (start, end, surface, meaning) of one mention
Found = tuple[int, int, str, Surface]


class FormSet:
    """Which of many literal forms a text contains: one RE2 set (a DFA over UTF-8 bytes),
    built on first use (it does not pickle: a copy keeps the forms and builds again)."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms = tuple(sorted(forms, key=lambda f: (-len(f), f)))  # longest first
        self.first = tuple(first_word(form) for form in self.forms)
        self._set: Any = None

    def __reduce__(self) -> tuple[type[FormSet], tuple[tuple[str, ...]]]:
        return (FormSet, (self.forms,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormSet) and other.forms == self.forms

    def __hash__(self) -> int:
        return hash(self.forms)

    def present(self, text: str) -> dict[str, list[str]]:
        """The forms that occur in `text` (anywhere, even inside a word), by their first
        word, longest first."""
        if not self.forms:
            return {}
        if self._set is None:
            self._set = _compile_set(self.forms)
        found = self._set.Match(text.encode("utf-8", "surrogatepass"))
        present: dict[str, list[str]] = {}
        if found:
            forms, first = self.forms, self.first
            for index in sorted(found):
                present.setdefault(first[index], []).append(forms[index])
        return present


def _compile_set(forms: tuple[str, ...]) -> Any:
    import re2

    options = re2.Options()
    options.literal = True  # forms are plain strings, never patterns
    options.max_mem = _SET_MEMORY
    matcher = re2.Set.SearchSet(options)
    for form in forms:
        matcher.Add(form)
    matcher.Compile()  # raises when the forms outgrow the memory budget
    return matcher


@dataclass
class MatchTables:
    """The matcher over one set of surfaces (plain dicts and sets, and a `FormSet`)."""

    surfaces: dict[str, Surface]
    first_words: frozenset[str]  # the first word of every form looked for in text
    single_words: frozenset[str]  # first words that are a form by themselves (`Odessa`)
    # longer forms by first word and the character after it, longest first
    longer_forms: dict[str, dict[str, tuple[str, ...]]]
    forms: FormSet  # every form looked for in text (its first word starts a mention)
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
        forms=FormSet(sorted(texty)),
        prefixed={k: sorted(v) for k, v in sorted(prefixed.items())},
    )


def scan(text: str, tables: MatchTables, language: str | None) -> list[Found]:
    """Every form and applicable exception phrase in the text, left to right, longest first.

    (A text without any form costs one pass of the `FormSet`, and at each place where a
    form may begin only the forms the text contains are compared; see
    bench/places_speed.py.)
    """
    present = tables.forms.present(text)
    if not present:
        return []
    found: list[Found] = []
    surfaces = tables.surfaces
    prefixed = tables.prefixed
    size = len(text)
    pos = 0
    for start, word in _positions(text, present):
        if start < pos:
            continue  # inside the mention found last
        end = start + len(word)
        for surface in present[word]:  # longest first; the word itself stands alone
            if len(surface) == len(word):
                break
            if text.startswith(surface, start):
                after = start + len(surface)
                if after == size or not (text[after].isalnum() or text[after] == "_"):
                    end = after
                    break
        else:
            pos = end  # the word begins longer forms only, and none stands here
            continue
        if surface in prefixed:
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
    return _positions(text, tables.forms.present(text))


def _positions(text: str, present: dict[str, list[str]]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for word in present:
        _word_starts(text, word, found)
    found.sort()
    return found


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
