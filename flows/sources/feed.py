"""RSS, Atom and JSON Feed sources.

The feed is fetched with a conditional GET; an unchanged feed (304) costs one request and
yields nothing. XML is first checked with defusedxml (no entity declarations, no external
references) and then read by feedparser from bytes, so feedparser never fetches anything
itself. Entity declarations (the "billion laughs") are always refused as `bad_xml`.

A feed that is merely not well-formed (an undefined `&nbsp;`, a truncated tail) is common on
the web. By default (`lenient_xml = true`) feedparser's forgiving parser recovers what it can
and the feed is still recorded in the quarantine as `bad_xml`, so the fault is visible but
the entries are not lost; with `lenient_xml = false` such a feed is refused outright.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser

from flows.io.fetching import Fetched, Fetcher
from flows.sources.base import Discovered, DiscoveryResult, FetchState, SourceError, fetch_listing, remember
from flows.sources.xmlsafe import check_xml_safe, parse_xml


@dataclass
class FeedSource:
    """An RSS/Atom/JSON Feed at `url`; at most `max_items` entries are taken per run."""

    name: str
    url: str
    max_items: int = 200
    lenient_xml: bool = True
    kind: str = "feed"

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
        result = DiscoveryResult(self.name)
        fetched = fetch_listing(fetcher, self.url, state, result)
        if fetched is None:
            return result
        try:
            entries, malformed = parse_feed(fetched, self.name, lenient_xml=self.lenient_xml)
        except SourceError as error:
            result.fail(error.item, error.reason, error.detail, listing=True)
            return result
        if malformed:
            detail = f"not well-formed XML, read leniently ({len(entries)} entries): {malformed}"
            result.fail(self.url, "bad_xml", detail, listing=True, fatal=not entries)
        for entry in entries[: self.max_items]:
            if isinstance(entry, str):
                result.fail(f"{self.url}#{entry}", "no_link", "feed entry has no link")
            else:
                result.items.append(entry)
        remember(result, fetched, state)
        return result


def parse_feed(
    fetched: Fetched, source_name: str, *, lenient_xml: bool = True
) -> tuple[list[Discovered | str], str | None]:
    """The entries of a fetched feed (an entry without a link is returned as its id, a str),
    and what was wrong with the XML if it had to be read leniently."""
    body = fetched.body.lstrip(b"\xef\xbb\xbf \t\r\n")
    base = fetched.final_url
    if (fetched.content_type or "").endswith("json") or body.startswith(b"{"):
        return _parse_json_feed(body, base, source_name), None
    malformed = check_xml_safe(body, fetched.url) if lenient_xml else None
    if not lenient_xml:
        parse_xml(body, fetched.url)
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": base, "content-type": fetched.content_type or "application/xml"},
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    if parsed.get("bozo") and not parsed.entries:
        raise SourceError(fetched.url, "bad_xml", f"not a readable feed: {parsed.get('bozo_exception')}")
    if not parsed.get("version") and not parsed.entries:
        raise SourceError(fetched.url, "bad_xml", "not an RSS or Atom feed")
    entries: list[Discovered | str] = []
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link") or _first_alternate(entry)
        url = urljoin(base, link.strip()) if link else ""
        if not url.startswith(("http://", "https://")):
            entries.append(str(entry.get("id") or index))
            continue
        entries.append(
            Discovered(
                url=url,
                source_name=source_name,
                title=_clean(entry.get("title")),
                published=_struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=_clean(entry.get("author")),
            )
        )
    return entries, malformed


def _first_alternate(entry: Any) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _struct_to_datetime(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _clean(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(str(value).split())
    return text or None


def _parse_json_feed(body: bytes, base: str, source_name: str) -> list[Discovered | str]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceError(base, "bad_json", f"not a JSON Feed: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise SourceError(base, "bad_json", "not a JSON Feed: no items list")
    entries: list[Discovered | str] = []
    for index, item in enumerate(document["items"]):
        if not isinstance(item, dict):
            entries.append(str(index))
            continue
        link = item.get("url") or item.get("external_url")
        url = urljoin(base, link.strip()) if isinstance(link, str) else ""
        if not url.startswith(("http://", "https://")):
            entries.append(str(item.get("id") or index))
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = ", ".join(a["name"] for a in authors if isinstance(a, dict) and a.get("name")) or None
        entries.append(
            Discovered(
                url=url,
                source_name=source_name,
                title=_clean(item.get("title")),
                published=parse_iso_datetime(item.get("date_published")),
                author=author,
            )
        )
    return entries


def parse_iso_datetime(value: Any) -> dt.datetime | None:
    """An ISO 8601 / RFC 3339 timestamp as an aware UTC datetime; None if absent or invalid."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
