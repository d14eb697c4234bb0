"""The `code` flow on a seeded working store: events stored, run recorded, nothing coded twice.

The articles below were written for these tests (short, news-like, one or two events each).
`seed_store` puts them into a store the way ingest would, so the flow tests do not depend on
fetching; the other flow test modules import it from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from flows.code import code, using_coder, worker_coder
from flows.io.store import Store
from schemas.articles import Articles
from transforms.validate import polars_schema

TEST_ARTICLES: tuple[tuple[str, str, dt.date], ...] = (
    (
        "Ministers meet in Ankara",
        "Turkish Foreign Minister Hakan Fidan met Iranian Foreign Minister Abbas Araghchi in Ankara on Monday. "
        "The two ministers discussed trade across their shared border.\n\n"
        "Turkey and Iran signed an agreement on water management after the talks.",
        dt.date(2025, 3, 4),
    ),
    (
        "Protest in Nairobi",
        "Thousands of protesters marched through Nairobi on Saturday against a proposed tax on bread. "
        "Kenyan police fired tear gas at the crowd near parliament.",
        dt.date(2025, 6, 22),
    ),
    (
        "Aid for flood victims",
        "Japan sent emergency aid to the Philippines after floods swept through the northern provinces. "
        "The Philippine government thanked Tokyo for the help on Wednesday.",
        dt.date(2025, 8, 14),
    ),
    (
        "Sanctions announced",
        "The European Union imposed new sanctions on Belarus on Friday over the detention of opposition figures. "
        "Belarus rejected the measures as interference in its affairs.",
        dt.date(2025, 2, 28),
    ),
    (
        "Border clash",
        "Indian troops exchanged fire with Pakistani soldiers along the Line of Control on Tuesday, "
        "officials in New Delhi said. Pakistan accused India of violating the ceasefire.",
        dt.date(2025, 5, 7),
    ),
    (
        "Summit in Brasilia",
        "Brazilian President Luiz Inacio Lula da Silva hosted Argentine President Javier Milei in Brasilia on Thursday. "
        "Brazil urged Argentina to reopen talks on the trade bloc.",
        dt.date(2025, 9, 12),
    ),
    (
        "Troops withdrawn",
        "Russia withdrew troops from the border with Finland in January, Finnish officials said. "
        "Finland welcomed the move but said it would keep its own patrols.",
        dt.date(2025, 2, 3),
    ),
    (
        "Threat over shipping",
        "Iran threatened to close the Strait of Hormuz if new sanctions were imposed on its oil exports. "
        "The United States condemned the threat on Sunday.",
        dt.date(2025, 7, 20),
    ),
    (
        "Talks on grain",
        "Ukraine and Turkey agreed on Monday to extend the grain corridor for another six months. "
        "Ukrainian President Volodymyr Zelensky praised Turkey for its mediation.",
        dt.date(2025, 4, 14),
    ),
    (
        "Arrests in Caracas",
        "Venezuelan security forces arrested two opposition leaders in Caracas on Wednesday. "
        "Colombia criticised the arrests and called for their release.",
        dt.date(2025, 10, 8),
    ),
)


def article_rows(
    articles: Iterable[tuple[str, str, dt.date]] = TEST_ARTICLES, *, source: str = "Test Wire"
) -> pl.DataFrame:
    """Stored-article rows for (title, text, published) triples, as ingest would write them."""
    rows = []
    for title, text, published in articles:
        url = f"https://news.example.test/{hashlib.sha1(title.encode()).hexdigest()[:10]}"
        rows.append(
            {
                "article_id": hashlib.sha256(url.encode()).hexdigest()[:32],
                "url": url,
                "canonical_url": url,
                "source_name": source,
                "title": title,
                "author": None,
                "published_at": dt.datetime.combine(published, dt.time(9), tzinfo=dt.UTC),
                "published_source": "metadata",
                "fetched_at": dt.datetime(2025, 11, 1, tzinfo=dt.UTC),
                "language": "en",
                "text": text,
                "text_hash": hashlib.sha256(text.encode()).hexdigest(),
                "content_sha256": None,
                "duplicate_of": None,
                "status": "ok",
            }
        )
    return Articles.validate(pl.DataFrame(rows, schema=polars_schema(Articles)))


def seed_store(path: Path, articles: Iterable[tuple[str, str, dt.date]] = TEST_ARTICLES) -> pl.DataFrame:
    """A working store at `path` holding the articles; returns their rows."""
    rows = article_rows(articles)
    with Store(path) as store:
        store.insert("articles", rows)
    return rows


def stored_events(path: Path) -> pl.DataFrame:
    with Store(path) as store:
        return store.table("events").sort("event_id")


def runs_of(path: Path, flow_name: str) -> pl.DataFrame:
    with Store(path) as store:
        return store.frame("SELECT * FROM runs WHERE flow = ? ORDER BY started_at, run_id", [flow_name])


class SimulatedCrash(BaseException):
    """Stands for the process dying (OOM, kill): not an `Exception`, so nothing swallows it."""


class WrappedCoder:
    """A stand-in around the real coder that still places events: the flow's geocoding hook
    and what it returns are the wrapped coder's."""

    coder: Any

    @property
    def after_article(self) -> Any:
        return self.coder.after_article

    @after_article.setter
    def after_article(self, hook: Any) -> None:
        self.coder.after_article = hook

    @property
    def article_extras(self) -> dict[str, Any]:
        extras: dict[str, Any] = self.coder.article_extras
        return extras


