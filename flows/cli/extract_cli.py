"""`eventwire extract PATH_OR_URL`: what the pipeline sees in one page, as a JSON-able dict.

A local file is read (`.html`/`.htm` as HTML, anything else as plain text); a URL is fetched
with the named fetcher ("http" by default, "recorded" for the offline samples), with the same
safety rules as the ingest flow. Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flows.io.fetching import MEBIBYTE, Fetched, make_fetcher
from flows.sources.base import SourceError
from flows.sources.folder import read_local_file
from transforms.extract import extract_article
from transforms.urls import article_id, canonical_url

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def extract_command(
    path_or_url: str,
    fetcher: str = "http",
    allow_hosts: Sequence[str] | None = None,
    *,
    max_bytes: int = 10 * MEBIBYTE,
) -> dict[str, Any]:
    """The article record of one page or file.

    Raises `FetchError` (fetching failed), `SourceError` (the file cannot be read) or
    `ArticleParseError` (no article in it), each with a short `reason`.
    """
    local = Path(path_or_url).expanduser()
    if "://" not in path_or_url and local.exists():
        return _from_file(local, max_bytes)
    options: dict[str, Any] = {"max_bytes": max_bytes}
    if allow_hosts is not None:
        options["allow_hosts"] = list(allow_hosts)
    the_fetcher = make_fetcher(fetcher, **options)
    try:
        fetched = the_fetcher.fetch(path_or_url)
    finally:
        the_fetcher.close()
    return _record(fetched.body, fetched, url=path_or_url)


def _from_file(path: Path, max_bytes: int) -> dict[str, Any]:
    resolved = path.resolve()
    if not resolved.is_file():
        raise SourceError(str(path), "unreadable", f"{path} is not a file")
    body = read_local_file(resolved, resolved.parent, max_bytes)
    content_type = "text/html" if resolved.suffix.lower() in HTML_SUFFIXES else "text/plain"
    fetched = Fetched(
        url=resolved.as_uri(),
        final_url=resolved.as_uri(),
        status=200,
        headers={},
        body=body,
        content_type=content_type,
        charset=None,
        fetched_at=dt.datetime.now(dt.UTC),
    )
    return _record(body, fetched, url=resolved.as_uri())


def _record(body: bytes, fetched: Fetched, *, url: str) -> dict[str, Any]:
    article = extract_article(body, url=fetched.final_url, content_type=fetched.content_type, charset=fetched.charset)
    canonical = canonical_url(url)
    return {
        "url": url,
        "final_url": fetched.final_url,
        "canonical_url": canonical,
        "article_id": article_id(canonical),
        "title": article.title,
        "author": article.author,
        "date": article.published.date().isoformat() if article.published else None,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "language": article.language,
        "words": len(article.text.split()),
        "charset": article.charset,
        "content_type": fetched.content_type,
        "content_sha256": hashlib.sha256(body).hexdigest(),
        "text": article.text,
    }
