"""Sources: the sources file, and discovery from feeds, sitemaps, pages, folders and GDELT."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.io.fetching import HttpFetcher, RecordedFetcher
from flows.sources import FetchState, SourceConfigError, build_source, load_sources
from flows.sources.base import SourceError
from flows.sources.config import FetchPolicy
from flows.sources.feed import FeedSource
from flows.sources.folder import FolderSource, read_local_file
from flows.sources.gdelt import GdeltSource, parse_export_list
from flows.sources.page import PageSource
from flows.sources.sitemap import SitemapSource
from tests.flows.httpfaults import BILLION_LAUGHS, BROKEN_FEED, ConnectionLog, FaultServer, Response, gdelt_export, rss
from transforms.retrying import RetrySchedule

BASE = "https://wire.eventwire-samples.test/"
REPO = Path(__file__).resolve().parents[2]


def recorded(tmp_path: Path, files: dict[str, bytes | str]) -> RecordedFetcher:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return RecordedFetcher(tmp_path)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<entry><title>First</title><link href="/a/1.html"/><id>1</id><updated>2024-10-14T08:00:00+02:00</updated>
<author><name>Ada</name></author></entry>
<entry><title>No link</title><id>urn:x:2</id><updated>2024-10-14T08:00:00Z</updated></entry>
</feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {
                "id": "1",
                "url": "https://wire.eventwire-samples.test/j/1.html",
                "title": "One",
                "date_published": "2024-10-14T10:00:00+02:00",
                "authors": [{"name": "Bo"}],
            },
            {"id": "2", "title": "no url"},
        ],
    }
)

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://wire.eventwire-samples.test/s/old.html</loc><news:news><news:publication_date>2024-10-01T08:00:00Z</news:publication_date><news:title>Old</news:title></news:news></url>
<url><loc>https://wire.eventwire-samples.test/s/new.html</loc><news:news><news:publication_date>2024-10-14</news:publication_date><news:title>New</news:title></news:news></url>
</urlset>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://wire.eventwire-samples.test/news.xml.gz</loc></sitemap>
<sitemap><loc>https://wire.eventwire-samples.test/missing.xml</loc></sitemap>
</sitemapindex>"""


def test_rss_feed_items_and_conditional_refetch(tmp_path: Path) -> None:
    feed = rss([("One", BASE + "a/1.html"), ("Two", BASE + "a/2.html")])
    fetcher = recorded(tmp_path, {"feed.xml": feed})
    source = FeedSource("wire", BASE + "feed.xml")
    first = source.discover(fetcher, {})
    assert [i.url for i in first.items] == [BASE + "a/1.html", BASE + "a/2.html"]
    assert first.items[0].title == "One"
    assert first.items[0].published == dt.datetime(2024, 10, 14, 8, 0, tzinfo=dt.UTC)
    assert len(first.states) == 1 and first.states[0].etag
    second = source.discover(fetcher, {s.url: s for s in first.states})
    assert second.items == [] and second.not_modified == 1 and not second.failures


def test_atom_feed_resolves_relative_links_and_flags_entries_without_one(tmp_path: Path) -> None:
    result = FeedSource("atom", BASE + "atom.xml").discover(recorded(tmp_path, {"atom.xml": ATOM}), {})
    assert [i.url for i in result.items] == [BASE + "a/1.html"]
    assert result.items[0].author == "Ada"
    assert result.items[0].published == dt.datetime(2024, 10, 14, 6, 0, tzinfo=dt.UTC)
    assert [(f.reason, f.stage) for f in result.failures] == [("no_link", "discover")]
    assert not result.listing_failed


def test_json_feed(tmp_path: Path) -> None:
    result = FeedSource("json", BASE + "feed.json").discover(recorded(tmp_path, {"feed.json": JSON_FEED}), {})
    assert [(i.url, i.title, i.author) for i in result.items] == [(BASE + "j/1.html", "One", "Bo")]
    assert result.items[0].published == dt.datetime(2024, 10, 14, 8, 0, tzinfo=dt.UTC)
    assert [f.reason for f in result.failures] == ["no_link"]


