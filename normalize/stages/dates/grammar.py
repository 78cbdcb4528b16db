"""Everything the readers know besides their code: names, words, zones, forms.

CLDR names come lazily per locale (`locales.cldr_names`), the rules' words on top; a
language the rules do not list is loaded when a record in it first asks. The grammar
pickles without its built tables (Normalizers travel to worker processes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from normalize.stages.dates.locales import Entry, cldr_names
from normalize.stages.dates.readings import FORMS
from normalize.stages.dates.words import fold, word_key

RELATIVE_KINDS = frozenset(
    {"rel-unit", "rel-mark", "rel-phrase", "number", "amount", "filler", "shift", "prefix"}
)
PHRASE_BASE = 0xE000  # a multi-word name becomes one private-use character while read


@dataclass
class Grammar:
    """`words[lang]` maps a case-folded word to (kind, value): kind is `month` (1–12),
    `weekday` (0–6, Monday 0), `skip`, `relative` (day offset), `meridiem` (a day period:
    `noon`, `midnight` or the hours (from, before) it covers), `zone` (an offset like
    `-04:00`), `ordinal` or `number`. Language `*` applies to all. `locales` are the
    languages a string in an undeclared language is tried in; any other CLDR locale is
    read when a record declares it.
    """

    locales: tuple[str, ...] = ()
    extra: dict[str, dict[str, Entry]] = field(default_factory=dict)
    forms: frozenset[str] = frozenset(FORMS)
    relative_extra: dict[str, dict[str, Entry]] = field(default_factory=dict)
    fallback: bool = False  # dateparser reads what the grammar does not (when installed)
    # languages whose words apply only to records that declare them: a string in an
    # undeclared language is not tried in them (nor are their CLDR tables loaded for it)
    declared_only: frozenset[str] = frozenset()
    _tables: dict[str, dict[str, Entry]] = field(default_factory=dict, repr=False)
    _index: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _names: dict[str, dict[str, list[tuple[str, Entry]]]] = field(default_factory=dict, repr=False)
    _languages: tuple[str, ...] | None = field(default=None, repr=False)
    _phrases: dict[str, tuple[re.Pattern[str] | None, list[Entry]]] = field(
        default_factory=dict, repr=False
    )
    _relative: dict[str, Any] = field(default_factory=dict, repr=False)
    # parse_date's answers for text (a pure function of the text, the options and this
    # grammar): dates repeat across records, and a record whose language changes is read again
    _parsed: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    # the reader's abbreviation guesses, (language, folded word) → entry or None
    _fuzzy: dict[tuple[str, str], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # names of declared-only languages as the rules wrote them, keyed on the language's
    # first use: most of them no record ever needs
    _unkeyed: dict[str, list[tuple[str, str, Any]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __getstate__(self) -> dict[str, Any]:
        return {
            "locales": self.locales,
            "extra": self.extra,
            "forms": self.forms,
            "fallback": self.fallback,
            "relative_extra": self.relative_extra,
            "declared_only": self.declared_only,
            "unkeyed": self._unkeyed,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.locales, self.extra, self.forms = state["locales"], state["extra"], state["forms"]
        self.fallback, self.relative_extra = state["fallback"], state["relative_extra"]
        self.declared_only, self._unkeyed = state["declared_only"], state["unkeyed"]
        self._tables, self._index, self._names, self._parsed = {}, None, {}, {}
        self._phrases, self._relative, self._languages = {}, {}, None
        self._fuzzy = {}

    def add(self, lang: str, key: str, kind: str, value: Any) -> None:
        """Teach the grammar a word (rule files call this through the dates stage); the
        relative reader's words (RELATIVE_KINDS) are kept apart from the general reader's."""
        words = self.relative_extra if kind in RELATIVE_KINDS else self.extra
        words.setdefault(lang, {})[" ".join(word_key(key).split())] = (kind, value)
        self._tables.pop(lang, None)
        self._names.pop(lang, None)
        self._phrases.pop(lang, None)
        self._relative.clear()
        self._index, self._languages = None, None
        self._parsed.clear()
        self._fuzzy.clear()

    def table(self, lang: str) -> dict[str, Entry]:
        """The words of one language: CLDR names, then the rules' words on top."""
        found = self._tables.get(lang)
        if found is None:
            unkeyed = self._unkeyed.pop(lang, ())
            for word, kind, value in unkeyed:
                words = self.extra.setdefault(lang, {})
                words[" ".join(word_key(word).split())] = (kind, value)
            found = dict(cldr_names(lang)) if lang != "*" else {}
            for key, entry in self.extra.get(lang, {}).items():
                found[key] = entry
                found.setdefault(fold(key), entry)
            self._tables[lang] = found
        return found

    def names(self, lang: str) -> dict[str, list[tuple[str, Entry]]]:
        """Month and weekday names of a language, accent-folded, by their first letter (an
        abbreviation starts with its name's): what abbreviations are matched against."""
        found = self._names.get(lang)
        if found is None:
            found = {}
            for key, entry in self.table(lang).items():
                name = fold(key)
                if entry[0] in ("month", "weekday") and len(name) > 2 and " " not in name:
                    found.setdefault(name[0], []).append((name, entry))
            self._names[lang] = found
        return found

    def phrases(self, lang: str) -> tuple[re.Pattern[str] | None, list[Entry]]:
        """The language's multi-word names (`по подне`, `cümə axşamı`, `tháng 1`, `lw6`) as one pattern,
        longest first, and the entry of each alternative in order."""
        found = self._phrases.get(lang)
        if found is None:
            keys = sorted(
                {k for k in (*self.table(lang), *self.table("*")) if _phrase_like(k)},
                key=lambda k: (-len(k), k),
            )
            entries = [self.table(lang).get(k) or self.table("*")[k] for k in keys]
            alternatives = "|".join(f"({re.escape(k)})" for k in keys)
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if keys else None
            found = self._phrases[lang] = (pattern, entries)
        return found

    def prefixes(self, lang: str) -> list[str]:
        """Clitics the language writes onto a month name (he `ב`, `ל`), from the rules."""
        key = "\x00prefixes:" + lang  # kept with the relative tables, cleared with them
        found = self._relative.get(key)
        if found is None:
            words = self.relative_extra.get(lang, {})
            found = self._relative[key] = [k for k, (kind, _) in words.items() if kind == "prefix"]
        return found  # type: ignore[no-any-return]

    def languages(self) -> tuple[str, ...]:
        """The languages a string in an undeclared language is tried in."""
        if self._languages is None:
            extra = (k for k in self.extra if k != "*" and k not in self.declared_only)
            self._languages = tuple(dict.fromkeys([*self.locales, *extra]))
        return self._languages

    def index(self) -> dict[str, tuple[str, ...]]:
        """Word → the languages that know it (for strings in an undeclared language)."""
        if self._index is None:
            index: dict[str, list[str]] = {}
            for lang in self.languages():
                for key in self.table(lang):
                    index.setdefault(key, []).append(lang)
            self._index = {k: tuple(v) for k, v in index.items()}
        return self._index


def _phrase_like(key: str) -> bool:
    """A name the tokenizer would split: several words, or letters with digits (lg `lw6`)."""
    return " " in key or (any(c.isdigit() for c in key) and any(c.isalpha() for c in key))


def grammar_from_words(entries: Iterable[tuple[str, str, str, Any]], **kwargs: Any) -> Grammar:
    """A grammar from (language, word, kind, value) entries."""
    grammar = Grammar(**kwargs)
    for lang, word, kind, value in entries:
        if lang in grammar.declared_only and kind not in RELATIVE_KINDS:
            grammar._unkeyed.setdefault(lang, []).append((word, kind, value))
        else:
            grammar.add(lang, word, kind, value)
    return grammar
