"""The `recode` flow: a coder upgrade re-codes history, resumes after a crash, re-extracts from
kept raw bytes, and publishes a release whose changes are attributed to the coder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.code import code, using_coder, worker_coder
from flows.io.rawstore import RawStore
from flows.io.store import Store
from flows.publish import publish
from flows.recode import recode
from schemas.events import PLACE_COLUMNS
from tests.flows.test_code_flow import (
    TEST_ARTICLES,
    CountingCoder,
    CrashingCoder,
    SimulatedCrash,
    article_rows,
    runs_of,
    seed_store,
    stored_events,
)

OLD_VERSION = "0.0.9+actors.2025.01.01+verbs.2025.01.01"


class OlderCoder:
    """The real coder's rows under an older version label: what the store held before an upgrade.
    It has no `after_article` hook, so the flow places none of its events."""

    def __init__(self, coder: Any, version: str = OLD_VERSION) -> None:
        self.coder = coder
        self.version = version
        self.label = f"eventwire-coder {version}"

    def code(self, articles: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        for article_id, rows in self.coder.code(articles):
            yield article_id, [dict(row, coder=self.label) for row in rows]


@pytest.fixture(scope="module")
def real_coder() -> Any:
    return worker_coder()


@pytest.fixture
def coded_by_an_older_coder(prefect_harness: None, tmp_path: Path, real_coder: Any) -> tuple[Path, Path]:
    """A store coded by the older coder, and a first release of it."""
    store_path, releases = tmp_path / "working.duckdb", tmp_path / "releases"
    seed_store(store_path)
    with using_coder(OlderCoder(real_coder)):
        code(store_path=str(store_path))
    first = publish(store_path=str(store_path), releases_dir=str(releases))
    assert first.published
    return store_path, releases


def test_recode_recodes_history_and_publishes_a_coder_change(
    coded_by_an_older_coder: tuple[Path, Path], real_coder: Any
) -> None:
    store_path, releases = coded_by_an_older_coder
    before = stored_events(store_path)
    summary = recode(store_path=str(store_path), releases_dir=str(releases))

    after = stored_events(store_path)
    assert summary.previous_coders == [f"eventwire-coder {OLD_VERSION}"]
    assert summary.code is not None and summary.code.articles_coded == len(TEST_ARTICLES)
    assert [c.endswith(real_coder.version) for c in after["coder"].unique()] == [True]
    assert after.drop("coder", *PLACE_COLUMNS).equals(before.drop("coder", *PLACE_COLUMNS))
    assert before["place_source"].null_count() == before.height, "the older coder placed nothing"
    assert after["place_source"].null_count() < after.height, "re-coding places the history"

    assert summary.release is not None and summary.release["published"]
    release = Path(summary.release["path"])
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["changes_by_reason"] == {"added": {}, "changed": {"coder_change": after.height}, "removed": {}}
    assert "coder_change" in (release / "CHANGES.md").read_text()

    runs = runs_of(store_path, "recode")
    assert runs["status"].to_list() == ["completed"]
    assert runs["release_version"].to_list() == [summary.release["version"]]
    assert runs["articles_coded"].to_list() == [len(TEST_ARTICLES)]

    again = recode(store_path=str(store_path), releases_dir=str(releases))
    assert again.previous_coders == [], "the coder that just re-coded is not a previous one"
    assert again.code is not None and again.code.articles_coded == 0


def test_recode_resumes_after_a_crash(coded_by_an_older_coder: tuple[Path, Path], real_coder: Any) -> None:
    store_path, releases = coded_by_an_older_coder
    with using_coder(CrashingCoder(real_coder, crash_on=2)), pytest.raises(SimulatedCrash):
        recode(store_path=str(store_path), releases_dir=str(releases), batch_size=3)
    with Store(store_path) as store:
        done = set(store.frame("SELECT article_id FROM coded WHERE coder = ?", [real_coder.version])["article_id"])
    assert len(done) == 3

    counting = CountingCoder(real_coder)
    with using_coder(counting):
        resumed = recode(store_path=str(store_path), releases_dir=str(releases), batch_size=3)
    assert resumed.code is not None and resumed.code.articles_coded == len(TEST_ARTICLES) - 3
    assert not set(counting.seen) & done
    assert [c.endswith(real_coder.version) for c in stored_events(store_path)["coder"].unique()] == [True]
    assert resumed.release is not None and resumed.release["published"]


def test_recode_re_extracts_text_from_the_kept_raw_bytes(
    prefect_harness: None, tmp_path: Path, real_coder: Any
) -> None:
    store_path = tmp_path / "working.duckdb"
    title, stored_text, published = TEST_ARTICLES[1]
    fuller = (
        "Thousands of protesters marched through Nairobi on Saturday against a proposed tax on bread. "
        "Kenyan police fired tear gas at the crowd near parliament. "
        "Kenyan police arrested dozens of protesters in Mombasa on Sunday, a day after the march."
    )
    page = f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{fuller}</p></article></body></html>"
    body = page.encode()
    digest = RawStore(tmp_path / "raw").put(body)
    assert digest == hashlib.sha256(body).hexdigest()
    rows = article_rows([(title, stored_text, published)]).with_columns(pl.lit(digest).alias("content_sha256"))
    with Store(store_path) as store:
        store.insert("articles", rows)

    summary = recode(store_path=str(store_path), publish_release=False)
    assert (summary.articles_reextracted, summary.articles_text_changed) == (1, 1)
    with Store(store_path) as store:
        text = store.table("articles")["text"][0]
    assert "arrested dozens of protesters in Mombasa" in text
    sentences = stored_events(store_path)["sentence"].to_list()
    assert any("Mombasa" in sentence for sentence in sentences), sentences


def test_recode_with_nothing_to_do_publishes_nothing(prefect_harness: None, tmp_path: Path, real_coder: Any) -> None:
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    code(store_path=str(store_path))
    summary = recode(store_path=str(store_path), releases_dir=str(tmp_path / "releases"))
    assert summary.code is not None and summary.code.articles_coded == 0
    assert summary.release is None
    assert not (tmp_path / "releases").exists() or not any((tmp_path / "releases").iterdir())
    assert runs_of(store_path, "recode")["status"].to_list() == ["completed"]


def test_recode_places_a_store_coded_before_placing_existed(
    prefect_harness: None, tmp_path: Path, real_coder: Any
) -> None:
    """The same coder and dictionaries, but without the geocoder: its version lacks `+places.…`,
    so `eventwire recode` (the command docs/operations.md gives) codes and places the history."""
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    assert "+places." in real_coder.version and real_coder.version.startswith(real_coder.own_version)
    with using_coder(OlderCoder(real_coder, version=real_coder.own_version)):
        code(store_path=str(store_path))
    before = stored_events(store_path)
    assert before.height > 0 and before.select(PLACE_COLUMNS).null_count().row(0) == (before.height,) * len(
        PLACE_COLUMNS
    ), "coded without places"

    result = CliRunner().invoke(app, ["recode", "--store", str(store_path), "--no-publish", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert summary["previous_coders"] == [f"eventwire-coder {real_coder.own_version}"]
    assert summary["code"]["articles_coded"] == len(TEST_ARTICLES)

    after = stored_events(store_path)
    assert after["coder"].unique().to_list() == [f"eventwire-coder {real_coder.version}"]
    assert after.drop("coder", *PLACE_COLUMNS).equals(before.drop("coder", *PLACE_COLUMNS))
    placed = after.filter(pl.col("place_country").is_not_null())
    assert placed.height > 0 and placed["latitude"].null_count() == 0
    with Store(store_path) as store:
        assert store.table("article_places").height > 0
        coded = store.frame("SELECT DISTINCT coder FROM coded ORDER BY coder")["coder"].to_list()
    assert real_coder.version in coded

    again = recode(store_path=str(store_path), publish_release=False)
    assert again.code is not None and again.code.articles_coded == 0, "placed once, not again"
