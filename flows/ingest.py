"""The `ingest` flow: configured sources → new articles in the working store.

read sources → discover (conditional GETs) → skip what is stored (one query over canonical-URL
ids) → fetch (raw bytes kept in the raw store) → extract → dedup (exact by text hash,
near-duplicates by MinHash) → validate → store. Every failure becomes a quarantine row with a
short reason; one bad article never fails the run. Everything one batch writes (articles,
dedup keys, quarantine rows, listing state, source health) lands in one transaction.

Incremental by construction: an unchanged listing costs one conditional GET, known URLs are
filtered in one query, and a URL that failed is fetched again only when the retry schedule of
the sources file's `[fetch]` table says so (`transforms/retrying.py`): a transient failure
(5xx, 429, timeout) after a growing backoff, by later runs, a bounded number of times; a
permanent one (404, too large, robots, …) only when its source lists it anew after the
re-list interval. So a run with nothing new does work proportional to the number of sources.

There is one retry layer: the fetcher's own, inside a request's time; Prefect tasks do not
retry on top of it. The fetcher also keeps to the run's time budget per host and in all;
URLs it has no time left for are `deferred` to the next run, neither failed nor lost.

Bookkeeping lives in the store's `fetch_state` (listing validators, and each failed URL's
failure record), `source_health` (one row per source), `dedup_bands` (MinHash band keys of
canonical articles) and `raw_documents` (what each raw body is: URL, content type, charset).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows import progress
from flows.io.fetching import MEBIBYTE, BudgetSpent, Fetcher, FetchError, HttpStatusError, make_fetcher
from flows.io.locking import open_store, resolve_store_path
from flows.io.rawstore import RawStore
from flows.io.store import FAILURE_RECORD_COLUMNS, LISTING_STATE_COLUMNS, Store
from flows.runs import RunInProgress, run_holding_lock
from flows.sources.base import Discovered, DiscoveryResult, Failure, FetchState, Source, SourceError
from flows.sources.config import SourceConfig, SourcesConfig, build_source, load_sources
from flows.sources.folder import read_local_file, source_host
from schemas import ingest_state
from schemas.articles import Articles
from transforms.dedup import (
    NearDuplicateIndex,
    band_keys,
    best_near_duplicate,
    minhash,
    shingles,
    text_hash,
)
from transforms.extract import DEFAULT_MIN_WORDS, ArticleParseError, ExtractedArticle, extract_article
from transforms.retrying import FailureKind, FailureRecord, RetrySchedule, Verdict, fetch_decision, record_failure
from transforms.urls import article_id, canonical_url
from transforms.validate import QUARANTINE_POLARS_SCHEMA, polars_schema, split_valid

DEFAULT_SOURCES = "data/sources.samples.toml"
RETRIED_STAGES = ("fetch", "extract")
"""The stages whose failures are remembered per URL and retried on the schedule."""
DEFERRED = BudgetSpent.reason
DEFAULT_BATCH_SIZE = 250
"""Articles per fetch-and-extract task run and per store transaction."""
FETCH_CONCURRENCY = 8
"""Fetches in flight at once within a batch (the fetcher's per-host limits still apply)."""

_logger = logging.getLogger("eventwire.ingest")


@dataclass
class SourceHealth:
    """How one source did in one run (and, in the table, since it was configured)."""

    source_name: str
    kind: str
    discovered: int = 0
    fetched: int = 0
    new: int = 0
    seen: int = 0
    duplicate: int = 0
    quarantined: int = 0
    not_modified: int = 0
    requests: int = 0
    last_success: dt.datetime | None = None
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["last_success"] = self.last_success.isoformat() if self.last_success else None
        return row


@dataclass
class IngestSummary:
    """What one ingest run did: totals and one health row per source.

    `discovered`: items the listings named this run; `seen`: of those, already stored;
    `fetched`: bodies obtained (fetched or read from disk); `new`: articles stored as `ok`;
    `duplicates`: exact and near copies stored linked to their original, plus listings folded
    into another URL of the same article (`near_duplicates` counts the near ones);
    `quarantined`: quarantine rows written or updated; `retried`: earlier transient failures
    tried again without being listed; `backing_off`: listed items not fetched because their
    transient failure's backoff has not passed; `given_up`: listed items not fetched because
    they failed permanently (or ran out of attempts) and the re-list interval has not passed;
    `deferred`: items (and listings) the run had no time left for, fetched by the next run;
    `not_modified`: listings that answered 304.
    """

    sources: int = 0
    discovered: int = 0
    fetched: int = 0
    new: int = 0
    seen: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    quarantined: int = 0
    retried: int = 0
    backing_off: int = 0
    given_up: int = 0
    deferred: int = 0
    not_modified: int = 0
    health: list[SourceHealth] = field(default_factory=list)
    store_path: str | None = None
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "discovered": self.discovered,
            "fetched": self.fetched,
            "new": self.new,
            "seen": self.seen,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "quarantined": self.quarantined,
            "retried": self.retried,
            "backing_off": self.backing_off,
            "given_up": self.given_up,
            "deferred": self.deferred,
            "not_modified": self.not_modified,
            "health": [h.as_dict() for h in self.health],
            "store_path": self.store_path,
            "skipped": self.skipped,
        }

    def render(self) -> str:
        """A short plain-text table for a terminal."""
        lines = [
            f"ingest: {self.discovered} discovered, {self.fetched} fetched, {self.new} new, {self.seen} already stored, "
            f"{self.duplicates} duplicates ({self.near_duplicates} near), {self.quarantined} quarantined, "
            f"{self.retried} retried, {self.backing_off + self.given_up} left until later, {self.deferred} deferred",
            f"{'source':<24} {'fetched':>7} {'new':>5} {'dup':>5} {'quar':>5} {'304':>4}  last success",
        ]
        for h in self.health:
            success = h.last_success.isoformat(timespec="seconds") if h.last_success else "never"
            lines.append(
                f"{h.source_name:<24} {h.fetched:>7} {h.new:>5} {h.duplicate:>5} {h.quarantined:>5} {h.not_modified:>4}  {success}"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class Candidate:
    """A discovered item that is not stored yet, with its canonical URL and article id."""

    item: Discovered
    canonical: str
    article_id: str
    retry: bool = False


@dataclass(frozen=True)
class Obtained:
    """The bytes of a candidate (or why there are none)."""

    candidate: Candidate
    body: bytes | None = None
    content_type: str | None = None
    charset: str | None = None
    final_url: str | None = None
    fetched_at: dt.datetime | None = None
    content_sha256: str | None = None
    failure: Failure | None = None
    retry_after: float | None = None
    deferred: bool = False


@dataclass(frozen=True)
class Extracted:
    """The article extracted from obtained bytes (or why there is none)."""

    obtained: Obtained
    article: ExtractedArticle | None = None
    failure: Failure | None = None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def discover_source(source: Source, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
    """One source's discovery; a source that raises becomes a failed listing, not a failed run."""
    try:
        return source.discover(fetcher, state)
    except (FetchError, SourceError, OSError, ValueError) as error:
        result = DiscoveryResult(source.name)
        reason = getattr(error, "reason", "source_error")
        result.fail(source.name, str(reason), f"{type(error).__name__}: {error}", listing=True)
        return result


def obtain_item(candidate: Candidate, fetcher: Fetcher, raw: RawStore, *, max_bytes: int) -> Obtained:
    """Fetch (or read, for local sources) a candidate's bytes and keep them in the raw store.

    Every failure is returned as a `Failure` (the fetcher has retried what it should); an
    item the run has no time left for comes back `deferred`.
    """
    item = candidate.item
    try:
        if item.content is not None:
            body = item.content
            fetched_at, content_type, charset, final_url = utc_now(), item.content_type, "utf-8", item.url
        elif item.local_path is not None:
            body = read_local_file(item.local_path, item.local_root or Path(item.local_path).parent, max_bytes)
            fetched_at, content_type, charset, final_url = utc_now(), item.content_type, None, item.url
        else:
            fetched = fetcher.fetch(item.url)
            body, fetched_at, content_type, charset, final_url = (
                fetched.body,
                fetched.fetched_at,
                fetched.content_type,
                fetched.charset,
                fetched.final_url,
            )
    except BudgetSpent:
        return Obtained(candidate, deferred=True)
    except FetchError as error:
        retry_after = error.retry_after if isinstance(error, HttpStatusError) else None
        return Obtained(
            candidate, failure=Failure(item.url, "fetch", error.reason, error.message), retry_after=retry_after
        )
    except SourceError as error:
        return Obtained(candidate, failure=Failure(item.url, "fetch", error.reason, error.detail))
    digest = raw.put(body)
    return Obtained(candidate, body, content_type, charset, final_url, fetched_at, digest)


def extract_item(obtained: Obtained, *, min_words: int = DEFAULT_MIN_WORDS) -> Extracted:
    """Extract the article from obtained bytes; any failure is returned, never raised."""
    if obtained.failure is not None or obtained.body is None:
        return Extracted(obtained, failure=obtained.failure)
    item = obtained.candidate.item
    try:
        article = extract_article(
            obtained.body,
            url=obtained.final_url or item.url,
            content_type=obtained.content_type,
            charset=obtained.charset,
            fallback_date=item.published,
            fallback_source=item.published_source,
            title_hint=item.title,
            min_words=min_words,
        )
    except ArticleParseError as error:
        return Extracted(obtained, failure=Failure(item.url, "extract", error.reason, error.message))
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"
        return Extracted(obtained, failure=Failure(item.url, "extract", "extract_error", detail))
    return Extracted(obtained, article)


def obtain_and_extract(
    batch: Sequence[Candidate],
    fetcher: Fetcher,
    raw: RawStore,
    *,
    max_bytes: int,
    min_words: int = DEFAULT_MIN_WORDS,
    concurrency: int = FETCH_CONCURRENCY,
) -> list[Extracted]:
    """Fetch (or read) and extract a batch of candidates, `concurrency` at a time, in order.

    One task run per batch rather than two per article: at thousands of articles the task
    runs' own cost and the state events they send the Prefect server dwarfed the work. Each
    article's failure stays its own value (and later its own quarantine row); the fetcher
    still keeps to its per-host limits across the threads.
    """

    def one(candidate: Candidate) -> Extracted:
        try:
            obtained = obtain_item(candidate, fetcher, raw, max_bytes=max_bytes)
        except Exception as error:  # one article's unexpected error is that article's failure
            obtained = _unexpected_failure(candidate, error)
        return extract_item(obtained, min_words=min_words)

    if not batch:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(batch)))) as pool:
        return list(pool.map(one, batch))


