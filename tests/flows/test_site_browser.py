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

from flows.release import get_release, read_events, write_release
from flows.site import top_dyads, write_site
from tests.flows.release_fixtures import make_corpus

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
    """Two releases and their page, served over HTTP on 127.0.0.1."""
    root = tmp_path / "releases"
    corpus = make_corpus(articles=60, events_per_article=3, start=dt.date(2024, 7, 1), days=60, seed=41)
    more = corpus + make_corpus(articles=5, events_per_article=2, start=dt.date(2024, 8, 20), days=5, seed=42)
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
            assert "190" in rows.nth(0).inner_text()

            daily_bars = page.locator("#chart-daily rect.bar")
            assert daily_bars.count() > 10
            boxes = [daily_bars.nth(i).bounding_box() for i in range(daily_bars.count())]
            assert all(box is not None and box["height"] > 0 and box["width"] > 0 for box in boxes)
            assert page.locator("#chart-daily rect.quad-4").count() > 0
            legend = page.locator("p.legend")
            assert legend.is_visible() and "4 material conflict" in legend.inner_text()

            dyads = top_dyads(read_events(get_release(root)))
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
