"""The `ingest` flow: on the offline samples, and against a fault server on 127.0.0.1.

Every fault ends as a stored article or a quarantine row with a reason; the run completes;
nothing already stored is lost; a run with nothing new costs one conditional GET per feed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.cli.extract_cli import extract_command
from flows.ingest import ingest
from flows.io.fetching import HttpStatusError
from flows.io.rawstore import RawStore
from flows.io.store import Store
from tests.flows.httpfaults import (
    BILLION_LAUGHS,
    BROKEN_FEED,
    CONSENT_WALL,
    ConnectionLog,
    FaultServer,
    Response,
    article_html,
    endless,
    gzip_bomb,
    rss,
    story_paragraphs,
)
from transforms.extract import ArticleParseError
from transforms.urls import article_id_for_url

SAMPLES = "https://wire.eventwire-samples.test/"


def query(store_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(store_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> dict:
    """Two ingest runs of the offline samples into one store."""
    store = tmp_path_factory.mktemp("samples") / "eventwire.duckdb"
    first = ingest(store_path=str(store))
    articles_after_first = query(store, "SELECT * FROM articles ORDER BY article_id")
    second = ingest(store_path=str(store))
    return {"store": store, "first": first, "second": second, "articles_after_first": articles_after_first}


def test_offline_samples_give_the_documented_totals(sample_runs: dict) -> None:
    first = sample_runs["first"]
    assert (first.sources, first.discovered, first.fetched, first.new) == (2, 36, 34, 31)
    assert (first.duplicates, first.near_duplicates, first.quarantined) == (2, 1, 3)
    health = {h.source_name: h for h in first.health}
    assert (health["sample-wire"].new, health["sample-wire"].quarantined) == (26, 3)
    assert (health["sample-inbox"].new, health["sample-inbox"].fetched) == (5, 5)
    assert all(h.last_success is not None and h.last_error is None for h in first.health)
    assert json.loads(json.dumps(first.as_dict(), default=str))["new"] == 31


def test_faulty_sample_pages_are_quarantined_with_reasons(sample_runs: dict) -> None:
    rows = query(sample_runs["store"], "SELECT item, stage, reason, count FROM quarantine ORDER BY item")
    assert [(item.removeprefix(SAMPLES), stage, reason) for item, stage, reason, _ in rows] == [
        ("world/2024/09/30/maiduguri-dam-floods-aid.html", "extract", "no_text"),
        ("world/2024/11/08/ethiopia-somalia-ankara-talks.html", "extract", "no_text"),
        ("world/2024/11/19/g20-rio-hunger-alliance.html", "fetch", "http_404"),
    ]
    assert [count for *_, count in rows] == [1, 1, 1], "permanent failures: the second run did not fetch them again"


def test_syndicated_copy_is_linked_to_the_earlier_original(sample_runs: dict) -> None:
    original = article_id_for_url(SAMPLES + "world/2024/10/16/north-korea-blows-up-border-roads.html")
    copy = SAMPLES + "partners/northstar-daily/2024/10/16/pyongyang-demolishes-inter-korean-roads.html"
    ((status, duplicate_of),) = query(
        sample_runs["store"], "SELECT status, duplicate_of FROM articles WHERE url = ?", [copy]
    )
    assert (status, duplicate_of) == ("near_duplicate", original)


def test_tracking_parameter_url_is_folded_into_one_article_titled_from_the_page(sample_runs: dict) -> None:
    rows = query(
        sample_runs["store"],
        "SELECT url, title FROM articles WHERE canonical_url LIKE '%scarborough-shoal-water-cannon.html'",
    )
    assert len(rows) == 1
    url, title = rows[0]
    assert "utm_" not in url and title.startswith("China and the Philippines")


def test_dates_by_month_and_the_undated_explainer(sample_runs: dict) -> None:
    months = dict(
        query(
            sample_runs["store"],
            "SELECT coalesce(strftime(published_at, '%Y-%m'), 'none'), count(*) FROM articles WHERE status = 'ok' GROUP BY ALL",
        )
    )
    assert months == {"2024-09": 8, "2024-10": 9, "2024-11": 13, "none": 1}
    ((published, source),) = query(
        sample_runs["store"],
        "SELECT published_at, published_source FROM articles WHERE url LIKE '%peace-treaty-explainer%'",
    )
    assert (published, source) == (None, "none")


def test_seed_page_is_stored_without_its_comment_box_and_cookie_banner(sample_runs: dict) -> None:
    ((text, published),) = query(
        sample_runs["store"], "SELECT text, published_at FROM articles WHERE url LIKE '%zelensky-north-korea-troops%'"
    )
    assert published.date() == dt.date(2024, 10, 14)
    lowered = text.lower()
    assert "post a comment" not in lowered and "cookies" not in lowered and "spam" not in lowered


def test_raw_bytes_are_kept_content_addressed(sample_runs: dict) -> None:
    store: Path = sample_runs["store"]
    raw = RawStore(store.parent / "raw")
    rows = query(store, "SELECT url, content_sha256 FROM articles")
    assert rows and all(digest for _, digest in rows)
    url, digest = next(r for r in rows if r[0].endswith("gaza-polio-vaccination-pauses.html"))
    body = raw.get(digest)
    assert (
        body
        == (
            Path(__file__).resolve().parents[2]
            / "data/samples/site/world/2024/09/03/gaza-polio-vaccination-pauses.html"
        ).read_bytes()
    )


def test_second_run_fetches_nothing_new_and_loses_nothing(sample_runs: dict) -> None:
    second = sample_runs["second"]
    assert (second.new, second.duplicates, second.not_modified, second.seen) == (0, 0, 1, 5)
    assert second.discovered == 5, "the unchanged feed answered 304, only the folder was listed"
    assert (second.retried, second.fetched) == (0, 0), "the three failures are permanent: not fetched again unlisted"
    after = query(sample_runs["store"], "SELECT * FROM articles ORDER BY article_id")
    assert after == sample_runs["articles_after_first"]
    ((runs,),) = query(sample_runs["store"], "SELECT count(*) FROM runs WHERE flow = 'ingest'")
    assert runs == 2


def test_source_health_table(sample_runs: dict) -> None:
    rows = query(
        sample_runs["store"],
        "SELECT source_name, total_new, total_quarantined, not_modified, last_success IS NOT NULL FROM source_health ORDER BY 1",
    )
    assert rows == [("sample-inbox", 5, 0, 0, True), ("sample-wire", 26, 3, 1, True)]


@pytest.fixture(scope="module")
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer().start()
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.set("/robots.txt", Response(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    for n in (1, 2, 3):
        server.set(f"/ok/{n}.html", Response(200, article_html(f"ok-{n}").encode(), html))

    def flaky(info):
        if info.count <= 2:
            return Response(503, b"busy")
        return Response(200, article_html("flaky").encode(), html)

    def rate_limited(info):
        if info.count == 1:
            return Response(429, b"slow down", {"Retry-After": "1"})
        return Response(200, article_html("429").encode(), html)

    quoted = article_html("cp1252", title="Minister says \u201cenough\u201d at caf\u00e9 summit").encode("cp1252")
    server.set("/flaky.html", flaky)
    server.set("/rate-limited.html", rate_limited)
    server.set("/always-500.html", Response(500, b"boom"))
    server.set("/slow.html", Response(200, article_html("slow").encode(), html, delay=2.5))
    server.set("/endless.html", Response(200, headers=html, stream=endless()))
    server.set(
        "/fifty-megabytes.html",
        Response(200, headers={**html, "Content-Length": str(50 * 1024 * 1024)}, stream=endless()),
    )
    server.set("/gzip-bomb.html", Response(200, gzip_bomb(32 * 1024 * 1024), {**html, "Content-Encoding": "gzip"}))
    server.set("/cp1252.html", Response(200, quoted, html))
    server.set("/loop-a.html", Response(302, b"", {"Location": "/loop-b.html"}))
    server.set("/loop-b.html", Response(302, b"", {"Location": "/loop-a.html"}))
    server.set("/to-private.html", Response(302, b"", {"Location": f"http://127.0.0.2:{server.port}/ok/1.html"}))
    server.set("/private/page.html", Response(200, article_html("private").encode(), html))
    server.set("/report.pdf", Response(200, b"%PDF-1.7", {"Content-Type": "application/pdf"}))
    server.set("/consent.html", Response(200, CONSENT_WALL.encode(), html))
    server.set("/broken.xml", Response(200, BROKEN_FEED, {"Content-Type": "application/rss+xml"}))
    server.set("/bomb.xml", Response(200, BILLION_LAUGHS, {"Content-Type": "application/rss+xml"}))

    def feed_route(items):
        body = rss([(path.strip("/"), server.url(path)) for path in items])
        etag = f'"{abs(hash(body))}"'

        def route(info):
            if info.headers.get("if-none-match") == etag:
                return Response(304, b"", {"ETag": etag})
            return Response(200, body, {"Content-Type": "application/rss+xml", "ETag": etag})

        return route

    server.set("/good.xml", feed_route(["/ok/1.html", "/ok/2.html"]))
    server.set(
        "/faults.xml",
        feed_route(
            [
                "/ok/3.html",
                "/flaky.html",
                "/rate-limited.html",
                "/always-500.html",
                "/slow.html",
                "/endless.html",
                "/fifty-megabytes.html",
                "/gzip-bomb.html",
                "/cp1252.html",
                "/loop-a.html",
                "/to-private.html",
                "/private/page.html",
                "/report.pdf",
                "/consent.html",
                "/missing.html",
            ]
        ),
    )
    yield server
    server.stop()


FETCH_SETTINGS = """
[fetch]
connect_timeout = 1.0
read_timeout = 1.0
total_timeout = 3.0
max_bytes = 1048576
retries = 2
backoff = 0.01
max_retry_after = 2.0
min_host_interval = 0.0
max_host_concurrency = 4
user_agent = "eventwire-test/1.0"
"""


def sources_file(folder: Path, server: FaultServer, feeds: list[str]) -> str:
    entries = "".join(
        f'\n[[source]]\nname = "{name}"\nkind = "feed"\nurl = "{server.url(path)}"\n'
        for name, path in [(p.strip("/").split(".")[0], p) for p in feeds]
    )
    path = folder / "sources.toml"
    path.write_text(FETCH_SETTINGS + entries, encoding="utf-8")
    return str(path)


def run_http_ingest(sources: str, store: Path) -> object:
    return ingest(
        sources=sources,
        fetcher="http",
        store_path=str(store),
        allow_hosts=["127.0.0.1"],
    )


EXPECTED_FAULTS = {
    "/always-500.html": ("fetch", "http_500"),
    "/slow.html": ("fetch", "timeout"),
    "/endless.html": ("fetch", "too_large"),
    "/fifty-megabytes.html": ("fetch", "too_large"),
    "/gzip-bomb.html": ("fetch", "too_large"),
    "/loop-a.html": ("fetch", "redirect_loop"),
    "/to-private.html": ("fetch", "blocked_address"),
    "/private/page.html": ("fetch", "robots"),
    "/report.pdf": ("fetch", "content_type"),
    "/consent.html": ("extract", "no_text"),
    "/missing.html": ("fetch", "http_404"),
    "/broken.xml": ("discover", "bad_xml"),
    "/broken.xml#0": ("discover", "no_link"),
    "/bomb.xml": ("discover", "bad_xml"),
}


@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory: pytest.TempPathFactory, fault_server: FaultServer, prefect_harness: None) -> dict:
    """A clean run, then a run with every fault, then a run with nothing new, on one store."""
    folder = tmp_path_factory.mktemp("faults")
    store = folder / "eventwire.duckdb"
    with ConnectionLog.recording() as connections:
        clean = run_http_ingest(sources_file(folder, fault_server, ["/good.xml"]), store)
        before = query(store, "SELECT * FROM articles ORDER BY article_id")
        every = sources_file(folder, fault_server, ["/good.xml", "/faults.xml", "/broken.xml", "/bomb.xml"])
        faulty = run_http_ingest(every, store)
        requests_before_quiet = len(fault_server.requests)
        quiet = run_http_ingest(sources_file(folder, fault_server, ["/good.xml"]), store)
        quiet_requests = [r.path for r in fault_server.requests[requests_before_quiet:]]
    return {
        "store": store,
        "clean": clean,
        "before": before,
        "faulty": faulty,
        "quiet": quiet,
        "quiet_requests": quiet_requests,
        "connections": connections,
    }


def test_every_fault_ends_as_a_quarantine_row_with_its_reason(fault_runs: dict, fault_server: FaultServer) -> None:
    rows = query(fault_runs["store"], "SELECT item, stage, reason FROM quarantine")
    found = {
        item.removeprefix(f"http://127.0.0.1:{fault_server.port}"): (stage, reason) for item, stage, reason in rows
    }
    assert found == EXPECTED_FAULTS


def test_recoverable_faults_end_as_stored_articles(fault_runs: dict, fault_server: FaultServer) -> None:
    stored = {
        url.removeprefix(f"http://127.0.0.1:{fault_server.port}"): (status, title)
        for url, status, title in query(fault_runs["store"], "SELECT url, status, title FROM articles")
    }
    assert set(stored) == {
        "/ok/1.html",
        "/ok/2.html",
        "/ok/3.html",
        "/flaky.html",
        "/rate-limited.html",
        "/cp1252.html",
    }
    assert stored["/cp1252.html"][1] == "Minister says \u201cenough\u201d at caf\u00e9 summit"
    assert fault_server.hits("/flaky.html") == 3, "two 503s, then the fetcher's second retry succeeded"
    assert fault_server.hits("/slow.html") == 1, "a timeout is not retried within the run"
    faulty = fault_runs["faulty"]
    assert (faulty.new, faulty.seen, faulty.not_modified) == (4, 0, 1), "the good feed had not changed"


def test_fault_run_completes_and_keeps_what_was_stored(fault_runs: dict) -> None:
    assert fault_runs["clean"].new == 2
    before = fault_runs["before"]
    kept = query(
        fault_runs["store"],
        "SELECT * FROM articles WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id",
        [[r[0] for r in before]],
    )
    assert kept == before
    statuses = query(fault_runs["store"], "SELECT status FROM runs WHERE flow = 'ingest'")
    assert [s for (s,) in statuses] == ["completed"] * 3


def test_bad_feeds_are_reported_in_source_health(fault_runs: dict) -> None:
    health = {h.source_name: h for h in fault_runs["faulty"].health}
    assert health["broken"].last_error and "bad_xml" in health["broken"].last_error
    assert health["bomb"].last_error and health["bomb"].discovered == 0
    assert health["faults"].last_error is None and health["faults"].discovered == 15


def test_a_run_with_nothing_new_costs_one_conditional_get_per_feed(fault_runs: dict) -> None:
    quiet = fault_runs["quiet"]
    assert (quiet.discovered, quiet.fetched, quiet.new, quiet.not_modified) == (0, 0, 0, 1)
    assert fault_runs["quiet_requests"] == ["/robots.txt", "/good.xml"]


def test_no_connection_left_the_loopback_allow_list(fault_runs: dict) -> None:
    assert fault_runs["connections"], "the connection log recorded the run"
    assert {host for host, _ in fault_runs["connections"]} == {"127.0.0.1"}


def test_extract_command_on_a_sample_url_and_a_local_file(tmp_path: Path) -> None:
    record = extract_command(SAMPLES + "analysis/armenia-azerbaijan-peace-treaty-explainer.html", fetcher="recorded")
    assert record["published_source"] == "none" and record["date"] is None
    assert record["language"] == "en" and record["words"] > 300
    json.dumps(record)
    local = tmp_path / "story.txt"
    local.write_text(
        "Dam accord signed\nPublished: 2024-03-14\n\n" + " ".join(["The ministers met and agreed."] * 12),
        encoding="utf-8",
    )
    from_file = extract_command(str(local))
    assert (from_file["title"], from_file["date"], from_file["published_source"]) == (
        "Dam accord signed",
        "2024-03-14",
        "text",
    )


def test_extract_command_errors_are_named() -> None:
    with pytest.raises(HttpStatusError):
        extract_command(SAMPLES + "world/2024/11/19/g20-rio-hunger-alliance.html", fetcher="recorded")
    with pytest.raises(ArticleParseError):
        extract_command(SAMPLES + "world/2024/11/08/ethiopia-somalia-ankara-talks.html", fetcher="recorded")


def test_a_new_store_has_an_empty_source_health_table(tmp_path: Path) -> None:
    from flows.ingest import source_health_frame

    with Store(tmp_path / "s.duckdb") as store:
        assert source_health_frame(store).height == 0


def test_a_broken_sources_file_fails_the_run_and_says_so(tmp_path: Path, prefect_harness: None) -> None:
    from flows.sources import SourceConfigError

    store = tmp_path / "eventwire.duckdb"
    (tmp_path / "sources.toml").write_text("[[source]]\nname = 'x'\nkind = 'radio'\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="kind must be one of"):
        ingest(sources=str(tmp_path / "sources.toml"), store_path=str(store))
    ((status, summary),) = query(store, "SELECT status, summary FROM runs WHERE flow = 'ingest'")
    assert status == "failed" and "SourceConfigError" in summary


def story_page(title: str, text: str, *, date: str = "2024-03-03") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{date}T09:00:00+00:00"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Example footer</footer></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def later_copies(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> dict:
    """Run 1 stores an original; run 2 meets its syndicated and mirrored copies, and a sitemap
    and a page source."""
    from tests.transforms.test_dedup import ORIGINAL, SYNDICATED

    server = FaultServer().start()
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.set("/robots.txt", Response(404, b""))
    server.set("/original.html", Response(200, story_page("Dockers strike in northern harbour", ORIGINAL), html))
    server.set(
        "/partner/copy.html", Response(200, story_page("Harbour dockers walk out", SYNDICATED, date="2024-03-04"), html)
    )
    server.set(
        "/mirror/original.html", Response(200, story_page("Mirror: dockers strike", ORIGINAL, date="2024-03-05"), html)
    )
    server.set("/s/1.html", Response(200, article_html("sitemap-1").encode(), html))
    server.set("/p/1.html", Response(200, article_html("page-1").encode(), html))
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/s/1.html')}</loc><lastmod>2024-10-14</lastmod></url></urlset>"
    ).encode()
    server.set("/sitemap.xml", Response(200, sitemap, {"Content-Type": "application/xml"}))
    server.set(
        "/feed.xml",
        Response(200, rss([("Original", server.url("/original.html"))]), {"Content-Type": "application/rss+xml"}),
    )
    folder = tmp_path_factory.mktemp("copies")
    store = folder / "eventwire.duckdb"
    first_sources = sources_file(folder, server, ["/feed.xml"])
    try:
        first = run_http_ingest(first_sources, store)
        links = [("Original", "/original.html"), ("Copy", "/partner/copy.html"), ("Mirror", "/mirror/original.html")]
        server.set(
            "/feed.xml",
            Response(200, rss([(t, server.url(p)) for t, p in links]), {"Content-Type": "application/rss+xml"}),
        )
        extra = (
            f'\n[[source]]\nname = "map"\nkind = "sitemap"\nurl = "{server.url("/sitemap.xml")}"\n'
            f'\n[[source]]\nname = "single"\nkind = "page"\nurl = "{server.url("/p/1.html")}"\n'
        )
        Path(first_sources).write_text(Path(first_sources).read_text(encoding="utf-8") + extra, encoding="utf-8")
        second = run_http_ingest(first_sources, store)
    finally:
        server.stop()
    return {"store": store, "first": first, "second": second, "server": server}


def test_copies_met_in_a_later_run_are_linked_to_the_stored_original(later_copies: dict) -> None:
    prefix = f"http://127.0.0.1:{later_copies['server'].port}"
    rows = {
        url.removeprefix(prefix): (status, duplicate_of, article_id)
        for url, status, duplicate_of, article_id in query(
            later_copies["store"], "SELECT url, status, duplicate_of, article_id FROM articles"
        )
    }
    original_id = rows["/original.html"][2]
    assert rows["/original.html"][:2] == ("ok", None)
    assert rows["/partner/copy.html"][:2] == ("near_duplicate", original_id)
    assert rows["/mirror/original.html"][:2] == ("duplicate", original_id)
    assert rows["/s/1.html"][0] == "ok" and rows["/p/1.html"][0] == "ok"
    second = later_copies["second"]
    assert (second.new, second.seen, second.duplicates, second.near_duplicates) == (2, 1, 2, 1)
    assert {h.source_name: h.new for h in second.health} == {"feed": 0, "map": 1, "single": 1}


def test_a_page_that_is_gone_is_not_fetched_again_until_relisted_after_the_interval(
    tmp_path: Path, prefect_harness: None
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "ok.html").write_bytes(story_page("A story that exists", "\n\n".join(story_paragraphs("exists"))))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "wire"\nkind = "feed"\nurl = "{SAMPLES}feed.xml"\n', encoding="utf-8")
    summaries = []
    for run in range(3):
        links = [("Gone", SAMPLES + "gone.html"), ("Here", SAMPLES + "ok.html")]
        (site / "feed.xml").write_bytes(rss(links, title=f"Feed, edition {run}"))
        summaries.append(ingest(sources=str(sources), store_path=str(tmp_path / "s.duckdb"), recorded_root=str(site)))
    assert [(s.fetched, s.seen, s.given_up, s.quarantined) for s in summaries] == [
        (1, 0, 0, 1),
        (0, 1, 1, 0),
        (0, 1, 1, 0),
    ]
    ((count,),) = query(tmp_path / "s.duckdb", "SELECT count FROM quarantine WHERE item = ?", [SAMPLES + "gone.html"])
    assert count == 1
    ((reason, kind, attempts),) = query(
        tmp_path / "s.duckdb",
        "SELECT failure_reason, failure_kind, failed_attempts FROM fetch_state WHERE url = ?",
        [SAMPLES + "gone.html"],
    )
    assert (reason, kind, attempts) == ("http_404", "permanent", 1)
    sources.write_text(sources.read_text() + "\n[fetch]\nrelist_after_days = 0\n", encoding="utf-8")
    (site / "feed.xml").write_bytes(rss(links, title="Feed, a later edition"))
    relisted = ingest(sources=str(sources), store_path=str(tmp_path / "s.duckdb"), recorded_root=str(site))
    assert (relisted.given_up, relisted.quarantined) == (0, 1)


def test_the_run_allow_list_adds_to_the_sources_file_and_the_budget_reaches_the_fetcher(tmp_path: Path) -> None:
    import ipaddress

    from flows.ingest import fetcher_for
    from flows.io.fetching import HttpFetcher
    from flows.sources import load_sources

    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[fetch]\nallow_hosts = ["10.1.0.0/16"]\nhost_budget_seconds = 42\nrun_deadline_seconds = 99\n',
        encoding="utf-8",
    )
    fetcher = fetcher_for("http", load_sources(sources), allow_hosts=["127.0.0.1"])
    try:
        assert isinstance(fetcher, HttpFetcher)
        assert set(fetcher.policy.networks) == {
            ipaddress.ip_network("10.1.0.0/16"),
            ipaddress.ip_network("127.0.0.1/32"),
        }
        assert (fetcher.budget.host_seconds, fetcher.budget.run_seconds) == (42, 99)
    finally:
        fetcher.close()
