"""The `eventwire` command as a user runs it: a real subprocess, real input, real output."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from flows.io.release import get_release, parquet_bytes, write_release
from tests.flows.release_fixtures import forge_file, make_corpus
from transforms.codebook import published_tables

REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTWIRE = [sys.executable, "-m", "flows"]

SENTENCES = [
    {
        "id": "visit",
        "text": "Japanese Prime Minister Shigeru Ishiba visited Australia on Tuesday.",
        "date": "2024-11-21",
    },
    {"id": "nothing", "text": "The weather in Geneva was mild for the time of year.", "date": "2024-11-21"},
    {"id": "no-date", "text": "Police arrested dozens of protesters in Tbilisi."},
]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EVENTWIRE, *args], input=stdin, capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    for command in ("run", "code-text", "extract", "releases"):
        assert command in result.stdout


@pytest.mark.slow
def test_code_text_reads_json_lines_and_writes_one_line_per_event() -> None:
    stdin = "\n".join(json.dumps(s) for s in SENTENCES) + "\n"
    result = run_cli("code-text", "--explain", stdin=stdin)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    by_id: dict[str, list[dict]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    visit = by_id["visit"]
    assert any(r["action"] == "CONSULT" and r["actor_country"] == "JPN" and r["target_country"] == "AUS" for r in visit)
    assert all(r["date"] == "2024-11-19" for r in visit if r["action"] == "CONSULT")
    assert "nothing" not in by_id
    assert all({"actor", "action", "target", "date", "confidence", "explanation"} <= r.keys() for r in rows)


def test_code_text_names_a_bad_line_instead_of_a_traceback() -> None:
    result = run_cli("code-text", stdin='{"id": "x", "text": "ok"}\nnot json\n')
    assert result.returncode != 0
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_input_file_is_a_message() -> None:
    result = run_cli("code-text", "no-such-file.jsonl")
    assert result.returncode != 0
    assert "no-such-file.jsonl" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["run", "ingest"])
def test_run_and_ingest_take_allow_host(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--allow-host" in result.stdout


def test_verify_names_a_forged_month_on_one_line_and_exits_1(tmp_path: Path) -> None:
    """A month rewritten after publishing, its manifest entry and SHA256SUMS rewritten to match
    (so `sha256sum -c` passes), fails `eventwire releases verify` with the one-line error."""
    root = tmp_path / "releases"
    corpus = make_corpus(articles=6, events_per_article=2, seed=51)
    write_release(root, corpus.events, corpus.articles, now=dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC))
    release = get_release(root)
    relative = release.files_of("events")[0]["path"]
    frame = pl.read_parquet(release.path / relative, hive_partitioning=False)
    data = parquet_bytes(frame.with_columns(pl.col("confidence") / 2), published_tables()["events"])
    forge_file(release.path, relative, data)
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=release.path, timeout=60).returncode == 0

    result = run_cli("releases", "verify", "--releases-dir", str(root))
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    what, where, remedy = (
        f"error: ContentAddressError: release {release.version} FAILED verification: {relative}: "
        "content does not match the sha256 prefix in its name",
        f", in {release.path}, ",
        "restore the folder from a copy of the release",
    )
    assert line.startswith(what) and where in line and remedy in line.split(where)[1]
