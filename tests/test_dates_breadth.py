"""Dates beyond what the peer sets list: the same forms in other locales.

Names CLDR lacks (rules/dates-beyond-cldr.yaml, generated from dateparser's data), CLDR's
language aliases, fractional seconds, and the rule that a declared-only language is never
tried for text in an undeclared one. The grammar alone: the dateparser fallback is off.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from normalize import Normalizer
from normalize.ruleset import load_ruleset
from normalize.stages import dates


@cache
def _shipped() -> Normalizer:
    normalizer = Normalizer()
    dict(normalizer.stages)["dates"].grammar.fallback = False
    return normalizer


def _published(value: Any, lang: str | None = None) -> Any:
    record = {"date": value} | ({"lang": lang} if lang else {})
    return _shipped().normalize(record).get("published")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("3 bisha saddexaad 2010", "so", "2010-03-03"),  # an older CLDR name
        ("5 tháng tư 2019", "vi", "2019-04-05"),  # a month written in words, not `tháng 4`
        ("12 styczniu 2004", "pl", "2004-01-12"),  # locative
        ("tammikuussa 2019", "fi", "2019-01"),  # inessive
        ("7 mwere wa kerĩ 1999", "ki", "1999-02-07"),  # an older CLDR name
        ("Sanass 2024-01-15", "kab", "2024-01-15"),  # an older CLDR weekday
        ("20 hatun puquy 1990", "qu", "1990-02-20"),  # Quechua, CLDR now Spanish
    ],
)
def test_names_cldr_lacks(value: str, lang: str, expected: str) -> None:
    assert _published(value, lang) == expected


def test_names_cldr_lacks_only_for_a_declared_language() -> None:
    assert _published("15 pauqar waray 2004") == "15 pauqar waray 2004"
    grammar = dates.compile(load_ruleset()).grammar
    assert "qu" in grammar.declared_only
    assert "qu" not in grammar.languages()


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("25 Hunyo 2019", "tl", "2019-06-25"),  # tl → fil
        ("25 ביוני 2019", "iw", "2019-06-25"),  # iw → he
        ("15 jun 2004", "sh", "2004-06-15"),  # sh → sr_Latn
    ],
)
def test_cldr_language_aliases(value: str, lang: str, expected: str) -> None:
    assert _published(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2003-09-25T10:49:41.5-03:00", "2003-09-25T10:49:41-03:00"),
        ("2003-09-25 10:49:41,502", "2003-09-25T10:49:41"),
        ("Sep 25 2003 10:49:41.123456", "2003-09-25T10:49:41"),
        ("25.09.2003 10:49:41.9", "2003-09-25T10:49:41"),  # truncated, never rounded
        (1643378700123, "2022-01-28T14:05:00+00:00"),  # a millisecond timestamp
    ],
)
def test_fractions_of_a_second_are_dropped(value: Any, expected: str) -> None:
    assert _published(value, "en") == expected
