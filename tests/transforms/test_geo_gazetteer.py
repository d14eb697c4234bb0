"""The gazetteer compiler and the alias table on small hand-made inputs (no package data)."""

from __future__ import annotations

import pytest

from transforms.geo.aliases import parse_aliases
from transforms.geo.gazetteer import (
    Gazetteer,
    GazetteerData,
    ZipCodeCounties,
    compile_gazetteer,
    counties_from_zip_codes,
    parse_admin1,
    parse_country_point_table,
    parse_country_points,
    settled_middle,
    territory_middle,
)
from transforms.geo.resolve import Geocoder
from transforms.reference import ReferenceDataError

COUNTRIES = {
    "US": {
        "geonameid": 6252001,
        "name": "United States",
        "iso3": "USA",
        "population": 327000000,
        "capital": "Washington",
    },
    "FR": {"geonameid": 3017382, "name": "France", "iso3": "FRA", "population": 67000000, "capital": "Paris"},
}
CITIES = {
    "2988507": {"geonameid": 2988507, "name": "Paris", "latitude": 48.85, "longitude": 2.35, "countrycode": "FR",
                "population": 2138551, "admin1code": "11", "alternatenames": ["Parigi", "PAR", "Париж"]},
    "4717560": {"geonameid": 4717560, "name": "Paris", "latitude": 33.66, "longitude": -95.56, "countrycode": "US",
                "population": 24782, "admin1code": "TX", "alternatenames": []},
    "4140963": {"geonameid": 4140963, "name": "Washington", "latitude": 38.9, "longitude": -77.04, "countrycode": "US",
                "population": 689545, "admin1code": "DC", "alternatenames": ["D.C."]},
    "4671654": {"geonameid": 4671654, "name": "Austin", "latitude": 30.27, "longitude": -97.74, "countrycode": "US",
                "population": 961855, "admin1code": "TX", "alternatenames": []},
}  # fmt: skip
ADMIN1 = "US.TX\tTexas\tTexas\t4736286\nUS.DC\tWashington, D.C.\tWashington, D.C.\t4138106\nFR.11\tÎle-de-France\tIle-de-France\t3012874\n"
ALIASES = "alias\tkind\ttarget\tsource\nTex.\tadmin1\tUS.TX\ttest\nFrench\tdemonym\tFRA\ttest\n"


@pytest.fixture(scope="module")
def small() -> Gazetteer:
    data = compile_gazetteer(
        cities=CITIES,
        countries=COUNTRIES,
        continents={},
        us_counties=[{"fips": "48001", "name": "Anderson County", "state": "TX"}],
        admin1=parse_admin1(ADMIN1, "admin1.txt"),
        version="test",
    )
    return Gazetteer(data)


def test_compiles_every_kind_of_place(small: Gazetteer) -> None:
    codes = {
        c.place.feature_code for name in ("Paris", "Texas", "France", "Anderson County") for c in small.candidates(name)
    }
    assert codes == {"PPLC", "PPL", "ADM1", "PCLI", "ADM2"}
    [county] = small.candidates("Anderson County")
    assert county.place.geonameid is None and county.place.admin1_key == "US.TX"
    assert county.place.precision == 2


def test_alternate_names_latin_only_and_no_codes(small: Gazetteer) -> None:
    assert [c.alternate for c in small.candidates("Parigi")] == [True]
    assert small.candidates("PAR") == [] and small.candidates("Париж") == []


def test_capital_is_marked(small: Gazetteer) -> None:
    paris = {c.place.country: c.place.feature_code for c in small.candidates("Paris")}
    assert paris == {"FR": "PPLC", "US": "PPL"}


def test_a_division_takes_its_point_from_its_towns(small: Gazetteer) -> None:
    texas = small.admin1("US", "TX")
    assert texas is not None
    assert 30.0 < texas.lat < 34.0 and -98.0 < texas.lon < -95.0
    assert texas.admin1_name == "Texas"


def test_settled_middle_ignores_far_outliers() -> None:
    points = [(40.0 + i * 0.01, -100.0) for i in range(100)] + [(60.0, -150.0)]
    lat, lon = settled_middle(points)
    assert 40.0 <= lat <= 41.0 and lon == -100.0


