"""`eventwire releases …` through the typer sub-app, as a user types it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli.releases_cli import releases_app
from flows.io.release import get_release, list_releases, write_release
from tests.flows.release_fixtures import make_corpus

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases: the second adds events from new articles."""
    root = tmp_path_factory.mktemp("cli") / "releases"
    base = make_corpus(articles=20, events_per_article=2, start=dt.date(2024, 4, 1), days=60, seed=31)
    more = base + make_corpus(articles=3, events_per_article=2, start=dt.date(2024, 5, 1), days=5, seed=32)
    write_release(root, base.events, base.articles, now=NOW)
    write_release(root, more.events, more.articles, now=NOW + dt.timedelta(hours=2))
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(releases_app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_release_and_marks_the_latest(releases: Path) -> None:
    code, out, _ = run("list", "--releases-dir", str(releases))
    assert code == 0
    lines = out.splitlines()
    second = next(line for line in lines if line.startswith("2026.11.25.2"))
    first = next(line for line in lines if line.startswith("2026.11.25.1"))
    assert "latest" in second and "latest" not in first
    assert lines.index(second) < lines.index(first), "newest first"
    assert "46" in second.split() and "+6" not in second


@pytest.mark.parametrize("flag", ["--releases-dir", "--releases"], ids=["releases-dir", "releases-as-publish-names-it"])
def test_list_as_json(releases: Path, flag: str) -> None:
    code, out, _ = run("list", "--json", flag, str(releases))
    rows = json.loads(out)
    assert code == 0
    assert [(r["version"], r["latest"], r["events"], r["added"]) for r in rows] == [
        ("2026.11.25.2", True, 46, 6),
        ("2026.11.25.1", False, 40, 40),
    ]


def test_show_names_parent_counts_and_reasons(releases: Path) -> None:
    code, out, _ = run("show", "2026.11.25.2", "--releases-dir", str(releases))
    assert code == 0
    assert "release 2026.11.25.2 (latest)" in out
    assert "parent: 2026.11.25.1" in out
    assert "added: new_article 6" in out


def test_diff_counts_and_sample_ids(releases: Path) -> None:
    code, out, _ = run("diff", "2026.11.25.1", "latest", "--releases-dir", str(releases), "--sample", "3")
    assert code == 0
    assert "2026.11.25.1 → 2026.11.25.2: 40 → 46 events" in out
    assert "added 6, changed 0, removed 0, unchanged 40" in out
    assert len([line for line in out.splitlines() if line.strip().startswith("A ")]) == 3


def test_verify_passes_on_intact_releases(releases: Path) -> None:
    code, out, _ = run("verify", "--all", "--deep", "--releases-dir", str(releases))
    assert code == 0
    assert out.count("files match the manifest") == 2


def test_verify_fails_loudly_naming_each_mismatched_file(tmp_path: Path) -> None:
    root = tmp_path / "releases"
    corpus = make_corpus(articles=5, events_per_article=2, seed=33)
    write_release(root, corpus.events, corpus.articles, now=NOW)
    release = get_release(root)
    damaged = [release.files_of("events")[0]["path"], "CODEBOOK.md"]
    for relative in damaged:
        path = release.path / relative
        path.chmod(0o644)
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    code, out, err = run("verify", "--releases-dir", str(root))
    assert code == 1
    assert err.startswith(f"error: ContentAddressError: release {release.version} FAILED verification: ")
    for relative in damaged:
        assert f"{relative}: sha256 differs" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "2031.01.01.1"], "no release 2031.01.01.1"),
        (["show", "yesterday"], "is not a release version"),
        (["verify"], "no release has been published"),
    ],
    ids=["unknown-version", "malformed-version", "nothing-published"],
)
def test_errors_are_messages_not_tracebacks(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = run(*args, "--releases-dir", str(tmp_path / "empty"))
    assert code == 1
    assert message in err and "Traceback" not in err


def test_prune_deletes_old_releases_and_regenerates_the_page(tmp_path: Path) -> None:
    root = tmp_path / "releases"
    corpus = make_corpus(articles=5, events_per_article=2, seed=34)
    for day in (1, 2, 3):
        write_release(root, corpus.events, corpus.articles, now=NOW.replace(day=day), force=True)
    code, out, _ = run("prune", "--keep", "1", "--no-keep-monthly", "--releases-dir", str(root))
    assert code == 0
    assert "deleted 2026.11.01.1" in out and "deleted 2026.11.02.1" in out
    assert [r.version for r in list_releases(root)] == ["2026.11.03.1"]
    page = (root / "index.html").read_text()
    assert "2026.11.03.1" in page and "2026.11.01.1" not in page
