"""Release folders: write one atomically, read them, verify them, prune old ones.

A release is `releases/<version>/`, a folder that never changes once it is in place:

    events/year=YYYY/month=MM/<sha256 prefix>.parquet   one file per month, named by its content
    articles.parquet                                    article metadata (text only if allowed)
    eventwire.duckdb                                    tables, views, COMMENT ON everything
    manifest.json                                       version, parent, counts, schema, sha256 of every file
    CHANGES.md, changes.json                            what changed since the parent, and why
    datapackage.json, CODEBOOK.md, CITATION.cff
    SHA256SUMS                                          for `sha256sum -c` (lists manifest.json too)

It is written under `releases/.staging-<version>-<pid>/`, checked on disk (re-hashed, re-read,
re-validated, the DuckDB file opened read-only), and only then renamed into place; the pointer
(`releases/LATEST`, and the `latest` symlink) moves after that, by atomic replace. A crash at any
point leaves the previous release and the pointer as they were; the next run removes the
staging folder. A month whose events did not change is hard-linked from the parent release
instead of written again (copied where hard links are impossible), so each folder stands alone.

Version names are `YYYY.MM.DD.N`: the UTC date of publishing and a sequence number from 1 for
that day. They sort as tuples of integers (`sort -V`), and `version_key` gives that order.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import errno
import fcntl
import functools
import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandera.errors
import pandera.polars as pa
import polars as pl

from flows.io.store import connect
from flows.settings import DEFAULT_RELEASES_DIR
from schemas.events import Events
from schemas.places import ArticlePlaces
from transforms.changes import (
    EventChanges,
    changes_json_text,
    diff_events,
    render_changes_markdown,
)
from transforms.codebook import (
    GEONAMES_CREDIT,
    TableSpec,
    frictionless_fields,
    manifest_schema,
    published_tables,
    render_codebook,
)
from transforms.release_views import VIEWS, comment_statements, create_table_sql, quote_identifier, sql_string

RELEASE_FORMAT = "eventwire-release/1"
POINTER_FILE = "LATEST"
LATEST_LINK = "latest"
INDEX_JSON = "index.json"
LOCK_FILE = ".publish.lock"
STAGING_PREFIX = ".staging-"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
DUCKDB_FILE = "eventwire.duckdb"
ARTICLES_FILE = "articles.parquet"
ARTICLE_PLACES_FILE = "article_places.parquet"
EVENTS_DIR = "events"
CONTENT_PREFIX_LENGTH = 16
PARQUET_ROW_GROUP_SIZE = 100_000
PARQUET_COMPRESSION_LEVEL = 9

VERSION_PATTERN = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})\.([1-9]\d*)$")
CONTENT_ADDRESSED_NAME = re.compile(rf"^([0-9a-f]{{{CONTENT_PREFIX_LENGTH}}})\.parquet$")

STEPS: tuple[str, ...] = (
    "parent_read",
    "events_written",
    "articles_written",
    "duckdb_written",
    "documents_written",
    "manifest_written",
    "verified",
    "renamed",
    "pointer_moved",
    "index_written",
)
"""The steps of `write_release`, in order; `on_step` is called after each one."""

try:
    from importlib.metadata import version as _package_version

    EVENTWIRE_VERSION = _package_version("eventwire")
except Exception:  # the package metadata is missing when run from a bare checkout
    EVENTWIRE_VERSION = "0.0.0+unknown"


class ReleaseError(RuntimeError):
    """A release cannot be written, read or found."""


class ReleaseNotFoundError(ReleaseError):
    """No release of that version (or no release at all) in the releases folder."""


class ReleaseVersionError(ReleaseError):
    """A version name does not follow `YYYY.MM.DD.N`, exists already, or does not sort after the parent."""


class ReleaseLockedError(ReleaseError):
    """Another process is publishing or pruning in this releases folder."""


@dataclass(frozen=True)
class FileProblem:
    """One file of a release that does not match its manifest."""

    path: str
    problem: str
    expected: str | None = None
    actual: str | None = None

    def __str__(self) -> str:
        if self.expected is None and self.actual is None:
            return f"{self.path}: {self.problem}"
        return f"{self.path}: {self.problem} (expected {self.expected}, found {self.actual})"


NAME_MISMATCH = "content does not match the sha256 prefix in its name"
NOT_NAMED_BY_CONTENT = "not named by its content"
CONTENT_NAME_PROBLEMS = (NAME_MISMATCH, NOT_NAMED_BY_CONTENT)
"""The problems of a content-addressed file whose name and bytes disagree (`check_content_name`)."""

VERIFY_REMEDY = (
    "restore the folder from a copy of the release (a published release never changes); "
    "without one, publish a fresh release (eventwire publish --force) and then delete this folder"
)

UNPOINTED_VERIFY_REMEDY = (
    "the pointer never reached this release, so it was never published: delete the folder, then publish again"
)


class ReleaseVerifyError(ReleaseError):
    """Files of a release do not match its manifest (changed, missing, unexpected or unreadable).

    The message's first line says what failed, where, and what to do; when there is more than one
    problem, every problem follows on a line of its own.
    """

    def __init__(
        self, version: str, problems: Sequence[FileProblem], *, where: str | None = None, remedy: str = VERIFY_REMEDY
    ) -> None:
        self.version = version
        self.problems = list(problems)
        self.where = where or f"release {version}"
        self.remedy = remedy
        listing = "".join(f"\n  {p}" for p in self.problems) if len(self.problems) > 1 else ""
        super().__init__(self.headline + listing)

    @property
    def headline(self) -> str:
        """One line: `<what>, <where>, <what to do>`."""
        more = f" and {len(self.problems) - 1} more problem(s)" if len(self.problems) > 1 else ""
        first = self.problems[0] if self.problems else "no problem named"
        return f"release {self.version} FAILED verification: {first}{more}, in {self.where}, {self.remedy}"


class ContentAddressError(ReleaseVerifyError):
    """A content-addressed file (a month of events) holds bytes whose sha256 does not start with
    the prefix in its name: it was rewritten or renamed after publishing, even where the manifest
    and SHA256SUMS were rewritten to agree with it. Its problems come first."""


def verify_error(
    version: str, problems: Sequence[FileProblem], *, where: str | None = None, remedy: str = VERIFY_REMEDY
) -> ReleaseVerifyError:
    """The named error for these problems: `ContentAddressError` when a file's name and content
    disagree (those problems first), `ReleaseVerifyError` otherwise."""
    naming = [p for p in problems if p.problem in CONTENT_NAME_PROBLEMS]
    if not naming:
        return ReleaseVerifyError(version, problems, where=where, remedy=remedy)
    others = [p for p in problems if p.problem not in CONTENT_NAME_PROBLEMS]
    return ContentAddressError(version, naming + others, where=where, remedy=remedy)


def resolve_releases_dir(releases_dir: str | Path | None) -> Path:
    """The releases folder: the one given, or `data/releases` in the repository."""
    return Path(releases_dir) if releases_dir is not None else DEFAULT_RELEASES_DIR


def is_version(name: str) -> bool:
    return VERSION_PATTERN.match(name) is not None


def version_key(version: str) -> tuple[int, int, int, int]:
    """The sort key of a version name: (year, month, day, sequence)."""
    match = VERSION_PATTERN.match(version)
    if match is None:
        raise ReleaseVersionError(
            f"{version!r} is not a release version: give one as YYYY.MM.DD.N (e.g. 2026.11.25.1) or 'latest'"
        )
    year, month, day, sequence = (int(g) for g in match.groups())
    return year, month, day, sequence


def version_date(version: str) -> dt.date:
    year, month, day, _ = version_key(version)
    return dt.date(year, month, day)


def next_version(existing: Iterable[str], day: dt.date) -> str:
    """The next version name for `day`: one more than the highest sequence of that day."""
    sequences = [
        version_key(v)[3] for v in existing if is_version(v) and version_key(v)[:3] == (day.year, day.month, day.day)
    ]
    return f"{day:%Y.%m.%d}.{max(sequences, default=0) + 1}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Release:
    """A release folder in place, with its manifest."""

    version: str
    path: Path
    manifest: dict[str, Any]

    @property
    def parent(self) -> str | None:
        return self.manifest.get("parent")

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at", ""))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest.get("counts", {}))

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("files", []))

    def files_of(self, table: str) -> list[dict[str, Any]]:
        return [f for f in self.files if f.get("table") == table]

    @property
    def size_bytes(self) -> int:
        return sum(int(f["bytes"]) for f in self.files)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReleaseError(f"{folder} has no {MANIFEST}") from error
    except (OSError, ValueError) as error:
        raise ReleaseError(f"{path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != RELEASE_FORMAT:
        raise ReleaseError(f"{path} is not an {RELEASE_FORMAT} manifest")
    return manifest


def list_releases(releases_dir: str | Path | None = None) -> list[Release]:
    """The releases in place, oldest first (folders with a version name and a manifest)."""
    root = resolve_releases_dir(releases_dir)
    if not root.is_dir():
        return []
    releases = []
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink() and is_version(entry.name) and (entry / MANIFEST).is_file():
            releases.append(Release(entry.name, entry, read_manifest(entry)))
    return sorted(releases, key=lambda r: version_key(r.version))


def read_pointer(releases_dir: str | Path | None = None) -> str | None:
    """The version the LATEST pointer names, or None when there is no pointer."""
    path = resolve_releases_dir(releases_dir) / POINTER_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not is_version(text):
        raise ReleaseError(f"{path} does not name a release version: {text!r}")
    return text


def dangling_pointer(releases_dir: str | Path | None = None) -> ReleaseNotFoundError | None:
    """The error to raise when LATEST names a release whose folder is not there (deleted by
    hand, or lost with a disk), else None. Publishing cannot repair that by itself (the next
    release's parent is the one LATEST names), so the remedy points LATEST at a release that is
    there, or removes it when none is."""
    root = resolve_releases_dir(releases_dir)
    pointed = read_pointer(root)
    if pointed is None or (root / pointed / MANIFEST).is_file():
        return None
    path = root / POINTER_FILE
    present = list_releases(root)
    remedy = (
        f"point it at the newest release there (printf '%s\\n' {present[-1].version} > {path}), then run "
        "`eventwire releases verify --all`"
        if present
        else f"no release is left: remove it (rm {path}) and run `eventwire publish` to publish afresh"
    )
    return ReleaseNotFoundError(
        f"{POINTER_FILE} names release {pointed}, but that release's folder is not there (deleted, or lost "
        f"in a crash), in {path}, {remedy}"
    )


def get_release(releases_dir: str | Path | None, version: str = "latest") -> Release:
    """The release of that version; `latest` means the one the pointer names."""
    root = resolve_releases_dir(releases_dir)
    if version == "latest":
        pointed = read_pointer(root)
        if pointed is None:
            raise ReleaseNotFoundError(
                f"no release has been published (no {POINTER_FILE} file), {root}: run `eventwire publish` first"
            )
        dangling = dangling_pointer(root)
        if dangling is not None:
            raise dangling
        version = pointed
    version_key(version)
    folder = root / version
    if not (folder / MANIFEST).is_file():
        raise ReleaseNotFoundError(f"no release {version}, {root}: `eventwire releases list` shows the versions there")
    return Release(version, folder, read_manifest(folder))


def latest_release(releases_dir: str | Path | None = None) -> Release | None:
    """The release the pointer names, or None before the first publish."""
    root = resolve_releases_dir(releases_dir)
    return get_release(root) if read_pointer(root) is not None else None


def read_events(release: Release) -> pl.DataFrame:
    """All events of a release, read from its Parquet partitions, in the Events dtypes."""
    tables = published_tables()
    paths = [release.path / f["path"] for f in release.files_of("events")]
    if not paths:
        return pl.DataFrame(schema=tables["events"].polars_schema)
    frame = pl.read_parquet(paths, hive_partitioning=False)
    return in_table_shape(frame, tables["events"])


def in_table_shape(frame: pl.DataFrame, table: TableSpec) -> pl.DataFrame:
    """`frame` in the table's columns and dtypes; a column added since the frame was written (the
    events' place columns, in a release from before them) is null."""
    schema = table.polars_schema
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in schema.items() if name not in frame.columns]
    return frame.with_columns(missing).select(list(schema)).cast(schema)


