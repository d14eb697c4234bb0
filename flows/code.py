"""The `code` flow: articles the current coder has not coded yet → validated events in the store.

The `coded` table of the store is the coding cache: it records, per article and coder version,
that the article's events are stored. Each batch's events and its `coded` rows are written in
one transaction, so a crash or a failed run loses at most the batches in flight, and the next
run (or a retry) codes only what is not recorded there. A new coder version codes everything
again, because the version is part of the key.

The coding itself runs in tasks over batches of articles, either one after another in the flow
run's process or on a Dask cluster (`flows/taskrunners.py`). Either way the flow process is the
only one that writes the store, in batch order, so the stored events are the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import progress
from flows.io.locking import open_store
from flows.io.store import Store
from flows.runs import Failure, RunInProgress, run_holding_lock
from flows.taskrunners import dask_task_runner, resolve_dask_cluster
from schemas.events import Events
from schemas.places import ArticlePlaces
from transforms.coder import ArticleText, Coder, placed_version
from transforms.coder.rows import CodedEvent
from transforms.coder.segment import SentenceText
from transforms.event_places import ArticlePlacing, place_article
from transforms.geo.resolve import Geocoder, geocoder_version
from transforms.validate import QUARANTINE_POLARS_SCHEMA, empty_quarantine, polars_schema, split_valid

PROVENANCE_COLUMNS = ("source_url", "source_name", "published_at")

CODE_BATCH_SIZE = 250
"""Articles per code-articles task run (and per store transaction): a few tens of task runs for
thousands of articles, each a few seconds of coding, so the task runs' own cost stays small."""

CODE_PROCESSES_ENV = "EVENTWIRE_CODE_PROCESSES"
MAX_CODE_PROCESSES = 4
MIN_ARTICLES_TO_SHARE = 16
"""A batch smaller than this is coded in the flow's own process: forking would cost more."""

CODE_TASK_TIMEOUT_SECONDS = 1800
STORE_TASK_TIMEOUT_SECONDS = 300

_worker_coders: dict[str, Coder] = {}
"""The coder of this process, loaded once: in a Dask worker it serves every task it runs."""

_coder_loads: list[float] = []
"""Seconds each load of the coder took in this process (one entry per load)."""

_worker_geocoders: dict[str, Geocoder] = {}
"""The geocoder of this process (the compiled GeoNames gazetteer), loaded once like the coder."""


class CoderVersionMismatchError(RuntimeError):
    """A worker's coder is not the version the flow is coding with (a stale install on a cluster)."""


@dataclass
class CodeSummary:
    """What one `code` run did."""

    coder: str
    articles_coded: int = 0
    events_coded: int = 0
    events_quarantined: int = 0
    articles_failed: int = 0
    events_by_action: dict[str, int] = field(default_factory=dict)
    events_placed_by_source: dict[str, int] = field(default_factory=dict)
    article_places: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def report_counts(self) -> dict[str, Any]:
        """The `report_run` arguments this summary fills."""
        return {
            "articles_coded": self.articles_coded,
            "events_coded": self.events_coded,
            "events_quarantined": self.events_quarantined,
            "events_by_action": self.events_by_action,
            "failures": [Failure(item, reason) for item, reason in self.failures],
            "details": {
                "coder": self.coder,
                "articles_failed": self.articles_failed,
                "events_placed_by_source": self.events_placed_by_source,
                "article_places": self.article_places,
            },
        }


@dataclass(frozen=True)
class BatchResult:
    """The coder's rows for one batch, and the articles it failed on with the error."""

    rows: list[CodedEvent]
    failed: list[tuple[str, str]]
    places: list[dict[str, Any]] = field(default_factory=list)
    """The `article_places` rows of the coded articles."""


def worker_coder() -> Coder:
    """The coder of this process, loaded on first use (spaCy model and dictionaries once per
    process). Its version names the process's geocoder (`Coder.places_with`), since the flows
    place every event it codes."""
    coder = _worker_coders.get("default")
    if coder is None:
        from flows.io.nlp import load_coder

        started = time.perf_counter()
        loaded = load_coder()
        loaded.places_with(worker_geocoder().version)
        coder = _worker_coders.setdefault("default", loaded)
        _coder_loads.append(time.perf_counter() - started)
    return coder


