"""The event table's pandera model accepts good rows and names what is wrong with bad ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from schemas.events import EVENT_COLUMNS, PLACE_COLUMNS, Events
from schemas.plover import PLOVER, plover_from_cameo
from transforms.validate import FrameSchemaError, split_valid

NOW = dt.datetime(2024, 10, 14, 12, tzinfo=dt.UTC)


def good_row(**changes: Any) -> dict[str, Any]:
    row = {
        "event_id": "0123456789abcdef",
        "article_id": "a" * 32,
        "sentence_index": 3,
        "sentence": "In June, the Russian president paid a state visit to Pyongyang, officials said.",
        "actor": "Vladimir Putin",
        "actor_country": "RUS",
        "actor_sector": "GOV",
        "action": "CONSULT",
        "action_mode": "visit",
        "cameo_code": "042",
        "quad_class": 1,
        "intensity": 4.0,
        "target": "North Korea",
        "target_country": "PRK",
        "target_sector": None,
        "date": dt.date(2024, 6, 1),
        "date_precision": "month",
        "date_source": "text",
        "claim_status": "asserted",
        "speaker": None,
        "confidence": 0.9,
        **dict.fromkeys(PLACE_COLUMNS),
        "coder": "eventwire-coder test",
        "explanation": "{}",
        "source_url": "https://wire.eventwire-samples.test/a.html",
        "source_name": "sample-wire",
        "published_at": NOW,
    }
    row.update(changes)
    return row


def test_contract_columns_keep_their_names() -> None:
    for name in ("actor", "action", "target", "date", "confidence"):
        assert name in EVENT_COLUMNS
    assert EVENT_COLUMNS[0] == "event_id"
    assert all(Events.to_schema().columns[c].description for c in EVENT_COLUMNS)


def test_a_good_row_passes() -> None:
    validated = Events.validate(pl.DataFrame([good_row()]))
    assert validated.height == 1
    assert validated.schema["date"] == pl.Date


BAD_ROWS = [
    ("unknown action", {"action": "PARTY"}, "action"),
    ("quad disagrees with action", {"quad_class": 4}, "Events"),
    ("intensity out of range", {"intensity": 11.0}, "intensity"),
    ("confidence above one", {"confidence": 1.2}, "confidence"),
    ("not an ISO-3 code", {"actor_country": "XXX"}, "actor_country"),
    ("lower-case country", {"target_country": "prk"}, "target_country"),
    ("unknown precision", {"date_precision": "week"}, "date_precision"),
    ("unknown claim status", {"claim_status": "rumoured"}, "claim_status"),
    ("actor equals target", {"target_country": "RUS", "target_sector": "GOV"}, "Events"),
    ("country on its own place", {"target_country": "RUS", "target_sector": None}, "Events"),
    ("intensity disagrees with mode", {"intensity": 2.5}, "Events"),
    ("asserted event after publication", {"date": dt.date(2024, 12, 3), "date_precision": "day"}, "Events"),
    ("empty sentence", {"sentence": ""}, "sentence"),
    ("malformed CAMEO code", {"cameo_code": "04a"}, "cameo_code"),
]


@pytest.mark.parametrize(("changes", "column"), [(c, col) for _, c, col in BAD_ROWS], ids=[i for i, _, _ in BAD_ROWS])
def test_a_bad_row_is_quarantined_with_the_failed_check(changes: dict[str, Any], column: str) -> None:
    frame = pl.DataFrame([good_row(), good_row(event_id="fedcba9876543210", **changes)])
    split = split_valid(frame, Events, stage="validate", item_column="event_id", now=NOW)
    assert split.valid["event_id"].to_list() == ["0123456789abcdef"]
    assert split.quarantined["item"].to_list() == ["fedcba9876543210"]
    assert column in split.quarantined["detail"][0]
    assert split.quarantined["reason"][0] == "check_failed"


def test_same_country_domestic_event_passes_when_sectors_differ() -> None:
    row = good_row(
        actor="police",
        actor_country="UKR",
        actor_sector="COP",
        action="COERCE",
        quad_class=4,
        intensity=-7.0,
        action_mode=None,
        cameo_code="173",
        target="protesters",
        target_country="UKR",
        target_sector="CVL",
    )
    assert Events.validate(pl.DataFrame([row])).height == 1


def test_a_hypothetical_event_may_lie_in_the_future() -> None:
    row = good_row(date=dt.date(2024, 12, 3), date_precision="day", claim_status="hypothetical")
    assert Events.validate(pl.DataFrame([row])).height == 1


def test_an_event_of_an_undated_article_has_no_future_check() -> None:
    assert Events.validate(pl.DataFrame([good_row(published_at=None, date=dt.date(2030, 1, 1))])).height == 1


def test_a_missing_column_fails_the_frame_not_a_row() -> None:
    frame = pl.DataFrame([good_row()]).drop("confidence")
    with pytest.raises(FrameSchemaError, match="confidence"):
        split_valid(frame, Events, stage="validate", item_column="event_id", now=NOW)


CAMEO_TO_PLOVER = [
    ("042", "CONSULT"),
    ("036", "AGREE"),
    ("051", "SUPPORT"),
    ("0831", "CONCEDE"),
    ("061", "COOPERATE"),
    ("073", "AID"),
    ("087", "RETREAT"),
    ("023", "REQUEST"),
    ("100", "REQUEST"),
    ("112", "ACCUSE"),
    ("016", None),  # a denial is no PLOVER event: PLOVER maps 016 nowhere
    ("120", "REJECT"),
    ("138", "THREATEN"),
    ("141", "PROTEST"),
    ("152", "MOBILIZE"),
    ("163", "SANCTION"),
    ("173", "COERCE"),
    ("191", "COERCE"),
    ("193", "ASSAULT"),
    ("190", "ASSAULT"),
    ("200", "ASSAULT"),
    ("010", None),
    ("020", None),
    ("", None),
    ("xx", None),
]


@pytest.mark.parametrize(("cameo", "plover"), CAMEO_TO_PLOVER, ids=[c or "empty" for c, _ in CAMEO_TO_PLOVER])
def test_cameo_maps_to_plover(cameo: str, plover: str | None) -> None:
    assert plover_from_cameo(cameo) == plover


def test_every_plover_type_has_a_quad_and_a_score_in_range() -> None:
    assert len(PLOVER) == 16
    for t in PLOVER.values():
        assert t.quad_class in (1, 2, 3, 4)
        assert -10 <= t.intensity <= 10
    assert PLOVER["CONSULT"].intensity_for("visit") == 4.0
    assert PLOVER["CONSULT"].intensity_for(None) == 2.5