discover_task = task(name="discover-source", cache_policy=NO_CACHE)(discover_source)
fetch_batch_task = task(name="fetch-and-extract", cache_policy=NO_CACHE)(obtain_and_extract)


def load_fetch_state(store: Store, source_names: Sequence[str]) -> dict[str, FetchState]:
    """The remembered validators and markers of these sources' listings."""
    return {
        row["url"]: FetchState(row["url"], row["etag"], row["last_modified"], row["marker"])
        for row in store.fetch_states(source_names).iter_rows(named=True)
    }


def due_retries(store: Store, sources: Mapping[str, SourceConfig], now: dt.datetime) -> list[Discovered]:
    """These sources' transient failures whose backoff has passed, to try again unlisted."""
    if not sources:
        return []
    items = []
    for url, source_name in store.due_failures(list(sources), now):
        rebuilt = _rediscover(url, sources[source_name])
        if rebuilt is not None:
            items.append(rebuilt)
    return items


def failure_records(store: Store, urls: Sequence[str]) -> dict[str, FailureRecord]:
    """The stored failure record of each of these URLs that has one."""
    if not urls:
        return {}
    return {
        row["url"]: FailureRecord(
            row["failure_reason"],
            FailureKind(row["failure_kind"]),
            int(row["failed_attempts"]),
            row["failed_at"],
            row["next_attempt_at"],
        )
        for row in store.failure_records(urls).iter_rows(named=True)
    }