class CrashingCoder(WrappedCoder):
    """The real coder, but the process 'dies' when asked to code its `crash_on`-th batch."""

    def __init__(self, coder: Any, crash_on: int) -> None:
        self.coder = coder
        self.version = coder.version
        self.name = getattr(coder, "name", "eventwire-coder")
        self.crash_on = crash_on
        self.batches = 0

    def code(self, articles: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        self.batches += 1
        if self.batches == self.crash_on:
            raise SimulatedCrash(f"simulated crash in batch {self.batches}")
        yield from self.coder.code(articles)


class CountingCoder(WrappedCoder):
    """The real coder, counting which articles it was asked to code."""

    def __init__(self, coder: Any) -> None:
        self.coder = coder
        self.version = coder.version
        self.name = getattr(coder, "name", "eventwire-coder")
        self.seen: list[str] = []

    def code(self, articles: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        articles = list(articles)
        self.seen.extend(a.article_id for a in articles)
        yield from self.coder.code(articles)


class FailingOnCoder(WrappedCoder):
    """The real coder, raising an ordinary error on one article (a coder bug on odd input)."""

    def __init__(self, coder: Any, article_id: str) -> None:
        self.coder = coder
        self.version = coder.version
        self.article_id = article_id

    def code(self, articles: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        articles = list(articles)
        if any(a.article_id == self.article_id for a in articles):
            raise ValueError("unparseable sentence")
        yield from self.coder.code(articles)


@pytest.fixture(scope="module")
def real_coder() -> Any:
    return worker_coder()


def test_code_stores_events_and_records_the_run(prefect_harness: None, tmp_path: Path, real_coder: Any) -> None:
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    summary = code(store_path=str(store_path), batch_size=4)

    events = stored_events(store_path)
    assert summary.articles_coded == len(TEST_ARTICLES)
    assert summary.events_coded == events.height > 0
    assert [c.endswith(real_coder.version) for c in events["coder"].unique()] == [True]
    assert summary.events_by_action == dict(sorted(events["action"].value_counts().iter_rows()))
    with Store(store_path) as store:
        assert store.count("coded") == len(TEST_ARTICLES)

    runs = runs_of(store_path, "code")
    assert runs["status"].to_list() == ["completed"]
    assert runs["articles_coded"][0] == len(TEST_ARTICLES)
    assert runs["events_coded"][0] == events.height
    assert json.loads(runs["summary"][0])["events_by_action"] == summary.events_by_action


def test_a_second_run_codes_nothing_again(prefect_harness: None, tmp_path: Path, real_coder: Any) -> None:
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    code(store_path=str(store_path))
    before = stored_events(store_path)

    counting = CountingCoder(real_coder)
    with using_coder(counting):
        again = code(store_path=str(store_path))
    assert counting.seen == []
    assert again.articles_coded == 0
    assert stored_events(store_path).equals(before)


def test_a_run_after_a_crash_codes_only_what_was_not_stored(
    prefect_harness: None, tmp_path: Path, real_coder: Any
) -> None:
    store_path = tmp_path / "working.duckdb"
    rows = seed_store(store_path)
    with using_coder(CrashingCoder(real_coder, crash_on=2)), pytest.raises(SimulatedCrash):
        code(store_path=str(store_path), batch_size=3)
    with Store(store_path) as store:
        first = store.frame("SELECT article_id, coded_at FROM coded ORDER BY article_id")
    assert first.height == 3

    counting = CountingCoder(real_coder)
    with using_coder(counting):
        resumed = code(store_path=str(store_path), batch_size=3)
    assert resumed.articles_coded == rows.height - 3
    assert set(counting.seen) == set(rows["article_id"]) - set(first["article_id"])
    with Store(store_path) as store:
        again = store.frame("SELECT article_id, coded_at FROM coded ORDER BY article_id")
    assert again.filter(pl.col("article_id").is_in(first["article_id"].implode())).equals(first)

    clean_path = tmp_path / "clean.duckdb"
    seed_store(clean_path)
    code(store_path=str(clean_path), batch_size=3)
    assert stored_events(store_path).equals(stored_events(clean_path))
    # The crashed run could not record itself (as after a real crash); the resumed one did.
    assert runs_of(store_path, "code")["status"].to_list() == ["completed"]


def test_an_article_the_coder_fails_on_is_quarantined_and_the_rest_stored(
    prefect_harness: None, tmp_path: Path, real_coder: Any
) -> None:
    store_path = tmp_path / "working.duckdb"
    rows = seed_store(store_path)
    bad = rows["article_id"][0]
    with using_coder(FailingOnCoder(real_coder, bad)):
        summary = code(store_path=str(store_path), batch_size=4)
    assert summary.articles_failed == 1
    assert summary.articles_coded == rows.height - 1
    assert summary.failures == [(bad, "ValueError: unparseable sentence")]
    with Store(store_path) as store:
        quarantine = store.table("quarantine")
        assert store.articles_to_code(real_coder.version)["article_id"].to_list() == [bad]
    assert quarantine.filter(pl.col("item") == bad)["reason"].to_list() == ["coder_error"]
    failures = json.loads(runs_of(store_path, "code")["summary"][0])["failures"]
    assert failures == [{"item": bad, "reason": "ValueError: unparseable sentence"}]


def test_code_places_events_and_stores_the_article_places(
    prefect_harness: None, tmp_path: Path, real_coder: Any
) -> None:
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    summary = code(store_path=str(store_path), batch_size=4)

    events = stored_events(store_path)
    by_sentence = {
        (r["sentence"][:40], r["action"]): (r["place_name"], r["place_country"], r["place_source"])
        for r in events.iter_rows(named=True)
    }
    met = next(v for (s, a), v in by_sentence.items() if s.startswith("Turkish Foreign Minister") and a == "CONSULT")
    assert met == ("Ankara", "TUR", "verb")
    marched = next(v for (s, _), v in by_sentence.items() if s.startswith("Thousands of protesters"))
    assert marched[:2] == ("Nairobi", "KEN")
    placed = events.filter(pl.col("place_source").is_not_null())
    unplaced = events.filter(pl.col("place_source").is_null())
    assert unplaced.select("actor", "actor_country").rows() == [("European Union", "IGO")], (
        "only the EU's sanctions on Belarus name no place but the target, and the EU has no country"
    )
    assert placed["latitude"].is_between(-90, 90).all() and placed["geo_precision"].is_in([1, 2, 3]).all()
    assert summary.events_placed_by_source == dict(sorted(placed["place_source"].value_counts().iter_rows()))

    with Store(store_path) as store:
        places = store.table("article_places")
        texts = dict(store.frame("SELECT article_id, text FROM articles").iter_rows())
    assert places.height == summary.article_places > 0
    ankara = places.filter(pl.col("name") == "Ankara").row(0, named=True)
    article_text = texts[ankara["article_id"]]
    assert article_text[ankara["start"] : ankara["end"]] == "Ankara", "offsets are in the article's text"
    assert (ankara["country"], ankara["feature_code"], ankara["precision"]) == ("TUR", "PPLC", 1)
