"""The named errors the CLI turns into one-line messages instead of tracebacks.

Imported lazily by the CLI's entry point, after the Prefect defaults are in place. Besides the
errors the modules raise by name (`KNOWN_ERRORS`), `named_error` gives a name to the operating
system's refusals a user meets and can fix (a full disk, a folder they cannot write), wherever
they were raised: by Python, or by DuckDB as an IO error.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

import duckdb

from flows.cli.geocode_cli import GeocodeInputError
from flows.cli.temporary_server import TemporaryServerError
from flows.io.fetching import FetchError
from flows.io.locking import StoreBusyError
from flows.io.nlp_errors import CodeTextInputError, ModelNotInstalledError
from flows.io.rawstore import RawStoreError
from flows.io.release import ReleaseError
from flows.io.store import StoreDamagedError, StoreError
from flows.sources.base import SourceError
from flows.sources.config import SourceConfigError
from flows.taskrunners import DaskConfigError
from transforms.confidence import CalibrationDataError
from transforms.extract import ArticleParseError
from transforms.lexicon import LexiconError
from transforms.reference import ReferenceDataError
from transforms.validate import FrameSchemaError

KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    ArticleParseError,
    CalibrationDataError,
    CodeTextInputError,
    DaskConfigError,
    FetchError,
    FileNotFoundError,
    FrameSchemaError,
    GeocodeInputError,
    IsADirectoryError,
    LexiconError,
    ModelNotInstalledError,
    RawStoreError,
    ReferenceDataError,
    ReleaseError,
    SourceConfigError,
    SourceError,
    StoreBusyError,
    StoreError,
    TemporaryServerError,
)


class DiskFullError(OSError):
    """A write failed because the disk (or the file-size limit, or the quota) is full."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(
            f"a write failed ({detail}), {where}: free some space (or raise the quota or file-size limit) "
            f"and run the command again"
        )


class NotWritableError(OSError):
    """A file or folder the command must write is read-only for this user."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(
            f"this user may not write there ({detail}), {where}: make it writable for this user, "
            f"or point the command elsewhere (--store, --releases)"
        )


_FULL = {
    errno.ENOSPC: "no space left on the device",
    errno.EFBIG: "file too large",
    errno.EDQUOT: "disk quota exceeded",
}
_READ_ONLY = {errno.EACCES: "permission denied", errno.EPERM: "not permitted", errno.EROFS: "read-only file system"}
_DUCKDB_FULL = ("no space left on device", "file too large", "disk quota exceeded")
_DUCKDB_READ_ONLY = ("permission denied", "read-only file system")
_DUCKDB_DAMAGED: tuple[str, ...] = ("corrupt database file", "could not read enough bytes")
"""What DuckDB says when a block it reads in a run is damaged (past the check before opening)."""
_QUOTED_PATH = re.compile(r'"(/[^"]+)"')

NAMED_OS_ERRORS: tuple[type[OSError], ...] = (DiskFullError, NotWritableError)
"""The names `named_error` gives to the operating system's refusals."""


def error_chain(error: BaseException) -> list[BaseException]:
    """The error and those it was raised from or during, innermost last."""
    seen: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in seen:
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return seen


def _os_refusal(error: BaseException, written: str) -> Exception | None:
    """The name of the operating system's refusal `error` is (or DuckDB's report of one, or of
    a damaged block it read), or None."""
    if isinstance(error, NAMED_OS_ERRORS):
        return error
    if isinstance(error, OSError) and error.errno in _FULL | _READ_ONLY:
        where = str(error.filename) if error.filename else written
        if error.errno in _FULL:
            return DiskFullError(where, _FULL[error.errno])
        return NotWritableError(where, _READ_ONLY[error.errno])
    if isinstance(error, duckdb.Error):  # an IO error, or a commit that failed on one
        text = str(error)
        found = _QUOTED_PATH.search(text)
        where = found.group(1) if found else written
        lowered = text.lower()
        for words in _DUCKDB_FULL:
            if words in lowered:
                return DiskFullError(where, words)
        for words in _DUCKDB_READ_ONLY:
            if words in lowered:
                return NotWritableError(where, words)
        if found and any(words in lowered for words in _DUCKDB_DAMAGED):
            return StoreDamagedError(Path(found.group(1)), f"DuckDB read a damaged block: {text}")
    return None


def named_error(error: BaseException, written: str = "a file being written") -> BaseException | None:
    """The named error to show the user for `error`, or None when it is a bug (show the traceback).

    A full disk anywhere in the chain wins over the error that wrapped it (whose message cannot
    know to say "free some space"); then a known error is shown as it is (it names what it
    could not read or write); then a refusal of access. `written` says where, when the operating
    system's error does not name the file.
    """
    refusals = [r for link in error_chain(error) if (r := _os_refusal(link, written)) is not None]
    full = [r for r in refusals if isinstance(r, DiskFullError)]
    if full:
        return full[0]
    if isinstance(error, KNOWN_ERRORS):
        return error
    return refusals[0] if refusals else None


def error_line(error: BaseException) -> str:
    """The one line a user sees: `error: <Name>: <what>, <where>, <what to do>`."""
    message = " ".join(str(error).split())
    return f"error: {type(error).__name__}: {message}"
