"""Places: canonical place names in text and in the place field.

The gazetteer (rule kind `place`), the per-language renames (`place-rename`), the fixed
expressions left alone (`place-exception`), how place fields are read (`place-field`) and
the cues that tell an undeclared language (`place-language-cues`) are all rule data under
`rules/places/`. `compile` turns every surface form of every place, plus every exception
phrase, into ONE matcher: a hash table from a form's first word to the forms starting with
it (longest first). `run` lists the distinct words of a text that could begin a form (one
C-level `findall`, one set intersection with the known first words), and only where those
few words stand does it compare the forms, so it costs one scan of the title and one of the
text, whatever the size of the gazetteer, and building it is a dictionary, not a regex.

Matching is case-sensitive (place names are capitalised; an all-capitals copy of each Latin
form is added for datelines such as `KIEV, Jan 5`), a match must not touch letters on either
side, and at one position the longest form wins, so `Chicken Kiev` and `Odessa, Texas` are
seen as the exception phrases they are, and `Kharkov-based` or `Kiev's` as the place.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from typing import Any

from normalize.ruleset import KindError, KindSpec, RuleSet
from normalize.work import WorkRecord

NAME = "places"

PLACE_KINDS = ("city", "region", "country")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
_MIN_TEXT_FORM = 3  # shorter forms are too ambiguous to look for in running text
_MAX_LEAD_FORMS = 8  # a first word of at most this many forms is checked form by form


def _check_place(spec: Mapping[str, Any]) -> None:
    if not spec["name"].strip():
        raise KindError("name", "`name` must not be empty")
    if not COUNTRY_RE.match(spec["country"]):
        raise KindError("country", "`country` must be an ISO 3166-1 alpha-2 code like `UA`")
    gid = spec.get("geonames_id")
    if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0):
        raise KindError("geonames_id", "`geonames_id` must be a positive integer or null")
    if spec["place_kind"] not in PLACE_KINDS:
        raise KindError("place_kind", f"`place_kind` must be one of {', '.join(PLACE_KINDS)}")
    variants = spec["variants"]
    for lang, forms in variants.items():
        if not isinstance(lang, str) or not LANG_RE.match(lang):
            raise KindError("variants", f"variant language {lang!r} is not a language code")
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise KindError("variants", f"variants of {lang!r} must be a list of names")
    field_only = spec.get("field_only", [])
    if not all(isinstance(f, str) and f for f in field_only):
        raise KindError("field_only", "`field_only` must be a list of names")


def _check_rename(spec: Mapping[str, Any]) -> None:
    if not spec["place"].strip() or not spec["to"].strip():
        raise KindError("to", "`place` and `to` must not be empty")
    forms = spec["from"]
    if not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise KindError("from", "`from` must be a non-empty list of names")
    if spec["to"] in forms:
        raise KindError("from", "a rename cannot rename a name to itself")


def _check_exception(spec: Mapping[str, Any]) -> None:
    phrases = spec["phrases"]
    if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise KindError("phrases", "`phrases` must be a non-empty list of text")


def _check_field(spec: Mapping[str, Any]) -> None:
    for key in ("strip", "split"):
        value = spec.get(key, [] if key == "strip" else "")
        for pattern in value if isinstance(value, list) else [value]:
            if not isinstance(pattern, str):
                raise KindError(key, f"`{key}` holds regular expressions as text")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise KindError(key, f"bad regular expression {pattern!r}: {exc}") from None


def _check_cues(spec: Mapping[str, Any]) -> None:
    words = spec["words"]
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise KindError("words", "`words` must be a non-empty list of words")
    if not isinstance(spec.get("min_hits", 2), int) or not isinstance(
        spec.get("min_ratio", 0.1), int | float
    ):
        raise KindError("min_hits", "`min_hits` is a number and `min_ratio` a fraction")


KINDS = {
    "place": KindSpec(
        stage=NAME,
        required={"name": str, "country": str, "place_kind": str, "variants": dict},
        optional={"geonames_id": (int, type(None)), "field_only": list},
        default_fields=("places", "title", "text"),
        check=_check_place,
    ),
    "place-rename": KindSpec(
        stage=NAME,
        required={"place": str, "from": list, "to": str},
        default_fields=("text", "title"),
        check=_check_rename,
    ),
    "place-exception": KindSpec(
        stage=NAME,
        required={"phrases": list},
        default_fields=("text", "title"),
        check=_check_exception,
    ),
    "place-field": KindSpec(
        stage=NAME,
        required={"split": str},
        optional={"strip": list},
        default_fields=("places",),
        check=_check_field,
    ),
    "place-language-cues": KindSpec(
        stage=NAME,
        required={"language": str, "words": list},
        optional={"min_hits": int, "min_ratio": (int, float)},
        default_fields=("text", "title"),
        check=_check_cues,
    ),
}


@dataclass(frozen=True)
class Place:
    """One canonical place and the rule that defines it."""

    name: str
    country: str
    geonames_id: int | None
    kind: str
    rule_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "geonames_id": self.geonames_id}

    @property
    def key(self) -> tuple[Any, ...]:
        """`_place_key` of `as_dict()`, without building the dict."""
        if self.geonames_id is not None:
            return ("id", self.geonames_id)
        return ("name", self.name, self.country)


@dataclass(frozen=True)
class Rename:
    """Rewrite a surface form to `to` in records of the rule's languages."""

    rule_id: str
    to: str
    languages: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Surface:
    """What one matched string means: a place (maybe renamed) or a protected phrase."""

    place: int | None  # index into CompiledPlaces.places; None: an exception phrase
    text_ok: bool = True  # False: only in place fields (too ambiguous in running text)
    renames: tuple[Rename, ...] = ()
    exception_rule: str | None = None
    exception_languages: tuple[str, ...] = ()


