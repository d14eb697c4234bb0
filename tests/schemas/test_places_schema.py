"""The place columns of the event table and the article_places model accept real places and
name what is wrong with impossible ones."""

from __future__ import annotations

from typing import Any

import pandera.errors
import polars as pl
import pytest

from schemas.events import PLACE_COLUMNS, Events
from schemas.places import ArticlePlaces
from tests.schemas.test_events_schema import good_row

TBILISI = {
    "place_text": "Tbilisi",
    "place_name": "Tbilisi",
    "geonameid": 611717,
    "place_country": "GEO",
    "admin1_code": "GE.TB",
    "admin1_name": "Tbilisi",
    "latitude": 41.69411,
    "longitude": 44.83368,
    "geo_precision": 1,
    "place_source": "verb",
}


def place_row(**changes: Any) -> dict[str, Any]:
    row = {
        "article_id": "a" * 32,
        "start": 40,
        "end": 47,
        "text": "Tbilisi",
        "name": "Tbilisi",
        "geonameid": 611717,
        "feature_class": "P",
        "feature_code": "PPLC",
        "country": "GEO",
        "admin1_code": "GE.TB",
        "admin1_name": "Tbilisi",
        "latitude": 41.69411,
        "longitude": 44.83368,
        "precision": 1,
        "confidence": 0.93,
    }
    row.update(changes)
    return row


def test_an_event_with_a_place_passes() -> None:
    validated = Events.validate(pl.DataFrame([good_row(**TBILISI)]))
    assert validated.select(PLACE_COLUMNS).row(0) == tuple(TBILISI.values())


def test_an_event_without_a_place_passes_with_or_without_the_columns() -> None:
    assert Events.validate(pl.DataFrame([good_row()])).height == 1
    before = pl.DataFrame([good_row()]).drop(PLACE_COLUMNS)
    assert Events.validate(before).height == 1, "a release written before them has none"


@pytest.mark.parametrize(
    ("column", "value"),
    [("latitude", 91.0), ("longitude", -181.0), ("geo_precision", 4), ("place_source", "guess"), ("geonameid", 0)],
)
def test_an_impossible_place_fails_on_its_column(column: str, value: object) -> None:
    with pytest.raises(pandera.errors.SchemaErrors) as error:
        Events.validate(pl.DataFrame([good_row(**{**TBILISI, column: value})]), lazy=True)
    assert column in error.value.failure_cases["column"].to_list()


def test_article_places_accepts_a_resolved_mention_and_a_county_without_id() -> None:
    rows = [place_row(), place_row(start=60, end=72, text="Cook County", name="Cook County", geonameid=None,
                                   feature_class="A", feature_code="ADM2", country="USA", admin1_code="US.IL",
                                   admin1_name="Illinois", latitude=41.8, longitude=-87.7, precision=2)]  # fmt: skip
    assert ArticlePlaces.validate(pl.DataFrame(rows)).height == 2


@pytest.mark.parametrize(("column", "value"), [("precision", 0), ("latitude", -95.0), ("country", "GE")])
def test_article_places_rejects_impossible_values(column: str, value: object) -> None:
    with pytest.raises(pandera.errors.SchemaErrors) as error:
        ArticlePlaces.validate(pl.DataFrame([place_row(**{column: value})]), lazy=True)
    assert column in error.value.failure_cases["column"].to_list()
