"""The dates stage's two speed-ups against the plain versions they replace.

- the reader's abbreviation guess looks only at names with the word's first letter, and
  keeps its answers: it must agree with a scan of every name;
- `resolve` adds fixed spans as a timedelta and only the calendar part (months, years,
  weekdays) through relativedelta: it must agree with one relativedelta of everything.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta, weekday

from normalize.stages.dates import default_grammar
from normalize.stages.dates.reader import _fuzzy, _subsequence
from normalize.stages.dates.relative import Relative
from normalize.stages.dates.resolve import _as_datetime, _whole, resolve
from normalize.stages.dates.words import fold


def _plain_fuzzy(word: str, lang: str) -> Any:
    grammar = default_grammar()
    key = fold(word)
    names = [
        (fold(k), v)
        for k, v in grammar.table(lang).items()
        if v[0] in ("month", "weekday") and len(fold(k)) > 2 and " " not in fold(k)
    ]
    for test in (
        lambda n: n.startswith(key),
        lambda n: len(key) <= 5 and n[0] == key[0] and _subsequence(key, n),
        lambda n: len(key) >= 5 and n.startswith(key[:-1]),
    ):
        hits = {v for n, v in names if test(n)}
        if len(hits) == 1:
            return hits.pop()
        if hits:
            return None
    return None


@pytest.mark.parametrize("lang", ["ru", "uk", "de", "cs", "fi", "en", "he"])
def test_fuzzy_agrees_with_a_scan_of_every_name(lang: str) -> None:
    grammar = default_grammar()
    words = {fold(k) for k, v in grammar.table(lang).items() if v[0] in ("month", "weekday")}
    probes = {w[:n] for w in words for n in (3, 4, 5, 6)} | {w + "u" for w in words}
    probes |= {w[0] + w[2:5] for w in words if len(w) > 4}  # skeleton-like
    probes = {p for p in probes if len(p) >= 3}
    for probe in sorted(probes):
        assert _fuzzy(probe, lang, grammar) == _plain_fuzzy(probe, lang), probe


_UNITS = {"decade": "years", "quarter": "months", "week": "weeks"}


def _plain_resolve_moment(found: Relative, reference: datetime) -> datetime:
    sign = -1 if (found.direction or "past") == "past" else 1
    delta = relativedelta()
    for amount, unit in found.items:
        unit, amount = _whole(unit, amount)
        n = int(amount) * sign * {"decade": 10, "quarter": 3}.get(unit, 1)
        delta += relativedelta(**{_UNITS.get(unit, unit + "s"): n})
    if found.phrase is not None and found.phrase[0] == "weekday":
        day, step = found.phrase[1]
        nth = -1 if step < 0 else 1
        delta += relativedelta(days=-nth, weekday=weekday(day)(nth))
    return _as_datetime(reference) + delta


@pytest.mark.parametrize("reference", [datetime(2024, 3, 31, 10, 30), datetime(2023, 2, 28, 0, 5)])
def test_resolve_agrees_with_one_relativedelta(reference: datetime) -> None:
    units = ["year", "quarter", "month", "week", "day", "hour", "minute"]
    for (a, u), (b, v) in itertools.product(itertools.product((1, 2, 13), units), repeat=2):
        for direction, phrase in itertools.product(
            ("past", "future"), (None, ("weekday", (0, -1)), ("weekday", (4, 1)))
        ):
            found = Relative(items=[(a, u), (b, v)], direction=direction, phrase=phrase)
            reading = resolve(found, reference)
            assert reading is not None
            want = _plain_resolve_moment(found, reference).isoformat()
            assert want.startswith(reading.iso[:16]), (found, reading.iso)


def test_resolve_against_a_bare_date() -> None:
    found = Relative(items=[(1, "month")], direction="past")
    assert resolve(found, date(2024, 3, 31)).iso == "2024-02"  # type: ignore[union-attr]
