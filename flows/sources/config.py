"""The sources file: one TOML file that names every source and the fetcher's settings.

```toml
[defaults]                 # applies to every source unless it says otherwise
max_items = 200            # articles taken per source per run
min_words = 25             # shorter extracted texts are quarantined as no_text
user_agent = "eventwire/0.1 (+contact)"   # fetcher settings may sit here …

[fetch]                    # … or here: settings of the "http" fetcher
connect_timeout = 10       # seconds
read_timeout = 20
total_timeout = 60         # one request, body included
max_bytes = 10485760       # per body, counted after decompression
max_redirects = 5
retries = 2                # on timeouts, 429 and 5xx, honouring Retry-After
backoff = 1.0
max_retry_after = 60
min_host_interval = 1.0    # seconds between requests to one host (robots Crawl-delay may raise it)
max_host_concurrency = 2
respect_robots = true

[[source]]
name = "wire"              # unique; stored with every article and quarantine row
kind = "feed"              # feed | sitemap | page | folder | gdelt
url = "https://…/feed.xml" # RSS, Atom or JSON Feed
lenient_xml = true         # recover entries from malformed XML (still quarantined as bad_xml)

[[source]]
name = "news-sitemap"
kind = "sitemap"           # a news sitemap or a sitemap index (.xml or .xml.gz)
url = "https://…/news-sitemap.xml"

[[source]]
name = "watchlist"
kind = "page"              # single article pages
urls = ["https://…/a.html", "https://…/b.html"]

[[source]]
name = "inbox"
kind = "folder"            # .html/.htm, .txt, .jsonl ({"text", "url"?, "id"?, "title"?, "published"?})
path = "samples/inbox"     # beside this file, else from the repository root

[[source]]
name = "gdelt"
kind = "gdelt"             # GDELT 2.0 export list → article URLs (url defaults to lastupdate.txt)
max_exports = 1
enabled = false            # keep a source configured but skip it
```

Unknown tables, keys or kinds are errors that name the file and the entry, so a typo never
silently turns a setting off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.settings import REPO_ROOT
from flows.sources.base import Source
from flows.sources.feed import FeedSource
from flows.sources.folder import FolderSource
from flows.sources.gdelt import DEFAULT_LASTUPDATE_URL, GdeltSource
from flows.sources.page import PageSource
from flows.sources.sitemap import SitemapSource

KINDS = ("feed", "sitemap", "page", "folder", "gdelt")

FETCH_OPTIONS: frozenset[str] = frozenset(
    {
        "user_agent",
        "connect_timeout",
        "read_timeout",
        "total_timeout",
        "max_bytes",
        "max_redirects",
        "retries",
        "backoff",
        "max_retry_after",
        "min_host_interval",
        "max_host_concurrency",
        "max_crawl_delay",
        "respect_robots",
    }
)
SOURCE_OPTIONS: dict[str, frozenset[str]] = {
    "feed": frozenset({"max_items", "lenient_xml"}),
    "sitemap": frozenset({"max_items", "max_sitemaps"}),
    "page": frozenset(),
    "folder": frozenset({"max_items", "max_bytes"}),
    "gdelt": frozenset({"max_items", "max_exports"}),
}
_DESCRIPTIVE = frozenset({"description", "notes", "language", "country", "tags"})
_COMMON = frozenset({"name", "kind", "url", "urls", "path", "enabled"}) | _DESCRIPTIVE
_INGEST_OPTIONS = frozenset({"max_items", "lenient_xml", "max_sitemaps", "max_exports", "min_words"})


class SourceConfigError(ValueError):
    """The sources file is missing, unreadable, or says something that cannot be done."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)


@dataclass(frozen=True)
class SourceConfig:
    """One `[[source]]` entry as written (after defaults were applied)."""

    name: str
    kind: str
    url: str | None = None
    urls: tuple[str, ...] = ()
    path: Path | None = None
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourcesConfig:
    """The whole sources file."""

    path: Path
    sources: list[SourceConfig]
    fetch_options: dict[str, Any]
    defaults: dict[str, Any]

    def enabled(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]