def read_articles(release: Release) -> pl.DataFrame:
    tables = published_tables()
    frame = pl.read_parquet(release.path / ARTICLES_FILE, hive_partitioning=False)
    return in_table_shape(frame, tables["articles"])


def read_article_places(release: Release) -> pl.DataFrame:
    """The release's article_places (empty for a release written before the table existed)."""
    table = published_tables()["article_places"]
    if not (release.path / ARTICLE_PLACES_FILE).is_file():
        return pl.DataFrame(schema=table.polars_schema)
    return in_table_shape(pl.read_parquet(release.path / ARTICLE_PLACES_FILE, hive_partitioning=False), table)


def content_file_name(sha256: str) -> str:
    """The file name of a month of events: the first `CONTENT_PREFIX_LENGTH` hex digits of the
    sha256 of its bytes. An unchanged month keeps its name, so the next release can link it."""
    return f"{sha256[:CONTENT_PREFIX_LENGTH]}.parquet"


def partition_path(year: int, month: int, sha256: str) -> str:
    """Where a month of events goes in a release folder, named by its content."""
    return f"{EVENTS_DIR}/year={year:04d}/month={month:02d}/{content_file_name(sha256)}"


def check_content_name(relative: str, sha256: str) -> FileProblem | None:
    """The problem of a file under `events/` whose name is not the one its bytes give
    (`content_file_name`), or None. `sha256` is the hash of the bytes on disk, so a file rewritten
    or renamed together with its manifest entry and SHA256SUMS is still caught."""
    if not relative.startswith(f"{EVENTS_DIR}/"):
        return None
    name = relative.rpartition("/")[2]
    expected = content_file_name(sha256)
    if name == expected:
        return None
    match = CONTENT_ADDRESSED_NAME.match(name)
    if match is None:
        return FileProblem(relative, NOT_NAMED_BY_CONTENT, expected, name)
    return FileProblem(relative, NAME_MISMATCH, match.group(1), sha256[:CONTENT_PREFIX_LENGTH])


