"""From fetched bytes to an article record: main text, title, author, date, language.

Pure: bytes in, record out. HTML goes through trafilatura (comments excluded) and htmldate;
plain text through a paragraph-level boilerplate filter. Both end with the same post-filter,
because boilerplate (share bars, cookie notices, comment boxes) also sits inside article
containers.

The publication date is the first found of, in this order (`published_source` in brackets):

1. the page's machine-readable metadata, read by htmldate: meta tags and JSON-LD, the
   original date before an update (`metadata`);
2. the listing that named the page: a feed entry, a sitemap, a record's own field
   (`feed`, or `metadata` for a record's field);
3. the URL (or the page's canonical URL), read by htmldate (`url`);
4. the visible page (`text`), without the navigation, asides, footers and comment or
   related-links blocks, whose dates belong to other stories (but never a block that holds
   the headline or the story's text): first htmldate's extensive search (its dated elements
   in page order, `<time>` elements in their context, then the text; a result on 1 January
   is its guess from a bare year and is not taken), then a date or byline line at the top
   of the text or a wire dateline, read by dateparser in the article's language.

Where none is found the article says `published=None`, `published_source="none"`: it never
gets today's date silently.

Length is counted in words in the way the text's script is written (`word_count`), so a
Chinese, Japanese or Thai article is measured by its characters and stored with its language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dateparser
import dateparser.languages.loader
import dateparser.search
import htmldate
import lxml.html
import trafilatura
from lxml import etree

from transforms.textclean import (
    choose_language,
    clean_paragraphs,
    decode_body,
    detect_language,
    is_not_found_page,
    normalise_text,
    split_dateline,
    split_paragraphs,
    word_count,
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
    read = _from_html(text, url) if kind == "html" else _from_text(text, title_hint)
    title = read.title or title_hint
    paragraphs = read.paragraphs
    hint = choose_language(detect_language("\n\n".join(paragraphs[:12])), read.declared_language)
    paragraphs, line_date, line_author = _strip_header_lines(paragraphs, title, hint)
    author = read.author or line_author
    if is_not_found_page(title, paragraphs):
        raise ArticleParseError("no_text", f"{url}: the page says it was not found (an error page served as 200)")
    paragraphs = clean_paragraphs(paragraphs)
    if paragraphs:
        _dateline, paragraphs[0] = split_dateline(paragraphs[0])
    article_text = "\n\n".join(paragraphs)
    words = word_count(article_text)
    if words < min_words:
        raise ArticleParseError(
            "no_text",
            f"{url}: {words} words of article text after clean-up (minimum {min_words}; "
            "characters of Chinese, Japanese, Thai and other unspaced scripts are counted as words by their script)",
        )

    def text_date() -> dt.date | None:
        return read.page_date() or line_date

    published, source = _choose_date(
        read.metadata_date, fallback_date, read.url_date, text_date, listing_source=fallback_source
    )
    language = choose_language(detect_language(article_text), read.declared_language)
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
_CANONICAL = re.compile(
    r"<link[^>]+rel\s*=\s*[\"']canonical[\"'][^>]*?href\s*=\s*[\"']([^\"']+)"
    r"|<link[^>]+href\s*=\s*[\"']([^\"']+)[\"'][^>]*?rel\s*=\s*[\"']canonical[\"']",
    re.IGNORECASE,
)
_NOT_THE_STORY_TAGS = frozenset({"aside", "nav", "footer", "form", "menu", "dialog", "template"})
_NOT_THE_STORY_NAMES = re.compile(
    r"(?:^|[\s_-])(?:comments?|related|recommend\w*|more-stories|read-more|sidebar|side-bar|footer|nav\w*|"
    r"menu|promo\w*|newsletter|teaser\w*|trending|most-(?:read|popular)|outbrain|taboola)(?:$|[\s_-])",
    re.IGNORECASE,
)
_STORY_PROBES = 3
"""How many of the story's first paragraphs are looked for in a block before it is removed."""
_PROBE_LENGTH = 60
"""How much of each paragraph is looked for."""
_PROBE_MINIMUM = 30
"""Lines shorter than this (a kicker, a byline) are no probe: they can stand anywhere."""


@dataclass(frozen=True)
class _ReadDocument:
    """What reading a document found before clean-up: the text's paragraphs and its date clues.

    `page_date` runs htmldate's extensive search over the visible page: only called when
    nothing earlier gave a date.
    """

    title: str | None
    author: str | None
    paragraphs: list[str]
    declared_language: str | None = None
    metadata_date: dt.datetime | None = None
    url_date: dt.datetime | None = None
    page_date: Callable[[], dt.date | None] = lambda: None


