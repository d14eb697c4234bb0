"""notebooks/explore_release.ipynb runs top to bottom against a release built here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import polars as pl
import pytest
from nbclient import NotebookClient

from flows.io.release import write_release
from tests.flows.release_fixtures import article_row, corpus_of, event_row, make_corpus

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore_release.ipynb"


@pytest.mark.slow
def test_the_example_notebook_opens_the_latest_release_and_draws_a_plot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "releases"
    planning = article_row("planning", dt.datetime(2024, 9, 20, 8, 0, tzinfo=dt.UTC))
    plan = event_row(planning, "plan", date=dt.date(2025, 6, 1), claim_status="hypothetical")
    corpus = make_corpus(
        articles=40, events_per_article=3, start=dt.date(2024, 9, 1), days=45, seed=51, places=True
    ) + corpus_of([planning], [plan])
    newest_publication = corpus.articles["published_at"].max()
    assert isinstance(newest_publication, dt.datetime)
    release_day = newest_publication.date()
    write_release(root, corpus.events, corpus.articles, now=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    plot, map_png = tmp_path / "plot.png", tmp_path / "map.png"
    monkeypatch.setenv("EVENTWIRE_RELEASES_DIR", str(root))
    monkeypatch.setenv("EVENTWIRE_PLOT_PATH", str(plot))
    monkeypatch.setenv("EVENTWIRE_MAP_PATH", str(map_png))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit it clean"

    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    text = "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "latest release: 2026.11.25.1" in text
    assert "events_daily" in text and "events_monthly" in text and "dyads_monthly" in text and "latest_events" in text
    first_day = release_day - dt.timedelta(days=89)
    assert f"release day: {release_day}; charting {first_day} to {release_day}" in text, "a future plan moves nothing"
    counted = corpus.events.filter(
        (pl.col("date_precision") == "day")
        & pl.col("claim_status").is_in(["asserted", "reported"])
        & pl.col("actor_country").is_not_null()
    )
    distinct = counted.select("date", "actor_country", "actor_sector", "action", "target_country", "target_sector")
    assert f"{distinct.unique().height} distinct events from {counted.height} day-dated" in text
    assert plot.is_file() and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    placed = corpus.events.filter(
        pl.col("date_precision").is_in(["day", "month"])
        & pl.col("claim_status").is_in(["asserted", "reported"])
        & pl.col("place_country").is_not_null()
    )
    per_division = (
        placed.with_columns(pl.when(pl.col("geo_precision") < 3).then(pl.col("admin1_name")).alias("admin1_name"))
        .group_by("place_country", "admin1_name")
        .len()
        .sort("len", descending=True)
    )
    assert per_division["len"][0] > per_division["len"][1], "one division leads, so the line below is certain"
    top = per_division.row(0, named=True)
    assert f"most events in one division: {top['admin1_name']}, {top['place_country']}: {top['len']}" in text
    places = placed.select("place_name", "geonameid", "place_country", "geo_precision").unique().height
    assert f"mapped {places} places with {placed.height} events" in text
    assert map_png.is_file() and map_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.stat().st_size > 10_000
    assert not list(root.glob("*/eventwire.duckdb.wal")), "opened read-only: nothing written"
