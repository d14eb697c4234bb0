"""Run summaries: every flow run leaves a `runs` row and a Prefect markdown artifact.

`report_run` is the one call a flow makes at its end (or when it skips or fails). It writes the
row into the working store, posts the same facts as a markdown artifact on the run (keyed
`eventwire-<flow>` so the UI lists each flow's summaries together) and logs one line.

Only the run that holds the writer lock opens the store. A run that skipped because the store
was busy must not open it (DuckDB would refuse, or worse, make the holder's next open fail), so
its row goes to a small journal beside the store, `<store>.pending-runs.jsonl`, which the next
run that reports from the store moves into the `runs` table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from flows.io.locking import StoreBusyError, holds_lock, open_store, resolve_store_path, writer_lock
from flows.io.store import Store
from schemas.enums import RUN_STATUSES
from schemas.runs import Runs
from transforms.validate import polars_schema

COUNT_COLUMNS: tuple[str, ...] = (
    "articles_fetched",
    "articles_new",
    "articles_duplicate",
    "articles_quarantined",
    "articles_coded",
    "events_coded",
    "events_quarantined",
)

SUMMARY_KEY_ALIASES: dict[str, str] = {
    "fetched": "articles_fetched",
    "articles_fetched": "articles_fetched",
    "new": "articles_new",
    "articles_new": "articles_new",
    "duplicates": "articles_duplicate",
    "duplicate": "articles_duplicate",
    "articles_duplicate": "articles_duplicate",
    "quarantined": "articles_quarantined",
    "articles_quarantined": "articles_quarantined",
    "articles_coded": "articles_coded",
    "events_coded": "events_coded",
    "events_quarantined": "events_quarantined",
    "events_by_action": "events_by_action",
    "version": "release_version",
    "release_version": "release_version",
    "path": "release_path",
    "release_path": "release_path",
}
"""Keys of the flows' summary dicts (`summary.as_dict()`) and the `report_run` argument each fills."""

MAX_FAILURES_SHOWN = 50

_logger = logging.getLogger("eventwire.runs")
ERROR_ATTRIBUTE = "eventwire_error"
"""The log-record attribute that carries the exception a line reports without its traceback
(a failed run's headline), so that the CLI's log filter knows what the line is about."""

Result = TypeVar("Result")


class RunReportError(RuntimeError):
    """A run summary could not be built (an unknown status, a negative count)."""


@dataclass(frozen=True)
class Failure:
    """One thing a run could not do, and why."""

    item: str
    reason: str


