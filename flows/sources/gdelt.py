"""GDELT 2.0 as a discovery source: the 15-minute event export lists point at article URLs.

`url` is an export list: `lastupdate.txt` (the newest files) or `masterfilelist.txt` (all of
them), lines of `<size> <md5> <url>`. Export archives (`…YYYYMMDDHHMMSS.export.CSV.zip`)
newer than the last one read are fetched (at most `max_exports` per run), their md5 checked,
their one CSV member unzipped with a size cap, and the SOURCEURL column (the last of 61)
collected. Only the article URLs are taken from GDELT, never its coding. The newest export
read is remembered as the listing's marker, so a run after no new export does one
conditional GET.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from flows.io.fetching import MEBIBYTE, Fetcher, FetchError
from flows.sources.base import Discovered, DiscoveryResult, FetchState, SourceError, fetch_listing, remember

DEFAULT_LASTUPDATE_URL = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
EXPORT_COLUMNS = 61
SOURCEURL_COLUMN = 60
_EXPORT_NAME = re.compile(r"(\d{14})\.export\.CSV\.zip$", re.IGNORECASE)


@dataclass(frozen=True)
class ExportFile:
    """One export archive named in a list."""

    url: str
    size: int | None
    md5: str | None
    stamp: str


@dataclass
class GdeltSource:
    """Article URLs from GDELT 2.0 event exports."""

    name: str
    url: str = DEFAULT_LASTUPDATE_URL
    max_items: int = 500
    max_exports: int = 1
    max_export_bytes: int = 50 * MEBIBYTE
    max_csv_bytes: int = 200 * MEBIBYTE
    kind: str = "gdelt"

    def discover(self, fetcher: Fetcher, state: Mapping[str, FetchState]) -> DiscoveryResult:
        result = DiscoveryResult(self.name)
        listing = fetch_listing(fetcher, self.url, state, result)
        if listing is None:
            return result
        previous = state.get(self.url)
        last_read = previous.marker if previous else None
        exports = parse_export_list(listing.body.decode("utf-8", errors="replace"), listing.final_url)
        fresh = [e for e in exports if last_read is None or e.stamp > last_read][-self.max_exports :]
        newest_read = last_read
        seen: set[str] = set()
        for export in fresh:
            result.requests += 1
            try:
                fetched = fetcher.fetch(export.url, max_bytes=self.max_export_bytes)
                urls = read_export(fetched.body, export, self.max_csv_bytes)
            except FetchError as error:
                result.fail(export.url, error.reason, error.message, stage="fetch")
                continue
            except SourceError as error:
                result.fail(error.item, error.reason, error.detail)
                newest_read = max(newest_read or "", export.stamp)
                continue
            for url in urls:
                if url not in seen and len(result.items) < self.max_items:
                    seen.add(url)
                    result.items.append(Discovered(url, self.name))
            newest_read = max(newest_read or "", export.stamp)
        remember(result, listing, state, marker=newest_read)
        return result


def parse_export_list(text: str, base: str) -> list[ExportFile]:
    """The event export archives named in a lastupdate/masterfilelist, oldest first."""
    exports = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        url = urljoin(base, parts[-1])
        match = _EXPORT_NAME.search(url)
        if not match:
            continue
        size = int(parts[0]) if len(parts) >= 3 and parts[0].isdigit() else None
        md5 = parts[1].lower() if len(parts) >= 3 and re.fullmatch(r"[0-9a-fA-F]{32}", parts[1]) else None
        exports.append(ExportFile(url, size, md5, match.group(1)))
    return sorted(exports, key=lambda e: e.stamp)


def read_export(body: bytes, export: ExportFile, max_csv_bytes: int) -> list[str]:
    """The http(s) SOURCEURLs of one export archive, in file order, checked against its md5."""
    if export.md5 and hashlib.md5(body, usedforsecurity=False).hexdigest() != export.md5:
        raise SourceError(export.url, "bad_checksum", "md5 of the archive does not match the export list")
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise SourceError(export.url, "bad_archive", f"expected one CSV in the archive, found {len(members)}")
        with archive.open(members[0]) as stream:
            data = stream.read(max_csv_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SourceError(export.url, "bad_archive", f"cannot unzip: {error}") from error
    if len(data) > max_csv_bytes:
        raise SourceError(export.url, "too_large", f"export CSV exceeds {max_csv_bytes} bytes")
    urls = []
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if len(row) < EXPORT_COLUMNS:
            continue
        url = row[SOURCEURL_COLUMN].strip()
        if url.startswith(("http://", "https://")):
            urls.append(url)
    return urls
