"""The command's view of a run's progress: a bar per step on a terminal, one line otherwise.

`run_progress(stream)` installs a sink for `flows.progress` for the body of a command. On a
terminal each step (ingest, code, publish) gets a rich progress bar that fills as its batches
are done; anywhere else (a pipe, a log file, CI) nothing is drawn while the run works, and one
line says at the end what each step did and how long it took. Either goes to `stream`
(standard error), so standard output keeps only the run's summary.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flows.progress import ProgressSink, reporting_to


@dataclass
class LineSummary:
    """Collects each step's note and time; `line()` is the one line printed at the end."""

    started: dict[str, float] = field(default_factory=dict)
    done: dict[str, tuple[str, float]] = field(default_factory=dict)
    clock: float = field(default_factory=time.perf_counter)

    def start(self, step: str, total: int) -> None:
        self.started.setdefault(step, time.perf_counter())

    def advance(self, step: str, count: int) -> None:
        pass

    def finish(self, step: str, note: str) -> None:
        began = self.started.get(step, self.clock)
        self.done[step] = (note, time.perf_counter() - began)

    def line(self) -> str:
        steps = [f"{step} {note} ({seconds:.1f} s)" for step, (note, seconds) in self.done.items()]
        return f"eventwire: {', '.join(steps) or 'nothing done'}; {time.perf_counter() - self.clock:.1f} s in all"


class BarProgress:
    """A rich progress bar per step, drawn on a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
            console=Console(file=stream),
        )
        self.tasks: dict[str, Any] = {}

    def start(self, step: str, total: int) -> None:
        if step in self.tasks:
            self.progress.update(self.tasks[step], total=total, completed=0)
        else:
            self.tasks[step] = self.progress.add_task(step, total=total, note="")

    def advance(self, step: str, count: int) -> None:
        if step in self.tasks:
            self.progress.advance(self.tasks[step], count)

    def finish(self, step: str, note: str) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(step, total=0, note="")
        task_id = self.tasks[step]
        total = self.progress.tasks[task_id].total or 0
        self.progress.update(task_id, completed=total, note=note)


@contextlib.contextmanager
def run_progress(stream: IO[str] | None = None) -> Iterator[ProgressSink]:
    """Show the body's progress on `stream` (standard error): bars on a terminal, else one line."""
    out = stream or sys.stderr
    if out.isatty():
        bars = BarProgress(out)
        with bars.progress, reporting_to(bars) as sink:
            yield sink
        return
    summary = LineSummary()
    with reporting_to(summary) as sink:
        yield sink
    print(summary.line(), file=out, flush=True)
