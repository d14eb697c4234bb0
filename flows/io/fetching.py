"""Fetching bytes from the web, politely and safely, behind one small interface.

Two fetchers share the `Fetcher` protocol and are chosen by name with `make_fetcher`:

- `"http"`: `HttpFetcher`, built on httpx. Connect/read timeouts and an overall deadline per
  request, the run's time budget per host and in all (`BudgetSpent` once it is used up),
  retries with backoff on 429/5xx honouring `Retry-After` (capped; the one retry layer of a
  run, and never for a timeout), a per-host rate limit and concurrency cap, conditional GET, robots.txt (cached per host), a configurable
  User-Agent, a maximum body size counted after decompression, content-type checks, and a
  bounded redirect chain followed by hand. Every hop's host is resolved first and refused when
  an address is loopback, private, link-local, multicast, reserved or a metadata address,
  unless the host is on the allow-list; the connection then goes to the vetted address, so a
  second DNS answer cannot point it elsewhere.
- `"recorded"`: `RecordedFetcher`, the offline twin. It serves `data/samples/site/<path>` for
  `https://wire.eventwire-samples.test/<path>`, with ETags so conditional GETs behave as on
  the web.

Every failure is a `FetchError` whose `reason` is the short code the quarantine stores.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import ipaddress
import mimetypes
import random
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from flows.settings import DEFAULT_SAMPLES_ROOT
from transforms.retrying import RunBudget

SAMPLES_BASE_URL = "https://wire.eventwire-samples.test/"
DEFAULT_USER_AGENT = "eventwire/0.1 (event-data pipeline; respects robots.txt)"

MEBIBYTE = 1024 * 1024

ACCEPTED_CONTENT_TYPES: frozenset[str] = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "text/csv",
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip-compressed",
        "application/octet-stream",
    }
)

RETRYABLE_STATUSES: frozenset[int] = frozenset({408, 425, 429, 500, 502, 503, 504})
_METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})

Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """Fetching a URL failed; `reason` is the short code recorded in the quarantine."""

    reason = "fetch_error"
    transient = False

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int, message: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(url, message or f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after

    @property
    def reason(self) -> str:  # type: ignore[override]
        return f"http_{self.status}"

    @property
    def transient(self) -> bool:  # type: ignore[override]
        return self.status in RETRYABLE_STATUSES


class FetchTimeout(FetchError):
    """Connecting, reading or the whole request took longer than allowed."""

    reason = "timeout"
    transient = True


class FetchConnectionError(FetchError):
    """The connection could not be made or broke off (DNS, refused, reset)."""

    reason = "connect_error"
    transient = True


class BodyTooLarge(FetchError):
    """The body (after decompression) is larger than the configured maximum."""

    reason = "too_large"


class RedirectError(FetchError):
    """A redirect chain loops, is too long, or points somewhere that cannot be fetched."""

    def __init__(self, url: str, message: str, *, reason: str = "too_many_redirects") -> None:
        super().__init__(url, message)
        self._reason = reason

    @property
    def reason(self) -> str:  # type: ignore[override]
        return self._reason


class BlockedAddressError(FetchError):
    """The host resolves to an address that is not public and not on the allow-list."""

    reason = "blocked_address"


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow this User-Agent to fetch the URL."""

    reason = "robots"


class RobotsUnavailable(RobotsDisallowed):
    """robots.txt answered a server error or 429: nothing is fetched from the host until it reads."""

    reason = "robots_unavailable"
    transient = True


class BudgetSpent(FetchError):
    """The run's time for this host, or for all its fetching, is spent: the URL waits for the next run.

    Not a failure of the URL: it is neither quarantined nor counted against its attempts.
    """

    reason = "deferred"


class UnsupportedContentType(FetchError):
    """The server sent a kind of content the pipeline does not read (PDF, image, video…)."""

    reason = "content_type"


