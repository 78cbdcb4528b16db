"""What a whole record says about its places, worked out once per record and only when a
mention asks: which context patterns match each text at all (one `PatternSet` pass), its
Ukrainian places, whether it is from a Ukrainian source, where accepted places end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from normalize.stages.places.patterns import PatternSet, RecordPatterns

if TYPE_CHECKING:
    from normalize.stages.places.context import Evidence

_JOINTS = (" and ", ", ", " & ", " or ")


class RecordCues:
    """One record's cues (texts are told apart by identity: the title and the text)."""

    def __init__(
        self,
        texts: list[str],
        host: str | None,
        patterns: PatternSet,
        plain_places: set[int],
    ) -> None:
        self.texts = texts
        self.host = host or ""
        self.patterns = patterns
        self.plain_places = plain_places  # unambiguous Ukrainian places the record names
        self.accepted_places: set[int] = set()  # ambiguous ones accepted so far
        self._matched: dict[int, frozenset[int]] = {}
        self._ends: dict[int, set[int]] = {}
        self._country: bool | None = None

    def matched(self, text: str) -> frozenset[int]:
        """The `PatternSet` slots whose patterns match somewhere in this text."""
        found = self._matched.get(id(text))
        if found is None:
            found = self._matched[id(text)] = self.patterns.matched(text)
        return found

    def search(self, patterns: RecordPatterns | None) -> bool:
        """Whether the patterns match anywhere in the record."""
        return patterns is not None and any(patterns.slot in self.matched(t) for t in self.texts)

    def accept(self, text: str, end: int, place: int) -> None:
        """A Ukrainian place accepted in this text, ending at `end`."""
        ends = self._ends.get(id(text))
        if ends is None:
            ends = self._ends[id(text)] = set()
        ends.add(end)
        self.accepted_places.add(place)

    def coordinated(self, text: str, start: int) -> bool:
        """Right after an accepted Ukrainian place and `and` or a comma: `Kharkov and Odessa`."""
        ends = self._ends.get(id(text))
        if not ends:
            return False
        gap = text[max(0, start - 6) : start]
        return any(gap.endswith(j) and (start - len(j)) in ends for j in _JOINTS)

    def country_cue(self, evidence: Evidence, place: int) -> bool:
        """A cue of the country in the record: another of its places, its source, its words."""
        for group in (self.plain_places, self.accepted_places):
            for other in group:
                if other != place:
                    return True
        if self._country is None:
            host = self.host.lower()
            self._country = (
                host.endswith(".ua")
                or any(d in host for d in evidence.domains)
                or self.search(evidence.cues)
            )
        return self._country