def check_files(folder: Path, manifest: Mapping[str, Any]) -> list[FileProblem]:
    """Re-hash every file of a release folder against its manifest (and SHA256SUMS).

    A file that is missing, has another size or sha256, is named by content it does not hold
    (`check_content_name`), or is in the folder without being in the manifest is a problem.
    """
    problems: list[FileProblem] = []
    listed: set[str] = {MANIFEST, CHECKSUMS}
    for entry in manifest.get("files", []):
        listed.add(str(entry["path"]))
        problems += _check_listed_file(folder, entry)
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            relative = path.relative_to(folder).as_posix()
            if relative not in listed:
                problems.append(FileProblem(relative, "not in the manifest"))
    return problems + _check_manifest_checksum(folder)


def _check_listed_file(folder: Path, entry: Mapping[str, Any]) -> list[FileProblem]:
    """One file the manifest lists: there, of its size and sha256, and named by its content."""
    relative = str(entry["path"])
    path = folder / relative
    if not path.is_file():
        return [FileProblem(relative, "missing")]
    problems = []
    size = path.stat().st_size
    if size != int(entry["bytes"]):
        problems.append(FileProblem(relative, "size differs", str(entry["bytes"]), str(size)))
    actual = sha256_file(path)
    if actual != entry["sha256"]:
        problems.append(FileProblem(relative, "sha256 differs", entry["sha256"], actual))
    naming = check_content_name(relative, actual)
    return problems + ([naming] if naming else [])


def _check_manifest_checksum(folder: Path) -> list[FileProblem]:
    """SHA256SUMS is there and holds the sha256 of manifest.json."""
    checksums = folder / CHECKSUMS
    if not checksums.is_file():
        return [FileProblem(CHECKSUMS, "missing")]
    problems = []
    for line in checksums.read_text(encoding="utf-8").splitlines():
        expected, _, relative = line.partition("  ")
        path = folder / relative
        if relative == MANIFEST and path.is_file():
            actual = sha256_file(path)
            if actual != expected:
                problems.append(FileProblem(MANIFEST, "sha256 differs from SHA256SUMS", expected, actual))
    return problems


def check_contents(
    folder: Path, manifest: Mapping[str, Any], *, required_views: Collection[str] = ()
) -> list[FileProblem]:
    """Re-read the data of a release: every partition validates against Events and holds only
    its month, event ids are unique, row counts match the manifest, and the DuckDB file opens
    read-only with the same row counts and working views.

    Every view in the file is queried; `required_views` names those that must be there. A new
    release requires all of `VIEWS`; an older one is checked for the views it was written with,
    so adding a view does not make every earlier release fail verification."""
    problems: list[FileProblem] = []
    counts = manifest.get("counts", {})
    frames: dict[str, pl.DataFrame] = {}
    for entry in manifest.get("files", []):
        if entry.get("table") != "events":
            continue
        try:
            frame = pl.read_parquet(folder / entry["path"], hive_partitioning=False)
        except (OSError, pl.exceptions.PolarsError) as error:
            problems.append(FileProblem(entry["path"], f"cannot be read: {error}"))
            continue
        frames[entry["path"]] = frame
        if frame.height != entry.get("rows"):
            problems.append(FileProblem(entry["path"], "row count differs", str(entry.get("rows")), str(frame.height)))
        year, month = entry["partition"]["year"], entry["partition"]["month"]
        if "date" in frame.columns:
            outside = frame.filter((pl.col("date").dt.year() != year) | (pl.col("date").dt.month() != month)).height
            if outside:
                problems.append(FileProblem(entry["path"], f"{outside} event(s) dated outside {year}-{month:02d}"))
    problems += _check_events_schema(frames, manifest.get("row_checks"))
    events_total = sum(frame.height for frame in frames.values())
    if events_total != counts.get("events"):
        problems.append(FileProblem(EVENTS_DIR, "event count differs", str(counts.get("events")), str(events_total)))
    try:
        articles = pl.read_parquet(folder / ARTICLES_FILE, hive_partitioning=False)
        if articles.height != counts.get("articles"):
            problems.append(
                FileProblem(ARTICLES_FILE, "row count differs", str(counts.get("articles")), str(articles.height))
            )
    except (OSError, pl.exceptions.PolarsError) as error:
        problems.append(FileProblem(ARTICLES_FILE, f"cannot be read: {error}"))
    if any(entry.get("table") == "article_places" for entry in manifest.get("files", [])):
        problems += _check_article_places(folder / ARTICLE_PLACES_FILE, counts)
    problems += _check_duckdb(folder / DUCKDB_FILE, counts, required_views)
    return problems


def events_schema_as_written(row_checks: Collection[str] | None) -> pa.DataFrameSchema:
    """The Events schema with only the row checks a release was written under.

    A release records the names of the cross-column checks in force when it was written
    (`row_checks` in its manifest); a check added later must not make an intact older release
    fail. A manifest without the list predates it: only the column checks apply."""
    schema = copy.deepcopy(Events.to_schema())
    allowed = set(row_checks or ())
    schema.checks = [check for check in schema.checks if check.name in allowed]
    return schema


