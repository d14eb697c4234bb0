"""The quarantine table: what could not be ingested, coded or published, where and why."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

from schemas.enums import PIPELINE_STAGES


class Quarantine(pa.DataFrameModel):
    """One row per (item, stage, reason); seen again, it updates last_seen and count."""

    item: str = pa.Field(
        str_length={"min_value": 1},
        description="What was quarantined: a URL, a file path, an article id or an event id.",
    )
    stage: str = pa.Field(isin=list(PIPELINE_STAGES), description="The pipeline step that refused it.")
    reason: str = pa.Field(
        str_length={"min_value": 1}, description="Short machine-readable reason, e.g. http_404, no_text, check_failed."
    )
    detail: str = pa.Field(description="Human-readable detail: the error message or the failed check and value.")
    source_name: str | None = pa.Field(
        nullable=True, description="The configured source the item came from, where known."
    )
    first_seen: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When it was first quarantined (UTC).")
    last_seen: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When it was last quarantined (UTC).")
    count: int = pa.Field(ge=1, description="How many runs have quarantined it.")

    class Config:
        strict = True
        coerce = True
