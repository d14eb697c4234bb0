"""The publish flow on a synthetic working store: what lands in the release, what is refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from flows.io.release import (
    get_release,
    is_version,
    list_releases,
    read_articles,
    read_events,
    read_pointer,
    verify_release,
)
from flows.io.store import Store
from flows.publish import PublishSummary, publish
from tests.flows.release_fixtures import fill_store, make_corpus

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "working" / "eventwire.duckdb"
    fill_store(path, make_corpus(articles=30, events_per_article=3, start=dt.date(2024, 8, 1), days=120))
    return path


def test_publish_writes_a_verified_release_of_the_store(store_path: Path, tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    summary = publish(store_path=str(store_path), releases_dir=str(releases))

    assert isinstance(summary, PublishSummary)
    assert summary.published and is_version(summary.version or "")
    assert summary.parent is None
    assert (summary.events, summary.articles, summary.events_quarantined) == (90, 30, 0)
    assert summary.added == 90
    assert read_pointer(releases) == summary.version
    release = get_release(releases, "latest")
    verify_release(release, deep=True)
    names = {f["path"] for f in release.files}
    assert {"articles.parquet", "eventwire.duckdb", "CHANGES.md", "changes.json", "datapackage.json"} <= names
    assert {"CODEBOOK.md", "CITATION.cff"} <= names
    with Store(store_path) as store:
        stored = store.table("events")
        runs = store.frame("SELECT flow, status, release_version FROM runs")
    published = read_events(release)
    assert sorted(published["event_id"].to_list()) == sorted(stored["event_id"].to_list())
    assert published.sort("event_id").equals(stored.sort("event_id"))
    assert runs.rows() == [("publish", "completed", summary.version)]
    index = json.loads((releases / "index.json").read_text())
    assert index["latest"] == summary.version
    assert (releases / "index.html").is_file()
    assert summary.as_dict()["version"] == summary.version


def test_publish_again_without_changes_is_skipped_unless_forced(store_path: Path, tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    first = publish(store_path=str(store_path), releases_dir=str(releases))
    again = publish(store_path=str(store_path), releases_dir=str(releases))
    assert not again.published
    assert again.version is None and again.parent == first.version
    assert "nothing changed" in again.reason
    assert [r.version for r in list_releases(releases)] == [first.version]

    forced = publish(store_path=str(store_path), releases_dir=str(releases), force=True)
    assert forced.published and forced.parent == first.version
    assert forced.version == first.version[:-1] + "2"
    assert (forced.added, forced.changed, forced.removed) == (0, 0, 0)
    assert forced.files_linked >= 2, "unchanged months and articles are linked, not rewritten"
    with Store(store_path) as store:
        statuses = store.frame("SELECT status FROM runs ORDER BY started_at")["status"].to_list()
    assert statuses == ["completed", "completed", "completed"]


def test_rows_that_fail_validation_are_quarantined_and_not_published(store_path: Path, tmp_path: Path) -> None:
    corpus = make_corpus(articles=2, events_per_article=2, start=dt.date(2024, 9, 1), days=10, seed=7)
    with Store(store_path) as store:
        bad = corpus.events.head(1).with_columns(
            pl.lit(4, dtype=pl.Int64).alias("quad_class"), pl.lit("AGREE").alias("action")
        )
        orphan = corpus.events.slice(1, 1)
        store.insert("events", pl.concat([bad, orphan]))

    summary = publish(store_path=str(store_path), releases_dir=str(tmp_path / "releases"))

    assert summary.events == 90 and summary.events_quarantined == 2
    published_ids = set(read_events(get_release(tmp_path / "releases")).get_column("event_id").to_list())
    assert bad["event_id"][0] not in published_ids and orphan["event_id"][0] not in published_ids
    with Store(store_path) as store:
        quarantine = store.frame("SELECT item, stage, reason FROM quarantine ORDER BY item")
    assert set(quarantine.rows()) == {
        (bad["event_id"][0], "publish", "check_failed"),
        (orphan["event_id"][0], "publish", "article_not_published"),
    }


def test_full_text_is_published_only_when_allowed(store_path: Path, tmp_path: Path) -> None:
    without = publish(store_path=str(store_path), releases_dir=str(tmp_path / "a"))
    with_text = publish(store_path=str(store_path), releases_dir=str(tmp_path / "b"), include_text=True)
    articles_without = read_articles(get_release(tmp_path / "a", without.version or ""))
    articles_with = read_articles(get_release(tmp_path / "b", with_text.version or ""))
    assert articles_without.columns == articles_with.columns, "the shape does not depend on the option"
    assert articles_without["text"].null_count() == 30
    assert articles_with["text"].null_count() == 0
    assert get_release(tmp_path / "a").manifest["articles_text_included"] is False
    assert get_release(tmp_path / "b").manifest["articles_text_included"] is True
