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
retries = 2                # the one retry layer in a run: on timeouts, 429 and 5xx, honouring Retry-After
backoff = 1.0
max_retry_after = 60
min_host_interval = 1.0    # seconds between requests to one host (robots Crawl-delay may raise it)
max_host_concurrency = 2
respect_robots = true
allow_hosts = []           # hosts or addresses that may be fetched although not public
host_budget_seconds = 300  # time one run gives the requests to one host; the rest wait for the next run
run_deadline_seconds = 1800  # time one run gives all its fetching
transient_attempts = 5     # runs in all that try a URL failing with a timeout, 429 or 5xx
retry_backoff_seconds = 600       # wait before the next run retries it, doubling each time …
retry_backoff_max_seconds = 86400 # … up to this
relist_after_days = 7      # a permanent failure (404, too large, robots …) is fetched again only
                           # when its source lists it this long after it failed

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

Unknown tables, keys or kinds, and values of the wrong type (`retries = "two"`), are errors
that name the file, the entry, the key and what it expects, so a typo never silently turns a
setting off or fails later in a run.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
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
from transforms.retrying import RetrySchedule

KINDS = ("feed", "sitemap", "page", "folder", "gdelt")


@dataclass(frozen=True)
class Expected:
    """What a setting's value must be: a check and the words that say it in an error."""

    words: str
    check: Callable[[Any], bool]


def _whole(minimum: int) -> Expected:
    return Expected(
        f"a whole number ≥ {minimum}", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum
    )


