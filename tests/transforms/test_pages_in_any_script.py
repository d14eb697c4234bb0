"""Golden pages in ten languages and six scripts: publication date, its source, language, length.

`tests/transforms/pages/` holds small hand-written news pages; `golden.tsv` says for each the
URL it is served under, the publication time expected (UTC; `-` for none), where that date
must come from (`published_source`) and the language. Every page carries the navigation, a
related-stories aside with another story's date and a copyright footer, which must not be
taken for the page's own date.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.extract import ArticleParseError, extract_article, find_text_date
from transforms.languages import is_coded_language
from transforms.textclean import choose_language, detect_language, word_count

PAGES = Path(__file__).parent / "pages"
GOLDEN = list(csv.DictReader((PAGES / "golden.tsv").open(encoding="utf-8"), delimiter="\t"))


def _stamp(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else "-"


@pytest.mark.parametrize("row", GOLDEN, ids=[row["id"] for row in GOLDEN])
def test_golden_page(row: dict[str, str]) -> None:
    article = extract_article((PAGES / f"{row['id']}.html").read_bytes(), url=row["url"], content_type="text/html")
    assert (_stamp(article.published), article.published_source, article.language) == (
        row["published"],
        row["source"],
        row["language"],
    )
    assert "2023" not in article.text, "the related-stories aside leaked into the text"


def test_golden_pages_cover_scripts_and_date_places() -> None:
    scripts = {
        "en": "Latin",
        "fr": "Latin",
        "de": "Latin",
        "ru": "Cyrillic",
        "uk": "Cyrillic",
        "zh": "Han",
        "ja": "Han",
    }
    scripts |= {"ar": "Arabic", "th": "Thai", "ko": "Hangul"}
    assert {scripts[row["language"]] for row in GOLDEN} == {"Latin", "Cyrillic", "Han", "Arabic", "Thai", "Hangul"}
    assert {row["source"] for row in GOLDEN} == {"metadata", "url", "text", "none"}
    assert any("jsonld" in row["id"] for row in GOLDEN) and any("meta" in row["id"] for row in GOLDEN)


def test_a_listing_date_comes_before_the_url() -> None:
    row = next(r for r in GOLDEN if r["id"] == "zh-url")
    listed = dt.datetime(2024, 8, 15, 9, 45, tzinfo=dt.UTC)
    article = extract_article(
        (PAGES / "zh-url.html").read_bytes(), url=row["url"], content_type="text/html", fallback_date=listed
    )
    assert (article.published, article.published_source) == (listed, "feed")


CHINESE_STORY = (
    "河滨市议会周二投票决定，禁止重型卡车通过枫河上的旧桥，因为工程师在两个桥墩中发现了裂缝。\n\n"
    "市长表示，维修工程将于春季开始，预计耗资约四百万元。施工期间，公共汽车和小汽车仍可通行。"
)


def test_a_chinese_text_is_stored_with_its_language_and_not_coded() -> None:
    article = extract_article(CHINESE_STORY.encode(), url="file://inbox/zh.txt", content_type="text/plain")
    assert article.language == "zh"
    assert article.text == CHINESE_STORY
    assert not is_coded_language(article.language)


def test_a_chinese_text_too_short_for_an_article_is_refused() -> None:
    with pytest.raises(ArticleParseError) as raised:
        extract_article(
            "河滨市议会周二投票决定禁止卡车过桥。".encode(), url="file://inbox/zh.txt", content_type="text/plain"
        )
    assert raised.value.reason == "no_text"
    assert "8 words" in raised.value.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The council voted on Tuesday.", 5),
        ("Городской совет проголосовал во вторник.", 5),
        ("صوّت المجلس البلدي يوم الثلاثاء.", 5),
        ("市议会周二投票。", 3),
        ("市議会は火曜日に決めた。", 5),
        ("สภาเมืองลงมติ", 2),
        ("Riverton 市议会 voted", 3),
        ("— | · 123", 1),
        ("", 0),
    ],
    ids=["english", "russian", "arabic", "chinese", "japanese", "thai", "mixed", "punctuation-and-a-number", "empty"],
)
def test_word_count_fits_the_script(text: str, words: int) -> None:
    assert word_count(text) == words


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Опубликовано 14 марта 2024, 10:30", "ru", dt.date(2024, 3, 14)),
        ("发布时间：2024年6月18日 10:30", "zh", dt.date(2024, 6, 18)),
        ("نشر في ٥ أكتوبر ٢٠٢٤", "ar", dt.date(2024, 10, 5)),
        ("เผยแพร่ 14 มีนาคม 2567", "th", dt.date(2024, 3, 14)),
        ("Mis à jour le 9 avril 2024", "fr", dt.date(2024, 4, 9)),
        ("입력 2024년 8월 27일 09:10", None, dt.date(2024, 8, 27)),
        ("вчера в 10:30", "ru", None),
        ("© 2024 Example News", "en", None),
    ],
    ids=[
        "russian",
        "chinese",
        "arabic-digits",
        "thai-buddhist-year",
        "french",
        "korean-unknown-language",
        "relative",
        "year-only",
    ],
)
def test_find_text_date_in_other_languages(text: str, language: str | None, expected: dt.date | None) -> None:
    assert find_text_date(text, language) == expected


@pytest.mark.parametrize(
    ("text", "declared", "language"),
    [
        ("Міська рада проголосувала у вівторок за закриття старого мосту для вантажівок.", "uk", "uk"),
        ("Міська рада проголосувала у вівторок за закриття старого мосту для вантажівок.", None, "ru"),
        (CHINESE_STORY, "en", "zh"),
        (CHINESE_STORY, "zh-CN", "zh"),
        ("リバートン市議会は火曜日、古い橋を大型トラックの通行禁止にすることを決めた。", "zh", "ja"),
        ("Accord signed.", "fr", "fr"),
        ("สภาเมืองริเวอร์ตันลงมติเมื่อวันอังคารให้ปิดสะพานเก่า", None, "th"),
    ],
    ids=[
        "declared-ukrainian-on-cyrillic",
        "undeclared-cyrillic",
        "template-says-english",
        "region-subtag",
        "kana-is-japanese",
        "declared-when-text-says-nothing",
        "thai",
    ],
)
def test_language_from_text_and_declaration(text: str, declared: str | None, language: str) -> None:
    assert choose_language(detect_language(text), declared) == language


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_word_count_never_fails_and_never_exceeds_the_characters(text: str) -> None:
    assert 0 <= word_count(text) <= len(text)


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("0123456789 年月日.-/:марта٢٠٤ abcMay"), max_size=40),
    st.sampled_from([None, "en", "ru", "zh", "ar"]),
)
def test_find_text_date_returns_a_date_or_none_for_any_text(text: str, language: str | None) -> None:
    found = find_text_date(text, language)
    assert found is None or isinstance(found, dt.date)