class Memo(dict[str, Any]):
    """Results of a pure function of one string, at most `size` of them (then it starts
    again). Never pickled: a copy starts empty."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: str, value: Any) -> Any:
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value

    def __reduce__(self) -> tuple[type[Memo], tuple[int]]:
        return (Memo, (self.size,))


@dataclass
class CompiledPlaces:
    """Everything `run` needs; plain data (dicts, sets and small regexes), so it pickles."""

    places: list[Place]
    surfaces: dict[str, Surface]
    lookup: dict[str, int]  # folded form → place index, for place fields
    exceptions_folded: dict[str, str]  # folded phrase → rule id, for place fields
    field_rule: str | None
    first_words: frozenset[str]  # the first word of every capitalised form
    single_words: frozenset[str]  # first words that are a form by themselves (`Odessa`)
    # longer forms by first word and the character after it, longest first:
    # `Odessa` → {",": ("Odessa, Washington", …, "Odessa, TX"), " ": ("Odessa (Texas)",)}
    longer_forms: dict[str, dict[str, tuple[str, ...]]]
    # first words that are no form by themselves and begin few forms (`The` of `The Odessa
    # File`): looked for only when one of those forms is in the text (checked after its
    # telling word, a later capitalised word such as `File`, was listed too, when it has
    # one); (telling word or None, form) pairs
    lead_words: dict[str, tuple[tuple[str | None, str], ...]]
    candidates: re.Pattern[str] | None  # a capitalised word: where a form may start
    prefixed: dict[str, list[tuple[str, str]]]  # `Kiev` → [("chicken ", "chicken Kiev")]
    field_split: re.Pattern[str] | None
    field_strip: tuple[re.Pattern[str], ...]
    cues: dict[str, tuple[str, frozenset[str], int, float]] = field(default_factory=dict)
    # word starts of the last texts: a record's second pass (another language) sees them again
    recent: Memo = field(default_factory=lambda: Memo(4), compare=False, repr=False)
    # place-field values resolved: they repeat from record to record
    resolved: Memo = field(default_factory=lambda: Memo(4096), compare=False, repr=False)


def fold(text: str) -> str:
    """The key place-field values are looked up by: NFC, case-folded, one apostrophe, one space."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return " ".join(text.casefold().split())


