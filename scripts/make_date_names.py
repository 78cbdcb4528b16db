"""Write rules/dates-beyond-cldr.yaml: month, weekday and day-period names that the CLDR
babel ships lacks, taken from dateparser's language data.

dateparser's tables (BSD-3-Clause, derived from older CLDR releases plus its own
supplements) keep names CLDR has since replaced (Quechua `pauqar waray`, Kikuyu
`mwere wa gatano`, Kabyle `sḍis`) and inflected or abbreviated forms (`styczniu`,
`tammikuussa`). Texts written with them are still read. Only words babel's CLDR and the
hand-written rules do not know are kept, and only those the grammar then reads in a
plain template (`15 <month> 2004`, `<weekday> 2024-01-15`, `2004-01-15 9:30 <pm>`);
words of one or two letters in cased scripts are left out (they match stray initials).
The rules apply only to records that declare the language (`undeclared: false`).

    .venv/bin/pip install dateparser && .venv/bin/python scripts/make_date_names.py
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from normalize.ruleset import load_ruleset
from normalize.stages.dates import DateReading, parse_date
from normalize.stages.dates.locales import known_locale
from normalize.stages.dates.rules import compile
from normalize.stages.dates.words import fold, word_key

OUT = Path(__file__).resolve().parents[1] / "rules" / "dates-beyond-cldr.yaml"
PREFIX = "date.names.beyond-cldr."
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def dateparser_tables() -> dict[str, list[dict[str, Any]]]:
    """dateparser's tables by bare language (`sr-Latn`, `sr-Cyrl` → sr)."""
    import dateparser
    import dateparser.data.date_translation_data as data

    print(f"dateparser {dateparser.__version__}")
    tables: dict[str, list[dict[str, Any]]] = {}
    for module in pkgutil.iter_modules(data.__path__):
        info = importlib.import_module(f"{data.__name__}.{module.name}").info
        tables.setdefault(module.name.split("-")[0].lower(), []).append(info)
    return tables


def _cased_short(key: str) -> bool:
    return len(key) <= 2 and any(c.lower() != c.upper() for c in key)


def candidates(infos: list[dict[str, Any]], known: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """New words → (kind, value); a word two tables give different meanings is dropped."""
    found: dict[str, tuple[str, Any]] = {}
    clashes: set[str] = set()
    for info in infos:
        names = [(k, ("month", i + 1)) for i, k in enumerate(MONTHS)]
        names += [(k, ("weekday", i)) for i, k in enumerate(WEEKDAYS)]
        names += [("am", ("meridiem", "am")), ("pm", ("meridiem", "pm"))]
        for field, entry in names:
            for word in info.get(field, []):
                key = " ".join(word_key(word).split())
                if not key or not key[0].isalpha() or _cased_short(key):
                    continue  # the reader's words begin with a letter ('ap is never one)
                if key in known or fold(key) in known:
                    continue
                if found.get(key, entry) != entry:
                    clashes.add(key)
                found[key] = entry
    return {k: v for k, v in found.items() if k not in clashes}


def reads(word: str, entry: tuple[str, Any], lang: str, grammar: Any) -> bool:
    """Whether the grammar reads the word in a plain template as what it names."""
    kind, value = entry
    if kind == "month":
        text, want = f"15 {word} 2004", f"2004-{value:02d}-15"
    elif kind == "weekday":
        day = date(2024, 1, 15 + value)
        text, want = f"{word} {day.isoformat()}", day.isoformat()
    else:
        text, want = f"2004-01-15 9:30 {word}", "2004-01-15T" + ("09" if value == "am" else "21")
        want += ":30"
    found = parse_date(text, language=lang, grammar=grammar)
    return isinstance(found, DateReading) and found.iso == want and not found.weekday_mismatch


def example(word: str, entry: tuple[str, Any], lang: str) -> dict[str, Any]:
    kind, value = entry
    if kind == "month":
        return {
            "input": {"date": f"15 {word} 2004", "lang": lang},
            "expected": {"published": f"2004-{value:02d}-15"},
        }
    if kind == "weekday":
        day = date(2024, 1, 15 + value).isoformat()
        return {"input": {"date": f"{word} {day}", "lang": lang}, "expected": {"published": day}}
    hour = "09" if value == "am" else "21"
    return {
        "input": {"date": f"2004-01-15 9:30 {word}", "lang": lang},
        "expected": {"published": f"2004-01-15T{hour}:30"},
    }


def rule_for(lang: str, words: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    months: dict[int, list[str]] = {}
    weekdays: dict[int, list[str]] = {}
    meridiem: dict[str, list[str]] = {}
    for word, (kind, value) in sorted(words.items()):
        if kind == "month":
            months.setdefault(value, []).append(word)
        elif kind == "weekday":
            weekdays.setdefault(value + 1, []).append(word)
        else:
            meridiem.setdefault(value, []).append(word)
    rule: dict[str, Any] = {
        "id": PREFIX + lang,
        "kind": "date-words",
        "languages": [lang],
        "undeclared": False,
        "description": f"Names of {lang} that CLDR lacks, from dateparser's data.",
    }
    for key, table in (("months", months), ("weekdays", weekdays), ("meridiem", meridiem)):
        if table:
            rule[key] = dict(sorted(table.items()))
    first = min(words.items(), key=lambda item: (item[1][0] != "month", item[0]))
    rule["examples"] = [example(first[0], first[1], lang)]
    return rule


def main() -> None:
    ruleset = load_ruleset()
    hand = tuple(r for r in ruleset.rules if not r.id.startswith(PREFIX))
    grammar = compile(dataclasses.replace(ruleset, rules=hand)).grammar
    rules = []
    for lang, infos in sorted(dateparser_tables().items()):
        if not known_locale(lang):
            continue
        known = {**grammar.table(lang), **grammar.table("*")}
        words = candidates(infos, known)
        for word, (kind, value) in words.items():
            stored = value if kind != "meridiem" else {"am": (0, 12), "pm": (12, 24)}[value]
            grammar.add(lang, word, kind, stored)
        kept = {w: e for w, e in words.items() if reads(w, e, lang, grammar)}
        if kept:
            rules.append(rule_for(lang, kept))
    header = (
        "# Generated by scripts/make_date_names.py from dateparser's language data\n"
        "# (scrapinghub/dateparser, BSD-3-Clause; its tables derive from Unicode CLDR).\n"
        "# Names babel's CLDR lacks; do not edit by hand, run the script again.\n"
    )
    body = yaml.safe_dump(
        {"defaults": {"fields": ["published"]}, "rules": rules},
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=None,
    )
    OUT.write_text(header + body, encoding="utf-8")
    total = sum(
        len(r.get(k, {}).get(n, []))
        for r in rules
        for k in ("months", "weekdays", "meridiem")
        for n in r.get(k, {})
    )
    print(f"{OUT}: {len(rules)} languages, {total} words")


if __name__ == "__main__":
    main()
