"""The runs table: one row per flow run with its counts."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

from schemas.enums import RUN_STATUSES


class Runs(pa.DataFrameModel):
    """What one flow run did."""

    run_id: str = pa.Field(unique=True, description="Prefect flow run id (or a local id outside Prefect).")
    flow: str = pa.Field(description="Flow name: ingest, code, publish, pipeline, recode.")
    started_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="Start time (UTC).")
    finished_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(
        nullable=True, description="End time (UTC); null while running."
    )
    status: str = pa.Field(isin=list(RUN_STATUSES), description="running, completed, failed or skipped.")
    articles_fetched: int = pa.Field(ge=0, description="Articles fetched or read.")
    articles_new: int = pa.Field(ge=0, description="Articles stored as new.")
    articles_duplicate: int = pa.Field(ge=0, description="Articles recognised as duplicates.")
    articles_quarantined: int = pa.Field(ge=0, description="Items quarantined during ingestion.")
    articles_coded: int = pa.Field(ge=0, description="Articles coded.")
    events_coded: int = pa.Field(ge=0, description="Events written.")
    events_quarantined: int = pa.Field(ge=0, description="Event rows that failed validation.")
    release_version: str | None = pa.Field(nullable=True, description="Release published by the run, if any.")
    summary: str = pa.Field(description="JSON with the run's full counts (per source, per action, failures).")

    class Config:
        strict = True
        coerce = True
