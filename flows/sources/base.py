"""What every kind of source shares: the discovered item, the result of one discovery, and
the conditional-GET state a source keeps between runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from flows.io.fetching import Fetched, Fetcher, FetchError


class SourceError(Exception):
    """A source's listing (feed, sitemap, export list, folder) could not be read.

    `reason` is the short quarantine code (`bad_xml`, `bad_json`, `bad_checksum`…).
    """

    def __init__(self, item: str, reason: str, detail: str) -> None:
        super().__init__(f"{item}: {reason}: {detail}")
        self.item = item
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Discovered:
    """One article a source points at: its URL, what the listing says about it, and for
    local sources where its bytes are (`content` at hand, or a file under `local_root` read
    only if the article is new), so nothing is fetched.

    `published_source` says what `published` is: a listing's date ("feed") or the record's
    own metadata ("metadata", e.g. a JSON Lines record's `published`).
    """

    url: str
    source_name: str
    title: str | None = None
    published: dt.datetime | None = None
    published_source: str = "feed"
    author: str | None = None
    content: bytes | None = None
    content_type: str | None = None
    local_path: str | None = None
    local_root: str | None = None

    @property
    def is_local(self) -> bool:
        return self.content is not None or self.local_path is not None


@dataclass(frozen=True)
class Failure:
    """Something a source could not turn into items, with the quarantine fields."""

    item: str
    stage: str
    reason: str
    detail: str


@dataclass(frozen=True)
class FetchState:
    """What a source remembers about one listing URL between runs.

    `marker` is source-specific memory, e.g. the newest GDELT export already read.
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    marker: str | None = None


@dataclass
class DiscoveryResult:
    """The outcome of one source's discovery in one run."""

    source_name: str
    items: list[Discovered] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    states: list[FetchState] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    listing_failed: bool = False
    listing_errors: list[str] = field(default_factory=list)

    def fail(
        self,
        item: str,
        reason: str,
        detail: str,
        stage: str = "discover",
        *,
        listing: bool = False,
        fatal: bool = True,
    ) -> None:
        """Record a failure. `listing=True` when it concerns the source's own listing rather
        than one entry; `fatal=False` when the listing was still read (e.g. leniently)."""
        self.failures.append(Failure(item, stage, reason, detail))
        if listing:
            self.listing_errors.append(f"{reason}: {detail}")
            self.listing_failed = self.listing_failed or fatal


class Source(Protocol):
    """A configured source of articles."""

    name: str
    kind: str

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult: ...


def fetch_listing(
    fetcher: Fetcher, url: str, state: Mapping[str, FetchState], result: DiscoveryResult
) -> Fetched | None:
    """Fetch a listing conditionally; None when it is unchanged (304) or failed (recorded).

    The caller calls `remember` once the listing has been read, so a listing that failed to
    parse is fetched in full again next run.
    """
    previous = state.get(url)
    result.requests += 1
    try:
        fetched = fetcher.fetch(
            url,
            etag=previous.etag if previous else None,
            last_modified=previous.last_modified if previous else None,
        )
    except FetchError as error:
        result.fail(url, error.reason, error.message, stage="fetch", listing=True)
        return None
    if fetched.not_modified:
        result.not_modified += 1
        return None
    return fetched


def remember(
    result: DiscoveryResult,
    fetched: Fetched,
    state: Mapping[str, FetchState],
    *,
    marker: str | None = None,
) -> None:
    """Keep a listing's validators (and marker; the old one unless given) for the next run."""
    previous = state.get(fetched.url)
    result.states.append(
        FetchState(
            fetched.url,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            marker=marker if marker is not None else (previous.marker if previous else None),
        )
    )
