"""Failure kinds, the backoff schedule across runs, and a run's time budget."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.retrying import (
    FailureKind,
    FailureRecord,
    RetrySchedule,
    RunBudget,
    Verdict,
    classify_failure,
    fetch_decision,
    record_failure,
)

PERMANENT, TRANSIENT = FailureKind.PERMANENT, FailureKind.TRANSIENT
T0 = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
SCHEDULE = RetrySchedule(
    first_backoff=dt.timedelta(minutes=10),
    max_backoff=dt.timedelta(hours=1),
    max_attempts=4,
    relist_after=dt.timedelta(days=7),
)


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("http_404", PERMANENT),
        ("http_410", PERMANENT),
        ("http_403", PERMANENT),
        ("too_large", PERMANENT),
        ("content_type", PERMANENT),
        ("redirect_loop", PERMANENT),
        ("too_many_redirects", PERMANENT),
        ("robots", PERMANENT),
        ("blocked_address", PERMANENT),
        ("bad_url", PERMANENT),
        ("no_text", PERMANENT),
        ("http_500", TRANSIENT),
        ("http_503", TRANSIENT),
        ("http_429", TRANSIENT),
        ("http_408", TRANSIENT),
        ("timeout", TRANSIENT),
        ("connect_error", TRANSIENT),
        ("decode_error", TRANSIENT),
        ("robots_unavailable", TRANSIENT),
        ("something_new", TRANSIENT),
        ("http_", TRANSIENT),
    ],
    ids=lambda value: str(value),
)
def test_failure_kinds(reason: str, kind: FailureKind) -> None:
    assert classify_failure(reason) is kind


def test_backoff_doubles_up_to_its_ceiling() -> None:
    minutes = [SCHEDULE.backoff(n) / dt.timedelta(minutes=1) for n in range(1, 6)]
    assert minutes == [10, 20, 40, 60, 60]


def test_a_transient_failure_is_retried_across_runs_with_growing_waits_then_given_up() -> None:
    """Runs every 5 minutes against a URL that always times out: which runs fetch it."""
    record: FailureRecord | None = None
    fetched_at: list[int] = []
    for minute in range(0, 24 * 60, 5):
        now = T0 + dt.timedelta(minutes=minute)
        if fetch_decision(record, listed=False, now=now, schedule=SCHEDULE).fetch:
            fetched_at.append(minute)
            record = record_failure(record, "timeout", now, SCHEDULE)
    assert fetched_at == [0, 10, 30, 70]
    assert record is not None and record.attempts == 4 and record.next_attempt_at is None


@pytest.mark.parametrize(
    ("record", "listed", "after", "verdict"),
    [
        (None, True, dt.timedelta(0), Verdict.FETCH),
        (FailureRecord("http_404", PERMANENT, 1, T0, None), True, dt.timedelta(days=1), Verdict.AWAITING_RELIST),
        (FailureRecord("http_404", PERMANENT, 1, T0, None), False, dt.timedelta(days=8), Verdict.AWAITING_RELIST),
        (FailureRecord("http_404", PERMANENT, 1, T0, None), True, dt.timedelta(days=8), Verdict.FETCH),
        (
            FailureRecord("http_503", TRANSIENT, 1, T0, T0 + dt.timedelta(minutes=10)),
            True,
            dt.timedelta(minutes=5),
            Verdict.BACKING_OFF,
        ),
        (
            FailureRecord("http_503", TRANSIENT, 1, T0, T0 + dt.timedelta(minutes=10)),
            False,
            dt.timedelta(minutes=10),
            Verdict.FETCH,
        ),
        (FailureRecord("timeout", TRANSIENT, 4, T0, None), False, dt.timedelta(days=30), Verdict.AWAITING_RELIST),
        (FailureRecord("timeout", TRANSIENT, 4, T0, None), True, dt.timedelta(days=7), Verdict.FETCH),
    ],
    ids=[
        "never-failed",
        "404-listed-a-day-later",
        "404-not-listed-after-the-interval",
        "404-listed-after-the-interval",
        "503-before-its-backoff",
        "503-retried-without-listing",
        "given-up-not-listed",
        "given-up-listed-after-the-interval",
    ],
)
def test_fetch_decisions(record: FailureRecord | None, listed: bool, after: dt.timedelta, verdict: Verdict) -> None:
    assert fetch_decision(record, listed=listed, now=T0 + after, schedule=SCHEDULE).verdict is verdict


def test_a_permanent_failure_waits_for_the_relist_and_starts_counting_again() -> None:
    first = record_failure(None, "http_404", T0, SCHEDULE)
    assert (first.kind, first.attempts, first.next_attempt_at) == (PERMANENT, 1, None)
    decision = fetch_decision(first, listed=True, now=T0, schedule=SCHEDULE)
    assert (decision.eligible_at, decision.needs_listing) == (T0 + dt.timedelta(days=7), True)
    later = T0 + dt.timedelta(days=8)
    second = record_failure(first, "timeout", later, SCHEDULE)
    assert (second.kind, second.attempts, second.next_attempt_at) == (TRANSIENT, 1, later + dt.timedelta(minutes=10))


def test_retry_after_lengthens_the_backoff_within_its_ceiling() -> None:
    short = record_failure(None, "http_429", T0, SCHEDULE, retry_after=dt.timedelta(minutes=30))
    long = record_failure(None, "http_429", T0, SCHEDULE, retry_after=dt.timedelta(days=2))
    assert short.next_attempt_at == T0 + dt.timedelta(minutes=30)
    assert long.next_attempt_at == T0 + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "options",
    [{"max_attempts": 0}, {"first_backoff": dt.timedelta(days=2)}, {"relist_after": dt.timedelta(seconds=-1)}],
    ids=["no-attempts", "first-longer-than-ceiling", "negative-relist"],
)
def test_impossible_schedules_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetrySchedule(**options)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["timeout", "http_503", "http_404", "too_large", "http_429"]), min_size=1, max_size=30),
    st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_no_url_is_fetched_more_often_than_the_schedule_allows(reasons: list[str], listings: list[bool]) -> None:
    """Hourly runs for 30 hours: attempts in a row never pass the cap, waits never pass the ceiling."""
    record: FailureRecord | None = None
    failures = iter(reasons)
    for hour, listed in enumerate(listings):
        now = T0 + dt.timedelta(hours=hour)
        if not fetch_decision(record, listed=listed, now=now, schedule=SCHEDULE).fetch:
            continue
        reason = next(failures, None)
        if reason is None:
            return
        record = record_failure(record, reason, now, SCHEDULE)
        assert 1 <= record.attempts <= SCHEDULE.max_attempts
        if record.next_attempt_at is not None:
            assert dt.timedelta(0) < record.next_attempt_at - now <= SCHEDULE.max_backoff


def test_run_budget_shrinks_requests_to_what_is_left_and_then_says_none() -> None:
    budget = RunBudget(host_seconds=30.0, run_seconds=100.0, started=1000.0)
    assert budget.allowance("slow.test", 1000.0, 60.0) == 30.0
    budget.spend("slow.test", 30.0)
    assert budget.allowance("slow.test", 1030.0, 60.0) is None
    assert budget.allowance("fast.test", 1030.0, 60.0) == 30.0
    assert budget.allowance("fast.test", 1095.0, 60.0) == 5.0
    assert budget.allowance("fast.test", 1100.0, 60.0) is None


def test_run_budget_without_limits_gives_the_request_its_own_timeout() -> None:
    assert RunBudget(host_seconds=None, run_seconds=None, started=0.0).allowance("a.test", 9e9, 20.0) == 20.0
