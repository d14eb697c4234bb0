"""The `publish` flow: validate what the working store holds and write it as the next release.

Rows that fail the pandera models now (or events whose article is not published) go to the
store's quarantine with stage `publish` and are never published. The release itself is
written by `flows.io.release.write_release` (staging folder, verification, rename, pointer);
afterwards `releases/index.html` is regenerated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE as NO_CACHE

from flows import progress
from flows.io.locking import open_store
from flows.io.release import ReleaseResult, resolve_releases_dir, write_release
from flows.io.site import write_site
from flows.io.store import Store
from flows.runs import RunInProgress, run_holding_lock
from schemas.articles import Articles
from schemas.events import Events
from schemas.places import ArticlePlaces
from transforms.validate import QUARANTINE_POLARS_SCHEMA, split_valid


@dataclass(frozen=True)
class PublishSummary:
    """What one publish run did."""

    version: str | None
    path: str | None
    parent: str | None
    published: bool
    reason: str
    events: int
    articles: int
    events_quarantined: int
    articles_quarantined: int
    added: int
    changed: int
    removed: int
    files_written: int
    files_linked: int
    bytes_written: int
    bytes_linked: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def line(self) -> str:
        """One line for a run summary."""
        if not self.published:
            return (
                f"release: not published ({self.reason}); {self.events} events, {self.events_quarantined} quarantined"
            )
        return (
            f"release {self.version} at {self.path}: {self.events} events "
            f"(+{self.added} ~{self.changed} -{self.removed} since {self.parent or 'nothing'}), "
            f"{self.articles} articles, {self.events_quarantined} events quarantined"
        )


@dataclass(frozen=True)
class Publishable:
    """The rows that passed validation, and how many did not."""

    events: pl.DataFrame
    articles: pl.DataFrame
    events_quarantined: int
    articles_quarantined: int
    article_places: pl.DataFrame | None = None
    """The places of the published articles (`article_places`), validated in the store."""


def _orphan_quarantine(orphans: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "item": orphans["event_id"].to_list(),
            "stage": ["publish"] * orphans.height,
            "reason": ["article_not_published"] * orphans.height,
            "detail": [f"article {a} is not in the store or failed validation" for a in orphans["article_id"]],
            "source_name": orphans["source_name"].to_list(),
            "first_seen": [now] * orphans.height,
            "last_seen": [now] * orphans.height,
            "count": [1] * orphans.height,
        },
        schema=QUARANTINE_POLARS_SCHEMA,
    )


def select_publishable(store: Store, now: dt.datetime) -> Publishable:
    """Read events and articles from the store, validate them, quarantine the rows that fail."""
    articles = split_valid(
        store.table("articles"),
        Articles,
        stage="publish",
        item_column="article_id",
        now=now,
        source_column="source_name",
    )
    events = split_valid(
        store.table("events"), Events, stage="publish", item_column="event_id", now=now, source_column="source_name"
    )
    known = articles.valid["article_id"].implode()
    orphans = events.valid.filter(~pl.col("article_id").is_in(known))
    publishable = events.valid.filter(pl.col("article_id").is_in(known))
    store.add_quarantine(articles.quarantined)
    store.add_quarantine(events.quarantined)
    store.add_quarantine(_orphan_quarantine(orphans, now))
    places = store.table("article_places").filter(pl.col("article_id").is_in(known))
    return Publishable(
        publishable,
        articles.valid,
        events.quarantined.height + orphans.height,
        articles.quarantined.height,
        ArticlePlaces.validate(places),
    )


# No timeouts here: Prefect cannot stop a sync task's thread, and a retry beside a still-running
# attempt would make two writers. Retries are safe: a failed attempt leaves only a staging folder.
@task(name="read-and-validate", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def read_and_validate(store_path: Path, now: dt.datetime, lock_wait_seconds: float | None) -> Publishable:
    with open_store(store_path, wait_seconds=lock_wait_seconds) as store:
        return select_publishable(store, now)


@task(name="write-release", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def write_release_task(
    releases_dir: Path,
    publishable: Publishable,
    now: dt.datetime,
    version: str | None,
    include_text: bool,
    force: bool,
) -> ReleaseResult:
    return write_release(
        releases_dir,
        publishable.events,
        publishable.articles,
        now=now,
        version=version,
        include_text=include_text,
        force=force,
        article_places=publishable.article_places,
    )


@task(name="write-site", retries=2, retry_delay_seconds=5, timeout_seconds=300, cache_policy=NO_CACHE)
def write_site_task(releases_dir: Path) -> Path:
    return write_site(releases_dir)


def _summary(result: ReleaseResult, publishable: Publishable, seconds: float) -> PublishSummary:
    counts = result.counts
    return PublishSummary(
        version=result.version,
        path=str(result.path) if result.path else None,
        parent=result.parent,
        published=result.published,
        reason=result.reason,
        events=publishable.events.height,
        articles=publishable.articles.height,
        events_quarantined=publishable.events_quarantined,
        articles_quarantined=publishable.articles_quarantined,
        added=counts.get("added", 0),
        changed=counts.get("changed", 0),
        removed=counts.get("removed", 0),
        files_written=result.files_written,
        files_linked=result.files_linked,
        bytes_written=result.bytes_written,
        bytes_linked=result.bytes_linked,
        seconds=round(seconds, 3),
    )


def _skipped(reason: str, seconds: float) -> PublishSummary:
    return PublishSummary(None, None, None, False, reason, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, round(seconds, 3))


@flow(name="publish")
def publish(
    store_path: str | None = None,
    releases_dir: str | None = None,
    version: str | None = None,
    include_text: bool = False,
    force: bool = False,
    lock_wait_seconds: float | None = None,
) -> PublishSummary:
    """Publish the working store as the next release (not when nothing changed, unless `force`).

    `store_path` defaults to `data/working/eventwire.duckdb`, `releases_dir` to `data/releases`,
    `version` to `YYYY.MM.DD.N` for today (UTC). `include_text` publishes the articles' full
    text (off by default: metadata only). The run holds the store's writer lock while it reads
    and quarantines; if another run holds it longer than `lock_wait_seconds`, it skips.
    """
    logger = get_run_logger()
    clock = time.perf_counter()
    root = resolve_releases_dir(releases_dir)

    def work(run: RunInProgress) -> PublishSummary:
        progress.start("publish", 1)
        publishable = read_and_validate(run.store_path, run.started_at, lock_wait_seconds)
        result = write_release_task(root, publishable, run.started_at, version, include_text, force)
        write_site_task(root)
        if result.recovered:
            logger.warning(
                "the pointer was rolled forward to %s, left unpointed by an interrupted publish", result.recovered
            )
        summary = _summary(result, publishable, time.perf_counter() - clock)
        progress.advance("publish", 1)
        progress.finish("publish", f"release {summary.version}" if summary.published else "release unchanged")
        logger.info(summary.line())
        return summary

    return run_holding_lock(
        "publish",
        store_path,
        lock_wait_seconds=lock_wait_seconds,
        work=work,
        counts=_report_counts,
        on_skip=lambda busy: _skipped(f"skipped: {busy}", time.perf_counter() - clock),
    )


def _report_counts(summary: PublishSummary) -> dict[str, Any]:
    return {
        "events_quarantined": summary.events_quarantined,
        "articles_quarantined": summary.articles_quarantined,
        "release_version": summary.version,
        "release_path": summary.path,
        "note": None if summary.published else summary.reason,
        "details": {"publish": summary.as_dict()},
    }
