"""Declared languages in any common form → BCP 47 tags.

Records declare their language as codes (`en`, `eng`, `ger`), locales (`en_US`, `uk-UA`,
`sr_Latn`, `ru_RU.UTF-8`) or names in any language (`English`, `Русский`, `allemand`).
Codes are resolved with CLDR's language aliases (through babel); names with an index of
every language name in every babel locale, built once on first use (about a second) and
shared by all threads. Rule files only add what babel lacks (`NameTable`).

Importing this module is cheap: babel loads inside functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from normalize.memo import Lazy, Memo

T = TypeVar("T")

_TAG_RE = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})"
    r"(?:[-_](?P<script>[A-Za-z]{4}))?"
    r"(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?:\.[\w-]*)?(?:@(?P<modifier>\w+))?$"
)
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva"}
_SPACE_RE = re.compile(r"\s+")
_PAREN_RE = re.compile(r"\s*[(\[].*$")


@dataclass(frozen=True)
class NameTable:
    """Extra language names and noise words from the rule files (what babel lacks).

    `names` maps a case-folded alias to `(tag, rule_id)`; `ignore_words` are words such as
    `язык` or `language` dropped from a declared name (`Русский язык` → `Русский`).
    """

    names: tuple[tuple[str, str, str], ...] = ()
    ignore_words: frozenset[str] = frozenset()

    def lookup(self, key: str) -> tuple[str, str] | None:
        for alias, tag, rule_id in self.names:
            if alias == key:
                return tag, rule_id
        return None


EMPTY_TABLE = NameTable()


@dataclass(frozen=True)
class DeclaredTag:
    """A parsed declared language: the tag and the rule that resolved it (None: babel)."""

    tag: str
    rule_id: str | None = None


def parse_declared(value: Any, table: NameTable | None = None) -> str | None:
    """A declared language in any common form as a BCP 47 tag, or None when unknown."""
    found = resolve_declared(value, table)
    return found.tag if found else None


def resolve_declared(value: Any, table: NameTable | None = None) -> DeclaredTag | None:
    """Like `parse_declared`, also saying which extra-name rule (if any) resolved it."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 80:
        return None
    return _resolve[text, table or EMPTY_TABLE]


def language_hint(values: Mapping[str, Any], table: NameTable | None = None) -> str | None:
    """The declared language of a record's canonical values, for stages before detection."""
    return parse_declared(values.get("language"), table)


def primary_subtag(tag: str | None) -> str | None:
    """`pt-BR` → `pt`."""
    return tag.split("-", 1)[0].lower() if tag else None


def _resolve_text(asked: tuple[str, NameTable]) -> DeclaredTag | None:
    text, table = asked
    tag = parse_code(text)
    if tag:
        return DeclaredTag(tag)
    key = name_key(text, table.ignore_words)
    if not key:
        return None
    for candidate in dict.fromkeys((key, name_key(_PAREN_RE.sub("", text), table.ignore_words))):
        if not candidate:
            continue
        extra = table.lookup(candidate)
        if extra:
            return DeclaredTag(extra[0], extra[1])
        code = _english_names().get(candidate) or _all_names().get(candidate)
        if code:
            return DeclaredTag(_babel_to_bcp47(code))
    return None


_resolve: Memo[tuple[str, NameTable], DeclaredTag | None] = Memo(
    _resolve_text, limit=4096, name="resolve_declared"
)


def parse_code(text: str) -> str | None:
    """An ISO 639 code or locale form (`en`, `eng`, `ger`, `pt_BR`, `sr_Latn`) as a tag."""
    match = _TAG_RE.match(text.strip())
    if not match:
        return None
    lang = match["lang"].lower()
    script = match["script"]
    region = match["region"]
    if not script and match["modifier"]:
        script = _SCRIPT_MODIFIERS.get(match["modifier"].lower())
    alias = _language_aliases().get(lang)
    if alias:
        # CLDR aliases may carry a script or region themselves (`sh` → `sr_Latn`)
        parts = re.split(r"[-_]", alias)
        lang = parts[0]
        for part in parts[1:]:
            if len(part) == 4 and not script:
                script = part
            elif len(part) in (2, 3) and not region:
                region = part
    if lang not in _known_codes():
        return None
    tag = [lang]
    if script:
        tag.append(script.title())
    if region:
        tag.append(region.upper())
    return "-".join(tag)


