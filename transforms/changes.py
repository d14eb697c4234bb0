"""What changed between two releases' events: ids added, changed and removed, and why.

Reasons:

- `new_article`: the event comes from an article the parent release did not have.
- `coder_change`: the article was in the parent, but a different coder version made the rows
  (an event added, changed or removed because the coder or its dictionaries changed).
- `correction`: same article and same coder, other content: the article was corrected and
  re-fetched, or the row was fixed (an added or removed id on a known article, or the same id
  with other values).
- `article_removed`: the event's article is no longer published.

Pure: takes frames, returns frames and text.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import polars as pl

CHANGE_KINDS: tuple[str, ...] = ("added", "changed", "removed")
CHANGE_REASONS: tuple[str, ...] = ("new_article", "correction", "coder_change", "article_removed")

REASON_TEXT: dict[str, str] = {
    "new_article": "the event comes from an article the parent release did not have",
    "correction": "same article and coder, other content (a corrected article or a fixed row)",
    "coder_change": "a different coder version made the rows of this article",
    "article_removed": "the event's article is no longer published",
}

CHANGES_SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "change": pl.String(),
    "reason": pl.String(),
    "article_id": pl.String(),
    "coder_before": pl.String(),
    "coder_after": pl.String(),
    "columns_changed": pl.List(pl.String()),
}


@dataclass(frozen=True)
class EventChanges:
    """One row per event id that differs between two event sets (`CHANGES_SCHEMA`)."""

    changes: pl.DataFrame
    events_before: int
    events_after: int

    @property
    def is_empty(self) -> bool:
        return self.changes.height == 0

    def count(self, change: str) -> int:
        return int(self.changes.filter(pl.col("change") == change).height)

    def counts(self) -> dict[str, int]:
        """Counts per change kind, plus `unchanged`."""
        counts = {kind: self.count(kind) for kind in CHANGE_KINDS}
        counts["unchanged"] = self.events_after - counts["added"] - counts["changed"]
        return counts

    def counts_by_reason(self) -> dict[str, dict[str, int]]:
        """{change kind: {reason: count}}, zero counts left out."""
        result: dict[str, dict[str, int]] = {kind: {} for kind in CHANGE_KINDS}
        for change, reason, n in self.changes.group_by("change", "reason").len().sort("change", "reason").iter_rows():
            result[change][reason] = n
        return result


def _coders_by_article(events: pl.DataFrame) -> dict[str, set[str]]:
    coders: dict[str, set[str]] = {}
    for article_id, coder in events.select("article_id", "coder").unique().iter_rows():
        coders.setdefault(article_id, set()).add(coder)
    return coders


def diff_events(
    before: pl.DataFrame,
    after: pl.DataFrame,
    *,
    articles_before: Collection[str] | None = None,
    articles_after: Collection[str] | None = None,
) -> EventChanges:
    """Compare two event frames (the parent release's and the new one) by event id.

    `articles_before`/`articles_after` are the article ids each release publishes; when left
    out, the articles the events name stand in for them. Columns present in only one frame
    are compared as changed for every row (the shape of the table changed).
    """
    articles_before_set = set(articles_before) if articles_before is not None else set(before["article_id"].to_list())
    articles_after_set = set(articles_after) if articles_after is not None else set(after["article_id"].to_list())
    coders_before = _coders_by_article(before)
    coders_after = _coders_by_article(after)
    all_coders_before = set(before["coder"].unique().to_list()) if before.height else set()
    all_coders_after = set(after["coder"].unique().to_list()) if after.height else set()

    ids_before = set(before["event_id"].to_list())
    ids_after = set(after["event_id"].to_list())
    rows: list[dict[str, Any]] = []

    added = after.filter(~pl.col("event_id").is_in(ids_before))
    for event_id, article_id, coder in added.select("event_id", "article_id", "coder").iter_rows():
        if article_id not in articles_before_set:
            reason = "new_article"
        else:
            known = coders_before.get(article_id) or all_coders_before
            reason = "correction" if coder in known else "coder_change"
        rows.append(_row(event_id, "added", reason, article_id, None, coder, []))

    removed = before.filter(~pl.col("event_id").is_in(ids_after))
    for event_id, article_id, coder in removed.select("event_id", "article_id", "coder").iter_rows():
        if article_id not in articles_after_set:
            reason = "article_removed"
        else:
            now = coders_after.get(article_id) or all_coders_after
            reason = "correction" if coder in now else "coder_change"
        rows.append(_row(event_id, "removed", reason, article_id, coder, None, []))

    rows.extend(_changed_rows(before, after))
    changes = pl.DataFrame(rows, schema=CHANGES_SCHEMA) if rows else pl.DataFrame(schema=CHANGES_SCHEMA)
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    changes = (
        changes.with_columns(pl.col("change").replace_strict(order, return_dtype=pl.Int32).alias("_order"))
        .sort("_order", "event_id")
        .drop("_order")
    )
    return EventChanges(changes, before.height, after.height)


def _row(
    event_id: str,
    change: str,
    reason: str,
    article_id: str,
    coder_before: str | None,
    coder_after: str | None,
    columns: list[str],
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "change": change,
        "reason": reason,
        "article_id": article_id,
        "coder_before": coder_before,
        "coder_after": coder_after,
        "columns_changed": columns,
    }


def _changed_rows(before: pl.DataFrame, after: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows for ids present on both sides whose values differ, naming the columns that differ."""
    shared_columns = [c for c in after.columns if c in before.columns and c != "event_id"]
    only_one_side = sorted(set(after.columns) ^ set(before.columns))
    joined = after.join(before, on="event_id", how="inner", suffix="__before")
    if joined.height == 0:
        return []
    flags = [
        pl.col(c).ne_missing(pl.col(f"{c}__before")).alias(f"{c}__differs")
        if after.schema[c] == before.schema[c]
        else pl.lit(True).alias(f"{c}__differs")
        for c in shared_columns
    ]
    compared = joined.with_columns(flags)
    differs_any = pl.any_horizontal([f"{c}__differs" for c in shared_columns]) if shared_columns else pl.lit(False)
    if only_one_side:
        differs_any = pl.lit(True)
    changed = compared.filter(differs_any)
    rows = []
    for record in changed.iter_rows(named=True):
        columns = [c for c in shared_columns if record[f"{c}__differs"]] + only_one_side
        coder_before, coder_after = record["coder__before"], record["coder"]
        reason = "coder_change" if coder_before != coder_after else "correction"
        rows.append(
            _row(record["event_id"], "changed", reason, record["article_id"], coder_before, coder_after, columns)
        )
    return rows


def changes_document(changes: EventChanges, *, version: str, parent: str | None) -> dict[str, Any]:
    """changes.json: counts, and every differing event id grouped by change kind and reason.

    `added` and `removed` map each reason to a list of event ids; `changed` maps each reason to
    a list of `{"event_id", "columns"}` naming the columns whose values differ.
    """
    grouped: dict[str, dict[str, list[Any]]] = {kind: {} for kind in CHANGE_KINDS}
    for record in changes.changes.iter_rows(named=True):
        entry: Any = record["event_id"]
        if record["change"] == "changed":
            entry = {"event_id": record["event_id"], "columns": record["columns_changed"]}
        grouped[record["change"]].setdefault(record["reason"], []).append(entry)
    return {
        "version": version,
        "parent": parent,
        "events_before": changes.events_before,
        "events_after": changes.events_after,
        "counts": changes.counts(),
        "counts_by_reason": changes.counts_by_reason(),
        "reasons": REASON_TEXT,
        **grouped,
    }


def render_changes_markdown(changes: EventChanges, *, version: str, parent: str | None, sample: int = 20) -> str:
    """CHANGES.md: counts by kind and reason, and a sample of ids for each kind."""
    counts = changes.counts()
    lines = [f"# Changes in release {version}", ""]
    if parent is None:
        lines += [f"First release: {changes.events_after} events, all new.", ""]
    else:
        lines += [
            f"Against the parent release {parent}: {changes.events_before} events before, "
            f"{changes.events_after} after.",
            "",
        ]
    lines += ["| change | events |", "| --- | --- |"]
    lines += [f"| {kind} | {counts[kind]} |" for kind in (*CHANGE_KINDS, "unchanged")]
    lines.append("")
    by_reason = changes.counts_by_reason()
    if any(by_reason.values()):
        lines += ["| change | reason | events |", "| --- | --- | --- |"]
        for kind in CHANGE_KINDS:
            for reason, n in by_reason[kind].items():
                lines.append(f"| {kind} | {reason} | {n} |")
        lines.append("")
    lines += [
        "Reasons: `new_article` (an article the parent did not have), `correction` (same article and",
        "coder, other content), `coder_change` (another coder version made the rows), `article_removed`",
        "(the article is no longer published). Every id is in `changes.json`.",
        "",
    ]
    for kind in CHANGE_KINDS:
        subset = changes.changes.filter(pl.col("change") == kind)
        if subset.height == 0:
            continue
        shown = subset.head(sample)
        more = f" (first {sample} of {subset.height})" if subset.height > sample else ""
        lines += [f"## {kind.capitalize()}{more}", ""]
        for record in shown.iter_rows(named=True):
            detail = f" — columns {', '.join(record['columns_changed'])}" if record["columns_changed"] else ""
            lines.append(f"- `{record['event_id']}` ({record['reason']}, article `{record['article_id']}`){detail}")
        lines.append("")
    return "\n".join(lines)


def changes_json_text(changes: EventChanges, *, version: str, parent: str | None) -> str:
    document = changes_document(changes, version=version, parent=parent)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
