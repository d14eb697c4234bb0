"""releases/index.html as a visitor sees it, in headless Chromium, served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from flows.io.release import get_release, read_articles, read_events, write_release
from flows.io.site import CHART_DAYS, release_charts, write_site
from flows.io.store import connect
from tests.flows.release_fixtures import article_row, corpus_of, event_row, make_corpus

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
    chart's window forward."""
    root = tmp_path / "releases"
    corpus = make_corpus(articles=60, events_per_article=3, start=dt.date(2024, 7, 1), days=60, seed=41)
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
            legend = page.locator("p.legend")
            assert legend.is_visible() and "4 material conflict" in legend.inner_text()

            latest = get_release(root)
            dyads = release_charts(read_events(latest), read_articles(latest)).dyads
            dyad_bars = page.locator("#chart-dyads rect.bar")
            assert dyad_bars.count() == dyads.height > 0
            actor, target, n = dyads.row(0)
            assert page.locator("#chart-dyads text").first.text_content() == f"{actor} → {target}"
            widths = [dyad_bars.nth(i).bounding_box()["width"] for i in range(dyad_bars.count())]  # type: ignore[index]
            assert widths == sorted(widths, reverse=True), "the most active dyad comes first"

            href = rows.nth(0).locator("a", has_text="DuckDB").get_attribute("href")
            assert href == "2026.11.26.1/eventwire.duckdb"
            download = page.request.get(url + href)
            assert download.ok and download.body() == (root / "2026.11.26.1" / "eventwire.duckdb").read_bytes()
            page.screenshot(path=str(tmp_path / "index.png"))
        finally:
            browser.close()
    assert requested and all(urlparse(u).hostname == "127.0.0.1" for u in requested), requested
