"""Places in releases: the place columns and article_places published with their documents and
the GeoNames credit, and a release written before them still verifying (an additive change).

`tests/fixtures/releases_before_places/` is a real releases folder written by eventwire at
937d881 (before the place columns): `make_corpus(articles=4, events_per_article=2, days=40,
seed=7)` published as 2026.01.15.1 with that commit's `write_release`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.io.release import (
    ARTICLE_PLACES_FILE,
    get_release,
    read_article_places,
    read_events,
    verify_release,
    write_release,
)
from flows.io.store import connect
from schemas.events import PLACE_COLUMNS
from tests.flows.release_fixtures import Corpus, make_corpus
from tests.schemas.test_places_schema import TBILISI, place_row

BEFORE_PLACES = Path(__file__).resolve().parents[1] / "fixtures" / "releases_before_places"
OLD_VERSION = "2026.01.15.1"
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def placed(corpus: Corpus) -> tuple[Corpus, pl.DataFrame]:
    """The corpus with its first event placed in Tbilisi, and that article's place."""
    first = corpus.events["event_id"][0]
    events = corpus.events.with_columns(
        [
            pl.when(pl.col("event_id") == first).then(pl.lit(value)).otherwise(pl.lit(None)).alias(column)
            for column, value in TBILISI.items()
        ]
    ).cast(corpus.events.schema)
    article_id = corpus.events["article_id"][0]
    return Corpus(corpus.articles, events), pl.DataFrame([place_row(article_id=article_id)])


@pytest.fixture
def old_releases(tmp_path: Path) -> Path:
    root = tmp_path / "releases"
    shutil.copytree(BEFORE_PLACES, root, symlinks=True)
    return root


def test_a_release_from_before_the_places_still_verifies(old_releases: Path) -> None:
    release = get_release(old_releases, OLD_VERSION)
    assert "place_name" not in json.dumps(release.manifest["schema"]), "the fixture predates the place columns"
    verify_release(release, deep=True)
    events = read_events(release)
    assert events.height == 8 and events.select(PLACE_COLUMNS).null_count().row(0) == (8,) * len(PLACE_COLUMNS)
    assert read_article_places(release).height == 0

    result = CliRunner().invoke(app, ["releases", "verify", "--all", "--deep", "--releases-dir", str(old_releases)])
    assert result.exit_code == 0, result.output


def test_a_release_with_places_on_top_of_an_older_one(old_releases: Path) -> None:
    corpus, places = placed(make_corpus(articles=4, events_per_article=2, days=40, seed=7))
    result = write_release(old_releases, corpus.events, corpus.articles, now=NOW, article_places=places)
    assert result.published and result.version and result.parent == OLD_VERSION
    assert result.changes is not None
    changed = result.changes.changes.filter(pl.col("change") == "changed")
    assert changed.height == 1 and set(changed["columns_changed"][0]) == set(PLACE_COLUMNS), (
        "only the placed event differs"
    )

    new = get_release(old_releases, result.version)
    verify_release(new, deep=True)
    verify_release(get_release(old_releases, OLD_VERSION), deep=True)
    assert new.manifest["counts"]["article_places"] == 1
    assert read_article_places(new).select("name", "country", "precision").row(0) == ("Tbilisi", "GEO", 1)
    tbilisi = read_events(new).filter(pl.col("place_name").is_not_null())
    assert tbilisi.select("place_country", "geo_precision", "place_source").row(0) == ("GEO", 1, "verb")

    con = connect(new.path / "eventwire.duckdb", read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM article_places").fetchall() == [(1,)]
        comments = dict(
            con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'events' "
                "AND column_name IN ('geo_precision', 'place_source')"
            ).fetchall()
        )
        assert "GDELT" in comments["geo_precision"] and "ACLED" in comments["geo_precision"]
        assert "'dateline'" in comments["place_source"]
        by_place = con.execute("SELECT place_country, admin1_name, events FROM events_by_place_monthly").fetchall()
        assert by_place == [("GEO", "Tbilisi", 1)]
    finally:
        con.close()


def test_every_release_credits_geonames(old_releases: Path) -> None:
    corpus, places = placed(make_corpus(articles=2, events_per_article=1, seed=3))
    result = write_release(old_releases, corpus.events, corpus.articles, now=NOW, article_places=places)
    assert result.path is not None
    citation = yaml.safe_load((result.path / "CITATION.cff").read_text())
    [geonames] = citation["references"]
    assert (geonames["title"], geonames["license"], geonames["url"]) == (
        "GeoNames geographical database",
        "CC-BY-4.0",
        "https://www.geonames.org/",
    )
    codebook = (result.path / "CODEBOOK.md").read_text()
    assert "## Sources and credits" in codebook and "CC BY 4.0" in codebook
    assert "| 2 | a district or first-order division" in codebook, "geo_precision beside GDELT and ACLED"
    package = json.loads((result.path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["sources"][0]["title"] == "GeoNames"
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["article_places"]["path"] == ARTICLE_PLACES_FILE
    fields = json.loads((result.path / "events.schema.json").read_text())["fields"]
    assert {"place_name", "geonameid", "geo_precision", "place_source"} <= {f["name"] for f in fields}
