"""releases/index.html as a visitor sees it, in headless Chromium, served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from flows.io.release import get_release, read_articles, read_events, write_release
from flows.io.site import CHART_DAYS, release_charts, write_site
from flows.io.store import connect
from tests.flows.release_fixtures import article_row, corpus_of, event_row, make_corpus

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_releases(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Two releases and their page, served over HTTP on 127.0.0.1. The second holds a plan
    dated months after its newest article (a hypothetical event), which must not pull the
    chart's window forward. Most events have a place, for the map."""
    root = tmp_path / "releases"
    corpus = make_corpus(articles=60, events_per_article=3, start=dt.date(2024, 7, 1), days=60, seed=41, places=True)
    planning = article_row("planning", dt.datetime(2024, 8, 10, 8, 0, tzinfo=dt.UTC))
    plan = event_row(planning, "summit-plan", date=dt.date(2025, 3, 1), claim_status="hypothetical")
    more = (
        corpus
        + make_corpus(articles=5, events_per_article=2, start=dt.date(2024, 8, 20), days=5, seed=42)
        + corpus_of([planning], [plan])
    )
    write_release(root, corpus.events, corpus.articles, now=NOW)
    write_release(root, more.events, more.articles, now=NOW + dt.timedelta(days=1))
    write_site(root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()


def expected_daily_bars(root: Path) -> tuple[dt.date, list[tuple[str, int]]]:
    """The release day (newest publication) of the latest release and the (day, events) of each
    bar the page must draw, read from the release's own `events_daily` view."""
    latest = get_release(root)
    newest_publication = read_articles(latest)["published_at"].max()
    assert isinstance(newest_publication, dt.datetime)
    release_day = newest_publication.date()
    con = connect(latest.path / "eventwire.duckdb", read_only=True)
    try:
        rows = con.execute(
            "SELECT date, quad_class, sum(events)::BIGINT FROM events_daily WHERE date BETWEEN $first AND $last "
            "GROUP BY ALL ORDER BY date, quad_class",
            {"first": release_day - dt.timedelta(days=CHART_DAYS - 1), "last": release_day},
        ).fetchall()
    finally:
        con.close()
    return release_day, [(day.isoformat(), int(n)) for day, _quad, n in rows]


def expected_places(root: Path) -> list[tuple[str, int]]:
    """The (place, events) the map must draw, read from the latest release's `events_by_place`."""
    con = connect(get_release(root).path / "eventwire.duckdb", read_only=True)
    try:
        rows = con.execute(
            "SELECT place_name, sum(events)::BIGINT FROM events_by_place "
            "GROUP BY place_name, geonameid, place_country, admin1_code, admin1_name, geo_precision ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    return [(name, int(n)) for name, n in rows]


def check_the_map(page: Page, root: Path) -> None:
    """The map: one circle per place of the release's view, each where its longitude and latitude
    put it on the equirectangular grid, sized by events; a name, a description and a table."""
    expected = expected_places(root)
    assert len(expected) >= 5
    figure = page.get_by_role("img", name="Where the events of the latest release happened")
    assert figure.count() == 1 and figure.is_visible()
    description = page.locator("#" + (figure.get_attribute("aria-describedby") or "missing")).text_content() or ""
    top_place, top_events = max(expected, key=lambda item: (item[1], item[0]))
    assert f"{len(expected)} places with {sum(n for _, n in expected)} events" in description
    assert f"{top_place}" in description and str(top_events) in description

    circles = page.locator("#map circle.place")
    shown = sorted(
        (circles.nth(i).get_attribute("data-place") or "", int(circles.nth(i).get_attribute("data-events") or 0))
        for i in range(circles.count())
    )
    assert shown == expected
    frame = figure.bounding_box()
    assert frame is not None and frame["width"] > 800 and frame["height"] > 400
    sizes = {}
    for i in range(circles.count()):
        circle = circles.nth(i)
        box = circle.bounding_box()
        assert box is not None and box["width"] > 0
        longitude = (box["x"] + box["width"] / 2 - frame["x"]) / frame["width"] * 360 - 180
        latitude = 90 - (box["y"] + box["height"] / 2 - frame["y"]) / frame["height"] * 180
        assert abs(longitude - float(circle.get_attribute("data-lon") or "nan")) < 1.0
        assert abs(latitude - float(circle.get_attribute("data-lat") or "nan")) < 1.0
        sizes[circle.get_attribute("data-place")] = (int(circle.get_attribute("data-events") or 0), box["width"])
    by_events = sorted(sizes.values())
    assert [width for _, width in by_events] == sorted(width for _, width in by_events), "more events, bigger circle"
    assert page.locator("#map circle.country-only").count() >= 1
    assert "ring: placed only at a country" in page.locator("#map-legend").inner_text()

    table = page.locator("#map-places")
    assert not table.is_visible(), "the table is folded under the map"
    page.locator("details summary", has_text="mapped places").click()
    assert table.is_visible()
    first = table.locator("tbody tr").first
    assert table.locator("tbody tr").count() == len(expected)
    assert first.get_attribute("data-place") == top_place and str(top_events) in first.inner_text()


@pytest.mark.slow
def test_a_visitor_sees_the_releases_and_charts_with_bars(served_releases: tuple[str, Path], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    url, root = served_releases
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            response = page.goto(url + "index.html")
            assert response is not None and response.ok

            rows = page.locator("#releases tbody tr.release")
            assert rows.count() == 2
            assert rows.nth(0).get_attribute("data-version") == "2026.11.26.1"
            assert "latest" in rows.nth(0).inner_text()
            assert "latest" not in rows.nth(1).inner_text()
            assert "191" in rows.nth(0).inner_text()

            release_day, expected_bars = expected_daily_bars(root)
            chart = page.locator("#chart-daily")
            assert chart.get_attribute("data-last-day") == release_day.isoformat()
            assert (
                chart.get_attribute("data-first-day") == (release_day - dt.timedelta(days=CHART_DAYS - 1)).isoformat()
            )
            assert f"the {CHART_DAYS} days up to {release_day.isoformat()}" in page.locator("h2").first.inner_text()
            daily_bars = page.locator("#chart-daily rect.bar")
            shown = [
                (daily_bars.nth(i).get_attribute("data-date"), int(daily_bars.nth(i).get_attribute("data-events") or 0))
                for i in range(daily_bars.count())
            ]
            assert shown == expected_bars
            assert len(shown) > 10
            assert max(day for day, _ in shown if day) >= (release_day - dt.timedelta(days=3)).isoformat()
            boxes = [daily_bars.nth(i).bounding_box() for i in range(daily_bars.count())]
            assert all(box is not None and box["height"] > 0 and box["width"] > 0 for box in boxes)
            assert page.locator("#chart-daily rect.quad-4").count() > 0
            legend = page.locator("p.legend").first
            assert legend.is_visible() and "4 material conflict" in legend.inner_text()

            latest = get_release(root)
            dyads = release_charts(read_events(latest), read_articles(latest)).dyads
            dyad_bars = page.locator("#chart-dyads rect.bar")
            assert dyad_bars.count() == dyads.height > 0
            actor, target, n = dyads.row(0)
            assert page.locator("#chart-dyads text").first.text_content() == f"{actor} → {target}"
            widths = [dyad_bars.nth(i).bounding_box()["width"] for i in range(dyad_bars.count())]  # type: ignore[index]
            assert widths == sorted(widths, reverse=True), "the most active dyad comes first"

            check_the_map(page, root)

            href = rows.nth(0).locator("a", has_text="DuckDB").get_attribute("href")
            assert href == "2026.11.26.1/eventwire.duckdb"
            download = page.request.get(url + href)
            assert download.ok and download.body() == (root / "2026.11.26.1" / "eventwire.duckdb").read_bytes()
            page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
        finally:
            browser.close()
    assert requested and all(urlparse(u).hostname == "127.0.0.1" for u in requested), requested
