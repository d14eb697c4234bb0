"""Stable identifiers for coded events.

An event id is a hash of what makes the row that row: the article, the sentence, the actor,
the action and the target. The same input gives the same id on every run and every machine,
so a re-run of the coder updates rows instead of doubling them.
"""

from __future__ import annotations

import hashlib

EVENT_ID_LENGTH = 20
"""Hex characters kept from the sha256 digest (80 bits: collisions are out of reach)."""

_FIELD_SEPARATOR = "\x1f"
"""ASCII unit separator: cannot occur in the fields, so ("a b", "c") and ("a", "b c") differ."""


def event_id(article_id: str, sentence_index: int, actor: str, action: str, target: str | None) -> str:
    """The stable id of an event: the first 20 hex digits of sha256 over its defining fields.

    `target` may be None (an event without a target); it hashes differently from an empty string.
    """
    fields = (
        "eventwire-event-v1",
        article_id,
        str(int(sentence_index)),
        actor,
        action,
        "\x00" if target is None else target,
    )
    digest = hashlib.sha256(_FIELD_SEPARATOR.join(fields).encode("utf-8")).hexdigest()
    return digest[:EVENT_ID_LENGTH]
