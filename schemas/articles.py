"""The articles table: one row per fetched article, with its text and provenance."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

from schemas.enums import ARTICLE_STATUSES, PUBLISHED_SOURCES


class Articles(pa.DataFrameModel):
    """An article as stored after fetching and extraction."""

    article_id: str = pa.Field(
        unique=True,
        str_length={"min_value": 16, "max_value": 64},
        description="Stable id of the article: a hash of its canonical URL.",
    )
    url: str = pa.Field(description="The URL the article was fetched from (or a file: URL for local sources).")
    canonical_url: str = pa.Field(description="The normalised URL used to recognise the same article under other URLs.")
    source_name: str = pa.Field(description="Name of the configured source that found the article.")
    title: str | None = pa.Field(nullable=True, description="Headline.")
    author: str | None = pa.Field(nullable=True, description="Byline, where the page names one.")
    published_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(
        nullable=True, description="Publication time (UTC); null where no date was found."
    )
    published_source: str = pa.Field(
        isin=list(PUBLISHED_SOURCES),
        description=(
            "Where published_at came from: the page's markup (metadata), the listing (feed), the URL (url), "
            "the visible text (text), or none (not found)."
        ),
    )
    fetched_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(description="When the article was fetched (UTC).")
    language: str | None = pa.Field(
        nullable=True, str_matches=r"^[a-z]{2,3}$", description="ISO 639 language code of the text."
    )
    text: str = pa.Field(
        str_length={"min_value": 1}, description="Main text, boilerplate removed; paragraphs separated by blank lines."
    )
    text_hash: str = pa.Field(
        str_length={"min_value": 16}, description="sha256 of the normalised text, for exact-duplicate detection."
    )
    content_sha256: str | None = pa.Field(
        nullable=True, description="sha256 of the fetched bytes, the key of the raw store."
    )
    duplicate_of: str | None = pa.Field(
        nullable=True, description="article_id of the canonical article this one duplicates, if any."
    )
    status: str = pa.Field(
        isin=list(ARTICLE_STATUSES),
        description="ok, duplicate (same text) or near_duplicate (syndicated copy); only ok articles are coded.",
    )

    class Config:
        strict = True
        coerce = True