def failure_updates(
    extracted: Sequence[Extracted],
    records: Mapping[str, FailureRecord],
    schedule: RetrySchedule,
    now: dt.datetime,
) -> tuple[pl.DataFrame, list[str]]:
    """The failure records a batch leaves: new or grown ones for its failures, and the URLs
    whose failures are over (fetched and read). Deferred items change nothing."""
    rows = []
    cleared = []
    for entry in extracted:
        obtained = entry.obtained
        url = obtained.candidate.item.url
        if obtained.deferred:
            continue
        if entry.failure is None:
            if url in records:
                cleared.append(url)
            continue
        if entry.failure.stage not in RETRIED_STAGES:
            continue
        retry_after = dt.timedelta(seconds=obtained.retry_after) if obtained.retry_after else None
        record = record_failure(records.get(url), entry.failure.reason, now, schedule, retry_after=retry_after)
        rows.append(
            (
                url,
                obtained.candidate.item.source_name,
                now,
                record.reason,
                str(record.kind),
                record.attempts,
                record.failed_at,
                record.next_attempt_at,
            )
        )
    schema = {c: polars_schema(ingest_state.FetchState)[c] for c in FAILURE_RECORD_COLUMNS}
    return pl.DataFrame(rows, schema=schema, orient="row"), cleared


