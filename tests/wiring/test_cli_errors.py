"""Every error a user can cause or meet ends in one line on stderr, `error: <Name>: …`, exit 1.

The real `eventwire` command in a subprocess, against real damage: a store file cut short, a
folder this user cannot write (as root, the command runs without the capability that overrides
file modes), a full disk (a tmpfs of a few KiB mounted in a private mount namespace), sources
files that are malformed or mistyped, and releases that do not exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tests.flows.release_fixtures import fill_store, make_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTWIRE = [sys.executable, "-m", "flows"]
INBOX = REPO_ROOT / "data" / "samples" / "inbox"


@dataclass(frozen=True)
class Setup:
    """A command line, what runs it (a prefix), and the files it must leave byte for byte."""

    args: list[str]
    prefix: list[str] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    where: str = ""
    """Text the error line must contain: the file or folder it is about."""


def run_cli(args: list[str], prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), *EVENTWIRE, *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, check=False
    )


def make_store(path: Path) -> Path:
    """A small real working store (articles and events), closed and checkpointed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fill_store(path, make_corpus(articles=6, events_per_article=2, seed=15))
    return path


def without_mode_override() -> list[str]:
    """A prefix that makes file modes bind this process: as root, drop CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot refuse root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@cache
def _mount_namespace() -> tuple[str, ...] | None:
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    command = (unshare, "-m") if os.geteuid() == 0 else (unshare, "-rm")
    probe = subprocess.run([*command, "true"], capture_output=True, check=False)
    return command if probe.returncode == 0 else None


def on_full_disk(mount_point: Path, size: str = "40k") -> list[str]:
    """A prefix that runs the command with a tmpfs of `size` mounted at `mount_point`."""
    namespace = _mount_namespace()
    if namespace is None:
        pytest.skip("no private mount namespace here (unshare -m) to mount a small tmpfs in")
    mount_point.mkdir(parents=True, exist_ok=True)
    script = f'mount -t tmpfs -o size={size} tmpfs "$0" && exec "$@"'
    return [*namespace, "sh", "-c", script, str(mount_point)]


def cut_store(tmp: Path, keep: float) -> Path:
    store = make_store(tmp / "whole.duckdb")
    data = store.read_bytes()
    cut = tmp / "cut.duckdb"
    cut.write_bytes(data[: int(len(data) * keep)])
    return cut


def truncated_store(tmp: Path) -> Setup:
    cut = cut_store(tmp, keep=0.5)
    return Setup(["code", "--store", str(cut)], unchanged=[cut], where=str(cut))


def store_cut_inside_its_headers(tmp: Path) -> Setup:
    cut = cut_store(tmp, keep=0.0005)
    return Setup(["publish", "--store", str(cut), "--releases", str(tmp / "rel")], unchanged=[cut], where=str(cut))


def store_that_is_not_duckdb(tmp: Path) -> Setup:
    junk = tmp / "notes.duckdb"
    junk.write_text("these are my notes, not a database\n" * 500)
    return Setup(["ingest", "--store", str(junk)], unchanged=[junk], where=str(junk))


def read_only_releases_folder(tmp: Path) -> Setup:
    store = make_store(tmp / "store.duckdb")
    releases = tmp / "releases"
    releases.mkdir()
    releases.chmod(0o555)
    args = ["publish", "--store", str(store), "--releases", str(releases)]
    return Setup(args, prefix=without_mode_override(), where=str(releases))


def read_only_store_folder(tmp: Path) -> Setup:
    store = make_store(tmp / "working" / "store.duckdb")
    store.parent.chmod(0o555)
    return Setup(
        ["code", "--store", str(store)], prefix=without_mode_override(), unchanged=[store], where=str(store.parent)
    )


def full_disk_under_the_releases(tmp: Path) -> Setup:
    store = make_store(tmp / "store.duckdb")
    disk = tmp / "disk"
    args = ["publish", "--store", str(store), "--releases", str(disk / "releases")]
    return Setup(args, prefix=on_full_disk(disk), where=str(disk / "releases"))


def full_disk_under_the_store(tmp: Path) -> Setup:
    sources = tmp / "inbox.toml"
    sources.write_text(f'[[source]]\nname = "inbox"\nkind = "folder"\npath = "{INBOX}"\n')
    disk = tmp / "disk"
    args = ["ingest", "--sources", str(sources), "--store", str(disk / "store.duckdb")]
    return Setup(args, prefix=on_full_disk(disk), where=str(disk / "store.duckdb"))


def sources_file(text: str) -> Callable[[Path], Setup]:
    def setup(tmp: Path) -> Setup:
        sources = tmp / "sources.toml"
        sources.write_text(text)
        return Setup(["ingest", "--sources", str(sources), "--store", str(tmp / "store.duckdb")], where=str(sources))

    return setup


def missing_sources_file(tmp: Path) -> Setup:
    missing = tmp / "no-such-sources.toml"
    return Setup(["run", "--sources", str(missing), "--store", str(tmp / "store.duckdb")], where=str(missing))


def releases_command(*args: str, where: str | None = None) -> Callable[[Path], Setup]:
    """`eventwire releases …` on an empty releases folder; the line names it (or `where`)."""

    def setup(tmp: Path) -> Setup:
        releases = tmp / "releases"
        return Setup(["releases", *args, "--releases-dir", str(releases)], where=where or str(releases))

    return setup


FOLDER_SOURCE = f'[[source]]\nname = "inbox"\nkind = "folder"\npath = "{INBOX}"\n'


def prefect_server_that_cannot_start(tmp: Path) -> Setup:
    """The temporary Prefect server's database is in a folder that cannot exist."""
    sources = tmp / "sources.toml"
    sources.write_text(FOLDER_SOURCE)
    prefix = ["env", "PREFECT_SERVER_DATABASE_CONNECTION_URL=sqlite+aiosqlite:////proc/no-such-folder/prefect.db"]
    args = ["ingest", "--sources", str(sources), "--store", str(tmp / "store.duckdb")]
    return Setup(args, prefix=prefix, where="127.0.0.1")


