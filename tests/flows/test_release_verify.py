"""`releases verify` checks that every month of events holds what its name says, and reports the
releases that no pointer reaches, with what to do.

A month's file is named by the sha256 of its bytes (`content_file_name`): a file rewritten or
renamed after publishing is caught even when manifest.json and SHA256SUMS were rewritten to
agree with it. A release the pointer does not reach (a publish stopped between the rename and the
pointer move, or before index.json) is complete and verified, and the next publish repairs it:
a warning, not a failure (docs/releases.md, "what a crash leaves").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.io.release import (
    CONTENT_PREFIX_LENGTH,
    LATEST_LINK,
    NAME_MISMATCH,
    NOT_NAMED_BY_CONTENT,
    POINTER_FILE,
    UNPOINTED_VERIFY_REMEDY,
    ContentAddressError,
    Release,
    ReleaseNotFoundError,
    ReleaseVerifyError,
    check_content_name,
    get_release,
    parquet_bytes,
    pointer_warnings,
    verify_release,
    write_release,
)
from tests.flows.release_fixtures import Corpus, forge_file, make_corpus
from transforms.codebook import published_tables

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
FIRST, SECOND = "2026.11.25.1", "2026.11.25.2"
BEFORE_PLACES = Path(__file__).resolve().parents[1] / "fixtures" / "releases_before_places"


class SimulatedCrash(Exception):
    """Raised from the step hook to stop a publish where a crash would."""


@pytest.fixture(scope="module")
def corpora() -> tuple[Corpus, Corpus]:
    base = make_corpus(articles=12, events_per_article=2, start=dt.date(2024, 4, 1), days=60, seed=41)
    return base, base + make_corpus(articles=3, events_per_article=2, start=dt.date(2024, 5, 1), days=5, seed=42)


@pytest.fixture(scope="module")
def one_release(tmp_path_factory: pytest.TempPathFactory, corpora: tuple[Corpus, Corpus]) -> Path:
    root = tmp_path_factory.mktemp("verify") / "releases"
    write_release(root, corpora[0].events, corpora[0].articles, now=NOW)
    return root


@pytest.fixture
def releases(tmp_path: Path, one_release: Path) -> Path:
    """A copy of the one-release folder (copies, not links: damage stays in this test)."""
    root = tmp_path / "releases"
    shutil.copytree(one_release, root, symlinks=True)
    return root


def publish_second(root: Path, corpora: tuple[Corpus, Corpus], *, crash_after: str | None = None) -> None:
    """Publish the second corpus on top of the first; with `crash_after`, stop after that step."""
    expect_crash = pytest.raises(SimulatedCrash) if crash_after else contextlib.nullcontext()
    with expect_crash:
        write_release(
            root,
            corpora[1].events,
            corpora[1].articles,
            now=NOW + dt.timedelta(hours=2),
            on_step=_crash_at(crash_after),
        )


def _crash_at(step_name: str | None) -> Callable[[str], None]:
    def step(name: str) -> None:
        if name == step_name:
            raise SimulatedCrash(name)

    return step


# --- content-addressed names ----------------------------------------------------------------


def month(release: Release, index: int = 0) -> str:
    return str(release.files_of("events")[index]["path"])


def rewritten(release: Release, relative: str) -> bytes:
    """The month's events with every confidence halved, written as the release writer writes."""
    frame = pl.read_parquet(release.path / relative, hive_partitioning=False)
    return parquet_bytes(frame.with_columns(pl.col("confidence") / 2), published_tables()["events"])


def rewrite_consistently(release: Release) -> str:
    return forge_file(release.path, month(release), rewritten(release, month(release)))


def rename_to_another_hash(release: Release) -> str:
    relative = month(release)
    folder = relative.rpartition("/")[0]
    data = (release.path / relative).read_bytes()
    return forge_file(release.path, relative, data, rename_to=f"{folder}/{'0' * CONTENT_PREFIX_LENGTH}.parquet")


def rename_to_a_plain_name(release: Release) -> str:
    relative = month(release)
    data = (release.path / relative).read_bytes()
    return forge_file(release.path, relative, data, rename_to=relative.rpartition("/")[0] + "/events.parquet")


