"""The code step on Dask: a two-worker LocalCluster gives exactly the events of a sequential run,
and each worker process loads the coder once, whatever the number of batches it codes."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from flows.code import code, worker_coder
from flows.taskrunners import DaskConfigError, resolve_dask_cluster
from tests.flows.test_code_flow import TEST_ARTICLES, seed_store, stored_events

BATCH_SIZE = 2
"""Small batches, so that each worker codes several of them."""


@pytest.fixture(scope="module")
def sequential_events(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    worker_coder()
    store_path = tmp_path_factory.mktemp("sequential") / "working.duckdb"
    seed_store(store_path)
    started = time.perf_counter()
    summary = code(store_path=str(store_path), batch_size=BATCH_SIZE, dask_cluster="none")
    print(f"sequential code run: {time.perf_counter() - started:.1f} s, {summary.events_coded} events")
    events = stored_events(store_path)
    assert events.height > 0
    return events


@pytest.mark.slow
def test_a_local_cluster_codes_the_same_events_as_a_sequential_run(
    prefect_harness: None, tmp_path: Path, sequential_events: pl.DataFrame
) -> None:
    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    started = time.perf_counter()
    summary = code(store_path=str(store_path), batch_size=BATCH_SIZE, dask_cluster="local", dask_workers=2)
    print(f"LocalCluster(2) code run: {time.perf_counter() - started:.1f} s, {summary.events_coded} events")
    assert summary.articles_coded == len(TEST_ARTICLES)
    events = stored_events(store_path)
    assert events.equals(sequential_events)


@pytest.mark.slow
def test_an_existing_scheduler_from_the_environment_loads_the_coder_once_per_worker(
    prefect_harness: None, tmp_path: Path, sequential_events: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client, LocalCluster

    store_path = tmp_path / "working.duckdb"
    seed_store(store_path)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        monkeypatch.setenv("EVENTWIRE_DASK_CLUSTER", cluster.scheduler_address)
        summary = code(store_path=str(store_path), batch_size=BATCH_SIZE)
        loads = client.run(_coder_loads_here)
    assert summary.articles_coded == len(TEST_ARTICLES)
    assert stored_events(store_path).equals(sequential_events)
    batches = -(-len(TEST_ARTICLES) // BATCH_SIZE)
    assert batches > len(loads) == 2
    assert all(len(seconds) <= 1 for seconds in loads.values()), loads
    assert sum(len(seconds) for seconds in loads.values()) >= 1


def _coder_loads_here() -> list[float]:
    from flows.code import coder_loads

    return coder_loads()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("none", None),
        ("local", "local"),
        ("LOCAL", "local"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ],
    ids=["unset", "empty", "none", "local", "local-any-case", "scheduler-address"],
)
def test_dask_cluster_setting(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str | None) -> None:
    monkeypatch.delenv("EVENTWIRE_DASK_CLUSTER", raising=False)
    assert resolve_dask_cluster(value) == expected


def test_a_wrong_dask_setting_is_refused() -> None:
    with pytest.raises(DaskConfigError, match="scheduler address"):
        resolve_dask_cluster("bigcluster")
