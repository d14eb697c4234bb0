"""Golden cases for the analyst views of a release's DuckDB file and the page's charts.

Each case adds one hand-made event to a release whose newest article was published on
RELEASE_DAY, and states which views must count it. The rules under test are those the views'
comments and docs/releases.md state: per-day counts take day-precision asserted or reported rows
only, monthly counts add month-precision rows, dyads need two different countries, and the
latest-events window ends on the newest publication day whatever the event dates say.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.io.release import DUCKDB_FILE, build_duckdb, check_contents, get_release, write_release
from flows.io.site import CHART_DAYS, daily_chart_svg, release_charts
from flows.io.site_map import place_map_svg, place_table_html, project
from flows.io.store import connect
from tests.flows.release_fixtures import Corpus, article_row, corpus_of, event_row
from tests.schemas.test_places_schema import TBILISI
from transforms.codebook import published_tables
from transforms.release_views import LATEST_DAYS, RELEASE_DAY_SQL, VIEWS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "releases.md"
RELEASE_DAY = dt.date(2024, 11, 20)
NEWEST = article_row("newest", dt.datetime(2024, 11, 20, 10, 0, tzinfo=dt.UTC))
OLDER = article_row("older", dt.datetime(2024, 11, 6, 12, 0, tzinfo=dt.UTC))
BASE_EVENT = event_row(NEWEST, "base", date=RELEASE_DAY)
AGGREGATES = ("events_daily", "events_monthly", "dyads_monthly")


def build(tmp_path: Path, corpus: Corpus, name: str = "release.duckdb") -> Path:
    """The DuckDB file of a release holding `corpus`, written by the release writer's builder."""
    path = tmp_path / name
    build_duckdb(path, published_tables(), {"events": corpus.events, "articles": corpus.articles})
    return path


def view_counts(path: Path) -> dict[str, int]:
    """Events counted by each aggregate view, and rows listed by latest_events."""
    con = connect(path, read_only=True)
    try:
        counts = {
            view: int(con.execute(f"SELECT coalesce(sum(events), 0)::BIGINT FROM {view}").fetchall()[0][0])
            for view in AGGREGATES
        }
        counts["latest_events"] = int(con.execute("SELECT count(*) FROM latest_events").fetchall()[0][0])
    finally:
        con.close()
    return counts


def frame(path: Path, sql: str) -> pl.DataFrame:
    con = connect(path, read_only=True)
    try:
        result = pl.from_arrow(con.sql(sql).to_arrow_table())
    finally:
        con.close()
    assert isinstance(result, pl.DataFrame)
    return result


