"""From fetched bytes to an article record: main text, title, author, date, language.

Pure: bytes in, record out. HTML goes through trafilatura (comments excluded) and htmldate
(page metadata only, no guessing from the page's whole text, no "today" fallback); plain text
through a paragraph-level boilerplate filter. Both end with the same post-filter, because
boilerplate (share bars, cookie notices, comment boxes) also sits inside article containers.

A date is taken, in order, from the page's metadata, from the feed that listed the page, or
from a dateline or byline line at the top of the text. Where none is found the article says
`published=None`, `published_source="none"`: it never gets today's date silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import htmldate
import trafilatura

from transforms.textclean import (
    clean_paragraphs,
    decode_body,
    detect_language,
    is_not_found_page,
    normalise_text,
    split_dateline,
    split_paragraphs,
)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
DEFAULT_MIN_WORDS = 25


class ArticleParseError(ValueError):
    """No usable article in the bytes; `reason` is the quarantine code (`no_text`, `content_type`)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ExtractedArticle:
    """What extraction found in one page or text."""

    title: str | None
    author: str | None
    published: dt.datetime | None
    published_source: str
    language: str | None
    text: str
    charset: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "language": self.language,
            "text": self.text,
            "charset": self.charset,
        }


def extract_article(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    charset: str | None = None,
    fallback_date: dt.datetime | None = None,
    fallback_source: str = "feed",
    title_hint: str | None = None,
    min_words: int = DEFAULT_MIN_WORDS,
) -> ExtractedArticle:
    """Extract the article in `body` (HTML or plain text).

    `charset` is the one the server declared (checked against the bytes, not trusted);
    `fallback_date` is a date from the listing (feed entry, sitemap; `fallback_source` says
    which: "feed", or "metadata" for a record's own field), used when the page has none in
    its metadata, and to add the time of day to a metadata date of the same day; `title_hint` is the listing's title, used when the page has none.
    Raises `ArticleParseError` when no usable text remains.
    """
    kind = _kind(body, content_type)
    text, used_charset = decode_body(body, charset)
    if kind == "html":
        title, author, meta_date, paragraphs, page_language = _from_html(text, url)
    else:
        title, author, meta_date, paragraphs, page_language = _from_text(text, title_hint)
    title = title or title_hint
    paragraphs, line_date, line_author = _strip_header_lines(paragraphs, title)
    author = author or line_author
    if is_not_found_page(title, paragraphs):
        raise ArticleParseError("no_text", f"{url}: the page says it was not found (an error page served as 200)")
    paragraphs = clean_paragraphs(paragraphs)
    if paragraphs:
        _dateline, paragraphs[0] = split_dateline(paragraphs[0])
    article_text = "\n\n".join(paragraphs)
    words = len(article_text.split())
    if words < min_words:
        raise ArticleParseError("no_text", f"{url}: {words} words of article text after clean-up (minimum {min_words})")
    published, source = _choose_date(meta_date, fallback_date, line_date, fallback_source)
    language = detect_language(article_text) or page_language
    return ExtractedArticle(
        title=_clean_title(title),
        author=_clean_author(author),
        published=published,
        published_source=source,
        language=language,
        text=article_text,
        charset=used_charset,
    )


def _kind(body: bytes, content_type: str | None) -> str:
    media = (content_type or "").split(";")[0].strip().lower()
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    head = body[:1024].lstrip().lower()
    if not media or media == "application/octet-stream":
        if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p", b"<div")):
            return "html"
        if b"\x00" not in head:
            return "text"
    raise ArticleParseError("content_type", f"cannot extract an article from {media or 'unknown content'}")


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)


def _from_html(html: str, url: str) -> tuple[str | None, str | None, dt.datetime | None, list[str], str | None]:
    html = _XML_DECLARATION.sub("", html, count=1)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        fields: dict[str, Any] = {}
    else:
        fields = document if isinstance(document, dict) else document.as_dict()
    main_text = fields.get("text")
    if not isinstance(main_text, str) or not main_text.strip():
        raise ArticleParseError("no_text", f"{url}: no main text found in the page")
    paragraphs = [line for line in normalise_text(main_text).split("\n") if line.strip()]
    found = htmldate.find_date(html, extensive_search=False, original_date=True, url=url)
    meta_date = _date_at_midnight(found)
    if meta_date is not None:
        meta_date = precise_publication_time(html, meta_date.date()) or meta_date
    lang_match = _HTML_LANG.search(html[:2048])
    title, author = fields.get("title"), fields.get("author")
    return (
        title if isinstance(title, str) else None,
        author if isinstance(author, str) else None,
        meta_date,
        paragraphs,
        lang_match.group(1).lower() if lang_match else None,
    )


def _from_text(
    text: str, title_hint: str | None
) -> tuple[str | None, str | None, dt.datetime | None, list[str], str | None]:
    paragraphs = split_paragraphs(text)
    title = None
    if paragraphs:
        first = paragraphs[0]
        repeats_hint = bool(title_hint) and _same_title(first, title_hint or "")
        guessed = not title_hint and _looks_like_title(first) and len(paragraphs) > 1
        if repeats_hint or guessed:
            title = first
            paragraphs = paragraphs[1:]
    return title, None, None, paragraphs, None


def _looks_like_title(paragraph: str) -> bool:
    words = paragraph.split()
    return 2 <= len(words) <= 25 and not paragraph.rstrip().endswith((".", ",", ";", ":")) and paragraph[0].isupper()


