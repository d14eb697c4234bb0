"""One writer at a time: the store lock across threads and processes, DuckDB's own refusal, and
two real overlapping flow runs, one of which waits or skips and says so."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.code import code, using_coder, worker_coder
from flows.io.locking import (
    StoreBusyError,
    holds_lock,
    lock_path_for,
    lock_wait_seconds,
    open_store,
    writer_lock,
)
from flows.runs import pending_journal_path
from tests.flows.test_code_flow import TEST_ARTICLES, runs_of, seed_store, stored_events

REPO_ROOT = Path(__file__).resolve().parents[2]


class GatedCoder:
    """The real coder, holding its first batch until the test opens the gate: a long run."""

    def __init__(self, coder: Any, gate: threading.Event) -> None:
        self.coder = coder
        self.version = coder.version
        self.gate = gate

    def code(self, articles: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        assert self.gate.wait(60), "the gate was never opened"
        yield from self.coder.code(articles)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "working.duckdb"


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    """A Python process that prints `ready` once it holds what it should, and lets go on stdin EOF."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _finish(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.communicate(timeout=20)


@pytest.fixture
def other_process_holding_the_lock(store_path: Path) -> Iterator[subprocess.Popen[str]]:
    script = (
        "import sys\nfrom flows.io.locking import writer_lock\n"
        "with writer_lock(sys.argv[1], wait_seconds=0, owner='ingest run 42'):\n"
        "    print('ready', flush=True)\n    sys.stdin.read()\n"
    )
    process = _start(script, str(store_path))
    yield process
    _finish(process)


@pytest.fixture
def other_process_with_duckdb_open(store_path: Path) -> Iterator[subprocess.Popen[str]]:
    seed_store(store_path)
    script = (
        "import sys, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
        "print('ready', flush=True)\nsys.stdin.read()\ncon.close()\n"
    )
    process = _start(script, str(store_path))
    yield process
    _finish(process)


def test_a_second_holder_in_another_thread_waits_then_gives_up(store_path: Path) -> None:
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(store_path, wait_seconds=0, owner="pipeline run A"):
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    started = time.monotonic()
    with pytest.raises(StoreBusyError, match="pipeline run A") as busy, writer_lock(store_path, wait_seconds=0.5):
        pass
    assert 0.5 <= time.monotonic() - started < 5
    assert busy.value.waited_seconds >= 0.5
    release.set()
    holder.join(10)
    with writer_lock(store_path, wait_seconds=0) as lock:
        assert not lock.reentered


def test_a_waiting_holder_gets_the_lock_when_it_is_released(store_path: Path) -> None:
    taken = threading.Event()

    def hold_briefly() -> None:
        with writer_lock(store_path, wait_seconds=0):
            taken.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    assert taken.wait(10)
    with writer_lock(store_path, wait_seconds=10) as lock:
        assert not lock.reentered
    holder.join(10)


def test_the_lock_is_reentrant_within_one_run_only(store_path: Path) -> None:
    with writer_lock(store_path, wait_seconds=0) as outer:
        assert holds_lock(store_path)
        with writer_lock(store_path, wait_seconds=0) as inner:
            assert inner.reentered and not outer.reentered
        assert holds_lock(store_path)
        errors: list[BaseException] = []

        def other_run() -> None:
            try:
                with writer_lock(store_path, wait_seconds=0):
                    pass
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=other_run)
        thread.start()
        thread.join(10)
        assert len(errors) == 1 and isinstance(errors[0], StoreBusyError)
    assert not holds_lock(store_path)


def test_another_process_holding_the_lock_is_named(store_path: Path, other_process_holding_the_lock: Any) -> None:
    with pytest.raises(StoreBusyError) as busy, writer_lock(store_path, wait_seconds=0.3):
        pass
    assert "ingest run 42" in busy.value.holder
    assert f"pid {other_process_holding_the_lock.pid}" in busy.value.holder
    assert lock_path_for(store_path).name == "working.duckdb.lock"


def test_duckdb_refusing_a_second_writer_becomes_store_busy(
    store_path: Path, other_process_with_duckdb_open: Any
) -> None:
    started = time.monotonic()
    with pytest.raises(StoreBusyError, match="DuckDB") as busy:
        open_store(store_path, wait_seconds=1)
    assert time.monotonic() - started >= 1
    assert f"PID {other_process_with_duckdb_open.pid}" in busy.value.holder


@pytest.mark.parametrize(
    ("explicit", "environment", "expected"),
    [(None, None, 300.0), (None, "12", 12.0), (5, "12", 5.0), (-1, None, 0.0)],
    ids=["default", "from-environment", "explicit-wins", "negative-is-zero"],
)
def test_lock_wait_setting(
    monkeypatch: pytest.MonkeyPatch, explicit: float | None, environment: str | None, expected: float
) -> None:
    if environment is None:
        monkeypatch.delenv("EVENTWIRE_LOCK_WAIT_SECONDS", raising=False)
    else:
        monkeypatch.setenv("EVENTWIRE_LOCK_WAIT_SECONDS", environment)
    assert lock_wait_seconds(explicit) == expected


def test_two_overlapping_code_runs_one_codes_the_other_skips(prefect_harness: None, store_path: Path) -> None:
    seed_store(store_path)
    gate = threading.Event()
    results: dict[str, Any] = {}

    def first_run() -> None:
        results["first"] = code(store_path=str(store_path), batch_size=1, lock_wait_seconds=0)

    first = threading.Thread(target=first_run)
    with using_coder(GatedCoder(worker_coder(), gate)):
        first.start()
        try:
            lock_file = lock_path_for(store_path)
            deadline = time.monotonic() + 60
            while "code run" not in (lock_file.read_text() if lock_file.exists() else ""):
                assert time.monotonic() < deadline, "the first run never took the lock"
                time.sleep(0.05)
            second = code(store_path=str(store_path), lock_wait_seconds=0.5)
        finally:
            gate.set()
            first.join(120)

    assert second.skipped and "code run" in second.skipped and "gave up after" in second.skipped
    assert second.articles_coded == 0
    assert results["first"].skipped is None
    assert results["first"].articles_coded == len(TEST_ARTICLES)
    events = stored_events(store_path)
    assert events["event_id"].is_unique().all()
    assert events.height == results["first"].events_coded

    # The skipped run did not open the store: its row waits in the journal for the next writer.
    third = code(store_path=str(store_path), lock_wait_seconds=0)
    assert third.articles_coded == 0
    runs = runs_of(store_path, "code")
    assert sorted(runs["status"].to_list()) == ["completed", "completed", "skipped"]
    assert "busy" in runs.filter(runs["status"] == "skipped")["summary"][0]
    assert pending_journal_path(store_path).read_text() == ""


def test_a_code_run_skips_while_another_process_has_the_store_open(
    prefect_harness: None, store_path: Path, other_process_with_duckdb_open: Any
) -> None:
    worker_coder()
    summary = code(store_path=str(store_path), lock_wait_seconds=1)
    assert summary.skipped is not None and "DuckDB" in summary.skipped
    _finish(other_process_with_duckdb_open)
    assert "code" in pending_journal_path(store_path).read_text()
