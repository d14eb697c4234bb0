"""Run summaries: the `runs` row, the markdown artifact, the pending journal of skipped runs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect import flow

from flows.io.locking import StoreBusyError, writer_lock
from flows.io.store import Store
from flows.runs import (
    Failure,
    RunInProgress,
    RunReportError,
    counts_from_summary,
    flush_pending_runs,
    pending_journal_path,
    report_run,
    run_holding_lock,
)
from schemas.runs import Runs


def artifacts_of(flow_run_id: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(flow_run_id)]))
        )


def test_a_report_writes_one_valid_runs_row(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"
    report = report_run(
        "ingest",
        store_path,
        articles_fetched=12,
        articles_new=9,
        articles_duplicate=2,
        articles_quarantined=1,
        failures=[("https://x.test/a", "http_404")],
        details={"per_source": {"Test Wire": 12}},
    )
    with Store(store_path) as store:
        runs = store.table("runs")
    Runs.validate(runs)
    assert runs["run_id"].to_list() == [report.run_id]
    assert runs.select(
        "flow", "status", "articles_fetched", "articles_new", "articles_duplicate", "articles_quarantined"
    ).row(0) == (
        "ingest",
        "completed",
        12,
        9,
        2,
        1,
    )
    summary = json.loads(runs["summary"][0])
    assert summary["failures"] == [{"item": "https://x.test/a", "reason": "http_404"}]
    assert summary["per_source"] == {"Test Wire": 12}


def test_the_markdown_names_counts_actions_release_and_failures(tmp_path: Path) -> None:
    report = report_run(
        "pipeline",
        tmp_path / "w.duckdb",
        articles_new=3,
        events_coded=5,
        events_by_action={"CONSULT": 3, "ASSAULT": 2},
        release_version="2025.11.01.1",
        release_path="/releases/2025.11.01.1",
        failures=[Failure("article-1", "ValueError: bad | pipe")],
    )
    markdown = report.markdown()
    assert "# pipeline: completed" in markdown
    assert "| ASSAULT | 2 |" in markdown and "| CONSULT | 3 |" in markdown
    assert "`2025.11.01.1` at `/releases/2025.11.01.1`" in markdown
    assert "| article-1 | ValueError: bad \\| pipe |" in markdown
    assert "5 events coded" in markdown


def test_a_skipped_run_waits_in_the_journal_until_a_writer_reports(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"
    skipped = report_run("code", store_path, status="skipped", note="skipped: the working store is busy")
    assert not store_path.exists(), "a skipped run must not open the store"
    assert skipped.run_id in pending_journal_path(store_path).read_text()

    with writer_lock(store_path, wait_seconds=0):
        completed = report_run("code", store_path, events_coded=4)
    with Store(store_path) as store:
        rows = {r["run_id"]: r["status"] for r in store.table("runs").iter_rows(named=True)}
        assert flush_pending_runs(store) == 0
    assert rows == {skipped.run_id: "skipped", completed.run_id: "completed"}
    assert pending_journal_path(store_path).read_text() == ""


def runs_rows(store_path: Path) -> list[dict[str, Any]]:
    with Store(store_path) as store:
        return list(store.table("runs").iter_rows(named=True))


def test_a_run_holding_the_lock_reports_its_counts(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"

    def work(run: RunInProgress) -> dict[str, int]:
        assert run.store_path == store_path.resolve() and run.step == "code"
        return {"events_coded": 7}

    result = run_holding_lock(
        "code", store_path, lock_wait_seconds=0, work=work, counts=lambda r: r, on_skip=lambda busy: {}
    )
    assert result == {"events_coded": 7}
    [row] = runs_rows(store_path)
    assert (row["flow"], row["status"], row["events_coded"]) == ("code", "completed", 7)


def test_a_failing_run_names_its_step_and_error_then_raises(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"

    def work(run: RunInProgress) -> None:
        run.step = "publish"
        raise ValueError("the release folder is read-only")

    with pytest.raises(ValueError, match="read-only"):
        run_holding_lock(
            "pipeline", store_path, lock_wait_seconds=0, work=work, counts=lambda r: {}, on_skip=lambda busy: None
        )
    [row] = runs_rows(store_path)
    assert row["status"] == "failed"
    assert json.loads(row["summary"])["failures"] == [
        {"item": "publish", "reason": "ValueError: the release folder is read-only"}
    ]


def test_a_run_that_finds_the_store_busy_skips_without_working(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(store_path, wait_seconds=0, owner="ingest run A"):
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        worked: list[str] = []
        result = run_holding_lock(
            "ingest",
            store_path,
            lock_wait_seconds=0,
            work=lambda run: worked.append(run.flow),
            counts=lambda r: {},
            on_skip=lambda busy: f"skipped ({type(busy).__name__}: {busy})",
        )
    finally:
        release.set()
        holder.join(10)
    assert worked == []
    assert result.startswith(f"skipped ({StoreBusyError.__name__}") and "ingest run A" in result
    assert not store_path.exists(), "a skipped run must not open the store"
    [pending] = [json.loads(line) for line in pending_journal_path(store_path).read_text().splitlines()]
    assert (pending["flow"], pending["status"]) == ("ingest", "skipped")


def test_only_if_missing_keeps_a_row_the_run_wrote_itself(tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"
    report_run("publish", store_path, run_id="run-1", release_version="v1")
    report_run("publish", store_path, run_id="run-1", release_version="v2", only_if_missing=True)
    with Store(store_path) as store:
        assert store.table("runs")["release_version"].to_list() == ["v1"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"status": "done"}, "status must be one of"), ({"events_coded": -1}, "cannot be negative")],
    ids=["unknown-status", "negative-count"],
)
def test_a_wrong_report_is_refused(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(RunReportError, match=message):
        report_run("code", tmp_path / "w.duckdb", **kwargs)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (
            {"fetched": 10, "new": 7, "duplicates": 2, "quarantined": 1, "seen": 3},
            {"articles_fetched": 10, "articles_new": 7, "articles_duplicate": 2, "articles_quarantined": 1},
        ),
        (
            {"version": "2025.11.01.1", "path": "/r/2025.11.01.1", "events_quarantined": 2, "published": True},
            {"release_version": "2025.11.01.1", "release_path": "/r/2025.11.01.1", "events_quarantined": 2},
        ),
        ({"version": None, "new": [1, 2, 3]}, {"articles_new": 3}),
        ({"events_by_action": {"AID": 2}}, {"events_by_action": {"AID": 2}}),
    ],
    ids=["ingest-summary", "publish-summary", "lists-count-and-none-is-skipped", "actions"],
)
def test_counts_from_a_flow_summary(summary: dict[str, Any], expected: dict[str, Any]) -> None:
    assert counts_from_summary(summary) == expected


def test_a_run_in_a_flow_leaves_an_artifact(prefect_harness: None, tmp_path: Path) -> None:
    store_path = tmp_path / "w.duckdb"

    @flow(name="report-test")
    def reporting_flow() -> str:
        return report_run("code", store_path, articles_coded=2, events_coded=3, events_by_action={"AID": 3}).run_id

    run_id = reporting_flow()
    artifacts = artifacts_of(run_id)
    assert [a.key for a in artifacts] == ["eventwire-code"]
    assert artifacts[0].type == "markdown"
    assert "| AID | 3 |" in str(artifacts[0].data)
    with Store(store_path) as store:
        assert store.table("runs")["run_id"].to_list() == [run_id]
