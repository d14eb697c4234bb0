"""A run against a hostile site, with the fetcher's default settings, holds to its time.

The site (on 127.0.0.1 only) serves good pages, pages that answer 5xx or 429 for a while,
one that never stops failing, a 60 s stall, an endless body, a 50 MB page, a gzip bomb, a
redirect loop, a redirect to a private address, robots-disallowed pages, a PDF, a consent
wall, a 404, a 410, a broken feed and an entity-bomb feed. The first run must end within
120 s with every URL stored or quarantined for its reason; the next run within 30 s,
fetching none of the failures again (the permanent ones wait for a re-list, the transient
ones for their backoff), with nothing lost.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.ingest import IngestSummary, ingest
from tests.flows.httpfaults import (
    BILLION_LAUGHS,
    BROKEN_FEED,
    CONSENT_WALL,
    ConnectionLog,
    FaultServer,
    RequestInfo,
    Response,
    article_html,
    endless,
    gzip_bomb,
    rss,
)

HTML = {"Content-Type": "text/html; charset=utf-8"}
GOOD = [f"/news/{n}.html" for n in range(1, 8)]
OUTCOMES: dict[str, tuple[str, str] | str] = {
    **{path: "stored" for path in GOOD},
    "/flaky.html": "stored",
    "/rate-limited.html": "stored",
    "/always-500.html": ("fetch", "http_500"),
    "/stall.html": ("fetch", "timeout"),
    "/endless.html": ("fetch", "too_large"),
    "/fifty-megabytes.html": ("fetch", "too_large"),
    "/gzip-bomb.html": ("fetch", "too_large"),
    "/loop-a.html": ("fetch", "redirect_loop"),
    "/to-private.html": ("fetch", "blocked_address"),
    "/private/one.html": ("fetch", "robots"),
    "/private/two.html": ("fetch", "robots"),
    "/report.pdf": ("fetch", "content_type"),
    "/consent.html": ("extract", "no_text"),
    "/missing.html": ("fetch", "http_404"),
    "/gone.html": ("fetch", "http_410"),
}
"""What becomes of each page the site's feed lists: stored, or quarantined at (stage, reason)."""
FEED_OUTCOMES = {
    "/broken.xml": ("discover", "bad_xml"),
    "/broken.xml#0": ("discover", "no_link"),
    "/bomb.xml": ("discover", "bad_xml"),
}
TRANSIENT = {"/always-500.html", "/stall.html"}


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[FaultServer]:
    server = FaultServer().start()
    server.set("/robots.txt", Response(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    for path in [*GOOD, "/private/one.html", "/private/two.html"]:
        server.set(path, Response(200, article_html(path.strip("/").replace("/", "-")).encode(), HTML))

    def flaky(info: RequestInfo) -> Response:
        return Response(503, b"busy") if info.count <= 2 else Response(200, article_html("flaky").encode(), HTML)

    def rate_limited(info: RequestInfo) -> Response:
        if info.count == 1:
            return Response(429, b"slow down", {"Retry-After": "1"})
        return Response(200, article_html("rate-limited").encode(), HTML)

    server.set("/flaky.html", flaky)
    server.set("/rate-limited.html", rate_limited)
    server.set("/always-500.html", Response(500, b"boom"))
    server.set("/stall.html", Response(200, article_html("stall").encode(), HTML, delay=60.0))
    server.set("/endless.html", Response(200, headers=HTML, stream=endless()))
    server.set(
        "/fifty-megabytes.html",
        Response(200, headers={**HTML, "Content-Length": str(50 * 1024 * 1024)}, stream=endless()),
    )
    server.set("/gzip-bomb.html", Response(200, gzip_bomb(64 * 1024 * 1024), {**HTML, "Content-Encoding": "gzip"}))
    server.set("/loop-a.html", Response(302, b"", {"Location": "/loop-b.html"}))
    server.set("/loop-b.html", Response(302, b"", {"Location": "/loop-a.html"}))
    server.set("/to-private.html", Response(302, b"", {"Location": f"http://10.0.0.1:{server.port}/news/1.html"}))
    server.set("/report.pdf", Response(200, b"%PDF-1.7", {"Content-Type": "application/pdf"}))
    server.set("/consent.html", Response(200, CONSENT_WALL.encode(), HTML))
    server.set("/gone.html", Response(410, b"gone"))
    server.set("/broken.xml", Response(200, BROKEN_FEED, {"Content-Type": "application/rss+xml"}))
    server.set("/bomb.xml", Response(200, BILLION_LAUGHS, {"Content-Type": "application/rss+xml"}))
    # No validators: the feed lists every page again in every run, failures included.
    listing = rss([(path.strip("/"), server.url(path)) for path in OUTCOMES])
    server.set("/site.xml", Response(200, listing, {"Content-Type": "application/rss+xml"}))
    yield server
    server.stop()


def sources_file(folder: Path, server: FaultServer) -> str:
    """The site's three feeds, with the fetcher's defaults; only the allow-list is set."""
    entries = "".join(
        f'\n[[source]]\nname = "{name}"\nkind = "feed"\nurl = "{server.url(f"/{name}.xml")}"\n'
        for name in ("site", "broken", "bomb")
    )
    path = folder / "sources.toml"
    path.write_text('[fetch]\nallow_hosts = ["127.0.0.1"]\n' + entries, encoding="utf-8")
    return str(path)


def query(store: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, hostile_site: FaultServer, prefect_harness: None) -> dict:
    folder = tmp_path_factory.mktemp("hostile")
    store = folder / "eventwire.duckdb"
    sources = sources_file(folder, hostile_site)
    timings: list[float] = []
    summaries: list[IngestSummary] = []
    requests_before: list[int] = []
    with ConnectionLog.recording() as connections:
        for _run in range(2):
            requests_before.append(len(hostile_site.requests))
            started = time.monotonic()
            summaries.append(ingest(sources=sources, fetcher="http", store_path=str(store)))
            timings.append(time.monotonic() - started)
    second_requests = [r.path for r in hostile_site.requests[requests_before[1] :]]
    return {
        "store": store,
        "summaries": summaries,
        "timings": timings,
        "second_requests": second_requests,
        "connections": connections,
    }


def test_the_first_run_ends_within_two_minutes(two_runs: dict) -> None:
    assert two_runs["timings"][0] <= 120, f"first run took {two_runs['timings'][0]:.0f} s"


def test_the_next_run_ends_within_thirty_seconds(two_runs: dict) -> None:
    assert two_runs["timings"][1] <= 30, f"second run took {two_runs['timings'][1]:.0f} s"


def test_every_url_ends_stored_or_quarantined_for_its_reason(two_runs: dict, hostile_site: FaultServer) -> None:
    prefix = f"http://127.0.0.1:{hostile_site.port}"
    stored = {url.removeprefix(prefix) for (url,) in query(two_runs["store"], "SELECT url FROM articles")}
    quarantined = {
        item.removeprefix(prefix): (stage, reason)
        for item, stage, reason in query(two_runs["store"], "SELECT item, stage, reason FROM quarantine")
    }
    expected_stored = {path for path, outcome in OUTCOMES.items() if outcome == "stored"}
    expected_quarantined = {path: o for path, o in OUTCOMES.items() if o != "stored"} | FEED_OUTCOMES
    assert (stored, quarantined) == (expected_stored, expected_quarantined)


def test_the_next_run_fetches_no_failure_again_and_loses_nothing(two_runs: dict) -> None:
    first, second = two_runs["summaries"]
    assert first.new == len([o for o in OUTCOMES.values() if o == "stored"])
    assert (second.new, second.fetched, second.retried) == (0, 0, 0)
    assert second.seen == first.new and second.backing_off == len(TRANSIENT)
    assert second.given_up == len(OUTCOMES) - first.new - len(TRANSIENT)
    assert sorted(set(two_runs["second_requests"])) == ["/bomb.xml", "/broken.xml", "/robots.txt", "/site.xml"]
    ((articles,),) = query(two_runs["store"], "SELECT count(*) FROM articles")
    assert articles == first.new


def test_failures_are_remembered_by_kind_with_a_backoff_for_the_transient_ones(
    two_runs: dict, hostile_site: FaultServer
) -> None:
    prefix = f"http://127.0.0.1:{hostile_site.port}"
    rows = query(
        two_runs["store"],
        "SELECT url, failure_kind, failed_attempts, next_attempt_at IS NOT NULL FROM fetch_state"
        " WHERE failure_reason IS NOT NULL",
    )
    kinds = {url.removeprefix(prefix): (kind, attempts, backoff) for url, kind, attempts, backoff in rows}
    failed = {path for path, outcome in OUTCOMES.items() if outcome != "stored"}
    assert set(kinds) == failed
    assert {p for p, (kind, _, backoff) in kinds.items() if kind == "transient" and backoff} == TRANSIENT
    assert all(kind == "permanent" and not backoff for p, (kind, _, backoff) in kinds.items() if p not in TRANSIENT)


def test_the_stall_was_tried_once_and_the_flaky_pages_within_the_run(two_runs: dict, hostile_site: FaultServer) -> None:
    assert hostile_site.hits("/stall.html") == 1
    assert hostile_site.hits("/always-500.html") == 3, "the fetcher's two retries, then the next runs' schedule"
    assert (hostile_site.hits("/flaky.html"), hostile_site.hits("/rate-limited.html")) == (3, 2)


def test_no_connection_left_127_0_0_1(two_runs: dict) -> None:
    assert {host for host, _ in two_runs["connections"]} == {"127.0.0.1"}


def test_a_host_out_of_time_defers_its_remaining_pages_to_the_next_run(
    tmp_path: Path, hostile_site: FaultServer, prefect_harness: None
) -> None:
    """Two seconds for the host: slow pages cost it, the rest wait, and come in the next run."""
    paths = [f"/slow/{n}.html" for n in range(6)]
    for path in paths:
        hostile_site.set(path, Response(200, article_html(path.strip("/").replace("/", "-")).encode(), HTML, delay=0.8))
    hostile_site.set(
        "/slow.xml",
        Response(200, rss([(p, hostile_site.url(p)) for p in paths]), {"Content-Type": "application/rss+xml"}),
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[fetch]\nallow_hosts = ["127.0.0.1"]\nmin_host_interval = 0\nmax_host_concurrency = 1\nhost_budget_seconds = 2.0\n'
        f'\n[[source]]\nname = "slow"\nkind = "feed"\nurl = "{hostile_site.url("/slow.xml")}"\n',
        encoding="utf-8",
    )
    store = tmp_path / "eventwire.duckdb"
    first = ingest(sources=str(sources), fetcher="http", store_path=str(store))
    assert first.new >= 1 and first.deferred >= 1 and first.quarantined == 0
    assert first.new + first.deferred == len(paths)
    runs = [first]
    while sum(r.new for r in runs) < len(paths) and len(runs) < 8:
        runs.append(ingest(sources=str(sources), fetcher="http", store_path=str(store)))
    assert sum(r.new for r in runs) == len(paths), "every deferred page came in a later run"
    ((quarantined,),) = query(store, "SELECT count(*) FROM quarantine")
    assert quarantined == 0