def _rediscover(url: str, config: SourceConfig) -> Discovered | None:
    if url.startswith(("http://", "https://")):
        return Discovered(url, config.name)
    split = urlsplit(url)
    if (
        split.scheme == "file"
        and config.path is not None
        and not split.query
        and split.netloc == source_host(config.name)
    ):
        root = config.path.resolve()
        path = root / unquote(split.path.lstrip("/"))
        content_type = "text/html" if path.suffix.lower() in (".html", ".htm") else "text/plain"
        return Discovered(url, config.name, content_type=content_type, local_path=str(path), local_root=str(root))
    return None


def quarantine_frame(failures: Iterable[tuple[Failure, str | None]], now: dt.datetime) -> pl.DataFrame:
    """Quarantine rows for failures, each with the source it came from."""
    rows = list(failures)
    return pl.DataFrame(
        {
            "item": [f.item for f, _ in rows],
            "stage": [f.stage for f, _ in rows],
            "reason": [f.reason for f, _ in rows],
            "detail": [f.detail[:2000] for f, _ in rows],
            "source_name": [s for _, s in rows],
            "first_seen": [now] * len(rows),
            "last_seen": [now] * len(rows),
            "count": [1] * len(rows),
        },
        schema=QUARANTINE_POLARS_SCHEMA,
    )


@dataclass
class _Accepted:
    row: dict[str, Any]
    shingles: frozenset[int]


def dedup_and_build_rows(
    store: Store, extracted: Sequence[Extracted]
) -> tuple[list[dict[str, Any]], dict[str, frozenset[int]]]:
    """Article rows for extracted articles, with exact and near-duplicates linked.

    Articles are taken oldest first, so an original published before its syndicated copy is
    the canonical one. Returns the rows and the shingles of the rows that are canonical (`ok`).
    """
    latest = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = sorted(
        (e for e in extracted if e.article is not None),
        key=lambda e: (
            e.article.published or latest if e.article else latest,
            e.obtained.candidate.item.published or latest,
            e.obtained.candidate.canonical,
        ),
    )
    hashes = {id(e): text_hash(e.article.text) for e in ordered if e.article}
    stored_roots = store.roots_by_text_hash(list(set(hashes.values())))
    shingle_sets = {id(e): shingles(e.article.text) for e in ordered if e.article}
    stored_candidates = _stored_near_candidates(store, [shingle_sets[id(e)] for e in ordered])
    stored_texts = _stored_shingles(store, sorted({a for ids in stored_candidates for a in ids}))
    batch_index = NearDuplicateIndex()
    batch_roots: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    canonical_shingles: dict[str, frozenset[int]] = {}
    for position, entry in enumerate(ordered):
        article = entry.article
        assert article is not None
        candidate = entry.obtained.candidate
        digest = hashes[id(entry)]
        status, duplicate_of = "ok", None
        if digest in stored_roots:
            status, duplicate_of = "duplicate", stored_roots[digest]
        elif digest in batch_roots:
            status, duplicate_of = "duplicate", batch_roots[digest]
        else:
            own = shingle_sets[id(entry)]
            others = {a: stored_texts[a] for a in stored_candidates[position] if a in stored_texts}
            match = best_near_duplicate(own, others) or batch_index.find(own)
            if match is not None:
                status, duplicate_of = "near_duplicate", match.article_id
        row = {
            "article_id": candidate.article_id,
            "url": candidate.item.url,
            "canonical_url": candidate.canonical,
            "source_name": candidate.item.source_name,
            "title": article.title or candidate.item.title,
            "author": article.author or candidate.item.author,
            "published_at": article.published,
            "published_source": article.published_source,
            "fetched_at": entry.obtained.fetched_at or utc_now(),
            "language": article.language,
            "text": article.text,
            "text_hash": digest,
            "content_sha256": entry.obtained.content_sha256,
            "duplicate_of": duplicate_of,
            "status": status,
        }
        rows.append(row)
        if status == "ok":
            batch_roots[digest] = candidate.article_id
            batch_index.add(candidate.article_id, shingle_sets[id(entry)])
            canonical_shingles[candidate.article_id] = shingle_sets[id(entry)]
    return rows, canonical_shingles


