"""The working store's bookkeeping tables: what ingestion and coding remember between runs.

None of these is published; they let a run pick up where the last one stopped: conditional-GET
markers per URL, each source's health, the near-duplicate index, the raw documents fetched and
which article was coded by which coder from which text. Like the published tables, each is a
pandera model, so the store derives its DDL from here and nowhere else.
"""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

from schemas.enums import FAILURE_KINDS


class FetchState(pa.DataFrameModel):
    """What is remembered of fetching a URL: a listing's conditional-GET marker, an item's failures.

    The failure columns (`failure_*`, `failed_*`, `next_attempt_at`) say when a URL that
    failed may be fetched again (`transforms/retrying.py`); they are null for a URL whose
    last fetch succeeded.
    """

    url: str = pa.Field(description="The URL fetched.")
    source_name: str = pa.Field(description="The source that discovered it.")
    etag: str | None = pa.Field(nullable=True, description="The ETag the server sent.")
    last_modified: str | None = pa.Field(nullable=True, description="The Last-Modified header the server sent.")
    marker: str | None = pa.Field(nullable=True, description="A source's own marker (a feed's newest entry, say).")
    updated_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When the row was last written (UTC).")
    failure_reason: str | None = pa.Field(
        nullable=True, description="The reason of the last failed fetch or extraction (http_404, timeout, …)."
    )
    failure_kind: str | None = pa.Field(
        nullable=True, isin=list(FAILURE_KINDS), description="permanent or transient (transforms/retrying.py)."
    )
    failed_attempts: pl.Int32 = pa.Field(
        nullable=True, ge=1, description="Failed attempts in a row of that kind (one per run that tried)."
    )
    failed_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(nullable=True, description="When it last failed (UTC).")
    next_attempt_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(
        nullable=True,
        description="When a transient failure may be tried again (UTC); null for a permanent one or one out of attempts.",
    )

    class Config:
        strict = True
        coerce = True


class SourceHealth(pa.DataFrameModel):
    """One source's last run and its running totals."""

    source_name: str = pa.Field(description="The source, as named in the sources file.")
    kind: str = pa.Field(description="feed, sitemap, page, folder or gdelt.")
    last_run_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When it last ran (UTC).")
    last_success: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(
        nullable=True, description="When it last ran without a source-level error (UTC)."
    )
    last_error: str | None = pa.Field(nullable=True, description="The last run's source-level error, if any.")
    discovered: pl.Int32 = pa.Field(ge=0, description="Items discovered in the last run.")
    fetched: pl.Int32 = pa.Field(ge=0, description="Items fetched in the last run.")
    new: pl.Int32 = pa.Field(ge=0, description="New articles in the last run.")
    seen: pl.Int32 = pa.Field(ge=0, description="Items already known in the last run.")
    duplicate: pl.Int32 = pa.Field(ge=0, description="Duplicates in the last run.")
    quarantined: pl.Int32 = pa.Field(ge=0, description="Items quarantined in the last run.")
    not_modified: pl.Int32 = pa.Field(ge=0, description="Conditional fetches answered 304 in the last run.")
    total_fetched: int = pa.Field(ge=0, description="Items fetched, all runs.")
    total_new: int = pa.Field(ge=0, description="New articles, all runs.")
    total_duplicate: int = pa.Field(ge=0, description="Duplicates, all runs.")
    total_quarantined: int = pa.Field(ge=0, description="Items quarantined, all runs.")

    class Config:
        strict = True
        coerce = True


class DedupBands(pa.DataFrameModel):
    """The near-duplicate index: an article's MinHash bands, looked up by bucket."""

    article_id: str = pa.Field(description="The article.")
    band: pl.Int16 = pa.Field(ge=0, description="The band number.")
    bucket: int = pa.Field(description="The band's hash.")

    class Config:
        strict = True
        coerce = True


class RawDocuments(pa.DataFrameModel):
    """A fetched document's metadata; its bytes live in the raw store under the hash."""

    content_sha256: str = pa.Field(description="SHA-256 of the bytes, the raw store's key.")
    url: str = pa.Field(description="The URL requested.")
    final_url: str | None = pa.Field(nullable=True, description="The URL after redirects.")
    content_type: str | None = pa.Field(nullable=True, description="The Content-Type the server sent.")
    charset: str | None = pa.Field(nullable=True, description="The character set used to decode it.")
    size: int = pa.Field(ge=0, description="Bytes.")
    fetched_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When it was fetched (UTC).")

    class Config:
        strict = True
        coerce = True


class Coded(pa.DataFrameModel):
    """Which coder coded an article, when, from which text, and how many events it found."""

    article_id: str = pa.Field(description="The article.")
    coder: str = pa.Field(description="The full coder version.")
    coded_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When (UTC).")
    events: pl.Int32 = pa.Field(ge=0, description="Events it yielded.")
    text_hash: str | None = pa.Field(
        nullable=True, description="Hash of the text coded: a corrected text is coded again by the same coder."
    )

    class Config:
        strict = True
        coerce = True