def _check_events_schema(
    frames: Mapping[str, pl.DataFrame], row_checks: Collection[str] | None = None
) -> list[FileProblem]:
    """Validate all partitions at once (event ids unique across them); name the files that fail."""
    if not frames:
        return []
    schema = events_schema_as_written(row_checks)
    try:
        schema.validate(pl.concat(list(frames.values()), how="vertical_relaxed"), lazy=True)
        return []
    except (pandera.errors.SchemaErrors, pl.exceptions.PolarsError):
        pass
    problems = []
    for path, frame in frames.items():
        try:
            schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as error:
            problems.append(FileProblem(path, f"fails the Events schema: {len(error.failure_cases)} failure(s)"))
    return problems or [FileProblem(EVENTS_DIR, "partitions fail together: event ids repeat across files")]


def _check_article_places(path: Path, counts: Mapping[str, Any]) -> list[FileProblem]:
    """A release with article_places (written since the table exists): it validates and its
    row count matches. An older release has no such file and nothing to check."""
    try:
        places = pl.read_parquet(path, hive_partitioning=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        return [FileProblem(ARTICLE_PLACES_FILE, f"cannot be read: {error}")]
    problems = []
    if places.height != counts.get("article_places"):
        problems.append(
            FileProblem(ARTICLE_PLACES_FILE, "row count differs", str(counts.get("article_places")), str(places.height))
        )
    try:
        ArticlePlaces.validate(places, lazy=True)
    except pandera.errors.SchemaErrors as error:
        problems.append(
            FileProblem(ARTICLE_PLACES_FILE, f"fails the ArticlePlaces schema: {len(error.failure_cases)} failure(s)")
        )
    return problems


def _check_duckdb(path: Path, counts: Mapping[str, Any], required_views: Collection[str]) -> list[FileProblem]:
    problems = []
    try:
        con = connect(path, read_only=True)
    except duckdb.Error as error:
        return [FileProblem(DUCKDB_FILE, f"cannot be opened read-only: {error}")]
    try:
        for table in ("events", "articles", "article_places"):
            if table not in counts:
                continue  # a release from before the table existed
            found = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
            if found != counts.get(table):
                problems.append(
                    FileProblem(DUCKDB_FILE, f"{table} row count differs", str(counts.get(table)), str(found))
                )
        views = [
            str(row[0])
            for row in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database() "
                "ORDER BY view_name"
            ).fetchall()
        ]
        for name in sorted(set(required_views) - set(views)):
            problems.append(FileProblem(DUCKDB_FILE, f"view {name} is missing"))
        for name in views:
            con.execute(f"SELECT count(*) FROM {quote_identifier(name)}").fetchall()
    except duckdb.Error as error:
        problems.append(FileProblem(DUCKDB_FILE, f"query failed: {error}"))
    finally:
        con.close()
    if Path(str(path) + ".wal").exists():
        problems.append(FileProblem(DUCKDB_FILE + ".wal", "write-ahead log left beside the database"))
    return problems


def verify_release(release: Release, *, deep: bool = False) -> None:
    """Raise `ReleaseVerifyError` naming every file that does not match the manifest.

    `deep` also re-reads and re-validates the data (slower; publish always does it before the
    rename). The error says what to do: restore a published release; delete one newer than the
    pointer (never published, and publish would stop at it again).
    """
    problems = check_files(release.path, release.manifest)
    if deep and not problems:
        problems = check_contents(release.path, release.manifest)
    if problems:
        remedy = UNPOINTED_VERIFY_REMEDY if _newer_than_pointer(release) else VERIFY_REMEDY
        raise verify_error(release.version, problems, where=str(release.path), remedy=remedy)


def _newer_than_pointer(release: Release) -> bool:
    """The release sorts after the one its releases folder's LATEST names (none: not known)."""
    try:
        pointer = read_pointer(release.path.parent)
    except ReleaseError:
        return False
    return pointer is not None and version_key(release.version) > version_key(pointer)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader sees the old or the new file, never a part."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def move_pointer(releases_dir: Path, version: str) -> None:
    """Point LATEST (and the `latest` symlink, where the filesystem has symlinks) at `version`."""
    write_atomically(releases_dir / POINTER_FILE, (version + "\n").encode())
    temporary_link = releases_dir / f".{LATEST_LINK}.tmp-{os.getpid()}"
    with contextlib.suppress(OSError):
        if temporary_link.is_symlink():
            temporary_link.unlink()
        os.symlink(version, temporary_link, target_is_directory=True)
        os.replace(temporary_link, releases_dir / LATEST_LINK)


@contextlib.contextmanager
def releases_lock(releases_dir: Path) -> Iterator[None]:
    """Hold the releases folder's lock: one publisher or pruner at a time.

    The lock is an flock, so a killed process releases it with its file descriptors.
    """
    releases_dir.mkdir(parents=True, exist_ok=True)
    handle = (releases_dir / LOCK_FILE).open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise ReleaseLockedError(f"another process is publishing or pruning in {releases_dir}") from error
            raise
        yield
    finally:
        handle.close()


def index_document(releases_dir: Path) -> dict[str, Any]:
    """index.json: every release in place, newest first, and which one is the latest."""
    pointer = read_pointer(releases_dir)
    releases = list_releases(releases_dir)
    return {
        "format": RELEASE_FORMAT,
        "latest": pointer,
        "releases": [
            {
                "version": r.version,
                "parent": r.parent,
                "created_at": r.created_at,
                "counts": r.counts,
                "coder_versions": r.manifest.get("coder_versions", []),
                "bytes": r.size_bytes,
                "latest": r.version == pointer,
                "path": r.version + "/",
            }
            for r in reversed(releases)
        ],
    }


def write_index_json(releases_dir: Path) -> Path:
    path = releases_dir / INDEX_JSON
    write_atomically(path, (json.dumps(index_document(releases_dir), indent=1) + "\n").encode())
    return path


def clean_staging(releases_dir: Path) -> list[Path]:
    """Remove staging folders and temporary pointer files left by crashed runs.

    Call only while holding the lock: then no other run is writing them.
    """
    removed = []
    for entry in releases_dir.glob(STAGING_PREFIX + "*"):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
            removed.append(entry)
    for entry in releases_dir.glob(".*.tmp-*"):
        if entry.is_file() or entry.is_symlink():
            entry.unlink()
            removed.append(entry)
    return removed


