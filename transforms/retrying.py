"""When a URL that failed is fetched again: failure kinds, the backoff schedule, a run's time budget.

A failure is `permanent` when fetching again soon cannot change it (404 and 410, a body too
large, a content type the pipeline does not read, a redirect loop, robots.txt, an address
that is not public, a page without an article) and `transient` when it may (5xx, 429,
timeouts, broken connections). The reasons are the short codes the fetcher and the
extractor already give (`FetchError.reason`, `ArticleParseError.reason`); an unknown reason
counts as transient, so it is retried a bounded number of times rather than never.

Across runs:

- a transient failure is tried again by later runs, whether or not the source lists the URL
  again, after a backoff that doubles with every failed attempt (`RetrySchedule.backoff`)
  up to a ceiling, and at most `max_attempts` times in all;
- a permanent failure, and a transient one out of attempts, is not fetched again until the
  source lists the URL anew at least `relist_after` after the last failure.

Inside a run there is one retry layer (the fetcher's own, for transient errors); `RunBudget`
bounds the time a run gives each host and the whole run, so that slow URLs cannot hold all
of a host's turns. Everything here is arithmetic on the times given: no clock is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class FailureKind(StrEnum):
    """Whether fetching again soon can change a failure."""

    PERMANENT = "permanent"
    TRANSIENT = "transient"


PERMANENT_REASONS: frozenset[str] = frozenset(
    {
        "too_large",
        "content_type",
        "too_many_redirects",
        "redirect_loop",
        "bad_redirect",
        "robots",
        "blocked_address",
        "bad_url",
        "outside_folder",
        "no_text",
        "no_link",
    }
)
"""Reasons fetching again soon cannot change, besides the client-error statuses."""

TRANSIENT_STATUSES: frozenset[int] = frozenset({408, 425, 429})
"""Client-error statuses that say "not now" rather than "not this"."""


def classify_failure(reason: str) -> FailureKind:
    """The kind of a failure, from its reason code (`http_404`, `timeout`, `too_large`, …)."""
    if reason.startswith("http_") and reason[5:].isdigit():
        status = int(reason[5:])
        if 400 <= status < 500 and status not in TRANSIENT_STATUSES:
            return FailureKind.PERMANENT
        return FailureKind.TRANSIENT
    return FailureKind.PERMANENT if reason in PERMANENT_REASONS else FailureKind.TRANSIENT


@dataclass(frozen=True)
class RetrySchedule:
    """How failed URLs are retried across runs.

    `first_backoff` after the first failed attempt, doubling after each further one up to
    `max_backoff`; a transient failure is attempted `max_attempts` times in all; a
    permanent one (or a transient one out of attempts) is eligible again only when listed
    anew `relist_after` after its last failure.
    """

    first_backoff: dt.timedelta = dt.timedelta(minutes=10)
    max_backoff: dt.timedelta = dt.timedelta(days=1)
    max_attempts: int = 5
    relist_after: dt.timedelta = dt.timedelta(days=7)

    def __post_init__(self) -> None:
        if self.first_backoff < dt.timedelta(0) or self.max_backoff < self.first_backoff:
            raise ValueError("backoffs must be non-negative, the first no longer than the maximum")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.relist_after < dt.timedelta(0):
            raise ValueError("relist_after must be non-negative")

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the `attempts`-th failed attempt in a row (1, 2, …)."""
        if attempts <= 1:
            return self.first_backoff
        doublings = min(attempts - 1, 40)
        return min(self.first_backoff * (1 << doublings), self.max_backoff)


@dataclass(frozen=True)
class FailureRecord:
    """What is remembered of a URL's failed attempts (a `fetch_state` row's failure columns).

    `attempts`: failed attempts in a row of this kind; `next_attempt_at`: when a transient
    failure may be tried again (None for a permanent one, or a transient one out of attempts).
    """

    reason: str
    kind: FailureKind
    attempts: int
    failed_at: dt.datetime
    next_attempt_at: dt.datetime | None

    def out_of_attempts(self, schedule: RetrySchedule) -> bool:
        return self.kind is FailureKind.TRANSIENT and self.attempts >= schedule.max_attempts