def _from_html(html: str, url: str) -> _ReadDocument:
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
    meta_date = _date_at_midnight(
        htmldate.find_date(
            metadata_document(html), extensive_search=False, original_date=True, url="", deferred_url_extractor=True
        )
    )
    if meta_date is not None:
        meta_date = precise_publication_time(html, meta_date.date()) or meta_date
    canonical = _CANONICAL.search(html[:200_000])
    canonical_url = next((g for g in canonical.groups() if g), None) if canonical else None
    url_date = url_publication_date(url) or (url_publication_date(canonical_url) if canonical_url else None)
    lang_match = _HTML_LANG.search(html[:2048])
    title, author = fields.get("title"), fields.get("author")
    return _ReadDocument(
        title=title if isinstance(title, str) else None,
        author=author if isinstance(author, str) else None,
        paragraphs=paragraphs,
        declared_language=lang_match.group(1).lower() if lang_match else None,
        metadata_date=meta_date,
        url_date=_date_at_midnight(url_date.isoformat()) if url_date else None,
        page_date=lambda: visible_page_date(html, paragraphs),
    )


def url_publication_date(url: str) -> dt.date | None:
    """The date a URL carries in its path (`/2024/03/14/…`, `/2024-03-14/…`), read by htmldate."""
    try:
        found = htmldate.find_date("<html><body></body></html>", extensive_search=False, url=url)
    except ValueError:
        return None
    return _iso_date(found)


_HEAD = re.compile(r"<head[\s>].*?</head\s*>", re.IGNORECASE | re.DOTALL)
_MACHINE_READABLE = re.compile(
    r"<meta\b[^>]*>|<script[^>]+application/ld\+json[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL
)


def metadata_document(html: str) -> str:
    """The page's machine-readable parts only: its head, its meta tags and JSON-LD.

    htmldate's fast mode also reads visible dated elements; given this document, what it
    finds is the page's metadata, so that `published_source` can say so. `<time datetime>`
    elements are left to the visible page's reading, where htmldate sees them in context:
    taken out of it, the first one wins, and on real pages that is as often a comment's, a
    teaser's or an edit's time as the article's.
    """
    head = _HEAD.search(html)
    start = head.end() if head else 0
    parts = [match.group(0) for match in _MACHINE_READABLE.finditer(html, start)]
    return f"<html>{head.group(0) if head else ''}<body>{''.join(parts)}</body></html>"


def visible_page_date(html: str, story: list[str] | None = None) -> dt.date | None:
    """The date htmldate's extensive search reads from the visible page, less what is not the story.

    The extensive search goes through every element in page order (the fast one only through
    a few tags, so a related-links `<span>` further down beats the article's `<dd>` date), then
    `<time>` elements, then the text. Navigation, asides, footers, forms and blocks named for
    comments, related links or promotions are removed first, their dates belonging to other
    stories, but not where they hold the headline or one of the `story`'s first paragraphs:
    real pages wrap the whole article in a `node-promoted`, `teaser-body` or `sidebar` block,
    or the whole page in a `<form>`. Share bars stay: they often carry the article's date. A result on 1 January is htmldate's fallback from a bare
    year (a copyright line, say) and is refused.
    """
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    lines = (" ".join(paragraph.split()) for paragraph in story or [])
    probes = [line[:_PROBE_LENGTH] for line in lines if len(line) >= _PROBE_MINIMUM][:_STORY_PROBES]
    removed = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and (
            element.tag.lower() in _NOT_THE_STORY_TAGS
            or _NOT_THE_STORY_NAMES.search(f"{element.get('class') or ''} {element.get('id') or ''}")
        )
        and not _holds_the_story(element, probes)
    ]
    for element in removed:
        if element.getparent() is not None:
            element.drop_tree()
    try:
        found = _iso_date(
            htmldate.find_date(tree, extensive_search=True, original_date=True, url="", deferred_url_extractor=True)
        )
    except ValueError:
        return None
    if found is None or (found.month, found.day) == (1, 1):
        return None
    return found


def _holds_the_story(element: Any, probes: list[str]) -> bool:
    """Whether an element holds the story's headline (`<h1>`) or one of its first paragraphs."""
    if element.find(".//h1") is not None:
        return True
    if not probes:
        return False
    text = " ".join(element.text_content().split())
    return any(probe in text for probe in probes)


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _from_text(text: str, title_hint: str | None) -> _ReadDocument:
    paragraphs = split_paragraphs(text)
    title = None
    if paragraphs:
        first = paragraphs[0]
        repeats_hint = bool(title_hint) and _same_title(first, title_hint or "")
        guessed = not title_hint and _looks_like_title(first) and len(paragraphs) > 1
        if repeats_hint or guessed:
            title = first
            paragraphs = paragraphs[1:]
    return _ReadDocument(title=title, author=None, paragraphs=paragraphs)


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


DATE_LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "ru", "uk", "ar", "fa", "tr", "zh", "ja", "ko", "th")
"""The languages dateparser tries on a date line when the article's own is unknown."""
_DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
_FOUR_DIGITS = re.compile(r"\d{4}")
_BUDDHIST_ERA_OFFSET = 543
_DATEPARSER_LANGUAGES = frozenset(dateparser.languages.loader.default_loader.get_locale_map())