def recover_pointer(releases_dir: Path) -> str | None:
    """Roll the pointer forward to a release that was renamed into place but never pointed to.

    A release folder only appears (by rename) after it was verified, so a folder newer than the
    pointer is complete: a crash came between the rename and the pointer move. It is verified
    again (file hashes) before the pointer moves to it. Returns the version moved to, if any.
    """
    releases = list_releases(releases_dir)
    if not releases:
        return None
    pointer = read_pointer(releases_dir)
    newest = releases[-1]
    if pointer is not None and version_key(newest.version) <= version_key(pointer):
        return None
    try:
        verify_release(newest)
    except ReleaseVerifyError as error:
        raise verify_error(error.version, error.problems, where=error.where, remedy=UNPOINTED_VERIFY_REMEDY) from error
    move_pointer(releases_dir, newest.version)
    return newest.version


PUBLISH_REPAIRS = "run eventwire publish on this releases folder"


@dataclass(frozen=True)
class PointerWarning:
    """Something in a releases folder that the pointers (LATEST, the `latest` link, index.json)
    do not reach as they should. A publish interrupted between its last steps leaves these, and
    the next publish repairs them, so they are warnings rather than failures.

    `kind` is `unpointed` (a release newer than the one LATEST names, or no LATEST at all),
    `stale_link` (the `latest` link names another release than LATEST) or `stale_index`
    (index.json does not list the releases in place, lists a deleted one, or names another
    latest)."""

    kind: str
    what: str
    where: Path
    remedy: str
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.what}, in {self.where}, {self.remedy}"


def pointer_warnings(releases_dir: str | Path | None = None) -> list[PointerWarning]:
    """What the pointers of a releases folder fail to reach: unpointed releases, a stale
    `latest` link, a stale index.json (see `PointerWarning`)."""
    root = resolve_releases_dir(releases_dir)
    releases = list_releases(root)
    if not releases:
        return []
    pointer = read_pointer(root)
    return [
        *_unpointed(releases, pointer),
        *_stale_link(root, pointer),
        *_stale_index(root, releases, pointer),
    ]


def _unpointed(releases: Sequence[Release], pointer: str | None) -> list[PointerWarning]:
    """Releases newer than the one LATEST names: renamed into place, never pointed to."""
    why = f"there is no {POINTER_FILE} pointer" if pointer is None else f"{POINTER_FILE} names the older {pointer}"
    return [
        PointerWarning(
            "unpointed",
            f"release {r.version} is not reached by the pointer ({why}: a publish stopped before moving it)",
            r.path,
            f"{PUBLISH_REPAIRS} (it verifies the newest such release and moves the pointer to it), "
            "or delete the folder if it must not be published",
            r.version,
        )
        for r in releases
        if pointer is None or version_key(r.version) > version_key(pointer)
    ]


def _stale_link(root: Path, pointer: str | None) -> list[PointerWarning]:
    """The `latest` link (where the filesystem has one) names what LATEST names."""
    link = root / LATEST_LINK
    if pointer is None or not link.is_symlink():
        return []
    target = os.readlink(link)
    if target == pointer:
        return []
    return [
        PointerWarning(
            "stale_link",
            f"the {LATEST_LINK} link names {target}, but {POINTER_FILE} names {pointer}",
            link,
            f"point the link at {pointer}: ln -sfn {pointer} {link}",
            pointer,
        )
    ]


def _stale_index(root: Path, releases: Sequence[Release], pointer: str | None) -> list[PointerWarning]:
    """index.json (what the site and its readers follow) lists every release and the latest."""
    path = root / INDEX_JSON
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(r["version"]) for r in index["releases"]}
        latest = index.get("latest")
    except (OSError, ValueError, KeyError, TypeError):
        gaps = [f"{INDEX_JSON} is missing or unreadable"]
    else:
        in_place = {r.version for r in releases}
        unlisted = sorted(in_place - listed, key=version_key)
        gone = sorted(listed - in_place)
        gaps = [f"{INDEX_JSON} does not list {', '.join(unlisted)}"] if unlisted else []
        if gone:
            gaps.append(f"{INDEX_JSON} lists {', '.join(gone)}, no longer in the folder")
        if latest != pointer:
            gaps.append(f"{INDEX_JSON} names {latest} as the latest, not {pointer}")
    if not gaps:
        return []
    return [PointerWarning("stale_index", "; ".join(gaps), path, f"{PUBLISH_REPAIRS} (it rewrites {INDEX_JSON})")]


def _table_metadata(table: TableSpec) -> dict[str, str]:
    """Parquet key-value metadata: the table's and every column's description, from the schemas."""
    metadata = {
        "eventwire.table": table.name,
        "eventwire.description": table.description,
        "eventwire.columns": json.dumps(
            [
                {"name": c.name, "type": c.type_name, "nullable": c.nullable, "description": c.description}
                for c in table.columns
            ],
            ensure_ascii=False,
        ),
    }
    metadata.update({f"eventwire.column.{c.name}": c.description for c in table.columns})
    return metadata


def parquet_bytes(frame: pl.DataFrame, table: TableSpec) -> bytes:
    """The Parquet bytes of a frame: zstd, statistics, descriptions in the metadata.

    Deterministic for the same rows in the same order, which is what lets an unchanged month
    keep its content-addressed file name from one release to the next.
    """
    buffer = io.BytesIO()
    frame.select(list(table.polars_schema)).rechunk().write_parquet(
        buffer,
        compression="zstd",
        compression_level=PARQUET_COMPRESSION_LEVEL,
        statistics=True,
        row_group_size=PARQUET_ROW_GROUP_SIZE,
        metadata=_table_metadata(table),
    )
    return buffer.getvalue()


