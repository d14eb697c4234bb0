"""The fetchers against a real HTTP server on 127.0.0.1 that serves every fault.

Every test runs under a connection log: nothing may connect anywhere but the fault server.
"""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.io.fetching import (
    AddressPolicy,
    BlockedAddressError,
    BodyTooLarge,
    BudgetSpent,
    FetchConnectionError,
    FetchTimeout,
    HttpFetcher,
    HttpStatusError,
    RecordedFetcher,
    RedirectError,
    RobotsDisallowed,
    UnsupportedContentType,
    UnsupportedUrl,
    is_public_address,
    make_fetcher,
    parse_content_type,
    parse_retry_after,
)
from tests.flows.httpfaults import (
    ConnectionLog,
    FaultServer,
    Response,
    article_html,
    endless,
    gzip_bomb,
    http_date,
    self_signed_tls,
)

MAX_BYTES = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    fault = FaultServer().start()
    html = {"Content-Type": "text/html; charset=utf-8"}
    fault.set("/robots.txt", Response(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    fault.set("/ok.html", Response(200, article_html("ok").encode(), html))
    fault.set("/private/page.html", Response(200, article_html("private").encode(), html))
    fault.set("/always-500", Response(500, b"boom"))
    fault.set("/rate-limited-again", Response(429, b"slow down", {"Retry-After": "1"}))

    def flaky(info):
        return Response(503, b"busy") if info.count == 1 else Response(200, article_html("flaky").encode(), html)

    def rate_limited(info):
        if info.count == 1:
            return Response(429, b"slow down", {"Retry-After": "1"})
        return Response(200, article_html("429").encode(), html)

    def conditional(info):
        if info.headers.get("if-none-match") == '"v1"':
            return Response(304, b"", {"ETag": '"v1"'})
        return Response(
            200, b"<rss version='2.0'><channel/></rss>", {"ETag": '"v1"', "Content-Type": "application/rss+xml"}
        )

    fault.set("/flaky", flaky)
    fault.set("/rate-limited", rate_limited)
    fault.set("/retry-after-huge", Response(429, b"no", {"Retry-After": "3600"}))
    fault.set("/retry-after-date", Response(503, b"no", {"Retry-After": http_date(time.time() + 3600)}))
    fault.set("/conditional.xml", conditional)
    fault.set("/slow", Response(200, article_html("slow").encode(), html, delay=2.0))
    fault.set("/endless", Response(200, headers=html, stream=endless()))
    fault.set("/trickle", Response(200, headers=html, stream=endless(b"<p>drip</p>", pause=0.05)))
    fault.set(
        "/fifty-megabytes", Response(200, headers={**html, "Content-Length": str(50 * 1024 * 1024)}, stream=endless())
    )
    fault.set("/gzip-bomb", Response(200, gzip_bomb(64 * 1024 * 1024), {**html, "Content-Encoding": "gzip"}))
    fault.set("/pdf", Response(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}))
    fault.set("/loop-a", Response(302, b"", {"Location": "/loop-b"}))
    fault.set("/loop-b", Response(302, b"", {"Location": fault.url("/loop-a")}))
    for hop in range(10):
        fault.set(f"/chain-{hop}", Response(301, b"", {"Location": f"/chain-{hop + 1}"}))
    fault.set("/to-private", Response(302, b"", {"Location": f"http://127.0.0.2:{fault.port}/ok.html"}))
    fault.set("/to-metadata", Response(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    fault.set("/moved", Response(301, b"", {"Location": "/ok.html"}))
    yield fault
    fault.stop()


@pytest.fixture(autouse=True)
def only_loopback_connections(server: FaultServer) -> Iterator[list[tuple[str, int]]]:
    """Fail any test that connected anywhere but the fault servers on 127.0.0.1."""
    with ConnectionLog.recording() as log:
        yield log
    strangers = [address for address in log if address[0] != "127.0.0.1"]
    assert strangers == [], f"connected to addresses other than the fault servers: {strangers}"


def fetcher(**options: Any) -> HttpFetcher:
    settings: dict[str, Any] = {
        "allow_hosts": ["127.0.0.1"],
        "connect_timeout": 1.0,
        "read_timeout": 0.5,
        "total_timeout": 3.0,
        "max_bytes": MAX_BYTES,
        "retries": 1,
        "backoff": 0.01,
        "max_retry_after": 2.0,
        "min_host_interval": 0.0,
        "user_agent": "eventwire-test/1.0",
    }
    settings.update(options)
    return HttpFetcher(**settings)


def test_ok_page_is_fetched_with_type_and_charset(server: FaultServer) -> None:
    with fetcher() as f:
        fetched = f.fetch(server.url("/ok.html"))
    assert fetched.status == 200
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert b"Talks on the ok dispute" in fetched.body
    assert server.requests_for("/ok.html")[-1].headers["user-agent"] == "eventwire-test/1.0"


def test_redirect_is_followed_and_final_url_kept(server: FaultServer) -> None:
    with fetcher() as f:
        fetched = f.fetch(server.url("/moved"))
    assert fetched.final_url == server.url("/ok.html")
    assert fetched.url == server.url("/moved")


def test_connection_goes_to_the_vetted_address_with_the_host_header_kept(server: FaultServer) -> None:
    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]

    with fetcher(resolver=resolver) as f:
        fetched = f.fetch(f"http://news.example.test:{server.port}/ok.html")
    assert fetched.status == 200
    assert resolved == ["news.example.test", "news.example.test"], "robots.txt, then the page"
    assert server.requests_for("/ok.html")[-1].headers["host"] == f"news.example.test:{server.port}"


@pytest.mark.parametrize(
    ("certificate_for", "succeeds"),
    [("news.example.test", True), ("someone-else.test", False)],
    ids=["matching-certificate", "certificate-for-another-name"],
)
def test_https_to_a_pinned_address_verifies_the_host_name(tmp_path: Path, certificate_for: str, succeeds: bool) -> None:
    server_tls, client_tls = self_signed_tls(tmp_path, certificate_for)
    secure = FaultServer(tls=server_tls).start()
    secure.set("/robots.txt", Response(404, b""))
    secure.set("/ok.html", Response(200, article_html("tls").encode(), {"Content-Type": "text/html"}))
    url = f"https://news.example.test:{secure.port}/ok.html"
    try:
        with (
            ConnectionLog.recording() as log,
            fetcher(resolver=lambda host, port: ["127.0.0.1"], verify=client_tls) as f,
        ):
            if succeeds:
                assert f.fetch(url).status == 200
                assert secure.requests_for("/ok.html")[-1].headers["host"] == f"news.example.test:{secure.port}"
            else:
                with pytest.raises(FetchConnectionError, match="CERTIFICATE_VERIFY_FAILED|hostname"):
                    f.fetch(url)
    finally:
        secure.stop()
    assert {host for host, _ in log} == {"127.0.0.1"}


def test_gzip_and_deflate_bodies_are_decoded(server: FaultServer) -> None:
    body = article_html("compressed").encode()
    server.set(
        "/gzip.html", Response(200, gzip.compress(body), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    )
    server.set(
        "/deflate.html",
        Response(200, zlib.compress(body), {"Content-Type": "text/html", "Content-Encoding": "deflate"}),
    )
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.set(
        "/raw-deflate.html",
        Response(200, raw.compress(body) + raw.flush(), {"Content-Type": "text/html", "Content-Encoding": "deflate"}),
    )
    with fetcher() as f:
        for path in ("/gzip.html", "/deflate.html", "/raw-deflate.html"):
            assert f.fetch(server.url(path)).body == body


def test_conditional_get_gives_not_modified(server: FaultServer) -> None:
    with fetcher() as f:
        first = f.fetch(server.url("/conditional.xml"))
        second = f.fetch(server.url("/conditional.xml"), etag=first.etag)
    assert first.etag == '"v1"' and not first.not_modified
    assert second.not_modified and second.status == 304 and second.body == b""
    assert server.requests_for("/conditional.xml")[-1].headers["if-none-match"] == '"v1"'


def test_server_error_is_retried_then_raised(server: FaultServer) -> None:
    before = server.hits("/always-500")
    with fetcher(retries=2) as f, pytest.raises(HttpStatusError) as raised:
        f.fetch(server.url("/always-500"))
    assert raised.value.status == 500 and raised.value.reason == "http_500"
    assert server.hits("/always-500") - before == 3


def test_a_timeout_is_not_retried_in_the_run(server: FaultServer) -> None:
    before = server.hits("/slow")
    with fetcher(retries=3) as f, pytest.raises(FetchTimeout):
        f.fetch(server.url("/slow"))
    assert server.hits("/slow") - before == 1


def test_a_host_out_of_time_is_deferred_not_failed(server: FaultServer) -> None:
    """A second's budget: the slow page uses it up (its wait cut to the budget), then nothing more is asked."""
    before = server.hits("/ok.html")
    with fetcher(read_timeout=5.0, host_budget_seconds=1.0, respect_robots=False) as f:
        started = time.monotonic()
        with pytest.raises(BudgetSpent) as raised:
            f.fetch(server.url("/slow"))
        assert time.monotonic() - started < 1.5
        with pytest.raises(BudgetSpent):
            f.fetch(server.url("/ok.html"))
    assert raised.value.reason == "deferred" and not raised.value.transient
    assert server.hits("/ok.html") == before


def test_a_retry_wait_longer_than_the_time_left_is_not_taken(server: FaultServer) -> None:
    slept: list[float] = []
    with fetcher(sleep=slept.append, run_deadline_seconds=0.5) as f, pytest.raises(HttpStatusError) as raised:
        f.fetch(server.url("/rate-limited-again"))
    assert raised.value.status == 429 and slept == []


def test_transient_503_recovers_on_retry(server: FaultServer) -> None:
    with fetcher() as f:
        fetched = f.fetch(server.url("/flaky"))
    assert fetched.status == 200
    assert server.hits("/flaky") == 2


def test_429_waits_for_retry_after(server: FaultServer) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    with fetcher(sleep=sleep) as f:
        fetched = f.fetch(server.url("/rate-limited"))
    assert fetched.status == 200
    assert slept == [1.0]


@pytest.mark.parametrize("path", ["/retry-after-huge", "/retry-after-date"], ids=["seconds", "http-date"])
def test_retry_after_is_capped(server: FaultServer, path: str) -> None:
    slept: list[float] = []
    with fetcher(max_retry_after=0.05, sleep=slept.append) as f, pytest.raises(HttpStatusError):
        f.fetch(server.url(path))
    assert slept == [0.05]


def test_slow_answer_times_out(server: FaultServer) -> None:
    started = time.monotonic()
    with fetcher(read_timeout=0.3, retries=0) as f, pytest.raises(FetchTimeout) as raised:
        f.fetch(server.url("/slow"))
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 1.5


def test_endless_body_is_cut_at_max_bytes(server: FaultServer) -> None:
    with fetcher() as f, pytest.raises(BodyTooLarge) as raised:
        f.fetch(server.url("/endless"))
    assert raised.value.reason == "too_large"


def test_trickling_body_is_cut_at_the_deadline(server: FaultServer) -> None:
    started = time.monotonic()
    with fetcher(total_timeout=0.6, retries=0) as f, pytest.raises(FetchTimeout):
        f.fetch(server.url("/trickle"))
    assert time.monotonic() - started < 2.0


def test_fifty_megabyte_body_is_refused_from_its_length(server: FaultServer) -> None:
    started = time.monotonic()
    with fetcher() as f, pytest.raises(BodyTooLarge, match="Content-Length"):
        f.fetch(server.url("/fifty-megabytes"))
    assert time.monotonic() - started < 1.0


def test_gzip_bomb_is_capped_after_decompression(server: FaultServer) -> None:
    with fetcher() as f, pytest.raises(BodyTooLarge):
        f.fetch(server.url("/gzip-bomb"))


def test_unsupported_content_type_is_refused(server: FaultServer) -> None:
    with fetcher() as f, pytest.raises(UnsupportedContentType) as raised:
        f.fetch(server.url("/pdf"))
    assert raised.value.reason == "content_type"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/loop-a", "redirect_loop"), ("/chain-0", "too_many_redirects")],
    ids=["loop", "too-long"],
)
def test_bad_redirect_chains_are_refused(server: FaultServer, path: str, reason: str) -> None:
    with fetcher() as f, pytest.raises(RedirectError) as raised:
        f.fetch(server.url(path))
    assert raised.value.reason == reason


def test_redirect_to_other_loopback_address_is_refused_before_connecting(
    server: FaultServer, only_loopback_connections: list[tuple[str, int]]
) -> None:
    with fetcher() as f, pytest.raises(BlockedAddressError):
        f.fetch(server.url("/to-private"))
    assert all(host != "127.0.0.2" for host, _ in only_loopback_connections)


def test_redirect_to_metadata_address_is_refused(server: FaultServer) -> None:
    with fetcher() as f, pytest.raises(BlockedAddressError):
        f.fetch(server.url("/to-metadata"))


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/admin",
        "http://172.16.5.4/",
        "http://127.0.0.1:9/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://[::ffff:10.0.0.1]/",
    ],
    ids=[
        "10/8",
        "metadata",
        "192.168/16",
        "172.16/12",
        "loopback",
        "ipv6-loopback",
        "unspecified",
        "multicast",
        "cgnat",
        "mapped",
    ],
)
def test_private_addresses_are_refused_without_any_connection(url: str) -> None:
    with ConnectionLog.recording() as log, HttpFetcher(respect_robots=True) as f, pytest.raises(BlockedAddressError):
        f.fetch(url)
    assert log == []