@pytest.mark.parametrize(
    ("extra", "daily", "monthly", "dyads", "latest"),
    [
        (event_row(NEWEST, "day-asserted", date=dt.date(2024, 11, 19)), 1, 1, 1, 1),
        (event_row(NEWEST, "day-reported", date=dt.date(2024, 11, 19), claim_status="reported"), 1, 1, 1, 1),
        (event_row(NEWEST, "day-denied", date=dt.date(2024, 11, 19), claim_status="denied"), 0, 0, 0, 1),
        (event_row(NEWEST, "plan-in-window", date=dt.date(2024, 11, 15), claim_status="hypothetical"), 0, 0, 0, 1),
        (event_row(NEWEST, "plan-after-day", date=dt.date(2024, 11, 25), claim_status="hypothetical"), 0, 0, 0, 0),
        (event_row(NEWEST, "month-precision", date=dt.date(2024, 11, 1), date_precision="month"), 0, 1, 1, 1),
        (event_row(NEWEST, "year-precision", date=dt.date(2024, 1, 1), date_precision="year"), 0, 0, 0, 0),
        (
            event_row(
                NEWEST,
                "same-country",
                date=dt.date(2024, 11, 18),
                actor_country="NGA",
                target_country="NGA",
                actor_sector="COP",
                target_sector="OPP",
            ),
            1,
            1,
            0,
            1,
        ),
        (event_row(NEWEST, "no-target", date=dt.date(2024, 11, 18), target_country=None), 1, 1, 0, 1),
        (event_row(NEWEST, "no-actor-country", date=dt.date(2024, 11, 18), actor_country=None), 1, 1, 0, 1),
        (event_row(NEWEST, "first-day-of-window", date=RELEASE_DAY - dt.timedelta(days=LATEST_DAYS - 1)), 1, 1, 1, 1),
        (event_row(NEWEST, "day-before-window", date=RELEASE_DAY - dt.timedelta(days=LATEST_DAYS)), 1, 1, 1, 0),
        (
            event_row(
                OLDER,
                "misdated-into-next-year",
                date=dt.date(2025, 1, 1),
                date_precision="month",
                claim_status="reported",
            ),
            0,
            1,
            1,
            0,
        ),
    ],
    ids=[
        "day-asserted-counted-everywhere",
        "day-reported-counted-everywhere",
        "denied-only-listed",
        "hypothetical-in-window-only-listed",
        "hypothetical-after-release-day-nowhere",
        "month-precision-not-daily",
        "year-precision-in-no-aggregate",
        "same-country-not-a-dyad",
        "no-target-not-a-dyad",
        "no-actor-country-not-a-dyad",
        "first-day-of-window-listed",
        "day-before-window-not-listed",
        "future-misdated-not-listed-not-daily",
    ],
)
def test_which_views_count_a_row(
    tmp_path: Path, extra: dict[str, object], daily: int, monthly: int, dyads: int, latest: int
) -> None:
    base = view_counts(build(tmp_path, corpus_of([NEWEST, OLDER], [BASE_EVENT]), "base.duckdb"))
    assert base == {"events_daily": 1, "events_monthly": 1, "dyads_monthly": 1, "latest_events": 1}
    with_extra = view_counts(build(tmp_path, corpus_of([NEWEST, OLDER], [BASE_EVENT, extra], validate=False)))
    added = {view: with_extra[view] - base[view] for view in base}
    assert added == {"events_daily": daily, "events_monthly": monthly, "dyads_monthly": dyads, "latest_events": latest}


def test_a_future_dated_row_does_not_move_the_latest_window(tmp_path: Path) -> None:
    events = [
        BASE_EVENT,
        event_row(NEWEST, "first-day", date=RELEASE_DAY - dt.timedelta(days=LATEST_DAYS - 1)),
        event_row(NEWEST, "too-old", date=RELEASE_DAY - dt.timedelta(days=LATEST_DAYS)),
    ]
    future = event_row(OLDER, "future", date=dt.date(2025, 1, 1), date_precision="month", claim_status="reported")
    windows = []
    for name, rows in (("without", events), ("with", [*events, future])):
        path = build(tmp_path, corpus_of([NEWEST, OLDER], rows, validate=False), f"{name}.duckdb")
        windows.append(frame(path, "SELECT date FROM latest_events")["date"].to_list())
    assert windows[0] == windows[1] == [RELEASE_DAY, RELEASE_DAY - dt.timedelta(days=LATEST_DAYS - 1)]


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        ([NEWEST, OLDER], RELEASE_DAY),
        (
            [OLDER, article_row("late-evening", dt.datetime(2024, 11, 20, 23, 30, tzinfo=dt.UTC))],
            RELEASE_DAY,
        ),
        (
            [
                NEWEST,
                article_row(
                    "claims-2030",
                    dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                    fetched_at=dt.datetime(2024, 11, 21, 8, 0, tzinfo=dt.UTC),
                ),
            ],
            dt.date(2024, 11, 21),
        ),
        ([NEWEST, article_row("undated", None, fetched_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))], RELEASE_DAY),
        (
            [article_row("undated", None, fetched_at=dt.datetime(2024, 12, 1, 6, 0, tzinfo=dt.UTC))],
            dt.date(2024, 12, 1),
        ),
        ([], None),
    ],
    ids=[
        "newest-publication",
        "utc-day-whatever-the-reader-time-zone",
        "publication-after-fetch-counts-as-fetch",
        "undated-article-ignored",
        "no-dated-article-falls-back-to-fetch-day",
        "no-articles",
    ],
)
def test_the_release_day(tmp_path: Path, articles: list[dict[str, object]], expected: dt.date | None) -> None:
    path = build(tmp_path, corpus_of(articles, []))
    for time_zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        con = connect(path, read_only=True)
        try:
            con.execute(f"SET TimeZone = '{time_zone}'")
            assert con.execute(f"SELECT {RELEASE_DAY_SQL}").fetchall() == [(expected,)], time_zone
        finally:
            con.close()


