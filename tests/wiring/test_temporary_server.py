"""The temporary Prefect server a flow command starts before its imports (`flows.cli.temporary_server`).

The real `eventwire` command in a subprocess with no Prefect server configured: its flow run is
a run of the temporary server, recorded in the Prefect database of the command's PREFECT_HOME
and in the working store, and the command ends with the server stopped.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli.temporary_server import start_early

REPO_ROOT = Path(__file__).resolve().parents[2]
INBOX = REPO_ROOT / "data" / "samples" / "inbox"


def _servers_of(home: Path) -> list[int]:
    """Processes still running with this PREFECT_HOME in their environment (a server left behind)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"PREFECT_HOME={home}".encode() in environ:
            found.append(int(proc.name))
    return found


@pytest.mark.slow
def test_a_flow_command_runs_against_the_server_it_started_and_stops_it(tmp_path: Path) -> None:
    home = tmp_path / "prefect-home"
    sources = tmp_path / "inbox.toml"
    sources.write_text(f'[[source]]\nname = "inbox"\nkind = "folder"\npath = "{INBOX}"\n')
    store = tmp_path / "store.duckdb"
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)

    result = subprocess.run(
        [sys.executable, "-m", "flows", "ingest", "--sources", str(sources), "--store", str(store)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "ingest: 5 discovered" in result.stdout
    with duckdb.connect(str(store), read_only=True) as con:
        ((run_id, flow, status),) = con.execute("SELECT run_id, flow, status FROM runs").fetchall()
    assert (flow, status) == ("ingest", "completed")
    with sqlite3.connect(home / "prefect.db") as prefect_db:
        recorded = prefect_db.execute("SELECT state_type FROM flow_run WHERE id = ?", [run_id]).fetchall()
    assert recorded == [("COMPLETED",)]
    assert _servers_of(home) == []


@pytest.mark.parametrize(
    "environ",
    [
        {"PREFECT_API_URL": "http://127.0.0.1:4200/api"},
        {"PREFECT_SERVER_EPHEMERAL_ENABLED": "false"},
    ],
    ids=["api-url-set", "temporary-servers-disabled"],
)
def test_no_server_is_started_when_prefect_is_told_to_use_none(environ: dict[str, str]) -> None:
    assert start_early(environ) is None