def _number(*, positive: bool) -> Expected:
    def check(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return value > 0 if positive else value >= 0

    return Expected("a number > 0" if positive else "a number ≥ 0", check)


_TEXT = Expected("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip()))
_ANY_TEXT = Expected("a string", lambda v: isinstance(v, str))
_FLAG = Expected("true or false", lambda v: isinstance(v, bool))
_TEXTS = Expected("a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v))
_SECONDS = _number(positive=True)
_DELAY = _number(positive=False)

FETCHER_SETTINGS: dict[str, Expected] = {
    "user_agent": _TEXT,
    "connect_timeout": _SECONDS,
    "read_timeout": _SECONDS,
    "total_timeout": _SECONDS,
    "max_bytes": _whole(1),
    "max_redirects": _whole(0),
    "retries": _whole(0),
    "backoff": _DELAY,
    "max_retry_after": _DELAY,
    "min_host_interval": _DELAY,
    "max_host_concurrency": _whole(1),
    "max_crawl_delay": _DELAY,
    "respect_robots": _FLAG,
    "allow_hosts": _TEXTS,
}
"""Settings passed to the fetcher as they are (`make_fetcher(name, **fetch_options)`)."""

POLICY_SETTINGS: dict[str, Expected] = {
    "host_budget_seconds": _SECONDS,
    "run_deadline_seconds": _SECONDS,
    "transient_attempts": _whole(1),
    "retry_backoff_seconds": _DELAY,
    "retry_backoff_max_seconds": _DELAY,
    "relist_after_days": _DELAY,
}
"""Settings of the run around the fetcher: its time budget and when failures are retried."""

FETCH_OPTIONS: frozenset[str] = frozenset(FETCHER_SETTINGS) | frozenset(POLICY_SETTINGS)

SOURCE_SETTINGS: dict[str, Expected] = {
    "max_items": _whole(1),
    "lenient_xml": _FLAG,
    "max_sitemaps": _whole(1),
    "max_exports": _whole(1),
    "max_bytes": _whole(1),
    "min_words": _whole(0),
}
SOURCE_OPTIONS: dict[str, frozenset[str]] = {
    "feed": frozenset({"max_items", "lenient_xml"}),
    "sitemap": frozenset({"max_items", "max_sitemaps"}),
    "page": frozenset(),
    "folder": frozenset({"max_items", "max_bytes"}),
    "gdelt": frozenset({"max_items", "max_exports"}),
}
_DESCRIPTIVE_SETTINGS: dict[str, Expected] = {
    "description": _ANY_TEXT,
    "notes": _ANY_TEXT,
    "language": _ANY_TEXT,
    "country": _ANY_TEXT,
    "tags": _TEXTS,
}
_DESCRIPTIVE = frozenset(_DESCRIPTIVE_SETTINGS)
_COMMON = frozenset({"name", "kind", "url", "urls", "path", "enabled"}) | _DESCRIPTIVE
_INGEST_OPTIONS = frozenset({"max_items", "lenient_xml", "max_sitemaps", "max_exports", "min_words"})
_ALL_SETTINGS: dict[str, Expected] = FETCHER_SETTINGS | POLICY_SETTINGS | SOURCE_SETTINGS | _DESCRIPTIVE_SETTINGS


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}.get(
        type(value), "a table" if isinstance(value, dict) else type(value).__name__
    )


class SourceConfigError(ValueError):
    """The sources file is missing, unreadable, or says something that cannot be done.

    `key` and `expected` are set when a value has the wrong type or range.
    """

    def __init__(self, path: Path | str, message: str, *, key: str | None = None, expected: str | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.key = key
        self.expected = expected


def check_value(file: Path, where: str, key: str, value: Any) -> None:
    """Refuse a value of the wrong type for a known setting, naming the file, the entry and the key."""
    expected = _ALL_SETTINGS.get(key)
    if expected is None or expected.check(value):
        return
    raise SourceConfigError(
        file,
        f"{where}: {key} = {value!r} is {_type_name(value)}; {key} must be {expected.words}",
        key=key,
        expected=expected.words,
    )


@dataclass(frozen=True)
class FetchPolicy:
    """The `[fetch]` settings that govern a run rather than one request.

    `host_budget_seconds` and `run_deadline_seconds`: the time one run gives the requests to
    one host and all its fetching (None: no limit); `schedule`: when failed URLs are tried
    again in later runs.
    """

    host_budget_seconds: float | None = 300.0
    run_deadline_seconds: float | None = 1800.0
    schedule: RetrySchedule = field(default_factory=RetrySchedule)

    @classmethod
    def from_settings(cls, settings: dict[str, Any], file: Path) -> FetchPolicy:
        defaults = RetrySchedule()
        first = settings.get("retry_backoff_seconds", defaults.first_backoff.total_seconds())
        ceiling = settings.get("retry_backoff_max_seconds", max(first, defaults.max_backoff.total_seconds()))
        try:
            schedule = RetrySchedule(
                first_backoff=dt.timedelta(seconds=first),
                max_backoff=dt.timedelta(seconds=ceiling),
                max_attempts=settings.get("transient_attempts", defaults.max_attempts),
                relist_after=dt.timedelta(days=settings.get("relist_after_days", defaults.relist_after.days)),
            )
        except ValueError as error:
            raise SourceConfigError(
                file, f"[fetch]: retry_backoff_seconds = {first} and retry_backoff_max_seconds = {ceiling}: {error}"
            ) from error
        return cls(
            host_budget_seconds=settings.get("host_budget_seconds", cls.host_budget_seconds),
            run_deadline_seconds=settings.get("run_deadline_seconds", cls.run_deadline_seconds),
            schedule=schedule,
        )


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
    fetch_policy: FetchPolicy = field(default_factory=FetchPolicy)

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
    """Turn a parsed sources document into a `SourcesConfig`, checking every key and value."""
    unknown_tables = set(document) - {"defaults", "fetch", "source"}
    if unknown_tables:
        raise SourceConfigError(file, f"unknown table(s): {', '.join(sorted(unknown_tables))}")
    for table in ("defaults", "fetch"):
        if not isinstance(document.get(table, {}), dict):
            raise SourceConfigError(file, f"`{table}` must be a table ([{table}])", key=table, expected="a table")
    defaults = dict(document.get("defaults", {}))
    unknown_defaults = set(defaults) - FETCH_OPTIONS - _INGEST_OPTIONS - _DESCRIPTIVE
    if unknown_defaults:
        raise SourceConfigError(file, f"[defaults] has unknown setting(s): {', '.join(sorted(unknown_defaults))}")
    for key, value in defaults.items():
        check_value(file, "[defaults]", key, value)
    fetch_table = document.get("fetch", {})
    for key, value in fetch_table.items():
        if key not in FETCH_OPTIONS:
            raise SourceConfigError(file, f"[fetch] has unknown setting {key!r}")
        check_value(file, "[fetch]", key, value)
    settings = {k: v for k, v in defaults.items() if k in FETCH_OPTIONS} | dict(fetch_table)
    fetch_options = {k: v for k, v in settings.items() if k in FETCHER_SETTINGS}
    policy = FetchPolicy.from_settings({k: v for k, v in settings.items() if k in POLICY_SETTINGS}, file)
    entries = document.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceConfigError(file, "`source` must be an array of tables ([[source]])")
    sources = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        sources.append(_parse_entry(entry, index, defaults, file))
        if sources[-1].name in names:
            raise SourceConfigError(file, f"source name {sources[-1].name!r} is used twice")
        names.add(sources[-1].name)
    return SourcesConfig(file, sources, fetch_options, defaults, policy)


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
    for key, value in entry.items():
        check_value(file, where, key, value)
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