def test_monthly_views_say_how_precise_and_how_attributed(tmp_path: Path) -> None:
    events = [
        BASE_EVENT,
        event_row(NEWEST, "reported", date=dt.date(2024, 11, 3), claim_status="reported"),
        event_row(NEWEST, "in-november", date=dt.date(2024, 11, 1), date_precision="month"),
        event_row(NEWEST, "denied", date=dt.date(2024, 11, 4), claim_status="denied"),
        event_row(NEWEST, "in-2024", date=dt.date(2024, 1, 1), date_precision="year"),
        event_row(OLDER, "october", date=dt.date(2024, 10, 30), action="ASSAULT", target_country="UKR"),
    ]
    path = build(tmp_path, corpus_of([NEWEST, OLDER], events))
    monthly = frame(
        path,
        "SELECT month, actor_country, quad_class, events, month_precision_events, reported_events FROM events_monthly",
    )
    assert monthly.rows() == [
        (dt.date(2024, 10, 1), "USA", 4, 1, 0, 0),
        (dt.date(2024, 11, 1), "USA", 1, 3, 1, 1),
    ]
    dyads = frame(
        path,
        "SELECT month, actor_country, target_country, events, cooperation_events, conflict_events FROM dyads_monthly",
    )
    assert dyads.rows() == [
        (dt.date(2024, 10, 1), "USA", "UKR", 1, 0, 1),
        (dt.date(2024, 11, 1), "USA", "CHN", 3, 3, 0),
    ]
    daily = frame(path, "SELECT date, events FROM events_daily")
    assert daily.rows() == [(dt.date(2024, 10, 30), 1), (dt.date(2024, 11, 3), 1), (RELEASE_DAY, 1)]
    latest = frame(path, "SELECT date, date_precision, claim_status FROM latest_events")
    assert latest.rows() == [
        (RELEASE_DAY, "day", "asserted"),
        (dt.date(2024, 11, 4), "day", "denied"),
        (dt.date(2024, 11, 3), "day", "reported"),
        (dt.date(2024, 11, 1), "month", "asserted"),
        (dt.date(2024, 10, 30), "day", "asserted"),
    ]


@pytest.mark.parametrize(
    ("view", "phrases"),
    [
        ("events_daily", ["date_precision = 'day'", "asserted or reported", "events_monthly"]),
        ("events_monthly", ["'day' or 'month'", "asserted or reported", "month_precision_events"]),
        ("dyads_monthly", ["two different", "asserted or reported", "known only to the year"]),
        ("events_one_a_day", ["one-a-day", "asserted or reported", "without an actor country are left out"]),
        ("latest_events", ["newest article publication", "after the release day are left out"]),
        ("events_by_place_monthly", ["asserted or reported", "geo_precision 1 or 2", "country_only_events"]),
        ("events_by_place", ["asserted or reported", "every precision", "filter on geo_precision"]),
    ],
    ids=lambda value: value if isinstance(value, str) else "rule",
)
def test_each_view_states_its_rule_in_its_comment_and_the_docs(tmp_path: Path, view: str, phrases: list[str]) -> None:
    path = build(tmp_path, corpus_of([NEWEST], [BASE_EVENT]))
    comment = frame(path, f"SELECT comment FROM duckdb_views() WHERE view_name = '{view}'")["comment"].to_list()
    assert len(comment) == 1
    for phrase in phrases:
        assert phrase in comment[0], phrase
    documented = re.search(rf"^\| `{view}` \| (.+) \|$", DOCS.read_text(), re.MULTILINE)
    assert documented, f"docs/releases.md has no row for {view}"
    assert "asserted" in documented.group(1) or view == "latest_events"