CASES: dict[str, tuple[Callable[[Path], Setup], str]] = {
    "store-cut-short": (truncated_store, "StoreDamagedError"),
    "store-cut-inside-its-headers": (store_cut_inside_its_headers, "StoreDamagedError"),
    "store-not-a-duckdb-file": (store_that_is_not_duckdb, "StoreDamagedError"),
    "releases-folder-read-only": (read_only_releases_folder, "NotWritableError"),
    "store-folder-read-only": (read_only_store_folder, "NotWritableError"),
    "disk-full-writing-a-release": (full_disk_under_the_releases, "DiskFullError"),
    "disk-full-writing-the-store": (full_disk_under_the_store, "DiskFullError"),
    "sources-not-toml": (sources_file('[[source]\nname = "x"\n'), "SourceConfigError"),
    "sources-missing": (missing_sources_file, "SourceConfigError"),
    "sources-retries-two": (sources_file('[fetch]\nretries = "two"\n' + FOLDER_SOURCE), "SourceConfigError"),
    "sources-robots-yes": (sources_file('[fetch]\nrespect_robots = "yes"\n' + FOLDER_SOURCE), "SourceConfigError"),
    "sources-timeout-zero": (sources_file("[fetch]\nconnect_timeout = 0\n" + FOLDER_SOURCE), "SourceConfigError"),
    "sources-allow-hosts-text": (sources_file('[fetch]\nallow_hosts = "a"\n' + FOLDER_SOURCE), "SourceConfigError"),
    "sources-unknown-fetch-key": (sources_file("[fetch]\nretrys = 2\n" + FOLDER_SOURCE), "SourceConfigError"),
    "sources-max-items-text": (sources_file(FOLDER_SOURCE + 'max_items = "many"\n'), "SourceConfigError"),
    "sources-enabled-text": (sources_file(FOLDER_SOURCE + 'enabled = "no"\n'), "SourceConfigError"),
    "sources-tags-text": (sources_file(FOLDER_SOURCE + 'tags = "world"\n'), "SourceConfigError"),
    "sources-min-words-float": (sources_file("[defaults]\nmin_words = 2.5\n" + FOLDER_SOURCE), "SourceConfigError"),
    "prefect-server-cannot-start": (prefect_server_that_cannot_start, "TemporaryServerError"),
    "release-unknown": (releases_command("show", "2020.01.01.1"), "ReleaseNotFoundError"),
    "release-not-a-version": (releases_command("show", "NOPE", where="'NOPE'"), "ReleaseVersionError"),
    "release-none-published": (releases_command("verify"), "ReleaseNotFoundError"),
    "release-diff-unknown": (releases_command("diff", "2020.01.01.1", "latest"), "ReleaseNotFoundError"),
}