def name_key(text: str, ignore_words: frozenset[str] = frozenset()) -> str:
    """How names are compared: case-folded, NFC, single spaces, no edge punctuation."""
    key = unicodedata.normalize("NFC", text).casefold()
    key = _SPACE_RE.sub(" ", key.replace("_", " ")).strip(" .,;:")
    if ignore_words:
        words = [w for w in key.split(" ") if w not in ignore_words]
        key = " ".join(words)
    return key


def _babel_to_bcp47(code: str) -> str:
    parts = code.split("_")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


# ---- babel data, loaded lazily and once -------------------------------------------------
#
# Every table here is a pure function of babel's CLDR data, so each is kept in the
# persistent cache (`normalize.cache`, keyed by babel's files and this code): the name
# index takes about a second to build and a few milliseconds to load.


def _from_babel(name: str, build: Callable[[], T]) -> Lazy[T]:
    """A table built from babel once per process (on first use), through the disk cache."""

    def load() -> T:
        from normalize import cache

        return cache.cached(f"langtags-{name}", _babel_key(), cache.built_from_babel(build))

    return Lazy(load)


def _babel_key() -> list[Any]:
    """What the tables are derived from: babel's installed files (found without importing)."""
    from importlib.util import find_spec

    from normalize import cache

    spec = find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return ["babel", None]
    root = Path(next(iter(spec.submodule_search_locations)))
    return [
        "babel",
        cache.file_stamp(root / "__init__.py"),
        cache.file_stamp(root / "global.dat"),
        cache.file_stamp(root / "locale-data"),
    ]


def _build_language_aliases() -> dict[str, str]:
    from babel.core import get_global

    return {k.lower(): v for k, v in get_global("language_aliases").items()}


def _build_known_codes() -> frozenset[str]:
    from babel import Locale, localedata

    codes = {str(c).split("_")[0].lower() for c in Locale("en").languages}
    codes.update(i.split("_")[0].lower() for i in localedata.locale_identifiers())
    return frozenset(codes)


def _build_english_names() -> dict[str, str]:
    from babel import Locale

    return _names_of(Locale("en"))


_language_aliases = _from_babel("aliases", _build_language_aliases)
_known_codes = _from_babel("codes", _build_known_codes)
_english_names = _from_babel("english", _build_english_names)


def _names_of(locale: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in sorted(locale.languages.items()):
        names.setdefault(name_key(name, frozenset()), code)
    return names


def _build_all_names() -> dict[str, str]:
    """Every language name in every base locale; English first, then each autonym, then the rest."""
    from babel import Locale, localedata

    index = dict(_english_names())
    bases = sorted(i for i in localedata.locale_identifiers() if "_" not in i)
    per_locale = {}
    for count, ident in enumerate(bases, start=1):
        try:
            per_locale[ident] = dict(Locale.parse(ident).languages)
        except (ValueError, LookupError):  # pragma: no cover - broken locale data
            continue
        if count % 25 == 0 and hasattr(localedata, "clear_caches"):
            localedata.clear_caches()  # keep only the names, not every locale's data
    for ident, languages in per_locale.items():  # autonyms: Deutsch, русский, polski
        own = languages.get(ident)
        if own:
            index.setdefault(name_key(own, frozenset()), ident)
    for languages in per_locale.values():  # names in other languages: allemand, Nemecký
        for code, name in sorted(languages.items()):
            index.setdefault(name_key(name, frozenset()), code)
    return index


_all_names = _from_babel("all", _build_all_names)