def record_failure(
    previous: FailureRecord | None,
    reason: str,
    now: dt.datetime,
    schedule: RetrySchedule,
    *,
    retry_after: dt.timedelta | None = None,
) -> FailureRecord:
    """The record after one more failed attempt at `now`.

    Attempts count up while failures of one kind follow each other; a failure of the other
    kind, or one after the URL was given up and listed anew, starts again at 1. A server's
    `retry_after` (429, 503) lengthens the backoff, never beyond `schedule.max_backoff`.
    """
    kind = classify_failure(reason)
    fresh = previous is None or previous.kind is not kind or previous.out_of_attempts(schedule)
    attempts = 1 if fresh or previous is None else previous.attempts + 1  # previous is set when not fresh
    if kind is FailureKind.PERMANENT or attempts >= schedule.max_attempts:
        return FailureRecord(reason, kind, attempts, now, None)
    wait = schedule.backoff(attempts)
    if retry_after is not None:
        wait = min(max(wait, retry_after), schedule.max_backoff)
    return FailureRecord(reason, kind, attempts, now, now + wait)


class Verdict(StrEnum):
    """What a run does with a URL, given its failure record."""

    FETCH = "fetch"
    BACKING_OFF = "backing_off"
    AWAITING_RELIST = "awaiting_relist"


@dataclass(frozen=True)
class FetchDecision:
    """A `Verdict` and, when not `fetch`, the earliest time it may change (and whether listing is needed)."""

    verdict: Verdict
    eligible_at: dt.datetime | None = None
    needs_listing: bool = False

    @property
    def fetch(self) -> bool:
        return self.verdict is Verdict.FETCH


def fetch_decision(
    record: FailureRecord | None, *, listed: bool, now: dt.datetime, schedule: RetrySchedule
) -> FetchDecision:
    """Whether a run fetches a URL now.

    `listed`: the source named the URL in this run (rather than the URL coming back from
    the store as a failure to retry).
    """
    if record is None:
        return FetchDecision(Verdict.FETCH)
    if record.kind is FailureKind.PERMANENT or record.out_of_attempts(schedule):
        eligible_at = record.failed_at + schedule.relist_after
        if listed and now >= eligible_at:
            return FetchDecision(Verdict.FETCH)
        return FetchDecision(Verdict.AWAITING_RELIST, eligible_at, needs_listing=True)
    if record.next_attempt_at is None or now >= record.next_attempt_at:
        return FetchDecision(Verdict.FETCH)
    return FetchDecision(Verdict.BACKING_OFF, record.next_attempt_at)


@dataclass
class RunBudget:
    """A run's time budget per host and in all, as seconds on one monotonic clock.

    `host_seconds`: the time requests to one host may take in one run; `run_seconds`: the
    time fetching may take from `started`. `allowance` says how long the next request may
    run (its timeout shrinks to what is left), or None once the host's or the run's budget
    is spent: the URLs left wait for the next run, and are no failures. Not thread-safe: the
    caller holds a lock around `allowance` and `spend`.
    """

    host_seconds: float | None
    run_seconds: float | None
    started: float
    spent: dict[str, float] = field(default_factory=dict)

    def allowance(self, host: str, now: float, request_seconds: float) -> float | None:
        """Seconds the next request to `host` may take at `now`, or None when none is left."""
        left = request_seconds
        if self.run_seconds is not None:
            left = min(left, self.started + self.run_seconds - now)
        if self.host_seconds is not None:
            left = min(left, self.host_seconds - self.spent.get(host, 0.0))
        return left if left > 0 else None

    def spend(self, host: str, seconds: float) -> None:
        """Count `seconds` of a finished (or abandoned) request against `host`."""
        self.spent[host] = self.spent.get(host, 0.0) + max(0.0, seconds)
