"""Extraction: main text, title, author, date and language from HTML and plain text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.enums import PUBLISHED_SOURCES
from transforms.extract import ArticleParseError, extract_article, find_text_date
from transforms.textclean import clean_paragraphs, decode_body, detect_language, is_boilerplate

STORY = [
    "Ministers from the two river states signed an agreement on Thursday to share water from the "
    "upper dam during the dry season, ending a dispute that had lasted more than a decade.",
    "Under the deal, the upstream state will release a fixed minimum flow each week from March to "
    "June, and a joint commission will publish the readings of every gauge along the river.",
    "Farmers' unions in the downstream province welcomed the accord but said they would watch "
    "closely whether the promised releases actually arrived in the irrigation canals.",
]
PROSE = "\n\n".join(STORY)

BLOG_TAIL = """

Post a Comment

0 Comments
* Please Don't Spam Here. All the Comments are Reviewed by Admin.

#buttons=(Accept !) #days=(30)

This website uses cookies to improve your experience. Learn More
Accept !"""

SHARE_TAIL = """

Share this:
Facebook | X | WhatsApp | Email

Leave a Reply

2 Comments

Reader one: I was at the dam last week and the gates were shut, this deal will not last.

Reader two: The commission will be ignored like the last one was.

We use cookies to give you the best experience. By continuing to browse you agree to our cookie policy.
OK"""


def page(body: str, *, head: str = "", lang: str = "en", charset: str = "utf-8") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="{charset}">{head}</head><body>'
        '<div class="cookie-banner"><p>We use cookies to improve your experience on our site.</p>'
        "<button>Accept all</button><button>Manage preferences</button></div>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        f"{body}"
        '<section class="comments"><h3>3 Comments</h3>'
        "<p>Reader: The army burned our village yesterday and the ministers do nothing about it.</p></section>"
        '<aside><h3>Related stories</h3><ul><li><a href="/a">Dam gates opened after talks, 12 March 2023</a></li></ul></aside>'
        "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>"
    )


ARTICLE_BODY = (
    "<article><h1>River states sign water-sharing accord</h1><p class='byline'>By Amina Diallo</p>"
    + "".join(f"<p>{p}</p>" for p in STORY[:2])
    + "<div class='share'>Share this article: Facebook | Twitter | Email</div>"
    + "<p>READ MORE: Drought empties reservoirs across the region</p>"
    + f"<p>{STORY[2]}</p>"
    + "<p>Reporting by Amina Diallo; editing by Tom Berg</p></article>"
)
DATED_HEAD = (
    "<title>River states sign water-sharing accord | Example News</title>"
    '<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">'
)


def test_html_article_loses_banner_share_comments_and_trailers() -> None:
    article = extract_article(
        page(ARTICLE_BODY, head=DATED_HEAD).encode(), url="https://news.example/x", content_type="text/html"
    )
    assert article.text == PROSE
    assert article.title == "River states sign water-sharing accord"
    assert article.author == "Amina Diallo"
    assert article.published == dt.datetime(2024, 3, 14, 8, 30, tzinfo=dt.UTC)
    assert article.published_source == "metadata"
    assert article.language == "en"


@pytest.mark.parametrize(
    ("tail", "label"),
    [(BLOG_TAIL, "blog"), (SHARE_TAIL, "share-and-comments")],
    ids=["blog-comment-box-and-cookie-notice", "share-prompt-reply-box-comments-cookie"],
)
def test_plain_text_tail_is_removed(tail: str, label: str) -> None:
    text = "River states sign water-sharing accord\n\n" + PROSE + tail
    article = extract_article(text.encode(), url=f"file://inbox/{label}.txt", content_type="text/plain")
    assert article.text == PROSE
    assert article.title == "River states sign water-sharing accord"


@pytest.mark.parametrize(
    ("text", "published", "source"),
    [
        ("Accord signed\nPublished: 2024-11-05\n\n" + PROSE, dt.datetime(2024, 11, 5, tzinfo=dt.UTC), "text"),
        ("Accord signed\nBy Amina Diallo, March 14, 2024\n\n" + PROSE, dt.datetime(2024, 3, 14, tzinfo=dt.UTC), "text"),
        ("NIAMEY, 14 March 2024 (Example) — " + PROSE, dt.datetime(2024, 3, 14, tzinfo=dt.UTC), "text"),
        ("Accord signed\n\n" + PROSE, None, "none"),
    ],
    ids=["published-line", "byline-with-date", "dateline", "no-date"],
)
def test_plain_text_dates(text: str, published: dt.datetime | None, source: str) -> None:
    article = extract_article(text.encode(), url="file://inbox/a.txt", content_type="text/plain")
    assert (article.published, article.published_source) == (published, source)
    assert article.text.endswith(STORY[-1])


def test_page_without_any_date_has_none_never_today() -> None:
    body = "<article><h1>Why the river dispute lasted</h1>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
    article = extract_article(page(body).encode(), url="https://news.example/analysis/river", content_type="text/html")
    assert article.published is None
    assert article.published_source == "none"


def test_listing_date_is_used_when_the_page_has_none() -> None:
    body = "<article><h1>Why the river dispute lasted</h1>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
    feed_date = dt.datetime(2024, 3, 15, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    article = extract_article(
        page(body).encode(), url="https://news.example/a", content_type="text/html", fallback_date=feed_date
    )
    assert article.published == dt.datetime(2024, 3, 15, 4, 0, tzinfo=dt.UTC)
    assert article.published_source == "feed"


@pytest.mark.parametrize(
    "html",
    [
        page(
            "<div class='consent'><h1>Before you continue</h1><p>We value your privacy. We and our partners "
            "use cookies to store and/or access information on a device.</p><p>By clicking accept you agree "
            "to our cookie policy.</p><button>Accept all</button><button>Reject all</button></div>"
        ),
        page(
            "<main><h1>Sorry, we can't find that page</h1><p>The page you asked for may have been moved or "
            "removed. Try searching, or go back to the homepage.</p><p>Error code: 404</p></main>",
            head="<title>Page not found</title>",
        ),
        "<html><body><p>Subscribe to continue reading.</p></body></html>",
    ],
    ids=["consent-wall", "soft-404", "paywall-stub"],
)
def test_pages_without_an_article_are_refused(html: str) -> None:
    with pytest.raises(ArticleParseError) as raised:
        extract_article(html.encode(), url="https://news.example/x", content_type="text/html")
    assert raised.value.reason == "no_text"


def test_unsupported_content_is_refused() -> None:
    with pytest.raises(ArticleParseError) as raised:
        extract_article(b"%PDF-1.7\x00\x01", url="https://news.example/x.pdf", content_type="application/pdf")
    assert raised.value.reason == "content_type"


QUOTED = "The minister said \u201cthe accord is fair\u201d and the caf\u00e9 owners cheered. " + PROSE


@pytest.mark.parametrize(
    ("body", "declared", "expected_charset"),
    [
        (QUOTED.encode("cp1252"), "utf-8", "cp1252"),
        (QUOTED.encode("utf-8"), "iso-8859-1", "utf-8"),
        (QUOTED.encode("utf-8"), None, "utf-8"),
        (b"\xef\xbb\xbf" + QUOTED.encode("utf-8"), "cp1252", "utf-8"),
    ],
    ids=["cp1252-declared-utf8", "utf8-declared-latin1", "utf8-undeclared", "bom-wins"],
)
def test_wrong_or_missing_charsets_decode_correctly(body: bytes, declared: str | None, expected_charset: str) -> None:
    text, used = decode_body(body, declared)
    assert text == QUOTED
    assert used == expected_charset


def test_html_with_wrong_charset_keeps_its_quotes() -> None:
    html = page("<article><h1>Accord</h1><p>" + QUOTED.replace("\n\n", "</p><p>") + "</p></article>")
    article = extract_article(
        html.encode("cp1252"), url="https://news.example/x", content_type="text/html", charset="utf-8"
    )
    assert "\u201cthe accord is fair\u201d" in article.text
    assert "caf\u00e9" in article.text
    assert article.charset == "cp1252"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (PROSE, "en"),
        (
            "Les ministres des deux pays ont signé jeudi un accord sur le partage de l'eau du barrage, "
            "mettant fin à un différend qui durait depuis plus de dix ans selon les responsables de la région.",
            "fr",
        ),
        (
            "Die Minister der beiden Staaten haben am Donnerstag ein Abkommen über die Verteilung des Wassers "
            "unterzeichnet, das einen Streit beendet, der seit mehr als zehn Jahren andauerte.",
            "de",
        ),
        ("Министры двух государств подписали в четверг соглашение о разделе воды из верхней плотины.", "ru"),
        ("Accord signed.", None),
    ],
    ids=["english", "french", "german", "russian", "too-short"],
)
def test_language_detection(text: str, language: str | None) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("paragraph", "boilerplate"),
    [
        ("Share on Facebook | Share on X | Email", True),
        ("Our website uses cookies to enhance your experience. Learn More", True),
        ("Ok, Got it!", True),
        ("#buttons=(Accept !) #days=(20)", True),
        ("Sign up for our daily newsletter to get the news in your inbox.", True),
        ("All comments are moderated before they appear.", True),
        ("Reporting by Amina Diallo; editing by Tom Berg", True),
        ("Advertisement", True),
        (STORY[0], False),
        ("The regulator said the website uses cookies to track readers without consent, and fined the company.", False),
        ("Share prices fell sharply on Monday after the central bank raised interest rates by half a point.", False),
    ],
    ids=[
        "share-bar",
        "cookie-notice",
        "consent-button",
        "template-markup",
        "newsletter",
        "moderation-note",
        "credit-trailer",
        "advertisement",
        "news-sentence",
        "news-about-cookies",
        "news-starting-with-share",
    ],
)
def test_boilerplate_paragraphs(paragraph: str, boilerplate: bool) -> None:
    assert is_boilerplate(paragraph) is boilerplate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published October 14, 2024", dt.date(2024, 10, 14)),
        ("Updated: 3 Sept. 2024 10:02 GMT", dt.date(2024, 9, 3)),
        ("2024-11-05", dt.date(2024, 11, 5)),
        ("February 30, 2024", None),
        ("on Sunday", None),
    ],
    ids=["month-day-year", "day-month-year", "iso", "impossible-date", "relative"],
)
def test_find_text_date(text: str, expected: dt.date | None) -> None:
    assert find_text_date(text) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=120), max_size=12))
def test_clean_paragraphs_only_removes_and_keeps_order(paragraphs: list[str]) -> None:
    cleaned = clean_paragraphs(paragraphs)
    iterator = iter(paragraphs)
    assert all(any(p == q for q in iterator) for p in cleaned)


def test_seed_article_keeps_the_story_and_drops_its_tail(shared_eval: Path) -> None:
    raw = (shared_eval / "seed" / "article.txt").read_bytes()
    article = extract_article(raw, url="file://seed/article.txt", content_type="text/plain")
    lowered = article.text.lower()
    assert "post a comment" not in lowered
    assert "cookies" not in lowered
    assert "spam" not in lowered
    assert article.text.rstrip().endswith(".")
    assert article.title and len(article.title.split()) > 5
    assert article.published is None and article.published_source == "none"
    assert len(article.text.split()) > 300


@settings(max_examples=120, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from(["<p>", "</p>", "<div>", "<html>", "&amp;", "<!--", "text words here. ", "<?xml?>"]),
            max_size=60,
        ).map(lambda parts: "".join(parts).encode()),
    ),
    st.sampled_from(["text/html", "text/plain", None, "application/octet-stream"]),
)
def test_extraction_returns_an_article_or_a_parse_error_for_any_bytes(body: bytes, content_type: str | None) -> None:
    try:
        article = extract_article(body, url="https://news.example/x", content_type=content_type, min_words=1)
    except ArticleParseError as error:
        assert error.reason in {"no_text", "content_type"}
        return
    assert article.text.strip()
    assert article.published_source in PUBLISHED_SOURCES


DATELINES = [
    (
        "wire with date",
        "KYIV, Sept 6 (EventWire) — Ukrainian President flew.",
        "KYIV, Sept 6 (EventWire)",
        "Ukrainian President flew.",
    ),
    (
        "city and country",
        "QUETTA, Pakistan, Nov 9 (EventWire) — A bomber struck.",
        "QUETTA, Pakistan, Nov 9 (EventWire)",
        "A bomber struck.",
    ),
    (
        "two-word city",
        "UNITED NATIONS, Sept 24 (EventWire) — Guterres spoke.",
        "UNITED NATIONS, Sept 24 (EventWire)",
        "Guterres spoke.",
    ),
    ("agency only", "LONDON (Reuters) - Britain said so.", "LONDON (Reuters)", "Britain said so."),
    ("abbreviated month", "BEIJING, Oct. 3 (Xinhua) -- China said.", "BEIJING, Oct. 3 (Xinhua)", "China said."),
    ("bare city", "WASHINGTON — The Senate voted.", "WASHINGTON", "The Senate voted."),
    ("acronym and dash is prose", "NATO - the alliance - met.", None, "NATO - the alliance - met."),
    ("country name is prose", "Russia - a country - said.", None, "Russia - a country - said."),
    ("plain sentence", "US officials said on Monday.", None, "US officials said on Monday."),
]


@pytest.mark.parametrize(("text", "dateline", "rest"), [d[1:] for d in DATELINES], ids=[d[0] for d in DATELINES])
def test_wire_datelines_are_split_off(text: str, dateline: str | None, rest: str) -> None:
    from transforms.textclean import split_dateline

    assert split_dateline(text) == (dateline, rest)


def test_extracted_text_does_not_start_with_the_dateline() -> None:
    body = (
        "<html><head><title>Talks</title><meta property='article:published_time' content='2024-09-06T08:00:00Z'>"
        "</head><body><article><h1>Talks</h1><p>KYIV, Sept 6 (EventWire) — Ukrainian President Volodymyr Zelensky "
        "flew to Germany on Friday to ask Western allies for more air defence systems before winter.</p>"
        "<p>He met Chancellor Olaf Scholz in Berlin and the two leaders signed a declaration on long-term "
        "security cooperation between their countries, officials said.</p></article></body></html>"
    ).encode()
    article = extract_article(body, url="https://x.test/a.html", content_type="text/html")
    assert article.text.startswith("Ukrainian President Volodymyr Zelensky flew to Germany")