def _stored_near_candidates(store: Store, shingle_sets: Sequence[frozenset[int]]) -> list[set[str]]:
    candidates: list[set[str]] = [set() for _ in shingle_sets]
    probe = [(i, band, bucket) for i, s in enumerate(shingle_sets) for band, bucket in band_keys(minhash(s))]
    if not probe:
        return candidates
    frame = pl.DataFrame(probe, schema={"probe": pl.Int64, "band": pl.Int16, "bucket": pl.Int64}, orient="row")
    for index, found in store.articles_sharing_bands(frame):
        candidates[index].add(found)
    return candidates


def _stored_shingles(store: Store, article_ids: Sequence[str]) -> dict[str, frozenset[int]]:
    return {a: shingles(t) for a, t in store.ok_article_texts(article_ids).items()}


def _band_frame(canonical: Mapping[str, frozenset[int]]) -> pl.DataFrame:
    rows = [(a, band, bucket) for a, s in canonical.items() for band, bucket in band_keys(minhash(s))]
    return pl.DataFrame(rows, schema={"article_id": pl.String, "band": pl.Int16, "bucket": pl.Int64}, orient="row")


def _raw_frame(obtained: Iterable[Obtained]) -> pl.DataFrame:
    rows = [
        {
            "content_sha256": o.content_sha256,
            "url": o.candidate.item.url,
            "final_url": o.final_url,
            "content_type": o.content_type,
            "charset": o.charset,
            "size": len(o.body or b""),
            "fetched_at": o.fetched_at,
        }
        for o in obtained
        if o.content_sha256
    ]
    schema: dict[str, pl.DataType] = {
        "content_sha256": pl.String(),
        "url": pl.String(),
        "final_url": pl.String(),
        "content_type": pl.String(),
        "charset": pl.String(),
        "size": pl.Int64(),
        "fetched_at": pl.Datetime("us", "UTC"),
    }
    return pl.DataFrame(rows, schema=schema).unique("content_sha256", keep="first")


def write_batch(
    store: Store,
    *,
    articles: pl.DataFrame,
    canonical_shingles: Mapping[str, frozenset[int]],
    obtained: Sequence[Obtained],
    quarantine: pl.DataFrame,
    failures: pl.DataFrame | None = None,
    cleared: Sequence[str] = (),
) -> int:
    """Write one batch in one transaction, its failure records included; return how many
    article rows were new."""
    with store.transaction():
        inserted = store.insert("articles", articles)
        stored_ok = set(articles.filter(pl.col("status") == "ok")["article_id"].to_list()) if articles.height else set()
        store.add_dedup_bands(_band_frame({a: s for a, s in canonical_shingles.items() if a in stored_ok}))
        store.insert("raw_documents", _raw_frame(obtained))
        store.add_quarantine(quarantine)
        if failures is not None:
            store.save_failure_records(failures)
        store.clear_failure_records(list(cleared))
    return inserted


def save_listing_state(
    store: Store,
    results: Sequence[DiscoveryResult],
    health: Sequence[SourceHealth],
    discovery_quarantine: pl.DataFrame,
    now: dt.datetime,
) -> None:
    """Remember listing validators, quarantine discovery failures and update the per-source
    health rows, in one transaction."""
    states = [(r.source_name, s) for r in results for s in r.states]
    with store.transaction():
        store.add_quarantine(discovery_quarantine)
        store.save_fetch_states(
            pl.DataFrame(
                [(s.url, name, s.etag, s.last_modified, s.marker, now) for name, s in states],
                schema={c: polars_schema(ingest_state.FetchState)[c] for c in LISTING_STATE_COLUMNS},
                orient="row",
            )
        )
        store.update_source_health(_health_frame(health, now))
    previous = store.last_successes([h.source_name for h in health])
    for h in health:
        h.last_success = previous.get(h.source_name, h.last_success)


def _health_frame(health: Sequence[SourceHealth], now: dt.datetime) -> pl.DataFrame:
    """The `source_health` rows of one run: its counts, which are also a new source's totals."""
    return pl.DataFrame(
        [
            (
                h.source_name,
                h.kind,
                now,
                h.last_success,
                h.last_error,
                h.discovered,
                h.fetched,
                h.new,
                h.seen,
                h.duplicate,
                h.quarantined,
                h.not_modified,
                h.fetched,
                h.new,
                h.duplicate,
                h.quarantined,
            )
            for h in health
        ],
        schema=polars_schema(ingest_state.SourceHealth),
        orient="row",
    )