def load_sources(path: Path | str) -> SourcesConfig:
    """Read and check a sources file; errors name the file and the entry."""
    file = Path(path)
    if not file.is_absolute() and not file.exists() and (REPO_ROOT / file).exists():
        file = REPO_ROOT / file
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceConfigError(file, f"cannot read the sources file: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise SourceConfigError(file, f"not valid TOML: {error}") from error
    return parse_sources(document, file)


def parse_sources(document: dict[str, Any], file: Path) -> SourcesConfig:
    """Turn a parsed sources document into a `SourcesConfig`."""
    unknown_tables = set(document) - {"defaults", "fetch", "source"}
    if unknown_tables:
        raise SourceConfigError(file, f"unknown table(s): {', '.join(sorted(unknown_tables))}")
    defaults = dict(document.get("defaults", {}))
    fetch_options = {k: v for k, v in defaults.items() if k in FETCH_OPTIONS}
    fetch_table = document.get("fetch", {})
    for key in fetch_table:
        if key not in FETCH_OPTIONS:
            raise SourceConfigError(file, f"[fetch] has unknown setting {key!r}")
    fetch_options.update(fetch_table)
    unknown_defaults = set(defaults) - FETCH_OPTIONS - _INGEST_OPTIONS - _DESCRIPTIVE
    if unknown_defaults:
        raise SourceConfigError(file, f"[defaults] has unknown setting(s): {', '.join(sorted(unknown_defaults))}")
    entries = document.get("source", [])
    if not isinstance(entries, list):
        raise SourceConfigError(file, "`source` must be an array of tables ([[source]])")
    sources = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        sources.append(_parse_entry(entry, index, defaults, file))
        if sources[-1].name in names:
            raise SourceConfigError(file, f"source name {sources[-1].name!r} is used twice")
        names.add(sources[-1].name)
    return SourcesConfig(file, sources, fetch_options, defaults)


def _parse_entry(entry: dict[str, Any], index: int, defaults: dict[str, Any], file: Path) -> SourceConfig:
    where = f"[[source]] #{index + 1}"
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourceConfigError(file, f"{where} needs a name")
    where = f"source {name!r}"
    kind = entry.get("kind")
    if kind not in KINDS:
        raise SourceConfigError(file, f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    allowed = _COMMON | SOURCE_OPTIONS[kind]
    unknown = set(entry) - allowed
    if unknown:
        raise SourceConfigError(file, f"{where}: unknown setting(s) {', '.join(sorted(unknown))} for kind {kind}")
    options = {k: v for k, v in defaults.items() if k in SOURCE_OPTIONS[kind]}
    options.update({k: v for k, v in entry.items() if k in SOURCE_OPTIONS[kind]})
    url = entry.get("url")
    urls = entry.get("urls", [])
    if url is not None and not isinstance(url, str):
        raise SourceConfigError(file, f"{where}: url must be a string")
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise SourceConfigError(file, f"{where}: urls must be a list of strings")
    path = None
    if kind == "folder":
        raw_path = entry.get("path")
        if not isinstance(raw_path, str) or not raw_path:
            raise SourceConfigError(file, f"{where}: a folder source needs a path")
        path = _resolve_folder(raw_path, file)
    elif kind == "page":
        if not url and not urls:
            raise SourceConfigError(file, f"{where}: a page source needs url or urls")
    elif kind != "gdelt" and not url:
        raise SourceConfigError(file, f"{where}: a {kind} source needs a url")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourceConfigError(file, f"{where}: enabled must be true or false")
    return SourceConfig(name.strip(), kind, url, tuple(urls), path, enabled, options)


def _resolve_folder(raw: str, file: Path) -> Path:
    path = Path(raw)
    if path.is_absolute():
        return path
    beside = file.parent / path
    if beside.exists():
        return beside
    from_root = REPO_ROOT / path
    return from_root if from_root.exists() else beside


def build_source(config: SourceConfig) -> Source:
    """The `Source` object for one configured entry."""
    options = dict(config.options)
    if config.kind == "feed":
        return FeedSource(config.name, str(config.url), **options)
    if config.kind == "sitemap":
        return SitemapSource(config.name, str(config.url), **options)
    if config.kind == "page":
        return PageSource(config.name, [*([config.url] if config.url else []), *config.urls])
    if config.kind == "folder":
        assert config.path is not None
        return FolderSource(config.name, config.path, **options)
    return GdeltSource(config.name, config.url or DEFAULT_LASTUPDATE_URL, **options)