def current_coder_version() -> str:
    """The version this process codes with: its loaded coder's, else the one the data on disk
    gives (`coder_version_on_disk`), without loading spaCy, so that a run with nothing to code
    costs a query rather than a model load."""
    coder = _worker_coders.get("default")
    if coder is not None:
        return coder.version
    return placed_coder_version_on_disk()


def placed_coder_version_on_disk() -> str:
    """The version `worker_coder()` has, from the data's VERSION files and the gazetteer's cache
    key alone: the coder's own version with the geocoder's that places its events."""
    from flows.io.geonames import gazetteer_cache_key
    from flows.io.reference import coder_version_on_disk

    return placed_version(coder_version_on_disk(), geocoder_version(gazetteer_cache_key()))


def worker_geocoder() -> Geocoder:
    """The geocoder of this process: the gazetteer loaded once through `flows/io/geonames.py`."""
    geocoder = _worker_geocoders.get("default")
    if geocoder is None:
        from flows.io.geonames import load_aliases, load_gazetteer

        geocoder = _worker_geocoders.setdefault("default", Geocoder(load_gazetteer(), load_aliases()))
    return geocoder


def place_coded_article(
    geocoder: Geocoder,
    article: ArticleText,
    sentences: list[SentenceText],
    docs: dict[int, Any],
    rows: list[CodedEvent],
) -> ArticlePlacing:
    """The seam between coding and geocoding: the coder calls it with each article it coded
    (on the coder's own parse), and it returns the place of each row and the article's places."""
    return place_article(geocoder, article.article_id, article.text, sentences, docs, rows)


@contextlib.contextmanager
def placing_with(coder: Coder, geocoder: Geocoder | None) -> Iterator[None]:
    """Have `coder` geocode every article it codes in the body (nothing when `geocoder` is None,
    or for a stand-in coder without the hook)."""
    if geocoder is None or not hasattr(coder, "after_article"):
        yield
        return
    previous = coder.after_article
    if geocoder is not None:
        coder.after_article = lambda article, sentences, docs, rows: place_coded_article(
            geocoder, article, sentences, docs, rows
        )
    try:
        yield
    finally:
        coder.after_article = previous


def _with_places(coder: Coder, article_id: str, rows: list[CodedEvent], places: list[dict[str, Any]]) -> None:
    """Add the place columns the coder's hook gave `rows`, and collect the article's places."""
    placing = getattr(coder, "article_extras", {}).pop(article_id, None)
    if not isinstance(placing, ArticlePlacing):
        return
    for row, columns in zip(rows, placing.event_places, strict=True):
        row.update(columns)  # type: ignore[typeddict-item]
    places.extend(placing.article_places)


def coder_loads() -> list[float]:
    """How often (and how long) this process loaded the coder: once, in a healthy worker."""
    return list(_coder_loads)


@contextlib.contextmanager
def using_coder(coder: Coder) -> Iterator[Coder]:
    """Make `coder` this process's coder for the body (a notebook or test coding with its own coder)."""
    previous = _worker_coders.get("default")
    _worker_coders["default"] = coder
    try:
        yield coder
    finally:
        if previous is None:
            _worker_coders.pop("default", None)
        else:
            _worker_coders["default"] = previous