def _batches(items: Sequence[Candidate], size: int) -> Iterable[Sequence[Candidate]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start : start + size]


@dataclass
class _IngestRun:
    """One ingest run on an open store, step by step: discover, choose what to fetch, fetch
    and store batch by batch, save the listing state. Each step fills `summary` and `health`."""

    store: Store
    config: SourcesConfig
    fetcher: Fetcher
    raw: RawStore
    now: dt.datetime
    enabled: list[SourceConfig]
    summary: IngestSummary
    health: dict[str, SourceHealth]
    results: list[DiscoveryResult] = field(default_factory=list)
    listing_failures: list[tuple[Failure, str | None]] = field(default_factory=list)
    records: dict[str, FailureRecord] = field(default_factory=dict)

    def discover(self) -> None:
        """Every enabled source's listing, one task each; a failed listing is a result too."""
        state = load_fetch_state(self.store, [s.name for s in self.enabled])
        futures = [discover_task.submit(build_source(s), self.fetcher, state) for s in self.enabled]
        for source_config, future in zip(self.enabled, futures, strict=True):
            outcome = future.result(raise_on_failure=False)
            if not isinstance(outcome, DiscoveryResult):
                error = outcome
                outcome = DiscoveryResult(source_config.name)
                outcome.fail(source_config.name, "source_error", f"{type(error).__name__}: {error}", listing=True)
            deferred = [f for f in outcome.failures if f.reason == DEFERRED]
            if deferred:
                outcome.failures = [f for f in outcome.failures if f.reason != DEFERRED]
                self.summary.deferred += len(deferred)
            self.results.append(outcome)
            h = self.health[source_config.name]
            h.discovered = len(outcome.items)
            h.requests = outcome.requests
            h.not_modified = outcome.not_modified
            h.quarantined += len(outcome.failures)
            h.last_error = "; ".join(outcome.listing_errors)[:500] or None
            if not outcome.listing_failed:
                h.last_success = self.now
            self.listing_failures.extend((f, source_config.name) for f in outcome.failures)
        self.summary.discovered = sum(len(r.items) for r in self.results)
        self.summary.not_modified = sum(r.not_modified for r in self.results)

    def choose(self) -> list[Candidate]:
        """What to fetch: the listed and due items not stored yet whose retry schedule allows it."""
        discovered = [item for r in self.results for item in r.items]
        retries = due_retries(self.store, {s.name: s for s in self.enabled}, self.now)
        candidates, folded = _candidates(discovered, retries)
        for item in folded:
            self.health[item.source_name].duplicate += 1
        self.summary.duplicates += len(folded)
        known = self.store.known_article_ids([c.article_id for c in candidates])
        self.records = failure_records(self.store, [c.item.url for c in candidates if c.article_id not in known])
        schedule = self.config.fetch_policy.schedule
        todo = []
        for candidate in candidates:
            if candidate.article_id in known:
                if not candidate.retry:
                    self.summary.seen += 1
                    self.health[candidate.item.source_name].seen += 1
                continue
            listed = not candidate.retry
            decision = fetch_decision(
                self.records.get(candidate.item.url), listed=listed, now=self.now, schedule=schedule
            )
            if decision.verdict is Verdict.BACKING_OFF:
                self.summary.backing_off += 1
            elif decision.verdict is Verdict.AWAITING_RELIST:
                self.summary.given_up += 1
            else:
                todo.append(candidate)
        self.summary.retried = sum(1 for c in todo if c.retry)
        return todo

    def fetch_and_store(self, todo: Sequence[Candidate], batch_size: int) -> None:
        """Fetch and extract `todo` one task run per batch, and store each batch as it comes."""
        max_bytes = int(self.config.fetch_options.get("max_bytes", 10 * MEBIBYTE))
        min_words = int(self.config.defaults.get("min_words", DEFAULT_MIN_WORDS))
        progress.start("ingest", len(todo))
        for batch in _batches(todo, batch_size):
            future = fetch_batch_task.submit(
                list(batch), self.fetcher, self.raw, max_bytes=max_bytes, min_words=min_words
            )
            self.store_batch(_extracted_or_failures(batch, future))
            progress.advance("ingest", len(batch))
        progress.finish("ingest", f"{self.summary.new} new articles")

    def store_batch(self, extracted: Sequence[Extracted]) -> None:
        """Deduplicate, validate and write one batch, its quarantine and failure records included."""
        batch_failures = [(e.failure, e.obtained.candidate.item.source_name) for e in extracted if e.failure]
        rows, canonical = dedup_and_build_rows(self.store, extracted)
        schema = polars_schema(Articles)
        frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
        split = split_valid(
            frame, Articles, stage="validate", item_column="url", now=self.now, source_column="source_name"
        )
        failed, cleared = failure_updates(extracted, self.records, self.config.fetch_policy.schedule, self.now)
        obtained = [e.obtained for e in extracted]
        write_batch(
            self.store,
            articles=split.valid,
            canonical_shingles=canonical,
            obtained=obtained,
            quarantine=pl.concat([quarantine_frame(batch_failures, self.now), split.quarantined]),
            failures=failed,
            cleared=cleared,
        )
        self.count_batch(
            obtained, split.valid, [s for _, s in batch_failures] + split.quarantined["source_name"].to_list()
        )

    def count_batch(self, obtained: Sequence[Obtained], stored: pl.DataFrame, quarantined_from: Sequence[str]) -> None:
        """Add one stored batch to the totals and to its sources' health."""
        self.summary.deferred += sum(1 for o in obtained if o.deferred)
        for o in obtained:
            if o.failure is None and not o.deferred:
                self.summary.fetched += 1
                self.health[o.candidate.item.source_name].fetched += 1
        for row in stored.iter_rows(named=True):
            h = self.health[row["source_name"]]
            if row["status"] == "ok":
                self.summary.new += 1
                h.new += 1
            else:
                self.summary.duplicates += 1
                self.summary.near_duplicates += row["status"] == "near_duplicate"
                h.duplicate += 1
        for source_name in quarantined_from:
            if source_name in self.health:
                self.health[source_name].quarantined += 1

    def finish(self) -> IngestSummary:
        """Save listing validators, discovery quarantine and source health; the run's summary."""
        self.summary.quarantined = sum(h.quarantined for h in self.health.values())
        self.summary.health = [self.health[s.name] for s in self.enabled]
        listing_quarantine = quarantine_frame(self.listing_failures, self.now)
        save_listing_state(self.store, self.results, self.summary.health, listing_quarantine, self.now)
        return self.summary