@dataclass
class _Staged:
    """Files written into the staging folder so far, for the manifest."""

    folder: Path
    parent: Release | None
    files: list[dict[str, Any]] = field(default_factory=list)
    bytes_written: int = 0
    bytes_linked: int = 0
    files_linked: int = 0

    def place(self, relative: str, data: bytes, **entry: Any) -> dict[str, Any]:
        """Put `data` at `relative`: a hard link to the parent's identical file, or a new file."""
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(data).hexdigest()
        if not self._link_from_parent(relative, digest, target):
            _write_durably(target, data)
            self.bytes_written += len(data)
        record = {"path": relative, "sha256": digest, "bytes": len(data), **entry}
        self.files.append(record)
        return record

    def files_of_table(self, table: str) -> list[dict[str, Any]]:
        return [f for f in self.files if f.get("table") == table]

    def _link_from_parent(self, relative: str, digest: str, target: Path) -> bool:
        if self.parent is None:
            return False
        known = {f["path"]: f["sha256"] for f in self.parent.files}
        if known.get(relative) != digest:
            return False
        source = self.parent.path / relative
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copy2(source, target)
            except OSError:
                return False
        if sha256_file(target) != digest:
            target.unlink()
            return False
        self.files_linked += 1
        self.bytes_linked += target.stat().st_size
        return True

    def add_existing(self, relative: str, **entry: Any) -> None:
        path = self.folder / relative
        size = path.stat().st_size
        self.files.append({"path": relative, "sha256": sha256_file(path), "bytes": size, **entry})
        self.bytes_written += size


@dataclass(frozen=True)
class ReleaseResult:
    """What `write_release` did."""

    version: str | None
    path: Path | None
    parent: str | None
    published: bool
    reason: str
    changes: EventChanges | None
    counts: dict[str, int]
    files_written: int = 0
    files_linked: int = 0
    bytes_written: int = 0
    bytes_linked: int = 0
    recovered: str | None = None
    leftovers_removed: int = 0


def _partitions(events: pl.DataFrame) -> list[tuple[int, int, pl.DataFrame]]:
    if events.height == 0:
        return []
    keyed = events.with_columns(pl.col("date").dt.year().alias("_year"), pl.col("date").dt.month().alias("_month"))
    parts = []
    for (year, month), frame in keyed.group_by("_year", "_month", maintain_order=True):
        parts.append((int(year), int(month), frame.drop("_year", "_month").sort("date", "event_id")))
    return sorted(parts, key=lambda p: (p[0], p[1]))


DUCKDB_BLOCK_SIZE = 65_536


def build_duckdb(path: Path, tables: Mapping[str, TableSpec], frames: Mapping[str, pl.DataFrame]) -> None:
    """Write the release's DuckDB file: tables, views, comments; checkpointed, no WAL left.

    64 KiB blocks instead of DuckDB's 256 KiB default make the file of a small release about
    40 % smaller; the tables carry no primary-key index, for the same reason.
    """
    con = connect(":memory:")
    try:
        con.execute(f"ATTACH {sql_string(str(path))} AS release (BLOCK_SIZE {DUCKDB_BLOCK_SIZE})")
        con.execute("USE release")
        for name, table in tables.items():
            con.execute(create_table_sql(table, primary_key=False))
            frame = frames.get(name, pl.DataFrame(schema=table.polars_schema)).select(list(table.polars_schema))
            if frame.height:
                con.register("incoming", frame)
                con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
                con.unregister("incoming")
        for view in VIEWS:
            con.execute(view.create_sql())
        for statement in comment_statements(tables.values()):
            con.execute(statement)
        con.execute("CHECKPOINT release")
        con.execute("USE memory")
        con.execute("DETACH release")
    finally:
        con.close()


GEONAMES_URL = "https://www.geonames.org/"


def _citation_cff(version: str, released: dt.date, counts: Mapping[str, int], date_range: Mapping[str, Any]) -> str:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    span = f" Events dated {date_range['min']} to {date_range['max']}." if date_range.get("min") else ""
    abstract = (
        f"Event data coded from news articles by eventwire: {counts['events']} events from "
        f"{counts['articles']} articles (who did what to whom, when, and how sure; PLOVER event types).{span}"
    )
    return "\n".join(
        [
            "cff-version: 1.2.0",
            f"message: {q('If you use this dataset, please cite it using these metadata, with its version.')}",
            "type: dataset",
            f"title: {q(f'eventwire event data, release {version}')}",
            f"version: {q(version)}",
            f"date-released: {released.isoformat()}",
            "authors:",
            f"  - name: {q('eventwire contributors')}",
            f"abstract: {q(abstract)}",
            "keywords:",
            *(f"  - {q(k)}" for k in ("event data", "PLOVER", "CAMEO", "political events", "news", "geocoding")),
            "references:",
            "  - type: database",
            f"    title: {q('GeoNames geographical database')}",
            "    authors:",
            f"      - name: {q('GeoNames')}",
            f"    url: {q(GEONAMES_URL)}",
            f"    license: {q('CC-BY-4.0')}",
            f"    notes: {q(GEONAMES_CREDIT)}",
            "",
        ]
    )


def _datapackage(
    version: str, created_at: str, tables: Mapping[str, TableSpec], files: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    resources = []
    for entry in files:
        table = entry.get("table")
        if not isinstance(table, str) or table not in tables:
            continue
        if table == "events":
            part = entry["partition"]
            name = f"events-{part['year']:04d}-{part['month']:02d}"
            title = f"Events dated {part['year']:04d}-{part['month']:02d}"
        else:
            name, title = table, tables[table].description.split(".")[0]
        resources.append(
            {
                "name": name,
                "title": title,
                "description": tables[table].description,
                "path": entry["path"],
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "profile": "tabular-data-resource",
                "hash": f"sha256:{entry['sha256']}",
                "schema": table_schema_file(table),
            }
        )
    return {
        "profile": "data-package",
        "name": "eventwire-" + version.replace(".", "-"),
        "title": f"eventwire event data, release {version}",
        "version": version,
        "created": created_at,
        "description": "Events coded from news articles; one resource per month of events (see CODEBOOK.md).",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the GeoNames data in the place columns and article_places)",
            }
        ],
        "sources": [{"title": "GeoNames", "path": GEONAMES_URL, "description": GEONAMES_CREDIT}],
        "resources": resources,
    }


def table_schema_file(table: str) -> str:
    """The release file holding a table's Frictionless Table Schema (shared by its resources)."""
    return f"{table}.schema.json"


def table_schema(table: TableSpec) -> dict[str, Any]:
    return {"fields": frictionless_fields(table), "primaryKey": list(table.primary_key)}


def _iso_date(value: object) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False, default=str) + "\n").encode()


