"""The `pipeline` flow: ingest, code and publish, once, as a schedule would run them.

The run holds the working store's writer lock from start to end, so no other run writes
between its steps; the sub-flows it calls re-enter the lock. Each step is a sub-flow with its
own `runs` row (a step that does not record itself is recorded here from its summary), and
the pipeline adds one row and one artifact for the whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from prefect import flow, get_run_logger
from prefect.states import State

from flows.code import CodeSummary, code
from flows.ingest import ingest
from flows.io.locking import resolve_store_path
from flows.publish import publish
from flows.runs import RunInProgress, counts_from_summary, report_run, run_holding_lock


@dataclass
class PipelineSummary:
    """What one pipeline run did, step by step (all None but `skipped` when it skipped)."""

    ingest: Any
    code: CodeSummary | None
    publish: Any
    store_path: str
    skipped: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingest": self.ingest.as_dict() if self.ingest is not None else None,
            "code": self.code.as_dict() if self.code is not None else None,
            "publish": self.publish.as_dict() if self.publish is not None else None,
            "store_path": self.store_path,
            "skipped": self.skipped,
        }

    def release_version(self) -> str | None:
        """The release this run made, if it made one."""
        if self.publish is None:
            return None
        p = self.publish.as_dict()
        return p.get("version") if p.get("published", True) else None

    def render(self) -> str:
        """A short plain-text summary for a terminal."""
        if self.skipped or self.ingest is None or self.code is None or self.publish is None:
            return f"pipeline skipped: {self.skipped}\nworking store: {self.store_path}"
        c, p = self.code, self.publish.as_dict()
        lines = [
            self.ingest.render() if hasattr(self.ingest, "render") else "",
            "",
            f"coded: {c.articles_coded} articles -> {c.events_coded} events"
            + (f" ({c.events_quarantined} rows quarantined: no date or a failed check)" if c.events_quarantined else "")
            + f" [{c.coder}]",
        ]
        if c.events_by_action:
            lines.append("events by action: " + ", ".join(f"{a} {n}" for a, n in c.events_by_action.items()))
        if p.get("version"):
            state = "published" if p.get("published", True) else "unchanged, not republished"
            lines.append(f"release: {p['version']} ({state}) at {p.get('path')}")
        elif p.get("reason"):
            lines.append(f"release: none ({p['reason']})")
        lines.append(f"working store: {self.store_path}")
        return "\n".join(lines)


@flow(name="pipeline")
def pipeline(
    sources: str = "data/sources.samples.toml",
    fetcher: str = "recorded",
    store_path: str | None = None,
    releases_dir: str | None = None,
    dask_cluster: str | None = None,
    dask_workers: int = 2,
    lock_wait_seconds: float | None = None,
    allow_hosts: list[str] | None = None,
) -> PipelineSummary:
    """Run ingest, code and publish in order on one working store, holding its writer lock.

    `allow_hosts`: hosts or addresses the http fetcher may reach although they are not
    public, beside those of the sources file's `[fetch] allow_hosts`.

    If another run holds the store longer than `lock_wait_seconds`, the pipeline skips (and
    records that) instead of waiting forever or writing beside it.
    """
    logger = get_run_logger()
    store = str(resolve_store_path(store_path))

    def work(run: RunInProgress) -> PipelineSummary:
        run.step = "ingest"
        ingest_state = ingest(
            sources=sources, fetcher=fetcher, store_path=store, allow_hosts=allow_hosts, return_state=True
        )
        ingested = ingest_state.result()
        _record_step("ingest", store, ingest_state, ingested, run.started_at)
        run.step = "code"
        coded = code(
            store_path=store,
            dask_cluster=dask_cluster,
            dask_workers=dask_workers,
            lock_wait_seconds=lock_wait_seconds,
        )
        run.step = "publish"
        publish_state = publish(store_path=store, releases_dir=releases_dir, return_state=True)
        published = publish_state.result()
        _record_step("publish", store, publish_state, published, run.started_at)
        return PipelineSummary(ingested, coded, published, store, failures=list(coded.failures))

    summary = run_holding_lock(
        "pipeline",
        store,
        lock_wait_seconds=lock_wait_seconds,
        work=work,
        counts=_pipeline_counts,
        on_skip=lambda busy: PipelineSummary(None, None, None, store, skipped=str(busy)),
    )
    if summary.skipped:
        return summary
    logger.info("pipeline done:\n%s", summary.render())
    return summary


def _record_step(flow_name: str, store: str, state: State, summary: Any, started: dt.datetime) -> None:
    """Record a sub-flow's run from its summary, unless the sub-flow recorded itself."""
    run_id = state.state_details.flow_run_id
    counts = counts_from_summary(summary.as_dict()) if hasattr(summary, "as_dict") else {}
    if flow_name == "publish" and not summary.as_dict().get("published", True):
        counts.pop("release_version", None)
    report_run(
        flow_name,
        store,
        started_at=started,
        run_id=str(run_id) if run_id else None,
        only_if_missing=True,
        **counts,
    )


def _pipeline_counts(summary: PipelineSummary) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    if summary.ingest is not None:
        ingest_counts = counts_from_summary(summary.ingest.as_dict())
        counts.update({k: v for k, v in ingest_counts.items() if k.startswith("articles_")})
    if summary.code is not None:
        counts.update(summary.code.report_counts())
        counts.pop("details", None)
    counts["release_version"] = summary.release_version()
    if summary.publish is not None:
        p = summary.publish.as_dict()
        counts["release_path"] = p.get("path") if counts["release_version"] else None
        counts["details"] = {"publish": p.get("reason") or ("published" if counts["release_version"] else None)}
    return counts