@pytest.mark.parametrize(
    ("body", "lenient"),
    [
        (BILLION_LAUGHS, False),
        (BILLION_LAUGHS, True),
        (BROKEN_FEED, False),
        (b"<html><body>not a feed</body></html>", True),
    ],
    ids=["entity-bomb-strict", "entity-bomb-lenient", "broken-xml-strict", "html-not-feed"],
)
def test_unsafe_or_broken_feeds_are_refused_fast(tmp_path: Path, body: bytes, lenient: bool) -> None:
    started = time.monotonic()
    result = FeedSource("bad", BASE + "bad.xml", lenient_xml=lenient).discover(
        recorded(tmp_path, {"bad.xml": body}), {}
    )
    assert time.monotonic() - started < 1.0
    assert result.items == []
    assert [f.reason for f in result.failures] == ["bad_xml"]
    assert result.listing_failed and result.states == []


def test_slightly_broken_feed_is_read_leniently_and_still_reported(tmp_path: Path) -> None:
    body = rss([("Fish & Chips", BASE + "a/1.html")]).replace(b"Fish & Chips", b"Fish &nbsp; Chips &")
    strict = FeedSource("strict", BASE + "f.xml", lenient_xml=False).discover(recorded(tmp_path, {"f.xml": body}), {})
    lenient = FeedSource("lenient", BASE + "f.xml").discover(recorded(tmp_path, {"f.xml": body}), {})
    assert [f.reason for f in strict.failures] == ["bad_xml"] and strict.listing_failed
    assert [i.url for i in lenient.items] == [BASE + "a/1.html"]
    assert [(f.item, f.reason) for f in lenient.failures] == [(BASE + "f.xml", "bad_xml")]
    assert not lenient.listing_failed and lenient.listing_errors and len(lenient.states) == 1


def test_truncated_feed_read_leniently_reports_what_it_lost(tmp_path: Path) -> None:
    result = FeedSource("cut", BASE + "cut.xml").discover(recorded(tmp_path, {"cut.xml": BROKEN_FEED}), {})
    found = [(f.item.removeprefix(BASE), f.reason) for f in result.failures]
    assert found == [("cut.xml", "bad_xml"), ("cut.xml#0", "no_link")]
    assert result.items == [] and not result.listing_failed


def test_missing_feed_is_a_failed_listing(tmp_path: Path) -> None:
    result = FeedSource("gone", BASE + "gone.xml").discover(recorded(tmp_path, {}), {})
    assert [(f.stage, f.reason) for f in result.failures] == [("fetch", "http_404")]
    assert result.listing_failed


def test_news_sitemap_index_with_gzip_child(tmp_path: Path) -> None:
    fetcher = recorded(tmp_path, {"index.xml": SITEMAP_INDEX, "news.xml.gz": gzip.compress(NEWS_SITEMAP.encode())})
    result = SitemapSource("sitemap", BASE + "index.xml").discover(fetcher, {})
    assert [(i.url, i.title) for i in result.items] == [(BASE + "s/new.html", "New"), (BASE + "s/old.html", "Old")]
    assert result.items[0].published == dt.datetime(2024, 10, 14, tzinfo=dt.UTC)
    assert [f.reason for f in result.failures] == ["http_404"]
    assert {s.url for s in result.states} == {BASE + "index.xml", BASE + "news.xml.gz"}


def test_sitemap_lastmod_orders_items_but_never_dates_them(tmp_path: Path) -> None:
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{BASE}x/old.html</loc><lastmod>2024-01-01</lastmod></url>"
        f"<url><loc>{BASE}x/new.html</loc><lastmod>2024-06-01T10:00:00Z</lastmod></url></urlset>"
    )
    result = SitemapSource("s", BASE + "plain.xml").discover(recorded(tmp_path, {"plain.xml": sitemap}), {})
    assert [(i.url.removeprefix(BASE), i.published) for i in result.items] == [
        ("x/new.html", None),
        ("x/old.html", None),
    ]


def test_sitemap_entity_bomb_and_gzip_bomb_are_refused(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (3 * 1024 * 1024) + b"</urlset>")
    fetcher = recorded(tmp_path, {"bomb.xml": BILLION_LAUGHS, "big.xml.gz": bomb})
    entity = SitemapSource("s", BASE + "bomb.xml").discover(fetcher, {})
    big = SitemapSource("s", BASE + "big.xml.gz", max_uncompressed_bytes=1024 * 1024).discover(fetcher, {})
    assert [f.reason for f in entity.failures] == ["bad_xml"]
    assert [f.reason for f in big.failures] == ["too_large"]


