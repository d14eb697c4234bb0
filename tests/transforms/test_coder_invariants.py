"""Invariants of the coder on text it has never seen: it never crashes, and every row it emits
fits the event table's columns (types, enums, ranges); only cross-column checks may refuse one."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.events import Events
from transforms.coder import ArticleText, Coder
from transforms.validate import polars_schema, split_valid

WORDS = (
    "Russia Ukraine China France police protesters army rebels the minister president said on Monday "
    "attacked accused met visited signed agreed rejected denied threatened sanctions talks with against "
    "would could not after in June last week yesterday 2023 he they its forces Kremlin UN NATO EU and or "
    "of to by a an Hamas Israel Gaza Kyiv Moscow Washington troops killed arrested urged called for aid"
).split()
CROSS_COLUMN_CHECKS = ("actor and target", "dated after")


@pytest.fixture(scope="module")
def coder() -> Coder:
    from flows.io.nlp import load_coder

    return load_coder()


sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(lambda w: " ".join(w) + ".")
texts = st.one_of(
    st.lists(sentences, min_size=1, max_size=6).map(" ".join),
    st.text(max_size=300),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, published=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))))
def test_any_text_codes_into_rows_that_fit_the_columns(coder: Coder, text: str, published: dt.date | None) -> None:
    rows = [row for _, article_rows in coder.code([ArticleText("prop", text, published)]) for row in article_rows]
    assert len(rows) == len({r["event_id"] for r in rows})
    dated = [dict(r, source_url=None, source_name=None, published_at=None) for r in rows if r["date"] is not None]
    if published is None:
        assert all(r["date_source"] != "publication" for r in rows if r["date"] is not None)
    if not dated:
        return
    frame = pl.DataFrame(dated, schema=polars_schema(Events))
    split = split_valid(frame, Events, stage="validate", item_column="event_id", now=dt.datetime.now(dt.UTC))
    for detail in split.quarantined["detail"].to_list():
        failures = json.loads(detail)["failed"]
        assert all(any(c in f["check"] for c in CROSS_COLUMN_CHECKS) for f in failures), detail
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
