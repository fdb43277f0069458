"""The dates and times Kindling stores: what every database and Python's datetime can hold.

PostgreSQL refuses a UTC offset of 16 hours or more, and Python's datetime stops at the years
1 and 9999, so "9999-12-31 + a 14-day warm-up" or "year 1 minus 90 days" would fail on the read
after the write. Every write path (API schemas, forms through the services) checks with these.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
# No time zone on Earth is further from UTC.
MAX_UTC_OFFSET = dt.timedelta(hours=14)


def date_problem(value: dt.date) -> str | None:
    """Why a date (or the date of a date-time) cannot be stored, or None."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return f"Give a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
    return None


def datetime_problem(value: dt.datetime) -> str | None:
    """Why a date-time cannot be stored, or None. Naive values are judged by their digits."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        return "A UTC offset is between -14:00 and +14:00."
    return date_problem(value)


def validate_storable_date(value: dt.date) -> None:
    """The same rule as a form field validator (filters whose dates feed date arithmetic)."""
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem)
