"""The seam between the coder and the code flow: the typed row is the event table minus the
provenance and place columns the flow adds."""

from __future__ import annotations

from flows.code import PROVENANCE_COLUMNS
from schemas.events import PLACE_COLUMNS, Events
from transforms.coder import ROW_COLUMNS
from transforms.coder.rows import CodedEvent
from transforms.validate import polars_schema


def test_coded_event_is_the_event_table_without_provenance_and_place() -> None:
    added_by_flow = {*PROVENANCE_COLUMNS, *PLACE_COLUMNS}
    event_columns = [c for c in polars_schema(Events) if c not in added_by_flow]
    assert list(CodedEvent.__annotations__) == event_columns
    assert tuple(event_columns) == ROW_COLUMNS
