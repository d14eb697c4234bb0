"""The raw store: every fetched body kept once, compressed, under the sha256 of its bytes.

`data/working/raw/ab/cdef….gz` holds the body whose sha256 is `abcdef…`. Writing the same
bytes twice costs nothing; a write lands complete or not at all (temporary file, then
rename), so re-extracting or re-coding never needs to fetch again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class RawStoreError(RuntimeError):
    """A body could not be stored or read back intact."""


class RawStore:
    """Content-addressed, gzip-compressed bytes under `root`."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path_for(self, digest: str) -> Path:
        if not _SHA256.match(digest):
            raise RawStoreError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / f"{digest[2:]}.gz"

    def put(self, body: bytes) -> str:
        """Store `body` (if not stored yet) and return its sha256."""
        digest = hashlib.sha256(body).hexdigest()
        path = self.path_for(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".gz")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
                out.write(body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def has(self, digest: str) -> bool:
        return self.path_for(digest).exists()

    def get(self, digest: str) -> bytes:
        """The bytes stored under `digest`, checked against it."""
        try:
            body = gzip.decompress(self.path_for(digest).read_bytes())
        except (OSError, EOFError) as error:
            raise RawStoreError(f"cannot read raw body {digest}: {error}") from error
        if hashlib.sha256(body).hexdigest() != digest:
            raise RawStoreError(f"raw body {digest} is corrupt (its hash differs)")
        return body
