"""News sitemap sources (sitemaps.org `urlset` with the Google News extension, and
sitemap indexes one level deep). Parsed with defusedxml; gzipped sitemaps are
decompressed with a size cap."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

from flows.io.fetching import MEBIBYTE, Fetched, Fetcher
from flows.sources.base import Discovered, DiscoveryResult, FetchState, SourceError, fetch_listing, remember
from flows.sources.feed import parse_iso_datetime
from flows.sources.xmlsafe import local_name, parse_xml


@dataclass
class SitemapSource:
    """A news sitemap or sitemap index at `url`."""

    name: str
    url: str
    max_items: int = 200
    max_sitemaps: int = 10
    max_uncompressed_bytes: int = 50 * MEBIBYTE
    kind: str = "sitemap"

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
        result = DiscoveryResult(self.name)
        fetched = fetch_listing(fetcher, self.url, state, result)
        if fetched is None:
            return result
        try:
            root = parse_xml(self._body(fetched), fetched.url)
        except SourceError as error:
            result.fail(error.item, error.reason, error.detail, listing=True)
            return result
        remember(result, fetched, state)
        found: list[tuple[dt.datetime | None, Discovered]] = []
        if local_name(root.tag) == "sitemapindex":
            children = [loc for loc, _ in _entries(root, fetched.final_url)][: self.max_sitemaps]
            for child in children:
                child_fetched = fetch_listing(fetcher, child, state, result)
                if child_fetched is None:
                    continue
                try:
                    child_root = parse_xml(self._body(child_fetched), child)
                except SourceError as error:
                    result.fail(error.item, error.reason, error.detail)
                    continue
                remember(result, child_fetched, state)
                found.extend(self._items(child_root, child_fetched.final_url))
        else:
            found.extend(self._items(root, fetched.final_url))
        result.items = _newest_first(found)[: self.max_items]
        return result

    def _body(self, fetched: Fetched) -> bytes:
        body = fetched.body
        if body[:2] == b"\x1f\x8b":
            return gunzip_capped(body, self.max_uncompressed_bytes, fetched.url)
        return body

    def _items(self, root: Element, base: str) -> list[tuple[dt.datetime | None, Discovered]]:
        """(publication or last-modified time, item): `lastmod` orders the items but is not
        a publication date, so it never dates an article."""
        if local_name(root.tag) != "urlset":
            return []
        items: list[tuple[dt.datetime | None, Discovered]] = []
        for url_element in root:
            if local_name(url_element.tag) != "url":
                continue
            loc = title = None
            published: dt.datetime | None = None
            lastmod: dt.datetime | None = None
            for child in url_element.iter():
                name = local_name(child.tag)
                text = (child.text or "").strip()
                if name == "loc" and loc is None and text:
                    loc = urljoin(base, text)
                elif name == "publication_date":
                    published = parse_iso_datetime(text) or _date_only(text)
                elif name == "title" and text:
                    title = " ".join(text.split())
                elif name == "lastmod":
                    lastmod = parse_iso_datetime(text) or _date_only(text)
            if loc:
                items.append((published or lastmod, Discovered(loc, self.name, title=title, published=published)))
        return items


def _entries(root: Element, base: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for child in root:
        loc = next((c.text for c in child if local_name(c.tag) == "loc" and c.text), None)
        if loc:
            found.append((urljoin(base, loc.strip()), None))
    return found


def _date_only(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time(), dt.UTC)
    except ValueError:
        return None


def _newest_first(items: list[tuple[dt.datetime | None, Discovered]]) -> list[Discovered]:
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return [item for _, item in sorted(items, key=lambda pair: pair[0] or floor, reverse=True)]


def gunzip_capped(body: bytes, max_bytes: int, item: str) -> bytes:
    """Decompress gzip bytes, refusing output beyond `max_bytes` (a gzip bomb stops early)."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            while chunk := stream.read(1024 * 1024):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise SourceError(item, "too_large", f"decompressed body exceeds {max_bytes} bytes")
    except (OSError, EOFError) as error:
        raise SourceError(item, "bad_gzip", f"cannot decompress: {error}") from error
    return out.getvalue()
