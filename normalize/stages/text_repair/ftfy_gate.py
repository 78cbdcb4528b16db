"""Which lines ftfy could change: the exact proofs that let it skip the others.

ftfy is costly on clean text (its badness regex runs over every character). It already
fixes text line by line, so we may skip a line when we can prove that none of its steps
would act on it. The proof follows ftfy's own code and tables, for the steps the config
enables:

- a step that maps characters (C1 controls, ligatures, width, line breaks, surrogates,
  control characters, terminal escapes, HTML entities, quotes) acts only when one of its
  characters is present: those characters form the *trigger* set;
- normalization acts only when the line is not already normalized;
- `fix_encoding` changes a line only if `is_bad(line)` holds AND one of its repairs
  applies: some single-byte encoding ftfy tries can encode the line and the bytes then
  decode as UTF-8, or `decode_inconsistent_utf8`'s pattern is present (its latin-1/C1
  repair needs C1 characters, which are triggers). So a line is clean when the badness
  pattern finds nothing in small windows around the characters it names (cheap for
  Latin text, where those are few), or when no repair applies (cheap for Cyrillic and
  Greek text, where nearly every letter is named).

A line that needs ftfy goes through ftfy's own per-line loop (`fix_and_explain`), rebuilt
in `ftfy_fix.py` from ftfy's steps so that its costliest checks (the badness regex on every
Cyrillic letter, UTF8_DETECTOR_RE, the A0 and lossy-byte patterns) run only where a cheap
exact precondition says they can matter.

`fix_text` disables HTML unescaping from the first segment containing `<` onwards (when
`unescape_html="auto"`); that rule is reproduced exactly. `tests/test_ftfy_gate.py` checks
the equality on the whole corpus and on generated text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from normalize.memo import Memo
from normalize.stages.text_repair.ftfy_tables import (
    char_class,
    cyrillic_pairs_unrepairable,
    fixer_triggers,
    pattern_chars,
)

Plan = list[tuple[str, str]]  # ftfy's plan of steps: (operation, argument)
Repair = tuple[str, Plan]  # a repaired text and the plan that made it

# The longest alternative of ftfy's badness pattern is 7 characters ("ГўВЂВ.[A-Za-z ]").
_WINDOW = 8
_UTF8_LEAD = re.compile(rb"[\xc0-\xff]")
_CYRILLIC_PAIR = re.compile("[\u0410-\u044f]{2}")
# a UTF-8 lead byte read as Latin-1/cp1252 (Â Ã Ð Ñ) before a continuation byte read so:
# the commonest mojibake, spotted with one cheap search (a shortcut to "yes", never to "no")
_UTF8_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00d0\u00d1][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021"
    "\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014"
    "\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


def _has_mojibake_lead(text: str) -> bool:
    """Does `text` hold one of the hint's first characters? (`in` scans far faster than a
    regex character class: most text has none, and needs no regex search at all)."""
    return "\u00d0" in text or "\u00d1" in text or "\u00c3" in text or "\u00c2" in text


def _has_mojibake_hint(text: str) -> bool:
    return _has_mojibake_lead(text) and _UTF8_MOJIBAKE_HINT.search(text) is not None


# where ftfy's ALTERED_UTF8_RE can match (a space where a UTF-8 sequence needs byte A0),
# and more: its cheap preconditions, both needed. The first is fast where lead bytes are
# rare (Latin text); it also stops at every Cyrillic letter that ends a word (`о ` in UTF-8),
# which the second rules out: every match has a space one to three bytes after its lead
# byte, and that search jumps from space to space (a literal first byte is found fast).
_ALTERED_UTF8_CLUE = re.compile(
    rb"[\xc2\xc3\xc5\xce\xd0\xd9\xe0-\xe3\xf0](?: |[\x80-\xbf] |[\x80-\xbf]{2} )"
)
_ALTERED_UTF8_SPACE_CLUE = re.compile(
    rb" (?:(?<=[\xc2\xc3\xc5\xce\xd0\xd9\xe2\xe3\xf0] )"
    rb"|(?<=[\xe0-\xe3\xf0][\x80-\xbf] )"
    rb"|(?<=\xf0[\x80-\xbf][\x80-\xbf] ))"
)

# the character fixes `ftfy.fix_and_explain` applies after `fix_encoding`, in its order
_FIXER_ORDER = (
    "fix_c1_controls",
    "fix_latin_ligatures",
    "fix_character_width",
    "uncurl_quotes",
    "fix_line_breaks",
    "fix_surrogates",
    "remove_terminal_escapes",
    "remove_control_chars",
)


class FtfyGate:
    """`line_needs_ftfy(line)`: the proof, from ftfy's own tables, that ftfy leaves a line
    alone (`FtfyFixer` in `ftfy_fix.py` adds ftfy's loop for the others)."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = dict(settings)
        self._build()

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.settings = state["settings"]
        self._build()

    def _build(self) -> None:
        import ftfy
        from ftfy import TextFixerConfig, badness, chardata, fixes

        # ftfy's modules, bound once: an import statement in a hot method costs a lookup
        self._ftfy, self._chardata, self._fixes = ftfy, chardata, fixes
        # is_bad of the short pieces UTF8_DETECTOR_RE finds: clean text yields the same few
        # again and again (`в «`, `и —`: a lowercase Cyrillic letter, then two characters
        # that could be UTF-8 continuation bytes), so their verdicts are remembered
        self._piece_is_bad = Memo(badness.is_bad, 4096, "ftfy.piece_is_bad")
        # and the repairs of the bad ones (mojibake words recur as often as the words do)
        self._piece_fixed = Memo(ftfy.fix_encoding, 4096, "ftfy.piece_fixed")
        self._build_configs(TextFixerConfig)
        self._build_triggers(chardata)
        self._build_clues(badness, chardata)

    def _build_configs(self, config_type: Any) -> None:
        """The rule's config, and the ones ftfy 6 runs its encoding repairs with."""
        config = config_type(explain=False, **self.settings)
        self.config = config
        self._no_html_config = config._replace(unescape_html=False)
        # ftfy 6's fix_and_explain calls fix_encoding without the caller's config, so encoding
        # repairs run with the defaults; the proofs allow for the repairs of either config
        self._encoding_config = config_type(explain=False)
        self._proof_config = config._replace(
            **{
                flag: getattr(config, flag) or getattr(self._encoding_config, flag)
                for flag in (
                    "restore_byte_a0",
                    "replace_lossy_sequences",
                    "decode_inconsistent_utf8",
                )
            }
        )

    def _build_triggers(self, chardata: Any) -> None:
        """The characters each enabled character fix acts on, and their union."""
        config = self.config
        fixer_chars = fixer_triggers(chardata)
        # each enabled character fix, with the characters it acts on (None: always run it)
        self._fixers = tuple(
            (name, char_class(fixer_chars[name]) if name in fixer_chars else None)
            for name in _FIXER_ORDER
            if getattr(config, name)
        )
        self._c1 = re.compile("[\x80-\x9f]")
        self._cyrillic_shortcut = cyrillic_pairs_unrepairable(chardata)
        triggers: set[str] = set()
        for name, _ in self._fixers:
            triggers.update(fixer_chars[name])
        # a line with none of these characters is left alone by every character fix
        self._fixer_triggers = (
            char_class(triggers)
            if all(acts_on is not None for _, acts_on in self._fixers)
            else re.compile("")  # a fix whose characters are unknown: always look
        )
        if config.unescape_html:
            triggers.add("&")
        self._triggers = char_class(triggers)
        # a line without triggers then has no C1 character either
        self._triggers_hold_c1 = all(chr(c) in triggers for c in range(0x80, 0xA0))

    def _build_clues(self, badness: Any, chardata: Any) -> None:
        """The badness pattern's named characters, and cheap clues for UTF8_DETECTOR_RE."""
        self._badness = badness.BADNESS_RE
        named = pattern_chars(badness.BADNESS_RE.pattern)
        self._bad_chars = char_class(named)
        clues = chardata.UTF8_CLUES
        lead2, lead3, lead4 = (clues[f"utf8_first_of_{n}"] for n in (2, 3, 4))
        follow = clues["utf8_continuation"]
        # where UTF8_DETECTOR_RE can match, and more: its cheap precondition (one leading
        # character class lets the regex engine skip ahead; the detector's alternation cannot)
        self._utf8_clue = re.compile(
            f"[{lead2}{lead3}{lead4}](?:(?<=[{lead2}])[{follow}]|[{follow}]{{2}})"
        )
        # the same from the character after the lead: in Cyrillic text nearly every letter
        # is a lead, and continuations (space, dashes, quotes) are the rarer ones to scan for
        self._utf8_clue_after_lead = re.compile(f"[{follow}](?:(?<=[{lead2}].)|[{follow}])")

    def line_needs_ftfy(self, line: str) -> bool:
        """True when some ftfy step might change this line (never false when one would)."""
        if self._triggers.search(line) is not None:
            return True
        if line.isascii():
            return False
        if _has_mojibake_hint(line):
            return True  # plainly broken: no proof needed, ftfy decides
        normal_form = self.config.normalization
        if normal_form and not unicodedata.is_normalized(normal_form, line):
            return True
        if not self.config.fix_encoding:
            return False
        if self._cyrillic_shortcut and _CYRILLIC_PAIR.search(line) is not None:
            # Cyrillic: nearly every letter is a named character; the repairs' own
            # conditions are cheapest
            return self._encoding_repair_possible(line, self._triggers_hold_c1)
        suspects = self._named_positions(line)
        if suspects is None:
            # dense candidates (Cyrillic, Greek): the repairs' own conditions are cheapest
            return self._encoding_repair_possible(line, self._triggers_hold_c1)
        # few candidates (Latin text with accents and curly quotes): the badness pattern on
        # small windows around them is cheapest; none: is_bad needs one of those characters
        return bool(suspects) and self._bad_in_windows(line, suspects)

    def _named_positions(self, line: str) -> list[int] | None:
        """Where the characters the badness pattern names are; None when they are dense
        (more than one in 2 × _WINDOW characters)."""
        limit = (len(line) - 1) // (_WINDOW * 2)
        positions: list[int] = []
        for match in self._bad_chars.finditer(line):
            if len(positions) == limit:
                return None
            positions.append(match.start())
        return positions

    def _is_bad(self, text: str) -> bool:
        """`ftfy.badness.is_bad(text)`, on windows around the named characters when few."""
        # mojibake is plainly bad where it first shows: a window there settles most lines
        # (a match in a window is a match in the text: the pattern has no anchors or
        # lookaround)
        hint = _UTF8_MOJIBAKE_HINT.search(text) if _has_mojibake_lead(text) else None
        if hint is not None:
            start = hint.start()
            if self._badness.search(text, max(0, start - _WINDOW), start + _WINDOW):
                return True
        suspects = self._named_positions(text)
        if suspects is None:
            return self._badness.search(text) is not None
        return bool(suspects) and self._bad_in_windows(text, suspects)

    def _bad_in_windows(self, line: str, suspects: list[int]) -> bool:
        """`is_bad(line)`, searching only around the characters its pattern names.

        A match is at most 7 characters and holds one of them, and the pattern has no
        lookaround, so windows of 8 on either side see every match; `search(line, a, b)`
        keeps `^` at the real start of the line.
        """
        window_start = window_end = -1
        for pos in suspects:
            start, end = max(0, pos - _WINDOW), min(len(line), pos + _WINDOW)
            if start <= window_end:
                window_end = end
                continue
            if window_end >= 0 and self._badness.search(line, window_start, window_end):
                return True
            window_start, window_end = start, end
        return self._badness.search(line, window_start, window_end) is not None

    def _encoding_repair_possible(self, line: str, no_c1: bool = False) -> bool:
        """Could one step of ftfy's `fix_encoding` change this line, were it judged bad?
        (`no_c1`: the caller knows the line holds no C1 character.)"""
        config = self._proof_config
        if not no_c1 and self._c1.search(line) is not None:
            return True  # its Latin-1 and C1 repairs act on C1 characters
        if self._cyrillic_shortcut and _CYRILLIC_PAIR.search(line) is not None:
            # Of ftfy's single-byte encodings only windows-1251 writes Cyrillic letters, and it
            # writes А-я as bytes 0xC0-0xFF: two of them in a row are a UTF-8 lead byte without
            # its continuation, which no repair of spaces, `?` or 0x1A bytes can mend.
            return bool(
                config.decode_inconsistent_utf8
                and self._inconsistent_utf8_fixable(line, cyrillic=True)
            )
        for encoding in self._chardata.CHARMAP_ENCODINGS:
            if (
                self._chardata.possible_encoding(line, encoding)
                and self._charmap_repair(line, encoding, config) is not None
            ):
                return True
        return bool(config.decode_inconsistent_utf8 and self._inconsistent_utf8_fixable(line))

    def _charmap_repair(self, text: str, encoding: str, config: Any) -> Repair | None:
        """One of ftfy's single-byte repairs: `text` (non-ASCII) encoded as `encoding`, its
        lost A0 bytes restored and lossy sequences marked as `config` says, decoded as UTF-8,
        with ftfy's plan of it; None when that does not decode. Cheap preconditions come
        before ftfy's byte regexes (on bytes, a regex that starts with alternatives is slow)."""
        encoded = text.encode(encoding)
        if _UTF8_LEAD.search(encoded) is None:
            return None  # no UTF-8 lead byte: no decoding can succeed, nor repairs add one
        plan = [("encode", encoding)]
        if (
            config.restore_byte_a0
            and encoding != "macroman"
            and _ALTERED_UTF8_CLUE.search(encoded) is not None
            and _ALTERED_UTF8_SPACE_CLUE.search(encoded) is not None
            and self._chardata.ALTERED_UTF8_RE.search(encoded)
        ):
            encoded = self._transcode("restore_byte_a0", encoded, plan)
        if (
            config.replace_lossy_sequences
            and encoding.startswith("sloppy")
            and (b"\x1a" in encoded or b"?" in encoded)
        ):
            encoded = self._transcode("replace_lossy_sequences", encoded, plan)
        decoding = "utf-8-variants" if 0xED in encoded or 0xC0 in encoded else "utf-8"
        try:
            fixed = encoded.decode(decoding)
        except UnicodeDecodeError:
            return None
        plan.append(("decode", decoding))
        return fixed, plan

    def _transcode(self, name: str, data: bytes, plan: Plan) -> bytes:
        """One of ftfy's byte fixes, named in the plan when it changes something (as ftfy)."""
        fixed: bytes = getattr(self._fixes, name)(data)
        if fixed != data:
            plan.append(("transcode", name))
        return fixed

    def _detector_matches(self, text: str, cyrillic: bool = False) -> Iterator[re.Match[str]]:
        """The matches `UTF8_DETECTOR_RE.sub` acts on, found from the starts its cheap
        precondition allows (the detector's own search costs as much as `is_bad`).

        A match is a lead character and one to three continuations. `cyrillic` text is
        scanned from the continuation after the lead (its letters are nearly all leads).
        """
        detector = self._chardata.UTF8_DETECTOR_RE
        after_lead = 1 if cyrillic else 0
        clue_re = self._utf8_clue_after_lead if cyrillic else self._utf8_clue
        position = 0
        while True:
            clue = clue_re.search(text, position + after_lead)
            if clue is None:
                return
            start = clue.start() - after_lead
            match = detector.match(text, start)
            if match is None:
                position = start + 1
                continue
            yield match
            position = match.end()

    def _utf8_detector_hit(self, text: str) -> bool:
        return next(self._detector_matches(text), None) is not None

    def _inconsistent_utf8_fixable(self, text: str, cyrillic: bool = False) -> bool:
        """Could `decode_inconsistent_utf8` change `text`? Only a match that is shorter than
        the text and looks bad is re-decoded (cheap: matches are a few characters)."""
        return any(
            len(match.group(0)) < len(text) and self._piece_is_bad(match.group(0))
            for match in self._detector_matches(text, cyrillic)
        )