def test_host_resolving_to_a_private_address_is_refused_without_connecting() -> None:
    answers = {"intranet.example": ["10.1.2.3"], "mixed.example": ["93.184.216.34", "192.168.0.7"]}
    with ConnectionLog.recording() as log, HttpFetcher(resolver=lambda host, port: answers[host]) as f:
        for host in answers:
            with pytest.raises(BlockedAddressError, match=host):
                f.fetch(f"https://{host}/story")
    assert log == []


def test_allow_list_admits_exactly_what_it_names() -> None:
    policy = AddressPolicy.from_allow_list(["127.0.0.1", "10.9.0.0/16", "Intranet.Example."])
    assert policy.vet("u", "127.0.0.1", ["127.0.0.1"]) == "127.0.0.1"
    assert policy.vet("u", "db", ["10.9.3.4"]) == "10.9.3.4"
    assert policy.vet("u", "intranet.example", ["192.168.3.3"]) == "192.168.3.3"
    for host, address in [("127.0.0.2", "127.0.0.2"), ("db", "10.8.3.4"), ("other", "192.168.3.3")]:
        with pytest.raises(BlockedAddressError):
            policy.vet("u", host, [address])


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("240.0.0.1", False),
        ("::ffff:192.168.1.1", False),
    ],
    ids=[
        "public-v4",
        "public-v6",
        "loopback",
        "private",
        "metadata",
        "link-local-v6",
        "ula",
        "reserved",
        "mapped-private",
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_robots_disallow_is_honoured_and_robots_fetched_once(server: FaultServer) -> None:
    before_robots = server.hits("/robots.txt")
    with fetcher() as f:
        with pytest.raises(RobotsDisallowed) as raised:
            f.fetch(server.url("/private/page.html"))
        f.fetch(server.url("/ok.html"))
        f.fetch(server.url("/ok.html"))
    assert raised.value.reason == "robots"
    assert server.hits("/private/page.html") == 0
    assert server.hits("/robots.txt") - before_robots == 1


def test_per_host_rate_limit_spaces_requests(server: FaultServer) -> None:
    started = time.monotonic()
    with fetcher(min_host_interval=0.2) as f:
        for _ in range(3):
            f.fetch(server.url("/ok.html"))
    assert time.monotonic() - started >= 0.4


def test_per_host_concurrency_is_capped(server: FaultServer) -> None:
    server.set(
        "/half-second", Response(200, article_html("slowish").encode(), {"Content-Type": "text/html"}, delay=0.3)
    )
    with fetcher(max_host_concurrency=1, read_timeout=2.0) as f:
        f.fetch(server.url("/ok.html"))  # robots.txt fetched before timing
        started = time.monotonic()
        threads = [threading.Thread(target=f.fetch, args=(server.url("/half-second"),)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert time.monotonic() - started >= 0.85


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/file", "file:///etc/passwd", "not a url", "http://user:pw@example.org/"],
    ids=["ftp", "file", "garbage", "credentials"],
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with ConnectionLog.recording() as log, HttpFetcher() as f, pytest.raises(UnsupportedUrl):
        f.fetch(url)
    assert log == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "utf-8")),
        ('text/html; charset="windows-1252"', ("text/html", "cp1252")),
        ("text/html; charset=nonsense", ("text/html", None)),
        ("APPLICATION/RSS+XML", ("application/rss+xml", None)),
        (None, (None, None)),
    ],
    ids=["utf8", "quoted-cp1252", "unknown-charset", "upper-case", "missing"],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(header) == expected


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert 3590 < (parse_retry_after(http_date(time.time() + 3600)) or 0) <= 3600
    assert parse_retry_after("soon") is None


