"""Work at scale: one task run per batch of articles (not two per article), nothing lost on
the way, and the progress a run reports to the command that started it.

The task runs are read back from the session's Prefect test server, per flow run.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections import Counter
from pathlib import Path
from uuid import UUID

import duckdb
import pytest

from flows import progress
from flows.cli.progress import LineSummary, run_progress
from flows.code import CODE_PROCESSES_ENV, code, placed_coder_version_on_disk, worker_coder
from flows.ingest import Candidate, ingest, obtain_and_extract
from flows.io.rawstore import RawStore
from flows.io.reference import coder_version_on_disk
from flows.sources.base import Discovered
from tests.flows.httpfaults import story_paragraphs
from tools.bench_pipeline import wire_story
from transforms.urls import article_id, canonical_url

STORIES = 12
BATCH = 5


def task_run_names(flow_run_id: UUID, expected: int) -> Counter[str]:
    """The names of the task runs of one flow run, once the server has recorded `expected`
    of them (task runs reach the server as events, a moment after the flow returns)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    names: Counter[str] = Counter()
    with get_client(sync_client=True) as client:
        for _ in range(100):
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            names = Counter(run.name.rsplit("-", 1)[0] for run in runs)
            if sum(names.values()) >= expected:
                break
            time.sleep(0.2)
    return names


