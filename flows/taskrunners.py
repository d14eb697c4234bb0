"""Where the code step runs its batches: in the flow's own process, or on a Dask cluster.

The choice is made per run, not per import: a flow parameter (`dask_cluster`) or, when that
is empty, the environment variable `EVENTWIRE_DASK_CLUSTER` of the process that runs the flow
(in a deployment: the work pool's or the deployment's `job_variables.env`). Values:

- empty or `none`: no Dask; batches are coded one after another in the flow run's process;
- `local`: a temporary `distributed.LocalCluster` with `dask_workers` worker processes;
- anything else: the address of a running Dask scheduler, e.g. `tcp://10.0.0.5:8786`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

DASK_CLUSTER_ENV = "EVENTWIRE_DASK_CLUSTER"
LOCAL_CLUSTER = "local"
NO_CLUSTER = ("", "none", "off", "sequential")


class DaskConfigError(ValueError):
    """The Dask setting names neither `local` nor a scheduler address."""


def resolve_dask_cluster(value: str | None) -> str | None:
    """The cluster to use for this run: the parameter, else $EVENTWIRE_DASK_CLUSTER; None for no Dask."""
    chosen = value if value is not None else os.environ.get(DASK_CLUSTER_ENV, "")
    chosen = chosen.strip()
    if chosen.lower() in NO_CLUSTER:
        return None
    if chosen.lower() == LOCAL_CLUSTER:
        return LOCAL_CLUSTER
    if "://" not in chosen and ":" not in chosen:
        raise DaskConfigError(
            f"dask cluster must be 'local', 'none' or a scheduler address like tcp://host:8786, not {chosen!r}"
        )
    return chosen


def dask_task_runner(cluster: str, *, workers: int = 2) -> DaskTaskRunner:
    """A DaskTaskRunner for `local` (a LocalCluster of `workers` processes) or a scheduler address.

    Local workers get one thread each: the coder (spaCy) is CPU-bound and not shared between
    threads, so parallelism comes from processes, each holding its own coder. prefect-dask (and
    Dask with it) is imported here, not with the module: a run without Dask does not pay for it.
    """
    from prefect_dask import DaskTaskRunner

    if cluster == LOCAL_CLUSTER:
        if workers < 1:
            raise DaskConfigError(f"a local cluster needs at least one worker, not {workers}")
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    return DaskTaskRunner(address=cluster)
