"""The `eventwire` command as a user runs it: a real subprocess, real input, real output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
