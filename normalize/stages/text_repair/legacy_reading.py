"""One `legacy-codepage` rule compiled (`Pair`): how its reading shows bytes, its gates, and the
word-level checks its re-decodings must pass; plus the cheap screens that spare clean text."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import Rule
from normalize.stages.text_repair.legacy_kind import DEFAULTS
from normalize.stages.text_repair.letters import ALPHABET, COMMON, CYRILLIC, LATIN, PASS_THROUGH


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


class Screen:
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

    def utf8_mojibake(self, pair: Pair, quick: bool = False) -> bool | None:
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

    def worth_judging(self, pair: Pair) -> bool:
        if pair.cyrillic_reading:
            if self._cyrillic_signal is None:
                # a Cyrillic reading shows its damage in Cyrillic letters: a line with none
                # (UTF-8 read as cp1252, say) is not this kind of damage at all
                self._cyrillic_signal = CYRILLIC.search(
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


def _cp1251_keeping(letters: str) -> bytes:
    """The cp1251 bytes to delete to keep only `letters`, in either case: cp1251 writes
    every letter counted here, so letters are counted as bytes, at C speed."""
    keep = (letters + letters.upper()).encode("cp1251")
    return bytes(b for b in range(256) if b not in keep)


_DELETE_ALL_BUT_COMMON = _cp1251_keeping(COMMON)
_DELETE_ALL_BUT_LETTERS = _cp1251_keeping(ALPHABET)


def _likeliest(candidates: list[tuple[int, Pair]], line: str) -> list[tuple[int, Pair]]:
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


def _readings(read_as: str, c1: str | None) -> list[tuple[str, int]]:
    """Each byte 0x80-0xFF as the reader shows it, with the byte; with `c1`, bytes
    0x80-0x9F also as that reader shows them: C1 controls (latin-1), or the cp1252
    punctuation that ftfy's fix_c1_controls makes of those controls."""
    readings = [(_sloppy_decode(read_as, byte), byte) for byte in range(0x80, 0x100)]
    if c1:
        readings.extend((_sloppy_decode(c1, byte), byte) for byte in range(0x80, 0xA0))
    return readings


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
class Pair:
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
    def build(cls, rule: Rule) -> Pair:
        spec = rule.spec
        written_in = codecs.lookup(spec["written_in"]).name
        read_as = codecs.lookup(spec["read_as"]).name
        c1 = spec.get("c1_read_as")
        readings = _readings(read_as, c1)
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
            if CYRILLIC.match(target) and target.isalpha():
                to_cyrillic.add(char)
        cyrillic_reading = sum(1 for c in readable if CYRILLIC.match(c)) > 20
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
            run_re=re.compile("[\\x00-\\x7f" + _char_class(readable)[1:-1] + PASS_THROUGH + "]+"),
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
        if ord(char) < 0x300 or CYRILLIC.match(char) or 0x2000 <= ord(char) < 0x2070:
            return None
        data = char.encode("utf-8")
        back = "".join(_sloppy_decode(self.read_as, b) for b in data)
        if all(c in self.readable for c in back):
            return back
        return None


_LONGEST_WORD = 24
_SAMPLE_LETTERS = 200
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
    has_cyrillic = CYRILLIC.search(word) is not None
    return not has_cyrillic or not LATIN.isdisjoint(word)


def _case_ok(word: str) -> bool:
    """lower, Capitalized or UPPER (marks and apostrophes have no case)."""
    return word.islower() or word.isupper() or word[1:].islower() or len(word) < 2
