"""One writer to the working store at a time.

A flow run that writes takes an exclusive `fcntl.flock` on `<store>.lock` for its whole
duration. A second run waits up to a configurable time and then gives up with
`StoreBusyError`, which the flows turn into a `skipped` run (a log line, a `runs` row, the
return value) instead of a crash or a half-written store.

The lock is re-entrant within one flow run: a parent flow (`pipeline`) that holds it can call
sub-flows (`code`) that ask for it again. Re-entry is tracked in a context variable, which
Prefect copies into the sub-flows and tasks of the run but which a separate run (another
thread or process) does not share, so two independent runs always contend.

DuckDB enforces its own rule underneath: a second process cannot open a file another process
has open for writing (`IOException: Could not set lock on file`). `open_store` retries that
until the same deadline and reports it the same way, so a writer that does not take our lock
(an analyst's shell on the working store, say) also leads to a clear skip, never a traceback.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.io.store import DEFAULT_STORE_PATH, Store, StoreError

DEFAULT_LOCK_WAIT_SECONDS = 300.0
"""How long a run waits for the store by default: a third of the 15-minute schedule."""

LOCK_WAIT_ENV = "EVENTWIRE_LOCK_WAIT_SECONDS"
"""Environment variable (read when a run starts) that overrides the default wait."""

POLL_SECONDS = 0.2

_held_locks: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "eventwire_held_locks", default=frozenset()
)


class StoreBusyError(RuntimeError):
    """Another run holds the working store and did not let go within the wait."""

    def __init__(self, store_path: Path, waited_seconds: float, holder: str) -> None:
        self.store_path = store_path
        self.waited_seconds = waited_seconds
        self.holder = holder
        super().__init__(f"the working store {store_path} is busy ({holder}); gave up after {waited_seconds:.0f} s")


@dataclass(frozen=True)
class WriterLock:
    """A held writer lock: which store, and whether this call took it or re-entered it."""

    store_path: Path
    lock_path: Path
    reentered: bool


def resolve_store_path(store_path: str | Path | None) -> Path:
    """The working store a flow writes: the given path, or the default one."""
    return Path(store_path).resolve() if store_path else DEFAULT_STORE_PATH.resolve()


def lock_path_for(store_path: str | Path) -> Path:
    """The lock file beside a store: `<store>.lock`."""
    path = Path(store_path)
    return path.with_name(path.name + ".lock")


def lock_wait_seconds(value: float | None = None) -> float:
    """The wait to use: an explicit value, else $EVENTWIRE_LOCK_WAIT_SECONDS, else the default."""
    if value is not None:
        return max(0.0, float(value))
    from_env = os.environ.get(LOCK_WAIT_ENV)
    if from_env:
        try:
            return max(0.0, float(from_env))
        except ValueError as error:
            raise ValueError(f"{LOCK_WAIT_ENV} must be a number of seconds, not {from_env!r}") from error
    return DEFAULT_LOCK_WAIT_SECONDS


def holds_lock(store_path: str | Path) -> bool:
    """Whether the current run (this context) holds the writer lock of this store."""
    return str(resolve_store_path(store_path)) in _held_locks.get()


def read_holder(lock_path: Path) -> str:
    """Who holds a lock, as the holder wrote it into the lock file (best effort)."""
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "held by another run"
    if not info:
        return "held by another run"
    parts = [f"held by {info.get('owner') or 'a run'}"]
    if info.get("pid"):
        parts.append(f"pid {info['pid']} on {info.get('host', '?')}")
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return ", ".join(parts)


@contextlib.contextmanager
def writer_lock(
    store_path: str | Path | None,
    *,
    wait_seconds: float | None = None,
    owner: str = "",
) -> Iterator[WriterLock]:
    """Hold the exclusive writer lock of a store for the body; re-entrant within one run.

    Waits up to `wait_seconds` (see `lock_wait_seconds`) and raises `StoreBusyError` if the
    lock is still taken then. `owner` (e.g. "code run 1c81…") is written into the lock file so
    that a waiting run can say who it waited for.
    """
    store = resolve_store_path(store_path)
    lock_path = lock_path_for(store)
    key = str(store)
    if key in _held_locks.get():
        yield WriterLock(store, lock_path, reentered=True)
        return
    wait = lock_wait_seconds(wait_seconds)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_path, store, wait)
        _write_holder(fd, owner)
        token = _held_locks.set(_held_locks.get() | {key})
        try:
            yield WriterLock(store, lock_path, reentered=False)
        finally:
            _held_locks.reset(token)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path, store: Path, wait: float) -> None:
    started = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - started
            if waited >= wait:
                raise StoreBusyError(store, waited, read_holder(lock_path)) from None
            time.sleep(min(POLL_SECONDS, max(0.0, wait - waited)))


def _write_holder(fd: int, owner: str) -> None:
    info = {
        "owner": owner,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)


def is_duckdb_lock_conflict(error: BaseException) -> bool:
    """Whether an error is DuckDB refusing a file that another process holds."""
    cause: BaseException | None = error
    while cause is not None:
        # not just "lock": a damaged file's "checksum … in block at location …" says it too
        if isinstance(cause, duckdb.IOException) and "could not set lock" in str(cause).lower():
            return True
        cause = cause.__cause__
    return False


def open_store(store_path: str | Path | None, *, wait_seconds: float | None = None) -> Store:
    """Open the working store, waiting while another process has the DuckDB file open.

    DuckDB's own refusal (a second writer process) becomes `StoreBusyError` after the wait,
    naming the process DuckDB reports, like a taken writer lock.
    """
    store = resolve_store_path(store_path)
    wait = lock_wait_seconds(wait_seconds)
    started = time.monotonic()
    while True:
        try:
            return Store(store)
        except StoreError as error:
            if not is_duckdb_lock_conflict(error):
                raise
            waited = time.monotonic() - started
            if waited >= wait:
                raise StoreBusyError(store, waited, f"DuckDB: {error.__cause__ or error}") from error
            time.sleep(min(POLL_SECONDS * 5, max(0.0, wait - waited)))
