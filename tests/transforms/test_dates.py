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
        ("over the weekend, protesters marched", False, (dt.date(2024, 10, 1), "month", "over the weekend")),
        ("the leaders met on the 12th", False, (dt.date(2024, 10, 12), "day", "on the 12th")),
        ("the leaders met on the 20th", False, (dt.date(2024, 9, 20), "day", "on the 20th")),
        ("they will meet on the 20th", True, (dt.date(2024, 10, 20), "day", "on the 20th")),
        ("the vote was held on the 31st", False, (dt.date(2024, 8, 31), "day", "on the 31st")),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_expressions_resolve_against_publication(text: str, future: bool, expected: tuple) -> None:
    found = find_dates(text, MONDAY, future=future)
    assert [(d.date, d.precision, d.text) for d in found] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "They may attack",
        "Protesters march to the palace",
        "in over 20 years",
        "1,000 troops",
        "a daily address",
        "a fire on the 5th floor",
        "on the 30th anniversary of the war",
        "the weekend market",
    ],
    ids=[
        "may-modal",
        "march-verb",
        "duration",
        "number",
        "daily",
        "ordinal-floor",
        "ordinal-anniversary",
        "weekend-noun",
    ],
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


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(1, 31), st.booleans())
def test_a_day_of_the_month_is_the_nearest_one_on_the_side_the_clause_speaks_of(
    published: dt.date, day: int, future: bool
) -> None:
    (found,) = find_dates(f"on the {day}th", published, future=future)
    assert found.precision == "day" and found.date.day == day
    assert (found.date >= published) if future else (found.date <= published)
    assert abs((found.date - published).days) < 92


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_the_weekend_is_the_month_of_the_last_saturday(published: dt.date) -> None:
    (found,) = find_dates("over the weekend", published)
    saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
    assert (found.date, found.precision) == (saturday.replace(day=1), "month")
