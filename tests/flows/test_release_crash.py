"""Crash safety: a publish that dies at any step leaves the previous release and the pointer
as they were, and the next run succeeds."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.io.release import (
    INDEX_JSON,
    POINTER_FILE,
    STAGING_PREFIX,
    STEPS,
    get_release,
    list_releases,
    read_events,
    read_pointer,
    sha256_file,
    verify_release,
    write_release,
)
from tests.flows.release_fixtures import Corpus, fill_store, make_corpus

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
REPO_ROOT = Path(__file__).resolve().parents[2]


class SimulatedCrash(Exception):
    """Raised from the step hook to stop a publish where a crash would."""


@pytest.fixture(scope="module")
def corpora() -> tuple[Corpus, Corpus]:
    before = make_corpus(articles=40, events_per_article=3, start=dt.date(2024, 3, 1), days=120, seed=11)
    more = make_corpus(articles=6, events_per_article=2, start=dt.date(2024, 6, 1), days=20, seed=12)
    return before, before + more


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """sha256 and inode of every file of the releases folder except staging and the lock."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(STAGING_PREFIX) and not relative.startswith(".publish.lock"):
            files[relative] = (sha256_file(path), path.stat().st_ino)
    return files


def staging_folders(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]


@pytest.mark.parametrize("crash_after", STEPS)
def test_a_crash_after_any_step_keeps_the_previous_release_and_the_next_run_succeeds(
    tmp_path: Path, corpora: tuple[Corpus, Corpus], crash_after: str
) -> None:
    before, after = corpora
    root = tmp_path / "releases"
    write_release(root, before.events, before.articles, now=NOW)
    first = get_release(root)
    files_before = snapshot(root)

    def crash(step: str) -> None:
        if step == crash_after:
            raise SimulatedCrash(step)

    with pytest.raises(SimulatedCrash):
        write_release(root, after.events, after.articles, now=NOW + dt.timedelta(days=1), on_step=crash)

    assert staging_folders(root) == []
    verify_release(first, deep=True)
    files_now = snapshot(root)
    for relative, (digest, inode) in files_before.items():
        if relative.startswith(first.version + "/"):
            assert files_now[relative] == (digest, inode), relative
    pointer = read_pointer(root)
    if STEPS.index(crash_after) < STEPS.index("pointer_moved"):
        assert pointer == first.version
        assert (root / POINTER_FILE).read_text() == first.version + "\n"
        assert json.loads((root / INDEX_JSON).read_text())["latest"] == first.version
    else:
        assert pointer == "2026.11.26.1"
    verify_release(get_release(root), deep=True)

    rerun = write_release(root, after.events, after.articles, now=NOW + dt.timedelta(days=2))
    latest = get_release(root)
    verify_release(latest, deep=True)
    assert read_events(latest).height == after.events.height
    assert staging_folders(root) == []
    if STEPS.index(crash_after) < STEPS.index("renamed"):
        assert rerun.published and rerun.version == "2026.11.27.1" and rerun.parent == first.version
    else:
        assert not rerun.published, "the release renamed into place before the crash is kept and pointed to"
        assert latest.version == "2026.11.26.1"
    assert json.loads((root / INDEX_JSON).read_text())["latest"] == latest.version


def test_staging_left_by_a_dead_run_is_removed_by_the_next(tmp_path: Path, corpora: tuple[Corpus, Corpus]) -> None:
    before, _ = corpora
    root = tmp_path / "releases"
    leftover = root / f"{STAGING_PREFIX}2026.11.25.1-999999" / "events"
    leftover.mkdir(parents=True)
    (leftover / "half.parquet").write_bytes(b"PAR1 and then nothing")
    (root / ".LATEST.tmp-999999").write_text("2026.11.25.1")
    result = write_release(root, before.events, before.articles, now=NOW)
    assert result.published and result.leftovers_removed == 2
    assert staging_folders(root) == []
    assert not list(root.glob(".*.tmp-*"))
    assert [r.version for r in list_releases(root)] == ["2026.11.25.1"]


_KILLED_PUBLISH = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import flows.io.release

    store_path, releases_dir, marker = sys.argv[1:4]
    real_build = flows.io.release.build_duckdb

    def slow_build(path, tables, frames):
        real_build(path, tables, frames)
        Path(marker).write_text("building")
        time.sleep(120)

    flows.io.release.build_duckdb = slow_build
    from flows.publish import publish
    publish(store_path=store_path, releases_dir=releases_dir)
    """
)


@pytest.mark.slow
def test_sigkill_during_publish_leaves_the_previous_release_and_the_next_run_succeeds(
    prefect_harness: None, tmp_path: Path, corpora: tuple[Corpus, Corpus]
) -> None:
    from prefect.settings import PREFECT_API_URL

    from flows.publish import publish

    before, after = corpora
    store = tmp_path / "working" / "eventwire.duckdb"
    root = tmp_path / "releases"
    fill_store(store, before)
    first = publish(store_path=str(store), releases_dir=str(root))
    files_before = snapshot(root)
    fill_store(store, after)

    marker = tmp_path / "marker"
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_PUBLISH, str(store), str(root), str(marker)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"the publish subprocess ended before the kill point:\n{output[-3000:]}")
            assert time.monotonic() < deadline, "the publish subprocess never reached the kill point"
            time.sleep(0.1)
        assert staging_folders(root), "the kill comes while the release is being staged"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert read_pointer(root) == first.version
    assert snapshot(root) == files_before
    verify_release(get_release(root, first.version), deep=True)

    second = publish(store_path=str(store), releases_dir=str(root))
    assert second.published and second.parent == first.version
    assert second.added == after.events.height - before.events.height
    assert staging_folders(root) == []
    verify_release(get_release(root), deep=True)
