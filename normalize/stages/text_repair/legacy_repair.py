"""Repair text written in one legacy Cyrillic code page and read as another.

ftfy repairs UTF-8 that was decoded with a single-byte code page; it does not repair
text whose bytes were *written* in a legacy Cyrillic code page (cp1251, KOI8-R/U, cp866)
and *read* as another one (cp1252, latin-1, cp1251, KOI8-R): `Çàãîëîâîê`,
`úÁÇÏÌÏ×ÏË`, `ъБЗПМПЧПЛ`, `‡ Ј®«®ў®Є`. Each `legacy-codepage` rule names one such pair.

How a field is repaired (`LegacyRepairer.repair`):

1. A cheap gate per rule: a line is looked at only when it holds two adjacent characters
   that the rule would turn into Cyrillic letters and that are not ordinary letters of the
   reading code page (for a Cyrillic reading: two capitals or a lower-upper pair). Clean
   text pays one regex search (a superset of all the gates). A line whose bytes, as the
   rule's reading shows them, are valid UTF-8 is UTF-8 mojibake, left to ftfy: legacy
   damage never is (two Cyrillic letters in a row are two UTF-8 lead bytes).
2. Runs: inside a line, the maximal spans of characters the reading code page can hold
   (plus punctuation, digits and spaces, which pass through). Latin brand names, numbers
   and URLs are ASCII and come out unchanged. Characters that ftfy produced by decoding a
   byte sequence as UTF-8 (`йҐЈ` became `饣`) are turned back into their bytes first.
3. Each run is re-decoded (`run.encode(read_as).decode(written_in)`, done with C
   charmaps, or one `str.translate`) and the repair is kept only when the new text is
   clearly better
   language: its letters are scored with langdetect's own n-gram profiles (the frequency
   tables shipped inside the langdetect package) against the best-scoring profile of the
   original text; the result must reach an absolute score, gain a margin, have most of its
   words plausible for the target language, no word mixing Latin and Cyrillic letters, and
   no impossible letter case (`чТБЮЙ`).
4. When several rules can repair the same line, the one with the best score wins.

The profiles are read lazily on first use and are not pickled: a pickled repairer carries
only its rules' settings.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from itertools import accumulate, chain, repeat
from operator import add, itemgetter, sub, truediv
from pathlib import Path
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule

KIND = "legacy-codepage"

# Thresholds; every rule may override them (they are rule data, see `KINDS`).
DEFAULTS: dict[str, Any] = {
    "judge_with": ["ru", "uk", "bg", "mk"],  # langdetect profiles of the written language
    "min_letters": 4,  # fewer changed letters than this is no evidence
    "min_capitals_letters": 12,  # the same when the damaged text is all capitals
    "min_score": -4.6,  # mean log-probability per character of the repaired letters
    "min_gain": 1.2,  # how much better (per character) than the original's best profile
    "min_valid_share": 0.75,  # share of repaired letters in plausible words
    "word_score": -5.6,  # a word is plausible when its own mean score reaches this
    "min_source_letters": 0.15,  # letters of the damaged text per repaired letter, at least
    "case_weight": 1.0,  # gain per share of letters whose case was impossible before
}

_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
# punctuation and spaces a run may hold although the reading could not show them
_PASS_THROUGH = "\u2000-\u206f\u00a0-\u00bf\u02b9-\u02df\u20a0-\u20cf\u2100-\u214f\u2190-\u21ff"
_LATIN_LETTERS = frozenset("abcdefghjklmnopqrstuvwxyzABCDEFGHJKLMNOPQRSTUVWXYZ")  # i I: homoglyphs
_WORD = re.compile(r"[^\W\d_]+(?:['’`ʼ][^\W\d_]+)*")


def _profiles_dir() -> Path | None:
    spec = find_spec("langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "profiles"


def _check(spec: Mapping[str, Any]) -> None:
    """Refuse unknown codecs, unknown profiles and nonsense thresholds at load time."""
    for key in ("written_in", "read_as", "c1_read_as"):
        if key not in spec:
            continue
        try:
            info = codecs.lookup(spec[key])
        except LookupError:
            raise KindError(key, f"unknown codec {spec[key]!r}") from None
        try:
            if len(bytes(range(0x41, 0x5B)).decode(info.name)) != 26:
                raise ValueError
        except (UnicodeDecodeError, ValueError):
            raise KindError(key, f"{spec[key]!r} is not a single-byte ASCII code page") from None
    if codecs.lookup(spec["written_in"]).name == codecs.lookup(spec["read_as"]).name:
        raise KindError("read_as", "`read_as` must differ from `written_in`")
    judges = spec.get("judge_with", DEFAULTS["judge_with"])
    if not judges or not all(isinstance(j, str) for j in judges):
        raise KindError("judge_with", "`judge_with` is a non-empty list of langdetect profiles")
    profiles = _profiles_dir()
    if profiles is not None:
        for name in judges:
            if not (profiles / name).is_file():
                raise KindError("judge_with", f"langdetect has no profile {name!r}")
    for key in DEFAULTS:
        if key == "judge_with":
            continue
        if key in spec and isinstance(spec[key], bool):
            raise KindError(key, f"`{key}` must be a number")
    share = spec.get("min_valid_share", 0.5)
    if not 0 <= share <= 1:
        raise KindError("min_valid_share", "`min_valid_share` is between 0 and 1")


KINDS = {
    KIND: KindSpec(
        stage="text_repair",
        required={"written_in": str, "read_as": str},
        optional={
            "c1_read_as": str,
            "judge_with": list,
            "min_letters": int,
            "min_capitals_letters": int,
            "min_score": (int, float),
            "min_gain": (int, float),
            "min_valid_share": (int, float),
            "word_score": (int, float),
            "min_source_letters": (int, float),
            "case_weight": (int, float),
        },
        default_fields=("text", "title"),
        check=_check,
    )
}


def _sloppy_decode(codec: str, byte: int) -> str:
    """One byte as a reader of `codec` shows it; undefined bytes keep their latin-1 value."""
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return chr(byte)


def _lower_letters(codec: str) -> set[str]:
    """The lowercase letters a code page is ordinarily written in (its ASCII and high ones)."""
    chars = {chr(c) for c in range(0x61, 0x7B)}
    for byte in range(0x80, 0x100):
        char = _sloppy_decode(codec, byte)
        if char.isalpha() and char.islower():
            chars.add(char)
    return chars


_DELETE_ALL_BUT = {
    name: bytes(b for b in range(256) if not low <= b <= high)
    for name, (low, high) in {
        "upper": (0xC0, 0xDF),
        "lower": (0xE0, 0xFF),
        "rare": (0xA0, 0xBF),
    }.items()
}


class _Screen:
    """Cheap signs (C-speed byte counts) that a line may hold a kind of damage at all.

    A reading in Latin-1/cp1252 shows up as its own characters; a line without any of a
    pair's suspicious characters cannot hold that damage. A Cyrillic reading of Cyrillic
    bytes (KOI8 ↔ cp1251) swaps letter case, so most letters come out capitals; cp866 read
    as cp1251 turns half the letters into symbols and rare letters (bytes 0xA0-0xBF). Clean
    Cyrillic text shows neither, and is not judged.
    """

    def __init__(self, line: str) -> None:
        self.line = line
        self._cyrillic_signal: bool | None = None
        self._utf8: dict[tuple[str, str | None], bool | None] = {}

    def utf8_mojibake(self, pair: _Pair, quick: bool = False) -> bool | None:
        """UTF-8 shown by the pair's reading: ftfy's damage, not a legacy code page's. Legacy
        damage is never valid UTF-8 (two Cyrillic letters in a row are two UTF-8 lead bytes).

        With `quick`, None when only the slow way (a line that mixes both readings of bytes
        0x80-0x9F, or holds characters neither shows) can tell.
        """
        known = self._utf8.get(pair.reading)
        if known is None:
            data = None
            for encoding_map in pair.encoding_maps:
                try:
                    data = codecs.charmap_encode(self.line, "strict", encoding_map)[0]
                    break
                except UnicodeEncodeError:
                    continue
            if data is None and len(pair.encoding_maps) == 1:
                # characters the reading cannot show count as `?` (they break UTF-8)
                data = codecs.charmap_encode(self.line, "replace", pair.encoding_maps[0])[0]
            elif data is None:  # both readings in one line: the slow general way
                if quick:
                    return None
                data = self.line.translate(pair.to_bytes).encode("latin-1", "replace")
            try:
                data.decode("utf-8")
                known = True
            except UnicodeDecodeError:
                known = False
            self._utf8[pair.reading] = known
        return known

    def worth_judging(self, pair: _Pair) -> bool:
        if pair.cyrillic_reading:
            if self._cyrillic_signal is None:
                # a Cyrillic reading shows its damage in Cyrillic letters: a line with none
                # (UTF-8 read as cp1252, say) is not this kind of damage at all
                self._cyrillic_signal = _CYRILLIC_LETTER.search(
                    self.line
                ) is not None and _cyrillic_damage_signal(self.line)
            return self._cyrillic_signal
        return pair.suspicious_re.search(self.line) is not None


def _cyrillic_damage_signal(line: str) -> bool:
    data = line.encode("cp1251", "ignore")
    upper = len(data.translate(None, _DELETE_ALL_BUT["upper"]))
    lower = len(data.translate(None, _DELETE_ALL_BUT["lower"]))
    rare = len(data.translate(None, _DELETE_ALL_BUT["rare"]))
    swapped_case = upper >= 4 and upper >= lower
    symbols_for_letters = rare >= 4 and rare * 3 >= upper + lower
    return swapped_case or symbols_for_letters


_COMMON_LETTERS = "оаеинтсрвлі"  # the most frequent letters of Russian, Ukrainian, Belarusian
_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў"


def _cp1251_keeping(letters: str) -> bytes:
    """The cp1251 bytes to delete to keep only `letters`, in either case: cp1251 writes
    every letter counted here, so letters are counted as bytes, at C speed."""
    keep = (letters + letters.upper()).encode("cp1251")
    return bytes(b for b in range(256) if b not in keep)


_DELETE_ALL_BUT_COMMON = _cp1251_keeping(_COMMON_LETTERS)
_DELETE_ALL_BUT_LETTERS = _cp1251_keeping(_CYRILLIC_LETTERS)


def _likeliest(candidates: list[tuple[int, _Pair]], line: str) -> list[tuple[int, _Pair]]:
    """Drop the readings that are clearly worse than the best one before judging them.

    Judging is costly, and broken text trips several pairs' gates. The right re-decoding
    gives ordinary letter frequencies (о, а, е, и, н make about a third of the letters); a
    wrong code page gives rare letters instead. Only pruning: the judge still decides.
    """
    if len(candidates) < 2:
        return candidates
    shares = []
    for _index, pair in candidates:
        data = pair.redecode(line).encode("cp1251", "ignore")
        letters = len(data.translate(None, _DELETE_ALL_BUT_LETTERS)) or 1
        common = len(data.translate(None, _DELETE_ALL_BUT_COMMON))
        shares.append(common / letters)
    top = max(shares)
    return [
        candidate
        for candidate, share in zip(candidates, shares, strict=True)
        if share >= 0.75 * top
    ]


def _dense_enough(gate: re.Pattern[str], line: str) -> bool:
    """Damage of this kind is dense: worth judging only with a suspicious pair per ~15 characters.

    Clean text trips a gate now and then (`НАТО`, `«М`, `ÀÉ`); broken text trips it at
    nearly every other letter. Judging is costly, so sparse hits are not judged.
    """
    # hits * 15 >= len(line), counted only as far as needed (broken lines hit far more)
    needed = max(2, -(-len(line) // 15))
    hits = 0
    for hits, _ in enumerate(gate.finditer(line), 1):
        if hits >= needed:
            return True
    return hits == 1 and len(line) < 24


def _reading_tables(readings: list[tuple[str, int]]) -> tuple[str, ...]:
    """Bytes 0x00-0xFF as the reader shows them: the main reading and, with `c1_read_as`,
    one where bytes 0x80-0x9F are shown as that reader does (decoding tables for C charmaps)."""
    ascii_chars = "".join(map(chr, range(0x80)))
    main = [char for char, _ in readings[:0x80]]
    tables = [ascii_chars + "".join(main)]
    if len(readings) > 0x80:
        c1 = [char for char, _ in readings[0x80:]]
        tables.append(ascii_chars + "".join(c1 + main[0x20:]))
    return tuple(tables)


def _agrees(decoding: str, table: dict[int, str], written_table: str) -> bool:
    """Does encoding as `decoding` shows bytes, then decoding as written, re-decode every
    character that `decoding` shows as `table` does?"""
    encoding_map = codecs.charmap_build(decoding)
    for char in set(decoding):
        data = codecs.charmap_encode(char, "strict", encoding_map)[0]
        if codecs.charmap_decode(data, "strict", written_table)[0] != char.translate(table):
            return False
    return True


def _to_bytes(readings: list[tuple[str, int]]) -> dict[int, str]:
    """The bytes a reading was made of, as a `str.translate` table to latin-1 characters."""
    table: dict[int, str] = {code: "\ufffd" for code in range(0x80, 0x100)}  # unshown: no byte
    shown: set[str] = set()
    for char, byte in readings:
        if char not in shown:
            shown.add(char)
            table[ord(char)] = chr(byte)
    return table


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


@dataclass(frozen=True)
class _Pair:
    """One rule compiled: the translation table, the gate and the thresholds."""

    rule_id: str
    written_in: str
    read_as: str
    table: dict[int, str]
    readable: frozenset[str]  # characters the reading code page shows for bytes 0x80-0xFF
    gate: re.Pattern[str]
    judge_with: tuple[str, ...]
    params: dict[str, Any]
    cyrillic_reading: bool
    suspicious: frozenset[str]  # characters this damage shows that clean text rarely has
    suspicious_re: re.Pattern[str]  # any one of them
    gate_first: frozenset[str]  # characters that may start a match of `gate`
    run_re: re.Pattern[str]  # characters a run may hold as they are
    change_re: re.Pattern[str]  # characters the re-decoding changes
    symbol_in_word_re: re.Pattern[str]  # `_SYMBOL_IN_WORD` for what this re-decoding makes
    reading: tuple[str, str | None]  # read_as, c1_read_as
    to_bytes: dict[int, str]  # each character the reading shows → its byte (as a latin-1 char)
    encoding_maps: tuple[Any, ...]  # the same as C charmaps: main reading, C1 one first
    redecoding_maps: tuple[Any, ...]  # those of them that agree with `table` (see redecode)
    written_table: str  # bytes 0x00-0xFF as `written_in` shows them

    @classmethod
    def build(cls, rule: Rule) -> _Pair:
        spec = rule.spec
        written_in = codecs.lookup(spec["written_in"]).name
        read_as = codecs.lookup(spec["read_as"]).name
        readings: list[tuple[str, int]] = []
        for byte in range(0x80, 0x100):
            readings.append((_sloppy_decode(read_as, byte), byte))
        c1 = spec.get("c1_read_as")
        if c1:  # bytes 0x80-0x9F as another reader shows them: C1 controls (latin-1), or
            # the cp1252 punctuation that ftfy's fix_c1_controls makes of those controls
            readings.extend((_sloppy_decode(c1, byte), byte) for byte in range(0x80, 0xA0))
        table: dict[int, str] = {}
        readable: set[str] = set()
        to_cyrillic: set[str] = set()
        for char, byte in readings:
            if char in readable:
                continue
            readable.add(char)
            target = _sloppy_decode(written_in, byte)
            if target != char:
                table[ord(char)] = target
            if _CYRILLIC_LETTER.match(target) and target.isalpha():
                to_cyrillic.add(char)
        cyrillic_reading = sum(1 for c in readable if _CYRILLIC_LETTER.match(c)) > 20
        ordinary = _lower_letters(read_as) if cyrillic_reading else set()
        suspicious = to_cyrillic - ordinary
        gate_chars = _char_class(suspicious)
        gate_first = set(suspicious)
        if cyrillic_reading:
            lower = {c for c in to_cyrillic if c.islower()}
            gate_first |= lower
            gate = re.compile(f"{gate_chars}{{2}}|{_char_class(lower)}{gate_chars}")
        else:
            gate = re.compile(f"{gate_chars}{{2}}")
        params = {k: spec.get(k, v) for k, v in DEFAULTS.items() if k != "judge_with"}
        shown = _reading_tables(readings)
        written_table = "".join(map(chr, range(0x80))) + "".join(
            _sloppy_decode(written_in, byte) for byte in range(0x80, 0x100)
        )
        return cls(
            rule_id=rule.id,
            written_in=written_in,
            read_as=read_as,
            table=table,
            readable=frozenset(readable),
            gate=gate,
            judge_with=tuple(spec.get("judge_with", DEFAULTS["judge_with"])),
            params=params,
            cyrillic_reading=cyrillic_reading,
            suspicious=frozenset(suspicious),
            suspicious_re=re.compile(gate_chars),
            gate_first=frozenset(gate_first),
            run_re=re.compile("[\\x00-\\x7f" + _char_class(readable)[1:-1] + _PASS_THROUGH + "]+"),
            reading=(read_as, c1 and codecs.lookup(c1).name),
            to_bytes=_to_bytes(readings),
            encoding_maps=tuple(map(codecs.charmap_build, shown)),
            redecoding_maps=tuple(
                codecs.charmap_build(t) for t in shown if _agrees(t, table, written_table)
            ),
            written_table=written_table,
            change_re=re.compile(_char_class({chr(c) for c in table})),
            symbol_in_word_re=_symbol_in_word(set(table.values())),
        )

    def redecode(self, text: str) -> str:
        """`text.translate(self.table)`: as C codecs (encode as read, decode as written) when
        the reading shows every character; `str.translate` with a dict is ten times slower."""
        for encoding_map in self.redecoding_maps:
            try:
                data = codecs.charmap_encode(text, "strict", encoding_map)[0]
            except UnicodeEncodeError:
                continue
            return codecs.charmap_decode(data, "strict", self.written_table)[0]
        return text.translate(self.table)

    def undo_ftfy(self, char: str) -> str | None:
        """The reading that ftfy decoded as UTF-8 into `char` (`饣` → `йҐЈ`), if there is one."""
        if ord(char) < 0x300 or _CYRILLIC_LETTER.match(char) or 0x2000 <= ord(char) < 0x2070:
            return None
        data = char.encode("utf-8")
        back = "".join(_sloppy_decode(self.read_as, b) for b in data)
        if all(c in self.readable for c in back):
            return back
        return None


@dataclass
class _Profile:
    """A langdetect profile as an interpolated 3-gram model of letters (case-folded).

    P(c | ab) = 0.6 f(abc)/f(ab) + 0.3 f(bc)/f(b) + 0.1 f(c)/N, precomputed as logs for the
    3-grams and 2-grams the profile lists; anything rarer gets the 1-gram term alone.
    """

    grams: dict[str, int]
    logp: dict[str, float]  # "abc" → log P(c | ab); "bc" → log P(c | b) when abc is unlisted

    @classmethod
    def load(cls, path: Path) -> _Profile:
        data = json.loads(path.read_text(encoding="utf-8"))
        grams: dict[str, int] = {}
        for gram, count in data["freq"].items():
            key = gram.lower()
            grams[key] = grams.get(key, 0) + count
        # the space is no 1-gram in langdetect's tables: count it from the 2-grams it starts
        grams[" "] = sum(c for g, c in grams.items() if len(g) == 2 and g[0] == " ")
        total = sum(c for g, c in grams.items() if len(g) == 1)

        def p1(c: str) -> float:
            return 0.1 * grams.get(c, 0) / total

        def p2(bc: str) -> float:
            fb = grams.get(bc[0], 0)
            return p1(bc[1]) + (0.3 * grams.get(bc, 0) / fb if fb else 0.0)

        logp: dict[str, float] = {}
        for gram in grams:
            if len(gram) == 1:
                logp[gram] = math.log(p1(gram) + _EPSILON)
            elif len(gram) == 2:
                logp[gram] = math.log(p2(gram) + _EPSILON)
            else:
                fab = grams.get(gram[:2], 0)
                p3 = 0.6 * grams[gram] / fab if fab else 0.0
                logp[gram] = math.log(p3 + p2(gram[1:]) + _EPSILON)
        return cls(grams=grams, logp=logp)

    def score(self, text: str) -> float:
        """Mean log-probability per character of normalized text (` word word `)."""
        logp = self.logp.get
        floor = _LOG_EPSILON
        total = 0.0
        for i in range(1, len(text)):
            value = logp(text[i - 2 : i + 1]) if i >= 2 else None
            if value is None:
                value = logp(text[i - 1 : i + 1])
                if value is None:
                    value = logp(text[i], floor)
            total += value
        return total / (len(text) - 1) if len(text) > 1 else 0.0


def _load_profiles(directory: Path) -> dict[str, _Profile]:
    """All of langdetect's profiles as letter models, kept in the derived-data cache
    (reading and converting the 55 JSON files takes about a second)."""
    from normalize import cache as derived

    paths = sorted(p for p in directory.iterdir() if p.is_file())

    def build() -> dict[str, _Profile]:
        return {path.name: _Profile.load(path) for path in paths}

    return derived.cached("legacy-profiles", [derived.file_stamp(p) for p in paths], build)


class _Judge:
    """langdetect's profiles, read once on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._profiles: dict[str, _Profile] | None = None
        self._letters: dict[str, frozenset[str]] = {}
        self._backoffs: dict[str, _Backoff] = {}
        self._budget = _Budget()
        self._joints: dict[tuple[str, ...], _Joint] = {}
        self._lanes: dict[str, int] = {}  # letter → 1 in the lane of each profile that has it

    def profiles(self) -> dict[str, _Profile]:
        if self._profiles is None:
            with self._lock:
                if self._profiles is None:
                    directory = _profiles_dir()
                    if directory is None:
                        raise RuntimeError("langdetect is not installed: its profiles are needed")
                    loaded = _load_profiles(directory)
                    self._letters = {
                        name: frozenset(g for g in p.grams if len(g) == 1 and g.isalpha())
                        for name, p in loaded.items()
                    }
                    self._profiles = loaded
        return self._profiles

    def best(self, text: str, names: Sequence[str] | None = None) -> float:
        """The best mean score of `text` among the named profiles (default: those fitting it)."""
        profiles = self.profiles()
        if names is None:
            counts = Counter(text.replace(" ", ""))
            if not counts:
                return 0.0
            names = self._fitting(counts)
        if len(text) < 2:
            return 0.0
        grams = _trigrams(text)  # (the fitting profiles vary: scored one by one)
        return max(
            sum(self._values(n, text, grams)) / (len(text) - 1) for n in names if n in profiles
        )

    def _fitting(self, counts: Counter[str]) -> list[str]:
        """The profiles whose letters cover at least 90% as much of the text as the best one.

        Each letter has a packed integer with a 1 in the lane of every profile that has it,
        so one sum of `count × packed` gives every profile's coverage at once.
        """
        names = list(self._letters)
        packed = 0
        for char, count in counts.items():
            lanes = self._lanes.get(char)
            if lanes is None:
                lanes = self._lanes[char] = sum(
                    1 << (_LANE_BITS * i)
                    for i, name in enumerate(names)
                    if char in self._letters[name]
                )
            packed += count * lanes
        lane = (1 << _LANE_BITS) - 1
        coverage = [(packed >> (_LANE_BITS * i)) & lane for i in range(len(names))]
        top = max(coverage)
        return [name for name, cov in zip(names, coverage, strict=True) if cov >= top * 0.9]

    def best_with_words(
        self, words: Sequence[str], names: Sequence[str]
    ) -> tuple[float, list[float]]:
        """`best(_normalize(words), names)`, and each word's `best(_normalize([word]), names)`.

        One pass over the joined text serves both: a word alone (` word `) is scored at the
        same positions as in the joined text, but for its first letter, which has a space
        and no letter before it.
        """
        present = tuple(name for name in names if name in self.profiles())
        joint = self._joint(present)
        lookup = joint.__getitem__
        if not words:
            return max(lookup("  ")), []  # the text "  ": one position
        # each word's folded form and the rows of its positions after its first letter
        # (remembered per word); the first letter's row depends on the word before it
        folded, inner = zip(*map(joint.words.__getitem__, words), strict=True)
        firsts = list(map(itemgetter(0), folded))
        before = ["", *map(itemgetter(-1), folded[:-1])]  # the text's start: no letter before
        contexts = map(lookup, map(add, map(add, before, repeat(" ")), firsts))
        rows = list(chain.from_iterable(map(add, zip(contexts), inner)))
        sizes = [len(word) + 1 for word in folded]
        starts = list(accumulate(sizes[:-1], initial=1))
        columns = list(zip(*rows, strict=True))  # each profile's values, position by position
        overall = max(sum(column) / len(rows) for column in columns)
        # running totals: a word's positions start+1 .. start+len(word) (its other letters and
        # the space after it) sum to totals[start + len(word)] - totals[start]
        # (word by word, as C loops: map over the words, one profile at a time)
        totals = [list(accumulate(column, initial=0.0)) for column in columns]
        alone = list(zip(*map(lookup, map(add, repeat(" "), firsts)), strict=True))
        ends = list(map(add, starts, map(len, folded)))
        scores = []
        for first, total in zip(alone, totals, strict=True):
            at = total.__getitem__
            sums = map(sub, map(add, first, map(at, ends)), map(at, starts))
            scores.append(list(map(truediv, sums, sizes)))
        return overall, scores[0] if len(scores) == 1 else list(map(max, *scores))

    def _joint(self, names: tuple[str, ...]) -> _Joint:
        joint = self._joints.get(names)
        if joint is None:
            if len(self._joints) >= _MAX_JOINTS:
                self._joints.clear()  # (their entries stay counted: the budget only shrinks)
            joint = self._joints[names] = _Joint([self._backoff(n) for n in names], self._budget)
        return joint

    def _backoff(self, name: str) -> _Backoff:
        backoff = self._backoffs.get(name)
        if backoff is None:
            backoff = self._backoffs[name] = _Backoff(self.profiles()[name].logp, self._budget)
        return backoff

    def _values(self, name: str, text: str, grams: list[str] | None = None) -> list[float]:
        """`_Profile.score`'s term for each position 1 … len(text) - 1 of `text` (`grams`:
        its 3-grams, when the caller has them already)."""
        lookup = self._backoff(name).__getitem__
        values = [lookup(text[0:2])]
        values.extend(map(lookup, _trigrams(text) if grams is None else grams))
        return values