@dataclass
class RunReport:
    """The facts of one flow run, as stored in `runs` and shown in its artifact."""

    run_id: str
    flow: str
    status: str
    store_path: str
    started_at: dt.datetime
    finished_at: dt.datetime
    articles_fetched: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    articles_quarantined: int = 0
    articles_coded: int = 0
    events_coded: int = 0
    events_quarantined: int = 0
    events_by_action: dict[str, int] = field(default_factory=dict)
    release_version: str | None = None
    release_path: str | None = None
    failures: list[Failure] = field(default_factory=list)
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The `runs` row."""
        summary = {
            "store_path": self.store_path,
            "events_by_action": self.events_by_action,
            "release_path": self.release_path,
            "failures": [{"item": f.item, "reason": f.reason} for f in self.failures],
            "note": self.note,
            **self.details,
        }
        return {
            "run_id": self.run_id,
            "flow": self.flow,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            **{name: int(getattr(self, name)) for name in COUNT_COLUMNS},
            "release_version": self.release_version,
            "summary": json.dumps(summary, default=str, sort_keys=True),
        }

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame([self.row()], schema=polars_schema(Runs))

    def headline(self) -> str:
        """One line for the log."""
        parts = [f"{self.flow} run {self.status}"]
        if self.note:
            parts.append(self.note)
        counts = ", ".join(f"{name} {getattr(self, name)}" for name in COUNT_COLUMNS if getattr(self, name))
        if counts:
            parts.append(counts)
        if self.release_version:
            parts.append(f"release {self.release_version}")
        if self.status == "failed" and self.failures:
            parts.append(f"at {self.failures[-1].item}: {self.failures[-1].reason}")
        elif self.failures:
            parts.append(f"{len(self.failures)} failures")
        return "; ".join(parts)

    def markdown(self) -> str:
        """The run summary as a markdown artifact."""
        seconds = (self.finished_at - self.started_at).total_seconds()
        lines = [
            f"# {self.flow}: {self.status}",
            "",
        ]
        if self.note:
            lines += [f"**{self.note}**", ""]
        lines += [
            "| | |",
            "| --- | --- |",
            f"| run | `{self.run_id}` |",
            f"| started | {self.started_at:%Y-%m-%d %H:%M:%S} UTC |",
            f"| took | {seconds:.1f} s |",
            f"| working store | `{self.store_path}` |",
            "",
            "## Articles",
            "",
            "| fetched | new | duplicate | quarantined | coded |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {self.articles_fetched} | {self.articles_new} | {self.articles_duplicate} "
            f"| {self.articles_quarantined} | {self.articles_coded} |",
            "",
            "## Events",
            "",
            f"{self.events_coded} events coded, {self.events_quarantined} rows failed validation.",
            "",
        ]
        if self.events_by_action:
            lines += ["| action | events |", "| --- | ---: |"]
            lines += [f"| {action} | {n} |" for action, n in sorted(self.events_by_action.items())]
            lines.append("")
        lines += _sources_table(self.details)
        lines += ["## Release", ""]
        if self.release_version:
            where = f" at `{self.release_path}`" if self.release_path else ""
            lines.append(f"`{self.release_version}`{where}")
        else:
            lines.append("No release made by this run.")
        lines.append("")
        if self.failures:
            lines += [f"## Failures ({len(self.failures)})", "", "| item | reason |", "| --- | --- |"]
            for failure in self.failures[:MAX_FAILURES_SHOWN]:
                lines.append(f"| {_cell(failure.item)} | {_cell(failure.reason)} |")
            if len(self.failures) > MAX_FAILURES_SHOWN:
                lines.append(f"| … | {len(self.failures) - MAX_FAILURES_SHOWN} more in the runs row |")
            lines.append("")
        return "\n".join(lines)


def _sources_table(details: Mapping[str, Any]) -> list[str]:
    """Per-source health (fetched, new, duplicate, quarantined, last success) where the run
    ingested; nothing otherwise."""
    health = (details.get("ingest") or {}).get("health") or []
    if not health:
        return []
    lines = [
        "## Sources",
        "",
        "| source | fetched | new | duplicate | quarantined | not modified | last success |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for h in health:
        lines.append(
            f"| {_cell(str(h.get('source_name')))} | {h.get('fetched', 0)} | {h.get('new', 0)} "
            f"| {h.get('duplicate', 0)} | {h.get('quarantined', 0)} | {h.get('not_modified', 0)} "
            f"| {h.get('last_success') or 'never'} |"
        )
    return [*lines, ""]


def counts_from_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """`report_run` keyword arguments from a flow's `summary.as_dict()` (unknown keys ignored)."""
    counts: dict[str, Any] = {}
    for key, value in summary.items():
        target = SUMMARY_KEY_ALIASES.get(key)
        if target is None or value is None:
            continue
        if target in COUNT_COLUMNS:
            counts[target] = int(value) if not isinstance(value, list | tuple | set | dict) else len(value)
        elif target == "events_by_action":
            counts[target] = {str(k): int(v) for k, v in dict(value).items()}
        else:
            counts[target] = str(value)
    return counts


