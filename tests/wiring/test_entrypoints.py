"""prefect.yaml is sound without a server: every entrypoint is a flow, every parameter exists,
the schedules are the documented ones, runs start in the repository, overrides apply."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect import Flow

from flows.cli.serve import ServeError, deployment_file

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text())
DEPLOYMENTS = CONFIG["deployments"]
BY_NAME = {d["name"]: d for d in DEPLOYMENTS}


def load_flow(entrypoint: str) -> Flow:
    path, name = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_entrypoint_is_a_flow(deployment: dict[str, Any]) -> None:
    path, _ = deployment["entrypoint"].split(":")
    assert isinstance(load_flow(deployment["entrypoint"]), Flow)
    assert (REPO_ROOT / path).is_file()


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_deployment_parameters_are_parameters_of_the_flow(deployment: dict[str, Any]) -> None:
    accepted = set(inspect.signature(load_flow(deployment["entrypoint"]).fn).parameters)
    assert set(deployment.get("parameters") or {}) <= accepted


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_every_deployment_runs_on_the_process_pool(deployment: dict[str, Any]) -> None:
    assert deployment["work_pool"]["name"] == "eventwire"


def test_every_flow_module_is_deployed() -> None:
    deployed = {d["entrypoint"].split(":")[0] for d in DEPLOYMENTS}
    assert {"flows/pipeline.py", "flows/ingest.py", "flows/code.py", "flows/publish.py", "flows/recode.py"} <= deployed


@pytest.mark.parametrize(
    ("name", "schedule"),
    [
        ("ingest", {"interval": 900, "active": True}),
        ("code", {"interval": 900, "active": True}),
        ("publish", {"cron": "30 2 * * *", "timezone": "UTC", "active": True}),
    ],
    ids=["ingest-every-15-min", "code-every-15-min", "publish-daily"],
)
def test_default_schedules(name: str, schedule: dict[str, Any]) -> None:
    assert BY_NAME[name]["schedules"] == [schedule]


def test_runs_start_in_the_folder_prefect_deploy_ran_in() -> None:
    (build,) = CONFIG["build"]
    (pull,) = CONFIG["pull"]
    step = build["prefect.deployments.steps.run_shell_script"]
    assert step["script"] == "pwd"
    directory = pull["prefect.deployments.steps.set_working_directory"]["directory"]
    assert directory == "{{ " + step["id"] + ".stdout }}"


def test_without_overrides_the_file_is_deployed_as_it_is(tmp_path: Path) -> None:
    assert deployment_file({}, target_dir=tmp_path) == REPO_ROOT / "prefect.yaml"


def test_schedule_overrides_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "EVENTWIRE_INGEST_INTERVAL": "300",
        "EVENTWIRE_PUBLISH_CRON": "0 6 * * 1",
        "EVENTWIRE_SCHEDULES_ACTIVE": "false",
    }
    rendered = yaml.safe_load(deployment_file(environ, target_dir=tmp_path).read_text())
    by_name = {d["name"]: d for d in rendered["deployments"]}
    assert by_name["ingest"]["schedules"] == [{"interval": 300, "active": False}]
    assert by_name["code"]["schedules"] == [{"interval": 900, "active": False}]
    assert by_name["publish"]["schedules"] == [{"cron": "0 6 * * 1", "timezone": "UTC", "active": False}]
    assert rendered["pull"] == CONFIG["pull"]


@pytest.mark.parametrize("value", ["soon", "30"], ids=["not-a-number", "under-a-minute"])
def test_a_wrong_interval_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ServeError, match="EVENTWIRE_CODE_INTERVAL"):
        deployment_file({"EVENTWIRE_CODE_INTERVAL": value}, target_dir=tmp_path)