def test_page_source_lists_its_urls_without_fetching() -> None:
    result = PageSource("pages", [BASE + "p.html", BASE + "q.html"]).discover(RecordedFetcher(Path("/nonexistent")), {})
    assert [i.url for i in result.items] == [BASE + "p.html", BASE + "q.html"]
    assert result.requests == 0


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Title\n\nText.", encoding="utf-8")
    (folder / ".hidden.txt").write_text("secret", encoding="utf-8")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    lines = [
        json.dumps(
            {
                "id": "r1",
                "url": "https://partner.example/r1",
                "title": "R1",
                "published": "2024-11-06T23:10:00+01:00",
                "text": "Body one.",
            }
        ),
        "{not json",
        json.dumps({"id": "r3", "text": ""}),
        json.dumps({"id": "r 4", "text": "Body four."}),
    ]
    (folder / "desk.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("private", encoding="utf-8")
    os.symlink(outside, folder / "escape.txt")
    os.symlink(folder / "sub" / "b.txt", folder / "inside-link.txt")
    return folder


def test_folder_source_lists_files_and_records_and_refuses_escapes(inbox: Path) -> None:
    result = FolderSource("Partner Inbox", inbox).discover(RecordedFetcher(inbox), {})
    urls = [i.url for i in result.items]
    assert urls == [
        "file://partner-inbox/a.html",
        "https://partner.example/r1",
        "file://partner-inbox/desk.jsonl?id=r%204",
        "file://partner-inbox/inside-link.txt",
        "file://partner-inbox/sub/b.txt",
    ]
    record = result.items[1]
    assert record.content == b"Body one." and record.title == "R1" and record.published_source == "metadata"
    assert record.published == dt.datetime(2024, 11, 6, 22, 10, tzinfo=dt.UTC)
    reasons = sorted((f.item.rsplit("/", 1)[-1], f.reason) for f in result.failures)
    assert reasons == [
        ("desk.jsonl?line=2", "bad_json"),
        ("desk.jsonl?line=3", "no_text"),
        ("escape.txt", "outside_folder"),
    ]
    html_item = result.items[0]
    assert html_item.content is None and html_item.local_path and html_item.local_root


def test_read_local_file_refuses_paths_outside_the_root(inbox: Path) -> None:
    assert read_local_file(inbox / "sub" / "b.txt", inbox, 1000).startswith(b"Title")
    for path, reason in [(inbox / "escape.txt", "outside_folder"), (inbox / ".." / "outside.txt", "outside_folder")]:
        with pytest.raises(SourceError) as raised:
            read_local_file(path, inbox, 1000)
        assert raised.value.reason == reason
    with pytest.raises(SourceError) as raised:
        read_local_file(inbox / "sub" / "b.txt", inbox, 3)
    assert raised.value.reason == "too_large"


@pytest.fixture(scope="module")
def gdelt_server() -> Iterator[FaultServer]:
    server = FaultServer().start()
    first = gdelt_export(["https://news.example/a", "https://news.example/b", "https://news.example/a", "not-a-url"])
    second = gdelt_export(["https://news.example/c"])
    digest = hashlib.md5(first, usedforsecurity=False).hexdigest()
    state = {"listing": f"{len(first)} {digest} {server.url('/gdeltv2/20241014081500.export.CSV.zip')}\n"}

    def lastupdate(info):
        etag = '"' + hashlib.sha256(state["listing"].encode()).hexdigest()[:16] + '"'
        if info.headers.get("if-none-match") == etag:
            return Response(304, b"", {"ETag": etag})
        return Response(200, state["listing"].encode(), {"Content-Type": "text/plain", "ETag": etag})

    server.set("/robots.txt", Response(404, b""))
    server.set("/gdeltv2/lastupdate.txt", lastupdate)
    server.set("/gdeltv2/20241014081500.export.CSV.zip", Response(200, first, {"Content-Type": "application/zip"}))
    server.set("/gdeltv2/20241014083000.export.CSV.zip", Response(200, second, {"Content-Type": "application/zip"}))
    server.gdelt_state = state  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_gdelt_export_list_gives_article_urls_once(gdelt_server: FaultServer) -> None:
    source = GdeltSource("gdelt", gdelt_server.url("/gdeltv2/lastupdate.txt"), max_exports=2)
    with (
        ConnectionLog.recording() as log,
        HttpFetcher(allow_hosts=["127.0.0.1"], min_host_interval=0, retries=0) as fetcher,
    ):
        first = source.discover(fetcher, {})
        state = {s.url: s for s in first.states}
        unchanged = source.discover(fetcher, state)
        gdelt_server.gdelt_state["listing"] += (  # type: ignore[attr-defined]
            f"10 {'0' * 32} {gdelt_server.url('/gdeltv2/20241014083000.export.CSV.zip')}\n"
        )
        changed = source.discover(fetcher, state)
    assert {address for address, _ in log} == {"127.0.0.1"}
    assert [i.url for i in first.items] == ["https://news.example/a", "https://news.example/b"]
    assert first.states[0].marker == "20241014081500"
    assert unchanged.items == [] and unchanged.not_modified == 1
    assert changed.items == []
    assert [f.reason for f in changed.failures] == ["bad_checksum"]


def test_parse_export_list_keeps_only_event_exports() -> None:
    text = "\n".join(
        [
            "150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip",
            "318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip",
            "10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip",
        ]
    )
    (export,) = parse_export_list(text, "http://data.gdeltproject.org/gdeltv2/lastupdate.txt")
    assert (
        export.stamp == "20150218230000" and export.md5 == "297a16b493de7cf6ca809a7cc31d0b93" and export.size == 150383
    )


def write_sources(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_samples_sources_file_loads() -> None:
    config = load_sources(REPO / "data" / "sources.samples.toml")
    kinds = {s.name: s.kind for s in config.sources}
    assert kinds == {"sample-wire": "feed", "sample-inbox": "folder"}
    inbox = next(s for s in config.sources if s.kind == "folder")
    assert inbox.path is not None and inbox.path.is_dir()
    assert config.fetch_options["user_agent"].startswith("eventwire/")


def test_sources_file_with_every_kind(tmp_path: Path) -> None:
    (tmp_path / "drop").mkdir()
    path = write_sources(
        tmp_path,
        """
[defaults]
max_items = 7
user_agent = "eventwire-test/1"

[fetch]
read_timeout = 3.5

[[source]]
name = "f"
kind = "feed"
url = "https://a.example/feed.xml"
lenient_xml = true

[[source]]
name = "s"
kind = "sitemap"
url = "https://a.example/sitemap.xml"
max_items = 3

[[source]]
name = "p"
kind = "page"
urls = ["https://a.example/1", "https://a.example/2"]

[[source]]
name = "d"
kind = "folder"
path = "drop"

[[source]]
name = "g"
kind = "gdelt"
enabled = false
""",
    )
    config = load_sources(path)
    assert config.fetch_options == {"user_agent": "eventwire-test/1", "read_timeout": 3.5}
    assert [s.name for s in config.enabled()] == ["f", "s", "p", "d"]
    sources = {s.name: build_source(s) for s in config.sources}
    assert isinstance(sources["f"], FeedSource) and sources["f"].max_items == 7 and sources["f"].lenient_xml
    assert isinstance(sources["s"], SitemapSource) and sources["s"].max_items == 3
    assert isinstance(sources["p"], PageSource) and sources["p"].urls == ["https://a.example/1", "https://a.example/2"]
    assert isinstance(sources["d"], FolderSource) and sources["d"].path == tmp_path / "drop"
    assert isinstance(sources["g"], GdeltSource) and sources["g"].url.endswith("lastupdate.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]]\nkind = 'feed'\nurl = 'x'", "needs a name"),
        ("[[source]]\nname = 'a'\nkind = 'radio'", "kind must be one of"),
        ("[[source]]\nname = 'a'\nkind = 'feed'", "needs a url"),
        ("[[source]]\nname = 'a'\nkind = 'folder'", "needs a path"),
        ("[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\nmax_itmes = 3", "unknown setting"),
        (
            "[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\n[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'y'",
            "used twice",
        ),
        ("[fetch]\nread_timeot = 3", "unknown setting"),
        ("[sorces]\nx = 1", "unknown table"),
        ("[[source]\nname=", "not valid TOML"),
    ],
    ids=[
        "no-name",
        "bad-kind",
        "feed-without-url",
        "folder-without-path",
        "typo",
        "duplicate-name",
        "fetch-typo",
        "unknown-table",
        "bad-toml",
    ],
)
def test_bad_sources_files_fail_with_the_file_named(tmp_path: Path, text: str, message: str) -> None:
    path = write_sources(tmp_path, text)
    with pytest.raises(SourceConfigError, match=message) as raised:
        load_sources(path)
    assert str(path) in str(raised.value)