@dataclass(frozen=True)
class _ReleaseFrames:
    """The tables of a release, in their published columns and row order."""

    events: pl.DataFrame
    articles: pl.DataFrame
    places: pl.DataFrame

    def cleared(self) -> _ReleaseFrames:
        """The same tables with no rows: the parent of a first release."""
        return _ReleaseFrames(self.events.clear(), self.articles.clear(), self.places.clear())

    def counts(self) -> dict[str, int]:
        return {"events": self.events.height, "articles": self.articles.height, "article_places": self.places.height}


def write_release(
    releases_dir: str | Path | None,
    events: pl.DataFrame,
    articles: pl.DataFrame,
    *,
    now: dt.datetime,
    version: str | None = None,
    include_text: bool = False,
    force: bool = False,
    on_step: Callable[[str], None] | None = None,
    article_places: pl.DataFrame | None = None,
) -> ReleaseResult:
    """Write `events`, `articles` and their `article_places` (already validated) as the next release.

    Skips (returns `published=False`) when nothing differs from the parent release, unless
    `force`. `on_step(name)` is called after each of `STEPS`; raising from it aborts the
    publish at that point, which is how the tests simulate crashes.
    """
    root = resolve_releases_dir(releases_dir)
    step = on_step or (lambda _name: None)
    with releases_lock(root):
        leftovers_removed = len(clean_staging(root))
        recovered = recover_pointer(root)
        parent = _parent_release(root)
        frames = _release_frames(events, articles, article_places, include_text=include_text)
        before = _parent_frames(parent, frames)
        step("parent_read")
        changes = diff_events(
            before.events,
            frames.events,
            articles_before=before.articles["article_id"].to_list(),
            articles_after=frames.articles["article_id"].to_list(),
        )
        counts = {**frames.counts(), **changes.counts()}
        unchanged = changes.is_empty and frames.articles.equals(before.articles) and frames.places.equals(before.places)
        if parent is not None and not force and unchanged:
            write_index_json(root)
            return ReleaseResult(
                None, None, parent.version, False, f"nothing changed since {parent.version}", changes, counts,
                recovered=recovered, leftovers_removed=leftovers_removed,
            )  # fmt: skip
        version = _choose_version(root, parent, version, now)
        staged = _Staged(root / f"{STAGING_PREFIX}{version}-{os.getpid()}", parent)
        stage = functools.partial(
            _stage,
            staged,
            version=version,
            now=now,
            frames=frames,
            changes=changes,
            counts=counts,
            include_text=include_text,
            step=step,
        )
        manifest = _stage_verified_and_renamed(root, staged, version, stage, step)
        step("renamed")
        move_pointer(root, version)
        step("pointer_moved")
        write_index_json(root)
        step("index_written")
        return _published(root / version, staged, manifest, changes, recovered, leftovers_removed)


def _parent_release(root: Path) -> Release | None:
    """The release the new one follows: the latest. Releases without a pointer are refused
    (after `recover_pointer`, that means the pointer was removed by hand)."""
    parent = latest_release(root)
    if parent is None and list_releases(root):
        raise ReleaseError(f"{root} holds releases but no {POINTER_FILE} pointer")
    return parent


def _release_frames(
    events: pl.DataFrame, articles: pl.DataFrame, article_places: pl.DataFrame | None, *, include_text: bool
) -> _ReleaseFrames:
    """The tables in their published columns, sorted by key (so the same rows give the same
    bytes), the articles' text dropped unless `include_text`."""
    tables = published_tables()
    events = events.select(list(tables["events"].polars_schema)).sort("event_id")
    articles = articles.select(list(tables["articles"].polars_schema)).sort("article_id")
    places_table = tables["article_places"]
    places = (
        in_table_shape(article_places, places_table).sort("article_id", "start", "end")
        if article_places is not None
        else pl.DataFrame(schema=places_table.polars_schema)
    )
    if not include_text:
        articles = articles.with_columns(pl.lit(None, dtype=pl.String).alias("text"))
    return _ReleaseFrames(events, articles, places)


def _parent_frames(parent: Release | None, frames: _ReleaseFrames) -> _ReleaseFrames:
    """The parent release's tables, read back from its files (no rows before the first release)."""
    if parent is None:
        return frames.cleared()
    return _ReleaseFrames(read_events(parent), read_articles(parent), read_article_places(parent))


def _stage_verified_and_renamed(
    root: Path, staged: _Staged, version: str, stage: Callable[[], dict[str, Any]], step: Callable[[str], None]
) -> dict[str, Any]:
    """Write the release into its staging folder, check it on disk, rename it into place, and
    return its manifest.

    Anything that fails (a check, or a crash simulated by `step`) removes the staging folder and
    leaves the previous release and the pointer as they were."""
    staging = staged.folder
    try:
        staging.mkdir()
        manifest = stage()
        problems = check_files(staging, manifest) or check_contents(
            staging, manifest, required_views=[view.name for view in VIEWS]
        )
        if problems:
            raise verify_error(
                version,
                problems,
                where=f"the staging folder {staging} (removed: nothing was published)",
                remedy="the previous release and the pointer are as they were; "
                "report the problems to the eventwire developers: the writer made a release that does not verify",
            )
        step("verified")
        _fsync_dir(staging)
        os.rename(staging, root / version)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _published(
    final: Path,
    staged: _Staged,
    manifest: Mapping[str, Any],
    changes: EventChanges,
    recovered: str | None,
    leftovers_removed: int,
) -> ReleaseResult:
    """What `write_release` did when it published: where, and how much it wrote and linked."""
    return ReleaseResult(
        manifest["version"],
        final,
        manifest["parent"],
        True,
        "published",
        changes,
        dict(manifest["counts"]),
        files_written=len(staged.files) - staged.files_linked,
        files_linked=staged.files_linked,
        bytes_written=staged.bytes_written,
        bytes_linked=staged.bytes_linked,
        recovered=recovered,
        leftovers_removed=leftovers_removed,
    )


def _choose_version(root: Path, parent: Release | None, version: str | None, now: dt.datetime) -> str:
    """The version of the new release: the one asked for, or the next one for today (UTC).

    Either way it must be new and sort after the parent.
    """
    existing = [r.version for r in list_releases(root)]
    if version is None:
        version = next_version(existing, now.astimezone(dt.UTC).date())
        if parent is not None and version_key(version) <= version_key(parent.version):
            raise ReleaseVersionError(
                f"the next version for {now:%Y-%m-%d} ({version}) would not sort after the latest release "
                f"{parent.version}; is the clock behind?"
            )
        return version
    version_key(version)
    if version in existing:
        raise ReleaseVersionError(f"release {version} exists already in {root}")
    if parent is not None and version_key(version) <= version_key(parent.version):
        raise ReleaseVersionError(f"version {version} does not sort after the latest release {parent.version}")
    return version


