"""Send windows: weekdays and hours in the mailbox's (or the lead's) time zone, DST included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from outreach.models import Mailbox


def window_zone(mailbox: Mailbox, lead_timezone: str = "") -> ZoneInfo:
    """The lead's zone when given and valid, else the mailbox's."""
    if lead_timezone:
        try:
            return ZoneInfo(lead_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(mailbox.timezone)


def _open_on(mailbox: Mailbox, day: dt.date) -> bool:
    return day.weekday() in set(mailbox.window_weekdays or [])


def window_contains(mailbox: Mailbox, moment: dt.datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return (
        _open_on(mailbox, local.date())
        and mailbox.window_start <= local.time().replace(tzinfo=None) < mailbox.window_end
    )


def next_window_opening(mailbox: Mailbox, after: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """The first moment at or after ``after`` inside the window; None if the window is empty."""
    if window_contains(mailbox, after, zone):
        return after
    local = after.astimezone(zone)
    for offset in range(0, 8):
        day = local.date() + dt.timedelta(days=offset)
        if not _open_on(mailbox, day):
            continue
        # Built as local wall-clock time and resolved by zoneinfo, so 09:00 stays 09:00 across
        # a DST change; a start inside a spring-forward gap lands just after it (fold=0).
        opening = dt.datetime.combine(day, mailbox.window_start, tzinfo=zone)
        opening = opening.astimezone(dt.UTC).astimezone(zone)
        if opening >= local and window_contains(mailbox, opening, zone):
            return opening.astimezone(dt.UTC)
    return None


def next_local_midnight(moment: dt.datetime, tz_name: str) -> dt.datetime:
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return midnight.astimezone(dt.UTC)


def add_days(start: dt.datetime, days: int, *, business: bool, zone: ZoneInfo) -> dt.datetime:
    """``start`` plus calendar days, or business days (Monday–Friday) counted in ``zone``."""
    if not business:
        local = start.astimezone(zone)
        # Wall-clock arithmetic: "3 days later" is the same local hour across DST.
        naive = local.replace(tzinfo=None) + dt.timedelta(days=days)
        return naive.replace(tzinfo=zone).astimezone(dt.UTC)
    local = start.astimezone(zone).replace(tzinfo=None)
    remaining = days
    while remaining > 0:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            remaining -= 1
    return local.replace(tzinfo=zone).astimezone(dt.UTC)
