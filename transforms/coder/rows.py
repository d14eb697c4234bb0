"""The row the coder yields per event: the seam between the coder and the flows that store it.

`CodedEvent` names every column of the event table that the coder fills, with its type, so that
mypy checks what the coder builds against what `flows/code.py` and `code_jsonl` read. The flow
adds the provenance columns (`source_url`, `source_name`, `published_at`) from the article;
`schemas/events.py` is the published table's contract and validates the stored rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict

from transforms.dates import Precision

DateSource = Literal["text", "publication"]
"""Where an event's date came from: the article's text, or the publication date as a fallback."""


class CodedEvent(TypedDict):
    """One coded event, in the event table's column order, before the flow adds provenance.

    `date`, `date_precision` and `date_source` are None only when neither the text nor the
    publication date gives a date; the flow quarantines such rows. `explanation` is a JSON
    object (as a string) naming the rule, the dictionary entries and the confidence features.
    """

    event_id: str
    article_id: str
    sentence_index: int
    sentence: str
    actor: str
    actor_country: str | None
    actor_sector: str | None
    action: str
    action_mode: str | None
    cameo_code: str | None
    quad_class: int
    intensity: float
    target: str | None
    target_country: str | None
    target_sector: str | None
    date: dt.date | None
    date_precision: Precision | None
    date_source: DateSource | None
    claim_status: str
    speaker: str | None
    confidence: float
    coder: str
    explanation: str


__all__ = ["CodedEvent", "DateSource"]