def _block(lat0: float, lat1: float, lon0: float, lon1: float, step: float = 0.5) -> list[tuple[float, float]]:
    return [
        (lat0 + i * step, lon0 + j * step)
        for i in range(int((lat1 - lat0) / step) + 1)
        for j in range(int((lon1 - lon0) / step) + 1)
    ]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (_block(30.0, 40.0, -110.0, -90.0), (35.0, -100.0)),
        # a crowded corner (the towns of an eastern seaboard) does not pull the point to it
        (_block(30.0, 40.0, -110.0, -90.0) + [(39.0 + k / 1000, -91.0) for k in range(900)], (35.0, -100.0)),
        # a far-off group of towns (an Alaska, an island) is not part of the main territory
        (_block(30.0, 40.0, -110.0, -90.0) + _block(60.0, 64.0, -160.0, -150.0, 1.0), (35.0, -100.0)),
        # a territory across the antimeridian keeps its middle there
        (_block(60.0, 66.0, 170.0, 179.5) + _block(60.0, 66.0, -180.0, -170.5), (63.0, 180.0)),
    ],
    ids=["even-block", "crowded-corner", "far-off-part", "antimeridian"],
)
def test_territory_middle_is_the_middle_of_the_covered_land(
    points: list[tuple[float, float]], expected: tuple[float, float]
) -> None:
    lat, lon = territory_middle(points)
    assert abs(lat - expected[0]) < 1.5
    assert abs((lon - expected[1] + 180.0) % 360.0 - 180.0) < 1.5


def test_a_country_takes_the_middle_of_its_territory(small: Gazetteer) -> None:
    united_states = small.country("US")
    assert united_states is not None
    lat, lon = territory_middle([(38.9, -77.04), (30.27, -97.74), (33.66, -95.56)])
    assert (united_states.lat, united_states.lon) == pytest.approx((lat, lon))


def test_a_country_takes_its_reference_point_when_one_is_given() -> None:
    data = compile_gazetteer(
        cities=CITIES,
        countries=COUNTRIES,
        continents={},
        us_counties=[],
        admin1=parse_admin1(ADMIN1, "admin1.txt"),
        version="test",
        country_points={"FR": (46.0, 2.0)},
    )
    gazetteer = Gazetteer(data)
    france, united_states = gazetteer.country("FR"), gazetteer.country("US")
    assert france is not None and (france.lat, france.lon) == (46.0, 2.0)
    assert united_states is not None  # no reference point: the towns' estimate stands in
    lat, lon = territory_middle([(38.9, -77.04), (30.27, -97.74), (33.66, -95.56)])
    assert (united_states.lat, united_states.lon) == pytest.approx((lat, lon))


def _record(alpha2: object = "RU", latlng: object = (60, 100)) -> dict[str, object]:
    return {"name": "x", "ISO": {"alpha2": alpha2, "alpha3": "XXX"}, "latlng": list(latlng) if latlng else latlng}


def test_country_points_skip_records_without_a_point_and_keep_the_first_of_two() -> None:
    points = parse_country_points(
        [
            ("russia.json", _record()),
            ("antarctica.json", _record("AQ", None)),
            ("curacao.json", _record("CW", [])),
            ("vatican.json", _record("VA", (41.9, 12.45))),
            ("vatican_city_state.json", _record("VA", (41.0, 12.0))),
        ]
    )
    assert points == {"RU": (60.0, 100.0), "VA": (41.9, 12.45)}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (["not", "an", "object"], "JSON object"),
        (_record(alpha2="RUS"), "two-letter"),
        ({"latlng": [1, 2]}, "two-letter"),
        (_record(latlng=(60,)), "not \\[latitude, longitude\\]"),
        (_record(latlng=("60", "100")), "not \\[latitude, longitude\\]"),
        (_record(latlng=(95, 100)), "not \\[latitude, longitude\\]"),
        (_record(latlng=(True, 100)), "not \\[latitude, longitude\\]"),
    ],
    ids=["not-object", "alpha3", "no-iso", "one-number", "strings", "off-globe", "boolean"],
)
def test_malformed_country_points_name_the_file(record: object, reason: str) -> None:
    with pytest.raises(ReferenceDataError, match=reason) as error:
        parse_country_points([("ok.json", _record("FR", (46, 2))), ("bad.json", record)])
    assert error.value.file == "bad.json"


POINT_TABLE = "# comment\ncountry\tlatitude\tlongitude\tsource\nUS\t39.83\t-98.58\tNGS centre\n"


