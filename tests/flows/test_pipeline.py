"""The `pipeline` flow on the bundled samples: every step recorded, a second run changes nothing,
and a pipeline that finds the store taken skips and says so."""

from __future__ import annotations

import threading
from pathlib import Path
from uuid import UUID

import polars as pl
import pytest

from flows.io.locking import writer_lock
from flows.io.release import get_release, read_article_places, read_articles, read_events, verify_release
from flows.io.store import Store
from flows.pipeline import PipelineSummary, pipeline
from tests.flows.test_code_flow import stored_events
from tests.flows.test_runs import artifacts_of


@pytest.fixture(scope="module")
def first_run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PipelineSummary]:
    root = tmp_path_factory.mktemp("pipeline")
    store_path = root / "working.duckdb"
    summary = pipeline(store_path=str(store_path), releases_dir=str(root / "releases"))
    return store_path, summary


def test_the_pipeline_ingests_codes_publishes_and_records_every_step(first_run: tuple[Path, PipelineSummary]) -> None:
    store_path, summary = first_run
    assert summary.skipped is None
    assert summary.ingest.new > 20
    assert summary.code is not None and summary.code.articles_coded == summary.ingest.new
    assert summary.publish.published and summary.publish.version
    events = stored_events(store_path)
    assert summary.code.events_coded == events.height > 0

    with Store(store_path) as store:
        runs = store.frame("SELECT * FROM runs ORDER BY flow")
    assert runs["flow"].to_list() == ["code", "ingest", "pipeline", "publish"]
    assert set(runs["status"]) == {"completed"}
    whole = runs.row(by_predicate=pl.col("flow") == "pipeline", named=True)
    assert whole["articles_new"] == summary.ingest.new
    assert whole["events_coded"] == events.height
    assert whole["release_version"] == summary.publish.version

    artifacts = artifacts_of(whole["run_id"])
    assert [a.key for a in artifacts] == ["eventwire-pipeline"]
    assert f"`{summary.publish.version}`" in str(artifacts[0].data)
    code_run = runs.row(by_predicate=pl.col("flow") == "code", named=True)
    assert [a.key for a in artifacts_of(code_run["run_id"])] == ["eventwire-code"]
    UUID(code_run["run_id"])

    rendered = summary.render()
    assert f"{summary.ingest.new} new" in rendered and summary.publish.version in rendered


def test_a_second_pipeline_run_codes_nothing_and_keeps_the_events(
    prefect_harness: None, first_run: tuple[Path, PipelineSummary]
) -> None:
    store_path, first = first_run
    before = stored_events(store_path)
    again = pipeline(store_path=str(store_path), releases_dir=str(store_path.parent / "releases"))
    assert again.ingest.new == 0
    assert again.code is not None and again.code.articles_coded == 0
    assert not again.publish.published
    assert stored_events(store_path).equals(before)
    with Store(store_path) as store:
        pipeline_runs = store.frame("SELECT release_version FROM runs WHERE flow = 'pipeline' ORDER BY started_at")
    assert pipeline_runs["release_version"].to_list() == [first.publish.version, None]


def test_a_pipeline_that_finds_the_store_taken_skips(prefect_harness: None, tmp_path: Path) -> None:
    store_path = tmp_path / "working.duckdb"
    taken, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with writer_lock(store_path, wait_seconds=0, owner="recode run 7"):
            taken.set()
            release.wait(30)

    holder = threading.Thread(target=other_run)
    holder.start()
    try:
        assert taken.wait(10)
        summary = pipeline(store_path=str(store_path), releases_dir=str(tmp_path / "releases"), lock_wait_seconds=0.3)
    finally:
        release.set()
        holder.join(10)
    assert summary.skipped is not None and "recode run 7" in summary.skipped
    assert summary.render().startswith("pipeline skipped:")
    assert not store_path.exists()


def test_the_sample_events_are_placed_and_published_with_their_places(
    first_run: tuple[Path, PipelineSummary],
) -> None:
    store_path, summary = first_run
    events = stored_events(store_path)
    convoy = events.filter(pl.col("sentence").str.starts_with("UN agencies accused Israeli forces of firing"))
    assert convoy.select("place_name", "place_country").rows() == [("Khān Yūnis", "PSE")]
    assert convoy["place_source"][0] in ("verb", "sentence")
    by_source = events["place_source"].drop_nulls().value_counts()
    assert summary.code is not None
    assert summary.code.events_placed_by_source == dict(sorted(by_source.iter_rows()))
    assert events["place_source"].null_count() < events.height // 4, "most sample events have a place"

    release = get_release(store_path.parent / "releases", summary.publish.version or "latest")
    verify_release(release, deep=True)
    published = read_events(release)
    assert (
        published.filter(pl.col("place_source").is_not_null()).height
        == events.filter(pl.col("place_source").is_not_null()).height
    )
    places = read_article_places(release)
    assert places.height == release.manifest["counts"]["article_places"] > 0
    assert set(places["article_id"]) <= set(published["article_id"]) | set(read_articles(release)["article_id"])
