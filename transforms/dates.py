"""Date expressions in a sentence, resolved against the article's publication date.

News dates its events relative to the day it is written: "on Sunday", "yesterday", "last week",
"in June". `find_dates` finds such expressions with regular expressions (no parser needed, so
it also runs on sentences the coder never parses) and resolves each to a calendar date with an
honest precision:

- weekday names: the most recent such day on or before publication ("on Monday" in a Monday
  article is that Monday), or the next one when the clause speaks of the future;
- "yesterday", "today", "tonight", "last night", "N days ago": day precision;
- "last week", "this week", "N weeks ago": the Thursday of that week, *month* precision, since
  the event table has no week precision and a day would claim more than the text says; "over
  the weekend" likewise: the month of the most recent weekend's Saturday;
- "on the 12th": the most recent 12th on or before publication (the next one for future
  clauses), day precision; an ordinal followed by a word ("on the 5th floor") is no date;
- "in June" without a year: the most recent June on or before publication (the next one for
  future clauses), month precision; "last month", "this month": month precision;
- explicit dates ("October 13, 2024", "13 Oct 2024", "2024-10-13", "Oct. 13"): day precision,
  the year inferred as the nearest fitting one when absent;
- "June 2024": month precision; "in 2019", "since 2014", "last year": year precision.

Month and weekday names must be capitalised, which keeps "may" (the modal) and "march" (the
verb) out. Month-precision dates fall on the first of the month, year-precision dates on 1 January.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year"]

_MONTHS: dict[str, int] = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
    "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6,
}  # fmt: skip
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_NUMBER = r"(?P<number>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_MONTH_CUE = r"(?P<cue>(?i:in|since|during|by|until|till|from|of|on|early|late|mid|mid-|last|this|next|earlier in|later in|through|throughout|before|after))"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso_date", r"\b" + _YEAR + r"-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("explicit_day", r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"),
        ("explicit_day", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b"),
        ("month_year", r"\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b"),
        ("month_day", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!\s*(?:%|percent|per cent|million|billion))"),
        ("month_day", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b"),
        (
            "relative_weekday",
            r"(?i:\b(?P<rel>last|next|this|past|coming)\s+)" + _WEEKDAY + r"\b",
        ),
        ("weekday", r"\b" + _WEEKDAY + r"(?:'s|’s)?\b"),
        (
            "relative_day",
            r"(?i:\b(?P<word>yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening|last night|overnight)\b)",
        ),
        ("days_ago", r"(?i:\b" + _NUMBER + r"\s+days?\s+(?:ago|earlier)\b)"),
        ("weeks_ago", r"(?i:\b" + _NUMBER + r"\s+weeks?\s+ago\b)"),
        ("months_ago", r"(?i:\b" + _NUMBER + r"\s+months?\s+ago\b)"),
        ("years_ago", r"(?i:\b" + _NUMBER + r"\s+years?\s+ago\b)"),
        ("relative_week", r"(?i:\b(?P<rel>last|this|next|past|earlier this|later this)\s+week(?:end)?\b)"),
        ("the_weekend", r"(?i:\b(?:over|at|on|during|through|throughout|across)\s+the\s+weekend\b)"),
        (
            "day_of_month",
            r"(?i:\b(?:on|by|since|until|from)\s+the\s+)"
            + _DAY.replace("?:st|nd|rd|th)?", "?:st|nd|rd|th)")
            + r"\b(?!\s*(?:of\b|[a-z]))",
        ),
        ("relative_month", r"(?i:\b(?P<rel>last|this|next|past|earlier this|later this)\s+month\b)"),
        ("relative_year", r"(?i:\b(?P<rel>last|this|next|past|earlier this|later this)\s+year\b)"),
        (
            "month",
            r"\b"
            + _MONTH_CUE
            + r"(?:\s+|(?<=-))(?:(?i:the\s+)?(?i:beginning|end|middle|start)\s+of\s+)?"
            + _MONTH
            + r"(?![\w-])",
        ),
        (
            "month",
            r"(?<![\w.-])"
            + r"(?P<month>January|February|April|June|July|August|September|October|November|December)"
            + r"(?![\w-])",
        ),
        ("year", r"\b" + _MONTH_CUE + r"(?:\s+|(?<=-))(?i:early\s+|late\s+|mid-?)?" + _YEAR + r"\b(?![-\d])"),
    )
)


@dataclass(frozen=True)
class DateExpression:
    """A date expression found in a text and the calendar date it stands for."""

    text: str
    start: int
    end: int
    date: dt.date
    precision: Precision
    rule: str


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _week_anchor(day: dt.date) -> dt.date:
    """The Thursday of `day`'s ISO week: the day that decides which month a week belongs to."""
    return day + dt.timedelta(days=3 - day.weekday())


