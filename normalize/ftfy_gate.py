"""Call ftfy only on the lines it could change, with results identical to `ftfy.fix_text`.

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

`fix_text` disables HTML unescaping from the first segment containing `<` onwards (when
`unescape_html="auto"`); that rule is reproduced exactly. `tests/test_ftfy_gate.py` checks
the equality on the whole corpus and on generated text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

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


def _char_class(chars: set[str]) -> re.Pattern[str]:
    if not chars:
        return re.compile(r"(?!x)x")
    ordered = sorted(chars)
    parts = []
    start = prev = ordered[0]
    for ch in ordered[1:]:
        if ord(ch) == ord(prev) + 1:
            prev = ch
            continue
        parts.append(_range(start, prev))
        start = prev = ch
    parts.append(_range(start, prev))
    return re.compile("[" + "".join(parts) + "]")


def _range(first: str, last: str) -> str:
    def esc(c: str) -> str:
        return f"\\U{ord(c):08x}" if ord(c) > 0xFFFF else f"\\u{ord(c):04x}"

    return esc(first) if first == last else esc(first) + "-" + esc(last)


def _pattern_chars(pattern: str) -> set[str]:
    """Non-ASCII characters a regex pattern mentions, ranges expanded (an over-approximation)."""
    chars = {c for c in pattern if ord(c) > 0x7F}
    for match in re.finditer(r"([^\x00-\x7f])-([^\x00-\x7f])", pattern):
        low, high = ord(match.group(1)), ord(match.group(2))
        if low <= high:
            chars.update(chr(i) for i in range(low, high + 1))
    return chars


class FtfyGate:
    """`fix(text)` equals `ftfy.fix_text(text, config)`, paying ftfy only where it can act."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = dict(settings)
        self._build()

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.settings = state["settings"]
        self._build()

    def _build(self) -> None:
        from ftfy import TextFixerConfig, badness, chardata

        config = TextFixerConfig(explain=False, **self.settings)
        self.config = config
        self._no_html_config = config._replace(unescape_html=False)
        triggers: set[str] = set()
        if config.unescape_html:
            triggers.add("&")
        if config.remove_terminal_escapes:
            triggers.add("\x1b")
        if config.fix_line_breaks:
            triggers.update("\r\u2028\u2029\x85")
        if config.fix_surrogates:
            triggers.update(chr(i) for i in range(0xD800, 0xE000))
        if config.remove_control_chars:
            triggers.update(chr(i) for i in chardata.CONTROL_CHARS)
        if config.fix_latin_ligatures:
            triggers.update(chr(i) for i in chardata.LIGATURES)
        if config.fix_character_width:
            triggers.update(chr(i) for i in chardata.WIDTH_MAP)
        if config.fix_c1_controls:
            triggers.update(chr(i) for i in range(0x80, 0xA0))
        if config.uncurl_quotes:
            triggers.update(_pattern_chars(chardata.SINGLE_QUOTE_RE.pattern))
            triggers.update(_pattern_chars(chardata.DOUBLE_QUOTE_RE.pattern))
        self._triggers = _char_class(triggers)
        self._badness = badness.BADNESS_RE
        named = _pattern_chars(badness.BADNESS_RE.pattern)
        self._bad_chars = _char_class(named)
        self._drop_bad_chars = dict.fromkeys(map(ord, named))

    def line_needs_ftfy(self, line: str) -> bool:
        """True when some ftfy step might change this line (never false when one would)."""
        if self._triggers.search(line) is not None:
            return True
        if line.isascii():
            return False
        if _UTF8_MOJIBAKE_HINT.search(line) is not None:
            return True  # plainly broken: no proof needed, ftfy decides
        normal_form = self.config.normalization
        if normal_form and not unicodedata.is_normalized(normal_form, line):
            return True
        if not self.config.fix_encoding:
            return False
        named = len(line) - len(line.translate(self._drop_bad_chars))
        if not named:
            return False  # is_bad needs one of the characters its pattern names
        if named * _WINDOW * 2 < len(line):
            # few candidates (Latin text with accents and curly quotes): the badness
            # pattern on small windows around them is cheapest
            suspects = [m.start() for m in self._bad_chars.finditer(line)]
            return self._bad_in_windows(line, suspects)
        # dense candidates (Cyrillic, Greek): the repairs' own conditions are cheapest
        return self._encoding_repair_possible(line)

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

    def _encoding_repair_possible(self, line: str) -> bool:
        """Could one step of ftfy's `fix_encoding` change this line, were it judged bad?"""
        from ftfy import chardata, fixes

        config = self.config
        if (
            _CYRILLIC_PAIR.search(line) is not None
            and "sloppy-windows-1251" in chardata.CHARMAP_ENCODINGS
        ):
            # Of ftfy's single-byte encodings only windows-1251 writes Cyrillic letters, and it
            # writes А-я as bytes 0xC0-0xFF: two of them in a row are a UTF-8 lead byte without
            # its continuation, which no repair of spaces, `?` or 0x1A bytes can mend.
            return bool(config.decode_inconsistent_utf8 and chardata.UTF8_DETECTOR_RE.search(line))
        for encoding in chardata.CHARMAP_ENCODINGS:
            if not chardata.possible_encoding(line, encoding):
                continue
            encoded = line.encode(encoding)
            if _UTF8_LEAD.search(encoded) is None:
                continue  # no UTF-8 lead byte: no decoding can succeed, nor repairs add one
            if (
                config.restore_byte_a0
                and encoding != "macroman"
                and chardata.ALTERED_UTF8_RE.search(encoded)
            ):
                encoded = fixes.restore_byte_a0(encoded)
            if config.replace_lossy_sequences and encoding.startswith("sloppy"):
                encoded = fixes.replace_lossy_sequences(encoded)
            decoding = "utf-8-variants" if 0xED in encoded or 0xC0 in encoded else "utf-8"
            try:
                encoded.decode(decoding)
            except UnicodeDecodeError:
                continue
            return True
        return bool(config.decode_inconsistent_utf8 and chardata.UTF8_DETECTOR_RE.search(line))

    def fix(self, text: str) -> str:
        """Exactly `ftfy.fix_text(text, self.config)`.

        Consecutive lines that need ftfy go to it in one call (it cuts them into the same
        lines again), which saves its per-call cost on texts that are broken throughout.
        """
        import ftfy

        html_auto = self.config.unescape_html == "auto"
        html_off = False
        out: list[str] = []
        run: list[str] = []
        run_config = self.config
        changed = False

        def flush() -> None:
            nonlocal changed
            if run:
                joined = "".join(run)
                fixed = ftfy.fix_text(joined, run_config)
                changed = changed or fixed != joined
                out.append(fixed)
                run.clear()

        for line in _segments(text):
            if not self.line_needs_ftfy(line):
                flush()
                out.append(line)
            else:
                if not run:
                    # ftfy switches unescaping off from the first segment with `<` on, itself
                    run_config = self._no_html_config if html_off else self.config
                run.append(line)
            if html_auto and "<" in line:
                html_off = True
        flush()
        return "".join(out) if changed else text


def _segments(text: str) -> list[str]:
    """Lines with their `\\n`, as `ftfy.fix_text` cuts them (long lines are cut by ftfy itself)."""
    if "\n" not in text:
        return [text] if text else []
    parts = text.split("\n")
    segments = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        segments.append(parts[-1])
    return segments
