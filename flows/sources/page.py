"""Single-page sources: one or more article URLs named in the sources file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.io.fetching import Fetcher
from flows.sources.base import Discovered, DiscoveryResult, FetchState


@dataclass
class PageSource:
    """Article pages given by URL; discovering them costs no request."""

    name: str
    urls: list[str] = field(default_factory=list)
    kind: str = "page"

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
        return DiscoveryResult(self.name, items=[Discovered(url, self.name) for url in self.urls])
