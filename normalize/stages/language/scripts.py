"""Letters per script, counted in one `str.translate` pass (ISO 15924 codes where known)."""

from __future__ import annotations

import threading
import unicodedata

from normalize.stages.language.profiles import LANE_BITS, LANE_MASK


class ScriptMap(dict):
    """Letters → one code character per script (others deleted), for counting scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}  # mark → script
        self.marks: dict[str, str] = {}  # script → mark
        self.order: dict[str, int] = {}  # mark → index (in order of first sight)
        self.by_index: list[str] = []  # index → script
        self.lock = threading.Lock()

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if not ch.isalpha():
            self[code] = None
            return None
        try:
            word = unicodedata.name(ch).split(" ", 1)[0]
        except ValueError:
            word = "UNKNOWN"
        script = _SCRIPT_NAMES.get(word, word.title()[:4])
        with self.lock:
            mark = self.marks.get(script)
            if mark is None:
                mark = _mark(len(self.marks))
                self.names[mark] = script
                self.order[mark] = len(self.by_index)
                self.by_index.append(script)
                self.marks[script] = mark
        self[code] = mark
        return mark

    def counts(self, text: str) -> dict[str, int]:
        return self.counts_of_marks(text.translate(self))

    def counts_of_marks(self, marks: str) -> dict[str, int]:
        """Letters per script, from text already translated to script marks."""
        return {self.names[m]: marks.count(m) for m in sorted(set(marks))}

    def lanes(self, text: str, shift: int) -> int:
        """Letters per script packed in lanes (the index-th script's at `shift` + index
        lanes), so that summing chunks sums their script counts."""
        marks = text.translate(self)
        if not marks:
            return 0
        order = self.order
        first = marks[0]
        if marks.count(first) == len(marks):  # one script, as in most words
            return len(marks) << (shift + LANE_BITS * order[first])
        return sum(marks.count(m) << (shift + LANE_BITS * order[m]) for m in set(marks))

    def counts_of_lanes(self, lanes: int) -> dict[str, int]:
        """Letters per script (in order of first sight) from summed `lanes`."""
        counts = {}
        names = self.by_index
        index = 0
        while lanes:
            count = lanes & LANE_MASK
            if count:
                counts[names[index]] = count
            lanes >>= LANE_BITS
            index += 1
        return counts


def _mark(index: int) -> str:
    """The code for the index-th script seen: Latin-1 first (a Latin-1 string of marks is
    counted fastest), then private use. Marks are only ever compared among themselves."""
    return chr(index if index < 256 else 0xE000 + index)


_SCRIPT_NAMES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "THAI": "Thai",
}
SCRIPTS = ScriptMap()


def script_counts(text: str) -> dict[str, int]:
    """Letters per script (ISO 15924 code where known), in one `str.translate` pass."""
    return SCRIPTS.counts(text)
