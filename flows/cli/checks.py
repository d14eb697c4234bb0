"""What a command checks before its flow starts, so that a mistake the user can fix ends in one
line naming it instead of a failed Prefect run: the sources file reads, the working store's file
is whole, and the folders the run will write are writable.

The flows check the same things again when they run (a deployment starts them without the CLI);
these checks only move the refusal to before Prefect starts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flows.errors import NotWritableError
from flows.io.locking import resolve_store_path
from flows.io.release import resolve_releases_dir
from flows.io.store import check_store_file
from flows.sources.config import load_sources


def _nearest_existing(path: Path) -> Path:
    """The folder itself, or the closest of its parents that exists (the one a mkdir writes in)."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable_folder(folder: Path, what: str) -> None:
    """Raise `NotWritableError` unless this user can create a file in `folder` (or, when it does
    not exist yet, in the parent it would be made in): tried with a temporary file, which
    mode bits, read-only mounts and ACLs all answer truly."""
    target = _nearest_existing(folder)
    try:
        with tempfile.TemporaryFile(dir=target):
            return
    except OSError as error:
        raise NotWritableError(f"{what} {target}", (error.strerror or str(error)).lower()) from error


def check_before_run(
    *, store: str | None, sources: str | None = None, releases: str | None = None, publishes: bool = False
) -> None:
    """Refuse a run the user can see will fail: a sources file that does not load, a working
    store that fails its integrity check, or a store (or, when it `publishes`, releases) folder
    that cannot be written."""
    if sources is not None:
        load_sources(sources)
    store_path = resolve_store_path(store)
    check_store_file(store_path)
    check_writable_folder(store_path.parent, "the working store's folder")
    if publishes:
        check_writable_folder(resolve_releases_dir(releases), "the releases folder")