def test_the_country_point_table_reads_its_rows() -> None:
    assert parse_country_point_table(POINT_TABLE, "country_points.tsv") == {"US": (39.83, -98.58)}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("FR\t46\t2", "4 tab-separated"),
        ("FRA\t46\t2\tx", "alpha-2"),
        ("fr\t46\t2\tx", "alpha-2"),
        ("US\t40\t-98\tx", "listed twice"),
        ("FR\t46\t2\t", "source"),
        ("FR\tnorth\t2\tx", "not a point"),
        ("FR\t46\t200\tx", "outside the globe"),
    ],
    ids=["three-fields", "alpha3", "lowercase", "twice", "no-source", "not-number", "off-globe"],
)
def test_country_point_table_errors_name_file_and_line(line: str, reason: str) -> None:
    with pytest.raises(ReferenceDataError, match=reason) as error:
        parse_country_point_table(POINT_TABLE + line + "\n", "country_points.tsv")
    assert error.value.file == "country_points.tsv" and error.value.line == 4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("US.TX\tTexas\tTexas\n", "4 tab-separated"),
        ("USTX\tTexas\tTexas\t1\n", "CC.CODE"),
        ("US.TX\tTexas\tTexas\tx\n", "not a number"),
    ],
    ids=["three-fields", "no-dot", "id-not-number"],
)
def test_admin1_errors_name_file_and_line(text: str, reason: str) -> None:
    with pytest.raises(ReferenceDataError, match=reason) as error:
        parse_admin1("US.DC\tWashington, D.C.\tWashington, D.C.\t4138106\n" + text, "admin1.txt")
    assert error.value.file == "admin1.txt" and error.value.line == 2


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("U.S.\tcountry\tUSA", "4 tab-separated"),
        ("U.S.\tnation\tUSA\tx", "unknown kind"),
        ("U.S.\tcountry\tUS\tx", "alpha-3"),
        ("Ill.\tadmin1\tIL\tx", "CC.CODE"),
        ("D.C.\tplace\tdc\tx", "GeoNames id"),
        ("U.S.\tcountry\tUSA\t", "no source"),
        ("Tex.\tadmin1\tUS.TX\ttest", "duplicate of line 2"),
    ],
    ids=["three-fields", "bad-kind", "iso2-target", "bare-admin1", "id-not-number", "no-source", "duplicate"],
)
def test_alias_errors_name_file_and_line(line: str, reason: str) -> None:
    with pytest.raises(ReferenceDataError, match=reason) as error:
        parse_aliases(ALIASES + line + "\n", "aliases.tsv")
    assert error.value.file == "aliases.tsv" and error.value.line == 4
    assert "aliases.tsv:4" in str(error.value)


def test_aliases_resolve_through_the_table(small: Gazetteer) -> None:
    geocoder = Geocoder(small, parse_aliases(ALIASES, "aliases.tsv"))
    text = "French firms in Paris, Tex."
    tex, french, paris = geocoder.geocode(text, spans=[(23, 27), (0, 6), (16, 21)])
    assert tex.place is not None and tex.place.admin1_key == "US.TX"
    assert french.place is not None and french.place.feature_code == "PCLI" and french.place.country3 == "FRA"
    assert paris.place is not None and paris.place.admin1_key == "US.TX"


def _with_stream() -> Gazetteer:
    data = GazetteerData(version="test")
    data.country_info["US"] = (
        "USA",
        "United States",
        data.add(
            geonameid=6252001,
            name="United States",
            feature="A.PCLI",
            country="US",
            admin1="",
            lat=39.8,
            lon=-98.5,
            population=1,
        ),
    )
    stream = data.add(
        geonameid=1, name="Pine Creek", feature="H.STM", country="US", admin1="MT", lat=45.0, lon=-110.0, population=0
    )
    town = data.add(
        geonameid=2, name="Pine Creek", feature="P.PPL", country="US", admin1="MT", lat=45.1, lon=-110.1, population=0
    )
    data.index = {"pine creek": (stream * 2, town * 2), "united states": 0}
    return Gazetteer(data)  # fmt: skip


def test_a_populated_place_over_a_stream_of_the_same_name() -> None:
    geocoder = Geocoder(_with_stream(), parse_aliases("", "aliases.tsv"))
    [result] = geocoder.geocode("Pine Creek residents met.", spans=[(0, 10)])
    assert result.place is not None and result.place.feature_class == "P"


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("Officials of Paris and Anderson counties met.", True),
        ("Paris county officials met.", True),
        ("Schools in Paris, Anderson County and Austin met.", False),
        ("Schools in Paris and Austin met.", False),
    ],
    ids=["plural-list", "singular-right-after", "singular-names-only-the-last", "no-county-word"],
)
def test_a_county_word_after_a_list(text: str, county: bool) -> None:
    data = compile_gazetteer(
        cities=CITIES,
        countries=COUNTRIES,
        continents={},
        us_counties=[
            {"fips": "48001", "name": "Anderson County", "state": "TX"},
            {"fips": "48999", "name": "Paris County", "state": "TX"},
        ],
        admin1=parse_admin1(ADMIN1, "admin1.txt"),
        version="test",
    )
    geocoder = Geocoder(Gazetteer(data), parse_aliases(ALIASES, "aliases.tsv"))
    start = text.index("Paris")
    [paris] = geocoder.geocode(text, spans=[(start, start + 5)])
    assert paris.place is not None and (paris.place.feature_code == "ADM2") == county


