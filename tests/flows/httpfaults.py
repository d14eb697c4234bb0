"""A real HTTP server on 127.0.0.1 that serves feeds and pages with every fault the web has.

`FaultServer` is a threaded `http.server` on an ephemeral port, started per test module by a
fixture. Every route is a small function; the server logs each request (path and headers) so
tests can assert what was, and what was not, asked for. Endless and huge bodies stop by
themselves (bounded in bytes and time) when the client does not hang up first.

`ConnectionLog` records every outgoing `socket.connect` of this process (through an audit
hook), so a test can prove that a refused address was never connected to.
"""

from __future__ import annotations

import datetime
import gzip
import http.server
import io
import random
import ssl
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

_PLACES = ("Lakeport", "Northbridge", "Stonefield", "Redhaven", "Eastmoor", "Kingsford", "Ashvale", "Brightwater")
_BODIES = (
    "the transport ministry",
    "the regional council",
    "the port authority",
    "the electoral commission",
    "the health agency",
    "the farmers' union",
    "the central bank",
    "the border police",
)
_TOPICS = (
    "a new bridge",
    "grain exports",
    "water rationing",
    "a disputed election",
    "vaccine supplies",
    "fishing rights",
    "fuel prices",
    "a prisoner exchange",
)
_VERBS = ("postponed", "approved", "rejected", "suspended", "extended", "criticised", "defended", "reviewed")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def story_paragraphs(slug: str) -> list[str]:
    """Four paragraphs of plausible news prose, different for every slug (so no two pages of a
    test are near-duplicates of each other)."""
    rng = random.Random(slug)
    place, other = rng.sample(_PLACES, 2)
    body, second = rng.sample(_BODIES, 2)
    topic, verb, day = rng.choice(_TOPICS), rng.choice(_VERBS), rng.choice(_DAYS)
    number, share = rng.randint(12, 480), rng.randint(11, 89)
    return [
        f"Officials in {place} said on {day} that {body} had {verb} its plan on {topic}, "
        f"a decision that affects about {number} families in the district, according to a statement.",
        f"Representatives of {second} met in {other} later the same day and asked for written guarantees, "
        f"warning that {share} percent of local businesses could close if the dispute over {topic} dragged on.",
        f"Residents interviewed near the market in {place} were divided: some welcomed the move, while others "
        f"said {body} had ignored them for years and that the {verb} plan came too late to help.",
        f"A spokesman for {body} declined to say when the next round of talks with {second} would take place, "
        f"but said a report on {topic} would be published within {rng.randint(2, 9)} weeks.",
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/never.html</link></item>
</channel></rss>
"""

BROKEN_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>Half an item</title><link>http://127.0.0.1/x.html</lin
"""

CONSENT_WALL = """<!doctype html><html lang="en"><head><title>Before you continue</title></head><body>
<div class="consent"><h1>Before you continue</h1>
<p>We value your privacy. We and our partners use cookies and similar technologies to store and/or
access information on a device, to personalise content and ads and to measure audiences.</p>
<p>By clicking accept, you agree to the use of cookies as described in our cookie policy.</p>
<button>Accept all</button> <button>Reject all</button> <a href="#">Manage preferences</a>
</div></body></html>"""


def article_html(slug: str, *, title: str | None = None, date: str | None = "2024-10-14") -> str:
    """A realistic small article page with a cookie banner, share bar and comments."""
    title = title or f"Talks on the {slug} dispute"
    paragraphs = "\n".join(f"<p>{p}</p>" for p in story_paragraphs(slug))
    meta = f'<meta property="article:published_time" content="{date}T08:00:00+00:00">' if date else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>
<body><div class="cookie-banner"><p>We use cookies to improve your experience on our website.</p><button>Accept all</button></div>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p class="byline">By Test Reporter</p>
{paragraphs}
<div class="share">Share this article: Facebook | Twitter | Email</div></article>
<section id="comments"><h3>2 Comments</h3><p>Reader: The police shot at us in the market today, nobody reports it.</p></section>
<footer>Copyright Example News</footer></body></html>"""


def rss(items: list[tuple[str, str]], *, title: str = "Fault feed") -> bytes:
    """An RSS 2.0 feed of (title, absolute link) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 14 Oct 2024 08:00:00 +0000</pubDate></item>"
        for t, link in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'.encode()


def gdelt_export(urls: list[str]) -> bytes:
    """A zipped GDELT 2.0 event export (61 tab-separated columns, SOURCEURL last)."""
    lines = []
    for number, url in enumerate(urls):
        row = [""] * 61
        row[0] = str(1_200_000_000 + number)
        row[1] = "20241014"
        row[59] = "20241014081500"
        row[60] = url
        lines.append("\t".join(row))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20241014081500.export.CSV", "\n".join(lines) + "\n")
    return buffer.getvalue()


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[Callable[[bytes], None]], None] | None = None
    delay: float = 0.0


