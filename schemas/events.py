"""The event table: the contract every release keeps (DESIGN.md, "The event table").

Column names, types and meanings here are the published contract; `CODEBOOK.md` and the
release's `COMMENT ON` statements are generated from the descriptions below.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import pandera.polars as pa
import polars as pl

from schemas.codes import ACTOR_CODES, SECTOR_CODES
from schemas.enums import CLAIM_STATUSES, DATE_PRECISIONS, DATE_SOURCES, GEO_PRECISIONS, PLACE_SOURCES
from schemas.plover import PLOVER, PLOVER_TYPES

_ACTOR_CODES = sorted(ACTOR_CODES)
_SECTOR_CODES = sorted(SECTOR_CODES)
_MODES = sorted({m for t in PLOVER.values() for m in t.modes})

GEO_PRECISION_NOTE = (
    "1 a town or finer (GDELT geo type 3 US city or 4 world city; ACLED geo_precision 1), "
    "2 a district or first-order division (GDELT 2 US state or 5 world state; ACLED 2 for a district, "
    "3 for a province or largest region), 3 a country or wider (GDELT 1 country; ACLED has no code for it)."
)
"""How `geo_precision` maps to GDELT's geo type and ACLED's geo_precision (shared by both tables)."""


class Events(pa.DataFrameModel):
    """One row per coded event: who did what to whom, when, and how sure."""

    event_id: str = pa.Field(
        unique=True,
        str_length={"min_value": 16, "max_value": 64},
        description="Stable hash of (article, sentence, actor, action, target): the same input "
        "gives the same id on every run.",
    )
    article_id: str = pa.Field(description="The article the event came from.")
    sentence_index: int = pa.Field(ge=0, description="Zero-based index of the evidence sentence in the article.")
    sentence: str = pa.Field(str_length={"min_value": 1}, description="The evidence sentence itself.")
    actor: str = pa.Field(
        str_length={"min_value": 1}, description="The actor as named in the text, e.g. 'Dmitry Peskov', 'North Korea'."
    )
    actor_country: str | None = pa.Field(
        nullable=True,
        isin=_ACTOR_CODES,
        description="ISO 3166-1 alpha-3 code of the actor's country, or a non-state code (IGO, NGO, IMG, MNC).",
    )
    actor_sector: str | None = pa.Field(
        nullable=True,
        isin=_SECTOR_CODES,
        description="Agent code of the actor's sector (GOV, MIL, REB, OPP, CVL, JUD, LEG, COP, BUS, MED, IGO, NGO, ...).",
    )
    action: str = pa.Field(isin=list(PLOVER_TYPES), description="PLOVER event type.")
    action_mode: str | None = pa.Field(
        nullable=True, isin=_MODES, description="PLOVER mode where the text makes it clear (e.g. 'visit')."
    )
    cameo_code: str | None = pa.Field(
        nullable=True,
        str_matches=r"^[0-2][0-9]{1,3}$",
        description="The finer CAMEO code where known, for users of older data.",
    )
    quad_class: int = pa.Field(
        isin=[1, 2, 3, 4],
        description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
    )
    intensity: float = pa.Field(ge=-10.0, le=10.0, description="PLOVER intensity score, -10 (most hostile) to +10.")
    target: str | None = pa.Field(
        nullable=True, description="The target as named in the text; null where the event has no target."
    )
    target_country: str | None = pa.Field(
        nullable=True, isin=_ACTOR_CODES, description="As actor_country, for the target."
    )
    target_sector: str | None = pa.Field(
        nullable=True, isin=_SECTOR_CODES, description="As actor_sector, for the target."
    )
    date: dt.date = pa.Field(
        description="The event's own date, resolved against the publication date where the text is relative."
    )
    date_precision: str = pa.Field(isin=list(DATE_PRECISIONS), description="How precise `date` is: day, month or year.")
    date_source: str = pa.Field(
        isin=list(DATE_SOURCES),
        description="'text' when the date was resolved from the sentence or article, 'publication' when it fell back to the publication date.",
    )
    claim_status: str = pa.Field(
        isin=list(CLAIM_STATUSES),
        description="asserted (told as fact), reported (attributed), denied, or hypothetical.",
    )
    speaker: str | None = pa.Field(nullable=True, description="Who made the claim, for reported and denied events.")
    confidence: float = pa.Field(
        ge=0.0,
        le=1.0,
        description=(
            "Calibrated probability in [0, 1] that the row is right as a whole: actor country, type and "
            "target country (fitted on labelled news; see docs/coder.md)."
        ),
    )
    place_text: str | None = pa.Field(
        nullable=True,
        description="The words of the article that named the event's place; null where the place is the "
        "actor's country (place_source 'actor_country') or the event has no place.",
    )
    place_name: str | None = pa.Field(nullable=True, description="The place's GeoNames name, e.g. 'Tbilisi'.")
    geonameid: int | None = pa.Field(
        nullable=True,
        ge=1,
        description="GeoNames id of the place (https://www.geonames.org/<id>); null for a US county, which "
        "the gazetteer has without an id, and where the event has no place.",
    )
    place_country: str | None = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code of the place's country."
    )
    admin1_code: str | None = pa.Field(
        nullable=True,
        description="GeoNames first-order division of the place as 'CC.CODE' (e.g. 'US.IL'); null for a country.",
    )
    admin1_name: str | None = pa.Field(nullable=True, description="Name of that division, e.g. 'Illinois'.")
    latitude: float | None = pa.Field(
        nullable=True,
        ge=-90.0,
        le=90.0,
        description="Latitude (WGS84) of the place's point; for a division or country a point estimated from "
        "its towns.",
    )
    longitude: float | None = pa.Field(
        nullable=True, ge=-180.0, le=180.0, description="Longitude (WGS84) of the place's point."
    )
    geo_precision: int | None = pa.Field(
        nullable=True, isin=list(GEO_PRECISIONS), description="How precise the place is: " + GEO_PRECISION_NOTE
    )
    place_source: str | None = pa.Field(
        nullable=True,
        isin=list(PLACE_SOURCES),
        description="Which rule chose the place, strongest first: 'verb' (a place phrase governed by the "
        "event's verb), 'sentence' (another place in the sentence that is not the actor or target), "
        "'dateline' (the article's dateline), 'article' (the place the article names most), "
        "'actor_country' (the actor's country). Null where none applies.",
    )
    coder: str = pa.Field(description="Name and version of the coder that made the row.")
    explanation: str | None = pa.Field(
        nullable=True, description="JSON naming the rule and dictionary entries that made the row."
    )
    source_url: str | None = pa.Field(nullable=True, description="URL of the article the event came from.")
    source_name: str | None = pa.Field(
        nullable=True, description="Name of the configured source the article came from."
    )
    published_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(
        nullable=True,
        description="The article's publication time (UTC); null where no date was found.",
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="quad_class and intensity must agree with the PLOVER type and mode of `action`")
    def action_agrees_with_plover(cls, data: pa.PolarsData) -> pl.LazyFrame:
        quads = {name: t.quad_class for name, t in PLOVER.items()}
        scores = {
            f"{name}/{mode}": t.intensity_for(mode or None) for name, t in PLOVER.items() for mode in ("", *t.modes)
        }
        key = pl.concat_str([pl.col("action"), pl.col("action_mode").fill_null("")], separator="/")
        return data.lazyframe.select(
            (pl.col("action").replace_strict(quads, default=None, return_dtype=pl.Int64) == pl.col("quad_class"))
            & (key.replace_strict(scores, default=None, return_dtype=pl.Float64) == pl.col("intensity"))
        )

    @pa.dataframe_check(error="actor and target are the same country without the text naming two sides")
    def actor_differs_from_target(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """A same-country row passes only as a domestic event between two named sectors (police
        and protesters, army and rebels) or where the coder recorded that the text names both
        sides (`"same_country_in_text": true`). A country acting on itself, or on a place or
        object of its own, is a coding error."""
        return data.lazyframe.select(
            pl.col("target_country").is_null()
            | pl.col("actor_country").is_null()
            | (pl.col("actor_country") != pl.col("target_country"))
            | (
                pl.col("actor_sector").is_not_null()
                & pl.col("target_sector").is_not_null()
                & (pl.col("actor_sector") != pl.col("target_sector"))
            )
            | pl.col("explanation").fill_null("").str.contains('"same_country_in_text": true', literal=True)
        )

    @pa.dataframe_check(error="an event told as fact is dated after its article was published")
    def not_after_publication(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Only a hypothetical event (a plan, a threat of what may come) may lie in the future:
        an asserted, reported or denied event dated after publication is a misread date. A day
        of slack allows for time zones."""
        published = pl.col("published_at").dt.date()
        return data.lazyframe.select(
            pl.col("published_at").is_null()
            | (pl.col("claim_status") == "hypothetical")
            | (pl.col("date") <= published + pl.duration(days=1))
        )


EVENT_COLUMNS: tuple[str, ...] = tuple(Events.to_schema().columns)

PLACE_COLUMNS: tuple[str, ...] = (
    "place_text",
    "place_name",
    "geonameid",
    "place_country",
    "admin1_code",
    "admin1_name",
    "latitude",
    "longitude",
    "geo_precision",
    "place_source",
)
"""The event's place, which the code flow adds to the coder's rows (the coder does not geocode).
A release written before they existed has none of them."""
