"""SQL text for a release's DuckDB file: tables, analyst views and a COMMENT ON everything.

Pure: this module only builds SQL strings from the published table specs; `flows/io/release.py`
runs them. Views compute from the `events` and `articles` tables of the same file, so they are
always consistent with the release they ship in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from transforms.codebook import TableSpec


@dataclass(frozen=True)
class ViewSpec:
    """An analyst view: its SQL, what it is for, and what each of its columns means."""

    name: str
    description: str
    select: str
    columns: tuple[tuple[str, str], ...]

    def create_sql(self) -> str:
        return f"CREATE VIEW {self.name} AS\n{self.select.strip()}"


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type of a published polars dtype."""
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    if isinstance(dtype, pl.String):
        return "VARCHAR"
    if isinstance(dtype, pl.Int64):
        return "BIGINT"
    if isinstance(dtype, pl.Int32):
        return "INTEGER"
    if isinstance(dtype, pl.Float64):
        return "DOUBLE"
    if isinstance(dtype, pl.Boolean):
        return "BOOLEAN"
    if isinstance(dtype, pl.Date):
        return "DATE"
    raise ValueError(f"no DuckDB type for polars dtype {dtype}")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_string(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: TableSpec, *, primary_key: bool = True) -> str:
    """CREATE TABLE for a published table, with NOT NULL and (optionally) the primary key.

    A release's read-only file leaves the key out: its index would double the file's size,
    and uniqueness is checked before publishing.
    """
    parts = [
        f"{quote_identifier(c.name)} {duckdb_type(c.dtype)}{'' if c.nullable else ' NOT NULL'}" for c in table.columns
    ]
    if primary_key and table.primary_key:
        parts.append("PRIMARY KEY (" + ", ".join(quote_identifier(c) for c in table.primary_key) + ")")
    return f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(parts) + "\n)"


LATEST_DAYS = 30
COUNTED_CLAIMS = ("asserted", "reported")

_COUNTED_CLAIMS_SQL = "(" + ", ".join(sql_string(c) for c in COUNTED_CLAIMS) + ")"

RELEASE_DAY_SQL = """(
    SELECT coalesce(
               max(timezone('UTC', least(published_at, fetched_at))) FILTER (WHERE published_at IS NOT NULL),
               max(timezone('UTC', fetched_at))
           )::DATE
    FROM articles
)"""
"""The release day: the UTC date of the newest article publication in the release.

The windows of `latest_events` and of the releases page end on it. Event dates never move it:
one misread date (an event "in 2025" in a 2024 article) would otherwise drag the window into
a period the release has no news about. A publication time later than the article's fetch time
is impossible and counts as the fetch time; where no article has a publication date, the
newest fetch day is used. Written with `timezone('UTC', …)` so that the result does not depend
on the reader's DuckDB `TimeZone` setting.
"""

_RELEASE_DAY_DOC = (
    "the UTC date of the newest article publication in the release (never an event date, so one "
    "misread or future event date cannot move it)"
)

VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        name="events_daily",
        description="Events per day, actor country and quad class, with mean intensity and confidence. Counts only "
        "rows dated to the day (date_precision = 'day') and told as fact or attributed (claim_status asserted or "
        "reported): an event known only to its month or year would land on the 1st, and denied or hypothetical "
        "claims are not events that happened. See events_monthly for month-precision rows.",
        select=f"""
SELECT date,
       actor_country,
       quad_class,
       count(*)::BIGINT AS events,
       avg(intensity) AS mean_intensity,
       avg(confidence) AS mean_confidence
FROM events
WHERE date_precision = 'day' AND claim_status IN {_COUNTED_CLAIMS_SQL}
GROUP BY date, actor_country, quad_class
ORDER BY date, actor_country NULLS LAST, quad_class
""",
        columns=(
            ("date", "The event date (events.date); only rows with date_precision 'day'."),
            ("actor_country", "The actor's country code; null groups events whose actor has no country."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("events", "Number of asserted or reported events dated to this day."),
            ("mean_intensity", "Mean PLOVER intensity of those events."),
            ("mean_confidence", "Mean confidence of those events."),
        ),
    ),
    ViewSpec(
        name="events_monthly",
        description="Events per month, actor country and quad class, with mean intensity and confidence. Counts "
        "rows dated to the day or to the month (date_precision 'day' or 'month'; rows known only to the year are "
        "left out) and told as fact or attributed (claim_status asserted or reported); month_precision_events and "
        "reported_events say how many of them are known only to the month, and attributed.",
        select=f"""
SELECT date_trunc('month', date)::DATE AS month,
       actor_country,
       quad_class,
       count(*)::BIGINT AS events,
       count(*) FILTER (WHERE date_precision = 'month')::BIGINT AS month_precision_events,
       count(*) FILTER (WHERE claim_status = 'reported')::BIGINT AS reported_events,
       avg(intensity) AS mean_intensity,
       avg(confidence) AS mean_confidence
FROM events
WHERE date_precision IN ('day', 'month') AND claim_status IN {_COUNTED_CLAIMS_SQL}
GROUP BY ALL
ORDER BY month, actor_country NULLS LAST, quad_class
""",
        columns=(
            ("month", "First day of the month of the event date."),
            ("actor_country", "The actor's country code; null groups events whose actor has no country."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("events", "Number of asserted or reported events in the month, dated to the day or to the month."),
            ("month_precision_events", "Of those, the events dated only to the month (date_precision 'month')."),
            ("reported_events", "Of those, the events attributed to a speaker (claim_status 'reported')."),
            ("mean_intensity", "Mean PLOVER intensity of those events."),
            ("mean_confidence", "Mean confidence of those events."),
        ),
    ),
    ViewSpec(
        name="dyads_monthly",
        description="Time series per dyad (actor country → target country) and month: events, cooperation, "
        "conflict and mean intensity. Counts rows with two different, known countries (domestic events and "
        "events without both countries are left out), told as fact or attributed (claim_status asserted or "
        "reported), and dated to the day or to the month (rows known only to the year are left out).",
        select=f"""
SELECT date_trunc('month', date)::DATE AS month,
       actor_country,
       target_country,
       count(*)::BIGINT AS events,
       count(*) FILTER (WHERE quad_class IN (1, 2))::BIGINT AS cooperation_events,
       count(*) FILTER (WHERE quad_class IN (3, 4))::BIGINT AS conflict_events,
       avg(intensity) AS mean_intensity
FROM events
WHERE actor_country IS NOT NULL
  AND target_country IS NOT NULL
  AND actor_country <> target_country
  AND claim_status IN {_COUNTED_CLAIMS_SQL}
  AND date_precision IN ('day', 'month')
GROUP BY ALL
ORDER BY month, actor_country, target_country
""",
        columns=(
            ("month", "First day of the month of the event date."),
            ("actor_country", "The actor's country code."),
            ("target_country", "The target's country code (never the actor's)."),
            ("events", "Number of asserted or reported events in the month."),
            ("cooperation_events", "Events of quad class 1 or 2."),
            ("conflict_events", "Events of quad class 3 or 4."),
            ("mean_intensity", "Mean PLOVER intensity (-10 hostile … +10 cooperative)."),
        ),
    ),
    ViewSpec(
        name="events_one_a_day",
        description="One row per distinct event and day, however many articles reported it (the one-a-day rule "
        "of the Phoenix and ICEWS data): asserted or reported rows dated to the day with the same date, actor "
        "country and sector, action, target country and sector are one event. Rows without an actor country are "
        "left out, since nothing tells two of them apart across articles. reports, articles and sources say how "
        "often it was told; evidence and event_id are those of its most confident row.",
        select=f"""
SELECT date,
       actor_country,
       actor_sector,
       action,
       target_country,
       target_sector,
       min(quad_class) AS quad_class,
       count(*)::BIGINT AS reports,
       count(DISTINCT article_id)::BIGINT AS articles,
       count(DISTINCT source_name)::BIGINT AS sources,
       max(confidence) AS max_confidence,
       first(sentence ORDER BY confidence DESC, event_id) AS evidence,
       first(event_id ORDER BY confidence DESC, event_id) AS event_id,
       min(published_at) AS first_published_at
FROM events
WHERE date_precision = 'day' AND claim_status IN {_COUNTED_CLAIMS_SQL} AND actor_country IS NOT NULL
GROUP BY date, actor_country, actor_sector, action, target_country, target_sector
ORDER BY date, actor_country, actor_sector NULLS FIRST, action, target_country NULLS FIRST, target_sector NULLS FIRST
""",
        columns=(
            ("date", "The event date; only rows with date_precision 'day'."),
            ("actor_country", "The actor's country code (never null here)."),
            ("actor_sector", "The actor's sector code; null where the text names none."),
            ("action", "PLOVER event type."),
            ("target_country", "The target's country code; null where the event has no target country."),
            ("target_sector", "The target's sector code."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("reports", "Event rows that told this event (one per article and sentence wording)."),
            ("articles", "Distinct articles that reported it."),
            ("sources", "Distinct sources (source_name) that reported it."),
            ("max_confidence", "The highest confidence among its rows."),
            ("evidence", "The sentence of its most confident row."),
            ("event_id", "The event_id of its most confident row (events.event_id)."),
            ("first_published_at", "When the first article that reported it was published (UTC)."),
        ),
    ),
    ViewSpec(
        name="latest_events",
        description=f"Events dated in the last {LATEST_DAYS} days of the release, newest first, with the evidence "
        f"sentence and the article's source. The window ends on the release day, {_RELEASE_DAY_DOC}, and "
        f"starts {LATEST_DAYS - 1} days before it; events dated after the release day are left out. Every claim "
        "status and date precision is listed: filter on claim_status and date_precision as needed.",
        select=f"""
WITH release_day AS (SELECT {RELEASE_DAY_SQL} AS day)
SELECT e.date,
       e.date_precision,
       e.actor,
       e.actor_country,
       e.action,
       e.target,
       e.target_country,
       e.quad_class,
       e.confidence,
       e.claim_status,
       e.speaker,
       e.sentence AS evidence,
       a.title AS article_title,
       coalesce(e.source_name, a.source_name) AS source_name,
       coalesce(e.source_url, a.url) AS source_url,
       e.published_at,
       e.event_id,
       e.article_id
FROM events e
LEFT JOIN articles a USING (article_id)
WHERE e.date BETWEEN (SELECT day FROM release_day) - {LATEST_DAYS - 1} AND (SELECT day FROM release_day)
ORDER BY e.date DESC, e.confidence DESC, e.event_id
""",
        columns=(
            ("date", "The event date."),
            ("date_precision", "How precise the date is: day, month (dated the 1st) or year (dated 1 January)."),
            ("actor", "The actor as named in the text."),
            ("actor_country", "The actor's country code."),
            ("action", "PLOVER event type."),
            ("target", "The target as named in the text."),
            ("target_country", "The target's country code."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("confidence", "Calibrated probability that the row is right."),
            ("claim_status", "asserted, reported, denied or hypothetical."),
            ("speaker", "Who made the claim, for reported and denied events."),
            ("evidence", "The sentence the event was coded from."),
            ("article_title", "Headline of the article."),
            ("source_name", "Name of the source the article came from."),
            ("source_url", "URL of the article."),
            ("published_at", "Publication time of the article (UTC)."),
            ("event_id", "The event's id (events.event_id)."),
            ("article_id", "The article's id (articles.article_id)."),
        ),
    ),
    ViewSpec(
        name="events_by_place_monthly",
        description="Events per month, place country and first-order division (admin1), and quad class. Counts "
        "rows dated to the day or to the month, asserted or reported (as events_monthly), that have a place at "
        "town or division precision (geo_precision 1 or 2); a row placed only at its country is counted in "
        "country_only_events of its country's row with null admin1.",
        select=f"""
SELECT date_trunc('month', date)::DATE AS month,
       place_country,
       CASE WHEN geo_precision IN (1, 2) THEN admin1_code END AS admin1_code,
       CASE WHEN geo_precision IN (1, 2) THEN admin1_name END AS admin1_name,
       quad_class,
       count(*)::BIGINT AS events,
       count(*) FILTER (WHERE geo_precision = 3)::BIGINT AS country_only_events,
       avg(intensity) AS mean_intensity
FROM events
WHERE place_country IS NOT NULL AND date_precision IN ('day', 'month') AND claim_status IN {_COUNTED_CLAIMS_SQL}
GROUP BY ALL
ORDER BY month, place_country, admin1_code NULLS LAST, quad_class
""",
        columns=(
            ("month", "First day of the month of the event date."),
            ("place_country", "ISO 3166-1 alpha-3 code of the country the event happened in (events.place_country)."),
            ("admin1_code", "GeoNames first-order division ('CC.CODE'); null for events placed only at the country."),
            ("admin1_name", "Name of that division."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("events", "Number of asserted or reported events, dated to the day or month, placed there."),
            ("country_only_events", "Of those, the events placed only at the country (geo_precision 3)."),
            ("mean_intensity", "Mean PLOVER intensity of those events."),
        ),
    ),
    ViewSpec(
        name="events_by_place",
        description="Events per place and quad class over the whole release, with the place's point, for maps. "
        "Counts the rows events_by_place_monthly counts (dated to the day or to the month, asserted or reported, "
        "with a place), at every precision: a place named only as a country is its country's estimated point "
        "(geo_precision 3), so filter on geo_precision for a map of towns and divisions.",
        select=f"""
SELECT place_name,
       geonameid,
       place_country,
       admin1_code,
       admin1_name,
       geo_precision,
       round(avg(latitude), 4) AS latitude,
       round(avg(longitude), 4) AS longitude,
       quad_class,
       count(*)::BIGINT AS events,
       avg(intensity) AS mean_intensity
FROM events
WHERE place_country IS NOT NULL
  AND latitude IS NOT NULL
  AND longitude IS NOT NULL
  AND date_precision IN ('day', 'month')
  AND claim_status IN {_COUNTED_CLAIMS_SQL}
GROUP BY place_name, geonameid, place_country, admin1_code, admin1_name, geo_precision, quad_class
ORDER BY events DESC, place_country, admin1_code NULLS FIRST, place_name, geonameid NULLS LAST, quad_class
""",
        columns=(
            ("place_name", "The place's GeoNames name (events.place_name)."),
            ("geonameid", "GeoNames id of the place; null for a US county."),
            ("place_country", "ISO 3166-1 alpha-3 code of the place's country."),
            ("admin1_code", "GeoNames first-order division ('CC.CODE'); null for a country."),
            ("admin1_name", "Name of that division."),
            ("geo_precision", "1 a town or finer, 2 a district or first-order division, 3 a country or wider."),
            ("latitude", "Latitude (WGS84) of the place's point (the mean over its rows: a county's point varies)."),
            ("longitude", "Longitude (WGS84) of the place's point."),
            ("quad_class", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
            ("events", "Number of asserted or reported events, dated to the day or month, placed there."),
            ("mean_intensity", "Mean PLOVER intensity of those events."),
        ),
    ),
)


def comment_statements(tables: Iterable[TableSpec], views: Iterable[ViewSpec] = VIEWS) -> list[str]:
    """COMMENT ON every table, view and column, from the schema descriptions."""
    statements = []
    for table in tables:
        statements.append(f"COMMENT ON TABLE {table.name} IS {sql_string(table.description)}")
        for column in table.columns:
            statements.append(
                f"COMMENT ON COLUMN {table.name}.{quote_identifier(column.name)} IS {sql_string(column.description)}"
            )
    for view in views:
        statements.append(f"COMMENT ON VIEW {view.name} IS {sql_string(view.description)}")
        for name, description in view.columns:
            statements.append(f"COMMENT ON COLUMN {view.name}.{quote_identifier(name)} IS {sql_string(description)}")
    return statements
