"""When a source is checked next: adaptive to how often its person posts, patient on failure.

Pure functions (no database, no clock of their own) so the rules are tested on their own.
Like Miniflux's ``entry_frequency`` scheduler: a week divided by last week's posts, clamped
between 30 minutes and a day, with jitter so sources added together do not stay in lockstep.
"""

from __future__ import annotations

import datetime as dt
import random

MIN_INTERVAL = dt.timedelta(minutes=30)
MAX_INTERVAL = dt.timedelta(days=1)
FIRST_BACKOFF = dt.timedelta(minutes=15)
JITTER = 0.1


def _jittered(delay: dt.timedelta, rng: random.Random | None) -> dt.timedelta:
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return dt.timedelta(seconds=delay.total_seconds() * factor)


def check_interval(posts_last_week: int) -> dt.timedelta:
    """How long until the next check of a source that posted this much in the last 7 days."""
    if posts_last_week <= 0:
        return MAX_INTERVAL
    interval = dt.timedelta(days=7) / posts_last_week
    return max(MIN_INTERVAL, min(MAX_INTERVAL, interval))


def next_check_after_success(
    now: dt.datetime, *, posts_last_week: int, rng: random.Random | None = None
) -> dt.datetime:
    return now + _jittered(check_interval(posts_last_week), rng)


def failure_backoff(failures: int) -> dt.timedelta:
    """15 min, 30 min, 1 h, 2 h … after 1, 2, 3, 4 … failures in a row, at most a day."""
    exponent = max(0, min(failures - 1, 10))
    return min(MAX_INTERVAL, FIRST_BACKOFF * (2**exponent))


def next_check_after_failure(
    now: dt.datetime,
    *,
    failures: int,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> dt.datetime:
    """Back off exponentially; a server's Retry-After is honoured even when it asks for longer.

    A Retry-After shorter than the back-off of a first failure is taken as given (the server
    knows when it will answer again), never sooner than a minute.
    """
    if retry_after is not None:
        wait = dt.timedelta(seconds=max(60.0, min(retry_after, 7 * 86400.0)))
        return now + wait
    return now + _jittered(failure_backoff(failures), rng)