def current_run_id() -> str | None:
    """The id of the Prefect flow run we are in, if any."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        return str(context.flow_run.id)
    return None


def report_run(
    flow_name: str,
    store_path: str | Path | None,
    *,
    status: str = "completed",
    started_at: dt.datetime | None = None,
    articles_fetched: int = 0,
    articles_new: int = 0,
    articles_duplicate: int = 0,
    articles_quarantined: int = 0,
    articles_coded: int = 0,
    events_coded: int = 0,
    events_quarantined: int = 0,
    events_by_action: Mapping[str, int] | None = None,
    release_version: str | None = None,
    release_path: str | None = None,
    failures: Sequence[Failure | tuple[str, str]] = (),
    note: str | None = None,
    details: Mapping[str, Any] | None = None,
    run_id: str | None = None,
    only_if_missing: bool = False,
    error: BaseException | None = None,
) -> RunReport:
    """Record one flow run: a `runs` row, a markdown artifact on the Prefect run, a log line.

    Call it once at the end of a run (also when it skipped or failed). `run_id` defaults to
    the current Prefect flow run's id; `only_if_missing` leaves an existing row of that run as
    it is (a parent flow recording a sub-flow that may have recorded itself).
    """
    if status not in RUN_STATUSES:
        raise RunReportError(f"status must be one of {RUN_STATUSES}, not {status!r}")
    now = dt.datetime.now(dt.UTC)
    report = RunReport(
        run_id=run_id or current_run_id() or f"local-{uuid.uuid4()}",
        flow=flow_name,
        status=status,
        store_path=str(resolve_store_path(store_path)),
        started_at=started_at or now,
        finished_at=now,
        articles_fetched=articles_fetched,
        articles_new=articles_new,
        articles_duplicate=articles_duplicate,
        articles_quarantined=articles_quarantined,
        articles_coded=articles_coded,
        events_coded=events_coded,
        events_quarantined=events_quarantined,
        events_by_action={str(k): int(v) for k, v in (events_by_action or {}).items()},
        release_version=release_version,
        release_path=release_path,
        failures=[f if isinstance(f, Failure) else Failure(str(f[0]), str(f[1])) for f in failures],
        note=note,
        details=dict(details or {}),
    )
    negative = [name for name in COUNT_COLUMNS if getattr(report, name) < 0]
    if negative:
        raise RunReportError(f"counts cannot be negative: {', '.join(negative)}")
    if not _record_row(report, only_if_missing=only_if_missing):
        return report
    _post_artifact(report)
    _log(report, error)
    return report


@dataclass
class RunInProgress:
    """A run holding the writer lock; its body sets `step` so that a failure names where it was."""

    flow: str
    store_path: Path
    started_at: dt.datetime
    step: str


def run_holding_lock(
    flow_name: str,
    store_path: str | Path | None,
    *,
    lock_wait_seconds: float | None,
    work: Callable[[RunInProgress], Result],
    counts: Callable[[Result], Mapping[str, Any]],
    on_skip: Callable[[StoreBusyError], Result],
) -> Result:
    """Run `work` holding the store's writer lock, and report the run however it ends.

    The one shape every writing flow has: it completes (`counts(result)` are the `report_run`
    arguments), fails (a `failed` row naming the step and the error, then the error goes on to
    Prefect) or finds the store busy for longer than `lock_wait_seconds` (a `skipped` row, and
    `on_skip` makes the summary the flow returns).
    """
    path = resolve_store_path(store_path)
    run = RunInProgress(flow_name, path, dt.datetime.now(dt.UTC), step=flow_name)
    try:
        with writer_lock(path, wait_seconds=lock_wait_seconds, owner=f"{flow_name} run {current_run_id()}"):
            try:
                result = work(run)
            except StoreBusyError:
                raise
            except Exception as error:
                failure = Failure(run.step, f"{type(error).__name__}: {error}")
                report_run(flow_name, path, status="failed", started_at=run.started_at, failures=[failure], error=error)
                raise
            report_run(flow_name, path, started_at=run.started_at, **counts(result))
    except StoreBusyError as busy:
        report_run(flow_name, path, status="skipped", started_at=run.started_at, note=f"skipped: {busy}")
        return on_skip(busy)
    return result


def pending_journal_path(store_path: str | Path) -> Path:
    """The journal of runs rows waiting for the store: `<store>.pending-runs.jsonl`."""
    path = Path(store_path)
    return path.with_name(path.name + ".pending-runs.jsonl")


def flush_pending_runs(store: Store) -> int:
    """Move rows from the pending journal into `runs`; return how many moved."""
    journal = pending_journal_path(store.path.resolve())
    if not journal.exists():
        return 0
    with _journal_locked(journal) as handle:
        handle.seek(0)
        lines = [line for line in handle.read().splitlines() if line.strip()]
        if not lines:
            return 0
        rows = [json.loads(line) for line in lines]
        for row in rows:
            for column in ("started_at", "finished_at"):
                row[column] = dt.datetime.fromisoformat(row[column]) if row[column] else None
        store.record_run(pl.DataFrame(rows, schema=polars_schema(Runs)))
        handle.seek(0)
        handle.truncate()
    return len(rows)


def _record_row(report: RunReport, *, only_if_missing: bool) -> bool:
    """Write the row (or journal it); False if `only_if_missing` found the run recorded already."""
    store_path = Path(report.store_path)
    if report.status == "skipped" and not holds_lock(store_path):
        _append_pending(store_path, report.row())
        return True
    try:
        with open_store(store_path) as store:
            if only_if_missing and store.has_run(report.run_id):
                return False
            store.record_run(report.frame())
            flush_pending_runs(store)
    except Exception as error:  # the summary must not be lost because the store is unwritable
        _logger.warning(
            "could not write the runs row to %s (%s); kept in the pending journal",
            store_path,
            error,
            extra={ERROR_ATTRIBUTE: error},
        )
        _append_pending(store_path, report.row())
    return True


def _append_pending(store_path: Path, row: dict[str, Any]) -> None:
    journal = pending_journal_path(store_path)
    journal.parent.mkdir(parents=True, exist_ok=True)
    with _journal_locked(journal) as handle:
        handle.seek(0, os.SEEK_END)
        handle.write(json.dumps(row, default=_iso) + "\n")


@contextlib.contextmanager
def _journal_locked(journal: Path) -> Iterator[Any]:
    with journal.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
            handle.flush()
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _iso(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _post_artifact(report: RunReport) -> None:
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return
    from prefect.artifacts import create_markdown_artifact

    try:
        create_markdown_artifact(
            markdown=report.markdown(),
            key=f"eventwire-{report.flow}",
            description=f"{report.flow} run summary: {report.status}",
        )
    except Exception as error:  # an unreachable API must not fail the run it summarises
        _logger.warning("could not post the run summary artifact: %s", error)


def _log(report: RunReport, error: BaseException | None) -> None:
    from prefect.context import FlowRunContext
    from prefect.logging import get_run_logger

    logger: logging.Logger | logging.LoggerAdapter[logging.Logger]
    logger = get_run_logger() if FlowRunContext.get() is not None else _logger
    level = logging.WARNING if report.status in ("skipped", "failed") else logging.INFO
    logger.log(level, report.headline(), extra={ERROR_ATTRIBUTE: error} if error is not None else None)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:300]
