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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from normalize.ruleset import Rule
from normalize.stages.text_repair.legacy_evidence import measure
from normalize.stages.text_repair.legacy_judge import Judge
from normalize.stages.text_repair.legacy_kind import KIND
from normalize.stages.text_repair.legacy_reading import (
    Pair,
    Screen,
    _char_class,
    _dense_enough,
    _likeliest,
)


@dataclass
class _Verdict:
    score: float
    text: str


@dataclass
class LegacyRepairer:
    """Repairs legacy code-page mojibake in text, one rule (code-page pair) per step."""

    rules: tuple[Rule, ...]
    _pairs: list[Pair] | None = field(default=None, init=False, repr=False)
    _judge: Judge | None = field(default=None, init=False, repr=False)
    _gate_clue: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _by_reading: list[list[tuple[int, Pair]]] = field(default_factory=list, init=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rules = state["rules"]
        self._pairs = None
        self._judge = None
        self._gate_clue = None
        self._by_reading = []

    def _ready(self) -> list[Pair]:
        if self._pairs is None:
            pairs = [Pair.build(rule) for rule in self.rules]
            # where some pair's gate can match, and more: one leading character class lets the
            # regex engine skip clean text fast, which an alternation of the gates cannot
            first = set().union(*(p.gate_first for p in pairs))
            second = set().union(*(p.suspicious for p in pairs))
            self._gate_clue = re.compile(_char_class(first) + _char_class(second))
            self._judge = Judge()
            by_reading: dict[tuple[Any, ...], list[tuple[int, Pair]]] = {}
            for index, pair in enumerate(pairs):
                key = (pair.reading, pair.cyrillic_reading)
                by_reading.setdefault(key, []).append((index, pair))
            self._by_reading = list(by_reading.values())
            self._pairs = pairs
        return self._pairs

    def _clue_dense(self, line: str) -> bool:
        """Could some pair's gate hit `line` densely enough to judge it (`_dense_enough`)?

        The clue matches wherever a gate does (its two classes hold every gate's), and all
        of them match two characters, so it finds at least as many matches as any gate: a
        line on which the clue is not dense has no candidate. One search settles most clean
        lines, which trip a gate now and then (`НАТО`, `ФСБ`), before any screen.
        """
        assert self._gate_clue is not None
        return _dense_enough(self._gate_clue, line)

    def _candidates(self, screen: Screen, used: set[int]) -> list[tuple[int, Pair]]:
        """The pairs worth judging on a line, in rule order: its screen shows their kind of
        damage, it is not UTF-8 mojibake in their reading, and their gate hits densely.

        Pairs are visited by reading, so that a reading the line rules out (UTF-8 shows
        through it; no Cyrillic damage signal) is ruled out once for all its pairs.
        """
        found: list[tuple[int, Pair]] = []
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
            current = line
            used: set[int] = set()
            for _ in range(2):  # a line may hold two kinds of damage
                if not self._clue_dense(current):
                    break
                best: tuple[float, int, str] | None = None
                candidates = self._candidates(Screen(current), used)
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
        self, pair: Pair, line: str, judged: dict[tuple[Any, ...], _Verdict | None]
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

    def _runs(self, pair: Pair, line: str) -> list[tuple[int, int, str, Sequence[int]]]:
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
    def _undo_gap(pair: Pair, line: str, start: int, end: int) -> list[Any] | None:
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

    def _judge_run(
        self, pair: Pair, line: str, expanded: str, back: Sequence[int]
    ) -> _Verdict | None:
        """Re-decode a run and keep it only when it is clearly better language."""
        assert self._judge is not None
        measured = measure(self._judge, pair, line, expanded, back, thresholds=True)
        if measured is None:
            return None
        candidate, m = measured
        return _Verdict(m.gain * m.letters, candidate)


def compile_repairer(rules: Sequence[Rule]) -> LegacyRepairer | None:
    """A repairer for the `legacy-codepage` rules among `rules`; None when there are none."""
    mine = tuple(rule for rule in rules if rule.kind == KIND)
    if not mine:
        return None
    return LegacyRepairer(rules=mine)