def rewrite_in_place(release: Release) -> str:
    relative = month(release)
    path = release.path / relative
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data[:-10] + b"0123456789")
    return relative


def rewrite_codebook_consistently(release: Release) -> str:
    data = (release.path / "CODEBOOK.md").read_bytes() + b"\nedited by hand\n"
    return forge_file(release.path, "CODEBOOK.md", data)


@pytest.mark.parametrize(
    ("damage", "error", "problems"),
    [
        (rewrite_consistently, ContentAddressError, [NAME_MISMATCH]),
        (rename_to_another_hash, ContentAddressError, [NAME_MISMATCH]),
        (rename_to_a_plain_name, ContentAddressError, [NOT_NAMED_BY_CONTENT]),
        (rewrite_in_place, ContentAddressError, [NAME_MISMATCH, "sha256 differs"]),
        # Only content-addressed names can catch a consistent rewrite; other files rely on the
        # manifest and SHA256SUMS (and a copy of them kept elsewhere, or a citation's sha256).
        (rewrite_codebook_consistently, None, []),
    ],
    ids=[
        "month-rewritten-manifest-and-sums-updated",
        "month-renamed-to-another-hash-manifest-updated",
        "month-renamed-to-a-plain-name-manifest-updated",
        "month-rewritten-in-place",
        "codebook-rewritten-manifest-and-sums-updated-passes",
    ],
)
def test_a_file_whose_name_does_not_match_its_content_fails_verification(
    releases: Path,
    damage: Callable[[Release], str],
    error: type[ReleaseVerifyError] | None,
    problems: list[str],
) -> None:
    damaged = damage(get_release(releases))
    release = get_release(releases)  # the manifest as the damage left it
    if error is None:
        verify_release(release, deep=True)
        return
    with pytest.raises(ReleaseVerifyError) as caught:
        verify_release(release)
    assert type(caught.value) is error
    assert [(p.path, p.problem) for p in caught.value.problems] == [(damaged, problem) for problem in problems]
    headline = caught.value.headline
    assert "\n" not in headline
    assert headline.startswith(f"release {FIRST} FAILED verification: {damaged}: {problems[0]}")
    assert f", in {release.path}, restore the folder from a copy of the release" in headline


@pytest.mark.parametrize(
    ("relative", "sha256", "expected"),
    [
        ("events/year=2024/month=04/" + "ab" * 8 + ".parquet", "ab" * 32, None),
        ("events/year=2024/month=04/" + "cd" * 8 + ".parquet", "ab" * 32, (NAME_MISMATCH, "cd" * 8, "ab" * 8)),
        (
            "events/year=2024/month=04/april.parquet",
            "ab" * 32,
            (NOT_NAMED_BY_CONTENT, "ab" * 8 + ".parquet", "april.parquet"),
        ),
        ("articles.parquet", "ab" * 32, None),
        ("CODEBOOK.md", "ab" * 32, None),
    ],
    ids=["name-matches", "name-of-other-content", "plain-name-under-events", "articles-not-content-named", "document"],
)
def test_which_files_are_named_by_content(relative: str, sha256: str, expected: tuple[str, str, str] | None) -> None:
    problem = check_content_name(relative, sha256)
    assert (None if problem is None else (problem.problem, problem.expected, problem.actual)) == expected


# --- releases no pointer reaches ------------------------------------------------------------


def crash_after_rename(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora, crash_after="renamed")


def crash_after_pointer_moved(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora, crash_after="pointer_moved")