def _same_title(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())

    return norm(a) == norm(b)


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.IGNORECASE), ("m", "d", "y")),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b", re.IGNORECASE), ("d", "m", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
)
_DATELINE_LABEL = re.compile(
    r"^(published|posted|updated|last updated|first published|date|dateline)?\s*(on|:)?\s*", re.IGNORECASE
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|reporting by)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|van|von|der|al|bin|el)){0,6})",
)
_DATELINE_START = re.compile(r"^[A-Z][A-Za-z .'-]{1,40},?\s*(?:\([^)]{1,40}\))?\s*[-–—:,]?\s*")


def find_text_date(paragraph: str) -> dt.date | None:
    """The first full calendar date (day, month and year) written in a string."""
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(paragraph):
            values = dict(zip(order, match.groups(), strict=True))
            try:
                month = int(values["mn"]) if "mn" in values else _MONTHS[values["m"][:3].lower()]
                return dt.date(int(values["y"]), month, int(values["d"]))
            except (ValueError, KeyError):
                continue
    return None


def _strip_header_lines(paragraphs: list[str], title: str | None) -> tuple[list[str], dt.date | None, str | None]:
    """Remove the repeated headline, byline and date lines from the top of the text.

    Returns the remaining paragraphs, a date found on such a line or in a dateline opening the
    first paragraph ("GENEVA, Oct 14, 2024 -"), and the byline's name.
    """
    kept = list(paragraphs)
    found_date: dt.date | None = None
    author: str | None = None
    index = 0
    while index < min(len(kept), 4):
        paragraph = kept[index]
        words = len(paragraph.split())
        if title and _same_title(paragraph, title):
            del kept[index]
            continue
        byline = _BYLINE.match(paragraph)
        if byline and words <= 16:
            author = author or byline.group("name")
            found_date = found_date or find_text_date(paragraph)
            del kept[index]
            continue
        line_date = find_text_date(paragraph) if words <= 14 else None
        if line_date and not looks_like_prose(paragraph):
            found_date = found_date or line_date
            del kept[index]
            continue
        break
    if found_date is None and kept:
        opening = kept[0][:80]
        dateline = _DATELINE_START.match(opening)
        if dateline and re.search(r"[-–—]", opening):
            found_date = find_text_date(opening.split("—")[0].split(" - ")[0].split("–")[0])
    return kept, found_date, author


def looks_like_prose(paragraph: str) -> bool:
    """A paragraph that reads as a sentence with a verb-ish length, not a label line."""
    stripped = _DATELINE_LABEL.sub("", paragraph)
    return len(stripped.split()) > 10 and stripped.rstrip().endswith((".", "!", "?", '"', "”"))


def _choose_date(
    meta: dt.datetime | None, listing: dt.datetime | None, text: dt.date | None, listing_source: str = "feed"
) -> tuple[dt.datetime | None, str]:
    listing_utc = (
        (listing.astimezone(dt.UTC) if listing.tzinfo else listing.replace(tzinfo=dt.UTC)) if listing else None
    )
    if meta is not None:
        if listing_utc is not None and meta.time() == dt.time() and listing_utc.date() == meta.date():
            return listing_utc, "metadata"
        return meta, "metadata"
    if listing_utc is not None:
        return listing_utc, listing_source
    if text is not None:
        return dt.datetime.combine(text, dt.time(), dt.UTC), "text"
    return None, "none"


_PUBLISHED_META = (
    re.compile(
        r"<meta[^>]+(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|og:published_time|datePublished|"
        r"pubdate|publishdate|publish-date|dc\.date\.issued|sailthru\.date)[\"'][^>]*?content\s*=\s*[\"']([^\"']+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"<meta[^>]+content\s*=\s*[\"']([^\"']+)[\"'][^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|"
        r"og:published_time|datePublished|pubdate|publishdate)[\"']",
        re.IGNORECASE,
    ),
    re.compile(r"[\"']datePublished[\"']\s*:\s*[\"']([^\"']+)[\"']"),
    re.compile(r"itemprop\s*=\s*[\"']datePublished[\"'][^>]*?(?:content|datetime)\s*=\s*[\"']([^\"']+)", re.IGNORECASE),
    re.compile(
        r"<time[^>]+class\s*=\s*[\"'][^\"']*publish[^\"']*[\"'][^>]*?datetime\s*=\s*[\"']([^\"']+)", re.IGNORECASE
    ),
)


def precise_publication_time(html: str, day: dt.date) -> dt.datetime | None:
    """The full publication timestamp from the page's metadata, if one has the date `day`.

    htmldate finds the date; this keeps its time of day too (in UTC), which orders an
    original before a syndicated copy published later the same day.
    """
    for pattern in _PUBLISHED_META:
        for match in pattern.finditer(html):
            try:
                stamp = dt.datetime.fromisoformat(match.group(1).strip())
            except ValueError:
                continue
            if stamp.tzinfo is not None and stamp.date() == day:
                return stamp.astimezone(dt.UTC)
    return None


def _date_at_midnight(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value[:10]), dt.time(), dt.UTC)
    except ValueError:
        return None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    cleaned = " ".join(title.split())
    return cleaned or None


def _clean_author(author: str | None) -> str | None:
    if not author:
        return None
    cleaned = re.sub(r"^(by|written by)\s+", "", " ".join(author.split()), flags=re.IGNORECASE)
    return cleaned or None
