"""The `recode` flow: after a coder upgrade, re-code the stored history and publish it.

The `coded` table records, per article and coder version, that the article's events are
stored; `recode` works through the articles the current version has not coded, batch by
batch, each batch in one transaction. A crash loses at most the batch in flight: the next run
starts where the last one stopped. Where the raw bytes of an article were kept
(`flows/io/rawstore.py`), its text is extracted again first, so an improved extractor reaches
history too; otherwise the stored text is coded.

When the work is done it publishes a release; the release's change list (`CHANGES.md`)
attributes differences to the coder, because every re-coded row carries the new coder
version in its `coder` column.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.code import (
    CodeSummary,
    batched,
    code_into_store,
    find_articles_to_code,
    load_coder_task,
)
from flows.io.locking import open_store
from flows.io.rawstore import RawStore, RawStoreError
from flows.io.store import Store
from flows.runs import RunInProgress, counts_from_summary, run_holding_lock
from flows.taskrunners import resolve_dask_cluster
from transforms.coder import CODER_NAME
from transforms.dedup import text_hash
from transforms.extract import ArticleParseError, extract_article


@dataclass
class RecodeSummary:
    """What one `recode` run did."""

    coder: str
    previous_coders: list[str] = field(default_factory=list)
    articles_to_recode: int = 0
    articles_reextracted: int = 0
    articles_text_changed: int = 0
    code: CodeSummary | None = None
    release: dict[str, Any] | None = None
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@task(name="previous-coders", retries=2, retry_delay_seconds=5, timeout_seconds=120, cache_policy=NO_CACHE)
def previous_coders(store: Store, coder_version: str) -> list[str]:
    """The other coders whose events are still in the store, as the `coder` column names them
    (`eventwire-coder <version>`): the current one is named the same way, so it is never listed."""
    return store.event_coders_other_than(f"{CODER_NAME} {coder_version}")


def raw_store_for(store: Store) -> RawStore:
    """The raw store kept beside a working store (`<store folder>/raw`)."""
    return RawStore(store.path.resolve().parent / "raw")


@task(name="re-extract-articles", retries=2, retry_delay_seconds=5, timeout_seconds=900, cache_policy=NO_CACHE)
def reextract_batch(store: Store, batch: pl.DataFrame) -> tuple[int, int]:
    """Extract each article's text again from its kept raw bytes and store the texts that changed.

    Returns (articles re-extracted, articles whose text changed). Articles without kept bytes,
    or whose bytes no longer yield an article, keep their stored text.
    """
    raw = raw_store_for(store)
    fetched = store.raw_documents([d for d in batch["content_sha256"].to_list() if d])
    reextracted = 0
    changed: list[tuple[str, str, str]] = []
    for article in batch.iter_rows(named=True):
        digest = article.get("content_sha256")
        if not digest or not raw.has(digest):
            continue
        document = fetched.get(digest, {})
        try:
            extracted = extract_article(
                raw.get(digest),
                url=document.get("final_url") or article["url"],
                content_type=document.get("content_type"),
                charset=document.get("charset"),
                fallback_date=article["published_at"],
                title_hint=article["title"],
            )
        except (ArticleParseError, RawStoreError) as error:
            get_run_logger().warning("article %s: kept its stored text (%s)", article["article_id"], error)
            continue
        reextracted += 1
        if extracted.text != article["text"]:
            changed.append((article["article_id"], extracted.text, text_hash(extracted.text)))
    store.set_article_texts(changed)
    return reextracted, len(changed)


@flow(name="recode")
def recode(
    store_path: str | None = None,
    releases_dir: str | None = None,
    batch_size: int = 64,
    limit: int | None = None,
    reextract: bool = True,
    publish_release: bool = True,
    dask_cluster: str | None = None,
    dask_workers: int = 2,
    lock_wait_seconds: float | None = None,
) -> RecodeSummary:
    """Re-code, with the current coder version, every stored article it has not coded yet.

    Resumable: run it again after a crash and it continues with the articles left. With
    `publish_release` it then publishes a release (the publish flow, as a sub-flow) whose
    change list names the coder as the reason for the differences.
    """
    logger = get_run_logger()
    cluster = resolve_dask_cluster(dask_cluster)

    def work(run: RunInProgress) -> RecodeSummary:
        summary = _recode(run.store_path, batch_size, limit, reextract, cluster, dask_workers, lock_wait_seconds)
        if publish_release and summary.code is not None and summary.code.articles_coded:
            summary.release = _publish(str(run.store_path), releases_dir)
        return summary

    summary = run_holding_lock(
        "recode",
        store_path,
        lock_wait_seconds=lock_wait_seconds,
        work=work,
        counts=_report_counts,
        on_skip=lambda busy: RecodeSummary(coder="", skipped=str(busy)),
    )
    if summary.skipped:
        return summary
    logger.info(
        "re-coded %d articles with %s (was: %s)",
        summary.code.articles_coded if summary.code else 0,
        summary.coder,
        ", ".join(summary.previous_coders) or "nothing",
    )
    return summary


def _recode(
    path: Any,
    batch_size: int,
    limit: int | None,
    reextract: bool,
    cluster: str | None,
    dask_workers: int,
    lock_wait_seconds: float | None,
) -> RecodeSummary:
    logger = get_run_logger()
    coder = load_coder_task()
    with open_store(path, wait_seconds=lock_wait_seconds) as store:
        summary = RecodeSummary(coder=coder.version, previous_coders=previous_coders(store, coder.version))
        todo = find_articles_to_code(store, coder.version, limit)
        summary.articles_to_recode = todo.height
        logger.info("%d articles to re-code with %s", todo.height, coder.version)
        if reextract:
            for batch in batched(todo, batch_size):
                reextracted, changed = reextract_batch(store, batch)
                summary.articles_reextracted += reextracted
                summary.articles_text_changed += changed
            if summary.articles_text_changed:
                todo = find_articles_to_code(store, coder.version, limit)
        summary.code = code_into_store(
            store, coder.version, todo, batch_size=batch_size, dask_cluster=cluster, dask_workers=dask_workers
        )
    return summary


def _publish(store: str, releases_dir: str | None) -> dict[str, Any]:
    from flows.publish import publish

    return publish(store_path=store, releases_dir=releases_dir).as_dict()


def _report_counts(summary: RecodeSummary) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    if summary.code is not None:
        counts.update(summary.code.report_counts())
    release = summary.release or {}
    if release.get("published"):
        counts.update({k: v for k, v in counts_from_summary(release).items() if k.startswith("release_")})
    counts["details"] = {
        "coder": summary.coder,
        "previous_coders": summary.previous_coders,
        "articles_reextracted": summary.articles_reextracted,
        "articles_text_changed": summary.articles_text_changed,
        "release_changes": {k: release.get(k) for k in ("added", "changed", "removed")} if release else None,
    }
    return counts