def _write_durably(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _stage(
    staged: _Staged,
    *,
    version: str,
    now: dt.datetime,
    frames: _ReleaseFrames,
    changes: EventChanges,
    counts: dict[str, int],
    include_text: bool,
    step: Callable[[str], None],
) -> dict[str, Any]:
    """Write every file of the release into the staging folder; return its manifest."""
    tables = published_tables()
    _stage_tables(staged, tables, frames, step)
    created_at = now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    parent = staged.parent.version if staged.parent else None
    events = frames.events
    date_range = {"min": _iso_date(events["date"].min()), "max": _iso_date(events["date"].max())}
    documents = {
        "CHANGES.md": render_changes_markdown(changes, version=version, parent=parent).encode(),
        "changes.json": changes_json_text(changes, version=version, parent=parent).encode(),
        "CODEBOOK.md": render_codebook(
            tables, version=version, views=[(v.name, v.description, v.columns) for v in VIEWS]
        ).encode(),
        "CITATION.cff": _citation_cff(version, now.astimezone(dt.UTC).date(), counts, date_range).encode(),
    }
    _stage_documents(staged, tables, documents, version=version, created_at=created_at)
    step("documents_written")
    manifest = {
        "format": RELEASE_FORMAT,
        "version": version,
        "parent": parent,
        "created_at": created_at,
        "eventwire_version": EVENTWIRE_VERSION,
        "row_checks": [check.name for check in Events.to_schema().checks],
        "coder_versions": sorted(events["coder"].unique().to_list()) if events.height else [],
        "articles_text_included": include_text,
        "counts": {**counts, "event_partitions": len(staged.files_of_table("events"))},
        "changes_by_reason": changes.counts_by_reason(),
        "date_range": date_range,
        "schema": manifest_schema(tables),
        "files": staged.files,
    }
    _seal(staged.folder, manifest)
    step("manifest_written")
    return manifest


def _stage_tables(
    staged: _Staged, tables: Mapping[str, TableSpec], frames: _ReleaseFrames, step: Callable[[str], None]
) -> None:
    """The data: one Parquet file per month of events (named by its content), the articles and
    their places, and the DuckDB file."""
    for year, month, frame in _partitions(frames.events):
        data = parquet_bytes(frame, tables["events"])
        relative = partition_path(year, month, hashlib.sha256(data).hexdigest())
        staged.place(relative, data, table="events", rows=frame.height, partition={"year": year, "month": month})
    step("events_written")
    articles, places = frames.articles, frames.places
    staged.place(ARTICLES_FILE, parquet_bytes(articles, tables["articles"]), table="articles", rows=articles.height)
    staged.place(
        ARTICLE_PLACES_FILE,
        parquet_bytes(places, tables["article_places"]),
        table="article_places",
        rows=places.height,
    )
    step("articles_written")
    build_duckdb(
        staged.folder / DUCKDB_FILE, tables, {"events": frames.events, "articles": articles, "article_places": places}
    )
    staged.add_existing(DUCKDB_FILE)
    step("duckdb_written")


def _stage_documents(
    staged: _Staged, tables: Mapping[str, TableSpec], documents: Mapping[str, bytes], *, version: str, created_at: str
) -> None:
    """The documents, each table's Table Schema, and datapackage.json (which lists the data files)."""
    for name, data in documents.items():
        staged.place(name, data)
    for name, table in tables.items():
        staged.place(table_schema_file(name), _json_bytes(table_schema(table)))
    staged.place("datapackage.json", _json_bytes(_datapackage(version, created_at, tables, staged.files)))


def _seal(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Write manifest.json and SHA256SUMS (which lists the manifest too), then make every file
    read-only."""
    manifest_data = _json_bytes(manifest)
    _write_durably(folder / MANIFEST, manifest_data)
    checksum_lines = [f"{f['sha256']}  {f['path']}" for f in manifest["files"]]
    checksum_lines.append(f"{hashlib.sha256(manifest_data).hexdigest()}  {MANIFEST}")
    _write_durably(folder / CHECKSUMS, ("\n".join(checksum_lines) + "\n").encode())
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


@dataclass(frozen=True)
class PrunePlan:
    """Which releases retention keeps and which it deletes, and why each is kept."""

    keep: dict[str, list[str]]
    delete: list[str]


def plan_prune(
    versions: Sequence[str], *, keep_last: int, keep_monthly: bool, protected: Iterable[str] = ()
) -> PrunePlan:
    """Retention: keep the last `keep_last` releases, the last release of every month (when
    `keep_monthly`), and every protected one (the latest); delete the rest."""
    if keep_last < 1:
        raise ReleaseError("retention must keep at least the last release (--keep 1 or more)")
    ordered = sorted(versions, key=version_key)
    reasons: dict[str, list[str]] = {v: [] for v in ordered}
    for v in ordered[-keep_last:]:
        reasons[v].append(f"one of the last {keep_last}")
    if keep_monthly:
        last_of_month: dict[tuple[int, int], str] = {}
        for v in ordered:
            year, month, _, _ = version_key(v)
            last_of_month[(year, month)] = v
        for v in last_of_month.values():
            reasons[v].append("last of its month")
    for v in protected:
        if v in reasons:
            reasons[v].append("the latest (pointer)")
    keep = {v: why for v, why in reasons.items() if why}
    return PrunePlan(keep, [v for v in ordered if v not in keep])


def prune_releases(
    releases_dir: str | Path | None, *, keep_last: int, keep_monthly: bool = True, dry_run: bool = False
) -> PrunePlan:
    """Delete the releases retention does not keep (see `plan_prune`), then rewrite index.json.

    Deleting a folder never breaks another release: shared months are hard links, so the data
    stays as long as any release links it.
    """
    root = resolve_releases_dir(releases_dir)
    with releases_lock(root):
        pointer = read_pointer(root)
        plan = plan_prune(
            [r.version for r in list_releases(root)],
            keep_last=keep_last,
            keep_monthly=keep_monthly,
            protected=[pointer] if pointer else [],
        )
        if dry_run:
            return plan
        for version in plan.delete:
            if version == pointer:
                raise ReleaseError(f"refusing to delete {version}: the pointer names it")
            shutil.rmtree(root / version)
        _fsync_dir(root)
        write_index_json(root)
    return plan
