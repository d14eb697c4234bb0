"""diff_events: which ids were added, changed and removed between two event sets, and why."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.changes import (
    CHANGE_REASONS,
    changes_document,
    changes_json_text,
    diff_events,
    render_changes_markdown,
)

OLD = "coder 0.1.0"
NEW = "coder 0.2.0"


def events(*rows: tuple[str, str, str, float]) -> pl.DataFrame:
    """(event_id, article_id, coder, confidence) rows; other columns are left out on purpose."""
    return pl.DataFrame(
        [{"event_id": e, "article_id": a, "coder": c, "confidence": x} for e, a, c, x in rows],
        schema={"event_id": pl.String, "article_id": pl.String, "coder": pl.String, "confidence": pl.Float64},
    )


BASE = events(("e1", "a1", OLD, 0.5), ("e2", "a1", OLD, 0.6), ("e3", "a2", OLD, 0.7))


@pytest.mark.parametrize(
    ("after", "articles_after", "expected"),
    [
        (BASE, None, []),
        (
            pl.concat([BASE, events(("e4", "a3", OLD, 0.9))]),
            None,
            [("e4", "added", "new_article", [])],
        ),
        (
            BASE.with_columns(
                pl.when(pl.col("event_id") == "e2").then(0.65).otherwise("confidence").alias("confidence")
            ),
            None,
            [("e2", "changed", "correction", ["confidence"])],
        ),
        (
            pl.concat([BASE.filter(pl.col("article_id") != "a1"), events(("e1", "a1", NEW, 0.5))]),
            None,
            [("e1", "changed", "coder_change", ["coder"]), ("e2", "removed", "coder_change", [])],
        ),
        (
            pl.concat([BASE.filter(pl.col("article_id") != "a1"), events(("e9", "a1", NEW, 0.5))]),
            None,
            [
                ("e9", "added", "coder_change", []),
                ("e1", "removed", "coder_change", []),
                ("e2", "removed", "coder_change", []),
            ],
        ),
        (
            pl.concat([BASE.filter(pl.col("event_id") != "e2"), events(("e5", "a1", OLD, 0.6))]),
            None,
            [("e5", "added", "correction", []), ("e2", "removed", "correction", [])],
        ),
        (
            BASE.filter(pl.col("article_id") != "a2"),
            ["a1"],
            [("e3", "removed", "article_removed", [])],
        ),
        (
            BASE.filter(pl.col("article_id") != "a2"),
            ["a1", "a2"],
            [("e3", "removed", "correction", [])],
        ),
    ],
    ids=[
        "identical",
        "new-article",
        "corrected-value",
        "recoded-same-id-and-dropped-id",
        "recoded-new-ids",
        "corrected-article-new-sentence",
        "article-removed",
        "article-kept-without-events",
    ],
)
def test_diff_golden_cases(
    after: pl.DataFrame, articles_after: list[str] | None, expected: list[tuple[str, str, str, list[str]]]
) -> None:
    changes = diff_events(BASE, after, articles_before=["a1", "a2"], articles_after=articles_after)
    got = [
        (r["event_id"], r["change"], r["reason"], r["columns_changed"]) for r in changes.changes.iter_rows(named=True)
    ]
    assert got == expected
    assert set(changes.changes["reason"].to_list()) <= set(CHANGE_REASONS)


def test_a_new_column_counts_as_a_change_of_every_shared_row() -> None:
    after = BASE.with_columns(pl.lit("x").alias("speaker"))
    changes = diff_events(BASE, after)
    assert changes.count("changed") == 3
    assert all(cols == ["speaker"] for cols in changes.changes["columns_changed"].to_list())


def test_documents_carry_counts_ids_and_reasons() -> None:
    after = pl.concat([BASE.filter(pl.col("event_id") != "e3"), events(("e4", "a3", OLD, 0.9))])
    changes = diff_events(BASE, after, articles_before=["a1", "a2"], articles_after=["a1", "a3"])
    document = changes_document(changes, version="2026.11.26.1", parent="2026.11.25.1")
    assert document["counts"] == {"added": 1, "changed": 0, "removed": 1, "unchanged": 2}
    assert document["added"] == {"new_article": ["e4"]}
    assert document["removed"] == {"article_removed": ["e3"]}
    assert json.loads(changes_json_text(changes, version="2026.11.26.1", parent="2026.11.25.1")) == document
    markdown = render_changes_markdown(changes, version="2026.11.26.1", parent="2026.11.25.1")
    assert "Against the parent release 2026.11.25.1: 3 events before, 3 after." in markdown
    assert "| removed | article_removed | 1 |" in markdown
    assert "- `e4` (new_article, article `a3`)" in markdown


def test_markdown_of_a_first_release_and_a_long_list_is_sampled() -> None:
    many = events(*[(f"e{i:03d}", f"a{i}", OLD, 0.5) for i in range(50)])
    changes = diff_events(many.clear(), many)
    markdown = render_changes_markdown(changes, version="2026.11.25.1", parent=None, sample=5)
    assert "First release: 50 events, all new." in markdown
    assert "## Added (first 5 of 50)" in markdown
    assert markdown.count("- `e0") == 5


_rows = st.lists(
    st.tuples(
        st.sampled_from([f"e{i}" for i in range(12)]),
        st.sampled_from(["a1", "a2", "a3", "a4"]),
        st.sampled_from([OLD, NEW]),
        st.sampled_from([0.1, 0.5, 0.9]),
    ),
    max_size=12,
    unique_by=lambda r: r[0],
)


@settings(max_examples=60, deadline=None)
@given(_rows, _rows)
def test_diff_invariants(before_rows: list[Any], after_rows: list[Any]) -> None:
    before, after = events(*before_rows), events(*after_rows)
    forward = diff_events(before, after)
    counts = forward.counts()
    assert counts["added"] + counts["changed"] + counts["unchanged"] == after.height
    assert counts["removed"] + counts["changed"] + counts["unchanged"] == before.height
    backward = diff_events(after, before)
    assert set(forward.changes.filter(pl.col("change") == "added")["event_id"]) == set(
        backward.changes.filter(pl.col("change") == "removed")["event_id"]
    )
    assert diff_events(after, after).is_empty
    assert forward.changes["event_id"].is_unique().all()