def find_text_date(paragraph: str, language: str | None = None) -> dt.date | None:
    """The first full calendar date (day, month and year) written in a string.

    ISO dates and English month names are read by this module's patterns (fast, and the
    commonest case); any other form by dateparser in `language` (or among `DATE_LANGUAGES`):
    "14 марта 2024", "2024年3月14日", "١٤ مارس ٢٠٢٤", "14 มีนาคม 2567" (a Thai Buddhist-era
    year). Only a date that writes its year in digits counts, so relative words
    ("yesterday", "on Sunday") are no date here.
    """
    ascii_digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in paragraph[:300])
    if not _FOUR_DIGITS.search(ascii_digits):
        return None
    return _pattern_date(ascii_digits) or _dateparser_date(paragraph[:300], ascii_digits, language)


def _dateparser_date(paragraph: str, ascii_digits: str, language: str | None) -> dt.date | None:
    languages = [language] if language is not None and language in _DATEPARSER_LANGUAGES else list(DATE_LANGUAGES)
    try:
        found = dateparser.search.search_dates(paragraph, languages=languages, settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input; such a line holds no date
        found = None
    candidates = list(found or ())
    tokens = ascii_digits.split()
    for index, token in enumerate(tokens):
        if _FOUR_DIGITS.search(token):
            candidates.extend(
                _parsed(" ".join(window), languages)
                for window in (tokens[max(0, index - 2) : index + 1], tokens[index : index + 3])
            )
    for candidate in candidates:
        if candidate is None:
            continue
        matched, when = candidate
        digits = "".join(str(unicodedata.digit(ch)) for ch in matched if ch.isdigit())
        if str(when.year) not in digits:
            continue
        year = when.year - _BUDDHIST_ERA_OFFSET if when.year > 2400 else when.year
        try:
            return dt.date(year, when.month, when.day)
        except ValueError:
            continue
    return None


def _parsed(window: str, languages: list[str]) -> tuple[str, dt.datetime] | None:
    """dateparser's reading of a few words around a year, when its search missed the date."""
    try:
        when = dateparser.parse(window, languages=languages, settings=_DATEPARSER_SETTINGS)
    except Exception:  # as in _dateparser_date
        return None
    return (window, when) if isinstance(when, dt.datetime) else None


def _pattern_date(paragraph: str) -> dt.date | None:
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(paragraph):
            values = dict(zip(order, match.groups(), strict=True))
            try:
                month = int(values["mn"]) if "mn" in values else _MONTHS[values["m"][:3].lower()]
                return dt.date(int(values["y"]), month, int(values["d"]))
            except (ValueError, KeyError):
                continue
    return None


def _strip_header_lines(
    paragraphs: list[str], title: str | None, language: str | None = None
) -> tuple[list[str], dt.date | None, str | None]:
    """Remove the repeated headline, byline and date lines from the top of the text.

    Returns the remaining paragraphs, a date found on such a line (read in `language`) or in
    a dateline opening the first paragraph ("GENEVA, Oct 14, 2024 -"), and the byline's name.
    """
    kept = list(paragraphs)
    found_date: dt.date | None = None
    author: str | None = None
    index = 0
    while index < min(len(kept), 4):
        paragraph = kept[index]
        words = word_count(paragraph)
        if title and _same_title(paragraph, title):
            del kept[index]
            continue
        byline = _BYLINE.match(paragraph)
        if byline and words <= 16:
            author = author or byline.group("name")
            found_date = found_date or find_text_date(paragraph, language)
            del kept[index]
            continue
        line_date = find_text_date(paragraph, language) if words <= 14 else None
        if line_date and not looks_like_prose(paragraph):
            found_date = found_date or line_date
            del kept[index]
            continue
        break
    if found_date is None and kept:
        opening = kept[0][:80]
        dateline = _DATELINE_START.match(opening)
        if dateline and re.search(r"[-–—]", opening):
            found_date = find_text_date(opening.split("—")[0].split(" - ")[0].split("–")[0], language)
    return kept, found_date, author


def looks_like_prose(paragraph: str) -> bool:
    """A paragraph that reads as a sentence with a verb-ish length, not a label line."""
    stripped = _DATELINE_LABEL.sub("", paragraph)
    return word_count(stripped) > 10 and stripped.rstrip().endswith((".", "!", "?", '"', "”", "。", "！", "？", "؟"))


def _choose_date(
    meta: dt.datetime | None,
    listing: dt.datetime | None,
    url_date: dt.datetime | None,
    text: Callable[[], dt.date | None],
    *,
    listing_source: str = "feed",
) -> tuple[dt.datetime | None, str]:
    """The publication date and where it came from, in the module docstring's order.

    A day without a time of day (from the markup) takes the listing's time when the listing
    has the same day. `text` is only called when nothing before it gave a date.
    """
    listing_utc = (
        (listing.astimezone(dt.UTC) if listing.tzinfo else listing.replace(tzinfo=dt.UTC)) if listing else None
    )
    if meta is not None:
        if listing_utc is not None and meta.time() == dt.time() and listing_utc.date() == meta.date():
            return listing_utc, "metadata"
        return meta, "metadata"
    if listing_utc is not None:
        return listing_utc, listing_source
    if url_date is not None:
        return url_date, "url"
    text_date = text()
    if text_date is not None:
        return dt.datetime.combine(text_date, dt.time(), dt.UTC), "text"
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