_LANE_BITS = 40  # a lane holds a letter count: texts are far shorter than 2**40


_MAX_JOINTS = 4  # sets of judging profiles whose joint values are remembered


class _Budget:
    """How many more gram values a judge may remember, over all its tables: the memory a
    long run can spend on them is bounded (about 40 MB), whatever the input."""

    def __init__(self, entries: int = 300_000) -> None:
        self.left = entries

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


class _Joint(dict[str, tuple[float, ...]]):
    """Several profiles' `_Backoff` values of a gram at once (one hash and lookup per gram)."""

    def __init__(self, backoffs: list[_Backoff], budget: _Budget) -> None:
        super().__init__()
        self.backoffs = backoffs
        self.budget = budget
        self.words = _JudgedWords(self)

    def __missing__(self, gram: str) -> tuple[float, ...]:
        value = tuple(backoff[gram] for backoff in self.backoffs)
        if self.budget.take():
            self[gram] = value
        return value


class _JudgedWords(dict[str, tuple[str, tuple[tuple[float, ...], ...]]]):
    """A word → its judging form (`_JUDGE_FOLD`) and the joint values of the positions after
    its first letter (its other letters and the space after it: the 3-grams of ` word `).
    They do not depend on the words around it, and words recur far more than lines do.
    Bounded: when full it starts over."""

    LIMIT = 10_000  # words (with the running workers, memory counts per process)

    def __init__(self, joint: _Joint) -> None:
        super().__init__()
        self.joint = joint

    def __missing__(self, word: str) -> tuple[str, tuple[tuple[float, ...], ...]]:
        form = word.lower().translate(_JUDGE_FOLD)
        entry = (form, tuple(map(self.joint.__getitem__, _trigrams(f" {form} "))))
        if len(self) >= self.LIMIT:
            self.clear()
        self[word] = entry
        return entry