def write_folder(folder: Path) -> None:
    """Twelve generated wire stories (the bench's), an empty file, and a JSON Lines file with
    two records and a broken line."""
    folder.mkdir()
    rng = random.Random(12)
    for number in range(STORIES):
        _, text = wire_story(number, rng)
        (folder / f"story-{number:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    records = [
        json.dumps({"id": "desk-1", "published": "2024-11-05", "text": wire_story(101, rng)[1]}),
        "{not json",
        json.dumps({"id": "desk-2", "published": "2024-11-06", "text": wire_story(102, rng)[1]}),
    ]
    (folder / "desk.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def batched_run(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> dict:
    """An ingest and a code run of the folder in batches of five, with their progress reports."""
    root = tmp_path_factory.mktemp("batches")
    write_folder(root / "inbox")
    sources = root / "sources.toml"
    sources.write_text(f'[[source]]\nname = "batch-inbox"\nkind = "folder"\npath = "{root / "inbox"}"\n')
    store = root / "eventwire.duckdb"
    reports = RecordingSink()
    with progress.reporting_to(reports):
        ingested = ingest(sources=str(sources), store_path=str(store), batch_size=BATCH, return_state=True)
        coded = code(store_path=str(store), batch_size=BATCH, return_state=True)
    return {
        "store": store,
        "ingest": ingested.result(),
        "ingest_run": ingested.state_details.flow_run_id,
        "code": coded.result(),
        "code_run": coded.state_details.flow_run_id,
        "reports": reports.calls,
    }


class RecordingSink:
    """A progress sink that keeps what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, object]] = []

    def start(self, step: str, total: int) -> None:
        self.calls.append(("start", step, total))

    def advance(self, step: str, count: int) -> None:
        self.calls.append(("advance", step, count))

    def finish(self, step: str, note: str) -> None:
        self.calls.append(("finish", step, note))


def test_ingest_makes_one_task_run_per_batch_not_per_article(batched_run: dict) -> None:
    # 12 stories + the empty file + 2 JSON Lines records = 15 to fetch: three batches of five.
    names = task_run_names(batched_run["ingest_run"], expected=4)
    assert names == Counter({"discover-source": 1, "fetch-and-extract": 3})


def test_code_makes_one_task_run_per_batch(batched_run: dict) -> None:
    # 14 articles stored (the empty file is quarantined): three batches, each coded and stored.
    names = task_run_names(batched_run["code_run"], expected=9)
    assert names == Counter(
        {"code-articles": 3, "store-events": 3, "load-coder": 1, "load-geocoder": 1, "find-articles-to-code": 1}
    )
    assert batched_run["code"].articles_coded == 14
    assert batched_run["code"].events_coded > 14, "the generated stories hold events"


def test_batching_loses_nothing(batched_run: dict) -> None:
    summary = batched_run["ingest"]
    assert (summary.discovered, summary.fetched, summary.new, summary.quarantined) == (15, 15, 14, 2)
    with duckdb.connect(str(batched_run["store"]), read_only=True) as con:
        stored = {url for (url,) in con.execute("SELECT url FROM articles WHERE status = 'ok'").fetchall()}
        quarantined = dict(con.execute("SELECT item, reason FROM quarantine").fetchall())
    files = {f"file://batch-inbox/story-{n:02d}.txt" for n in range(STORIES)}
    records = {"file://batch-inbox/desk.jsonl?id=desk-1", "file://batch-inbox/desk.jsonl?id=desk-2"}
    assert stored == files | records
    assert quarantined == {
        "file://batch-inbox/empty.txt": "no_text",
        "file://batch-inbox/desk.jsonl?line=2": "bad_json",
    }


def test_each_step_reports_its_progress_batch_by_batch(batched_run: dict) -> None:
    calls = batched_run["reports"]
    assert [c for c in calls if c[1] == "ingest"] == [
        ("start", "ingest", 15),
        ("advance", "ingest", 5),
        ("advance", "ingest", 5),
        ("advance", "ingest", 5),
        ("finish", "ingest", "14 new articles"),
    ]
    coded = [c for c in calls if c[1] == "code"]
    assert coded[0] == ("start", "code", 14)
    assert [c[2] for c in coded if c[0] == "advance"] == [5, 5, 4]
    assert coded[-1][0] == "finish" and coded[-1][2].startswith("14 articles, ")


def test_one_article_failing_in_a_batch_is_its_own_failure(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    good = root / "good.txt"
    good.write_text("A title\n\n" + "\n\n".join(story_paragraphs("good")), encoding="utf-8")

    def candidate(path: Path) -> Candidate:
        url = f"file://inbox/{path.name}"
        item = Discovered(url, "inbox", content_type="text/plain", local_path=str(path), local_root=str(root))
        return Candidate(item, canonical_url(url), article_id(canonical_url(url)))

    results = obtain_and_extract(
        [candidate(good), candidate(root / "gone.txt")], None, RawStore(tmp_path / "raw"), max_bytes=2**20
    )
    assert [r.obtained.candidate.item.url for r in results] == ["file://inbox/good.txt", "file://inbox/gone.txt"]
    assert results[0].failure is None and results[0].article is not None
    assert results[1].failure is not None and (results[1].failure.stage, results[1].failure.reason) == (
        "fetch",
        "unreadable",
    )


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_off_a_terminal_a_run_prints_one_summary_line() -> None:
    stream = io.StringIO()
    with run_progress(stream):
        progress.start("ingest", 3)
        progress.advance("ingest", 3)
        progress.finish("ingest", "3 new articles")
        progress.start("code", 3)
        progress.finish("code", "3 articles, 7 events")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("eventwire: ingest 3 new articles (") and ", code 3 articles, 7 events (" in lines[0]


def test_on_a_terminal_a_run_draws_a_bar_per_step() -> None:
    stream = Terminal()
    with run_progress(stream):
        progress.start("ingest", 4)
        progress.advance("ingest", 4)
        progress.finish("ingest", "4 new articles")
    drawn = stream.getvalue()
    assert "ingest" in drawn and "4/4" in drawn and "4 new articles" in drawn
    assert "eventwire:" not in drawn, "the bar replaces the summary line"


def test_reports_go_nowhere_once_the_command_is_done() -> None:
    summary = LineSummary()
    with progress.reporting_to(summary):
        progress.start("code", 2)
        progress.finish("code", "2 articles, 1 events")
    progress.start("ingest", 1)
    progress.finish("ingest", "1 new articles")
    assert list(summary.done) == ["code"]


def test_a_run_with_nothing_to_code_loads_no_coder(batched_run: dict) -> None:
    again = code(store_path=str(batched_run["store"]), batch_size=BATCH, return_state=True)
    assert again.result().articles_coded == 0
    assert task_run_names(again.state_details.flow_run_id, expected=1) == Counter({"find-articles-to-code": 1})


def test_the_coder_version_on_disk_is_the_loaded_coders() -> None:
    coder = worker_coder()
    assert coder_version_on_disk() == coder.own_version
    assert placed_coder_version_on_disk() == coder.version
    assert "+places." in coder.version


def coded_events(root: Path, processes: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The events of an ingest and a code run of 20 generated stories, coded in `processes`."""
    folder = root / "inbox"
    if not folder.exists():
        folder.mkdir()
        rng = random.Random(20)
        for number in range(20):
            (folder / f"story-{number:02d}.txt").write_text(wire_story(number, rng)[1], encoding="utf-8")
    sources = root / "sources.toml"
    sources.write_text(f'[[source]]\nname = "shared-inbox"\nkind = "folder"\npath = "{folder}"\n')
    store = root / f"coded-in-{processes}.duckdb"
    monkeypatch.setenv(CODE_PROCESSES_ENV, processes)
    ingest(sources=str(sources), store_path=str(store))
    assert code(store_path=str(store), batch_size=20).articles_coded == 20
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("SELECT * FROM events ORDER BY event_id").fetchall()


def test_coding_in_two_processes_gives_the_same_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    alone = coded_events(tmp_path, "1", monkeypatch)
    shared = coded_events(tmp_path, "2", monkeypatch)
    assert len(alone) > 20
    assert shared == alone