def test_missing_sources_file() -> None:
    with pytest.raises(SourceConfigError, match="cannot read"):
        load_sources("/nonexistent/sources.toml")


def test_state_marker_survives_a_304(tmp_path: Path) -> None:
    fetcher = recorded(tmp_path, {"feed.xml": rss([("One", BASE + "1.html")])})
    source = FeedSource("wire", BASE + "feed.xml")
    first = source.discover(fetcher, {})
    state = {BASE + "feed.xml": FetchState(BASE + "feed.xml", first.states[0].etag, None, marker="m")}
    assert source.discover(fetcher, state).states == []
    (tmp_path / "feed.xml").write_bytes(rss([("Two", BASE + "2.html")]))
    assert source.discover(fetcher, state).states[0].marker == "m"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("[fetch]\nretries = 'two'", "retries", "a whole number ≥ 0"),
        ("[fetch]\nretries = true", "retries", "a whole number ≥ 0"),
        ("[fetch]\nretries = -1", "retries", "a whole number ≥ 0"),
        ("[fetch]\nread_timeout = '20s'", "read_timeout", "a number > 0"),
        ("[fetch]\nrespect_robots = 'no'", "respect_robots", "true or false"),
        ("[fetch]\nallow_hosts = '127.0.0.1'", "allow_hosts", "a list of strings"),
        ("[fetch]\nhost_budget_seconds = 0", "host_budget_seconds", "a number > 0"),
        ("[fetch]\ntransient_attempts = 2.5", "transient_attempts", "a whole number ≥ 1"),
        ("[defaults]\nmin_words = '25'", "min_words", "a whole number ≥ 0"),
        ("[defaults]\nmax_retry_after = [60]", "max_retry_after", "a number ≥ 0"),
        ("[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\nmax_items = '10'", "max_items", "a whole number ≥ 1"),
        ("[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\nlenient_xml = 1", "lenient_xml", "true or false"),
        ("[[source]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\ntags = 'world'", "tags", "a list of strings"),
    ],
    ids=[
        "retries-as-word",
        "retries-as-boolean",
        "negative-retries",
        "timeout-with-unit",
        "robots-as-word",
        "one-host-not-a-list",
        "zero-budget",
        "fractional-attempts",
        "min-words-quoted",
        "number-in-a-list",
        "max-items-quoted",
        "flag-as-number",
        "tags-not-a-list",
    ],
)
def test_values_of_the_wrong_type_are_refused_naming_file_key_and_type(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    path = write_sources(tmp_path, text)
    with pytest.raises(SourceConfigError) as raised:
        load_sources(path)
    message = str(raised.value)
    assert str(path) in message and f"{key} = " in message and expected in message
    assert (raised.value.key, raised.value.expected) == (key, expected)


def test_fetch_table_sets_the_run_budget_the_retry_schedule_and_the_allow_list(tmp_path: Path) -> None:
    path = write_sources(
        tmp_path,
        """
[fetch]
retries = 1
allow_hosts = ["127.0.0.1"]
host_budget_seconds = 20
run_deadline_seconds = 90.5
transient_attempts = 3
retry_backoff_seconds = 30
retry_backoff_max_seconds = 3600
relist_after_days = 2
""",
    )
    config = load_sources(path)
    assert config.fetch_options == {"retries": 1, "allow_hosts": ["127.0.0.1"]}
    policy = config.fetch_policy
    assert (policy.host_budget_seconds, policy.run_deadline_seconds) == (20, 90.5)
    assert policy.schedule == RetrySchedule(
        first_backoff=dt.timedelta(seconds=30),
        max_backoff=dt.timedelta(hours=1),
        max_attempts=3,
        relist_after=dt.timedelta(days=2),
    )


def test_fetch_policy_defaults_when_the_file_says_nothing() -> None:
    config = load_sources(REPO / "data" / "sources.samples.toml")
    assert config.fetch_policy == FetchPolicy()
    assert config.fetch_policy.schedule == RetrySchedule()


def test_a_backoff_ceiling_below_the_first_backoff_is_refused(tmp_path: Path) -> None:
    path = write_sources(tmp_path, "[fetch]\nretry_backoff_seconds = 600\nretry_backoff_max_seconds = 60")
    with pytest.raises(SourceConfigError, match="retry_backoff_max_seconds = 60"):
        load_sources(path)
