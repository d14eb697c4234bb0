"""Canonical URLs: one article, one canonical URL, one id, whatever URL found it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls as url_strategy

from transforms.urls import ARTICLE_ID_LENGTH, article_id, article_id_for_url, canonical_url

BASE = "https://wire.example.test/world/2024/10/16/story.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (BASE, BASE),
        ("HTTPS://Wire.Example.TEST/world/2024/10/16/story.html", BASE),
        ("https://wire.example.test:443/world/2024/10/16/story.html", BASE),
        (BASE + "#comments", BASE),
        (BASE + "?utm_source=newsletter&utm_medium=rss&utm_campaign=asia", BASE),
        (BASE + "?fbclid=abc&gclid=def", BASE),
        ("https://wire.example.test/world/2024/10/16/./x/../story.html", BASE),
        ("https://wire.example.test/world/2024/10/16/story.html/", BASE),
        ("  " + BASE + "\n", BASE),
        ("https://user:secret@wire.example.test/world/2024/10/16/story.html", BASE),
        ("https://wire.example.test/a?b=2&a=1", "https://wire.example.test/a?a=1&b=2"),
        ("https://wire.example.test/a?id=7&utm_term=x", "https://wire.example.test/a?id=7"),
        ("http://wire.example.test:8080/a", "http://wire.example.test:8080/a"),
        ("https://wire.example.test", "https://wire.example.test/"),
        ("https://wire.example.test/caf%c3%a9", "https://wire.example.test/caf%C3%A9"),
        ("https://wire.example.test/a%7Eb", "https://wire.example.test/a~b"),
        ("file://sample-inbox/2024/story.txt", "file://sample-inbox/2024/story.txt"),
        ("not a url", "not a url"),
        ("http://[::1", "http://[::1"),
    ],
    ids=[
        "already-canonical",
        "upper-case-host-and-scheme",
        "default-port",
        "fragment",
        "utm-parameters",
        "click-ids",
        "dot-segments",
        "trailing-slash",
        "whitespace",
        "credentials",
        "parameter-order",
        "tracking-mixed-with-real",
        "non-default-port-kept",
        "empty-path",
        "percent-case",
        "unreserved-decoded",
        "file-url",
        "not-a-url",
        "broken-ipv6",
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_article_id_is_a_32_hex_hash_of_the_canonical_url() -> None:
    ids = {article_id_for_url(BASE + suffix) for suffix in ("", "#x", "?utm_source=y", "/")}
    assert len(ids) == 1
    (only,) = ids
    assert len(only) == ARTICLE_ID_LENGTH and int(only, 16) >= 0
    assert article_id(canonical_url(BASE)) == only
    assert article_id_for_url("https://wire.example.test/other.html") != only


@settings(max_examples=300, deadline=None)
@given(st.one_of(url_strategy(), st.text(max_size=80)))
def test_canonicalisation_is_idempotent_and_never_raises(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@settings(max_examples=200, deadline=None)
@given(
    url_strategy(),
    st.dictionaries(
        st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid"]),
        st.text("abc", min_size=1, max_size=5),
        max_size=3,
    ),
)
def test_tracking_parameters_never_change_the_id(url: str, tracking: dict[str, str]) -> None:
    if "#" in url:
        url = url.split("#", 1)[0]
    joiner = "&" if "?" in url else "?"
    tagged = url + (joiner + "&".join(f"{k}={v}" for k, v in tracking.items()) if tracking else "")
    assert article_id_for_url(tagged) == article_id_for_url(url)