BATUMI = {
    **TBILISI,
    "place_text": "Batumi",
    "place_name": "Batumi",
    "geonameid": 615532,
    "admin1_code": "GE.04",
    "admin1_name": "Ajaria",
    "latitude": 41.64228,
    "longitude": 41.63392,
    "place_source": "sentence",
}
AJARIA = {
    **BATUMI,
    "place_text": "Ajaria",
    "place_name": "Ajaria",
    "geonameid": 615929,
    "latitude": 41.6,
    "longitude": 42.1,
    "geo_precision": 2,
    "place_source": "article",
}
GEORGIA = {
    **TBILISI,
    "place_text": None,
    "place_name": "Georgia",
    "geonameid": 614540,
    "admin1_code": None,
    "admin1_name": None,
    "latitude": 42.17,
    "longitude": 43.5,
    "geo_precision": 3,
    "place_source": "actor_country",
}
NOVEMBER = dt.date(2024, 11, 1)


def by_place_monthly(path: Path) -> list[tuple[object, ...]]:
    return frame(
        path,
        "SELECT month, place_country, admin1_code, admin1_name, quad_class, events, country_only_events "
        "FROM events_by_place_monthly",
    ).rows()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            event_row(NEWEST, "in-tbilisi", date=dt.date(2024, 11, 19), place=TBILISI),
            [(NOVEMBER, "GEO", "GE.TB", "Tbilisi", 1, 1, 0)],
        ),
        (
            event_row(NEWEST, "in-ajaria", date=dt.date(2024, 11, 19), place=AJARIA, action="ASSAULT"),
            [(NOVEMBER, "GEO", "GE.04", "Ajaria", 4, 1, 0)],
        ),
        (
            event_row(NEWEST, "in-georgia", date=dt.date(2024, 11, 19), place=GEORGIA),
            [(NOVEMBER, "GEO", None, None, 1, 1, 1)],
        ),
        (
            event_row(NEWEST, "month-in-tbilisi", date=NOVEMBER, date_precision="month", place=TBILISI),
            [(NOVEMBER, "GEO", "GE.TB", "Tbilisi", 1, 1, 0)],
        ),
        (event_row(NEWEST, "denied-in-tbilisi", date=dt.date(2024, 11, 19), claim_status="denied", place=TBILISI), []),
        (event_row(NEWEST, "year-in-tbilisi", date=dt.date(2024, 1, 1), date_precision="year", place=TBILISI), []),
        (event_row(NEWEST, "nowhere", date=dt.date(2024, 11, 19)), []),
    ],
    ids=[
        "town-counted-under-its-division",
        "division-counted-under-itself",
        "country-only-under-null-admin1",
        "month-precision-counted",
        "denied-not-counted",
        "year-precision-not-counted",
        "unplaced-not-counted",
    ],
)
def test_which_places_events_by_place_monthly_counts(
    tmp_path: Path, extra: dict[str, object], expected: list[tuple[object, ...]]
) -> None:
    assert by_place_monthly(build(tmp_path, corpus_of([NEWEST, OLDER], [BASE_EVENT]), "base.duckdb")) == []
    assert (
        by_place_monthly(build(tmp_path, corpus_of([NEWEST, OLDER], [BASE_EVENT, extra], validate=False))) == expected
    )


def placed_release(tmp_path: Path) -> Path:
    """Two events in Tbilisi (October and November), one in Batumi and one in Ajaria (both in
    the division Ajaria), one placed only at Georgia, one without a place."""
    events = [
        BASE_EVENT,
        event_row(OLDER, "tbilisi-october", date=dt.date(2024, 10, 30), place=TBILISI),
        event_row(NEWEST, "tbilisi-november", date=dt.date(2024, 11, 19), place=TBILISI, action="PROTEST"),
        event_row(NEWEST, "batumi", date=dt.date(2024, 11, 18), place=BATUMI),
        event_row(NEWEST, "ajaria", date=dt.date(2024, 11, 18), place=AJARIA),
        event_row(NEWEST, "georgia", date=dt.date(2024, 11, 17), place=GEORGIA),
    ]
    return build(tmp_path, corpus_of([NEWEST, OLDER], events))


