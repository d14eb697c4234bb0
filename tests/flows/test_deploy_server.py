"""A real Prefect server on 127.0.0.1: deploy `prefect.yaml`, start a worker, run a deployment.

This is what `make serve` does (the same functions from `flows/cli/serve.py`), against a temporary
PREFECT_HOME and an ephemeral port. The server's scheduler is off, so only the run the test
triggers executes: the `code` deployment, on a temporary store seeded with articles (the
pipeline on the samples is tested under the harness in test_pipeline.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.cli.serve import LocalPrefect, deploy_all, ensure_work_pool, free_port, start_worker, stop_process
from flows.io.store import Store
from tests.flows.test_code_flow import seed_store

RUN_TIMEOUT_SECONDS = 240
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalPrefect, dict[str, str], Path]]:
    root = tmp_path_factory.mktemp("deploy")
    server = LocalPrefect(
        home=root / "prefect-home",
        port=free_port(),
        extra_env={
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_WORKER_PREFETCH_SECONDS": "1",
            "PREFECT_LOGGING_LEVEL": "INFO",
        },
    )
    started = time.perf_counter()
    healthy_after = server.start()
    env = server.environment()
    worker = None
    try:
        ensure_work_pool("eventwire", env)
        deploy_started = time.perf_counter()
        deploy_all(env)
        print(
            f"server healthy after {healthy_after:.1f} s; deploy --all took {time.perf_counter() - deploy_started:.1f} s"
        )
        worker_log = (root / "worker.log").open("w")
        worker = start_worker("eventwire", env, stdout=worker_log)
        yield server, env, root
    finally:
        stop_process(worker)
        server.stop()
        print(f"deploy test total: {time.perf_counter() - started:.1f} s")


def _deployment(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.get(f"/deployments/name/{name}")
    response.raise_for_status()
    return response.json()


@pytest.mark.slow
def test_prefect_yaml_deploys_every_flow_with_its_schedule(deployed: tuple[LocalPrefect, dict[str, str], Path]) -> None:
    server, _, _ = deployed
    with httpx.Client(base_url=server.api_url, timeout=30) as api:
        schedules = {
            name: [s["schedule"] for s in _deployment(api, f"{name}/{name}")["schedules"]]
            for name in ("ingest", "code", "publish", "pipeline", "recode")
        }
        pull_steps = _deployment(api, "code/code")["pull_steps"]
    assert schedules["ingest"][0]["interval"] == 900
    assert schedules["code"][0]["interval"] == 900
    assert schedules["publish"][0]["cron"] == "30 2 * * *"
    assert schedules["pipeline"] == [] and schedules["recode"] == []
    working_directory = pull_steps[0]["prefect.deployments.steps.set_working_directory"]["directory"]
    assert Path(working_directory) == Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_deployment_run_on_the_worker_completes_and_stores_events(
    deployed: tuple[LocalPrefect, dict[str, str], Path],
) -> None:
    server, _, root = deployed
    store_path = root / "working.duckdb"
    articles = seed_store(store_path)
    started = time.perf_counter()
    with httpx.Client(base_url=server.api_url, timeout=30) as api:
        deployment = _deployment(api, "code/code")
        response = api.post(
            f"/deployments/{deployment['id']}/create_flow_run",
            json={"parameters": {"store_path": str(store_path)}},
        )
        response.raise_for_status()
        run_id = response.json()["id"]
        state = ""
        while time.perf_counter() - started < RUN_TIMEOUT_SECONDS:
            state = api.get(f"/flow_runs/{run_id}").json()["state"]["type"]
            if state in TERMINAL_STATES:
                break
            time.sleep(1)
    print(f"deployment run {run_id}: {state} after {time.perf_counter() - started:.1f} s")
    worker_log = (root / "worker.log").read_text()
    assert state == "COMPLETED", worker_log[-3000:]

    with Store(store_path) as store:
        assert store.count("events") > 0
        assert store.count("coded") == articles.height
        runs = store.frame("SELECT flow, status, run_id, articles_coded FROM runs")
    assert runs.rows() == [("code", "completed", run_id, articles.height)]
