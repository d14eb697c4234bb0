"""The working store: idempotent inserts, atomic event replacement, quarantine counting, and
the integrity check that keeps a damaged file from being opened for writing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from flows.io.store import TABLE_MODELS, Store, StoreDamagedError, check_store_file, connect, create_table_sql
from schemas.events import PLACE_COLUMNS, Events
from schemas.quarantine import Quarantine
from tests.schemas.test_events_schema import good_row
from transforms.validate import polars_schema

NOW = dt.datetime(2024, 10, 14, 12, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "working.duckdb") as s:
        yield s


def test_replacing_events_twice_keeps_one_copy(store: Store) -> None:
    events = Events.validate(pl.DataFrame([good_row()]))
    store.replace_events(["a" * 32], events, "coder-1", NOW)
    store.replace_events(["a" * 32], events, "coder-1", NOW)
    stored = store.table("events")
    assert stored.height == 1
    assert stored["event_id"].to_list() == ["0123456789abcdef"]
    assert stored.schema["published_at"] == pl.Datetime("us", "UTC")


def test_a_failed_replacement_leaves_the_old_events(store: Store) -> None:
    events = Events.validate(pl.DataFrame([good_row()]))
    store.replace_events(["a" * 32], events, "coder-1", NOW)
    broken = events.with_columns(pl.lit(None, dtype=pl.String).alias("sentence"))
    with pytest.raises(Exception, match="NOT NULL|null"):
        store.replace_events(["a" * 32], broken, "coder-2", NOW)
    assert store.table("events")["sentence"].to_list() == [good_row()["sentence"]]
    assert store.frame("SELECT coder FROM coded")["coder"].to_list() == ["coder-1"]


def test_quarantine_counts_repeats(store: Store) -> None:
    row = {
        "item": "https://x.test/a",
        "stage": "fetch",
        "reason": "http_404",
        "detail": "not found",
        "source_name": "s",
        "first_seen": NOW,
        "last_seen": NOW,
        "count": 1,
    }
    later = dict(row, last_seen=NOW + dt.timedelta(hours=1))
    store.add_quarantine(pl.DataFrame([row], schema=polars_schema(Quarantine)))
    store.add_quarantine(pl.DataFrame([later], schema=polars_schema(Quarantine)))
    q = store.table("quarantine")
    assert q.height == 1
    assert q["count"][0] == 2
    assert q["first_seen"][0] == NOW
    assert q["last_seen"][0] == NOW + dt.timedelta(hours=1)


def test_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Store(path) as s:
        s.replace_events(["a" * 32], Events.validate(pl.DataFrame([good_row()])), "c", NOW)
    with Store(path) as s:
        assert s.count("events") == 1
        assert s.articles_to_code("c").height == 0


def test_an_article_whose_text_changed_is_coded_again(store: Store) -> None:
    from schemas.articles import Articles

    article = {
        "article_id": "a" * 32,
        "url": "https://x.test/a",
        "canonical_url": "https://x.test/a",
        "source_name": "s",
        "title": "t",
        "author": None,
        "published_at": NOW,
        "published_source": "metadata",
        "fetched_at": NOW,
        "language": "en",
        "text": "Old text.",
        "text_hash": "1" * 64,
        "content_sha256": None,
        "duplicate_of": None,
        "status": "ok",
    }
    store.insert("articles", Articles.validate(pl.DataFrame([article])))
    assert store.articles_to_code("c")["article_id"].to_list() == ["a" * 32]
    store.replace_events(["a" * 32], Events.validate(pl.DataFrame([good_row()])), "c", NOW)
    assert store.articles_to_code("c").height == 0
    store.con.execute("UPDATE articles SET text = 'Corrected text.', text_hash = ?", ["2" * 64])
    assert store.articles_to_code("c")["article_id"].to_list() == ["a" * 32]
    assert store.articles_to_code("another-coder")["article_id"].to_list() == ["a" * 32]


def test_only_articles_in_a_coded_language_are_coded(store: Store) -> None:
    from schemas.articles import Articles

    def article(letter: str, language: str | None) -> dict[str, object]:
        return {
            "article_id": letter * 32,
            "url": f"https://x.test/{letter}",
            "canonical_url": f"https://x.test/{letter}",
            "source_name": "s",
            "title": None,
            "author": None,
            "published_at": NOW,
            "published_source": "metadata",
            "fetched_at": NOW,
            "language": language,
            "text": "Text.",
            "text_hash": letter * 64,
            "content_sha256": None,
            "duplicate_of": None,
            "status": "ok",
        }

    rows = [article("a", "en"), article("b", "zh"), article("c", None), article("d", "ru")]
    store.insert("articles", Articles.validate(pl.DataFrame(rows, schema=polars_schema(Articles))))
    assert store.articles_to_code("c")["language"].to_list() == ["en", None]
    assert store.count("articles") == 4


def test_every_table_in_a_new_store_is_a_model_with_its_columns(store: Store) -> None:
    tables = {name for (name,) in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == set(TABLE_MODELS)
    for name, model in TABLE_MODELS.items():
        columns = store.con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_name = ? ORDER BY ordinal_position",
            [name],
        ).fetchall()
        declared = model.to_schema().columns
        assert [c for c, _, _ in columns] == list(polars_schema(model)), name
        assert [n == "YES" for _, _, n in columns] == [declared[c].nullable for c, _, _ in columns], name


def test_a_store_from_before_coded_text_hash_opens_and_gains_it(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = connect(path)
    con.execute(
        "CREATE TABLE coded (article_id VARCHAR NOT NULL, coder VARCHAR NOT NULL,"
        " coded_at TIMESTAMPTZ NOT NULL, events INTEGER NOT NULL, PRIMARY KEY (article_id, coder))"
    )
    con.execute("INSERT INTO coded VALUES ('a1', 'c', now(), 2)")
    con.close()
    with Store(path) as store:
        assert store.frame("SELECT article_id, events, text_hash FROM coded").rows() == [("a1", 2, None)]


def test_an_older_fetch_state_gains_the_failure_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = connect(path)
    con.execute(
        "CREATE TABLE fetch_state (url VARCHAR NOT NULL, source_name VARCHAR NOT NULL, etag VARCHAR,"
        " last_modified VARCHAR, marker VARCHAR, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (url))"
    )
    con.execute("INSERT INTO fetch_state VALUES ('https://x/feed', 'wire', 'v1', NULL, NULL, now())")
    con.close()
    with Store(path) as store:
        (row,) = store.fetch_states(["wire"]).iter_rows(named=True)
        assert (row["etag"], row["failure_reason"], row["next_attempt_at"]) == ("v1", None, None)


def test_listing_state_is_replaced_by_url_and_source_health_accumulates(store: Store) -> None:
    from flows.io.store import LISTING_STATE_COLUMNS
    from schemas.ingest_state import FetchState, SourceHealth

    def states(*rows: tuple[str, str, str | None]) -> pl.DataFrame:
        return pl.DataFrame(
            [(url, source, etag, None, None, NOW) for url, source, etag in rows],
            schema={c: polars_schema(FetchState)[c] for c in LISTING_STATE_COLUMNS},
            orient="row",
        )

    store.save_fetch_states(states(("https://x/feed", "wire", "v1"), ("https://x/feed", "wire", "v2")))
    store.save_fetch_states(states(("https://y/feed", "desk", "w1")))
    assert store.fetch_states(["wire"])["etag"].to_list() == ["v2"]
    assert store.fetch_states(["wire", "desk"]).height == 2

    def health(fetched: int, last_success: dt.datetime | None) -> pl.DataFrame:
        row = ("wire", "feed", NOW, last_success, None, 3, fetched, 1, 0, 0, 0, 0, fetched, 1, 0, 0)
        return pl.DataFrame([row], schema=polars_schema(SourceHealth), orient="row")

    store.update_source_health(health(5, NOW))
    store.update_source_health(health(2, None))
    (row,) = store.table("source_health").iter_rows(named=True)
    assert (row["fetched"], row["total_fetched"], row["total_new"]) == (2, 7, 2)
    assert store.last_successes(["wire", "desk"]) == {"wire": NOW}


def test_failure_records_live_beside_listing_validators_in_fetch_state(store: Store) -> None:
    from flows.io.store import FAILURE_RECORD_COLUMNS, LISTING_STATE_COLUMNS
    from schemas.ingest_state import FetchState

    later = NOW + dt.timedelta(minutes=10)
    store.save_fetch_states(
        pl.DataFrame(
            [("https://x/feed", "wire", "v1", None, None, NOW)], schema=list(LISTING_STATE_COLUMNS), orient="row"
        )
    )
    records = pl.DataFrame(
        [
            ("https://x/a", "wire", NOW, "timeout", "transient", 1, NOW, later),
            ("https://x/b", "wire", NOW, "http_404", "permanent", 1, NOW, None),
            ("https://x/feed", "wire", NOW, "http_503", "transient", 2, NOW, later),
        ],
        schema={c: polars_schema(FetchState)[c] for c in FAILURE_RECORD_COLUMNS},
        orient="row",
    )
    store.save_failure_records(records)
    assert store.due_failures(["wire"], NOW) == []
    assert store.due_failures(["wire"], later) == [("https://x/a", "wire"), ("https://x/feed", "wire")]
    assert store.failure_records(["https://x/a", "https://x/b", "https://x/c"])["url"].sort().to_list() == [
        "https://x/a",
        "https://x/b",
    ]
    store.clear_failure_records(["https://x/a", "https://x/feed"])
    assert store.failure_records(["https://x/a", "https://x/b", "https://x/feed"])["url"].to_list() == ["https://x/b"]
    (feed,) = store.fetch_states(["wire"]).iter_rows(named=True)
    assert (feed["url"], feed["etag"], feed["failure_reason"]) == ("https://x/feed", "v1", None)
    assert store.frame("SELECT url FROM fetch_state ORDER BY url")["url"].to_list() == ["https://x/b", "https://x/feed"]
    assert not store.has_run("no-such-run")


def test_a_store_from_before_the_place_columns_gains_them_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old_columns = [c for c in polars_schema(Events) if c not in PLACE_COLUMNS]
    old_events = pl.DataFrame([good_row()]).select(old_columns)
    con = connect(path)
    create = create_table_sql("events", Events, primary_key=("event_id",))
    con.execute(create)
    for column in PLACE_COLUMNS:
        con.execute(f'ALTER TABLE events DROP COLUMN "{column}"')
    con.register("old", old_events)
    con.execute("INSERT INTO events SELECT * FROM old")
    con.close()

    with Store(path) as store:
        kept = store.table("events")
        assert kept.columns == list(polars_schema(Events))
        assert kept.select(PLACE_COLUMNS).null_count().row(0) == (1,) * len(PLACE_COLUMNS)
        placed = pl.DataFrame([good_row(event_id="f" * 16, place_name="Pyongyang", geo_precision=1)])
        store.replace_events(["b" * 32], placed.with_columns(article_id=pl.lit("b" * 32)), "c", NOW)
        new = store.table("events").filter(pl.col("event_id") == "f" * 16).row(0, named=True)
        assert (new["place_name"], new["geo_precision"], new["coder"]) == ("Pyongyang", 1, "eventwire-coder test")
        assert store.count("article_places") == 0


def _whole_store(path: Path) -> bytes:
    with Store(path) as store:
        store.replace_events(["a" * 32], Events.validate(pl.DataFrame([good_row()])), "coder-1", NOW)
    return path.read_bytes()


DAMAGE = {
    "cut-to-half": (lambda whole: whole[: len(whole) // 2], "cut short"),
    "one-byte-short": (lambda whole: whole[:-1], "cut short"),
    "cut-inside-the-headers": (lambda whole: whole[:5000], "shorter than DuckDB's"),
    "empty": (lambda whole: b"", "shorter than DuckDB's"),
    "not-duckdb": (lambda whole: b"x" * len(whole), "not a DuckDB file"),
    "headers-only-of-a-whole-file": (lambda whole: whole[:12288] + b"\0" * (len(whole) - 12288), "cannot"),
}


@pytest.mark.parametrize(("damage", "problem"), list(DAMAGE.values()), ids=list(DAMAGE))
def test_a_damaged_store_is_refused_and_left_byte_for_byte(tmp_path: Path, damage, problem: str) -> None:
    whole = _whole_store(tmp_path / "whole.duckdb")
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(damage(whole))
    before = damaged.read_bytes()
    with pytest.raises(StoreDamagedError, match=problem) as raised:
        Store(damaged)
    assert raised.value.path == damaged
    assert "restore it from a backup" in str(raised.value)
    assert damaged.read_bytes() == before
    assert not damaged.with_name(damaged.name + ".wal").exists()


def test_a_whole_store_passes_the_check_and_a_missing_one_is_new(tmp_path: Path) -> None:
    _whole_store(tmp_path / "whole.duckdb")
    check_store_file(tmp_path / "whole.duckdb")
    check_store_file(tmp_path / "not-yet.duckdb")
    with Store(tmp_path / "whole.duckdb") as store, Store(tmp_path / "whole.duckdb") as again:
        assert store.count("events") == again.count("events") == 1
