"""Enumerated values used by more than one table."""

from __future__ import annotations

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
DATE_SOURCES: tuple[str, ...] = ("text", "publication")
CLAIM_STATUSES: tuple[str, ...] = ("asserted", "reported", "denied", "hypothetical")
PLACE_SOURCES: tuple[str, ...] = ("verb", "sentence", "dateline", "article", "actor_country")
"""Which rule chose an event's place, strongest first (`transforms/geo/events.py`)."""
GEO_PRECISIONS: tuple[int, ...] = (1, 2, 3)
"""1 a town or finer, 2 a district or first-order division, 3 a country or wider."""
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
