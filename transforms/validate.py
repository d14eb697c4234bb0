"""Validate collected frames against a pandera model and split off the rows that fail.

A failing row is not dropped silently: it becomes a quarantine row naming the check that
failed and the offending value. A failure that concerns the whole frame (a missing column, a
wrong dtype) is not a row problem and is raised as `FrameSchemaError`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandera.errors
import pandera.polars as pa
import polars as pl


class FrameSchemaError(ValueError):
    """The frame as a whole does not fit the model (columns or dtypes), so no row can be trusted."""

    def __init__(self, model: str, failures: pl.DataFrame) -> None:
        self.model = model
        self.failures = failures
        lines = [
            f"{r['column'] or '<frame>'}: {r['check']} ({r['failure_case']})"
            for r in failures.head(10).iter_rows(named=True)
        ]
        super().__init__(f"{model}: the frame does not fit the schema: " + "; ".join(lines))


@dataclass(frozen=True)
class ValidationSplit:
    """The rows that passed (validated and coerced) and a quarantine row for each that did not."""

    valid: pl.DataFrame
    quarantined: pl.DataFrame
    failures: pl.DataFrame


def split_valid(
    frame: pl.DataFrame,
    model: type[pa.DataFrameModel],
    *,
    stage: str,
    item_column: str,
    now: dt.datetime,
    source_column: str | None = None,
    item_of: Callable[[dict[str, Any]], str] | None = None,
    context_columns: Sequence[str] = (),
) -> ValidationSplit:
    """Validate `frame` with `model`; return the valid rows and quarantine rows for the rest.

    `item_column` names the column that identifies a row in the quarantine (e.g. event_id);
    `item_of`, if given, makes the item from the whole row instead (e.g. "article#sentence",
    which a person can find). `context_columns` are copied into the detail beside the failed
    checks, so the quarantine row says what was lost, not only why.
    """
    expected = list(model.to_schema().columns)
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    if missing or extra:
        failures = pl.DataFrame(
            {
                "column": missing + extra,
                "check": ["column_in_dataframe"] * len(missing) + ["column_in_schema"] * len(extra),
                "failure_case": ["missing"] * len(missing) + ["unexpected"] * len(extra),
            }
        )
        raise FrameSchemaError(model.__name__, failures)
    try:
        validated: pl.DataFrame = model.validate(frame, lazy=True)
        return ValidationSplit(validated, empty_quarantine(), pl.DataFrame())
    except pandera.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    if "index" not in failures.columns or failures["index"].is_null().any():
        raise FrameSchemaError(model.__name__, failures)
    bad_index = failures["index"].cast(pl.Int64).unique().sort()
    indexed = frame.with_row_index("__row")
    bad_rows = indexed.filter(pl.col("__row").is_in(bad_index.implode()))
    good_rows = indexed.filter(~pl.col("__row").is_in(bad_index.implode())).drop("__row")
    valid: pl.DataFrame = model.validate(good_rows) if good_rows.height else _empty_like(model)
    per_row = failures.group_by(pl.col("index").cast(pl.Int64)).agg(
        pl.struct("column", "check", pl.col("failure_case").cast(pl.String)).alias("why")
    )
    checks_by_row = {
        row["index"]: [
            {"column": w["column"], "check": w["check"], "value": _short(w["failure_case"])} for w in row["why"]
        ]
        for row in per_row.iter_rows(named=True)
    }
    rows = list(bad_rows.iter_rows(named=True))
    details = [
        json.dumps(
            {
                item_column: str(r[item_column]),
                **{c: _short(None if r[c] is None else str(r[c])) for c in context_columns},
                "failed": checks_by_row[r["__row"]],
            },
            ensure_ascii=False,
        )
        for r in rows
    ]
    quarantined = pl.DataFrame(
        {
            "item": [item_of(r) if item_of else str(r[item_column]) for r in rows],
            "stage": [stage] * bad_rows.height,
            "reason": ["check_failed"] * bad_rows.height,
            "detail": details,
            "source_name": [r.get(source_column) if source_column else None for r in rows],
            "first_seen": [now] * bad_rows.height,
            "last_seen": [now] * bad_rows.height,
            "count": [1] * bad_rows.height,
        },
        schema=QUARANTINE_POLARS_SCHEMA,
    )
    return ValidationSplit(valid, quarantined, failures)


QUARANTINE_POLARS_SCHEMA: dict[str, pl.DataType] = {
    "item": pl.String(),
    "stage": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    "source_name": pl.String(),
    "first_seen": pl.Datetime("us", "UTC"),
    "last_seen": pl.Datetime("us", "UTC"),
    "count": pl.Int64(),
}


def empty_quarantine() -> pl.DataFrame:
    """A quarantine frame with no rows."""
    return pl.DataFrame(schema=QUARANTINE_POLARS_SCHEMA)


def polars_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    """The polars dtypes a model's columns coerce to, in the model's order."""
    schema: dict[str, pl.DataType] = {}
    for name, column in model.to_schema().columns.items():
        dtype = column.dtype.type
        schema[name] = dtype() if isinstance(dtype, type) else dtype
    return pl.Schema(schema)


def _short(value: str | None, limit: int = 300) -> str | None:
    """A failure value short enough to read in a quarantine row (frame checks report whole rows)."""
    if value is None or len(value) <= limit:
        return value
    return value[:limit] + "…"


def _empty_like(model: type[pa.DataFrameModel]) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(model))