def first_publish_crash_after_rename(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    shutil.rmtree(root)
    with pytest.raises(SimulatedCrash):
        write_release(root, corpora[0].events, corpora[0].articles, now=NOW, on_step=_crash_at("renamed"))


def latest_link_left_behind(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora)
    (root / LATEST_LINK).unlink()
    os.symlink(FIRST, root / LATEST_LINK, target_is_directory=True)


def release_deleted_by_hand(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora)
    shutil.rmtree(root / FIRST)


def published_cleanly(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora)


def latest_release_deleted_by_hand(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    publish_second(root, corpora)
    shutil.rmtree(root / SECOND)


STOPPED = "a publish stopped before moving it"

POINTER_CASES = [
    pytest.param(published_cleanly, [], id="published-cleanly"),
    pytest.param(
        crash_after_rename,
        [
            (
                "unpointed",
                SECOND,
                f"release {SECOND} is not reached by the pointer ({POINTER_FILE} names the older {FIRST}: {STOPPED})",
            ),
            ("stale_index", None, f"index.json does not list {SECOND}"),
        ],
        id="publish-crashed-before-moving-the-pointer",
    ),
    pytest.param(
        crash_after_pointer_moved,
        [
            (
                "stale_index",
                None,
                f"index.json does not list {SECOND}; index.json names {FIRST} as the latest, not {SECOND}",
            )
        ],
        id="publish-crashed-before-writing-the-index",
    ),
    pytest.param(
        first_publish_crash_after_rename,
        [
            (
                "unpointed",
                FIRST,
                f"release {FIRST} is not reached by the pointer (there is no {POINTER_FILE} pointer: {STOPPED})",
            ),
            ("stale_index", None, "index.json is missing or unreadable"),
        ],
        id="first-publish-crashed-before-the-pointer",
    ),
    pytest.param(
        latest_link_left_behind,
        [("stale_link", SECOND, f"the latest link names {FIRST}, but {POINTER_FILE} names {SECOND}")],
        id="latest-link-left-behind",
    ),
    pytest.param(
        release_deleted_by_hand,
        [("stale_index", None, f"index.json lists {FIRST}, no longer in the folder")],
        id="release-deleted-by-hand",
    ),
]


@pytest.mark.parametrize(("state", "expected"), POINTER_CASES)
def test_releases_no_pointer_reaches_are_reported_and_the_remedy_repairs_them(
    releases: Path,
    corpora: tuple[Corpus, Corpus],
    state: Callable[[Path, tuple[Corpus, Corpus]], None],
    expected: list[tuple[str, str | None, str]],
) -> None:
    state(releases, corpora)
    warnings = pointer_warnings(releases)
    assert [(w.kind, w.version, w.what) for w in warnings] == expected
    for warning in warnings:
        assert "\n" not in str(warning) and f", in {warning.where}, " in str(warning)
        follow_remedy(warning.remedy, releases, corpora)
    assert pointer_warnings(releases) == []


def follow_remedy(remedy: str, root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    """Do what the warning says: publish again (the store's data, unchanged), or run the command."""
    if remedy.startswith("run eventwire publish"):
        write_release(root, corpora[1].events, corpora[1].articles, now=NOW + dt.timedelta(hours=3))
    else:
        command = remedy.split(": ", 1)[1]
        assert command.startswith("ln -sfn ")
        subprocess.run(shlex.split(command), check=True, timeout=30)


def test_a_damaged_unpointed_release_says_delete_it_and_the_next_publish_then_succeeds(
    releases: Path, corpora: tuple[Corpus, Corpus]
) -> None:
    """Publish stops at a release newer than the pointer that does not verify, so "publish
    again" cannot be the advice there: delete the folder (it was never published), then publish."""
    crash_after_rename(releases, corpora)
    rewrite_consistently(get_release(releases, SECOND))
    with pytest.raises(ContentAddressError) as verified:
        verify_release(get_release(releases, SECOND))
    with pytest.raises(ContentAddressError) as published:
        write_release(releases, corpora[1].events, corpora[1].articles, now=NOW + dt.timedelta(hours=3))
    for caught in (verified, published):
        assert caught.value.remedy == UNPOINTED_VERIFY_REMEDY
        assert caught.value.headline.endswith(f", in {releases / SECOND}, {UNPOINTED_VERIFY_REMEDY}")
    shutil.rmtree(releases / SECOND)
    result = write_release(releases, corpora[1].events, corpora[1].articles, now=NOW + dt.timedelta(hours=3))
    assert (result.published, result.version, result.parent) == (True, SECOND, FIRST)
    verify_release(get_release(releases), deep=True)
    assert pointer_warnings(releases) == []


# --- the command ----------------------------------------------------------------------------


def forged(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    rewrite_consistently(get_release(root))


def copied_before_places(root: Path, corpora: tuple[Corpus, Corpus]) -> None:
    shutil.rmtree(root)
    shutil.copytree(BEFORE_PLACES, root, symlinks=True)


@pytest.mark.parametrize(
    ("state", "args", "exit_code", "stderr_starts"),
    [
        (
            latest_release_deleted_by_hand,
            ["--all"],
            1,
            [
                f"warning: index.json lists {SECOND}, no longer in the folder",
                f"error: ReleaseNotFoundError: {POINTER_FILE} names release {SECOND}, but that release's folder is "
                "not there",
            ],
        ),
        (published_cleanly, ["--all", "--deep"], 0, []),
        (copied_before_places, ["--all", "--deep"], 0, []),
        (forged, [], 1, [f"error: ContentAddressError: release {FIRST} FAILED verification: events/"]),
        (
            crash_after_rename,
            [],
            0,
            [f"warning: release {SECOND} is not reached by the pointer", "warning: index.json does not list"],
        ),
        (
            crash_after_rename,
            ["--all"],
            0,
            [f"warning: release {SECOND} is not reached by the pointer", "warning: index.json does not list"],
        ),
    ],
    ids=[
        "latest-names-a-deleted-release-exit-1",
        "clean-releases-pass",
        "release-from-before-the-places-passes",
        "forged-month-one-line-error-exit-1",
        "unpointed-release-warns-exit-0",
        "unpointed-release-verified-with-all",
    ],
)
def test_verify_command(
    releases: Path,
    corpora: tuple[Corpus, Corpus],
    state: Callable[[Path, tuple[Corpus, Corpus]], None],
    args: list[str],
    exit_code: int,
    stderr_starts: list[str],
) -> None:
    state(releases, corpora)
    result = CliRunner().invoke(app, ["releases", "verify", *args, "--releases-dir", str(releases)])
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(stderr_starts), result.stderr
    for line, start in zip(lines, stderr_starts, strict=True):
        assert line.startswith(start)
    if exit_code == 0:
        assert "files match the manifest" in result.stdout


@pytest.mark.parametrize("left", [1, 0], ids=["an-older-release-is-left", "no-release-is-left"])
def test_latest_naming_a_missing_release_says_how_to_point_it_and_that_works(
    releases: Path, corpora: tuple[Corpus, Corpus], left: int
) -> None:
    """LATEST names a folder that is gone: `verify --all`, `verify` and a publish all refuse in
    one line whose command (point LATEST at the newest release there, or remove it) repairs it."""
    latest_release_deleted_by_hand(releases, corpora)
    if not left:
        shutil.rmtree(releases / FIRST)
    pointer = releases / POINTER_FILE
    for args in (["--all"], []):
        result = CliRunner().invoke(app, ["releases", "verify", *args, "--releases-dir", str(releases)])
        assert result.exit_code == 1, result.output
        error = result.stderr.splitlines()[-1]
        assert error.startswith(f"error: ReleaseNotFoundError: {POINTER_FILE} names release {SECOND}, but ")
        assert f", in {pointer}, " in error
    with pytest.raises(ReleaseNotFoundError) as refused:
        write_release(releases, corpora[1].events, corpora[1].articles, now=NOW + dt.timedelta(hours=3))
    (command,) = re.findall(r"\((printf [^)]+|rm [^)]+)\)", str(refused.value))
    assert command == (f"printf '%s\\n' {FIRST} > {pointer}" if left else f"rm {pointer}")
    subprocess.run(command, shell=True, check=True, timeout=30)
    result = write_release(releases, corpora[1].events, corpora[1].articles, now=NOW + dt.timedelta(hours=3))
    assert result.version == (SECOND if left else FIRST)
    assert pointer_warnings(releases) == []
    verified = CliRunner().invoke(app, ["releases", "verify", "--all", "--releases-dir", str(releases)])
    assert verified.exit_code == 0, verified.output