def test_recorded_fetcher_serves_samples_with_etags(tmp_path: Path) -> None:
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "a.html").write_text(article_html("a"), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    f = make_fetcher("recorded", root=str(tmp_path / "world"), base_url="https://wire.eventwire-samples.test/world/")
    first = f.fetch("https://wire.eventwire-samples.test/world/a.html?utm_source=x")
    assert first.status == 200 and first.content_type == "text/html"
    again = f.fetch("https://wire.eventwire-samples.test/world/a.html", etag=first.etag)
    assert again.not_modified
    for missing in [
        "https://wire.eventwire-samples.test/world/missing.html",
        "https://wire.eventwire-samples.test/world/../secret.txt",
        "https://wire.eventwire-samples.test/world/%2e%2e/secret.txt",
        "https://elsewhere.test/world/a.html",
    ]:
        with pytest.raises(HttpStatusError) as raised:
            f.fetch(missing)
        assert raised.value.status == 404


def test_recorded_fetcher_honours_its_robots(tmp_path: Path) -> None:
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /hidden/\n", encoding="utf-8")
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / "p.html").write_text(article_html("p"), encoding="utf-8")
    with pytest.raises(RobotsDisallowed):
        RecordedFetcher(tmp_path).fetch("https://wire.eventwire-samples.test/hidden/p.html")


def test_make_fetcher_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown fetcher"):
        make_fetcher("carrier-pigeon")