def test_events_per_division_and_month_group_by_admin1_name(tmp_path: Path) -> None:
    path = placed_release(tmp_path)
    per_division = frame(
        path,
        "SELECT admin1_name, sum(events)::BIGINT AS events, sum(country_only_events)::BIGINT AS country_only "
        "FROM events_by_place_monthly GROUP BY admin1_name ORDER BY admin1_name NULLS LAST",
    )
    assert per_division.rows() == [("Ajaria", 2, 0), ("Tbilisi", 2, 0), (None, 1, 1)]
    months = frame(path, "SELECT DISTINCT month FROM events_by_place_monthly WHERE admin1_name = 'Tbilisi' ORDER BY 1")
    assert months["month"].to_list() == [dt.date(2024, 10, 1), NOVEMBER]


def test_events_by_place_gives_each_place_its_point(tmp_path: Path) -> None:
    path = placed_release(tmp_path)
    places = frame(
        path,
        "SELECT place_name, geo_precision, latitude, longitude, sum(events)::BIGINT AS events "
        "FROM events_by_place GROUP BY ALL ORDER BY events DESC, place_name",
    )
    assert places.rows() == [
        ("Tbilisi", 1, 41.6941, 44.8337, 2),
        ("Ajaria", 2, 41.6, 42.1, 1),
        ("Batumi", 1, 41.6423, 41.6339, 1),
        ("Georgia", 3, 42.17, 43.5, 1),
    ]
    tbilisi = frame(path, "SELECT quad_class, events FROM events_by_place WHERE place_name = 'Tbilisi' ORDER BY 1")
    assert tbilisi.rows() == [(1, 1), (4, 1)]
    totals = frame(
        path,
        "SELECT (SELECT sum(events) FROM events_by_place)::BIGINT AS mapped, "
        "(SELECT sum(events) FROM events_by_place_monthly)::BIGINT AS monthly",
    )
    assert totals.row(0) == (5, 5), "the map counts what the monthly view counts"


def test_the_page_maps_each_place_once_at_its_point(tmp_path: Path) -> None:
    corpus = corpus_of(
        [NEWEST, OLDER],
        [
            BASE_EVENT,
            event_row(OLDER, "tbilisi-talks", date=dt.date(2024, 10, 30), place=TBILISI),
            event_row(NEWEST, "tbilisi-clash", date=dt.date(2024, 11, 19), place=TBILISI, action="ASSAULT"),
            event_row(NEWEST, "batumi", date=dt.date(2024, 11, 18), place=BATUMI),
            event_row(NEWEST, "georgia", date=dt.date(2024, 11, 17), place=GEORGIA, action="ACCUSE"),
            event_row(NEWEST, "denied-in-batumi", date=dt.date(2024, 11, 18), place=BATUMI, claim_status="denied"),
        ],
    )
    places = release_charts(corpus.events, corpus.articles).places
    assert places.select("place_name", "events", "quad_1", "quad_3", "quad_4").rows() == [
        ("Tbilisi", 2, 1, 0, 1),
        ("Georgia", 1, 0, 1, 0),
        ("Batumi", 1, 1, 0, 0),
    ]
    svg = place_map_svg(places)
    circles = re.findall(
        r'<circle class="([^"]+)" data-place="(\w+)" data-events="(\d+)".*? cx="([\d.]+)" cy="([\d.]+)"', svg
    )
    assert [(kind, name, int(n)) for kind, name, n, _, _ in circles] == [
        ("place quad-4", "Tbilisi", 2),  # a tie between quad classes goes to the more conflictual
        ("place quad-3 country-only", "Georgia", 1),
        ("place quad-1", "Batumi", 1),
    ]
    x, y = project(41.6941, 44.8337)
    assert (float(circles[0][3]), float(circles[0][4])) == (round(x, 2), round(y, 2))
    assert '<title id="map-title">' in svg and "3 places with 4 events" in svg
    table = place_table_html(places)
    assert re.findall(r'<tr class="place" data-place="(\w+)"', table) == ["Tbilisi", "Georgia", "Batumi"]

    bare = corpus_of([NEWEST], [BASE_EVENT])
    unplaced = release_charts(bare.events, bare.articles).places
    assert unplaced.height == 0
    assert "No events with a place" in place_map_svg(unplaced) and place_table_html(unplaced) == ""