def run_ingest(
    store: Store,
    config: SourcesConfig,
    fetcher: Fetcher,
    *,
    raw: RawStore,
    batch_size: int = DEFAULT_BATCH_SIZE,
    now: dt.datetime | None = None,
) -> IngestSummary:
    """The body of the `ingest` flow on an open store (inside a flow run): discover, choose
    what to fetch, fetch and store it batch by batch, save the listing state."""
    enabled = config.enabled()
    run = _IngestRun(
        store,
        config,
        fetcher,
        raw,
        now or utc_now(),
        enabled,
        IngestSummary(sources=len(enabled), store_path=str(store.path)),
        {s.name: SourceHealth(s.name, s.kind) for s in enabled},
    )
    run.discover()
    todo = run.choose()
    get_run_logger().info(
        "ingest: %d sources, %d discovered, %d already stored, %d to fetch (%d retries)",
        len(enabled),
        run.summary.discovered,
        run.summary.seen,
        len(todo),
        run.summary.retried,
    )
    run.fetch_and_store(todo, batch_size)
    return run.finish()


def _candidates(
    discovered: Sequence[Discovered], retries: Sequence[Discovered]
) -> tuple[list[Candidate], list[Discovered]]:
    """Unique candidates by article id, and the items folded into another.

    Among listings of one article the one whose URL is already canonical wins (the plain
    link rather than the newsletter link with tracking parameters), else the first.
    """
    chosen: dict[str, Candidate] = {}
    folded: list[Discovered] = []
    for item, retry in [(d, False) for d in discovered] + [(d, True) for d in retries]:
        canonical = canonical_url(item.url)
        aid = article_id(canonical)
        present = chosen.get(aid)
        if present is None:
            chosen[aid] = Candidate(item, canonical, aid, retry)
            continue
        if retry:
            continue
        if present.item.url != canonical and item.url == canonical and not present.retry:
            folded.append(present.item)
            chosen[aid] = Candidate(item, canonical, aid, retry)
        else:
            folded.append(item)
    return list(chosen.values()), folded


