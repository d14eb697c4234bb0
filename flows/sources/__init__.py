"""Sources of articles: feeds, news sitemaps, single pages, local folders, GDELT export lists.

Each kind is one module behind the `Source` protocol (`discover(fetcher, state) ->
DiscoveryResult`); `config.load_sources` reads the sources file and `config.build_source`
turns an entry into its `Source`.
"""

from flows.sources.base import Discovered, DiscoveryResult, Failure, FetchState, Source, SourceError
from flows.sources.config import SourceConfig, SourceConfigError, SourcesConfig, build_source, load_sources

__all__ = [
    "Discovered",
    "DiscoveryResult",
    "Failure",
    "FetchState",
    "Source",
    "SourceConfig",
    "SourceConfigError",
    "SourceError",
    "SourcesConfig",
    "build_source",
    "load_sources",
]