def test_the_docs_list_exactly_the_views() -> None:
    text = DOCS.read_text()
    objects = text[text.index("| object | what it is |") :].split("\n\n")[0]
    listed = re.findall(r"^\| `(\w+)` \|", objects, re.MULTILINE)
    assert listed == ["events", "articles", "article_places", *(view.name for view in VIEWS)]


OTHER_OUTLET = article_row("other-outlet", dt.datetime(2024, 11, 19, 18, 0, tzinfo=dt.UTC), source="Northern Ledger")
SAME_OUTLET = article_row("same-outlet-later", dt.datetime(2024, 11, 20, 12, 0, tzinfo=dt.UTC))
DAY = dt.date(2024, 11, 19)


def one_a_day(tmp_path: Path, events: list[dict[str, object]]) -> pl.DataFrame:
    path = build(tmp_path, corpus_of([NEWEST, OLDER, OTHER_OUTLET, SAME_OUTLET], events, validate=False))
    return frame(
        path,
        "SELECT date, actor_country, action, target_country, reports, articles, sources, evidence "
        "FROM events_one_a_day ORDER BY ALL",
    )


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (
            [event_row(NEWEST, "a", date=DAY), event_row(OTHER_OUTLET, "b", date=DAY)],
            [(DAY, "USA", "CONSULT", "CHN", 2, 2, 2)],
        ),
        (
            [event_row(NEWEST, "a", date=DAY), event_row(SAME_OUTLET, "b", date=DAY, claim_status="reported")],
            [(DAY, "USA", "CONSULT", "CHN", 2, 2, 1)],
        ),
        (
            [event_row(NEWEST, "a", date=DAY), event_row(OTHER_OUTLET, "b", date=DAY - dt.timedelta(days=1))],
            [(DAY - dt.timedelta(days=1), "USA", "CONSULT", "CHN", 1, 1, 1), (DAY, "USA", "CONSULT", "CHN", 1, 1, 1)],
        ),
        (
            [event_row(NEWEST, "a", date=DAY), event_row(OTHER_OUTLET, "b", date=DAY, action="ACCUSE")],
            [(DAY, "USA", "ACCUSE", "CHN", 1, 1, 1), (DAY, "USA", "CONSULT", "CHN", 1, 1, 1)],
        ),
        (
            [event_row(NEWEST, "a", date=DAY), event_row(OTHER_OUTLET, "b", date=DAY, target_country="RUS")],
            [(DAY, "USA", "CONSULT", "CHN", 1, 1, 1), (DAY, "USA", "CONSULT", "RUS", 1, 1, 1)],
        ),
        (
            [event_row(NEWEST, "a", date=DAY), event_row(OTHER_OUTLET, "b", date=DAY, target_sector="MIL")],
            [(DAY, "USA", "CONSULT", "CHN", 1, 1, 1), (DAY, "USA", "CONSULT", "CHN", 1, 1, 1)],
        ),
        (
            [
                event_row(NEWEST, "denied", date=DAY, claim_status="denied"),
                event_row(NEWEST, "planned", date=DAY, claim_status="hypothetical"),
                event_row(NEWEST, "month", date=dt.date(2024, 11, 1), date_precision="month"),
                event_row(NEWEST, "no-country", date=DAY, actor_country=None),
            ],
            [],
        ),
    ],
    ids=[
        "two-outlets-one-event",
        "same-outlet-twice-one-source",
        "different-days-two-events",
        "different-actions-two-events",
        "different-targets-two-events",
        "different-target-sectors-two-events",
        "denied-planned-month-and-countryless-left-out",
    ],
)
def test_one_a_day_counts_an_event_once_however_often_it_was_told(
    tmp_path: Path, events: list[dict[str, object]], expected: list[tuple[object, ...]]
) -> None:
    rows = one_a_day(tmp_path, events)
    assert [row[:7] for row in rows.rows()] == expected