def _trigrams(text: str) -> list[str]:
    """Every 3-gram of `text`, overlapping, in order (three shifted copies zipped: C loops)."""
    return list(map("".join, zip(text, text[1:], text[2:], strict=False)))


class _Backoff(dict[str, float]):
    """A profile's log-probability of a gram's last letter, backed off as `_Profile.score`
    does (3-gram, else its 2-gram, else the letter alone), remembered for the next time."""

    def __init__(self, logp: dict[str, float], budget: _Budget) -> None:
        super().__init__()
        self.logp = logp
        self.budget = budget

    def __missing__(self, gram: str) -> float:
        get = self.logp.get
        value = get(gram)
        if value is None and len(gram) == 3:
            value = get(gram[1:])
        if value is None:
            value = get(gram[-1], _LOG_EPSILON)
        if self.budget.take():
            self[gram] = value
        return value


# Judging only: letters the judging profiles lack are scored as their nearest letter
# (langdetect has no Belarusian profile: ў as у), and the Latin i that Ukrainian and
# Belarusian web text often uses for і is scored as і.
_LONGEST_WORD = 24
_SAMPLE_LETTERS = 200
_EPSILON = 1e-6
_LOG_EPSILON = math.log(_EPSILON)
_CASE_SLACK = 0.05  # share of letters in words whose case a repair may leave odd (`БпЛА`)
_WINDOW, _WINDOWS = 400, 4  # a long run is judged on 4 windows of 400 characters
_NON_LETTERS = re.compile(r"[\W\d_]+")
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_]([^\w'’ʼ-])(?=[^\W\d_])")


def _symbol_in_word(made: set[str]) -> re.Pattern[str]:
    """`_SYMBOL_IN_WORD` without the spaces between words, but those the re-decoding makes.

    A space the re-decoding did not make was there before, and only a symbol that replaced
    a letter counts; skipping the spaces saves a match per word.
    """
    spaces = {c for c in made if c.isspace()}
    made_space = "|" + _char_class(spaces) if spaces else ""
    return re.compile(rf"[^\W\d_]([^\w\s'’ʼ-]{made_space})(?=[^\W\d_])")


_JUDGE_FOLD = str.maketrans({"ў": "у", "i": "і"})


def _normalize(words: Sequence[str]) -> str:
    return " " + " ".join(w.lower().translate(_JUDGE_FOLD) for w in words) + " "


def _windows(text: str) -> list[tuple[int, int]]:
    """The whole of a short run; of a long run, a few windows spread over it (cut at spaces)."""
    if len(text) <= _WINDOW * _WINDOWS:
        return [(0, len(text))]
    stride = len(text) // _WINDOWS
    spans = []
    for k in range(_WINDOWS):
        start = text.find(" ", k * stride)
        if start < 0:
            break
        stop = text.rfind(" ", start + 1, start + 1 + _WINDOW)
        spans.append((start + 1, stop if stop > start + 1 else start + 1 + _WINDOW))
    return spans


def _eligible(word: str) -> bool:
    """Could this repaired word be a word at all (before asking the profiles)?

    Not when it mixes Latin and Cyrillic (`ЗA`), breaks letter case (`чТБЮЙ`), or is
    longer than words are (`АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ` is an alphabet).
    """
    return not _mixed_script(word) and _case_ok(word) and len(word) <= _LONGEST_WORD


def _inside_word(char: str) -> bool:
    """A character that continues a word (or is a control): a run may not stop there."""
    return unicodedata.category(char)[0] in "LMC" and not char.isspace()


def _mixed_script(word: str) -> bool:
    """A word with both Latin and Cyrillic letters (or no Cyrillic letter at all)."""
    has_cyrillic = _CYRILLIC_LETTER.search(word) is not None
    return not has_cyrillic or not _LATIN_LETTERS.isdisjoint(word)


def _case_ok(word: str) -> bool:
    """lower, Capitalized or UPPER (marks and apostrophes have no case)."""
    return word.islower() or word.isupper() or word[1:].islower() or len(word) < 2


@dataclass(frozen=True)
class _Evidence:
    """What a re-decoded run is judged on."""

    letters: int  # letters in the words the repair changes
    capitals_only: bool  # no word of the damaged text has a lowercase letter after its first
    source_letters: int  # letters those words had before
    new_score: float  # mean log-probability per character, best judging profile
    old_score: float  # the same for the text as it was, best of all profiles
    gain: float  # new - old, plus the letter-case evidence
    plausible: int  # letters in repaired words that are plausible words on their own


@dataclass
class _Verdict:
    score: float
    text: str


@dataclass
class LegacyRepairer:
    """Repairs legacy code-page mojibake in text, one rule (code-page pair) per step."""

    rules: tuple[Rule, ...]
    _pairs: list[_Pair] | None = field(default=None, init=False, repr=False)
    _judge: _Judge | None = field(default=None, init=False, repr=False)
    _gate_clue: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _by_reading: list[list[tuple[int, _Pair]]] = field(default_factory=list, init=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rules = state["rules"]
        self._pairs = None
        self._judge = None
        self._gate_clue = None
        self._by_reading = []

    def _ready(self) -> list[_Pair]:
        if self._pairs is None:
            pairs = [_Pair.build(rule) for rule in self.rules]
            # where some pair's gate can match, and more: one leading character class lets the
            # regex engine skip clean text fast, which an alternation of the gates cannot
            first = set().union(*(p.gate_first for p in pairs))
            second = set().union(*(p.suspicious for p in pairs))
            self._gate_clue = re.compile(_char_class(first) + _char_class(second))
            self._judge = _Judge()
            by_reading: dict[tuple[Any, ...], list[tuple[int, _Pair]]] = {}
            for index, pair in enumerate(pairs):
                key = (pair.reading, pair.cyrillic_reading)
                by_reading.setdefault(key, []).append((index, pair))
            self._by_reading = list(by_reading.values())
            self._pairs = pairs
        return self._pairs

    def _candidates(self, screen: _Screen, used: set[int]) -> list[tuple[int, _Pair]]:
        """The pairs worth judging on a line, in rule order: its screen shows their kind of
        damage, it is not UTF-8 mojibake in their reading, and their gate hits densely.

        Pairs are visited by reading, so that a reading the line rules out (UTF-8 shows
        through it; no Cyrillic damage signal) is ruled out once for all its pairs.
        """
        found: list[tuple[int, _Pair]] = []
        for members in self._by_reading:
            lead = members[0][1]
            if lead.cyrillic_reading and not screen.worth_judging(lead):
                continue
            # cheapest first: most lines show no damage of most readings at all, and the
            # UTF-8 test of a line that mixes both readings of bytes 0x80-0x9F is slow
            worth = [
                (i, pair) for i, pair in members if i not in used and screen.worth_judging(pair)
            ]
            if not worth or screen.utf8_mojibake(lead, quick=True):
                continue
            dense = [(i, pair) for i, pair in worth if _dense_enough(pair.gate, screen.line)]
            if dense and not screen.utf8_mojibake(lead):
                found.extend(dense)
        found.sort(key=lambda candidate: candidate[0])
        return found

    def repair(self, text: str, settled: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """The repair steps, in rule order: `(rule_id, text after this step)`; [] when clean.

        `settled` lines were judged already (in an earlier pass over the same field) and are
        not judged again: the judgement of a line depends on the line alone.
        """
        if not text or text.isascii():
            return []
        pairs = self._ready()
        lines = text.split("\n")
        # per rule index: {line number: repaired line}
        chosen: dict[int, dict[int, str]] = {}
        for number, line in enumerate(lines):
            if line.isascii() or line in settled:
                continue
            assert self._gate_clue is not None
            if self._gate_clue.search(line) is None:
                continue  # no pair's gate hits: nothing to judge (see `_dense_enough`)
            current = line
            used: set[int] = set()
            for _ in range(2):  # a line may hold two kinds of damage
                best: tuple[float, int, str] | None = None
                candidates = self._candidates(_Screen(current), used)
                judged: dict[tuple[Any, ...], _Verdict | None] = {}
                for index, pair in _likeliest(candidates, current):
                    verdict = self._repair_line(pair, current, judged)
                    if verdict is not None and (best is None or verdict.score > best[0]):
                        best = (verdict.score, index, verdict.text)
                if best is None:
                    break
                _, index, current = best
                used.add(index)
                chosen.setdefault(index, {})[number] = current
        if not chosen:
            return []
        steps: list[tuple[str, str]] = []
        result = list(lines)
        for index in sorted(chosen):
            for number, repaired in chosen[index].items():
                result[number] = repaired
            steps.append((pairs[index].rule_id, "\n".join(result)))
        # a later rule's repair of a line already includes the earlier one's
        return steps

    def _repair_line(
        self, pair: _Pair, line: str, judged: dict[tuple[Any, ...], _Verdict | None]
    ) -> _Verdict | None:
        """Repair the accepted runs of one line; None when no run is accepted.

        `judged` holds the verdicts on this line's runs so far: code pages that differ in a
        few letters (KOI8-R and KOI8-U) often re-decode a run identically, and a verdict
        depends only on the run, its re-decoding and the rule's thresholds.
        """
        out: list[str] = []
        total_gain = 0.0
        position = 0
        for start, end, expanded, back in self._runs(pair, line):
            out.append(line[position:start])
            key = (
                expanded,
                pair.redecode(expanded),
                tuple(back),
                pair.judge_with,
                tuple(sorted(pair.params.items())),
            )
            if key not in judged:
                judged[key] = self._judge_run(pair, line, expanded, back)
            verdict = judged[key]
            if verdict is None:
                out.append(line[start:end])
            else:
                out.append(verdict.text)
                total_gain += verdict.score
            position = end
        if total_gain <= 0:
            return None
        out.append(line[position:])
        return _Verdict(total_gain, "".join(out))

    def _runs(self, pair: _Pair, line: str) -> list[tuple[int, int, str, Sequence[int]]]:
        """Spans the reading code page could have shown, with ftfy's UTF-8 decodings undone.

        Each run comes with `back`: for every position of the expanded run, the position in
        the line it came from (one more entry for the end).
        """
        spans: list[list[Any]] = []  # [start, end, pieces or None]
        position = 0
        for match in pair.run_re.finditer(line):
            start, end = match.span()
            if position < start:
                pieces = self._undo_gap(pair, line, position, start)
                if pieces is not None and spans and spans[-1][1] == position:
                    spans[-1][2] = [*(spans[-1][2] or [(spans[-1][0], spans[-1][1])]), *pieces]
                    spans[-1][1] = start
                elif pieces is not None:
                    spans.append([position, start, pieces])
            if spans and spans[-1][1] == start:
                spans[-1][2] = [*spans[-1][2], (start, end)] if spans[-1][2] is not None else None
                spans[-1][1] = end
            else:
                spans.append([start, end, None])
            position = end
        if position < len(line):
            pieces = self._undo_gap(pair, line, position, len(line))
            if pieces is not None:
                if spans and spans[-1][1] == position:
                    spans[-1][2] = [*(spans[-1][2] or [(spans[-1][0], spans[-1][1])]), *pieces]
                    spans[-1][1] = len(line)
                else:
                    spans.append([position, len(line), pieces])
        runs: list[tuple[int, int, str, Sequence[int]]] = []
        for start, end, pieces in spans:
            if pieces is None:
                if pair.change_re.search(line, start, end) is None:
                    continue
                runs.append((start, end, line[start:end], range(start, end + 1)))
                continue
            buf: list[str] = []
            back: list[int] = []
            for piece in pieces:
                if isinstance(piece[1], int):
                    buf.append(line[piece[0] : piece[1]])
                    back.extend(range(piece[0], piece[1]))
                else:
                    at, text = piece
                    buf.append(text)
                    back.extend([at] * len(text))
            runs.append((start, end, "".join(buf), [*back, end]))
        return runs

    @staticmethod
    def _undo_gap(pair: _Pair, line: str, start: int, end: int) -> list[Any] | None:
        """The characters between two runs as the reading showed them (`饣` → `йҐЈ`).

        None when one of them cannot have been shown by the reading: the gap then separates
        the runs. Punctuation the reading could not show passes through unchanged.
        """
        pieces: list[Any] = []
        for i in range(start, end):
            char = line[i]
            undone = pair.undo_ftfy(char)
            if undone is not None:
                if undone.endswith("\xa0") and i + 1 < len(line) and not line[i + 1].isspace():
                    undone = undone[:-1] + " "  # ftfy's restore_byte_a0 took a space
                pieces.append((i, undone))
            elif unicodedata.category(char)[0] in "PZNS" and char != "\ufffd":
                pieces.append((i, i + 1))
            else:
                return None
        return pieces

    def _judge_run(self, pair: _Pair, line: str, expanded: str, back: list[int]) -> _Verdict | None:
        """Re-decode a run and keep it only when it is clearly better language."""
        measured = self.measure(pair, line, expanded, back, thresholds=True)
        if measured is None:
            return None
        candidate, m = measured
        return _Verdict(m.gain * m.letters, candidate)

    def measure(
        self, pair: _Pair, line: str, expanded: str, back: list[int], thresholds: bool = False
    ) -> tuple[str, _Evidence] | None:
        """The re-decoded run and the evidence for it; None when it cannot be a repair.

        With `thresholds`, None as soon as the rule's thresholds refuse it (the cheap
        checks first); without, the full evidence (to calibrate and to explain).
        """
        params = pair.params
        start, end = back[0], back[-1]
        if (start > 0 and _inside_word(line[start - 1])) or (
            end < len(line) and _inside_word(line[end])
        ):
            return None  # a run that ends inside a word is not one reading of the whole word
        judge = self._judge
        assert judge is not None
        # the words the repair changes, and what they were (of a long run: a few windows)
        new_words: list[str] = []
        old_words: list[str] = []
        eligible: list[bool] = []
        letters = eligible_letters = 0
        share = params["min_valid_share"]
        for offset, stop in _windows(expanded):
            piece = pair.redecode(expanded[offset:stop])
            for match in pair.symbol_in_word_re.finditer(piece):
                if match.group(1) != expanded[offset + match.start(1)]:
                    return None  # a letter that became a symbol inside a word: wrong code page
            for match in _WORD.finditer(piece):
                word = match.group()
                if len(word) < 2:
                    continue  # one letter: no evidence either way
                span = match.span()
                at, to = offset + span[0], offset + span[1]
                if word == expanded[at:to]:
                    continue
                was = line[back[at] : back[to - 1] + 1]
                if was.isspace():
                    continue  # spaces that become letters: no evidence either way
                new_words.append(word)
                old_words.append(was)
                letters += len(word)
                ok = _eligible(word)
                eligible.append(ok)
                if ok:
                    eligible_letters += len(word)
            if thresholds and letters >= 50 and eligible_letters < share * letters:
                return None  # cheap: repaired words that mix scripts or break letter case
        if not letters:
            return None
        if thresholds and eligible_letters < share * letters:
            return None
        if letters > _SAMPLE_LETTERS:  # a long run is judged on words spread over it
            step = math.ceil(letters / _SAMPLE_LETTERS)
            new_words, old_words, eligible = new_words[::step], old_words[::step], eligible[::step]
            letters = sum(len(w) for w in new_words)
        # the damaged words' letters, each run of anything else one space
        old_text = " " + _NON_LETTERS.sub(" ", " ".join(old_words)).lower().strip() + " "
        source_letters = len(old_text.replace(" ", ""))
        # text in capitals (`ÀÉÎÕÜ`, `ÇA VA`; KOI8 read as latin-1 also looks like capitals)
        # carries no case evidence, so it needs more letters
        capitals_only = not any(map(str.islower, "".join(w[1:] for w in old_words)))
        if thresholds and (
            letters < params["min_letters"]
            or (capitals_only and letters < params["min_capitals_letters"])
            or source_letters < params["min_source_letters"] * letters
        ):
            return None
        # a reading whose words have impossible letter case (`чТБЮЙ`) is itself evidence
        old_bad_case = sum(len(w) for w in old_words if not _case_ok(w)) / letters
        new_bad_case = sum(len(w) for w in new_words if not _case_ok(w)) / letters
        if thresholds and new_bad_case > old_bad_case + _CASE_SLACK:
            return None  # cheap: the re-decoding breaks more letter case than it mends
        new_score, word_scores = judge.best_with_words(new_words, pair.judge_with)
        if thresholds and new_score < params["min_score"]:
            return None
        old_score = judge.best(old_text) if source_letters else 0.0
        gain = new_score - old_score + params["case_weight"] * (old_bad_case - new_bad_case)
        if thresholds and gain < params["min_gain"]:
            return None
        plausible = sum(
            len(word)
            for word, ok, score in zip(new_words, eligible, word_scores, strict=True)
            if ok and score >= params["word_score"]
        )
        if thresholds and plausible < params["min_valid_share"] * letters:
            return None
        evidence = _Evidence(
            letters=letters,
            capitals_only=capitals_only,
            source_letters=source_letters,
            new_score=new_score,
            old_score=old_score,
            gain=gain,
            plausible=plausible,
        )
        return pair.redecode(expanded), evidence


def compile_repairer(rules: Sequence[Rule]) -> LegacyRepairer | None:
    """A repairer for the `legacy-codepage` rules among `rules`; None when there are none."""
    mine = tuple(rule for rule in rules if rule.kind == KIND)
    if not mine:
        return None
    return LegacyRepairer(rules=mine)
