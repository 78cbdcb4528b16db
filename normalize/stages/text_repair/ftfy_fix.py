"""ftfy's per-line loop, run only on the lines the gate flags, with ftfy's plan of steps.

`FtfyFixer.fix(text)` equals `ftfy.fix_text(text, config)`. `fix_and_explain(text)` also
gives the steps, by ftfy's own names (`encode sloppy-windows-1252, decode utf-8`,
`apply fix_line_breaks`, `normalize NFC`: the plan `ftfy.fix_and_explain` gives), each
with the field's value after it, so that every step is a change of its own.

Why a re-implementation and not `ftfy.fix_and_explain` itself on the flagged lines:
measured on the first 2,000 records of the benchmark corpus (`bench/text_repair_speed.py`
and the figures in bench/README.md), ftfy's own loop costs about 3 CPU seconds more than
this one (5.1 s against 1.7 s for the text fields), about 45% of the whole run; the
costly part is ftfy's badness regex over every Cyrillic letter, which the gate's proofs
spare. `tests/test_ftfy_gate.py` checks the text and the plan against ftfy on the corpus.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from normalize.stages.text_repair.ftfy_gate import _CYRILLIC_PAIR, FtfyGate, Plan, Repair

Unit = tuple[str, str]  # a step's name and the segment after it


class FtfyFixer(FtfyGate):
    """The gate's proofs, plus ftfy's loop on the lines they cannot prove clean."""

    def fix(self, text: str, clean: set[str] | None = None) -> str:
        """Exactly `ftfy.fix_text(text, self.config)`."""
        return self.fix_and_explain(text, clean)[0]

    def fix_and_explain(
        self, text: str, clean: set[str] | None = None
    ) -> tuple[str, list[tuple[str, str]]]:
        """`ftfy.fix_text(text, self.config)`, and its steps: `(step, text after it)`.

        `clean` remembers the segments proven clean, for another call on text that shares
        them. With `unescape_html: auto`, unescaping stops from the first segment that
        holds `<` on, as `fix_text` does.
        """
        html_auto = self.config.unescape_html == "auto"
        config = self.config
        segments = _segments(text, self.config.max_decode_length)
        plans: dict[int, list[Unit]] = {}
        for index, line in enumerate(segments):
            if html_auto and "<" in line:
                config = self._no_html_config  # ftfy switches unescaping off from here on
            if clean is not None and line in clean:
                continue
            if not self.line_needs_ftfy(line):
                if clean is not None:
                    clean.add(line)
                continue
            fixed, units = self._fix_segment(line, config)
            if clean is not None and "&" not in fixed:
                clean.add(fixed)  # ftfy's output is its own fixed point (see _fix_segment)
            if units:
                plans[index] = units
        if not plans:
            return text, []
        steps = field_steps(segments, plans)
        return steps[-1][1], steps

    def _fix_segment(self, text: str, config: Any) -> tuple[str, list[Unit]]:
        """`ftfy.fix_and_explain(text, config)`, step for step (ftfy 6).

        ftfy repeats its steps until a round changes nothing. A round that ends on the text
        `fix_encoding` gave (a fixed point of it) and has no `&` to unescape would be
        repeated to no effect, so it is not.
        """
        units: list[Unit] = []
        while True:
            original = text
            if config.unescape_html and "&" in text:
                text = self._apply("unescape_html", text, units)
            if config.fix_encoding:
                text = self._fix_encoding(text, units)
            encoded = text
            if self._fixer_triggers.search(text) is not None:
                for name, acts_on in self._fixers:
                    if acts_on is None or acts_on.search(text) is not None:
                        text = self._apply(name, text, units)
            if config.normalization is not None:
                fixed = unicodedata.normalize(config.normalization, text)
                if fixed != text:
                    units.append((f"normalize {config.normalization}", fixed))
                text = fixed
            if text == original or (text == encoded and "&" not in text):
                return text, units

    def _apply(self, name: str, text: str, units: list[Unit]) -> str:
        """One of ftfy's character fixes, a step when it changes the text (as ftfy names it)."""
        fixed: str = self._ftfy.FIXERS[name](text)
        if fixed != text:
            units.append((f"apply {name}", fixed))
        return fixed

    def _decode_inconsistent_utf8(self, text: str, cyrillic: bool = False) -> str:
        """`ftfy.fixes.decode_inconsistent_utf8(text)`, over `_detector_matches`."""
        out: list[str] = []
        last = 0
        for match in self._detector_matches(text, cyrillic):
            piece = match.group(0)
            if len(piece) < len(text) and self._piece_is_bad(piece):
                piece = self._piece_fixed(piece)
            out.append(text[last : match.start()])
            out.append(piece)
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def _fix_encoding(self, text: str, units: list[Unit]) -> str:
        """`ftfy.fix_encoding(text)`: one-step repairs until nothing changes."""
        while True:
            if not text or text.isascii():
                return text
            if self._cyrillic_shortcut and (
                self._c1.search(text) is None and _CYRILLIC_PAIR.search(text) is not None
            ):
                fixed, plan = self._cyrillic_encoding_step(text)
            else:
                fixed, plan = self._fix_encoding_step(text)
            if fixed == text:
                return text
            units.append((", ".join(f"{op} {arg}" for op, arg in plan), fixed))
            text = fixed

    def _cyrillic_encoding_step(self, text: str) -> Repair:
        """The step for a line with two Cyrillic letters in a row and no C1 character.

        No single-byte re-decoding applies (see `_encoding_repair_possible`) and the
        Latin-1 and C1 repairs need C1 characters, so only `decode_inconsistent_utf8` may
        act, when `is_bad(text)`: that costly check is made only when it would change text.
        """
        if not self._encoding_config.decode_inconsistent_utf8:
            return text, []
        if not self._inconsistent_utf8_fixable(text, cyrillic=True):
            return text, []  # no piece looks bad: nothing to re-decode (the common case)
        fixed = self._decode_inconsistent_utf8(text, cyrillic=True)
        if fixed == text or not self._is_bad(text):
            return text, []
        return fixed, [("apply", "decode_inconsistent_utf8")]

    def _fix_encoding_step(self, text: str) -> Repair:
        """ftfy 6's `_fix_encoding_one_step_and_explain(text)`, with cheap preconditions
        before its costlier regexes."""
        config = self._encoding_config
        if text.isascii() or not self._is_bad(text):
            return text, []
        possible: list[str] = []
        for encoding in self._chardata.CHARMAP_ENCODINGS:
            if not self._chardata.possible_encoding(text, encoding):
                continue
            possible.append(encoding)
            repair = self._charmap_repair(text, encoding, config)
            if repair is not None:
                return repair
        if config.decode_inconsistent_utf8 and self._utf8_detector_hit(text):
            fixed = self._decode_inconsistent_utf8(text)
            if fixed != text:
                return fixed, [("apply", "decode_inconsistent_utf8")]
        if "latin-1" in possible:
            return self._latin1_step(text, possible)
        if config.fix_c1_controls and self._chardata.C1_CONTROL_RE.search(text):
            return self._fixes.fix_c1_controls(text), [("transcode", "fix_c1_controls")]
        return text, []

    @staticmethod
    def _latin1_step(text: str, possible: list[str]) -> Repair:
        """Latin-1 that holds C1 controls was meant as windows-1252 (ftfy's own guess)."""
        if "windows-1252" in possible:
            return text, []
        try:
            fixed = text.encode("latin-1").decode("windows-1252")
        except UnicodeDecodeError:
            return text, []
        plan: Plan = [("encode", "latin-1"), ("decode", "windows-1252")]
        return (fixed, plan) if fixed != text else (text, [])


def field_steps(segments: list[str], plans: dict[int, list[Unit]]) -> list[tuple[str, str]]:
    """The segments' steps as steps of the whole field: `(step, field after it)`.

    Segments are fixed independently, so their steps interleave freely: the k-th steps of
    all segments come before the (k+1)-th ones, and segments whose k-th step has the same
    name take it together (one change for a whole article repaired the same way).
    """
    current = list(segments)
    steps: list[tuple[str, str]] = []
    depth = max(len(units) for units in plans.values())
    for level in range(depth):
        names = dict.fromkeys(units[level][0] for units in plans.values() if len(units) > level)
        for name in names:
            for index, units in plans.items():
                if len(units) > level and units[level][0] == name:
                    current[index] = units[level][1]
            steps.append((name, "".join(current)))
    return steps


def _segments(text: str, max_length: int) -> list[str]:
    """The segments `ftfy.fix_text` fixes one by one: lines with their `\\n`, and lines
    longer than `max_length` cut into pieces of that length."""
    segments: list[str] = []
    position = 0
    while position < len(text):
        end = text.find("\n", position) + 1 or len(text)
        end = min(end, position + max_length)
        segments.append(text[position:end])
        position = end
    return segments