def _unexpected_failure(candidate: Candidate, error: BaseException) -> Obtained:
    """An error that escaped `obtain_item` as the candidate's fetch failure (kept, not raised)."""
    if isinstance(error, FetchError):
        return Obtained(candidate, failure=Failure(candidate.item.url, "fetch", error.reason, error.message))
    detail = f"{type(error).__name__}: {error}"
    return Obtained(candidate, failure=Failure(candidate.item.url, "fetch", "fetch_error", detail))


def _extracted_or_failures(batch: Sequence[Candidate], future: Any) -> list[Extracted]:
    """A batch task's results; if the task itself failed, each candidate's failure, none lost."""
    outcome = future.result(raise_on_failure=False)
    if isinstance(outcome, list) and len(outcome) == len(batch):
        return outcome
    error = outcome if isinstance(outcome, BaseException) else RuntimeError(f"the batch task returned {outcome!r}")
    return [
        Extracted(obtained, failure=obtained.failure) for obtained in (_unexpected_failure(c, error) for c in batch)
    ]


def fetcher_for(
    name: str, config: SourcesConfig, *, allow_hosts: Sequence[str] | None = None, root: str | None = None
) -> Fetcher:
    """The fetcher a run uses: its name, the sources file's [fetch] settings (the run's time
    budget among them), and the allow-list: the file's and the run's hosts together."""
    options: dict[str, Any] = dict(config.fetch_options)
    allowed = [*options.get("allow_hosts", []), *(allow_hosts or [])]
    if allowed:
        options["allow_hosts"] = list(dict.fromkeys(allowed))
    if name == "http":
        options["host_budget_seconds"] = config.fetch_policy.host_budget_seconds
        options["run_deadline_seconds"] = config.fetch_policy.run_deadline_seconds
    if root is not None:
        options["root"] = root
    return make_fetcher(name, **options)


@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=8))  # type: ignore[arg-type]
def ingest(
    sources: str = DEFAULT_SOURCES,
    fetcher: str = "recorded",
    store_path: str | None = None,
    allow_hosts: list[str] | None = None,
    recorded_root: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lock_wait_seconds: float | None = None,
) -> IngestSummary:
    """Fetch what is new from the configured sources into the working store.

    `sources`: the sources file. `fetcher`: "recorded" (offline samples; `recorded_root`
    overrides the folder served) or "http". `allow_hosts`: hosts/addresses the http fetcher
    may reach although they are not public (e.g. ["127.0.0.1"] in tests), beside those of the
    sources file's `[fetch] allow_hosts`. Retries, the time budget and when failed URLs are
    tried again are the sources file's `[fetch]` settings. Holds the store's writer lock; if
    another run holds it longer than `lock_wait_seconds`, the run skips and says so.
    """
    logger = get_run_logger()

    def work(run: RunInProgress) -> IngestSummary:
        config = load_sources(sources)
        the_fetcher = fetcher_for(fetcher, config, allow_hosts=allow_hosts, root=recorded_root)
        try:
            with open_store(run.store_path, wait_seconds=lock_wait_seconds) as store:
                return run_ingest(
                    store,
                    config,
                    the_fetcher,
                    raw=RawStore(run.store_path.parent / "raw"),
                    batch_size=batch_size,
                )
        finally:
            the_fetcher.close()

    path = resolve_store_path(store_path)
    summary = run_holding_lock(
        "ingest",
        path,
        lock_wait_seconds=lock_wait_seconds,
        work=work,
        counts=_report_counts,
        on_skip=lambda busy: IngestSummary(store_path=str(path), skipped=str(busy)),
    )
    if not summary.skipped:
        logger.info("%s", summary.render())
    return summary


def _report_counts(summary: IngestSummary) -> dict[str, Any]:
    return {
        "articles_fetched": summary.fetched,
        "articles_new": summary.new,
        "articles_duplicate": summary.duplicates,
        "articles_quarantined": summary.quarantined,
        "details": {"ingest": _details(summary)},
    }


def _details(summary: IngestSummary) -> dict[str, Any]:
    data = summary.as_dict()
    return {k: v for k, v in data.items() if k not in ("store_path", "skipped")}


def source_health_frame(store: Store) -> pl.DataFrame:
    """The `source_health` table (empty if ingest never ran on this store)."""
    return store.table("source_health")