def batched(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    """Consecutive slices of at most `size` rows."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    for start in range(0, frame.height, size):
        yield frame.slice(start, size)


def article_texts(articles: pl.DataFrame) -> list[ArticleText]:
    """The coder's input for stored articles."""
    return [
        ArticleText(
            article_id=r["article_id"],
            text=r["text"],
            published=r["published_at"].date() if r["published_at"] else None,
            title=r["title"],
        )
        for r in articles.iter_rows(named=True)
    ]


def event_frame(rows: Iterable[CodedEvent], articles: pl.DataFrame) -> pl.DataFrame:
    """The coder's rows joined to their articles' provenance, in the event table's order."""
    schema = polars_schema(Events)
    coder_schema = {k: v for k, v in schema.items() if k not in PROVENANCE_COLUMNS}
    coded = [{k: r.get(k) for k in coder_schema} for r in rows]
    frame = pl.DataFrame(coded, schema=coder_schema) if coded else pl.DataFrame(schema=coder_schema)
    provenance = articles.select(
        "article_id",
        pl.col("url").alias("source_url"),
        "source_name",
        "published_at",
    )
    return frame.join(provenance, on="article_id", how="left").select(list(schema))


def code_batch(coder: Coder, texts: list[ArticleText], geocoder: Geocoder | None = None) -> BatchResult:
    """Code a batch of articles, and with `geocoder` place their events; an article the coder
    (or the geocoder) fails on is reported, not fatal."""
    rows: list[CodedEvent] = []
    places: list[dict[str, Any]] = []
    failed: list[tuple[str, str]] = []
    with placing_with(coder, geocoder):
        try:
            for article_id, article_rows in coder.code(texts):
                _with_places(coder, article_id, article_rows, places)
                rows.extend(article_rows)
        except Exception:
            # Re-code one at a time so that one bad article does not sink the batch.
            rows, places, failed = [], [], []
            getattr(coder, "article_extras", {}).clear()
            with coding_in(coder, 1):
                failed = _code_one_by_one(coder, texts, rows, places)
    return BatchResult(rows, failed, places)


def _code_one_by_one(
    coder: Coder, texts: list[ArticleText], rows: list[CodedEvent], places: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """Code each article alone, adding to `rows` and `places`; the articles that failed, with why."""
    failed: list[tuple[str, str]] = []
    for text in texts:
        try:
            for article_id, article_rows in coder.code([text]):
                _with_places(coder, article_id, article_rows, places)
                rows.extend(article_rows)
        except Exception as error:  # any coder failure is quarantined with its message
            failed.append((text.article_id, f"{type(error).__name__}: {error}"))
    return failed


def _retry_unless_version_mismatch(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except CoderVersionMismatchError:
        return False
    except Exception:  # any other failure is worth a retry
        return True
    return True


@task(name="load-coder", retries=1, retry_delay_seconds=5, timeout_seconds=600, cache_policy=NO_CACHE)
def load_coder_task() -> Coder:
    """Load (once per process) the coder: spaCy model and dictionaries from disk."""
    return worker_coder()


def code_processes(articles: int) -> int:
    """How many processes code a batch of `articles` in the flow run's process: the cores this
    process may use (at most `MAX_CODE_PROCESSES`; `$EVENTWIRE_CODE_PROCESSES` overrides), and
    one for a batch too small to share out."""
    configured = os.environ.get(CODE_PROCESSES_ENV, "").strip()
    cores = int(configured) if configured.isdigit() else min(len(os.sched_getaffinity(0)), MAX_CODE_PROCESSES)
    return max(1, cores) if articles >= MIN_ARTICLES_TO_SHARE else 1


@contextlib.contextmanager
def coding_in(coder: Coder, processes: int) -> Iterator[None]:
    """Have the real coder code in `processes` forked processes for the body (a stand-in coder
    codes as it does)."""
    if not isinstance(coder, Coder) or processes == coder.n_process:
        yield
        return
    previous, coder.n_process = coder.n_process, processes
    try:
        yield
    finally:
        coder.n_process = previous


def _code_with_worker_coder(texts: list[ArticleText], coder_version: str, processes: int = 1) -> BatchResult:
    """Code one batch with this process's coder, checking it is the version the flow expects;
    with `processes` > 1 in that many forked processes (never in a Dask worker, whose
    processes may not fork)."""
    coder = worker_coder()
    if coder.version != coder_version:
        raise CoderVersionMismatchError(
            f"this worker's coder is {coder.version}, the run codes with {coder_version}: "
            "install the same eventwire version on every worker"
        )
    with coding_in(coder, processes):
        return code_batch(coder, texts, worker_geocoder())


code_articles = task(
    name="code-articles",
    retries=2,
    retry_delay_seconds=10,
    timeout_seconds=CODE_TASK_TIMEOUT_SECONDS,
    retry_condition_fn=_retry_unless_version_mismatch,
    cache_policy=NO_CACHE,
)(_code_with_worker_coder)
"""Code one batch in the flow run's process (timeout enforced)."""

# In a Dask worker a task runs in a worker thread, where Prefect cannot interrupt it: a timeout
# would only warn on every batch. A stuck worker is Dask's to restart; retries still apply.
code_articles_on_dask = task(
    name="code-articles",
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=_retry_unless_version_mismatch,
    cache_policy=NO_CACHE,
)(_code_with_worker_coder)
"""Code one batch in a Dask worker."""


@task(name="load-geocoder", retries=1, retry_delay_seconds=5, timeout_seconds=600, cache_policy=NO_CACHE)
def load_geocoder_task() -> str:
    """Load (once per process) the GeoNames gazetteer the coder places events with; the geocoder's version."""
    return worker_geocoder().version


@task(name="find-articles-to-code", retries=2, retry_delay_seconds=5, timeout_seconds=300, cache_policy=NO_CACHE)
def find_articles_to_code(store: Store, coder_version: str, limit: int | None) -> pl.DataFrame:
    """The stored articles this coder version has not coded yet."""
    return store.articles_to_code(coder_version, limit=limit)


@task(
    name="store-events",
    retries=2,
    retry_delay_seconds=5,
    timeout_seconds=STORE_TASK_TIMEOUT_SECONDS,
    cache_policy=NO_CACHE,
)
def store_batch(store: Store, batch: pl.DataFrame, result: BatchResult, coder_version: str) -> dict[str, Any]:
    """Validate one batch's rows and write them, their quarantine and their `coded` marks."""
    now = dt.datetime.now(dt.UTC)
    events, undated = split_undated(event_frame(result.rows, batch), now)
    split = split_valid(
        events,
        Events,
        stage="validate",
        item_column="event_id",
        now=now,
        source_column="source_name",
        item_of=event_location,
        context_columns=EVENT_CONTEXT,
    )
    places = split_valid(
        place_frame(result.places),
        ArticlePlaces,
        stage="validate",
        item_column="article_id",
        now=now,
        item_of=lambda row: f"{row['article_id']}@{row['start']}-{row['end']}",
        context_columns=("text", "name"),
    )
    store.add_quarantine(places.quarantined)
    if result.failed:
        store.add_quarantine(coder_failures(result.failed, now))
    store.add_quarantine(undated)
    store.add_quarantine(split.quarantined)
    failed_ids = {article_id for article_id, _ in result.failed}
    ok_ids = [a for a in batch["article_id"].to_list() if a not in failed_ids]
    store.replace_events(ok_ids, split.valid, coder_version, now, places=places.valid)
    return {
        "articles_coded": len(ok_ids),
        "events_coded": split.valid.height,
        "events_quarantined": split.quarantined.height + undated.height,
        "actions": split.valid["action"].to_list(),
        "article_places": places.valid.height,
        "place_sources": split.valid["place_source"].drop_nulls().to_list(),
    }


def place_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The `article_places` rows of a batch as a frame in the model's columns."""
    schema = polars_schema(ArticlePlaces)
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


EVENT_CONTEXT = ("article_id", "sentence_index", "actor", "action", "target", "date", "sentence")
"""What a quarantined event row keeps in its detail, so a person sees what was lost."""


def event_location(row: dict[str, Any]) -> str:
    """Where an event row came from, as a quarantine item a person can look up."""
    return f"{row['article_id']}#s{row['sentence_index']}:{row['event_id']}"


def split_undated(events: pl.DataFrame, now: dt.datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows the coder could give no date (an undated article, a sentence with no date
    expression) go to quarantine as `no_date` rather than being given a made-up date."""
    undated = events.filter(pl.col("date").is_null())
    if undated.height == 0:
        return events, empty_quarantine()
    rows = list(undated.iter_rows(named=True))
    quarantine = pl.DataFrame(
        {
            "item": [event_location(r) for r in rows],
            "stage": ["code"] * len(rows),
            "reason": ["no_date"] * len(rows),
            "detail": [
                json.dumps(
                    {
                        "why": "the article has no publication date and the sentence no date expression",
                        **{c: None if r[c] is None else str(r[c]) for c in EVENT_CONTEXT},
                    },
                    ensure_ascii=False,
                )
                for r in rows
            ],
            "source_name": [r["source_name"] for r in rows],
            "first_seen": [now] * len(rows),
            "last_seen": [now] * len(rows),
            "count": [1] * len(rows),
        },
        schema=QUARANTINE_POLARS_SCHEMA,
    )
    return events.filter(pl.col("date").is_not_null()), quarantine


def code_into_store(
    store: Store,
    coder_version: str,
    articles: pl.DataFrame,
    *,
    batch_size: int,
    dask_cluster: str | None,
    dask_workers: int,
) -> CodeSummary:
    """Code `articles` in batches (here or on Dask) and store each batch in order as it is done."""
    summary = CodeSummary(coder=coder_version)
    by_action: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    batches = list(batched(articles, batch_size))
    progress.start("code", articles.height)
    for batch, result in zip(batches, _coded_batches(batches, coder_version, dask_cluster, dask_workers), strict=True):
        stored = store_batch(store, batch, result, coder_version)
        progress.advance("code", batch.height)
        summary.articles_coded += stored["articles_coded"]
        summary.events_coded += stored["events_coded"]
        summary.events_quarantined += stored["events_quarantined"]
        summary.articles_failed += len(result.failed)
        summary.failures.extend(result.failed)
        by_action.update(stored["actions"])
        by_source.update(stored["place_sources"])
        summary.article_places += stored["article_places"]
    summary.events_by_action = dict(sorted(by_action.items()))
    summary.events_placed_by_source = dict(sorted(by_source.items()))
    progress.finish("code", f"{summary.articles_coded} articles, {summary.events_coded} events")
    return summary


def _coded_batches(
    batches: list[pl.DataFrame], coder_version: str, dask_cluster: str | None, dask_workers: int
) -> Iterator[BatchResult]:
    if not batches:
        return
    if dask_cluster is None:
        for batch in batches:
            yield code_articles(article_texts(batch), coder_version, code_processes(batch.height))
        return
    if not _has_prefect_server():
        get_run_logger().warning(
            "coding on Dask without a Prefect server (PREFECT_API_URL unset): every Dask worker will start "
            "its own temporary server; run under `make serve` or set PREFECT_API_URL"
        )
    with dask_task_runner(dask_cluster, workers=dask_workers) as runner:
        futures = [
            runner.submit(code_articles_on_dask, {"texts": article_texts(batch), "coder_version": coder_version})
            for batch in batches
        ]
        for future in futures:
            yield future.result()


def _has_prefect_server() -> bool:
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


@flow(name="code")
def code(
    store_path: str | None = None,
    batch_size: int = CODE_BATCH_SIZE,
    limit: int | None = None,
    dask_cluster: str | None = None,
    dask_workers: int = 2,
    lock_wait_seconds: float | None = None,
) -> CodeSummary:
    """Code every stored article that the current coder version has not coded, in batches.

    `dask_cluster`: empty for none, `local` for a LocalCluster of `dask_workers` processes, or
    a scheduler address; unset, $EVENTWIRE_DASK_CLUSTER decides. The run holds the store's
    writer lock throughout; if another run holds it longer than `lock_wait_seconds`, this run
    skips, records that, and returns a summary whose `skipped` says why.
    """
    logger = get_run_logger()
    cluster = resolve_dask_cluster(dask_cluster)

    def work(run: RunInProgress) -> CodeSummary:
        with open_store(run.store_path, wait_seconds=lock_wait_seconds) as store:
            version = current_coder_version()
            todo = find_articles_to_code(store, version, limit)
            if todo.height == 0:
                logger.info("nothing to code with %s", version)
                return code_into_store(store, version, todo, batch_size=batch_size, dask_cluster=None, dask_workers=0)
            coder = load_coder_task()
            if coder.version != version:
                todo = find_articles_to_code(store, coder.version, limit)
            gazetteer = load_geocoder_task()
            logger.info("placing events on the GeoNames gazetteer %s", gazetteer)
            logger.info(
                "%d articles to code with %s%s",
                todo.height,
                coder.version,
                f" on Dask ({cluster})" if cluster else "",
            )
            return code_into_store(
                store,
                coder.version,
                todo,
                batch_size=batch_size,
                dask_cluster=cluster,
                dask_workers=dask_workers,
            )

    return run_holding_lock(
        "code",
        store_path,
        lock_wait_seconds=lock_wait_seconds,
        work=work,
        counts=CodeSummary.report_counts,
        on_skip=lambda busy: CodeSummary(coder="", skipped=str(busy)),
    )


def coder_failures(failed: list[tuple[str, str]], now: dt.datetime) -> pl.DataFrame:
    """Quarantine rows for the articles the coder raised on."""
    return pl.DataFrame(
        {
            "item": [a for a, _ in failed],
            "stage": ["code"] * len(failed),
            "reason": ["coder_error"] * len(failed),
            "detail": [json.dumps({"error": e}) for _, e in failed],
            "source_name": [None] * len(failed),
            "first_seen": [now] * len(failed),
            "last_seen": [now] * len(failed),
            "count": [1] * len(failed),
        },
        schema=QUARANTINE_POLARS_SCHEMA,
    )
