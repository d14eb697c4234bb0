"""The release writer and reader: layout, Parquet, DuckDB, shared months, documents, verify."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import frictionless
import polars as pl
import pyarrow.parquet as pq
import pytest
import yaml

from flows.io.release import (
    CHECKSUMS,
    POINTER_FILE,
    Release,
    ReleaseLockedError,
    ReleaseVerifyError,
    ReleaseVersionError,
    check_contents,
    get_release,
    list_releases,
    next_version,
    read_articles,
    read_events,
    read_pointer,
    releases_lock,
    verify_release,
    version_key,
    write_release,
)
from flows.io.store import connect
from schemas.events import Events
from tests.flows.release_fixtures import Corpus, make_corpus

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def publish(root: Path, corpus: Corpus, *, now: dt.datetime = NOW, **options: object) -> Release:
    result = write_release(root, corpus.events, corpus.articles, now=now, **options)  # type: ignore[arg-type]
    assert result.published and result.version, result.reason
    return get_release(root, result.version)


@pytest.fixture(scope="module")
def year_corpus() -> Corpus:
    """A year of events (2024), about 600 rows over twelve months."""
    return make_corpus(articles=200, events_per_article=3, start=dt.date(2024, 1, 5), days=350, seed=1)


@pytest.fixture(scope="module")
def first_release(tmp_path_factory: pytest.TempPathFactory, year_corpus: Corpus) -> Release:
    return publish(tmp_path_factory.mktemp("releases"), year_corpus)


@pytest.mark.parametrize(
    ("existing", "day", "expected"),
    [
        ([], dt.date(2026, 11, 25), "2026.11.25.1"),
        (["2026.11.25.1"], dt.date(2026, 11, 25), "2026.11.25.2"),
        (["2026.11.25.1", "2026.11.25.9", "2026.11.24.12"], dt.date(2026, 11, 25), "2026.11.25.10"),
        (["2026.11.24.3"], dt.date(2026, 11, 25), "2026.11.25.1"),
        (["not-a-version", ".staging-2026.11.25.4-99"], dt.date(2026, 11, 25), "2026.11.25.1"),
    ],
    ids=["first-of-day", "second-of-day", "tenth-of-day", "new-day", "ignores-other-names"],
)
def test_next_version(existing: list[str], day: dt.date, expected: str) -> None:
    assert next_version(existing, day) == expected


def test_versions_sort_as_numbers_not_text() -> None:
    versions = ["2026.11.25.10", "2026.11.25.9", "2026.01.05.1", "2025.12.31.2"]
    assert sorted(versions, key=version_key) == ["2025.12.31.2", "2026.01.05.1", "2026.11.25.9", "2026.11.25.10"]


@pytest.mark.parametrize("name", ["2026-11-25", "v2026.11.25.1", "2026.11.25.0", "2026.11.25", "latest"])
def test_malformed_versions_are_refused(name: str) -> None:
    with pytest.raises(ReleaseVersionError):
        version_key(name)


def test_layout_pointer_and_manifest(first_release: Release, year_corpus: Corpus) -> None:
    root = first_release.path.parent
    assert first_release.version == "2026.11.25.1"
    assert read_pointer(root) == "2026.11.25.1"
    assert (root / "latest").resolve() == first_release.path.resolve()
    manifest = first_release.manifest
    assert manifest["parent"] is None
    assert manifest["created_at"] == "2026-11-25T09:30:00Z"
    assert manifest["coder_versions"] == sorted(year_corpus.events["coder"].unique().to_list())
    assert manifest["counts"]["events"] == year_corpus.events.height
    assert manifest["counts"]["articles"] == year_corpus.articles.height
    assert manifest["row_checks"] == ["action_agrees_with_plover", "actor_differs_from_target", "not_after_publication"]
    assert [c["name"] for c in manifest["schema"]["events"]["columns"]] == list(Events.to_schema().columns)
    on_disk = sorted(p.relative_to(first_release.path).as_posix() for p in first_release.path.rglob("*") if p.is_file())
    assert on_disk == sorted([f["path"] for f in first_release.files] + ["manifest.json", CHECKSUMS])
    for entry in first_release.files:
        assert (first_release.path / entry["path"]).stat().st_size == entry["bytes"]
    assert not any(p.name.startswith(".staging-") for p in root.iterdir())


def test_events_are_partitioned_by_month_with_zstd_statistics_and_descriptions(
    first_release: Release, year_corpus: Corpus
) -> None:
    parts = first_release.files_of("events")
    months = sorted((p["partition"]["year"], p["partition"]["month"]) for p in parts)
    expected = sorted({(d.year, d.month) for d in year_corpus.events["date"].to_list()})
    assert months == expected
    descriptions = {name: column.description for name, column in Events.to_schema().columns.items()}
    for entry in parts:
        year, month = entry["partition"]["year"], entry["partition"]["month"]
        path = first_release.path / entry["path"]
        assert entry["path"].startswith(f"events/year={year:04d}/month={month:02d}/")
        assert path.stem == entry["sha256"][:16]
        frame = pl.read_parquet(path, hive_partitioning=False)
        assert frame.height == entry["rows"]
        assert set(frame["date"].dt.month().unique().to_list()) == {month}
        metadata = pq.ParquetFile(path).metadata
        column = metadata.row_group(0).column(list(Events.to_schema().columns).index("date"))
        assert column.compression == "ZSTD"
        assert column.statistics is not None and column.statistics.has_min_max
        kv = {k.decode(): v.decode() for k, v in metadata.metadata.items()}
        assert kv["eventwire.table"] == "events"
        assert {c["name"]: c["description"] for c in json.loads(kv["eventwire.columns"])} == descriptions
        assert kv["eventwire.column.confidence"] == descriptions["confidence"]
    read_back = read_events(first_release).sort("event_id")
    assert read_back.equals(year_corpus.events.sort("event_id"))


def test_an_unchanged_month_is_a_hard_link_and_a_changed_month_a_new_file(tmp_path: Path, year_corpus: Corpus) -> None:
    root = tmp_path / "releases"
    first = publish(root, year_corpus)
    october = make_corpus(articles=5, events_per_article=2, start=dt.date(2024, 10, 10), days=10, seed=99)
    second = publish(root, year_corpus + october, now=NOW + dt.timedelta(days=1))

    def partition_files(release: Release) -> dict[tuple[int, int], Path]:
        return {
            (f["partition"]["year"], f["partition"]["month"]): release.path / f["path"]
            for f in release.files_of("events")
        }

    before, after = partition_files(first), partition_files(second)
    changed = {(d.year, d.month) for d in october.events["date"].to_list()}
    assert changed and set(before) == set(after)
    for month, path in after.items():
        same_inode = path.stat().st_ino == before[month].stat().st_ino
        assert same_inode == (month not in changed), month
        if month in changed:
            assert path.name != before[month].name
    assert os.stat(second.path / "articles.parquet").st_ino != os.stat(first.path / "articles.parquet").st_ino
    verify_release(first, deep=True)
    verify_release(second, deep=True)


def test_a_copied_release_stands_alone(first_release: Release, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / first_release.version
    shutil.copytree(first_release.path, copy)
    standalone = Release(first_release.version, copy, first_release.manifest)
    verify_release(standalone, deep=True)
    assert read_events(standalone).height == first_release.counts["events"]


def test_duckdb_file_has_tables_views_and_comments_and_opens_read_only(
    first_release: Release, year_corpus: Corpus
) -> None:
    con = duckdb.connect(str(first_release.path / "eventwire.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM events").fetchall() == [(year_corpus.events.height,)]
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(year_corpus.articles.height,)]
        daily = pl.from_arrow(con.sql("SELECT * FROM events_daily").to_arrow_table())
        expected_daily = year_corpus.events.group_by("date", "actor_country", "quad_class").len()
        assert isinstance(daily, pl.DataFrame)
        assert daily.height == expected_daily.height
        assert int(daily["events"].sum()) == year_corpus.events.height
        dyads = pl.from_arrow(con.sql("SELECT * FROM dyads_monthly").to_arrow_table())
        assert isinstance(dyads, pl.DataFrame)
        with_both = year_corpus.events.filter(pl.col("target_country").is_not_null())
        assert int(dyads["events"].sum()) == with_both.height
        assert (dyads["cooperation_events"] + dyads["conflict_events"] == dyads["events"]).all()
        monthly = pl.from_arrow(con.sql("SELECT * FROM events_monthly").to_arrow_table())
        assert isinstance(monthly, pl.DataFrame)
        assert int(monthly["events"].sum()) == year_corpus.events.height
        assert int(monthly["month_precision_events"].sum()) == 0
        one_a_day = pl.from_arrow(con.sql("SELECT * FROM events_one_a_day").to_arrow_table())
        assert isinstance(one_a_day, pl.DataFrame)
        counted = year_corpus.events.filter(
            (pl.col("date_precision") == "day")
            & pl.col("claim_status").is_in(["asserted", "reported"])
            & pl.col("actor_country").is_not_null()
        )
        keys = ["date", "actor_country", "actor_sector", "action", "target_country", "target_sector"]
        assert one_a_day.height == counted.select(keys).unique().height
        assert int(one_a_day["reports"].sum()) == counted.height
        latest = con.execute(
            "SELECT max(date), min(date), count(*), bool_and(evidence <> ''), bool_and(source_url IS NOT NULL) "
            "FROM latest_events"
        ).fetchone()
        newest_publication = year_corpus.articles["published_at"].max()
        assert isinstance(newest_publication, dt.datetime)
        release_day = newest_publication.date()
        first_day = release_day - dt.timedelta(days=29)
        in_window = year_corpus.events.filter(pl.col("date").is_between(first_day, release_day))
        assert latest == (in_window["date"].max(), in_window["date"].min(), in_window.height, True, True)
        assert in_window.height > 10
        missing = con.execute(
            """SELECT table_name, column_name FROM duckdb_columns()
               WHERE database_name = current_database() AND (comment IS NULL OR comment = '')"""
        ).fetchall()
        assert missing == []
        objects = con.execute(
            """SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database()
               UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"""
        ).fetchall()
        assert sorted(name for name, _ in objects) == [
            "article_places",
            "articles",
            "dyads_monthly",
            "events",
            "events_by_place",
            "events_by_place_monthly",
            "events_daily",
            "events_monthly",
            "events_one_a_day",
            "latest_events",
        ]
        assert all(comment for _, comment in objects)
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM events")
    finally:
        con.close()
    assert not (first_release.path / "eventwire.duckdb.wal").exists()


def test_store_connect_helper_opens_a_release_read_only(first_release: Release) -> None:
    con = connect(first_release.path / "eventwire.duckdb", read_only=True)
    try:
        comment = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'confidence'"
        ).fetchone()
        assert comment == (Events.to_schema().columns["confidence"].description,)
    finally:
        con.close()


def test_datapackage_validates_with_frictionless_one_resource_per_partition(first_release: Release) -> None:
    descriptor = json.loads((first_release.path / "datapackage.json").read_text())
    paths = [r["path"] for r in descriptor["resources"]]
    assert all(isinstance(p, str) for p in paths), "multipart resources are checked on their first file only"
    assert sorted(paths) == sorted(f["path"] for f in first_release.files if f.get("table"))
    report = frictionless.validate(str(first_release.path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_finds_a_broken_partition_that_is_not_the_first(first_release: Release, tmp_path: Path) -> None:
    copy = tmp_path / "broken"
    shutil.copytree(first_release.path, copy)
    last = sorted(first_release.files_of("events"), key=lambda f: f["path"])[-1]
    target = copy / last["path"]
    target.chmod(0o644)
    frame = pl.read_parquet(target).with_columns(pl.lit(None, dtype=pl.String).alias("action"))
    frame.write_parquet(target)
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    invalid = {task.place for task in report.tasks if not task.valid}
    assert invalid == {last["path"]}


def test_citation_cff_is_valid_cff_1_2_0_for_this_release(first_release: Release) -> None:
    citation = yaml.safe_load((first_release.path / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert citation["version"] == first_release.version
    assert citation["date-released"] == dt.date(2026, 11, 25)
    assert isinstance(citation["message"], str) and citation["message"]
    assert first_release.version in citation["title"]
    assert citation["authors"] and all("name" in a or "family-names" in a for a in citation["authors"])
    allowed = {
        "cff-version",
        "message",
        "type",
        "title",
        "version",
        "date-released",
        "authors",
        "abstract",
        "keywords",
        "references",
    }
    assert set(citation) <= allowed


def test_codebook_in_the_release_lists_every_column_of_the_schema(first_release: Release) -> None:
    text = (first_release.path / "CODEBOOK.md").read_text()
    documented = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            documented.setdefault(cells[0].strip("`"), cells)
    for name, column in Events.to_schema().columns.items():
        assert name in documented, f"{name} missing from CODEBOOK.md"
        assert documented[name][4] == column.description.replace("|", "\\|")
        assert documented[name][2] == ("yes" if column.nullable else "no")


def test_verify_names_every_changed_missing_and_unexpected_file(first_release: Release, tmp_path: Path) -> None:
    copy = tmp_path / first_release.version
    shutil.copytree(first_release.path, copy)
    tampered = copy / "CHANGES.md"
    tampered.chmod(0o644)
    tampered.write_text(tampered.read_text() + "\nedited by hand\n")
    partition = first_release.files_of("events")[0]["path"]
    (copy / partition).chmod(0o644)
    (copy / partition).unlink()
    (copy / "notes.txt").write_text("not part of the release")
    with pytest.raises(ReleaseVerifyError) as caught:
        verify_release(Release(first_release.version, copy, first_release.manifest))
    assert {(p.path, p.problem) for p in caught.value.problems} == {
        ("CHANGES.md", "size differs"),
        ("CHANGES.md", "sha256 differs"),
        (partition, "missing"),
        ("notes.txt", "not in the manifest"),
    }
    assert "FAILED" in str(caught.value) and "notes.txt" in str(caught.value)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda f: f.with_columns(pl.lit(1.5).alias("confidence")), "fails the Events schema"),
        (lambda f: f.head(1), "row count differs"),
        (lambda f: f.with_columns(pl.col("date") + pl.duration(days=62)), "dated outside"),
    ],
    ids=["value-out-of-range", "rows-missing", "wrong-month"],
)
def test_deep_check_rereads_and_revalidates_the_data(
    first_release: Release, tmp_path: Path, damage: Callable[[pl.DataFrame], pl.DataFrame], problem: str
) -> None:
    copy = tmp_path / first_release.version
    shutil.copytree(first_release.path, copy)
    assert check_contents(copy, first_release.manifest) == []
    entry = first_release.files_of("events")[2]
    target = copy / entry["path"]
    target.chmod(0o644)
    damage(pl.read_parquet(target)).write_parquet(target)
    problems = check_contents(copy, first_release.manifest)
    assert [p.path for p in problems if problem in p.problem] == [entry["path"]]


def test_changes_since_the_parent_give_ids_and_reasons(tmp_path: Path) -> None:
    root = tmp_path / "releases"
    base = make_corpus(articles=10, events_per_article=3, start=dt.date(2024, 5, 1), days=20, seed=3)
    publish(root, base)
    new_articles = make_corpus(articles=2, events_per_article=2, start=dt.date(2024, 5, 10), days=5, seed=4)
    article_ids = base.articles["article_id"].to_list()
    corrected = base.events.filter(pl.col("article_id") == article_ids[0]).head(1)
    recoded_article = article_ids[1]
    removed_article = article_ids[2]
    events = base.events.filter(pl.col("article_id") != removed_article).with_columns(
        pl.when(pl.col("event_id") == corrected["event_id"][0])
        .then(pl.lit(0.42))
        .otherwise(pl.col("confidence"))
        .alias("confidence"),
        pl.when(pl.col("article_id") == recoded_article)
        .then(pl.lit("eventwire-coder 0.2.0"))
        .otherwise(pl.col("coder"))
        .alias("coder"),
    )
    articles = base.articles.filter(pl.col("article_id") != removed_article)
    second = publish(
        root,
        Corpus(pl.concat([articles, new_articles.articles]), pl.concat([events, new_articles.events])),
        now=NOW + dt.timedelta(days=1),
    )
    document = json.loads((second.path / "changes.json").read_text())
    assert document["parent"] == "2026.11.25.1" and document["version"] == "2026.11.26.1"
    assert sorted(document["added"]["new_article"]) == sorted(new_articles.events["event_id"].to_list())
    assert document["changed"]["correction"] == [{"event_id": corrected["event_id"][0], "columns": ["confidence"]}]
    recoded_ids = base.events.filter(pl.col("article_id") == recoded_article)["event_id"].to_list()
    assert sorted(c["event_id"] for c in document["changed"]["coder_change"]) == sorted(recoded_ids)
    removed_ids = base.events.filter(pl.col("article_id") == removed_article)["event_id"].to_list()
    assert sorted(document["removed"]["article_removed"]) == sorted(removed_ids)
    assert document["counts"] == {
        "added": 4,
        "changed": 1 + len(recoded_ids),
        "removed": len(removed_ids),
        "unchanged": events.height - 1 - len(recoded_ids),
    }
    changes_md = (second.path / "CHANGES.md").read_text()
    assert "| added | new_article | 4 |" in changes_md
    assert corrected["event_id"][0] in changes_md
    assert second.manifest["changes_by_reason"]["removed"] == {"article_removed": len(removed_ids)}


def test_a_publish_while_another_holds_the_lock_is_refused(tmp_path: Path, year_corpus: Corpus) -> None:
    root = tmp_path / "releases"
    with releases_lock(root), pytest.raises(ReleaseLockedError):
        write_release(root, year_corpus.events, year_corpus.articles, now=NOW)
    assert list_releases(root) == []


def test_explicit_versions_must_sort_after_the_latest(tmp_path: Path, year_corpus: Corpus) -> None:
    root = tmp_path / "releases"
    publish(root, year_corpus, version="2026.11.25.5")
    with pytest.raises(ReleaseVersionError, match="does not sort after"):
        write_release(root, year_corpus.events, year_corpus.articles, now=NOW, version="2026.11.25.4", force=True)
    with pytest.raises(ReleaseVersionError, match="exists already"):
        write_release(root, year_corpus.events, year_corpus.articles, now=NOW, version="2026.11.25.5", force=True)
    assert publish(root, year_corpus, force=True).version == "2026.11.25.6"
    assert read_pointer(root) == "2026.11.25.6"
    assert (root / POINTER_FILE).read_text() == "2026.11.25.6\n"


def test_articles_and_empty_releases_round_trip(tmp_path: Path) -> None:
    empty = make_corpus(articles=0)
    release = publish(tmp_path / "releases", empty)
    verify_release(release, deep=True)
    assert release.files_of("events") == []
    assert read_events(release).height == 0 and read_articles(release).height == 0
    report = frictionless.validate(str(release.path / "datapackage.json"))
    assert report.valid


def test_deep_check_applies_only_the_row_checks_a_release_was_written_under() -> None:
    from flows.io.release import _check_events_schema
    from tests.schemas.test_events_schema import good_row

    published = dt.datetime(2024, 10, 14, tzinfo=dt.UTC)
    misdated = pl.DataFrame([good_row(date=dt.date(2024, 12, 3), date_precision="day", published_at=published)])
    frames = {"events/year=2024/month=12/x.parquet": misdated}
    assert _check_events_schema(frames, None) == []
    assert _check_events_schema(frames, ["action_agrees_with_plover"]) == []
    problems = _check_events_schema(frames, ["not_after_publication"])
    assert [p.path for p in problems] == ["events/year=2024/month=12/x.parquet"]