def test_one_a_day_shows_the_most_confident_telling(tmp_path: Path) -> None:
    rows = one_a_day(
        tmp_path,
        [
            event_row(NEWEST, "weak", date=DAY, confidence=0.41),
            event_row(OTHER_OUTLET, "strong", date=DAY, confidence=0.93),
            event_row(SAME_OUTLET, "middling", date=DAY, confidence=0.7),
        ],
    )
    assert rows.select("reports", "articles", "sources", "evidence").rows() == [(3, 3, 2, "Golden sentence strong.")]


def test_the_page_charts_the_days_up_to_the_release_day(tmp_path: Path) -> None:
    events = [
        BASE_EVENT,
        event_row(NEWEST, "week-ago", date=RELEASE_DAY - dt.timedelta(days=7), action="ASSAULT"),
        event_row(NEWEST, "in-november", date=dt.date(2024, 11, 1), date_precision="month"),
        event_row(NEWEST, "denied", date=dt.date(2024, 11, 4), claim_status="denied"),
        event_row(NEWEST, "long-ago", date=RELEASE_DAY - dt.timedelta(days=CHART_DAYS)),
        event_row(
            NEWEST,
            "domestic",
            date=dt.date(2024, 11, 12),
            actor_country="NGA",
            target_country="NGA",
            actor_sector="COP",
            target_sector="OPP",
        ),  # fmt: skip
        event_row(OLDER, "future", date=dt.date(2025, 1, 1), date_precision="month", claim_status="reported"),
    ]
    corpus = corpus_of([NEWEST, OLDER], events, validate=False)
    charts = release_charts(corpus.events, corpus.articles)
    assert charts.release_day == RELEASE_DAY
    assert charts.first_day == RELEASE_DAY - dt.timedelta(days=CHART_DAYS - 1)
    assert charts.daily.rows() == [
        (dt.date(2024, 11, 12), 1, 1),
        (RELEASE_DAY - dt.timedelta(days=7), 4, 1),
        (RELEASE_DAY, 1, 1),
    ]
    assert charts.dyads.rows() == [("USA", "CHN", 5)], "the domestic and the denied event are no dyad"

    svg = daily_chart_svg(charts.daily, charts.first_day, RELEASE_DAY)
    assert f'data-last-day="{RELEASE_DAY.isoformat()}"' in svg
    assert re.findall(r'data-date="([\d-]+)"', svg) == ["2024-11-12", "2024-11-13", "2024-11-20"]


def test_an_older_release_without_a_newer_view_still_verifies(tmp_path: Path) -> None:
    corpus = corpus_of([NEWEST, OLDER], [BASE_EVENT])
    result = write_release(
        tmp_path / "releases", corpus.events, corpus.articles, now=dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    )
    release = get_release(tmp_path / "releases", result.version)
    older = tmp_path / "older"
    shutil.copytree(release.path, older)
    (older / DUCKDB_FILE).chmod(0o644)
    con = duckdb.connect(str(older / DUCKDB_FILE), config={"autoinstall_known_extensions": False})
    try:
        con.execute("DROP VIEW events_monthly")
        con.execute("CHECKPOINT")
    finally:
        con.close()

    assert check_contents(older, release.manifest) == []
    problems = check_contents(older, release.manifest, required_views=[view.name for view in VIEWS])
    assert [(p.path, p.problem) for p in problems] == [(DUCKDB_FILE, "view events_monthly is missing")]