def _number(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _resolve(
    rule: str, match: re.Match[str], published: dt.date | None, future: bool
) -> tuple[dt.date, Precision] | None:
    """The date and precision a match of ``rule`` stands for, or None.

    Dates that say their year stand by themselves; every other rule counts from the
    publication date, so without one it resolves to nothing.
    """
    groups = match.groupdict()
    month_name = groups.get("month")
    month = _MONTHS[month_name] if month_name else None
    if rule in ("iso_date", "explicit_day", "month_year", "year"):
        return _dated_in_full(rule, groups, month)
    if published is None:
        return None
    if rule == "month_day":
        assert month is not None
        return _nearest_month_day(month, int(groups["day"]), published, future)
    if rule in ("weekday", "relative_weekday"):
        return _named_weekday(_WEEKDAYS[groups["weekday"]], (groups.get("rel") or "").lower(), published, future)
    if rule in ("relative_day", "days_ago", "weeks_ago", "months_ago", "years_ago"):
        return _counted_from_publication(rule, groups, published)
    if rule == "the_weekend":
        return _nearest_weekend(published, future), "month"
    if rule == "day_of_month":
        return _nearest_day_of_month(int(groups["day"]), published, future)
    if rule in ("relative_week", "relative_month", "relative_year"):
        return _relative_period(rule, groups["rel"].lower(), published)
    if rule == "month":
        assert month is not None
        return _named_month(month, (groups.get("cue") or "").lower(), published, future), "month"
    return None


def _dated_in_full(rule: str, groups: Mapping[str, str], month: int | None) -> tuple[dt.date, Precision]:
    """A date that names its year: a day ("2024-10-13", "October 13, 2024"), a month
    ("June 2024") or a year ("in 2019")."""
    if rule == "iso_date":
        return dt.date(int(groups["year"]), int(groups["month_number"]), int(groups["day"])), "day"
    if rule == "explicit_day":
        assert month is not None
        return dt.date(int(groups["year"]), month, int(groups["day"])), "day"
    if rule == "month_year":
        assert month is not None
        return _month_start(int(groups["year"]), month), "month"
    return dt.date(int(groups["year"]), 1, 1), "year"


def _nearest_month_day(month: int, day: int, published: dt.date, future: bool) -> tuple[dt.date, Precision] | None:
    """A month and day without a year ("Oct. 13"): the latest such day up to a week after
    publication, or in a future clause the earliest from a week before it; None when the day
    exists in none of the three years around publication."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if future:
        upcoming = [c for c in candidates if c >= published - dt.timedelta(days=7)]
        return (min(upcoming) if upcoming else max(candidates)), "day"
    past = [c for c in candidates if c <= published + dt.timedelta(days=7)]
    return (max(past) if past else min(candidates)), "day"


def _named_weekday(weekday: int, relation: str, published: dt.date, future: bool) -> tuple[dt.date, Precision]:
    """A weekday ("on Monday", "last Friday"): the most recent such day on or before
    publication, the next one on or after it in a future clause; "last" and "next" never
    mean the publication day itself."""
    back = (published.weekday() - weekday) % 7
    if relation in ("last", "past"):
        return published - dt.timedelta(days=back or 7), "day"
    if relation in ("next", "coming") or future:
        ahead = (weekday - published.weekday()) % 7
        if relation in ("next", "coming"):
            ahead = ahead or 7
        return published + dt.timedelta(days=ahead), "day"
    return published - dt.timedelta(days=back), "day"


def _counted_from_publication(rule: str, groups: Mapping[str, str], published: dt.date) -> tuple[dt.date, Precision]:
    """A day named from publication ("yesterday", "last night") or a count of days, weeks,
    months or years back ("three weeks ago"), each at the precision its unit allows: weeks
    to the month of their Thursday."""
    if rule == "relative_day":
        word = groups["word"].lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        if word == "last night":
            offset = -1
        return published + dt.timedelta(days=offset), "day"
    number = _number(groups["number"])
    if rule == "days_ago":
        return published - dt.timedelta(days=number), "day"
    if rule == "weeks_ago":
        return _month_start_of(_week_anchor(published - dt.timedelta(weeks=number))), "month"
    if rule == "months_ago":
        return _shift_months(published, -number), "month"
    return dt.date(published.year - number, 1, 1), "year"


def _nearest_weekend(published: dt.date, future: bool) -> dt.date:
    """The most recent weekend (the coming one in a future clause), dated like a week: to the
    first of its Saturday's month, since the text does not say which of the two days."""
    back = (published.weekday() - 5) % 7
    saturday = (
        published + dt.timedelta(days=(5 - published.weekday()) % 7) if future else published - dt.timedelta(days=back)
    )
    return _month_start_of(saturday)


def _nearest_day_of_month(day: int, published: dt.date, future: bool) -> tuple[dt.date, Precision] | None:
    """A day of the month ("on the 12th"): the most recent on or before publication (the next
    on or after it in a future clause) within three months; None when none of them has it."""
    for step in (0, 1, 2) if future else (0, -1, -2):
        try:
            candidate = _shift_months(published, step).replace(day=day)
        except ValueError:
            continue  # no 31st in this month
        if (candidate >= published) if future else (candidate <= published):
            return candidate, "day"
    return None


def _relative_period(rule: str, relation: str, published: dt.date) -> tuple[dt.date, Precision]:
    """The last, this or next week, month or year from publication; a week is dated to the
    month of its Thursday."""
    step = -1 if relation in ("last", "past") else 1 if relation == "next" else 0
    if rule == "relative_week":
        return _month_start_of(_week_anchor(published + dt.timedelta(weeks=step))), "month"
    if rule == "relative_month":
        return _shift_months(published, step), "month"
    return dt.date(published.year + step, 1, 1), "year"


def _named_month(month: int, cue: str, published: dt.date, future: bool) -> dt.date:
    """A month without a year ("in June"): the most recent on or before publication; the
    next one from publication on in a future clause (unless cued "last" or "since") or when
    cued "next", which never means the publication month; "last" never means it either."""
    this_year = _month_start(published.year, month)
    if cue == "next" or (future and cue not in ("last", "since")):
        coming = this_year if month >= published.month else _month_start(published.year + 1, month)
        if cue == "next" and coming == _month_start(published.year, published.month):
            coming = _month_start(published.year + 1, month)
        return coming
    if cue == "last" and month == published.month:
        return _month_start(published.year - 1, month)
    return this_year if month <= published.month else _month_start(published.year - 1, month)


def _month_start_of(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def find_dates(text: str, published: dt.date | None, *, future: bool = False) -> list[DateExpression]:
    """Every date expression in `text`, in order, resolved against `published`.

    Relative expressions ("Sunday", "in June", "yesterday") need `published`; without it only
    expressions that carry their own year are returned. `future` says the clause speaks of what
    is to come ("will meet on Friday"), which turns weekday and month names forward.
    Overlapping matches keep the earliest, longest, most specific one.
    """
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    for rule, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            try:
                resolved = _resolve(rule, match, published, future)
            except ValueError:
                continue
            if resolved is None:
                continue
            day, precision = resolved
            taken.append((start, end))
            found.append(DateExpression(match.group(0), start, end, day, precision, rule))
    return sorted(found, key=lambda d: d.start)
