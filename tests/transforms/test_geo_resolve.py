"""The geocoder's disambiguation on the real gazetteer: golden cases, and it never crashes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.geo.mentions import find_dateline
from transforms.geo.names import name_key


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    span: str  # the mention to check (its first occurrence, or the nth with "#n")
    country: str  # ISO-3
    admin1: str | None = None  # CC.CODE
    precision: int | None = None
    others: tuple[str, ...] = ()  # other mentions resolved alongside, as context


CASES = [
    Case("paris-alone-is-france", "She flew to Paris for the fashion shows.", "Paris", "FRA", "FR.11", 1),
    Case("paris-texas", "The rodeo in Paris, Texas drew a crowd.", "Paris", "USA", "US.TX", 1, ("Texas",)),
    Case("paris-tenn-abbreviation", "Officials in Paris, Tenn. met on Monday.", "Paris", "USA", "US.TN", 1, ("Tenn.",)),
    Case(
        "springfield-ill",
        "Lawmakers returned to Springfield, Ill. on Tuesday.",
        "Springfield",
        "USA",
        "US.IL",
        1,
        ("Ill.",),
    ),
    Case(
        "springfield-mass",
        "A fire in Springfield, Mass. closed two schools.",
        "Springfield",
        "USA",
        "US.MA",
        1,
        ("Mass.",),
    ),
    Case(
        "same-name-keeps-its-qualified-sense",
        "Police in Springfield, Mo. said the Springfield suspect was arrested.",
        "Springfield#2",
        "USA",
        "US.MO",
        1,
        ("Springfield", "Mo."),
    ),
    Case(
        "dateline-sets-the-state",
        "SPRINGFIELD, Ill. (AP) — The mayor of Springfield said the budget was balanced.",
        "Springfield",
        "USA",
        "US.IL",
        1,
    ),
    Case("dateline-city", "NAIROBI, Kenya (Reuters) — Police fired tear gas.", "NAIROBI", "KEN", None, 1),
    Case("demonym-is-the-country", "American officials declined to comment.", "American", "USA", None, 3),
    Case("us-abbreviation", "Exports to the U.S. fell in June.", "U.S.", "USA", None, 3),
    Case("wva-abbreviation", "A mine in Logan County, W.Va. flooded.", "W.Va.", "USA", "US.WV", 2, ("Logan County",)),
    Case("county-with-its-state", "Logan County, W.Va. flooded.", "Logan County", "USA", "US.WV", 2, ("W.Va.",)),
    Case("county-as-parent", "Oakwood, Hall County officials met.", "Oakwood", "USA", "US.GA", 1, ("Hall County",)),
    Case(
        "georgia-among-us-places",
        "Storms hit Atlanta and Savannah, and Georgia officials opened shelters.",
        "Georgia",
        "USA",
        "US.GA",
        2,
        ("Atlanta", "Savannah"),
    ),
    Case(
        "georgia-among-caucasus-places",
        "Talks in Tbilisi and Yerevan: Georgia and Armenia signed a deal.",
        "Georgia",
        "GEO",
        None,
        3,
        ("Tbilisi", "Yerevan", "Armenia"),
    ),
    Case(
        "country-over-namesake-town",
        "Sanctions on Russia and Moscow's response.",
        "Russia",
        "RUS",
        None,
        3,
        ("Moscow",),
    ),
    Case("capital-over-namesake", "Moscow and Russia signed it.", "Moscow", "RUS", None, 1, ("Russia",)),
]


def _span(text: str, spec: str) -> tuple[int, int]:
    name, _, nth = spec.partition("#")
    start = -1
    for _ in range(int(nth or 1)):
        start = text.index(name, start + 1)
    return start, start + len(name)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(geocoder, case: Case) -> None:
    target = _span(case.text, case.span)
    spans = sorted({target, *(_span(case.text, other) for other in case.others)})
    results = geocoder.geocode(case.text, spans=spans)
    assert [(r.mention.start, r.mention.end) for r in results] == spans
    place = next(r.place for r in results if (r.mention.start, r.mention.end) == target)
    assert place is not None, f"{case.span} not resolved"
    assert place.country3 == case.country, place
    if case.admin1 is not None:
        assert place.admin1_key == case.admin1, place
    if case.precision is not None:
        assert place.precision == case.precision, place


def test_an_unknown_name_gives_no_place(geocoder) -> None:
    text = "The Xqzzyville council met."
    [result] = geocoder.geocode(text, spans=[(4, 15)])
    assert result.place is None and result.confidence == 0.0


def test_an_acronym_is_not_a_town_spelled_the_same(geocoder) -> None:
    text = "The EU imposed tariffs."
    [result] = geocoder.geocode(text, spans=[(4, 6)])
    assert result.place is None  # not Eu, Normandy


def test_confidence_is_a_probability(geocoder) -> None:
    text = "Springfield and Paris and Georgia."
    for result in geocoder.geocode(text, spans=[(0, 11), (16, 21), (26, 33)]):
        assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "place", "parent"),
    [
        ("NAIROBI, Kenya (Reuters) — Police", "NAIROBI", "Kenya"),
        ("SPRINGFIELD, Ill. (AP) — The mayor", "SPRINGFIELD", "Ill."),
        ("WASHINGTON — The Senate", "WASHINGTON", None),
        ("Paris (AFP) - Strikes", "Paris", None),
    ],
    ids=["city-country-agency", "city-state-abbreviation", "city-alone", "title-case-with-agency"],
)
def test_datelines(text: str, place: str, parent: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found.place.text == place
    assert (found.parent.text if found.parent else None) == parent


@pytest.mark.parametrize(
    "text", ["The mayor said — at last — yes.", "Mr. Smith - the mayor - spoke", "In 2009, taxes rose."]
)
def test_no_dateline_in_ordinary_openings(text: str) -> None:
    assert find_dateline(text) is None


def test_name_key_joins_spellings() -> None:
    assert name_key("St. Petersburg") == name_key("Saint Petersburg") == name_key("ST PETERSBURG")
    assert name_key("Zürich") == name_key("Zurich")
    assert name_key("the Netherlands") == name_key("Netherlands")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=200), cuts=st.lists(st.integers(0, 200), max_size=8))
def test_never_crashes_on_any_text_and_spans(geocoder, text: str, cuts: list[int]) -> None:
    points = sorted({c % (len(text) + 1) for c in cuts})
    spans = [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]
    results = geocoder.geocode(text, spans=spans)
    assert len(results) == len(spans)
    for result in results:
        assert 0.0 <= result.confidence <= 1.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.sampled_from(
            ["Paris", "Springfield", ",", "Ill.", "the", "U.S.", "American", "troops", "in", "—", "NAIROBI", "x"]
        )
        | st.text(max_size=12),
        min_size=1,
        max_size=30,
    ).map(" ".join)
)
def test_never_crashes_finding_places_itself(geocoder, nlp, text: str) -> None:
    geocoder.nlp = nlp
    for result in geocoder.geocode(text):
        assert 0 <= result.mention.start < result.mention.end <= len(text)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Officials in Kiev said the talks had failed.", "Kiev", "UKR"),
        ("Lawmakers returned to Springfield, Ill. on Tuesday.", "Springfield", "USA"),
        ("Fighting spread from Aleppo to Idlib.", "Idlib", "SYR"),
    ],
    ids=["exonym-of-a-big-city", "qualified-town", "two-towns"],
)
def test_finds_places_itself(geocoder, nlp, text: str, name: str, country: str) -> None:
    geocoder.nlp = nlp
    found = {r.mention.text: r.place for r in geocoder.geocode(text) if r.place is not None}
    assert name in found and found[name].country3 == country, found
