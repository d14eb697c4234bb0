"""Title-case headlines re-cased for the parser (transforms/coder/headlines.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.coder.headlines import TitleRecaser, is_title_case

COMMON = {"bombs", "rebel", "positions", "near", "urges", "to", "halt", "ban", "meets", "on", "summit", "says"}


def opens_person_name(text: str) -> bool:
    return text.startswith("Ban Ki-moon")


RECASER = TitleRecaser(COMMON, opens_person_name)

RECASED = [
    pytest.param(
        "Russia Bombs Syrian Rebel Positions Near Aleppo.",
        "Russia bombs Syrian rebel positions near Aleppo.",
        id="common-words-lowered-names-kept",
    ),
    pytest.param(
        "Ban Ki-moon Urges Israel to Halt Settlement",
        "Ban Ki-moon urges Israel to halt Settlement",
        id="a-word-opening-a-persons-name-keeps-its-capital",
    ),
    pytest.param(
        "US Meets EU on Sidelines of G20 Summit",
        "US meets EU on Sidelines of G20 summit",
        id="acronyms-and-unknown-words-kept",
    ),
    pytest.param(
        "Russia bombs rebel positions near Aleppo, the ministry says.",
        "Russia bombs rebel positions near Aleppo, the ministry says.",
        id="a-sentence-in-sentence-case-is-left-alone",
    ),
    pytest.param("Russia Bombs Aleppo", "Russia Bombs Aleppo", id="too-short-to-tell"),
]


@pytest.mark.parametrize(("text", "expected"), RECASED)
def test_title_case_lines_get_their_common_words_in_lower_case(text: str, expected: str) -> None:
    assert RECASER.recase(text) == expected


def test_title_case_counts_content_words_only() -> None:
    assert is_title_case("U.S. Lifts Travel Ban to Lebanon".split())
    assert not is_title_case("UN Secretary-General Antonio Guterres said on Tuesday that talks failed".split())


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120))
def test_recasing_only_ever_changes_case_and_never_moves_an_offset(text: str) -> None:
    recased = RECASER.recase(text)
    assert len(recased) == len(text)
    assert recased.lower() == text.lower()
    assert RECASER.recase(recased) == recased


@given(st.lists(st.sampled_from(["Russia", "Bombs", "Rebel", "Positions", "Near", "Aleppo", "to", "EU"]), max_size=12))
def test_recasing_headline_words_keeps_length_and_is_stable(words: list[str]) -> None:
    text = " ".join(words)
    recased = RECASER.recase(text)
    assert len(recased) == len(text) and recased.lower() == text.lower()
    assert RECASER.recase(recased) == recased
