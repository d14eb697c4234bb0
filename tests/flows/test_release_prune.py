"""Retention: which releases prune keeps, and that what it keeps still verifies."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.io.release import (
    INDEX_JSON,
    ReleaseError,
    get_release,
    list_releases,
    move_pointer,
    plan_prune,
    prune_releases,
    read_pointer,
    verify_release,
    version_key,
    write_release,
)
from tests.flows.release_fixtures import Corpus, make_corpus

VERSIONS = (
    "2026.09.10.1",
    "2026.09.20.1",
    "2026.10.05.1",
    "2026.10.25.1",
    "2026.10.25.2",
    "2026.11.01.1",
    "2026.11.02.1",
    "2026.11.03.1",
)


@pytest.fixture(scope="module")
def built_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    """Eight releases over three months, each adding a few events to one month of 2024; the
    releases folder and the corpus of the last release."""
    root = tmp_path_factory.mktemp("history") / "releases"
    corpus = make_corpus(articles=60, events_per_article=2, start=dt.date(2024, 1, 1), days=300, seed=21)
    for i, version in enumerate(VERSIONS):
        day = dt.date(int(version[:4]), int(version[5:7]), int(version[8:10]))
        extra = make_corpus(articles=2, events_per_article=2, start=dt.date(2024, 1 + i, 3), days=5, seed=100 + i)
        corpus = corpus + extra if i else corpus
        now = dt.datetime.combine(day, dt.time(6), dt.UTC)
        result = write_release(root, corpus.events, corpus.articles, now=now, version=version)
        assert result.published
    return root, corpus


@pytest.fixture
def history(built_history: tuple[Path, Corpus], tmp_path: Path) -> tuple[Path, Corpus]:
    """A copy of the built history for one test; `cp -a` keeps the hard links between releases."""
    source, corpus = built_history
    copy = tmp_path / "releases"
    subprocess.run(["cp", "-a", str(source), str(copy)], check=True)
    return copy, corpus


@pytest.fixture
def releases(history: tuple[Path, Corpus]) -> Path:
    return history[0]


def shared_files(root: Path) -> int:
    """How many release files share their inode with a file of another release."""
    inodes: dict[int, set[str]] = {}
    for path in root.glob("*/events/*/*/*.parquet"):
        inodes.setdefault(path.stat().st_ino, set()).add(path.relative_to(root).parts[0])
    return sum(1 for versions in inodes.values() if len(versions) > 1)


def test_prune_keeps_the_last_n_and_the_last_of_each_month(releases: Path) -> None:
    assert shared_files(releases) > 5, "the releases share months by hard links"
    plan = prune_releases(releases, keep_last=2, keep_monthly=True)
    kept = [r.version for r in list_releases(releases)]
    assert kept == ["2026.09.20.1", "2026.10.25.2", "2026.11.02.1", "2026.11.03.1"]
    assert plan.delete == ["2026.09.10.1", "2026.10.05.1", "2026.10.25.1", "2026.11.01.1"]
    assert "last of its month" in plan.keep["2026.09.20.1"]
    assert read_pointer(releases) == "2026.11.03.1"
    for release in list_releases(releases):
        verify_release(release, deep=True)
    assert shared_files(releases) > 0
    index = json.loads((releases / INDEX_JSON).read_text())
    assert [r["version"] for r in index["releases"]] == list(reversed(kept))


def test_prune_without_monthly_never_deletes_the_release_the_pointer_names(releases: Path) -> None:
    move_pointer(releases, "2026.10.05.1")
    prune_releases(releases, keep_last=1, keep_monthly=False)
    assert [r.version for r in list_releases(releases)] == ["2026.10.05.1", "2026.11.03.1"]
    verify_release(get_release(releases), deep=True)
    verify_release(get_release(releases, "2026.11.03.1"), deep=True)


def test_a_dry_run_deletes_nothing(releases: Path) -> None:
    plan = prune_releases(releases, keep_last=1, keep_monthly=False, dry_run=True)
    assert len(plan.delete) == len(VERSIONS) - 1
    assert [r.version for r in list_releases(releases)] == list(VERSIONS)


def test_keeping_nothing_is_refused(releases: Path) -> None:
    with pytest.raises(ReleaseError, match="at least"):
        prune_releases(releases, keep_last=0)


def test_publishing_after_a_prune_links_from_the_kept_parent(history: tuple[Path, Corpus]) -> None:
    releases, corpus = history
    prune_releases(releases, keep_last=1, keep_monthly=False)
    latest = get_release(releases)
    grown = corpus + make_corpus(articles=1, events_per_article=2, start=dt.date(2024, 12, 3), days=2, seed=500)
    result = write_release(releases, grown.events, grown.articles, now=dt.datetime(2026, 11, 4, tzinfo=dt.UTC))
    assert result.parent == latest.version
    new = get_release(releases)
    inodes_before = {(latest.path / f["path"]).stat().st_ino for f in latest.files_of("events")}
    inodes_after = {(new.path / f["path"]).stat().st_ino for f in new.files_of("events")}
    assert len(inodes_after - inodes_before) == 1, "only the new month (December) is a new file"
    assert inodes_before <= inodes_after
    verify_release(new, deep=True)


_versions = st.builds(
    lambda day, seq: f"{day:%Y.%m.%d}.{seq}",
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.integers(min_value=1, max_value=12),
)


@given(st.sets(_versions, min_size=1, max_size=40), st.integers(min_value=1, max_value=10), st.booleans(), st.data())
def test_retention_invariants(versions: set[str], keep_last: int, keep_monthly: bool, data: st.DataObject) -> None:
    ordered = sorted(versions, key=version_key)
    pointer = data.draw(st.sampled_from(ordered))
    plan = plan_prune(ordered, keep_last=keep_last, keep_monthly=keep_monthly, protected=[pointer])
    kept = set(plan.keep)
    assert kept.isdisjoint(plan.delete) and kept | set(plan.delete) == versions
    assert pointer in kept
    assert set(ordered[-keep_last:]) <= kept
    if keep_monthly:
        months: dict[tuple[int, int], str] = {}
        for v in ordered:
            months[version_key(v)[:2]] = v
        assert set(months.values()) <= kept
    else:
        assert kept == set(ordered[-keep_last:]) | {pointer}