def compile(ruleset: RuleSet) -> CompiledPlaces:
    """Build the gazetteer tables and the single matcher from the place rules.

    The result depends only on the place rules (and this code), so it is kept in the
    persistent cache (`normalize.cache`) under a hash of those rules.
    """
    import pickle

    from normalize import cache

    mine = [
        (r.id, r.kind, r.fields, r.languages, r.sources, dict(r.spec))
        for r in ruleset.rules
        if r.kind in KINDS
    ]
    try:
        key = pickle.dumps(mine, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unusual rule value: build without the cache
        return build(ruleset)
    return cache.cached("places", ["places", key], lambda: build(ruleset))


def build(ruleset: RuleSet) -> CompiledPlaces:
    """`compile` without the cache."""
    places: list[Place] = []
    by_name: dict[str, int] = {}
    forms: dict[str, tuple[int, bool]] = {}
    lookup: dict[str, int] = {}
    for rule in ruleset.of_kind("place"):
        spec = rule.spec
        index = len(places)
        place = Place(
            spec["name"], spec["country"], spec.get("geonames_id"), spec["place_kind"], rule.id
        )
        places.append(place)
        by_name.setdefault(spec["name"], index)
        field_only = set(spec.get("field_only", []))
        all_forms = [spec["name"]]
        for lang in sorted(spec["variants"]):
            all_forms.extend(spec["variants"][lang])
        for form in all_forms:
            lookup.setdefault(fold(form), index)
            text_ok = form not in field_only and len(form) >= _MIN_TEXT_FORM
            for surface in _surface_copies(form):
                if surface not in forms:
                    forms[surface] = (index, text_ok)
    renames: dict[str, list[Rename]] = {}
    for rule in ruleset.of_kind("place-rename"):
        target = by_name.get(rule.spec["place"])
        if target is None:
            continue  # `metanorm rules lint` and the rule-data tests report it
        for form in rule.spec["from"]:
            to = rule.spec["to"]
            for surface in _surface_copies(form):
                forms.setdefault(surface, (target, True))
                if surface.isupper() and not form.isupper():
                    to = to.upper()
                renames.setdefault(surface, []).append(
                    Rename(rule.id, to, rule.languages, rule.fields)
                )
    shared: dict[Surface, Surface] = {}  # one object per meaning: smaller to pickle and load
    surfaces: dict[str, Surface] = {}
    for surface, (index, text_ok) in forms.items():
        meaning = Surface(index, text_ok, tuple(renames.get(surface, ())))
        surfaces[surface] = shared.setdefault(meaning, meaning)
    exceptions_folded: dict[str, str] = {}
    for rule in ruleset.of_kind("place-exception"):
        for phrase in rule.spec["phrases"]:
            exceptions_folded.setdefault(fold(phrase), rule.id)
            for surface in _apostrophe_copies(phrase):
                meaning = Surface(None, True, (), rule.id, rule.languages)
                surfaces[surface] = shared.setdefault(meaning, meaning)
    field_rules = ruleset.of_kind("place-field")
    field_rule = field_rules[-1] if field_rules else None
    cues: dict[str, tuple[str, frozenset[str], int, float]] = {}
    for rule in ruleset.of_kind("place-language-cues"):
        spec = rule.spec
        cues[spec["language"]] = (
            rule.id,
            frozenset(w.casefold() for w in spec["words"]),
            int(spec.get("min_hits", 2)),
            float(spec.get("min_ratio", 0.1)),
        )
    # A form beginning with a short lowercase word (`the State of Eritrea`) is left to place
    # fields: in running text that word is everywhere.
    # Forms are looked for from a capitalised word; a lowercase lead (`chicken Kiev`) becomes a
    # required prefix of the capitalised rest. Wholly lowercase forms are left to place fields.
    texty: list[str] = []
    prefixed: dict[str, list[tuple[str, str]]] = {}
    for s, meaning in surfaces.items():
        if not meaning.text_ok:
            continue
        if s[0].isupper() or s[0].isdigit():
            texty.append(s)
            continue
        cap = re.search(r"(?<=\s)[^\W\d_]", s)
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
        word = _first_word(s)
        if s == word:
            single_words.add(s)
        else:
            longer.setdefault(word, {}).setdefault(s[len(word)], []).append(s)
    return CompiledPlaces(
        places=places,
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
        prefixed={k: sorted(v) for k, v in sorted(prefixed.items())},
        candidates=candidates,
        lookup=lookup,
        exceptions_folded=exceptions_folded,
        field_rule=field_rule.id if field_rule else None,
        field_split=re.compile(field_rule.spec["split"]) if field_rule else None,
        field_strip=tuple(re.compile(p) for p in field_rule.spec.get("strip", []))
        if field_rule
        else (),
        cues=cues,
    )


def _telling_word(form: str, candidates: re.Pattern[str] | None) -> str | None:
    """A later word of the form that the candidate listing would list wherever the form
    stands in a text (a whole word beginning with a candidate character), the longest;
    None when there is none."""
    words = [
        m.group()
        for m in re.finditer(r"(?<!\w)\w+", form)
        if m.start() and candidates is not None and candidates.fullmatch(m.group())
    ]
    return max(words, key=lambda w: (len(w), w)) if words else None


def _apostrophe_copies(form: str) -> list[str]:
    """A form with a straight apostrophe also matches the typographic one, and back."""
    copies = [form]
    for a, b in (("'", "’"), ("’", "'")):
        if a in form and form.replace(a, b) not in copies:
            copies.append(form.replace(a, b))
    return copies


def _surface_copies(form: str) -> list[str]:
    """The form as written and, for Latin-script forms, in capitals (datelines: `KYIV`)."""
    copies = [form]
    upper = form.upper()
    if upper != form and form.isascii() and len(form) >= 4:
        copies.append(upper)
    return copies


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie, longest alternative first at every node.

    Sharing prefixes keeps the engine from re-trying thousands of alternatives at each
    position. The stage itself no longer compiles one (a regex of the whole gazetteer took
    a second to build at every start-up); this stays for rule tools and tests that want
    one pattern for a handful of forms: with `(?!\\w)` appended it matches what
    `match_at` matches.
    """
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


@dataclass(frozen=True)
class Mention:
    """One place found in a text: where, which, and what the text said."""

    start: int
    end: int
    surface: str
    meaning: Surface


def find_mentions(text: str, compiled: CompiledPlaces, language: str | None) -> list[Mention]:
    """Every gazetteer form and applicable exception phrase in the text, left to right."""
    return [Mention(*found) for found in _scan_words(text, compiled, language)] if text else []


# (start, end, surface, meaning): a Mention's fields, without building one per mention
_Found = tuple[int, int, str, Surface]


_FIRST_WORD = re.compile(r"\w+")


def _first_word(form: str) -> str:
    found = _FIRST_WORD.match(form)
    return found.group() if found else form[:1]


def _scan_words(text: str, compiled: CompiledPlaces, language: str | None) -> list[_Found]:
    """Find forms fast: `_starts` lists the distinct words that could begin a form in one
    C-level pass (those starting with a capital, mostly), keeps those that do begin one (a
    set intersection) and locates only those; forms are compared only there.

    (Most capitals begin no place name, so the cost stays near that of the one `findall`:
    a text without place names costs little more; see bench/places_speed.py.)
    """
    found: list[_Found] = []
    starts = compiled.recent.get(text)
    if starts is None:
        starts = compiled.recent.keep(text, _starts(text, compiled))
    single_words = compiled.single_words
    longer_forms = compiled.longer_forms
    surfaces = compiled.surfaces
    prefixed = compiled.prefixed
    size = len(text)
    pos = 0
    for start, word in starts:
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
        for lead, whole in prefixed.get(surface, ()):
            begin = start - len(lead)
            if (
                begin >= 0
                and text.startswith(lead, begin)
                and not (begin and text[begin - 1].isalnum())
                and _language_applies(surfaces[whole].exception_languages, language)
            ):
                start, surface = begin, whole
                break
        meaning = surfaces[surface]
        if meaning.place is None and not _language_applies(meaning.exception_languages, language):
            pos = start + len(word)  # this exception is for another language: look inside it
            continue
        found.append((start, end, surface, meaning))
        pos = end
    return found


def _starts(text: str, compiled: CompiledPlaces) -> list[tuple[int, str]]:
    """Where a form may begin, in order: (position, first word of the forms there).

    It depends on the text alone, so a record's second pass (another language) reuses it.
    """
    if compiled.candidates is None:
        return []
    listed = set(compiled.candidates.findall(text))
    hits = compiled.first_words.intersection(listed)
    starts: list[tuple[int, str]] = []
    lead_words = compiled.lead_words
    for word in hits:
        forms = lead_words.get(word)
        if forms is None or _any_form_in(forms, listed, text):
            _word_starts(text, word, starts)
    starts.sort()
    return starts


def _any_form_in(forms: tuple[tuple[str | None, str], ...], listed: set[str], text: str) -> bool:
    """Whether a lead word (`The`) can begin one of its few forms here: where none is in the
    text it would match nothing, so it is not looked for. The telling word is the cheap test,
    the form itself the sure one."""
    return any((telling is None or telling in listed) and form in text for telling, form in forms)


_WORD_CHAR = re.compile(r"\w")


def _word_starts(text: str, word: str, starts: list[tuple[int, str]]) -> None:
    """Add where `word` (all word characters) stands in the text as a whole word.

    A word character is what `\\w` matches: `isalnum()` or `_`.
    """
    size = len(word)
    limit = len(text) - size
    find = text.find
    start = find(word)
    while start >= 0:
        before = text[start - 1] if start else " "
        after = text[start + size] if start < limit else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            starts.append((start, word))
        start = find(word, start + size)


def match_at(text: str, start: int, compiled: CompiledPlaces) -> str | None:
    """The longest form that stands at `start` as whole words, or None (for tools and tests)."""
    first = _FIRST_WORD.match(text, start)
    if first is None or (start and _WORD_CHAR.match(text, start - 1)):
        return None
    word = first.group()
    longer = compiled.longer_forms.get(word, {})
    for form in longer.get(text[first.end() : first.end() + 1], ()):
        if text.startswith(form, start) and _WORD_CHAR.match(text, start + len(form)) is None:
            return form
    return word if word in compiled.single_words else None


@lru_cache(maxsize=4096)
def _language_applies(languages: tuple[str, ...], language: str | None) -> bool:
    if not languages:
        return True
    if not language:
        return False
    primary = language.split("-")[0].lower()
    return any(lang.lower() in (language.lower(), primary) for lang in languages)


def run(work: WorkRecord, compiled: CompiledPlaces) -> None:
    """Rename in title and text, resolve the place field, list the places, in that order."""
    language = _record_language(work)
    cue_decisions: dict[str, bool] = {}
    mentioned: list[int] = []
    for name in ("title", "text"):
        text = work.text(name)
        if not text:
            continue
        mentions = _scan_words(text, compiled, language)
        if not mentions:
            continue
        pieces: list[str] = []
        last = 0
        fired: list[str] = []
        for start, end, _surface, meaning in mentions:
            if meaning.place is None:
                continue
            mentioned.append(meaning.place)
            if not meaning.renames:
                continue
            rename = _applicable_rename(
                meaning, name, language, text, compiled, cue_decisions, work
            )
            if rename is not None:
                pieces.append(text[last:start])
                pieces.append(rename.to)
                last = end
                if rename.rule_id not in fired:
                    fired.append(rename.rule_id)
        if fired:
            pieces.append(text[last:])
            new_text = "".join(pieces)
            work.set(name, new_text, fired[0])
            for rule_id in fired[1:]:
                work.fire(rule_id)
    field_places = _resolve_field(work, compiled)
    _list_places(work, compiled, field_places, mentioned)


def _applicable_rename(
    meaning: Surface,
    field_name: str,
    language: str | None,
    text: str,
    compiled: CompiledPlaces,
    cue_decisions: dict[str, bool],
    work: WorkRecord,
) -> Rename | None:
    for rename in meaning.renames:
        if rename.fields and field_name not in rename.fields:
            continue
        if language:
            if _language_applies(rename.languages, language):
                return rename
            continue
        if not rename.languages:
            return rename
        # Undeclared language: a rename applies when the text itself reads as that language.
        for lang in rename.languages:
            if lang not in cue_decisions:
                cue_decisions[lang] = _text_shows_language(text, lang, compiled, work)
            if cue_decisions[lang]:
                return rename
    return None


_WORD_RE = re.compile(r"[^\W\d_]+")


def _latin_words(words: list[str]) -> int:
    """How many words have every letter below U+0250 (C-level: no Python call per word)."""
    highest = sorted(map(max, filterfalse(str.isascii, words)))  # of each non-ASCII word
    return len(words) - len(highest) + bisect_left(highest, "\u0250")


def _text_shows_language(text: str, lang: str, compiled: CompiledPlaces, work: WorkRecord) -> bool:
    """Latin-script text whose common function words are those of `lang` (rule data)."""
    cue = compiled.cues.get(lang)
    if cue is None:
        return False
    rule_id, words, min_hits, min_ratio = cue
    head = text[:2000]
    sample = _WORD_RE.findall(head)
    if not sample:
        return False
    latin = len(sample) if head.isascii() else _latin_words(sample)
    if latin * 2 < len(sample):
        return False
    hits = sum(map(words.__contains__, map(str.casefold, sample)))
    if hits >= min_hits and hits / len(sample) >= min_ratio:
        work.fire(rule_id)
        return True
    return False


def _record_language(work: WorkRecord) -> str | None:
    """The declared language (the lead sets hints['language']); else read the field."""
    if work.language:
        return work.language
    value = work.values.get("language")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        from normalize.langtags import language_hint
    except ImportError:  # pragma: no cover - only before the language helper landed
        return _fallback_language(value)
    return language_hint({"language": value})


_FALLBACK = {
    "english": "en",
    "eng": "en",
    "russian": "ru",
    "rus": "ru",
    "ukrainian": "uk",
    "ukr": "uk",
}


def _fallback_language(value: str) -> str | None:
    key = value.strip().replace("_", "-").split("-")[0].casefold()
    if LANG_RE.match(key) and len(key) == 2:
        return key
    return _FALLBACK.get(key)


# --- place fields --------------------------------------------------------------------------


@dataclass
class FieldResult:
    """The place field read: the places it names, and whether it was already canonical."""

    places: list[dict[str, Any]]
    rule_ids: list[str]
    canonical: bool
    unresolved: Any = None


def _is_canonical_place(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"name", "country", "geonames_id"}
        and isinstance(value.get("name"), str)
    )


def resolve_place_text(value: str, compiled: CompiledPlaces) -> list[int] | None:
    """A place-field string → place indexes (a qualifying country dropped), or None.

    `Kiev, Ukraine` → [Kyiv]; `KYIV (Reuters)` → [Kyiv]; `Odesa Oblast` → [the oblast];
    `Odessa, Texas` → None (an exception phrase); any part that names nothing known → None.
    """
    whole = fold(value)
    if not whole:
        return None
    if whole in compiled.exceptions_folded:
        return None
    if whole in compiled.lookup:
        return [compiled.lookup[whole]]
    cleaned = value
    for pattern in compiled.field_strip:
        cleaned = pattern.sub(" ", cleaned)
    parts = compiled.field_split.split(cleaned) if compiled.field_split else [cleaned]
    found: list[int] = []
    for part in parts:
        key = fold(part).strip(" .-–—:")
        if not key or any(ch.isdigit() for ch in key):
            continue  # an empty piece or a date in a dateline
        index = compiled.lookup.get(key)
        if index is None:
            return None
        place = compiled.places[index]
        qualifies = place.kind == "country" and any(
            compiled.places[i].country == place.country for i in found
        )
        if not qualifies and index not in found:
            found.append(index)
    return found or None


def _resolve_remembered(value: str, compiled: CompiledPlaces) -> tuple[int, ...] | None:
    """`resolve_place_text`, remembered: field values repeat from record to record."""
    found = compiled.resolved.get(value, compiled)  # the compiled tables: never a result
    if found is not compiled:
        return found
    indexes = resolve_place_text(value, compiled)
    return compiled.resolved.keep(value, None if indexes is None else tuple(indexes))


def _resolve_field(work: WorkRecord, compiled: CompiledPlaces) -> FieldResult:
    value = work.values.get("places")
    result = FieldResult([], [], canonical=True)
    if value is None or value == [] or value == "":
        return result
    items = value if isinstance(value, list) else [value]
    unresolved: list[Any] = []
    for item in items:
        if _is_canonical_place(item):
            result.places.append(dict(item))
            continue
        result.canonical = False
        text = item.get("name") if isinstance(item, dict) else item
        indexes = _resolve_remembered(text, compiled) if isinstance(text, str) else None
        if indexes is None:
            unresolved.append(item)
            blocked_by = (
                compiled.exceptions_folded.get(fold(text)) if isinstance(text, str) else None
            )
            if blocked_by:
                result.rule_ids.append(blocked_by)  # e.g. `Odessa, Texas` is not Odesa
            continue
        for index in indexes:
            place = compiled.places[index]
            result.places.append(place.as_dict())
            result.rule_ids.append(place.rule_id)
    if unresolved:
        result.unresolved = unresolved if isinstance(value, list) else value
    return result


def _list_places(
    work: WorkRecord, compiled: CompiledPlaces, field: FieldResult, mentioned: list[int]
) -> None:
    listed: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    fired: list[str] = list(field.rule_ids)

    def add(place: dict[str, Any]) -> bool:
        key = _place_key(place)
        if key in keys:
            return False
        keys.add(key)
        listed.append(place)
        return True

    for place in field.places:
        add(place)
    for index in dict.fromkeys(mentioned):  # a place named again adds nothing
        known = compiled.places[index]
        if known.key not in keys:
            keys.add(known.key)
            listed.append(known.as_dict())
            fired.append(known.rule_id)
    before = work.values.get("places")
    key = work.hints.get("places_key", "place")
    if field.unresolved is not None:
        work.set_meta(key, field.unresolved, compiled.field_rule or "place.field")
        work.warn("place.unresolved", "places", f"no known place in {key}: {field.unresolved!r}")
    if before is None and not listed and field.unresolved is None:
        return
    if before == listed:
        return
    rule_id = compiled.field_rule if not field.canonical and compiled.field_rule else None
    fired = list(dict.fromkeys(fired))
    if rule_id is None:
        rule_id = fired[0] if fired else (compiled.field_rule or "place.field")
    work.set("places", listed, rule_id)
    already = set(work.fired)  # most are: spare `fire` its list scan
    for other in fired:
        if other not in already:
            work.fire(other)


def _place_key(place: Mapping[str, Any]) -> tuple[Any, ...]:
    gid = place.get("geonames_id")
    if gid is not None:
        return ("id", gid)
    return ("name", place.get("name"), place.get("country"))