ZIP_RECORDS = [
    {"state": "TX", "county": "Walker County", "city": "Huntsville", "lat": "30.72", "long": "-95.55"},
    {"state": "TX", "county": "Walker County", "city": "Huntsville", "lat": "30.70", "long": "-95.50"},
    {"state": "TX", "county": "Walker County", "city": "New Waverly", "lat": "30.54", "long": "-95.48"},
    {"state": "TX", "county": "Walker County", "city": "Far Filed", "lat": "40.0", "long": "-75.0"},
    {"state": "AL", "county": "Walker County", "city": "Jasper", "lat": "33.83", "long": "-87.28"},
    {"state": "AL", "county": "Madison County", "city": "Huntsville", "lat": "34.73", "long": "-86.59"},
    {"state": "AL", "county": "", "city": "Nowhere", "lat": "33.0", "long": "-87.0"},
    {"state": "AL", "county": "Lost County", "city": "Unplaced", "lat": "", "long": ""},
]


def test_zip_codes_give_each_county_a_median_point_and_each_town_its_counties() -> None:
    counties = counties_from_zip_codes(ZIP_RECORDS)
    walker_tx = counties.points[("TX", "walker county")]
    assert walker_tx == pytest.approx((30.71, -95.49))  # the median: the far-filed ZIP code does not move it
    assert ("AL", "lost county") not in counties.points  # no point in its records
    assert counties.towns[("AL", "huntsville")] == frozenset({"madison county"})
    assert counties.towns[("TX", "huntsville")] == frozenset({"walker county"})
    assert ("AL", "nowhere") not in counties.towns  # no county named


TWO_HUNTSVILLES = {
    "4068590": {"geonameid": 4068590, "name": "Huntsville", "latitude": 34.73, "longitude": -86.59, "countrycode": "US",
                "population": 215006, "admin1code": "AL", "alternatenames": []},
    "4699540": {"geonameid": 4699540, "name": "Huntsville", "latitude": 30.72, "longitude": -95.55, "countrycode": "US",
                "population": 40938, "admin1code": "TX", "alternatenames": []},
}  # fmt: skip
ALABAMA_AND_TEXAS = "US.TX\tTexas\tTexas\t4736286\nUS.AL\tAlabama\tAlabama\t4829764\n"


def _two_walker_counties(counties: ZipCodeCounties | None) -> Gazetteer:
    return Gazetteer(
        compile_gazetteer(
            cities=TWO_HUNTSVILLES,
            countries=COUNTRIES,
            continents={},
            us_counties=[
                {"fips": "01127", "name": "Walker County", "state": "AL"},
                {"fips": "48471", "name": "Walker County", "state": "TX"},
                {"fips": "01089", "name": "Madison County", "state": "AL"},
                {"fips": "01999", "name": "Lost County", "state": "AL"},
            ],
            admin1=parse_admin1(ALABAMA_AND_TEXAS, "admin1.txt"),
            version="test",
            counties=counties,
        )
    )


def test_a_county_takes_its_zip_code_point_and_a_town_knows_its_county() -> None:
    gazetteer = _two_walker_counties(counties_from_zip_codes(ZIP_RECORDS))
    walker = {c.place.admin1_code: c.place for c in gazetteer.candidates("Walker County")}
    assert (walker["TX"].lat, walker["TX"].lon) == pytest.approx((30.71, -95.49))
    assert gazetteer.has_own_point(walker["TX"].row) and gazetteer.has_own_point(walker["AL"].row)
    [madison] = gazetteer.candidates("Madison County")
    [lost] = gazetteer.candidates("Lost County")
    assert not gazetteer.has_own_point(lost.place.row)  # no ZIP code point: its state's, as a stand-in
    huntsville = {c.place.admin1_code: c.place for c in gazetteer.candidates("Huntsville")}
    assert gazetteer.counties_of(huntsville["TX"].row) == (walker["TX"].row,)
    assert gazetteer.counties_of(huntsville["AL"].row) == (madison.place.row,)


@pytest.mark.parametrize(
    ("with_zip_codes", "state"),
    [(True, "TX"), (False, "AL")],
    ids=["town-and-its-county-agree", "without-the-table-the-bigger-town"],
)
def test_a_town_and_the_county_it_lies_in_choose_each_other(with_zip_codes: bool, state: str) -> None:
    gazetteer = _two_walker_counties(counties_from_zip_codes(ZIP_RECORDS) if with_zip_codes else None)
    geocoder = Geocoder(gazetteer, parse_aliases("", "aliases.tsv"))
    text = "The burn ban for Walker County was lifted, Huntsville officials said."
    county, town = geocoder.geocode(text, spans=[(17, 30), (43, 53)])
    assert town.place is not None and town.place.admin1_code == state
    assert county.place is not None and county.place.admin1_code == state
