"""Enumerated values used by more than one table."""

from __future__ import annotations

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
DATE_SOURCES: tuple[str, ...] = ("text", "publication")
CLAIM_STATUSES: tuple[str, ...] = ("asserted", "reported", "denied", "hypothetical")
ARTICLE_STATUSES: tuple[str, ...] = ("ok", "duplicate", "near_duplicate")
PUBLISHED_SOURCES: tuple[str, ...] = ("metadata", "feed", "url", "text", "none")
PIPELINE_STAGES: tuple[str, ...] = (
    "discover",
    "fetch",
    "extract",
    "dedup",
    "code",
    "validate",
    "store",
    "publish",
)
FAILURE_KINDS: tuple[str, ...] = ("permanent", "transient")
RUN_STATUSES: tuple[str, ...] = ("running", "completed", "failed", "skipped")
