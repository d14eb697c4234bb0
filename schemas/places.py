"""The article_places table: every place mention of an article that resolved to the gazetteer."""

from __future__ import annotations

import pandera.polars as pa

from schemas.enums import GEO_PRECISIONS
from schemas.events import GEO_PRECISION_NOTE


class ArticlePlaces(pa.DataFrameModel):
    """One row per resolved place mention: where in the article, and which GeoNames place."""

    article_id: str = pa.Field(
        str_length={"min_value": 16, "max_value": 64}, description="The article the mention is in."
    )
    start: int = pa.Field(
        ge=0,
        description="Character offset of the mention's start in the article's text (the articles table's `text`).",
    )
    end: int = pa.Field(ge=1, description="Character offset just after the mention's end, as `start`.")
    text: str = pa.Field(str_length={"min_value": 1}, description="The words that named the place.")
    name: str = pa.Field(description="The place's GeoNames name.")
    geonameid: int | None = pa.Field(
        nullable=True, ge=1, description="GeoNames id of the place; null for a US county (no id in the gazetteer)."
    )
    feature_class: str = pa.Field(
        str_matches=r"^[A-Z]$", description="GeoNames feature class: P populated place, A division or country, L area."
    )
    feature_code: str = pa.Field(
        str_matches=r"^[A-Z0-9]{2,6}$", description="GeoNames feature code, e.g. PPL, PPLC, ADM1, ADM2, PCLI, CONT."
    )
    country: str | None = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code; null for a continent."
    )
    admin1_code: str | None = pa.Field(
        nullable=True, description="GeoNames first-order division as 'CC.CODE' (e.g. 'US.IL'); null for a country."
    )
    admin1_name: str | None = pa.Field(nullable=True, description="Name of that division.")
    latitude: float = pa.Field(ge=-90.0, le=90.0, description="Latitude (WGS84) of the place's point.")
    longitude: float = pa.Field(ge=-180.0, le=180.0, description="Longitude (WGS84) of the place's point.")
    precision: int = pa.Field(isin=list(GEO_PRECISIONS), description="How precise the place is: " + GEO_PRECISION_NOTE)
    confidence: float = pa.Field(
        ge=0.0, le=1.0, description="The chosen place's share of the candidates' evidence (softmax of their scores)."
    )

    class Config:
        strict = True
        coerce = True