class UnsupportedUrl(FetchError):
    """The URL is not an absolute http(s) URL."""

    reason = "bad_url"


class DecodingError(FetchError):
    """The body's Content-Encoding could not be decoded."""

    reason = "decode_error"


@dataclass(frozen=True)
class Fetched:
    """What a fetch returned. `not_modified` is true for a 304 answer, whose body is empty."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    content_type: str | None
    charset: str | None
    fetched_at: dt.datetime
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Fetcher(Protocol):
    """Anything that can fetch a URL, optionally conditionally."""

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET `url` (conditionally, given validators); `max_bytes` overrides the size cap."""
        ...

    def close(self) -> None: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset); an unknown charset becomes None."""
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    media_type = parts[0].lower() or None
    charset = None
    for part in parts[1:]:
        key, _, raw = part.partition("=")
        if key.strip().lower() == "charset":
            charset = known_charset(raw.strip().strip("\"'"))
    return media_type, charset


def known_charset(name: str | None) -> str | None:
    """The codec name Python knows for a charset label, or None."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or utc_now())).total_seconds())


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses; false for everything a fetch must not reach."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in _METADATA_ADDRESSES:
        return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_loopback or address.is_link_local
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts may be fetched: public addresses always, others only when allow-listed.

    Allow-list entries are host names (`localhost`), addresses (`127.0.0.1`) or networks
    (`10.1.0.0/16`). A listed host name allows whatever it resolves to; a listed address or
    network allows exactly those addresses and nothing around them.
    """

    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_allow_list(cls, entries: Iterable[str] | None) -> AddressPolicy:
        hosts: set[str] = set()
        networks = []
        for entry in entries or ():
            entry = entry.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def address_allowed(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return is_public_address(address) or any(address in net for net in self.networks)

    def vet(self, url: str, host: str, addresses: Iterable[str]) -> str:
        """The first address that may be connected to; raises if any address is refused.

        All answers must pass: a host that resolves to one public and one private address
        is refused, so that a resolver answering differently later cannot reach inside.
        """
        host_key = host.lower().rstrip(".")
        checked = []
        for raw in addresses:
            address = ipaddress.ip_address(raw.split("%", 1)[0])
            if host_key not in self.hosts and not self.address_allowed(address):
                where = f"{address}" if _literal_address(host) == address else f"{host} resolves to {address}, which"
                raise BlockedAddressError(url, f"{where} is not a public address (and not on the allow-list)")
            checked.append(str(address))
        if not checked:
            raise FetchConnectionError(url, f"{host} has no address")
        return checked[0]


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve_host(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (an IP literal resolves to itself, without DNS)."""
    literal = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(literal))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(literal, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


@dataclass
class _HostGate:
    """Per-host concurrency cap and minimum interval between request starts."""

    slots: threading.BoundedSemaphore
    interval: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


@dataclass
class _RobotsRules:
    parser: urllib.robotparser.RobotFileParser | None
    allow_all: bool = False
    disallow_all: bool = False

    def allows(self, user_agent: str, url: str) -> bool:
        if self.allow_all:
            return True
        if self.disallow_all or self.parser is None:
            return False
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def parse_robots(text: str) -> _RobotsRules:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return _RobotsRules(parser)


def robots_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("eventwire" for "eventwire/0.1 …")."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


class HttpFetcher:
    """A polite, safe HTTP(S) fetcher (see the module docstring). Thread-safe."""

    def __init__(
        self,
        *,
        allow_hosts: Iterable[str] | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 60.0,
        max_bytes: int = 10 * MEBIBYTE,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 60.0,
        min_host_interval: float = 1.0,
        max_host_concurrency: int = 2,
        max_crawl_delay: float = 10.0,
        respect_robots: bool = True,
        host_budget_seconds: float | None = None,
        run_deadline_seconds: float | None = None,
        content_types: Iterable[str] = ACCEPTED_CONTENT_TYPES,
        resolver: Resolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        verify: bool = True,
    ) -> None:
        self.policy = AddressPolicy.from_allow_list(allow_hosts)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.clock = clock
        self.budget = RunBudget(host_budget_seconds, run_deadline_seconds, started=clock())
        self.user_agent = user_agent
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.min_host_interval = min_host_interval
        self.max_host_concurrency = max(1, max_host_concurrency)
        self.max_crawl_delay = max_crawl_delay
        self.respect_robots = respect_robots
        self.content_types = frozenset(c.lower() for c in content_types)
        self.resolver = resolver or resolve_host
        self.sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=total_timeout),
            follow_redirects=False,
            trust_env=False,
            verify=verify,
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
        )
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, _RobotsRules] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET a URL, retrying quick transient failures; raise a `FetchError` for anything else.

        This is the one retry layer of a run: 429, 5xx and broken connections are tried again
        `retries` times, after a backoff (or the server's Retry-After) that must fit in what
        is left of the host's and the run's time. A timeout is not retried in the run (it
        has cost its full time already); later runs retry it (`transforms/retrying.py`).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.max_bytes
        for attempt in range(self.retries + 1):
            try:
                return self._fetch_following_redirects(url, headers, limit, check_robots=self.respect_robots)
            except FetchError as error:
                if not error.transient or isinstance(error, FetchTimeout) or attempt >= self.retries:
                    raise
                delay = self._retry_delay(error, attempt)
                if not self._time_left_for(url, delay):
                    raise
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _time_left_for(self, url: str, wait: float) -> bool:
        """Whether waiting `wait` seconds and then asking again fits in the host's and the run's time."""
        host = (urlsplit(url).hostname or "").rstrip(".")
        with self._lock:
            allowance = self.budget.allowance(host, self.clock() + wait, self.total_timeout)
        return allowance is not None and allowance > wait

    def _retry_delay(self, error: FetchError, attempt: int) -> float:
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return min(self.backoff * (2**attempt) * (1 + random.random() / 4), self.max_retry_after)

    def _fetch_following_redirects(
        self, url: str, headers: dict[str, str], max_bytes: int, *, check_robots: bool
    ) -> Fetched:
        current = url
        seen = {url}
        for _hop in range(self.max_redirects + 1):
            parts = _split_http_url(current)
            address = self._vetted_address(current, parts)
            if check_robots:
                self._check_robots(current, parts)
            response_or_fetched = self._request(current, parts, address, headers, max_bytes)
            if isinstance(response_or_fetched, Fetched):
                return Fetched(
                    url=url,
                    final_url=current,
                    status=response_or_fetched.status,
                    headers=response_or_fetched.headers,
                    body=response_or_fetched.body,
                    content_type=response_or_fetched.content_type,
                    charset=response_or_fetched.charset,
                    fetched_at=response_or_fetched.fetched_at,
                    not_modified=response_or_fetched.not_modified,
                )
            location = response_or_fetched
            target = urljoin(current, location)
            if target in seen:
                raise RedirectError(url, f"redirect loop at {target}", reason="redirect_loop")
            seen.add(target)
            current = target
        raise RedirectError(url, f"more than {self.max_redirects} redirects")

    def _vetted_address(self, url: str, parts: _UrlParts) -> str:
        """Resolve the URL's host and return the address to connect to, or refuse it."""
        try:
            addresses = self.resolver(parts.host, parts.port)
        except OSError as error:
            raise FetchConnectionError(url, f"cannot resolve {parts.host}: {error}") from error
        return self.policy.vet(url, parts.host, addresses)

    def _request(
        self, url: str, parts: _UrlParts, address: str, headers: dict[str, str], max_bytes: int
    ) -> Fetched | str:
        """One request to the vetted address: a `Fetched`, or the Location of a redirect."""
        pinned = parts.with_address(address)
        request_headers = {**headers, "Host": parts.host_header}
        extensions = {"sni_hostname": parts.host} if parts.scheme == "https" else {}
        with self._host_slot(parts.host):
            started = self.clock()
            with self._lock:
                allowance = self.budget.allowance(parts.host, started, self.total_timeout)
            if allowance is None:
                raise BudgetSpent(url, f"this run's time for {parts.host} (or for all fetching) is spent")
            timeout = httpx.Timeout(
                connect=min(self.connect_timeout, allowance),
                read=min(self.read_timeout, allowance),
                write=min(self.read_timeout, allowance),
                pool=allowance,
            )
            try:
                try:
                    request = self._client.build_request(
                        "GET", pinned, headers=request_headers, extensions=extensions, timeout=timeout
                    )
                    response = self._client.send(request, stream=True)
                except httpx.TimeoutException as error:
                    raise FetchTimeout(url, f"{type(error).__name__}: {error}") from error
                except httpx.TransportError as error:
                    raise FetchConnectionError(url, f"{type(error).__name__}: {error}") from error
                try:
                    return self._read_response(url, response, max_bytes, time.monotonic() + allowance)
                finally:
                    response.close()
            except FetchTimeout as error:
                # The budget, not the configured timeouts, ended it: a shortened limit ran out.
                if allowance < self.total_timeout and self.clock() - started >= 0.95 * allowance:
                    raise BudgetSpent(url, f"this run's time for {parts.host} ran out during the request") from error
                raise
            finally:
                with self._lock:
                    self.budget.spend(parts.host, self.clock() - started)

    def _read_response(self, url: str, response: httpx.Response, max_bytes: int, deadline: float) -> Fetched | str:
        status = response.status_code
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                raise RedirectError(url, f"HTTP {status} without a Location", reason="bad_redirect")
            return location
        if status == 304:
            media_type, charset = parse_content_type(response.headers.get("content-type"))
            return Fetched(url, url, 304, response_headers, b"", media_type, charset, utc_now(), not_modified=True)
        if status >= 400 or status < 200:
            raise HttpStatusError(url, status, retry_after=parse_retry_after(response.headers.get("retry-after")))
        media_type, charset = parse_content_type(response.headers.get("content-type"))
        if media_type and media_type not in self.content_types:
            raise UnsupportedContentType(url, f"content type {media_type} is not read")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes and "content-encoding" not in response_headers:
            raise BodyTooLarge(url, f"Content-Length {declared} exceeds {max_bytes} bytes")
        body = _read_capped(url, response, max_bytes, deadline)
        return Fetched(url, url, status, response_headers, body, media_type, charset, utc_now())

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(threading.BoundedSemaphore(self.max_host_concurrency), self.min_host_interval)
                self._gates[host] = gate
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                wait = max(0.0, gate.next_start - now)
                gate.next_start = max(now, gate.next_start) + gate.interval
            if wait:
                self.sleep(wait)
            yield

    def _check_robots(self, url: str, parts: _UrlParts) -> None:
        rules = self._robots_for(parts)
        token = robots_token(self.user_agent)
        if not rules.allows(token, url):
            raise RobotsDisallowed(url, f"robots.txt of {parts.host} disallows it for {token}")

    def _robots_for(self, parts: _UrlParts) -> _RobotsRules:
        origin = f"{parts.scheme}://{parts.host_header}"
        with self._lock:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        robots_url = origin + "/robots.txt"
        try:
            fetched = self._fetch_following_redirects(robots_url, {}, 512 * 1024, check_robots=False)
            rules = parse_robots(fetched.body.decode("utf-8", errors="replace"))
        except HttpStatusError as error:
            if error.status >= 500 or error.status == 429:
                raise RobotsUnavailable(
                    url_of(parts), f"robots.txt answered {error.status}; treated as disallow"
                ) from error
            rules = _RobotsRules(None, allow_all=True)
        except (UnsupportedContentType, BodyTooLarge, RedirectError, DecodingError):
            # RFC 9309: an unreadable robots.txt (not a server error) means no rules.
            rules = _RobotsRules(None, allow_all=True)
        crawl_delay = rules.crawl_delay(robots_token(self.user_agent))
        if crawl_delay:
            with self._lock:
                gate = self._gates.setdefault(
                    parts.host,
                    _HostGate(threading.BoundedSemaphore(self.max_host_concurrency), self.min_host_interval),
                )
                gate.interval = max(gate.interval, min(crawl_delay, self.max_crawl_delay))
        with self._lock:
            self._robots[origin] = rules
        return rules


@dataclass(frozen=True)
class _UrlParts:
    scheme: str
    host: str
    port: int
    path: str
    query: str
    explicit_port: bool

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.explicit_port else host

    def with_address(self, address: str) -> str:
        netloc = f"[{address}]" if ":" in address else address
        if self.explicit_port:
            netloc += f":{self.port}"
        return urlunsplit((self.scheme, netloc, self.path or "/", self.query, ""))


def url_of(parts: _UrlParts) -> str:
    return urlunsplit((parts.scheme, parts.host_header, parts.path or "/", parts.query, ""))


def _split_http_url(url: str) -> _UrlParts:
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError as error:
        raise UnsupportedUrl(url, f"not a valid URL: {error}") from error
    scheme = split.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsupportedUrl(url, f"scheme {scheme or '(none)'} is not fetched")
    host = (split.hostname or "").rstrip(".")
    if not host:
        raise UnsupportedUrl(url, "no host")
    if split.username or split.password:
        raise UnsupportedUrl(url, "credentials in URLs are not fetched")
    default_port = 443 if scheme == "https" else 80
    return _UrlParts(scheme, host, port or default_port, split.path, split.query, port is not None)


def _read_capped(url: str, response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """Read and decode the body, refusing it once it passes `max_bytes` or the deadline.

    Decompression is done here with a bounded output size, so a small compressed body that
    expands to gigabytes is stopped at `max_bytes` without ever being held in memory.
    """
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    decoder = _Decoder(url, encoding, max_bytes)
    chunks: list[bytes] = []
    total = 0
    try:
        for raw in response.iter_raw():
            if time.monotonic() > deadline:
                raise FetchTimeout(url, "the body did not finish before the deadline")
            for piece in decoder.feed(raw):
                total += len(piece)
                if total > max_bytes:
                    raise BodyTooLarge(url, f"body exceeds {max_bytes} bytes")
                chunks.append(piece)
        for piece in decoder.flush():
            total += len(piece)
            if total > max_bytes:
                raise BodyTooLarge(url, f"body exceeds {max_bytes} bytes")
            chunks.append(piece)
    except httpx.TimeoutException as error:
        raise FetchTimeout(url, f"{type(error).__name__} while reading the body") from error
    except httpx.TransportError as error:
        raise FetchConnectionError(url, f"{type(error).__name__} while reading the body: {error}") from error
    return b"".join(chunks)


class _Decoder:
    """Content-Encoding decoding with bounded output per step."""

    def __init__(self, url: str, encoding: str, max_bytes: int) -> None:
        self.url = url
        self.max_bytes = max_bytes
        self.encodings = [e.strip() for e in encoding.split(",") if e.strip() and e.strip() != "identity"]
        if len(self.encodings) > 1 or any(e not in ("gzip", "x-gzip", "deflate") for e in self.encodings):
            raise DecodingError(url, f"unsupported Content-Encoding {encoding}")
        self._zlib: Any = None
        if self.encodings:
            wbits = 16 + zlib.MAX_WBITS if self.encodings[0] in ("gzip", "x-gzip") else zlib.MAX_WBITS
            self._zlib = zlib.decompressobj(wbits)
        self._first_deflate = self.encodings == ["deflate"]

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            yield data
            return
        if self._first_deflate and data:
            self._first_deflate = False
            probe = zlib.decompressobj(zlib.MAX_WBITS)
            try:
                probe.decompress(data[:64], 1)
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        try:
            while pending:
                out = self._zlib.decompress(pending, self.max_bytes + 1)
                if out:
                    yield out
                pending = self._zlib.unconsumed_tail
        except zlib.error as error:
            raise DecodingError(self.url, f"cannot decode the {self.encodings[0]} body: {error}") from error

    def flush(self) -> Iterator[bytes]:
        if self._zlib is not None:
            try:
                rest = self._zlib.flush()
            except zlib.error as error:
                raise DecodingError(self.url, f"cannot decode the body: {error}") from error
            if rest:
                yield rest


_SUFFIX_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".gz": "application/gzip",
    ".zip": "application/zip",
}


class RecordedFetcher:
    """The offline twin of `HttpFetcher`: serves files under `root` for URLs under `base_url`.

    A URL outside `base_url` or a missing file is a 404. ETags are the hash of the file, so a
    conditional GET of an unchanged file is a 304, as on the web. A `robots.txt` at the root
    is honoured.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        base_url: str = SAMPLES_BASE_URL,
        respect_robots: bool = True,
        user_agent: str = DEFAULT_USER_AGENT,
        max_bytes: int = 10 * MEBIBYTE,
    ) -> None:
        self.root = Path(root) if root is not None else DEFAULT_SAMPLES_ROOT
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self._robots: _RobotsRules | None = None

    def close(self) -> None:
        """Nothing to release; present for the `Fetcher` protocol."""

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        path = self._path_for(url)
        if self.respect_robots and not self._robots_rules().allows(robots_token(self.user_agent), url):
            raise RobotsDisallowed(url, "robots.txt of the recorded site disallows it")
        try:
            body = path.read_bytes()
        except OSError as error:
            raise HttpStatusError(url, 404, f"not recorded: {error.strerror}") from error
        limit = max_bytes or self.max_bytes
        if len(body) > limit:
            raise BodyTooLarge(url, f"body exceeds {limit} bytes")
        file_etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = email.utils.format_datetime(
            dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC), usegmt=True
        )
        media_type = _SUFFIX_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        headers = {"etag": file_etag, "last-modified": modified}
        if media_type:
            headers["content-type"] = media_type
        now = utc_now()
        if etag is not None and etag == file_etag:
            return Fetched(url, url, 304, headers, b"", media_type, None, now, not_modified=True)
        return Fetched(url, url, 200, headers, body, media_type, None, now)

    def _path_for(self, url: str) -> Path:
        if not url.startswith(self.base_url):
            raise HttpStatusError(url, 404, f"not recorded (outside {self.base_url})")
        relative = unquote(urlsplit(url).path[len(urlsplit(self.base_url).path) :])
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        root = self.root.resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise HttpStatusError(url, 404, "not recorded")
        return path

    def _robots_rules(self) -> _RobotsRules:
        if self._robots is None:
            robots = self.root / "robots.txt"
            self._robots = (
                parse_robots(robots.read_text(encoding="utf-8", errors="replace"))
                if robots.is_file()
                else _RobotsRules(None, allow_all=True)
            )
        return self._robots


_RECORDED_OPTIONS = ("base_url", "respect_robots", "user_agent", "max_bytes")


def make_fetcher(name: str, **options: Any) -> Fetcher:
    """The fetcher called `name` ("http" or "recorded"), configured with `options`.

    `"recorded"` takes `root` (the folder served; default `data/samples/site`) and ignores
    options that only concern the network (timeouts, allow-list, rate limits).
    """
    if name == "http":
        options.pop("root", None)
        return HttpFetcher(**options)
    if name == "recorded":
        root = options.pop("root", None)
        return RecordedFetcher(root, **{k: v for k, v in options.items() if k in _RECORDED_OPTIONS})
    raise ValueError(f"unknown fetcher {name!r}: use 'http' or 'recorded'")