def _digests(paths: list[Path]) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in paths}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setup", "name"),
    [pytest.param(*case, id=case_id) for case_id, case in CASES.items()],
)
def test_an_error_is_one_line_naming_it(tmp_path: Path, setup: Callable[[Path], Setup], name: str) -> None:
    case = setup(tmp_path)
    before = _digests(case.unchanged)
    try:
        result = run_cli(case.args, case.prefix)
    finally:
        for folder in (tmp_path / "releases", tmp_path / "working"):
            if folder.exists():
                folder.chmod(0o755)
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {name}: "), lines[0]
    assert case.where in lines[0]
    assert "Traceback" not in result.stderr
    assert _digests(case.unchanged) == before, "the command changed a file it refused"


@pytest.mark.slow
def test_debug_shows_the_traceback_and_still_ends_in_the_line(tmp_path: Path) -> None:
    cut = cut_store(tmp_path, keep=0.5)
    before = cut.read_bytes()
    result = run_cli(["code", "--store", str(cut), "--debug"])
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "StoreDamagedError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: StoreDamagedError: ")
    assert cut.read_bytes() == before


def _named_errors() -> list[type[BaseException]]:
    """The errors the CLI prints as one line: `KNOWN_ERRORS`, the OS refusals it names, and the
    project's subclasses of either (a subclass's own name is what the line shows)."""
    from flows.errors import KNOWN_ERRORS, NAMED_OS_ERRORS

    found: list[type[BaseException]] = []
    pending = list(KNOWN_ERRORS + NAMED_OS_ERRORS)
    while pending:
        error = pending.pop(0)
        if error not in found:
            found.append(error)
            pending += [s for s in error.__subclasses__() if s.__module__.split(".")[0] in {"flows", "transforms"}]
    return found


ERRORS_SECTION = (REPO_ROOT / "docs" / "operations.md").read_text(encoding="utf-8").split("\n## Errors\n", 1)[1]


@pytest.mark.parametrize("error", _named_errors(), ids=lambda error: error.__name__)
def test_every_named_error_is_in_the_errors_table(error: type[BaseException]) -> None:
    assert f"`{error.__name__}`" in ERRORS_SECTION, f"docs/operations.md § Errors does not list {error.__name__}"


def _raised_from(error: BaseException, cause: BaseException) -> BaseException:
    try:
        raise error from cause
    except BaseException as raised:
        return raised


def _name_cases() -> dict[str, tuple[BaseException, str | None]]:
    import errno

    import duckdb

    from flows.io.store import StoreError
    from flows.sources.config import SourceConfigError

    full = OSError(errno.ENOSPC, "No space left on device")
    return {
        "full-disk-under-a-store-error": (_raised_from(StoreError("cannot write"), full), "DiskFullError"),
        "file-too-large": (OSError(errno.EFBIG, "File too large", "/data/x.parquet"), "DiskFullError"),
        "duckdb-commit-on-a-full-disk": (
            duckdb.TransactionException(
                'Failed to commit: Could not write file "/s.duckdb.wal": No space left on device'
            ),
            "DiskFullError",
        ),
        "read-only-file-system": (OSError(errno.EROFS, "Read-only file system", "/mnt/rel"), "NotWritableError"),
        "permission-denied-alone": (PermissionError(errno.EACCES, "Permission denied", "/rel/x"), "NotWritableError"),
        "a-known-error-keeps-its-words": (
            _raised_from(SourceConfigError("s.toml", "cannot read"), PermissionError(errno.EACCES, "denied")),
            "SourceConfigError",
        ),
        "duckdb-reads-a-damaged-block": (
            duckdb.IOException('Could not read enough bytes from file "/w/s.duckdb": attempted to read 262144 bytes'),
            "StoreDamagedError",
        ),
        "a-bug-has-no-name": (ValueError("something else"), None),
        "a-missing-file-elsewhere-is-a-bug": (_raised_from(KeyError("x"), FileNotFoundError(2, "gone")), None),
    }


@pytest.mark.parametrize(("error", "name"), list(_name_cases().values()), ids=list(_name_cases()))
def test_named_error_gives_the_name_that_says_what_to_do(error: BaseException, name: str | None) -> None:
    from flows.errors import error_line, named_error

    named = named_error(error)
    assert (type(named).__name__ if named is not None else None) == name
    if named is not None:
        assert error_line(named).startswith(f"error: {name}: ")
        assert "\n" not in error_line(named)
