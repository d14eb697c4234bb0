"""Local folder sources: `.html`/`.htm`, `.txt` and `.jsonl` files under one folder.

A folder source cannot reach outside its folder: symbolic links that point outside are
refused (quarantined as `outside_folder`), hidden files are ignored, files larger than the
cap are refused, and files are opened without following links. HTML and text files are only
read when their article is new; JSON Lines files are read to enumerate their records, each a
JSON object with `text` and optionally `url`, `id`, `title`, `author`, `published`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flows.io.fetching import MEBIBYTE, Fetcher
from flows.sources.base import Discovered, DiscoveryResult, FetchState, SourceError
from flows.sources.feed import parse_iso_datetime

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}


@dataclass
class FolderSource:
    """Files under `path` (recursively)."""

    name: str
    path: Path
    max_items: int = 10_000
    max_bytes: int = 10 * MEBIBYTE
    kind: str = "folder"

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
        result = DiscoveryResult(self.name)
        root = self.path.resolve()
        if not root.is_dir():
            result.fail(str(self.path), "missing_folder", f"{self.path} is not a folder", listing=True)
            return result
        host = source_host(self.name)
        for file in _walk(root):
            relative = file.relative_to(root).as_posix()
            item = f"file://{host}/{quote(relative)}"
            suffix = file.suffix.lower()
            if suffix not in CONTENT_TYPES and suffix != ".jsonl":
                continue
            if file.is_symlink() and not file.resolve().is_relative_to(root):
                result.fail(item, "outside_folder", f"{relative} links outside {root}")
                continue
            if suffix == ".jsonl":
                try:
                    body = read_local_file(file, root, self.max_bytes)
                except SourceError as error:
                    result.fail(item, error.reason, error.detail)
                    continue
                _jsonl_items(body, item, self.name, result)
            else:
                result.items.append(
                    Discovered(
                        item,
                        self.name,
                        content_type=CONTENT_TYPES[suffix],
                        local_path=str(file),
                        local_root=str(root),
                    )
                )
            if len(result.items) >= self.max_items:
                break
        result.items = result.items[: self.max_items]
        return result


def source_host(name: str) -> str:
    """A source name as the host part of its `file:` URLs (lower-case letters, digits, dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "local"


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []
    for directory, subdirectories, names in os.walk(root, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        files.extend(Path(directory) / n for n in sorted(names) if not n.startswith("."))
    return files


def read_local_file(path: Path | str, root: Path | str, max_bytes: int) -> bytes:
    """Read a file that must lie inside `root`, without following a link out of it."""
    root_path = Path(root).resolve()
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(root_path):
        raise SourceError(str(path), "outside_folder", f"{path} is outside {root_path}")
    try:
        descriptor = os.open(resolved, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise SourceError(str(path), "unreadable", f"cannot open {path}: {error.strerror}") from error
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(str(path), "unreadable", f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise SourceError(str(path), "too_large", f"{path} has {info.st_size} bytes, more than {max_bytes}")
        return handle.read(max_bytes + 1)[:max_bytes]


def _jsonl_items(body: bytes, item: str, source_name: str, result: DiscoveryResult) -> None:
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        line_item = f"{item}?line={number}"
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError) as error:
            result.fail(line_item, "bad_json", f"line {number}: {error}")
            continue
        text = record.get("text") if isinstance(record, dict) else None
        if not isinstance(text, str) or not text.strip():
            result.fail(line_item, "no_text", f"line {number} has no text")
            continue
        url = record.get("url")
        if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            record_id = record.get("id")
            url = f"{item}?id={quote(str(record_id), safe='')}" if record_id not in (None, "") else line_item
        result.items.append(
            Discovered(
                url,
                source_name,
                title=_str_or_none(record.get("title")),
                published=parse_iso_datetime(record.get("published") or record.get("date")),
                published_source="metadata",
                author=_str_or_none(record.get("author")),
                content=text.encode("utf-8"),
                content_type="text/plain",
            )
        )


def _str_or_none(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None
