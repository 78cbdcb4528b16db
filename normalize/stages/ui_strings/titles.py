"""Publisher suffixes and prefixes on titles (`… - РИА НОВОСТИ`, `Lenta.ru | …`).

Two kinds:
- `ui-title-publisher`: a title's last (or first) piece after a separator goes when it names
  the record's publisher: its `source`, its URL's site, or a name a `ui-publisher-names`
  rule lists for that site (see `publishers.py`). On an aggregator's record (Google News)
  the last piece is the original outlet and goes whenever it is short. Repeated pieces
  (`… - Коммерсантъ - Коммерсантъ`) go one after the other. A piece that names nothing
  stays: `Уфа - Зенит` keeps its dash.
- `ui-title-affix`: literal suffixes and prefixes (what `metanorm rules learn` proposes for
  one source), removed wherever they end or start a title.

Either way the publisher's name is captured into `source` when the record has none, and a
title is never emptied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule
from normalize.stages.ui_strings.publishers import (
    keys_of,
    listed_names,
    name_keys,
    names_publisher,
    own_keys,
)

NAME = "ui_strings"
_QUOTES = " \t«»\"“”„'"
_MAX_ROUNDS = 4  # a title carries at most this many repeated suffixes


def _strings(spec: Mapping[str, Any], key: str, required: bool = False) -> None:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KindError(key, f"`{key}` must be a list of non-empty strings")
    if required and not value:
        raise KindError(key, f"`{key}` must not be empty")


def _check_publisher(spec: Mapping[str, Any]) -> None:
    _strings(spec, "separators", required=True)
    _strings(spec, "aggregators")
    if spec["max_words"] < 1:
        raise KindError("max_words", "`max_words` must be at least 1")


def _check_names(spec: Mapping[str, Any]) -> None:
    names = spec["names"]
    for site, listed in names.items():
        if not isinstance(site, str) or not isinstance(listed, list) or not listed:
            raise KindError("names", "`names` maps a site or source to a list of its names")
        _strings({"names": listed}, "names")


def _check_affix(spec: Mapping[str, Any]) -> None:
    _strings(spec, "suffixes")
    _strings(spec, "prefixes")
    if not spec.get("suffixes") and not spec.get("prefixes"):
        raise KindError("suffixes", "list `suffixes` or `prefixes` (or both)")


KINDS = {
    "ui-title-publisher": KindSpec(
        stage=NAME,
        required={"separators": list, "max_words": int},
        optional={"aggregators": list},
        default_fields=("title",),
        check=_check_publisher,
    ),
    "ui-publisher-names": KindSpec(
        stage=NAME, required={"names": dict}, default_fields=("title",), check=_check_names
    ),
    "ui-title-affix": KindSpec(
        stage=NAME,
        required={},
        optional={"suffixes": list, "prefixes": list},
        default_fields=("title",),
        check=_check_affix,
    ),
}


@dataclass(frozen=True)
class TitleRules:
    """The title rules of a rule set, compiled."""

    publisher: Rule | None
    aliases: Mapping[str, tuple[str, ...]]  # site or source, case-folded → names
    names_rule: str | None  # the rule the names come from (the first, when several)
    aggregators: frozenset[str]
    affixes: tuple[Rule, ...]
    # (source, host) → the rules that apply to such records (`ui_titles`), bounded
    memo: dict[tuple[str | None, str | None], Any] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @classmethod
    def of(cls, rules: list[Rule], names: list[Rule], affixes: list[Rule]) -> TitleRules:
        aliases: dict[str, tuple[str, ...]] = {}
        for rule in names:
            for site, listed in rule.spec["names"].items():
                key = site.strip().casefold()
                aliases[key] = aliases.get(key, ()) + tuple(listed)
        publisher = rules[-1] if rules else None
        listed = publisher.spec.get("aggregators", []) if publisher else []
        names_rule = names[0].id if names else None
        aggregators = frozenset(a.casefold() for a in listed)
        return cls(publisher, aliases, names_rule, aggregators, tuple(affixes))


def strip_title(
    title: str, rules: TitleRules, source: str | None, host: str | None, again: bool = False
) -> list[tuple[str, str, str]]:
    """The steps that clean a title: (new title, rule id, publisher named), in order.

    `again`: the title was cleaned by these rules before (a canonical record read back), so
    an aggregator's last piece is no longer the outlet's name and stays.
    """
    steps: list[tuple[str, str, str]] = []
    for rule in rules.affixes:
        title = _strip_affixes(title, rule, steps)
    publisher = rules.publisher
    if publisher is None:
        return steps
    own = own_keys(source, host)
    listed = keys_of(tuple(listed_names(source, host, rules.aliases)))
    outlet = _is_aggregator(source, host, rules.aggregators) and not again
    for _round in range(_MAX_ROUNDS):
        cut = _publisher_cut(title, publisher, own, outlet)
        rule_id = publisher.id
        if cut is None and listed and rules.names_rule:
            cut, rule_id = _publisher_cut(title, publisher, listed, False), rules.names_rule
        if cut is None:
            break
        title, named = cut
        steps.append((title, rule_id, named))
        if outlet:  # the outlet's name, repeated, goes too (`… – Коммерсантъ - Коммерсантъ`)
            own |= name_keys(named)
            outlet = False
    return steps


def _is_aggregator(source: str | None, host: str | None, aggregators: frozenset[str]) -> bool:
    if source and source.strip().casefold() in aggregators:
        return True
    if not host:
        return False
    return any(host == a or host.endswith("." + a) for a in aggregators)


def _publisher_cut(
    title: str, rule: Rule, keys: frozenset[str], take_any: bool
) -> tuple[str, str] | None:
    """The title without its publisher piece at the end (or the start), and the piece."""
    separators = rule.spec["separators"]
    max_words = rule.spec["max_words"]
    end = max(((title.rfind(sep), sep) for sep in separators), key=lambda found: found[0])
    if end[0] > 0:
        piece = title[end[0] + len(end[1]) :]
        rest = title[: end[0]].rstrip()
        if rest and _short(piece, max_words) and (take_any or names_publisher(piece, keys)):
            return rest, piece.strip(_QUOTES)
    starts = [(title.find(sep), sep) for sep in separators if title.find(sep) > 0]
    if starts:
        at, sep = min(starts)
        piece, rest = title[:at], title[at + len(sep) :].lstrip()
        if rest and _short(piece, max_words) and names_publisher(piece, keys):
            return rest, piece.strip(_QUOTES)
    return None


def _short(piece: str, max_words: int) -> bool:
    words = piece.split()
    return 0 < len(words) <= max_words


def _strip_affixes(title: str, rule: Rule, steps: list[tuple[str, str, str]]) -> str:
    for suffix in rule.spec.get("suffixes", []):
        while title.endswith(suffix) and title[: -len(suffix)].strip():
            title = title[: -len(suffix)].rstrip()
            steps.append((title, rule.id, _name_of(suffix)))
    for prefix in rule.spec.get("prefixes", []):
        while title.startswith(prefix) and title[len(prefix) :].strip():
            title = title[len(prefix) :].lstrip()
            steps.append((title, rule.id, _name_of(prefix)))
    return title


def _name_of(affix: str) -> str:
    """`' - Example Times'` → `Example Times`."""
    return affix.strip(" \t-–—|:/·•" + _QUOTES)
