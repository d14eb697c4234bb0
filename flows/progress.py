"""How far a run's steps have got, for the command that started the run.

A flow reports each step's work as it goes (`start(step, total)`, `advance(step, count)`,
`finish(step, note)`); the reports go to the sink the `eventwire` command installed for the
run (`reporting_to`): a progress bar on a terminal, one summary line otherwise
(`flows/cli/progress.py`). Where no command installed one (a deployment, a test, a notebook)
the reports go nowhere: the Prefect logs and the `runs` table stay the record of a run.

The sink is one per process, not per context: Prefect runs tasks and sub-flows in other
threads and contexts, and the command's one run is the only reader.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol


class ProgressSink(Protocol):
    """Where progress reports go."""

    def start(self, step: str, total: int) -> None: ...

    def advance(self, step: str, count: int) -> None: ...

    def finish(self, step: str, note: str) -> None: ...


_sink: ProgressSink | None = None
_lock = threading.Lock()


@contextlib.contextmanager
def reporting_to(sink: ProgressSink) -> Iterator[ProgressSink]:
    """Send this process's progress reports to `sink` for the body."""
    global _sink
    previous = _sink
    _sink = sink
    try:
        yield sink
    finally:
        _sink = previous


def start(step: str, total: int) -> None:
    """`step` has `total` items of work to do."""
    with _lock:
        if _sink is not None:
            _sink.start(step, total)


def advance(step: str, count: int) -> None:
    """`count` more items of `step` are done."""
    with _lock:
        if _sink is not None:
            _sink.advance(step, count)


def finish(step: str, note: str) -> None:
    """`step` is over; `note` says what it did in a few words."""
    with _lock:
        if _sink is not None:
            _sink.finish(step, note)
