"""Date expressions resolved against the publication date (transforms/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.dates import find_dates

MONDAY = dt.date(2024, 10, 14)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("In his address on Sunday, he said", False, (dt.date(2024, 10, 13), "day", "Sunday")),
        ("talks on Monday", False, (dt.date(2024, 10, 14), "day", "Monday")),
        ("last Monday", False, (dt.date(2024, 10, 7), "day", "last Monday")),
        ("they will meet on Friday", True, (dt.date(2024, 10, 18), "day", "Friday")),
        ("yesterday the army said", False, (dt.date(2024, 10, 13), "day", "yesterday")),
        ("two days ago", False, (dt.date(2024, 10, 12), "day", "two days ago")),
        ("In June, the president visited", False, (dt.date(2024, 6, 1), "month", "In June")),
        ("in December the talks failed", False, (dt.date(2023, 12, 1), "month", "in December")),
        ("next March", False, (dt.date(2025, 3, 1), "month", "next March")),
        ("last week", False, (dt.date(2024, 10, 1), "month", "last week")),
        ("earlier this month", False, (dt.date(2024, 10, 1), "month", "earlier this month")),
        ("on October 3, 2023", False, (dt.date(2023, 10, 3), "day", "October 3, 2023")),
        ("on 3 October 2023", False, (dt.date(2023, 10, 3), "day", "3 October 2023")),
        ("on Oct. 3", False, (dt.date(2024, 10, 3), "day", "Oct. 3")),
        ("on Dec. 30", False, (dt.date(2023, 12, 30), "day", "Dec. 30")),
        ("the 2024-10-10 attack", False, (dt.date(2024, 10, 10), "day", "2024-10-10")),
        ("in May 2023", False, (dt.date(2023, 5, 1), "month", "May 2023")),
        ("since 2014", False, (dt.date(2014, 1, 1), "year", "since 2014")),
        ("last year", False, (dt.date(2023, 1, 1), "year", "last year")),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_expressions_resolve_against_publication(text: str, future: bool, expected: tuple) -> None:
    found = find_dates(text, MONDAY, future=future)
    assert [(d.date, d.precision, d.text) for d in found] == [expected]


@pytest.mark.parametrize(
    "text",
    ["They may attack", "Protesters march to the palace", "in over 20 years", "1,000 troops", "a daily address"],
    ids=["may-modal", "march-verb", "duration", "number", "daily"],
)
def test_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, MONDAY) == []


def test_relative_expressions_need_a_publication_date() -> None:
    assert find_dates("on Sunday", None) == []
    assert [d.date for d in find_dates("on 3 October 2023", None)] == [dt.date(2023, 10, 3)]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_weekdays_resolve_to_the_past_week(published: dt.date) -> None:
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        (found,) = find_dates(f"on {name}", published)
        assert 0 <= (published - found.date).days <= 6
        assert found.date.strftime("%A") == name


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(1, 12))
def test_bare_months_are_never_after_publication(published: dt.date, month: int) -> None:
    name = dt.date(2000, month, 1).strftime("%B")
    (found,) = find_dates(f"in {name}", published)
    assert found.precision == "month" and found.date.day == 1 and found.date.month == month
    assert found.date <= published and (published - found.date).days < 366
