"""Event rows that cannot be stored end in quarantine saying where they came from and why."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from flows.code import event_location, split_undated
from schemas.events import Events
from tests.schemas.test_events_schema import good_row
from transforms.validate import polars_schema, split_valid

NOW = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=polars_schema(Events))


def test_undated_rows_are_quarantined_as_no_date_with_their_sentence() -> None:
    dated = good_row()
    undated = good_row(event_id="1111111111111111", date=None, date_precision=None, date_source=None, published_at=None)
    kept, quarantined = split_undated(frame(dated, undated), NOW)
    assert kept["event_id"].to_list() == [dated["event_id"]]
    assert quarantined["reason"].to_list() == ["no_date"]
    assert quarantined["item"][0] == f"{'a' * 32}#s3:1111111111111111"
    detail = json.loads(quarantined["detail"][0])
    assert detail["sentence"] == undated["sentence"]
    assert detail["actor"] == "Vladimir Putin"


def test_a_row_failing_a_check_names_its_article_sentence_and_evidence() -> None:
    bad = good_row(event_id="2222222222222222", target_country="RUS", target_sector=None)
    split = split_valid(
        frame(good_row(), bad),
        Events,
        stage="validate",
        item_column="event_id",
        now=NOW,
        item_of=event_location,
        context_columns=("sentence", "actor", "action"),
    )
    assert split.quarantined["item"].to_list() == [f"{'a' * 32}#s3:2222222222222222"]
    detail = json.loads(split.quarantined["detail"][0])
    assert detail["event_id"] == "2222222222222222"
    assert detail["action"] == "CONSULT"
    assert detail["failed"][0]["check"].startswith("actor and target are the same country")