Route = Callable[["RequestInfo"], Response]


@dataclass(frozen=True)
class RequestInfo:
    path: str
    headers: dict[str, str]
    count: int


class FaultServer:
    """The fault server; `url(path)` gives the absolute URL of a route."""

    MAX_STREAM_SECONDS = 15.0
    MAX_STREAM_BYTES = 60 * 1024 * 1024

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.scheme = "https" if tls else "http"
        self.routes: dict[str, Route] = {}
        self.requests: list[RequestInfo] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(function: Route) -> Route:
            self.routes[path] = function
            return function

        return register

    def set(self, path: str, response: Response | Route) -> None:
        if callable(response):
            self.routes[path] = response
            return
        fixed = response

        def constant(_info: RequestInfo) -> Response:
            return fixed

        self.routes[path] = constant

    def hits(self, path: str) -> int:
        with self._lock:
            return self._counts.get(path, 0)

    def requests_for(self, path: str) -> list[RequestInfo]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            count = self._counts.get(path, 0) + 1
            self._counts[path] = count
            info = RequestInfo(handler.path, {k.lower(): v for k, v in handler.headers.items()}, count)
            self.requests.append(info)
        route = self.routes.get(path)
        response = route(info) if route else Response(404, b"not here", {"Content-Type": "text/plain"})
        if response.delay:
            time.sleep(response.delay)
        try:
            handler.send_response(response.status)
            for key, value in response.headers.items():
                handler.send_header(key, value)
            if response.stream is None and "Content-Length" not in response.headers:
                handler.send_header("Content-Length", str(len(response.body)))
            handler.end_headers()
            if response.stream is not None:
                response.stream(self._bounded_writer(handler))
            else:
                handler.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _bounded_writer(self, handler: http.server.BaseHTTPRequestHandler) -> Callable[[bytes], None]:
        started = time.monotonic()
        sent = 0

        def write(chunk: bytes) -> None:
            nonlocal sent
            if time.monotonic() - started > self.MAX_STREAM_SECONDS or sent > self.MAX_STREAM_BYTES:
                raise BrokenPipeError("stream bound reached")
            handler.wfile.write(chunk)
            handler.wfile.flush()
            sent += len(chunk)

        return write


def endless(chunk: bytes = b"<p>" + b"more text " * 400 + b"</p>\n", pause: float = 0.0) -> Callable:
    """A body that never ends (until the client hangs up or the server's bound is reached)."""

    def stream(write: Callable[[bytes], None]) -> None:
        write(b"<!doctype html><html><body>")
        while True:
            write(chunk)
            if pause:
                time.sleep(pause)

    return stream


def gzip_bomb(expanded_bytes: int) -> bytes:
    """A small gzip body that expands to `expanded_bytes` zeros."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        block = b"\0" * (1024 * 1024)
        for _ in range(expanded_bytes // len(block)):
            out.write(block)
    return buffer.getvalue()


def http_date(seconds: float | None = None) -> str:
    return formatdate(seconds, usegmt=True)


def self_signed_tls(tmp_dir: Path, host: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a fresh self-signed certificate for `host`, and a client
    context that trusts exactly that certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_dir / f"{host}.pem", tmp_dir / f"{host}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


class ConnectionLog:
    """Every `socket.connect` address made by this process while recording is on."""

    _installed = False
    _active: list[list[tuple[str, int]]] = []

    @classmethod
    def _install(cls) -> None:
        if cls._installed:
            return

        def hook(event: str, args: tuple) -> None:
            if event == "socket.connect" and cls._active:
                address = args[1]
                if isinstance(address, tuple) and len(address) >= 2:
                    for log in cls._active:
                        log.append((str(address[0]), int(address[1])))

        sys.addaudithook(hook)
        cls._installed = True

    @classmethod
    @contextmanager
    def recording(cls) -> Iterator[list[tuple[str, int]]]:
        cls._install()
        log: list[tuple[str, int]] = []
        cls._active.append(log)
        try:
            yield log
        finally:
            cls._active.remove(log)
